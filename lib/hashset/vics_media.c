/* vics_media.c - one VICS Media object to vigil entries.
 *
 * The Media's own MD5/SHA1 come first; AlternativeHashes and MediaFiles fill
 * kinds the Media lacks, and a hash of a kind it already has with another
 * value (another encoding of the same picture) becomes an extra entry with the
 * same category and labels, so the index finds it too.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vics.h"

#define MAX_EXTRA 64

typedef struct extra {
    unsigned kind;
    uint8_t b[32];
    int quality;
} extra;

struct media_out {
    vg_hs_entry e;
    const char *labels[VG_HS_MAX_LABELS];
    extra x[MAX_EXTRA];
    int nx;
    const jnode *category; /* the Category member, NULL when absent */
};

media_out *vgi_hs_vics_out_new(void)
{
    return malloc(sizeof(media_out));
}

static const char *const flags[] = {"VictimIdentified", "OffenderIdentified", "IsDistributed",
                                    "IsSuspected",      "SelfGenerated",      "IsPrecategorized"};

static vg_status type_error(vgi_vics *v, const jnode *k, const char *want)
{
    return vgi_hs_fail(v->c, VG_ERR_SYNTAX, k->line, "%s is not %s", k->key ? k->key : "value",
                       want);
}

static uint8_t *kind_bytes(vg_hs_entry *e, unsigned kind)
{
    return kind == VG_HS_HAS_MD5 ? e->md5 : kind == VG_HS_HAS_SHA1 ? e->sha1
           : kind == VG_HS_HAS_SHA256 ? e->sha256 : e->pdq.b;
}

/* Sets a hash on the entry, or records it as extra when the kind is taken. */
static vg_status add_hash(vgi_vics *v, media_out *m, unsigned kind, const jnode *k,
                          const char *field, int quality)
{
    vg_hs_entry tmp;
    if (k->type == J_NULL)
        return VG_OK;
    if (k->type != J_STR)
        return type_error(v, k, "a string");
    memset(&tmp, 0, sizeof tmp);
    vg_status st = vgi_hs_parse_kind(v->c, &tmp, k->s, k->len, kind, field, k->line);
    size_t n = vgi_hs_kind_hexlen(kind) / 2;
    if (st != VG_OK)
        return st;
    if (!(m->e.has & kind)) {
        memcpy(kind_bytes(&m->e, kind), kind_bytes(&tmp, kind), n);
        m->e.has |= kind;
        if (kind == VG_HS_HAS_PDQ)
            m->e.pdq_quality = quality;
        return VG_OK;
    }
    if (memcmp(kind_bytes(&m->e, kind), kind_bytes(&tmp, kind), n) == 0)
        return VG_OK;
    for (int i = 0; i < m->nx; i++)
        if (m->x[i].kind == kind && memcmp(m->x[i].b, kind_bytes(&tmp, kind), n) == 0)
            return VG_OK;
    if (m->nx == MAX_EXTRA)
        return vgi_hs_fail(v->c, VG_ERR_LIMIT, k->line, "more than %d extra hashes", MAX_EXTRA);
    m->x[m->nx].kind = kind;
    m->x[m->nx].quality = quality;
    memcpy(m->x[m->nx++].b, kind_bytes(&tmp, kind), n);
    return VG_OK;
}

static vg_status add_label(vgi_vics *v, media_out *m, const char *prefix, const char *s,
                           size_t n, uint64_t line)
{
    size_t pn = strlen(prefix);
    if (m->e.n_labels == VG_HS_MAX_LABELS)
        return vgi_hs_fail(v->c, VG_ERR_LIMIT, line, "more than %d labels", VG_HS_MAX_LABELS);
    char *d = vgi_hs_ja_alloc(&v->scratch, pn + n + 1);
    if (!d)
        return vgi_hs_fail(v->c, VG_ERR_LIMIT, line, "Media too large");
    memcpy(d, prefix, pn);
    memcpy(d + pn, s, n);
    d[pn + n] = '\0';
    m->labels[m->e.n_labels++] = d;
    return VG_OK;
}

/* Tags: one string of ','-separated tags (or an array of strings). */
static vg_status tags(vgi_vics *v, media_out *m, const jnode *k)
{
    if (k->type == J_ARR) {
        for (const jnode *t = k->first; t; t = t->next) {
            vg_status st = t->type == J_STR ? tags(v, m, t) : type_error(v, t, "a string");
            if (st != VG_OK)
                return st;
        }
        return VG_OK;
    }
    if (k->type == J_NULL)
        return VG_OK;
    if (k->type != J_STR)
        return type_error(v, k, "a string");
    const char *p = k->s, *end = k->s + strlen(k->s);
    while (p < end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *e = c ? c : end, *b = p;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        const char *t = e;
        while (t > b && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if (t > b) {
            vg_status st = add_label(v, m, "", b, (size_t)(t - b), k->line);
            if (st != VG_OK)
                return st;
        }
        p = e + 1;
    }
    return VG_OK;
}

/* true / "true" -> 1, false / "false" / null -> 0, anything else -> -1. */
static int truth(const jnode *k)
{
    if (k->type == J_TRUE)
        return 1;
    if (k->type == J_FALSE || k->type == J_NULL)
        return 0;
    if (k->type == J_STR && (strcasecmp(k->s, "true") == 0 || strcmp(k->s, "1") == 0))
        return 1;
    if (k->type == J_STR && (strcasecmp(k->s, "false") == 0 || strcmp(k->s, "0") == 0 || !*k->s))
        return 0;
    if (k->type == J_NUM)
        return strcmp(k->s, "0") != 0;
    return -1;
}

static vg_status size_field(vgi_vics *v, media_out *m, const jnode *k)
{
    if (k->type == J_NULL || (k->type == J_STR && k->len == 0))
        return VG_OK;
    if ((k->type != J_NUM && k->type != J_STR) || vgi_hs_parse_u64(k->s, k->len, &m->e.size) != 0)
        return vgi_hs_fail(v->c, VG_ERR_SYNTAX, k->line, "MediaSize is not a whole number >= 0");
    m->e.has |= VG_HS_HAS_SIZE;
    return VG_OK;
}

static vg_status date_field(vgi_vics *v, media_out *m, const jnode *k)
{
    char iso[40];
    if (k->type == J_NULL || (k->type == J_STR && k->len == 0))
        return VG_OK;
    if (k->type != J_STR || vgi_hs_date_iso(k->s, iso, sizeof iso) != 0) {
        vgi_hs_warn(v->c, k->line, "DateUpdated \"%.40s\" not understood; dropped",
                 k->type == J_STR ? k->s : "?");
        return VG_OK;
    }
    char *d = vgi_hs_ja_alloc(&v->scratch, strlen(iso) + 1);
    if (!d)
        return vgi_hs_fail(v->c, VG_ERR_LIMIT, k->line, "Media too large");
    memcpy(d, iso, strlen(iso) + 1);
    m->e.updated = d;
    return VG_OK;
}

static vg_status text_field(vgi_vics *v, const jnode *k, const char **out)
{
    if (k->type == J_NULL)
        return VG_OK;
    if (k->type != J_STR)
        return type_error(v, k, "a string");
    if (k->len && strlen(k->s) == k->len)
        *out = k->s;
    return VG_OK;
}

static vg_status flag_field(vgi_vics *v, media_out *m, const jnode *k, const char *name)
{
    int t = truth(k);
    if (t < 0)
        vgi_hs_warn(v->c, k->line, "%s is neither true nor false; ignored", name);
    return t == 1 ? add_label(v, m, "", name, strlen(name), k->line) : VG_OK;
}

/* Pass 1: the Media's own members. */
static vg_status own_member(vgi_vics *v, media_out *m, const jnode *k)
{
    const char *key = k->key, *s = NULL;
    vg_status st;
    if (strcasecmp(key, "MD5") == 0)
        return add_hash(v, m, VG_HS_HAS_MD5, k, "MD5", -1);
    if (strcasecmp(key, "SHA1") == 0 || strcasecmp(key, "SHA-1") == 0)
        return add_hash(v, m, VG_HS_HAS_SHA1, k, "SHA1", -1);
    if (strcasecmp(key, "SHA256") == 0 || strcasecmp(key, "SHA-256") == 0)
        return add_hash(v, m, VG_HS_HAS_SHA256, k, "SHA256", -1);
    if (strcasecmp(key, "Category") == 0) {
        if (k->type != J_NULL && k->type != J_NUM && k->type != J_STR)
            return type_error(v, k, "a number, a string or null");
        m->category = k;
        return VG_OK;
    }
    if (strcasecmp(key, "MediaSize") == 0)
        return size_field(v, m, k);
    if (strcasecmp(key, "DateUpdated") == 0)
        return date_field(v, m, k);
    if (strcasecmp(key, "FileName") == 0)
        return text_field(v, k, &m->e.name);
    if (strcasecmp(key, "PhotoDNA") == 0) {
        if ((st = text_field(v, k, &m->e.photodna)) == VG_OK && m->e.photodna)
            m->e.has |= VG_HS_HAS_PHOTODNA;
        return st;
    }
    if (strcasecmp(key, "Tags") == 0)
        return tags(v, m, k);
    if (strcasecmp(key, "Series") == 0 || strcasecmp(key, "Comments") == 0) {
        if ((st = text_field(v, k, &s)) != VG_OK || !s)
            return st;
        return add_label(v, m, key[0] == 'S' || key[0] == 's' ? "series:" : "comment:", s,
                         strlen(s), k->line);
    }
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcasecmp(key, flags[i]) == 0)
            return flag_field(v, m, k, flags[i]);
    return VG_OK;
}

static unsigned alt_kind(const char *name)
{
    static const struct {
        const char *name;
        unsigned kind;
    } tab[] = {{"MD5", VG_HS_HAS_MD5},       {"SHA1", VG_HS_HAS_SHA1},
               {"SHA-1", VG_HS_HAS_SHA1},    {"SHA256", VG_HS_HAS_SHA256},
               {"SHA-256", VG_HS_HAS_SHA256}, {"PDQ", VG_HS_HAS_PDQ}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcasecmp(name, tab[i].name) == 0)
            return tab[i].kind;
    return 0;
}

static vg_status alternative(vgi_vics *v, media_out *m, const jnode *a)
{
    const jnode *name = vgi_hs_jn_get(a, "HashName"), *value = vgi_hs_jn_get(a, "HashValue");
    const jnode *q = vgi_hs_jn_get(a, "Quality");
    uint64_t quality;
    if (a->type != J_OBJ)
        return type_error(v, a, "an object");
    if (!name || !value || name->type != J_STR)
        return vgi_hs_fail(v->c, VG_ERR_SYNTAX, a->line,
                           "AlternativeHashes entry without HashName/HashValue");
    unsigned kind = alt_kind(name->s);
    if (!kind)
        return VG_OK; /* SHA384, PhotoDNA variants...: not indexed */
    int qv = -1;
    if (q && q->type == J_NUM && vgi_hs_parse_u64(q->s, q->len, &quality) == 0 && quality <= 100)
        qv = (int)quality;
    char field[64];
    snprintf(field, sizeof field, "AlternativeHashes %s",
             kind == VG_HS_HAS_PDQ ? "PDQ" : vgi_hs_kind_name(kind));
    return add_hash(v, m, kind, value, field, qv);
}

static vg_status media_file(vgi_vics *v, media_out *m, const jnode *f)
{
    const jnode *md5 = vgi_hs_jn_get(f, "MD5"), *sha1 = vgi_hs_jn_get(f, "SHA1"),
                *name = vgi_hs_jn_get(f, "FileName");
    vg_status st = VG_OK;
    if (f->type != J_OBJ)
        return type_error(v, f, "an object");
    if (md5)
        st = add_hash(v, m, VG_HS_HAS_MD5, md5, "MediaFiles MD5", -1);
    if (st == VG_OK && sha1)
        st = add_hash(v, m, VG_HS_HAS_SHA1, sha1, "MediaFiles SHA1", -1);
    if (st == VG_OK && name && !m->e.name)
        st = text_field(v, name, &m->e.name);
    return st;
}

/* Pass 2: AlternativeHashes and MediaFiles, after the Media's own hashes. */
static vg_status nested(vgi_vics *v, media_out *m, const jnode *k)
{
    int alt = strcasecmp(k->key, "AlternativeHashes") == 0;
    if (!alt && strcasecmp(k->key, "MediaFiles") != 0)
        return VG_OK;
    if (k->type == J_NULL)
        return VG_OK;
    if (k->type != J_ARR)
        return type_error(v, k, "an array");
    for (const jnode *x = k->first; x; x = x->next) {
        vg_status st = alt ? alternative(v, m, x) : media_file(v, m, x);
        if (st != VG_OK)
            return st;
    }
    return VG_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted and unique, so that export and re-import give the same list. */
static void canonical_labels(media_out *m)
{
    size_t n = m->e.n_labels, o = 0;
    qsort(m->labels, n, sizeof m->labels[0], cmp_str);
    for (size_t i = 0; i < n; i++)
        if (o == 0 || strcmp(m->labels[o - 1], m->labels[i]) != 0)
            m->labels[o++] = m->labels[i];
    m->e.n_labels = o;
}

static vg_status emit_all(vgi_vics *v, media_out *m)
{
    vg_status st = vgi_hs_emit(v->c, &m->e);
    for (int i = 0; st == VG_OK && i < m->nx; i++) {
        vg_hs_entry x = m->e;
        x.has = m->x[i].kind;
        x.name = NULL;
        x.photodna = NULL;
        x.pdq_quality = m->x[i].quality;
        memcpy(kind_bytes(&x, x.has), m->x[i].b, vgi_hs_kind_hexlen(x.has) / 2);
        st = vgi_hs_emit(v->c, &x);
    }
    return st;
}

static vg_status category(vgi_vics *v, media_out *m)
{
    const jnode *k = m->category;
    if (!k || k->type == J_NULL)
        return VG_OK;
    return vgi_hs_entry_category(v->c, &m->e, k->s, k->line);
}

vg_status vgi_hs_vics_media(vgi_vics *v, const jnode *media)
{
    media_out *m = v->out;
    vg_status st = VG_OK;
    vgi_hs_vics_pick_scheme(v->c);
    m->nx = 0;
    m->category = NULL;
    vgi_hs_entry_init(v->c, &m->e, media->line);
    m->e.labels = m->labels;
    if (media->type != J_OBJ)
        st = type_error(v, media, "an object");
    for (const jnode *k = media->first; st == VG_OK && k; k = k->next)
        st = own_member(v, m, k);
    for (const jnode *k = media->first; st == VG_OK && k; k = k->next)
        st = nested(v, m, k);
    if (st == VG_OK)
        st = category(v, m);
    if (st == VG_OK && !(m->e.has & (VG_HS_HASHES | VG_HS_HAS_PHOTODNA)))
        st = vgi_hs_fail(v->c, VG_ERR_SYNTAX, media->line, "Media has no MD5, SHA1 or other hash");
    if (st == VG_OK) {
        canonical_labels(m);
        st = emit_all(v, m);
    }
    vgi_hs_ja_reset(&v->scratch);
    return st;
}
