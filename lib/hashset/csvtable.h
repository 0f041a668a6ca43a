/* csvtable.h - the header-driven CSV reader behind NSRL RDS2, HashKeeper, PDQ CSV. */
#ifndef VIGIL_CSVTABLE_H
#define VIGIL_CSVTABLE_H

#include "hashset_int.h"

enum vgi_csv_role {
    VGI_COL_SKIP,
    VGI_COL_MD5,
    VGI_COL_SHA1,
    VGI_COL_SHA256,
    VGI_COL_PDQ,
    VGI_COL_QUALITY,
    VGI_COL_SIZE,
    VGI_COL_NAME,
    VGI_COL_CATEGORY,
    VGI_COL_LABELS
};

typedef struct vgi_csv_col {
    const char *name; /* header text, case-insensitive */
    enum vgi_csv_role role;
} vgi_csv_col;

typedef struct vgi_csv_spec {
    const vgi_csv_col *cols;   /* ends with {NULL, 0} */
    unsigned required;         /* bit (1 << role) per required column */
    const char *required_text; /* for the message */
} vgi_csv_spec;

/* Reads c->f: optional blank/'#' lines, the header, then one entry per row. */
vg_status vgi_hs_read_csv(vgi_hs_ctx *c, const vgi_csv_spec *spec);

#endif
