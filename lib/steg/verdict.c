/* verdict.c - vg_steg_analyse: decode, run every detector that applies and
 * combine them into clean / suspicious / payload. */
#include <stdio.h>
#include <string.h>

#include "steg_int.h"

const char *vg_steg_verdict_name(vg_steg_verdict v)
{
    switch (v) {
    case VG_STEG_CLEAN: return "clean";
    case VG_STEG_SUSPICIOUS: return "suspicious";
    case VG_STEG_PAYLOAD: return "payload";
    }
    return "unknown";
}

void vg_steg_report_free(vg_steg_report *r)
{
    if (r)
        vg_steg_findings_free(&r->found);
}

/* Lossless WebP is VP8L; lossy VP8 pixels carry no LSB statistics. */
static int webp_lossless(const uint8_t *b, size_t n)
{
    for (size_t p = 12; p + 8 <= n && p < 4096;) {
        if (memcmp(b + p, "VP8L", 4) == 0)
            return 1;
        if (memcmp(b + p, "VP8 ", 4) == 0)
            return 0;
        uint64_t len = vgi_le32(b + p + 4);
        p += 8 + (size_t)len + (len & 1);
    }
    return 0;
}

static int lsb_type(vg_image_type t, const uint8_t *b, size_t n)
{
    return t == VG_IMAGE_PNG || t == VG_IMAGE_BMP || t == VG_IMAGE_TIFF ||
           (t == VG_IMAGE_WEBP && webp_lossless(b, n));
}

static void suspect(vg_steg_report *r, const char *det, double score, double thr)
{
    if (score <= thr || r->verdict != VG_STEG_CLEAN)
        return;
    r->verdict = VG_STEG_SUSPICIOUS;
    snprintf(r->reason, sizeof r->reason, "%s %.3f > %.3f", det, score, thr);
}

/* Fewer appended bytes than this are odd but hold no file worth extracting
 * (old GIF writers leave a few stray bytes after the trailer). */
#define MIN_PAYLOAD 16

static void structural_verdict(vg_steg_report *r)
{
    for (size_t i = 0; i < r->found.n; i++) {
        const vg_steg_finding *f = &r->found.v[i];
        if (f->kind == VG_STEG_SEGMENT || (f->kind == VG_STEG_APPENDED && f->length < MIN_PAYLOAD))
            continue;
        r->verdict = VG_STEG_PAYLOAD;
        snprintf(r->reason, sizeof r->reason, "%s (%s, offset %llu, %llu bytes)", f->detail,
                 f->type, (unsigned long long)f->offset, (unsigned long long)f->length);
        return;
    }
    if (r->found.n) {
        r->verdict = VG_STEG_SUSPICIOUS;
        snprintf(r->reason, sizeof r->reason, "%s", r->found.v[0].detail);
    }
}

static vg_status run_lsb(const uint8_t *buf, size_t len, const vg_limits *lim,
                         vg_steg_report *r, vg_error *err)
{
    vg_decode_opts o;
    memset(&o, 0, sizeof o);
    o.limits = lim;
    vg_image img;
    vg_error e2;
    r->decode_status = vg_image_decode(buf, len, &o, &img, &e2);
    if (r->decode_status)
        return r->decode_status == VG_ERR_NOMEM ? vg_errorf(err, VG_ERR_NOMEM, "%s", e2.msg)
                                                : VG_OK;
    vg_steg_pixels px = {img.pixels, img.pix_width, img.pix_height, img.channels, img.stride};
    vg_status st = vg_steg_lsb_analyse(&px, &r->lsb, err);
    vg_image_free(&img);
    if (st)
        return st;
    r->has_lsb = 1;
    if (r->lsb.image_na == VG_STEG_ANALYSABLE) {
        suspect(r, "WS mean", r->lsb.ws_mean, VG_STEG_T_WS);
        suspect(r, "WS in one channel", r->lsb.ws_max, VG_STEG_T_CHANNEL);
    }
    return VG_OK;
}

static vg_status run_jpeg(const uint8_t *buf, size_t len, const vg_limits *lim,
                          vg_steg_report *r, vg_error *err)
{
    vg_error e2;
    r->decode_status = vg_steg_jpeg_stats(buf, len, lim, &r->jpeg, &e2);
    if (r->decode_status)
        return r->decode_status == VG_ERR_NOMEM ? vg_errorf(err, VG_ERR_NOMEM, "%s", e2.msg)
                                                : VG_OK;
    r->has_jpeg = 1;
    suspect(r, "jsteg chi-square prefix", r->jpeg.jsteg_prefix, VG_STEG_T_JSTEG);
    suspect(r, "F5 calibration beta", r->jpeg.f5_beta, VG_STEG_T_F5);
    suspect(r, "calibrated blockiness", r->jpeg.calib_block, VG_STEG_T_BLOCK);
    return VG_OK;
}

vg_status vg_steg_analyse(const uint8_t *buf, size_t len, const vg_limits *limits,
                          vg_steg_report *out, vg_error *err)
{
    if (!out || (!buf && len))
        return vg_errorf(err, VG_ERR_ARG, "vg_steg_analyse: NULL argument");
    memset(out, 0, sizeof *out);
    snprintf(out->reason, sizeof out->reason, "no detector over its threshold");
    out->type = vg_image_identify(buf, len);
    vg_status st = vg_steg_structural(buf, len, &out->found, err);
    if (st)
        return st;
    structural_verdict(out);
    if (lsb_type(out->type, buf, len))
        st = run_lsb(buf, len, limits, out, err);
    else if (out->type == VG_IMAGE_JPEG)
        st = run_jpeg(buf, len, limits, out, err);
    return st;
}
