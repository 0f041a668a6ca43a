/* test_jpeg.c - lib/image/jpeg.c on files made here with libjpeg's encoder:
 * every coding process decodes to the same pixels, and broken or hostile
 * files fail with the right status, silently. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <jpeglib.h>

#include "testutil.h"
#include "vigil/image.h"

typedef struct enc {
    int progressive, arith, quality;
    int samp[2]; /* h, v sampling factors of component 0 (others 1x1); 0: default */
    J_COLOR_SPACE in_space, jpeg_space; /* jpeg_space JCS_UNKNOWN: libjpeg's default */
    const uint8_t *exif;                /* APP1 payload, or NULL */
    unsigned exif_len;
} enc;

/* Fixed-seed test picture: gradients, a few bars and some noise, so that
 * every DCT coefficient band carries something. */
static uint8_t *picture(uint32_t w, uint32_t h, int comps)
{
    uint8_t *p = malloc((size_t)w * h * (size_t)comps);
    uint32_t seed = 12345;

    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (int c = 0; c < comps; c++) {
                seed = seed * 1103515245u + 12345u;
                unsigned v = (x * 255 / w + y * (c + 1) * 97 / h + ((x / 13 + y / 7) % 3) * 40 +
                              (seed >> 27)) % 256;
                p[((size_t)y * w + x) * (size_t)comps + (size_t)c] = (uint8_t)v;
            }
    return p;
}

/* Compresses w x h pixels of comps samples into a malloc'd JPEG. */
static uint8_t *encode(const uint8_t *px, uint32_t w, uint32_t h, int comps, const enc *e,
                       size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    unsigned char *out = NULL;
    unsigned long n = 0;

    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &n);
    c.image_width = w;
    c.image_height = h;
    c.input_components = comps;
    c.in_color_space = e->in_space;
    jpeg_set_defaults(&c);
    if (e->jpeg_space != JCS_UNKNOWN)
        jpeg_set_colorspace(&c, e->jpeg_space);
    jpeg_set_quality(&c, e->quality ? e->quality : 90, TRUE);
    if (e->samp[0]) {
        c.comp_info[0].h_samp_factor = e->samp[0];
        c.comp_info[0].v_samp_factor = e->samp[1];
    }
    if (e->progressive)
        jpeg_simple_progression(&c);
    c.arith_code = e->arith ? TRUE : FALSE;
    jpeg_start_compress(&c, TRUE);
    if (e->exif) {
        /* an XMP segment first, as cameras and editors often write */
        static const char xmp[] = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>";
        jpeg_write_marker(&c, JPEG_APP0 + 1, (const JOCTET *)xmp, sizeof xmp);
        jpeg_write_marker(&c, JPEG_APP0 + 1, e->exif, e->exif_len);
    }
    while (c.next_scanline < h) {
        JSAMPROW row = (JSAMPROW)(px + (size_t)c.next_scanline * w * (size_t)comps);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *len = n;
    return out;
}

static vg_status decode(const uint8_t *buf, size_t len, const vg_decode_opts *o, vg_image *img,
                        vg_error *err)
{
    vg_error_clear(err);
    return vg_image_decode(buf, len, o, img, err);
}

static uint8_t *rgb_jpeg(uint32_t w, uint32_t h, const enc *e, size_t *len)
{
    uint8_t *px = picture(w, h, 3), *j = encode(px, w, h, 3, e, len);
    free(px);
    return j;
}

static int same_pixels(const vg_image *a, const vg_image *b)
{
    return a->pix_width == b->pix_width && a->pix_height == b->pix_height &&
           a->channels == b->channels && a->stride == b->stride &&
           memcmp(a->pixels, b->pixels, a->stride * a->pix_height) == 0;
}

/* Progressive and arithmetic coding carry the same quantised coefficients
 * as baseline, so the decoded pixels must be identical. */
static void test_coding_processes(void)
{
    enc base = {.in_space = JCS_RGB}, prog = base, arith = base, both = base;
    size_t lb, lp, la, l2;
    uint8_t *jb = rgb_jpeg(333, 211, &base, &lb);
    vg_image ib, ip, ia, i2;
    vg_error err;

    prog.progressive = 1;
    arith.arith = 1;
    both.progressive = both.arith = 1;
    uint8_t *jp = rgb_jpeg(333, 211, &prog, &lp), *ja = rgb_jpeg(333, 211, &arith, &la),
            *j2 = rgb_jpeg(333, 211, &both, &l2);
    CHECK(decode(jb, lb, NULL, &ib, &err) == VG_OK);
    CHECK_INTEQ(ib.type, VG_IMAGE_JPEG);
    CHECK_INTEQ(ib.width, 333);
    CHECK_INTEQ(ib.height, 211);
    CHECK_INTEQ(ib.channels, 3);
    CHECK_MSG(decode(jp, lp, NULL, &ip, &err) == VG_OK, "%s", err.msg);
    CHECK_MSG(decode(ja, la, NULL, &ia, &err) == VG_OK, "%s", err.msg);
    CHECK_MSG(decode(j2, l2, NULL, &i2, &err) == VG_OK, "%s", err.msg);
    CHECK(same_pixels(&ib, &ip));
    CHECK(same_pixels(&ib, &ia));
    CHECK(same_pixels(&ib, &i2));
    vg_image_free(&ib);
    vg_image_free(&ip);
    vg_image_free(&ia);
    vg_image_free(&i2);
    free(jb);
    free(jp);
    free(ja);
    free(j2);
}

/* The sink's pre-shrink (which skips rows it does not sample where libjpeg
 * allows it) must pick exactly the pixels a full decode has at
 * floor(x * W / 512), floor(y * H / 512), for every sampling layout, coding
 * process and output: jpeg_skip_scanlines in libjpeg-turbo 2.1.5 returns rows
 * two lines early when one component with vertical sampling 2 is decoded
 * alone (grey 2x2 files; the Y plane of 4:2:0), which jpeg.c avoids. */
static void test_shrink_matches_full_decode(void)
{
    static const uint32_t sizes[][2] = {{1000, 3001}, {2049, 700}, {600, 513}, {513, 1800}};
    static const struct {
        int comps, h, v, progressive, arith, grey_out;
    } layouts[] = {
        {3, 2, 2, 0, 0, 0}, {3, 1, 1, 0, 0, 0}, {3, 2, 1, 0, 0, 0}, {3, 1, 2, 0, 0, 0},
        {3, 2, 2, 1, 0, 0}, {3, 2, 2, 0, 1, 0}, {3, 4, 1, 0, 0, 0}, {3, 2, 2, 0, 0, 1},
        {3, 1, 2, 1, 0, 1}, {1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 0, 0}, {1, 2, 2, 0, 0, 0},
        {1, 2, 2, 1, 0, 0}, {1, 1, 2, 0, 0, 0}, {3, 1, 1, 0, 0, 1}, {3, 2, 1, 1, 0, 1},
    };

    for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++)
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            uint32_t w = sizes[k][0], h = sizes[k][1];
            int ch = layouts[l].comps, och = layouts[l].grey_out ? 1 : ch;
            enc e = {.in_space = ch == 3 ? JCS_RGB : JCS_GRAYSCALE,
                     .samp = {layouts[l].h, layouts[l].v},
                     .progressive = layouts[l].progressive,
                     .arith = layouts[l].arith};
            size_t len;
            uint8_t *px = picture(w, h, ch), *j = encode(px, w, h, ch, &e, &len);
            vg_decode_opts o = {.pdq_side = 512, .grey = layouts[l].grey_out};
            vg_decode_opts f = {.grey = layouts[l].grey_out};
            vg_image full, small;
            vg_error err;
            int bad = 0;

            CHECK(decode(j, len, &f, &full, &err) == VG_OK);
            CHECK(decode(j, len, &o, &small, &err) == VG_OK);
            CHECK_INTEQ(small.pix_width, 512);
            CHECK_INTEQ(small.pix_height, 512);
            CHECK_INTEQ(small.channels, och);
            for (uint32_t y = 0; y < 512 && full.pixels && small.pixels; y++)
                for (uint32_t x = 0; x < 512; x++) {
                    const uint8_t *a = small.pixels + y * small.stride + x * (size_t)och;
                    const uint8_t *b = full.pixels +
                                       (size_t)(y * (uint64_t)h / 512) * full.stride +
                                       (size_t)(x * (uint64_t)w / 512) * (size_t)och;
                    bad += memcmp(a, b, (size_t)och) != 0;
                }
            CHECK_MSG(bad == 0, "%ux%u, %d comps %dx%d prog %d arith %d grey %d: %d pixels differ",
                      w, h, ch, layouts[l].h, layouts[l].v, layouts[l].progressive,
                      layouts[l].arith, layouts[l].grey_out, bad);
            vg_image_free(&full);
            vg_image_free(&small);
            free(px);
            free(j);
        }
}

/* Decoded pixel (x, y) of img is within tol of r, g, b. */
static int near_rgb(const vg_image *img, uint32_t x, uint32_t y, int r, int g, int b, int tol)
{
    const uint8_t *p = img->pixels + y * img->stride + x * 3;
    return abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
}

/* libjpeg, like Photoshop, writes CMYK with an Adobe marker and inverted
 * values (255 = no ink): left half "magenta ink only", right half "cyan ink
 * and 50 % black". Both colour spaces CMYK and YCCK. */
static void test_cmyk(void)
{
    const J_COLOR_SPACE spaces[] = {JCS_CMYK, JCS_YCCK};
    uint32_t w = 64, h = 32;
    uint8_t *px = malloc((size_t)w * h * 4);

    for (uint32_t i = 0; i < w * h; i++) {
        static const uint8_t left[4] = {255, 0, 255, 255}, right[4] = {0, 255, 255, 128};
        memcpy(px + i * 4, i % w < w / 2 ? left : right, 4);
    }
    for (int s = 0; s < 2; s++) {
        enc e = {.in_space = JCS_CMYK, .jpeg_space = spaces[s], .quality = 95};
        size_t len;
        uint8_t *j = encode(px, w, h, 4, &e, &len);
        vg_image img;
        vg_error err;
        CHECK_MSG(decode(j, len, NULL, &img, &err) == VG_OK, "%s", err.msg);
        CHECK_INTEQ(img.channels, 3);
        CHECK_MSG(img.pixels && near_rgb(&img, 8, 16, 255, 0, 255, 6), "space %d left", s);
        CHECK_MSG(img.pixels && near_rgb(&img, 56, 16, 0, 128, 128, 6), "space %d right", s);
        vg_image_free(&img);
        free(j);
    }
    free(px);
}

/* A grey JPEG stays one channel; opts.grey on a colour JPEG gives its Y. */
static void test_grey(void)
{
    uint8_t *px = picture(100, 80, 1);
    enc e = {.in_space = JCS_GRAYSCALE}, c = {.in_space = JCS_RGB};
    size_t len, clen;
    uint8_t *j = encode(px, 100, 80, 1, &e, &len), *cj = rgb_jpeg(100, 80, &c, &clen);
    vg_decode_opts grey = {.grey = 1};
    vg_image img, y;
    vg_error err;

    CHECK(decode(j, len, NULL, &img, &err) == VG_OK);
    CHECK_INTEQ(img.channels, 1);
    CHECK_INTEQ(img.stride, 100);
    CHECK(decode(cj, clen, &grey, &y, &err) == VG_OK);
    CHECK_INTEQ(y.channels, 1);
    CHECK_INTEQ(y.pix_width, 100);
    vg_image_free(&img);
    vg_image_free(&y);
    free(px);
    free(j);
    free(cj);
}

static void test_scaling_and_header(void)
{
    enc e = {.in_space = JCS_RGB};
    size_t len;
    uint8_t *j = rgb_jpeg(800, 600, &e, &len);
    vg_decode_opts eighth = {.scale_denom = 8}, head = {.header_only = 1};
    vg_image img;
    vg_error err;

    CHECK(decode(j, len, &eighth, &img, &err) == VG_OK);
    CHECK_INTEQ(img.width, 800);
    CHECK_INTEQ(img.pix_width, 100);
    CHECK_INTEQ(img.pix_height, 75);
    vg_image_free(&img);
    CHECK(decode(j, len, &head, &img, &err) == VG_OK);
    CHECK_INTEQ(img.height, 600);
    CHECK(img.pixels == NULL);
    free(j);
}

/* Under the PDQ pre-shrink scale_denom is a ceiling: the decoder takes the
 * largest denominator keeping both sides >= 512. 1000x700 cannot be halved
 * (500 < 512), 2100x1100 can once (1050x550) but not twice. */
static void test_scale_ceiling(void)
{
    static const struct {
        uint32_t w, h;
        int denom;
    } cases[] = {{1000, 700, 1}, {2100, 1100, 2}, {4200, 2200, 4}};
    enc e = {.in_space = JCS_RGB};

    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t len;
        uint8_t *j = rgb_jpeg(cases[k].w, cases[k].h, &e, &len);
        vg_decode_opts ceil8 = {.pdq_side = 512, .scale_denom = 8, .grey = 1};
        vg_decode_opts fixed = {.pdq_side = 512, .scale_denom = cases[k].denom, .grey = 1};
        vg_image a, b;
        vg_error err;
        CHECK(decode(j, len, &ceil8, &a, &err) == VG_OK);
        CHECK(decode(j, len, &fixed, &b, &err) == VG_OK);
        CHECK_MSG(same_pixels(&a, &b), "%ux%u not decoded at 1/%d", cases[k].w, cases[k].h,
                  cases[k].denom);
        CHECK_INTEQ(a.pix_width, 512);
        vg_image_free(&a);
        vg_image_free(&b);
        free(j);
    }
}

/* A little-endian TIFF block with one IFD0 entry: Orientation = 6. */
static void test_exif_orientation(void)
{
    static const uint8_t exif[] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0,
                                   1, 0, 0x12, 1, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0};
    enc e = {.in_space = JCS_RGB, .exif = exif, .exif_len = sizeof exif};
    size_t len;
    uint8_t *j = rgb_jpeg(40, 30, &e, &len);
    vg_image img;
    vg_error err;

    CHECK(decode(j, len, NULL, &img, &err) == VG_OK);
    CHECK_INTEQ(img.orientation, 6);
    vg_image_free(&img);
    /* the file cut inside the EXIF segment */
    for (size_t i = 2; i + 6 < len; i++)
        if (memcmp(j + i, "Exif", 4) == 0) {
            CHECK_INTEQ(decode(j, i + 10, NULL, &img, &err), VG_ERR_TRUNCATED);
            break;
        }
    free(j);
}

/* Runs decode with stderr sent to a file; returns the bytes written there. */
static long quiet_decode(const uint8_t *buf, size_t len, vg_status *st, vg_error *err)
{
    char path[4200];
    vg_image img;
    long n;
    int saved = dup(2);
    FILE *f;

    snprintf(path, sizeof path, "%s/stderr.txt", test_tmpdir());
    f = fopen(path, "w+");
    if (!f || saved < 0)
        return -1;
    fflush(stderr);
    dup2(fileno(f), 2);
    *st = decode(buf, len, NULL, &img, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fclose(f);
    vg_image_free(&img);
    return n;
}

static size_t find_marker(const uint8_t *j, size_t len, uint8_t m)
{
    for (size_t i = 2; i + 1 < len; i++)
        if (j[i] == 0xff && j[i + 1] == m)
            return i;
    return 0;
}

static void test_broken_files(void)
{
    enc e = {.in_space = JCS_RGB};
    size_t len, sos;
    uint8_t *j = rgb_jpeg(200, 150, &e, &len);
    uint8_t garbage[600];
    uint32_t seed = 7;
    vg_status st;
    vg_error err;

    /* cut in the middle of the entropy-coded data */
    CHECK_INTEQ(quiet_decode(j, len / 2, &st, &err), 0);
    CHECK_MSG(st == VG_ERR_TRUNCATED, "%d %s", st, err.msg);
    /* cut inside the header */
    CHECK_INTEQ(quiet_decode(j, 40, &st, &err), 0);
    CHECK_MSG(st == VG_ERR_TRUNCATED, "%d %s", st, err.msg);

    /* SOI, then noise */
    garbage[0] = 0xff;
    garbage[1] = 0xd8;
    garbage[2] = 0xff;
    for (size_t i = 3; i < sizeof garbage; i++) {
        seed = seed * 1103515245u + 12345u;
        garbage[i] = (uint8_t)(seed >> 24);
    }
    CHECK_INTEQ(quiet_decode(garbage, sizeof garbage, &st, &err), 0);
    CHECK_MSG(st == VG_ERR_CORRUPT, "%d %s", st, err.msg);

    /* flipped bytes in the scan data decode with warnings, which stay quiet */
    sos = find_marker(j, len, 0xda);
    CHECK(sos > 0);
    for (size_t i = sos + 40; i < len - 10; i += 97)
        j[i] = j[i] == 0xff ? 0x00 : (uint8_t)(j[i] ^ 0x5a);
    CHECK_INTEQ(quiet_decode(j, len, &st, &err), 0);
    CHECK_MSG(st == VG_OK, "%d %s", st, err.msg);
    free(j);
}

/* SOF claiming 65000 x 65000: refused from the header alone. */
static void test_huge_header(void)
{
    enc e = {.in_space = JCS_RGB};
    size_t len, sof;
    uint8_t *j = rgb_jpeg(16, 16, &e, &len);
    vg_image img;
    vg_error err;

    sof = find_marker(j, len, 0xc0);
    CHECK(sof > 0);
    j[sof + 5] = j[sof + 7] = 65000 >> 8;
    j[sof + 6] = j[sof + 8] = 65000 & 0xff;
    CHECK_INTEQ(decode(j, len, NULL, &img, &err), VG_ERR_LIMIT_PIXELS);
    CHECK(img.pixels == NULL);
    CHECK(strstr(err.msg, "65000") != NULL);
    free(j);
}

/* A progressive file whose last scan is repeated 600 times: each repeat
 * would cost a pass over every coefficient; the scan cap stops it. */
static void test_scan_flood(void)
{
    enc e = {.in_space = JCS_RGB, .progressive = 1};
    size_t len, last = 0, out_len;
    uint8_t *j = rgb_jpeg(64, 64, &e, &len), *big;
    vg_image img;
    vg_error err;

    for (size_t i = 2; i + 1 < len; i++)
        if (j[i] == 0xff && j[i + 1] == 0xda)
            last = i;
    CHECK(last > 0 && len > last + 2);
    size_t scan = len - 2 - last; /* SOS .. just before EOI */
    big = malloc(last + scan * 600 + 2);
    memcpy(big, j, last);
    out_len = last;
    for (int k = 0; k < 600; k++, out_len += scan)
        memcpy(big + out_len, j + last, scan);
    big[out_len++] = 0xff;
    big[out_len++] = 0xd9;
    CHECK_INTEQ(decode(big, out_len, NULL, &img, &err), VG_ERR_LIMIT);
    CHECK(strstr(err.msg, "scans") != NULL);
    /* the same flood with 100 repeats is within the cap and decodes */
    memcpy(big + last + scan * 100, "\xff\xd9", 2);
    CHECK_MSG(decode(big, last + scan * 100 + 2, NULL, &img, &err) == VG_OK, "%s", err.msg);
    vg_image_free(&img);
    free(big);
    free(j);
}

static void test_limits(void)
{
    enc e = {.in_space = JCS_RGB};
    size_t len;
    uint8_t *j = rgb_jpeg(100, 100, &e, &len);
    vg_limits lim = {.max_pixels = 9999};
    vg_decode_opts o = {.limits = &lim};
    vg_image img;
    vg_error err;

    CHECK_INTEQ(decode(j, len, &o, &img, &err), VG_ERR_LIMIT_PIXELS);
    lim.max_pixels = 10000;
    CHECK_INTEQ(decode(j, len, &o, &img, &err), VG_OK);
    vg_image_free(&img);
    free(j);
}

int main(void)
{
    test_coding_processes();
    test_shrink_matches_full_decode();
    test_cmyk();
    test_grey();
    test_scaling_and_header();
    test_scale_ceiling();
    test_exif_orientation();
    test_broken_files();
    test_huge_header();
    test_scan_flood();
    test_limits();
    TEST_DONE();
}
