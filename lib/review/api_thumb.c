/* api_thumb.c - GET /api/thumb/ID: the blurred grey preview, or the clear
 * colour one only when the request says reveal=1. A preview that cannot be
 * blurred is refused, never shown clear instead. */
#include <stdlib.h>

#include "review_int.h"
#include "vigil/thumb.h"

void vgi_api_thumb(vg_review *r, int64_t id, int reveal, vgi_reply *out)
{
    vg_thumb_opts o = {VG_THUMB_SIDE, 1, 1, 0, NULL, 0}; /* stored: already upright */
    uint8_t *jpeg = NULL, *blurred = NULL;
    size_t len = 0, blen = 0;
    vg_error err;
    vg_status st;

    pthread_mutex_lock(&r->store_mu);
    st = vg_store_thumb_get(r->store, id, &jpeg, &len, &err);
    pthread_mutex_unlock(&r->store_mu);
    if (st == VG_ERR_NOTFOUND) {
        vgi_rv_error(out, 404, "no preview of item %lld", (long long)id);
        return;
    }
    if (st != VG_OK) {
        vgi_rv_error(out, 500, "%s", err.msg);
        return;
    }
    if (!reveal) {
        st = vg_thumb_make(jpeg, len, &o, &blurred, &blen, &err);
        free(jpeg);
        if (st != VG_OK) {
            vgi_rv_error(out, 500, "the preview of item %lld cannot be blurred: %s",
                            (long long)id, err.msg);
            return;
        }
        jpeg = blurred;
        len = blen;
    }
    free(out->body);
    out->status = 200;
    out->body = (char *)jpeg;
    out->len = len;
    out->ctype = "image/jpeg";
}
