/* exact_grow.c - sizing and rehashing the exact index's tables. */
#include <stdlib.h>

#include "exact_int.h"
#include "index_int.h"

#define MIN_CAP 1024

void vgi_exact_table_init(vgi_exact_table *t, vg_digest_kind k)
{
    memset(t, 0, sizeof *t);
    t->len = vg_digest_kind_len(k);
    t->stride = 8 + (t->len + 7) / 8 * 8;
}

void vgi_exact_table_free(vgi_exact_table *t)
{
    if (!t->mapped)
        free(t->slots);
    t->mapped = 0;
    free(t->ctrl);
    t->slots = NULL;
    t->ctrl = NULL;
    t->cap = t->count = t->deleted = 0;
}

static void reinsert(const vg_exact_index *x, vgi_exact_table *t, const uint8_t *slot)
{
    size_t mask = t->cap - 1;
    uint64_t h = vgi_exact_hash(x, vgi_exact_fp(slot + 8));
    size_t i = vgi_exact_home(t, h);
    while (t->ctrl[i] != VGI_CTRL_EMPTY)
        i = (i + 1) & mask;
    memcpy(t->slots + i * t->stride, slot, t->stride);
    t->ctrl[i] = vgi_exact_ctrl(h);
}

VGI_NO_COVERAGE int vgi_exact_fill_ctrl(const vg_exact_index *x, vgi_exact_table *t,
                                        size_t *live, size_t *deleted)
{
    *live = *deleted = 0;
    if (t->cap == 0)
        return 0;
    if (!(t->ctrl = vgi_big_alloc(t->cap, 0)))
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        uint64_t tag = vgi_exact_tag(t, i);
        const uint8_t *d = t->slots + i * t->stride + 8;
        *live += tag != VGI_TAG_EMPTY && tag != VGI_TAG_DELETED;
        *deleted += tag == VGI_TAG_DELETED;
        t->ctrl[i] = tag == VGI_TAG_EMPTY     ? VGI_CTRL_EMPTY
                     : tag == VGI_TAG_DELETED ? VGI_CTRL_DELETED
                                              : vgi_exact_ctrl(vgi_exact_hash(x, vgi_exact_fp(d)));
    }
    return 0;
}

vg_status vgi_exact_own(vgi_exact_table *t, vg_error *err)
{
    if (!t->mapped)
        return VG_OK;
    uint8_t *copy = vgi_big_alloc(t->cap * t->stride, 0);
    if (!copy)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory copying the exact index");
    memcpy(copy, t->slots, t->cap * t->stride);
    t->slots = copy;
    t->mapped = 0;
    return VG_OK;
}

vg_status vgi_exact_grow(vg_exact_index *x, vgi_exact_table *t, size_t need, vg_error *err)
{
    if (t->cap && vgi_exact_fits(t->cap, need + t->deleted))
        return vgi_exact_own(t, err);
    size_t cap = MIN_CAP;
    while (!vgi_exact_fits(cap, need)) {
        if (cap > ((size_t)1 << 33))
            return vg_errorf(err, VG_ERR_LIMIT, "exact index too large (%zu entries)", need);
        cap *= 2;
    }
    if (cap < t->cap)
        cap = t->cap;
    uint8_t *old = t->slots, *fresh = vgi_big_alloc(cap * t->stride, 1);
    uint8_t *ctrl = vgi_big_alloc(cap, 1);
    if (!fresh || !ctrl) {
        free(fresh);
        free(ctrl);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory growing the exact index to %zu", cap);
    }
    size_t oldcap = t->cap;
    free(t->ctrl);
    t->ctrl = ctrl;
    t->slots = fresh;
    t->cap = cap;
    t->deleted = 0;
    for (size_t i = 0; i < oldcap; i++) {
        const uint8_t *s = old + i * t->stride;
        uint64_t tag;
        memcpy(&tag, s, 8);
        if (tag != VGI_TAG_EMPTY && tag != VGI_TAG_DELETED)
            reinsert(x, t, s);
    }
    if (!t->mapped)
        free(old);
    t->mapped = 0;
    return VG_OK;
}
