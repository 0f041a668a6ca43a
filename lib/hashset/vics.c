/* vics.c - Project VIC VICS JSON, streamed: walks the document and hands
 * each Media object, built as a bounded tree, to vgi_hs_vics_media().
 *
 * Both shapes are recognised by content, not only by the context URL:
 * a value[] element holding a "Media" array is a case (its other members are
 * the case header, skipped); any other element is itself a Media. A document
 * that is a bare array is read as the value array.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vics.h"

/* "http://.../DataModels/2.0.xml/US/$metadata#Cases" or ".../1.3.xml#Cases". */
static void parse_context(vgi_hs_ctx *c, const char *url)
{
    vg_hs_stats *st = c->st;
    const char *m = strstr(url, "DataModels/");
    const char *hash = strrchr(url, '#');
    if (hash)
        snprintf(st->vics_set, sizeof st->vics_set, "%s", hash + 1);
    if (!m)
        return;
    m += strlen("DataModels/");
    const char *x = strstr(m, ".xml");
    if (x && x - m < (long)sizeof st->vics_version)
        snprintf(st->vics_version, sizeof st->vics_version, "%.*s", (int)(x - m), m);
    if (x && x[4] == '/') {
        const char *ctx = x + 5, *end = strchr(ctx, '/');
        size_t n = end ? (size_t)(end - ctx) : strcspn(ctx, "#");
        if (n < sizeof st->vics_context)
            snprintf(st->vics_context, sizeof st->vics_context, "%.*s", (int)n, ctx);
    }
}

/* Without a scheme from the caller, the context decides: only US/Default/1.x
 * have published numbers; UK and CUSTOM keep raw values. */
void vgi_hs_vics_pick_scheme(vgi_hs_ctx *c)
{
    if (c->scheme)
        return;
    const char *ctx = c->st->vics_context;
    int us = !ctx[0] || strcasecmp(ctx, "US") == 0 || strcasecmp(ctx, "Default") == 0;
    c->scheme = vg_hs_scheme_builtin(us ? "projectvic-us" : "custom");
    snprintf(c->st->scheme, sizeof c->st->scheme, "%s", vg_hs_scheme_name(c->scheme));
}

static vg_status one_media(vgi_vics *v, int depth)
{
    jnode *media;
    vg_status st = vgi_hs_json_tree(&v->j, &v->media, depth, &media);
    if (st == VG_OK) {
        v->c->st->records++;
        st = vgi_hs_vics_media(v, media);
    }
    vgi_hs_ja_reset(&v->media);
    return st;
}

/* Calls fn on each element of an array (what names it in messages). */
static vg_status each_element(vgi_vics *v, int depth, const char *what,
                              vg_status (*fn)(vgi_vics *v, int depth))
{
    int more = 1;
    vg_status st = vgi_hs_json_expect(&v->j, '[', what);
    if (st != VG_OK)
        return st;
    if (vgi_hs_json_peek(&v->j) == ']')
        return vgi_hs_json_expect(&v->j, ']', "']'");
    while (st == VG_OK && more) {
        st = fn(v, depth + 1);
        if (st == VG_OK)
            st = vgi_hs_json_more(&v->j, ']', &more);
    }
    return st;
}

/* Members of a value[] element, appended to obj; a "Media" array streams. */
static vg_status element_members(vgi_vics *v, jnode *obj, int depth, int *is_case)
{
    jnode **tail = &obj->first;
    int more = 1;
    vg_status st;
    const char *s;
    size_t n;
    while (more) {
        if ((st = vgi_hs_json_string(&v->j, &s, &n)) != VG_OK)
            return st;
        int media = strcmp(s, "Media") == 0;
        char *key = vgi_hs_ja_alloc(&v->elem, n + 1);
        if (!key)
            return vgi_hs_json_fail(&v->j, VG_ERR_LIMIT, "object larger than %u bytes",
                                    VG_HS_MAX_MEDIA);
        memcpy(key, s, n + 1);
        if ((st = vgi_hs_json_expect(&v->j, ':', "':'")) != VG_OK)
            return st;
        if (media && vgi_hs_json_peek(&v->j) == '[') {
            *is_case = 1;
            st = each_element(v, depth + 1, "'[' (the Media array)", one_media);
        } else {
            jnode *child;
            st = vgi_hs_json_tree(&v->j, &v->elem, depth + 1, &child);
            if (st == VG_OK) {
                child->key = key;
                *tail = child;
                tail = &child->next;
            }
        }
        if (st != VG_OK || (st = vgi_hs_json_more(&v->j, '}', &more)) != VG_OK)
            return st;
    }
    return VG_OK;
}

static vg_status value_element(vgi_vics *v, int depth)
{
    jnode obj = {.type = J_OBJ};
    int is_case = 0;
    vgi_hs_vics_pick_scheme(v->c);
    obj.line = (vgi_hs_json_peek(&v->j), v->j.line);
    vg_status st = vgi_hs_json_expect(&v->j, '{', "'{' (a Media or a case)");
    if (st == VG_OK && vgi_hs_json_peek(&v->j) == '}')
        st = vgi_hs_json_expect(&v->j, '}', "'}'");
    else if (st == VG_OK)
        st = element_members(v, &obj, depth + 1, &is_case);
    if (st == VG_OK && is_case) {
        v->c->st->skipped++;
    } else if (st == VG_OK) {
        v->c->st->records++;
        st = vgi_hs_vics_media(v, &obj);
    }
    vgi_hs_ja_reset(&v->elem);
    return st;
}

static vg_status top_member(vgi_vics *v, int *seen_value)
{
    const char *s;
    size_t n;
    vg_status st = vgi_hs_json_string(&v->j, &s, &n);
    if (st != VG_OK)
        return st;
    int ctx = strcmp(s, "@odata.context") == 0 || strcmp(s, "odata.metadata") == 0;
    int value = strcmp(s, "value") == 0;
    if ((st = vgi_hs_json_expect(&v->j, ':', "':'")) != VG_OK)
        return st;
    if (ctx && vgi_hs_json_peek(&v->j) == '"') {
        if ((st = vgi_hs_json_string(&v->j, &s, &n)) == VG_OK)
            parse_context(v->c, s);
        return st;
    }
    if (value) {
        *seen_value = 1;
        return each_element(v, 1, "'[' (the value array)", value_element);
    }
    return vgi_hs_json_skip(&v->j, 1);
}

static vg_status members(vgi_vics *v, int *seen_value)
{
    int more = 1;
    vg_status st = vgi_hs_json_expect(&v->j, '{', "'{' (a VICS document)");
    if (st == VG_OK && vgi_hs_json_peek(&v->j) == '}')
        return vgi_hs_json_expect(&v->j, '}', "'}'");
    while (st == VG_OK && more) {
        st = top_member(v, seen_value);
        if (st == VG_OK)
            st = vgi_hs_json_more(&v->j, '}', &more);
    }
    return st;
}

static vg_status document(vgi_vics *v)
{
    int seen_value = 0;
    vg_status st;
    if (vgi_hs_json_peek(&v->j) == '[') { /* a bare array: taken as the value array */
        seen_value = 1;
        st = each_element(v, 0, "'['", value_element);
    } else {
        st = members(v, &seen_value);
    }
    if (st != VG_OK)
        return st;
    if (vgi_hs_json_peek(&v->j) != EOF)
        return vgi_hs_json_fail(&v->j, VG_ERR_SYNTAX, "data after the end of the document");
    if (!seen_value)
        return vgi_hs_fail(v->c, VG_ERR_SYNTAX, 0, "no \"value\" array: not a VICS document");
    return VG_OK;
}

vg_status vgi_hs_read_vics(vgi_hs_ctx *c)
{
    vgi_vics v;
    memset(&v, 0, sizeof v);
    v.c = c;
    vgi_hs_json_init(&v.j, c, c->f);
    vgi_hs_ja_init(&v.elem, VG_HS_MAX_MEDIA);
    vgi_hs_ja_init(&v.media, VG_HS_MAX_MEDIA);
    vgi_hs_ja_init(&v.scratch, VG_HS_MAX_MEDIA);
    v.out = vgi_hs_vics_out_new();
    vg_status st = v.out ? document(&v) : vgi_hs_fail(c, VG_ERR_NOMEM, 0, "out of memory");
    free(v.out);
    vgi_hs_ja_free(&v.elem);
    vgi_hs_ja_free(&v.media);
    vgi_hs_ja_free(&v.scratch);
    vgi_hs_json_free(&v.j);
    return st;
}
