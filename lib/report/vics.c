/* vics.c - the case's images as a VICS 2.0 hash set, for sharing with
 * partners: hashes, sizes and names travel, pictures never do. Categories
 * come from the examiner's review (`vigil review`), as numbers of the scheme
 * the case was categorised in; uncategorised items are "none". */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_int.h"
#include "vigil/hashset.h"

typedef struct vics_ctx {
    vg_hs_writer *w;
    const vg_hs_scheme *scheme;
    vg_status st;
    vg_error *err;
} vics_ctx;

static int put_item(const vg_item_rec *r, void *ctx)
{
    vics_ctx *c = ctx;
    vg_hs_entry e;

    if (!r->have_digests || !r->file_type || strcmp(r->file_type, "unknown") == 0)
        return 0; /* VICS carries media: pictures only */
    memset(&e, 0, sizeof e);
    e.has = VG_HS_HAS_MD5 | VG_HS_HAS_SHA1 | VG_HS_HAS_SIZE;
    memcpy(e.md5, r->digests.md5, 16);
    memcpy(e.sha1, r->digests.sha1, 20);
    e.size = r->size;
    e.pdq_quality = -1;
    if (r->have_pdq) {
        e.has |= VG_HS_HAS_PDQ;
        e.pdq = r->pdq;
        e.pdq_quality = r->pdq_quality;
    }
    e.name = r->name;
    e.category = "none";
    e.category_label = "";
    if (r->review_category &&
        vg_hs_scheme_map(c->scheme, r->review_category, &e.category, &e.category_label) != VG_OK) {
        c->st = vg_errorf(c->err, VG_ERR_FORMAT,
                          "item %lld: category \"%s\" is not in scheme %s",
                          (long long)r->id, r->review_category, vg_hs_scheme_name(c->scheme));
        return 1;
    }
    e.record = r->seq;
    c->st = vg_hs_writer_add(c->w, &e, c->err);
    return c->st != VG_OK;
}

/* The scheme the case was categorised in (meta "review_scheme"), checked
 * against the one given; projectvic-us when nobody has categorised yet. A
 * scheme file is remembered by its name only, so it has to be given. */
static vg_status case_scheme(vg_store *s, const vg_hs_scheme *given, const vg_hs_scheme **out,
                             vg_error *err)
{
    char *name = NULL;
    vg_status st = vg_store_meta_get(s, "review_scheme", &name, err);

    *out = given;
    if (st != VG_OK)
        return st;
    if (given && name && strcasecmp(vg_hs_scheme_name(given), name) != 0)
        st = vg_errorf(err, VG_ERR_ARG, "the case is categorised in scheme %s, not %s", name,
                       vg_hs_scheme_name(given));
    else if (!given && name && !(*out = vg_hs_scheme_builtin(name)))
        st = vg_errorf(err, VG_ERR_ARG,
                       "the case is categorised in scheme %s, from a scheme file: give that "
                       "file (vigil export --scheme FILE)", name);
    else if (!given && !name)
        *out = vg_hs_scheme_builtin("projectvic-us");
    free(name);
    return st;
}

vg_status vg_report_vics(vg_store *s, const vg_hs_scheme *scheme, FILE *out, vg_error *err)
{
    vg_hs_write_opts wo;
    vics_ctx c = {NULL, NULL, VG_OK, err};
    vg_status st;

    if ((st = case_scheme(s, scheme, &c.scheme, err)) != VG_OK)
        return st;
    memset(&wo, 0, sizeof wo);
    wo.format = VG_HS_FMT_VICS;
    wo.scheme = c.scheme;
    if ((st = vg_hs_writer_open_file(out, &wo, &c.w, err)) != VG_OK)
        return st;
    st = vg_store_items_foreach(s, put_item, &c, err);
    if (st == VG_OK)
        st = c.st;
    vg_status cst = vg_hs_writer_close(c.w, NULL, NULL, st == VG_OK ? err : NULL);
    return st != VG_OK ? st : cst;
}

vg_status vgi_report_vics(vg_store *s, FILE *out, vg_error *err)
{
    return vg_report_vics(s, NULL, out, err);
}
