/* html_thumb.c - the report's previews: vg_thumb_make, grey and blurred,
 * always. There is deliberately no unblurred variant here: the report is read
 * without choosing to see a picture. */
#include "vigil/report.h"
#include "vigil/thumb.h"

vg_status vg_report_thumbnail(const uint8_t *buf, size_t len, const vg_limits *lim,
                              uint8_t **jpeg, size_t *jpeg_len, vg_error *err)
{
    vg_thumb_opts o = {VG_THUMB_SIDE, 1, 1, 60, lim, 1};
    return vg_thumb_make(buf, len, &o, jpeg, jpeg_len, err);
}
