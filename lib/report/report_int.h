/* report_int.h - the writers of lib/report, one file each. */
#ifndef VIGIL_REPORT_INT_H
#define VIGIL_REPORT_INT_H

#include "vigil/report.h"

vg_status vgi_report_jsonl(vg_store *s, FILE *out, vg_error *err);
vg_status vgi_report_csv(vg_store *s, FILE *out, vg_error *err);
vg_status vgi_report_dfxml(vg_store *s, FILE *out, vg_error *err);
vg_status vgi_report_vics(vg_store *s, FILE *out, vg_error *err);

/* Hex of the item's digests ("" without). */
typedef struct vgi_hexes {
    char md5[33], sha1[41], sha256[65], pdq[65];
} vgi_hexes;
void vgi_report_hexes(const vg_item_rec *r, vgi_hexes *x);

#endif
