/* evtest.h - helpers for the evidence tests: generated JPEGs (with an EXIF
 * thumbnail), MD5, files, tools run through system(), and a walk recorder. */
#ifndef VIGIL_EVTEST_H
#define VIGIL_EVTEST_H

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jpeglib.h> /* after stdio.h: it uses FILE */

#include "testutil.h"
#include "vigil/evidence.h"
#include "vigil/util.h"

/* A w x h JPEG of a pattern chosen by seed; caller frees. */
static inline uint8_t *ev_jpeg(int w, int h, int seed, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    unsigned char *out = NULL;
    unsigned long outlen = 0;
    uint8_t *row = malloc((size_t)w * 3);
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, &outlen);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 85, TRUE);
    jpeg_start_compress(&c, TRUE);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            row[x * 3] = (uint8_t)(x * 255 / w + seed * 40);
            row[x * 3 + 1] = (uint8_t)(y * 255 / h);
            row[x * 3 + 2] = (uint8_t)(((x / 16 + y / 16 + seed) & 1) ? 200 : 30);
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = outlen;
    return out;
}

static inline void put16le(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* main JPEG with an APP1 EXIF segment whose IFD1 holds thumb (a JPEG with its
 * own FFD8..FFD9) inserted after the SOI. Caller frees. */
static inline uint8_t *ev_with_thumb(const uint8_t *main_j, size_t mlen, const uint8_t *th,
                                     size_t tlen, size_t *len)
{
    /* TIFF: header 8, IFD0 (0 entries: 2+4), IFD1 (2 entries: 2+24+4), thumb */
    size_t tiff = 8 + 6 + 30 + tlen, seg = 2 + 6 + tiff;
    uint8_t *o = malloc(mlen + 2 + seg), *t;
    memcpy(o, main_j, 2);
    o[2] = 0xFF, o[3] = 0xE1, o[4] = (uint8_t)(seg >> 8), o[5] = (uint8_t)seg;
    memcpy(o + 6, "Exif\0\0", 6);
    t = o + 12;
    memcpy(t, "II*\0", 4);
    put32le(t + 4, 8);
    put16le(t + 8, 0);
    put32le(t + 10, 14);
    put16le(t + 14, 2);
    put16le(t + 16, 0x0201), put16le(t + 18, 4), put32le(t + 20, 1), put32le(t + 24, 44);
    put16le(t + 28, 0x0202), put16le(t + 30, 4), put32le(t + 32, 1), put32le(t + 36, (uint32_t)tlen);
    put32le(t + 40, 0);
    memcpy(t + 44, th, tlen);
    memcpy(o + 2 + 2 + seg, main_j + 2, mlen - 2);
    *len = mlen + 2 + seg;
    return o;
}

static inline void ev_md5(const void *buf, size_t len, char hex[33])
{
    uint8_t d[16];
    unsigned n = 16;
    EVP_Digest(buf, len, d, &n, EVP_md5(), NULL);
    vg_hex_encode(d, 16, hex);
}

static inline int ev_write(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(buf, 1, len, f) == len;
    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

/* Writes buf at byte offset off of an existing file (dd conv=notrunc). */
static inline int ev_patch(const char *path, long off, const void *buf, size_t len)
{
    FILE *f = fopen(path, "r+b");
    int ok = f && fseek(f, off, SEEK_SET) == 0 && fwrite(buf, 1, len, f) == len;
    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

/* Runs a shell command; 0 on exit status 0. The command is printed on failure. */
static inline int ev_run(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    int rc;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
    return rc == 0 ? 0 : -1;
}

static inline int ev_have(const char *tool)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* One recorded item. */
typedef struct ev_rec {
    char path[1024];
    char name[1024];
    vg_source_kind kind;
    vg_item_type type;
    uint32_t flags;
    unsigned depth;
    int64_t offset;
    uint64_t size, meta;
    int64_t mtime, ctime;
    vg_status status;
    char error[512];
    char md5[33];     /* of the bytes read ("" when not read) */
    uint64_t read_len;
    vg_status read_st;
    char read_err[512];
    char link[256];
} ev_rec;

typedef struct ev_log {
    ev_rec *r;
    size_t n, cap;
    int stream; /* read with vg_item_read instead of vg_item_load */
} ev_log;

static inline vg_walk_ret ev_record(vg_item *it, void *ctx)
{
    ev_log *l = ctx;
    ev_rec *r;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->r = realloc(l->r, l->cap * sizeof *l->r);
    }
    r = &l->r[l->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", it->path);
    snprintf(r->name, sizeof r->name, "%s", it->name);
    snprintf(r->error, sizeof r->error, "%s", it->error);
    if (it->link_target)
        snprintf(r->link, sizeof r->link, "%s", it->link_target);
    r->kind = it->kind, r->type = it->type, r->flags = it->flags, r->depth = it->depth;
    r->offset = it->offset, r->size = it->size, r->meta = it->meta_addr, r->status = it->status;
    r->mtime = it->mtime;
    r->ctime = it->ctime;
    if (it->type == VG_ITEM_REG && it->status == VG_OK) {
        vg_error e = {0};
        if (l->stream) {
            EVP_MD_CTX *md = EVP_MD_CTX_new();
            uint8_t buf[7000], d[16];
            size_t got;
            EVP_DigestInit_ex(md, EVP_md5(), NULL);
            while ((r->read_st = vg_item_read(it, buf, sizeof buf, &got, &e)) == VG_OK && got) {
                EVP_DigestUpdate(md, buf, got);
                r->read_len += got;
            }
            EVP_DigestFinal_ex(md, d, NULL);
            EVP_MD_CTX_free(md);
            if (!r->read_st)
                vg_hex_encode(d, 16, r->md5);
        } else {
            const uint8_t *data;
            size_t len;
            r->read_st = vg_item_load(it, &data, &len, &e);
            if (!r->read_st) {
                ev_md5(data, len, r->md5);
                r->read_len = len;
            }
        }
        snprintf(r->read_err, sizeof r->read_err, "%s", e.msg);
    }
    return VG_WALK_CONTINUE;
}

static inline const ev_rec *ev_find(const ev_log *l, const char *path)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->r[i].path, path) == 0)
            return &l->r[i];
    return NULL;
}

static inline void ev_dump(const ev_log *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char fl[128];
        vg_item_flags_str(l->r[i].flags, fl, sizeof fl);
        fprintf(stderr, "  [%s] %s type=%d flags=%s off=%lld size=%llu md5=%s st=%d %s %s\n",
                vg_source_kind_name(l->r[i].kind), l->r[i].path, l->r[i].type, fl,
                (long long)l->r[i].offset, (unsigned long long)l->r[i].size, l->r[i].md5,
                l->r[i].status, l->r[i].error, l->r[i].read_err);
    }
}

static inline void ev_walk(const char *path, const vg_evidence_opts *o, ev_log *l)
{
    vg_error e = {0};
    vg_status st;
    l->n = 0;
    st = vg_evidence_walk(path, o, ev_record, l, &e);
    CHECK_MSG(st == VG_OK, "walk %s: %s", path, e.msg);
    if (getenv("EV_DUMP"))
        ev_dump(l);
}

#endif
