/* exact_grow.c - sizing and rehashing the exact index's tables. */
#include <stdlib.h>

#include "exact_int.h"
#include "index_int.h"

#define MIN_CAP 1024

/* Load (live + deleted slots) stays at or under 0.7 so probe runs stay short. */
static int fits(size_t cap, size_t used)
{
    return used <= cap / 10 * 7;
}

vg_status vgi_exact_grow(vg_exact_index *x, vgi_exact_table *t, size_t need, vg_error *err)
{
    if (t->cap && fits(t->cap, need + t->deleted))
        return VG_OK;
    size_t cap = MIN_CAP;
    while (!fits(cap, need)) {
        if (cap > ((size_t)1 << 40))
            return vg_errorf(err, VG_ERR_LIMIT, "exact index too large (%zu entries)", need);
        cap *= 2;
    }
    if (cap < t->cap)
        cap = t->cap;
    vgi_exact_slot *old = t->slots;
    size_t oldcap = t->cap;
    t->slots = vgi_big_alloc(cap * sizeof *t->slots, 1);
    if (!t->slots) {
        t->slots = old;
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory growing the exact index to %zu", cap);
    }
    t->cap = cap;
    t->deleted = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].rec1 != VGI_EMPTY && old[i].rec1 != VGI_DELETED)
            vgi_exact_place(x, t, old[i].fp, old[i].rec1 - 1);
    free(old);
    return VG_OK;
}

vg_status vgi_exact_arena_grow(vgi_exact_table *t, size_t records, vg_error *err)
{
    if (records < MIN_CAP)
        records = MIN_CAP;
    if (records <= t->arena_cap)
        return VG_OK;
    uint8_t *a = vgi_big_alloc(records * t->rec, 0);
    if (!a)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory for %zu digests", records);
    if (t->nrec)
        memcpy(a, t->arena, t->nrec * t->rec);
    free(t->arena);
    t->arena = a;
    t->arena_cap = records;
    return VG_OK;
}
