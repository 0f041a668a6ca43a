/* test_evidence_archive.c - archives: nested zips, tar.gz/tar.xz/7z, a raw .gz
 * stream, encrypted entries, traversal names; the hostile set: zip bomb, total
 * and entry limits, nesting beyond max_depth, a truncated archive. */
#include "arcmake.h"
#include "evtest.h"

static char dir[4200];

static const char *tmp(const char *name)
{
    static char p[8800];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void put(const char *name, int fmt, const am_entry *e, size_t n)
{
    uint8_t *b;
    size_t len;
    CHECK(am_make(fmt, e, n, &b, &len) == 0);
    CHECK(ev_write(tmp(name), b, len) == 0);
    free(b);
}

static const ev_rec *expect(const ev_log *l, const char *path, unsigned depth, const void *data,
                            size_t len)
{
    const ev_rec *r = ev_find(l, path);
    char md5[33];
    CHECK_MSG(r != NULL, "no item %s", path);
    if (!r)
        return NULL;
    CHECK_INTEQ(r->depth, depth);
    CHECK_MSG(r->status == VG_OK, "%s: %s", path, r->error);
    if (data) {
        ev_md5(data, len, md5);
        CHECK_STREQ(r->md5, md5);
        CHECK_INTEQ(r->size, len);
        CHECK_INTEQ(r->kind, VG_SRC_ARCHIVE);
    }
    return r;
}

static void nested(ev_log *l)
{
    size_t jl, il;
    uint8_t *j = ev_jpeg(80, 60, 2, &jl), *inner;
    am_entry ie[] = {{"b.jpg", j, jl}, {"deep/c.txt", "charlie\n", 8}};
    CHECK(am_make(AM_ZIP, ie, 2, &inner, &il) == 0);
    am_entry oe[] = {{"a.txt", "alpha\n", 6}, {"inner.zip", inner, il},
                     {"../../etc/evil.txt", "x", 1}, {"/abs/x.txt", "y", 1}};
    put("nested.zip", AM_ZIP, oe, 4);
    for (int pass = 0; pass < 2; pass++) {
        const ev_rec *r;
        char p[9000];
        l->stream = pass; /* loads, then streams: both expand inner.zip */
        ev_walk(tmp("nested.zip"), NULL, l);
        CHECK_INTEQ(l->n, 7);
        r = expect(l, tmp("nested.zip"), 0, NULL, 0);
        CHECK(r && r->kind == VG_SRC_FILE && (r->flags & VG_ITEM_CONTAINER));
        snprintf(p, sizeof p, "%s!/a.txt", tmp("nested.zip"));
        r = expect(l, p, 1, "alpha\n", 6);
        CHECK(r && r->mtime == 1600000000);
        CHECK(r && r->ctime == INT64_MIN); /* a zip holds none: unknown, not 1970 */
        snprintf(p, sizeof p, "%s!/inner.zip", tmp("nested.zip"));
        r = expect(l, p, 1, inner, il);
        CHECK(r && (r->flags & VG_ITEM_CONTAINER));
        snprintf(p, sizeof p, "%s!/inner.zip!/b.jpg", tmp("nested.zip"));
        expect(l, p, 2, j, jl);
        snprintf(p, sizeof p, "%s!/inner.zip!/deep/c.txt", tmp("nested.zip"));
        expect(l, p, 2, "charlie\n", 8);
        /* traversal names are recorded as given, never used on disk */
        snprintf(p, sizeof p, "%s!/../../etc/evil.txt", tmp("nested.zip"));
        r = expect(l, p, 1, "x", 1);
        CHECK(r && !strcmp(r->name, "../../etc/evil.txt"));
        snprintf(p, sizeof p, "%s!//abs/x.txt", tmp("nested.zip"));
        expect(l, p, 1, "y", 1);
        /* order: the archive, its entries in stored order, children after their container */
        CHECK(l->n == 7 && strstr(l->r[3].path, "inner.zip!/b.jpg") && strstr(l->r[5].path, "evil"));
    }
    l->stream = 0;
    free(j);
    free(inner);
}

static void formats(ev_log *l)
{
    size_t jl;
    uint8_t *j = ev_jpeg(40, 30, 3, &jl);
    am_entry e[] = {{"dir/p.jpg", j, jl}, {"q.txt", "quebec\n", 7}};
    const int fmts[] = {AM_TARGZ, AM_TARXZ, AM_7Z};
    const char *names[] = {"t.tar.gz", "t.tar.xz", "t.7z"};
    char p[9000];
    for (int i = 0; i < 3; i++) {
        put(names[i], fmts[i], e, 2);
        ev_walk(tmp(names[i]), NULL, l);
        CHECK_MSG(l->n == 3, "%s: %zu items", names[i], l->n);
        snprintf(p, sizeof p, "%s!/dir/p.jpg", tmp(names[i]));
        expect(l, p, 1, j, jl);
        snprintf(p, sizeof p, "%s!/q.txt", tmp(names[i]));
        expect(l, p, 1, "quebec\n", 7);
    }
    /* a single gzip stream: one item named after the file without .gz */
    put("photo.jpg.gz", AM_GZRAW, e, 1);
    ev_walk(tmp("photo.jpg.gz"), NULL, l);
    CHECK_INTEQ(l->n, 2);
    snprintf(p, sizeof p, "%s!/photo.jpg", tmp("photo.jpg.gz"));
    {
        const ev_rec *r = ev_find(l, p);
        char md5[33];
        ev_md5(j, jl, md5);
        CHECK_MSG(r && !strcmp(r->md5, md5), "raw gz item %s", p);
    }
    free(j);
}

static void encrypted(ev_log *l)
{
    am_entry e[] = {{"secret.txt", "top secret\n", 11}};
    uint8_t *b;
    size_t len;
    char p[9000];
    const ev_rec *r;
    if (am_make(AM_ZIPCRYPT, e, 1, &b, &len) != 0) {
        free(b);
        if (!ev_have("zip")) {
            printf("skip: no zip encryption in libarchive and no zip tool\n");
            return;
        }
        CHECK(ev_write(tmp("secret.txt"), "top secret\n", 11) == 0);
        CHECK(ev_run("cd '%s' && rm -f enc.zip && zip -q -P secret enc.zip secret.txt", dir) == 0);
    } else {
        CHECK(ev_write(tmp("enc.zip"), b, len) == 0);
        free(b);
    }
    ev_walk(tmp("enc.zip"), NULL, l);
    snprintf(p, sizeof p, "%s!/secret.txt", tmp("enc.zip"));
    r = ev_find(l, p);
    CHECK_MSG(r != NULL, "no encrypted item");
    CHECK(r && (r->flags & VG_ITEM_ENCRYPTED) && r->status == VG_ERR_ENCRYPTED);
    CHECK(r && strstr(r->error, "secret.txt") && strstr(r->error, "encrypted"));
}

static int has_error(const ev_log *l, const char *path, vg_status st, const char *words)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->r[i].path, path) && l->r[i].status == st && strstr(l->r[i].error, words))
            return 1;
    return 0;
}

static void hostile(ev_log *l)
{
    size_t zl = 40u << 20, il;
    uint8_t *zeros = calloc(1, zl), *b;
    vg_evidence_opts o;
    char p[9000];
    const ev_rec *r;
    am_entry be[] = {{"zeros.bin", zeros, zl}, {"after.txt", "z", 1}};
    put("bomb.zip", AM_ZIP, be, 2);
    ev_walk(tmp("bomb.zip"), NULL, l);
    snprintf(p, sizeof p, "%s!/zeros.bin", tmp("bomb.zip"));
    r = ev_find(l, p);
    CHECK(r && r->read_st == VG_ERR_LIMIT && strstr(r->read_err, "bomb") && strstr(r->read_err, "zeros.bin"));
    CHECK(has_error(l, tmp("bomb.zip"), VG_ERR_LIMIT, "bomb"));
    snprintf(p, sizeof p, "%s!/after.txt", tmp("bomb.zip"));
    CHECK(ev_find(l, p) == NULL); /* the rest of a bomb is not read */

    /* walk-wide limits: total bytes and entry count */
    vg_evidence_opts_default(&o);
    o.max_ratio = 0;
    o.max_total_bytes = 1u << 20;
    ev_walk(tmp("bomb.zip"), &o, l);
    CHECK(has_error(l, tmp("bomb.zip"), VG_ERR_LIMIT, "max_total_bytes"));
    vg_evidence_opts_default(&o);
    o.max_entries = 2;
    ev_walk(tmp("nested.zip"), &o, l);
    snprintf(p, sizeof p, "%s!/inner.zip", tmp("nested.zip"));
    CHECK(has_error(l, p, VG_ERR_LIMIT, "max_entries"));
    CHECK_INTEQ(l->n, 4); /* nested.zip, a.txt, inner.zip, the error, once */
    free(zeros);

    /* nesting 7 deep, limit 5: the zip at depth 5 is reported, not opened */
    {
        size_t cl = 5;
        uint8_t *cur = (uint8_t *)strdup("core\n");
        for (int i = 0; i < 7; i++) {
            am_entry ne[] = {{i ? "n.zip" : "core.txt", cur, cl}};
            CHECK(am_make(AM_ZIP, ne, 1, &b, &il) == 0);
            free(cur);
            cur = b;
            cl = il;
        }
        CHECK(ev_write(tmp("deep.zip"), cur, cl) == 0);
        free(cur);
    }
    ev_walk(tmp("deep.zip"), NULL, l);
    snprintf(p, sizeof p, "%s!/n.zip!/n.zip!/n.zip!/n.zip!/n.zip", tmp("deep.zip"));
    CHECK_MSG(has_error(l, p, VG_ERR_LIMIT, "max_depth"), "no depth error at %s", p);
    CHECK_INTEQ(l->n, 7); /* deep.zip + 5 nested zips + the error */

    /* truncated: half of nested.zip */
    {
        size_t len;
        uint8_t *full = test_slurp(tmp("nested.zip"), &len);
        CHECK(full && ev_write(tmp("trunc.zip"), full, len / 2) == 0);
        free(full);
    }
    ev_walk(tmp("trunc.zip"), NULL, l);
    {
        int reported = 0;
        for (size_t i = 0; i < l->n; i++)
            reported |= l->r[i].status != VG_OK && strstr(l->r[i].error, "trunc.zip") != NULL;
        CHECK_MSG(reported, "truncated archive not reported");
    }
}

int main(void)
{
    ev_log l = {0};
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    nested(&l);
    formats(&l);
    encrypted(&l);
    hostile(&l);
    free(l.r);
    TEST_DONE();
}
