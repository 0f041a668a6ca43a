/* report.h - writing a case's items out: JSON lines, CSV, DFXML, VICS.
 *
 * Every format lists NEW images (matching no hash set) first, then known
 * items, then everything else, each group in (evidence, seq) order, so the
 * same case always gives the same bytes.
 *  - jsonl: one object per item (keys in docs/case.md).
 *  - csv: one row per item with a header.
 *  - dfxml: Digital Forensics XML as fiwalk and bulk_extractor write it: one
 *    <fileobject> per item with filename, filesize, alloc/unalloc, inode,
 *    times, byte_runs (where the offset is known) and hashdigests.
 *  - vics: a Project VIC VICS 2.0 hash set ("#Media") of the case's images,
 *    to share back with partners: hashes and sizes, never pictures.
 */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stdio.h>

#include "vigil/status.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vg_report_format {
    VG_REPORT_JSONL = 0,
    VG_REPORT_CSV,
    VG_REPORT_DFXML,
    VG_REPORT_VICS
} vg_report_format;

/* "jsonl", "csv", "dfxml", "vics" -> *out; VG_ERR_ARG for another name. */
vg_status vg_report_format_from_name(const char *name, vg_report_format *out);

/* Writes every item of the case s to out. VG_ERR_IO when out fails. */
vg_status vg_report_export(vg_store *s, vg_report_format fmt, FILE *out, vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
