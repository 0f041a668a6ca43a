/* item_rec.h - a plain file item for the store tests: path in buf
 * ("ev/item<seq><ext>"), no times, digests present but zero, status ok.
 * Callers set what their test is about. */
#ifndef VIGIL_TEST_ITEM_REC_H
#define VIGIL_TEST_ITEM_REC_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vigil/store.h"

static inline void item_rec_init(vg_item_rec *r, int64_t ev, uint64_t seq, const char *ext,
                                 char *buf, size_t cap)
{
    memset(r, 0, sizeof *r);
    snprintf(buf, cap, "ev/item%llu%s", (unsigned long long)seq, ext);
    r->evidence_id = ev;
    r->seq = seq;
    r->path = buf;
    r->name = buf + 3;
    r->source = "file";
    r->item_type = "file";
    r->flags = "";
    r->offset = -1;
    r->mtime = r->atime = r->ctime = r->crtime = INT64_MIN;
    r->have_digests = 1;
    r->status = "ok";
    r->thumb_distance = -1;
}

#endif
