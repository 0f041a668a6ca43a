/* structural.c - dispatches the format walkers, reports appended data and
 * runs the polyglot search over the image's own extent. */
#include "steg_int.h"

typedef int (*walker)(const uint8_t *, size_t, vg_steg_findings *, size_t *);

vg_status vg_steg_structural(const uint8_t *buf, size_t len, vg_steg_findings *out,
                             vg_error *err)
{
    if (!out || (!buf && len))
        return vg_errorf(err, VG_ERR_ARG, "vg_steg_structural: NULL argument");
    if (len == 0)
        return VG_OK;
    static const struct {
        vg_image_type t;
        walker w;
        const char *end;
    } walkers[] = {
        {VG_IMAGE_JPEG, vgi_steg_jpeg_walk, "the JPEG EOI"},
        {VG_IMAGE_PNG, vgi_steg_png_walk, "the PNG IEND chunk"},
        {VG_IMAGE_GIF, vgi_steg_gif_walk, "the GIF trailer"},
        {VG_IMAGE_BMP, vgi_steg_bmp_walk, "the BMP's declared size"},
        {VG_IMAGE_WEBP, vgi_steg_webp_walk, "the WebP RIFF size"},
    };
    vg_image_type t = vg_image_identify(buf, len);
    size_t end = 0;
    const char *what = NULL;
    for (size_t i = 0; i < sizeof walkers / sizeof walkers[0]; i++) {
        if (walkers[i].t != t)
            continue;
        if (walkers[i].w(buf, len, out, &end) < 0)
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory in the %s walker",
                             vg_image_type_name(t));
        what = walkers[i].end;
    }
    if (what && vgi_steg_trailer(out, buf, len, end, what) < 0)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    if (vgi_steg_polyglot(buf, end ? end : len, out) < 0)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    return VG_OK;
}
