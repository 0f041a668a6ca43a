/* live.c - single entries added to and removed from an open matcher: the
 * library and the in-memory indexes change together, with no rebuild. */
#include <stddef.h>
#include <string.h>

#include "matcher_int.h"

static mset *find_set(vg_matcher *m, const char *name, vg_error *err)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->sets[i].name, name) == 0)
            return &m->sets[i];
    vg_errorf(err, VG_ERR_NOTFOUND, "set '%s' is not open in this matcher", name);
    return NULL;
}

static vg_status index_add(mset *s, const vg_hs_entry *e, uint64_t id, vg_error *err)
{
    static const struct { unsigned bit; vg_digest_kind k; size_t off; } kinds[] = {
        {VG_HS_HAS_MD5, VG_DIGEST_MD5, offsetof(vg_hs_entry, md5)},
        {VG_HS_HAS_SHA1, VG_DIGEST_SHA1, offsetof(vg_hs_entry, sha1)},
        {VG_HS_HAS_SHA256, VG_DIGEST_SHA256, offsetof(vg_hs_entry, sha256)}};
    vg_status st;

    for (size_t i = 0; i < 3; i++) {
        if (!(e->has & kinds[i].bit))
            continue;
        if (!s->exact && !(s->exact = vg_exact_index_new(0, err)))
            return VG_ERR_NOMEM;
        st = vg_exact_index_add(s->exact, kinds[i].k, (const uint8_t *)e + kinds[i].off, id, err);
        if (st != VG_OK)
            return st;
    }
    if (!(e->has & VG_HS_HAS_PDQ))
        return VG_OK;
    if (!s->pdq && !(s->pdq = vg_pdq_index_new(err)))
        return VG_ERR_NOMEM;
    return vg_pdq_index_add(s->pdq, &e->pdq, id, err);
}

vg_status vg_matcher_add_entry(vg_matcher *m, const char *name, const vg_hs_entry *e,
                               uint64_t *id, vg_error *err)
{
    mset *s = find_set(m, name, err);
    uint64_t nid;
    vg_status st;

    if (!s)
        return VG_ERR_NOTFOUND;
    pthread_mutex_lock(&m->mu);
    st = vg_library_add_entry(m->lib, name, e, &nid, err);
    pthread_mutex_unlock(&m->mu);
    if (st != VG_OK)
        return st;
    if (id)
        *id = nid;
    pthread_rwlock_wrlock(&m->rw);
    st = index_add(s, e, nid, err);
    pthread_rwlock_unlock(&m->rw);
    return st;
}

vg_status vg_matcher_remove_entry(vg_matcher *m, const char *name, uint64_t id,
                                  vg_error *err)
{
    mset *s = find_set(m, name, err);
    vg_status st;

    if (!s)
        return VG_ERR_NOTFOUND;
    pthread_mutex_lock(&m->mu);
    st = vg_library_remove_entry(m->lib, name, id, err);
    pthread_mutex_unlock(&m->mu);
    if (st != VG_OK)
        return st;
    pthread_rwlock_wrlock(&m->rw);
    if (s->exact)
        st = vg_exact_index_remove(s->exact, id, NULL, err);
    if (st == VG_OK && s->pdq)
        st = vg_pdq_index_remove(s->pdq, id, NULL, err);
    pthread_rwlock_unlock(&m->rw);
    return st;
}
