/* test_html.c - the HTML report of a case written through the store API:
 * byte-identical twice, hostile paths escaped, NEW first, previews blurred,
 * grey and only for plain files whose bytes still match, never overwriting. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include <jpeglib.h>
#include "vigil/digest.h"
#include "vigil/image.h"
#include "vigil/report.h"
#include "vigil/store.h"

static char tmp[4096], pic[4200], moved[4200];

static void put(vg_store *s, uint64_t seq, const char *path, const char *source,
                const unsigned char *bytes, size_t n, const vg_match_rec *m, size_t nm)
{
    vg_item_rec r;
    vg_error e;
    memset(&r, 0, sizeof r);
    r.evidence_id = 1;
    r.seq = seq;
    r.path = path;
    r.name = strrchr(path, '/') + 1;
    r.source = source;
    r.item_type = "file";
    r.flags = "";
    r.size = n;
    r.offset = -1;
    r.mtime = r.atime = r.ctime = r.crtime = INT64_MIN;
    r.have_digests = 1;
    vg_digest_buffer(bytes, n, 0, &r.digests, &e);
    r.file_type = "jpeg";
    r.width = 1600;
    r.height = 1004;
    r.status = "ok";
    r.matches = m;
    r.n_matches = nm;
    r.thumb_distance = -1;
    if (seq == 2) { /* the details a page shows */
        r.exif_make = "Cam<&>";
        r.exif_model = "M1";
        r.exif_datetime = "2024:01:02 03:04:05";
        r.has_gps = 1;
        r.gps_lat = -33.856784;
        r.gps_lon = 151.215297;
        r.thumb_distance = 40;
        r.steg_verdict = "payload";
        r.steg_reason = "zip appended at 1234";
        r.have_pdq = 1; /* the one PDQ item: clustered below */
        r.pdq_quality = 100;
    }
    CHECK_MSG(vg_store_item_put(s, &r, &e) == VG_OK, "%s", e.msg);
}

static void make_case(const char *casepath, const unsigned char *jpg, size_t n)
{
    vg_store *s;
    vg_evidence_rec ev;
    vg_error e;
    int created;
    char inner[4300];
    static const vg_match_rec m = {"agency-set", "sha1", 0, "1", "Category 1", "x<y>"};

    CHECK(vg_store_open(casepath, 1, &s, &e) == VG_OK);
    CHECK(vg_store_evidence_add(s, tmp, "{}", &ev, &created, &e) == VG_OK);
    CHECK(vg_store_audit(s, "scan", "{\"argv\":[\"<script>\"]}", &e) == VG_OK);
    CHECK(vg_store_begin(s, &e) == VG_OK);
    snprintf(inner, sizeof inner, "%s/a.zip!/in.jpg", tmp);
    put(s, 1, inner, "archive", jpg, n, NULL, 0);
    put(s, 2, pic, "file", jpg, n, NULL, 0);
    put(s, 3, moved, "file", jpg, n, NULL, 0); /* its bytes change below */
    put(s, 4, pic, "file", jpg, n, &m, 1);
    CHECK(vg_store_commit(s, &e) == VG_OK);
    int64_t *ids = NULL;
    vg_pdq *pdqs = NULL;
    size_t np = 0;
    CHECK(vg_store_pdq_items(s, 0, &ids, &pdqs, &np, &e) == VG_OK && np == 1);
    const uint64_t cl = 2;
    const unsigned char rep = 1;
    CHECK(np == 1 && vg_store_set_clusters(s, ids, &cl, &rep, 1, &e) == VG_OK);
    free(ids);
    free(pdqs);
    vg_store_close(s);
}

static vg_status report(const char *casepath, const char *dir, int no_thumbs)
{
    vg_store *s;
    vg_error e;
    vg_html_opts o = {"the.case", no_thumbs, NULL};
    vg_status st;
    if (vg_store_open(casepath, 0, &s, &e) != VG_OK)
        return VG_ERR_OPEN;
    st = vg_report_html(s, dir, &o, &e);
    vg_store_close(s);
    return st;
}

static int same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    unsigned char *x = test_slurp(a, &na), *y = test_slurp(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Mean absolute difference of horizontal and vertical neighbours. */
static double hf_energy(const uint8_t *px, size_t stride, uint32_t w, uint32_t h)
{
    double sum = 0;
    uint64_t n = 0;
    for (uint32_t y = 0; y + 1 < h; y++)
        for (uint32_t x = 0; x + 1 < w; x++) {
            int c = px[y * stride + x];
            sum += abs(c - px[y * stride + x + 1]) + abs(c - px[(y + 1) * stride + x]);
            n += 2;
        }
    return n ? sum / (double)n : 0;
}

/* The unblurred reference: the original in grey, area-averaged to w x h. */
static double reference_hf(const unsigned char *jpg, size_t n, uint32_t w, uint32_t h)
{
    vg_decode_opts o = {.grey = 1};
    vg_image img;
    vg_error e;
    uint8_t *out = malloc((size_t)w * h);
    double hf;
    CHECK(vg_image_decode(jpg, n, &o, &img, &e) == VG_OK && img.channels == 1);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint32_t x0 = x * img.pix_width / w, x1 = (x + 1) * img.pix_width / w;
            uint32_t y0 = y * img.pix_height / h, y1 = (y + 1) * img.pix_height / h;
            uint64_t sum = 0, cnt = 0;
            for (uint32_t sy = y0; sy < y1; sy++)
                for (uint32_t sx = x0; sx < x1; sx++, cnt++)
                    sum += img.pixels[sy * img.stride + sx];
            out[y * w + x] = (uint8_t)(cnt ? sum / cnt : 0);
        }
    hf = hf_energy(out, w, w, h);
    vg_image_free(&img);
    free(out);
    return hf;
}

static void check_thumb(const char *path, const unsigned char *orig, size_t orig_n)
{
    size_t n;
    unsigned char *t = test_slurp(path, &n);
    struct jpeg_decompress_struct c;
    struct jpeg_error_mgr jm;
    vg_decode_opts o = {.grey = 1};
    vg_image img;
    vg_error e;

    CHECK_MSG(t != NULL, "no preview at %s", path);
    if (!t)
        return;
    c.err = jpeg_std_error(&jm);
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, t, n);
    CHECK(jpeg_read_header(&c, TRUE) == JPEG_HEADER_OK);
    CHECK_INTEQ(c.num_components, 1);
    CHECK(c.jpeg_color_space == JCS_GRAYSCALE);
    CHECK_INTEQ(c.image_width, 160); /* 1600 x 1004 -> 160 x 100 */
    CHECK_INTEQ(c.image_height, 100);
    jpeg_destroy_decompress(&c);

    CHECK(vg_image_decode(t, n, &o, &img, &e) == VG_OK);
    if (img.pixels) {
        double hf = hf_energy(img.pixels, img.stride, img.pix_width, img.pix_height);
        double ref = reference_hf(orig, orig_n, img.pix_width, img.pix_height);
        printf("high-frequency energy: preview %.3f, unblurred grey %.3f\n", hf, ref);
        CHECK_MSG(ref > 4.0, "the reference has detail: %.3f", ref);
        CHECK_MSG(hf * 8 < ref, "preview %.3f not far below unblurred %.3f", hf, ref);
    }
    vg_image_free(&img);
    free(t);
}

/* The file as a string (malloc'd), NULL when unreadable. */
static char *slurp_str(const char *path)
{
    size_t n;
    char *h = (char *)test_slurp(path, &n), *s = h ? realloc(h, n + 1) : NULL;
    if (!s) {
        free(h);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

static void check_html(const char *path)
{
    char *h = slurp_str(path);
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK(strstr(h, "&lt;b&gt;&amp;&quot;x.jpg") != NULL);
    CHECK(strstr(h, "<b>") == NULL);
    CHECK(strstr(h, "<script") == NULL && strstr(h, "<SCRIPT") == NULL);
    CHECK(strstr(h, "&lt;script&gt;") != NULL); /* the audit detail, escaped */
    CHECK(strstr(h, "hash chain intact</span> (1 entries)") != NULL);
    char *nw = strstr(h, "id=\"new\""), *kn = strstr(h, "id=\"known\"");
    char *other = strstr(h, "id=\"other\"");
    CHECK(nw && kn && other && nw < kn && kn < other);
    /* the matched item is under known, with its match */
    char *i4 = strstr(h, "id=\"i1-4-0\""), *i2 = strstr(h, "id=\"i1-2-0\"");
    CHECK(i4 && i2 && kn && i2 < kn && i4 > kn);
    CHECK(strstr(h, "agency-set · sha1 distance 0 · category 1 (Category 1) · x&lt;y&gt;") != NULL);
    /* a.zip is not in the evidence any more: walked for, not found */
    CHECK(strstr(h, "no preview: not found again in the evidence") != NULL);
    CHECK(strstr(h, "no preview: its bytes changed since the scan") != NULL);
    CHECK(strstr(h, "<dt>camera make</dt><dd>Cam&lt;&amp;&gt;</dd>") != NULL);
    CHECK(strstr(h, "<dt>taken (EXIF)</dt><dd>2024:01:02 03:04:05</dd>") != NULL);
    CHECK(strstr(h, "<dt>GPS</dt><dd>-33.856784, 151.215297</dd>") != NULL);
    CHECK(strstr(h, "differs from the picture (PDQ distance 40)") != NULL);
    CHECK(strstr(h, "<dd class=\"bad\">payload: zip appended at 1234</dd>") != NULL);
    CHECK(strstr(h, "<dt>cluster</dt><dd>2 (its representative)</dd>") != NULL);
    CHECK(strstr(h, "<img src=\"thumbs/1-2.jpg\"") != NULL);
    free(h);
}

int main(void)
{
    size_t n;
    unsigned char *jpg = test_slurp(test_data("pdq/dih/bridge-1-original.jpg"), &n);
    char casepath[4200], r1[4200], r2[4200], r3[4200], a[4300], b[4300];
    FILE *f;

    CHECK(jpg != NULL);
    if (!jpg)
        TEST_DONE();
    snprintf(tmp, sizeof tmp, "%s", test_tmpdir());
    snprintf(pic, sizeof pic, "%s/<b>&\"x.jpg", tmp);
    snprintf(moved, sizeof moved, "%s/moved.jpg", tmp);
    snprintf(casepath, sizeof casepath, "%s/t.case", tmp);
    snprintf(r1, sizeof r1, "%s/r1", tmp);
    snprintf(r2, sizeof r2, "%s/r2", tmp);
    snprintf(r3, sizeof r3, "%s/r3", tmp);
    /* a fresh start: the case and reports of an earlier run would be refused */
    unlink(casepath);
    char cmd[3 * sizeof r1 + 32];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s'", r1, r2, r3);
    CHECK(system(cmd) == 0);
    f = fopen(pic, "wb");
    CHECK(f && fwrite(jpg, 1, n, f) == n && fclose(f) == 0);
    f = fopen(moved, "wb");
    CHECK(f && fwrite(jpg, 1, n, f) == n && fclose(f) == 0);
    make_case(casepath, jpg, n);
    /* moved.jpg changes after the scan: same size, other bytes */
    f = fopen(moved, "r+b");
    CHECK(f && fseek(f, (long)n / 2, SEEK_SET) == 0 && fputc(0x55 ^ jpg[n / 2], f) != EOF &&
          fclose(f) == 0);

    CHECK_INTEQ(report(casepath, r1, 0), VG_OK);
    CHECK_INTEQ(report(casepath, r2, 0), VG_OK);
    snprintf(a, sizeof a, "%s/thumbs", r1);
    CHECK_INTEQ(count_files(a), 2); /* items 2 and 4; not 1 (archive) nor 3 (changed) */
    const char *files[] = {"index.html", "thumbs/1-2.jpg", "thumbs/1-4.jpg"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(a, sizeof a, "%s/%s", r1, files[i]);
        snprintf(b, sizeof b, "%s/%s", r2, files[i]);
        CHECK_MSG(same_file(a, b), "%s differs between two reports", files[i]);
    }
    snprintf(a, sizeof a, "%s/index.html", r1);
    check_html(a);
    snprintf(a, sizeof a, "%s/thumbs/1-2.jpg", r1);
    check_thumb(a, jpg, n);

    /* never over an examiner's files: r1 is not empty, and stays as it was */
    CHECK_INTEQ(report(casepath, r1, 0), VG_ERR_EXISTS);
    snprintf(a, sizeof a, "%s/index.html", r1);
    snprintf(b, sizeof b, "%s/index.html", r2);
    CHECK(same_file(a, b));
    snprintf(a, sizeof a, "%s/index.html/x", r1);
    CHECK(report(casepath, a, 0) != VG_OK);

    /* --no-thumbnails: no thumbs directory at all, and the page says why */
    CHECK_INTEQ(report(casepath, r3, 1), VG_OK);
    snprintf(a, sizeof a, "%s/thumbs", r3);
    CHECK_INTEQ(count_files(a), -1);
    CHECK_INTEQ(count_files(r3), 1);
    snprintf(a, sizeof a, "%s/index.html", r3);
    char *h = slurp_str(a);
    CHECK(h && strstr(h, "no preview (--no-thumbnails)") && !strstr(h, "<img"));
    free(h);
    free(jpg);
    TEST_DONE();
}
