/* html_int.h - the parts of the HTML report (html*.c). */
#ifndef VIGIL_HTML_INT_H
#define VIGIL_HTML_INT_H

#include <stdio.h>

#include "vigil/report.h"

/* Why an item has no preview, or NULL when it can have one: pictures only,
 * plain files only (this version does not reach into containers). */
const char *vgi_html_no_preview(const vg_item_rec *r);

/* Reads the plain file r->path back (read-only, no symlinks followed, its
 * recorded size at most lim's file limit), checks its SHA-1 against the
 * recorded one and writes its preview as name in the directory dirfd.
 * On error, why[] says it for the page; VG_ERR_IO when writing failed (the
 * report cannot go on), another status when only this preview is missing. */
vg_status vgi_html_thumb_file(const vg_item_rec *r, const vg_limits *lim, int dirfd,
                              const char *name, char *why, size_t why_len, vg_error *err);

/* The report's preview of item r from the one its scan stored in s (blurred
 * and grey here), written as name in dirfd; why[] as above. */
vg_status vgi_html_thumb_stored(vg_store *s, const vg_item_rec *r, const vg_limits *lim,
                                int dirfd, const char *name, char *why, size_t why_len,
                                vg_error *err);

/* Writes jpeg as name in dirfd, never over an existing file. VG_ERR_IO. */
vg_status vgi_html_write_thumb(int dirfd, const char *name, const uint8_t *jpeg, size_t n,
                               vg_error *err);
/* "EVIDENCE-SEQ[-SUB].jpg" */
void vgi_html_thumb_name(int64_t evidence_id, uint64_t seq, uint32_t sub, char out[64]);

/* Pictures inside containers, whose previews come from walking the evidence
 * again (html_walk.c). order: in the foreach order of the items. */
typedef struct vgi_html_want vgi_html_want;
typedef struct vgi_html_wants {
    vgi_html_want **order;
    size_t n, cap, next;
    int nomem;
} vgi_html_wants;

/* Whether r is a picture inside a container with a recorded SHA-1. */
int vgi_html_in_container(const vg_item_rec *r);
/* Collects the wanted pictures of s into w and writes what previews the walks
 * find into thumbs_fd. VG_ERR_IO (or NOMEM, DB) stops the report; evidence
 * that cannot be walked only leaves previews out. */
vg_status vgi_html_walk(vg_store *s, vgi_html_wants *w, const vg_limits *lim, int thumbs_fd,
                        vg_error *err);
/* The next wanted picture when it is r (items come in the same order), else NULL. */
const vgi_html_want *vgi_html_want_next(vgi_html_wants *w, const vg_item_rec *r);
int vgi_html_want_written(const vgi_html_want *x);
const char *vgi_html_want_why(const vgi_html_want *x);
void vgi_html_wants_free(vgi_html_wants *w);

/* The page's parts, in order. */
void vgi_html_head(FILE *f, const char *title);
vg_status vgi_html_case(FILE *f, vg_store *s, const vg_html_opts *o, vg_case_summary *sum,
                        vg_error *err);

typedef struct vgi_html_items {
    FILE *f;
    const vg_html_opts *o;
    const vg_limits *lim;
    int thumbs_fd;          /* -1: no previews */
    vgi_html_wants *wants;  /* pictures inside containers */
    const vg_case_summary *sum;
    int group;              /* the group written last: 0 none yet, 1 new, 2 known, 3 other */
    vg_status st;           /* VG_ERR_IO stops the walk */
    vg_error *err;
    vg_store *store;        /* for the previews stored by the scan */
} vgi_html_items;

/* The foreach callback writing one item. */
int vgi_html_item(const vg_item_rec *r, void *ctx);
/* After the walk: the headings of the groups that had no item. */
void vgi_html_items_end(vgi_html_items *h);

/* A UTC date and time of a Unix time, "" when unknown (INT64_MIN). */
void vgi_html_time(int64_t t, char out[32]);

#endif
