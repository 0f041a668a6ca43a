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
 *  - html (vg_report_html): a static report in a directory, for reading in a
 *    browser without scripts; previews are blurred and grey (docs/case.md).
 */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vigil/hashset.h"
#include "vigil/image.h"
#include "vigil/thumb.h"

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

/* The preview of a picture's bytes: decoded under lim (NULL: defaults), shrunk
 * to at most VG_THUMB_SIDE on the long side, grey, blurred hard (three box
 * blurs of radius side/16) and encoded as a one-component JPEG (quality 60).
 * There is deliberately no unblurred variant. On VG_OK *jpeg is malloc'd
 * (caller frees); on error it is NULL and err says why (the decoder's
 * status, or VG_ERR_NOMEM / VG_ERR_INTERNAL from the encoder). The same bytes
 * always give the same JPEG. */
vg_status vg_report_thumbnail(const uint8_t *buf, size_t len, const vg_limits *lim,
                              uint8_t **jpeg, size_t *jpeg_len, vg_error *err);

/* The VICS export with the examiner's categories as numbers of scheme (NULL:
 * the built-in scheme the case was categorised in, projectvic-us if none).
 * VG_ERR_ARG when scheme is not the case's, or when the case's is a scheme
 * file's (remembered by name only) and none is given; VG_ERR_UNSUPPORTED when
 * a category has no VICS number in the scheme. */
vg_status vg_report_vics(vg_store *s, const vg_hs_scheme *scheme, FILE *out, vg_error *err);

typedef struct vg_html_opts {
    const char *case_name;  /* shown as the case's identity (the path given); NULL: none */
    int no_thumbnails;      /* write no previews */
    const vg_limits *limits; /* for decoding previews; NULL: defaults */
} vg_html_opts;

/* Writes the report of case s into dir: dir/index.html and dir/thumbs/
 * (blurred grey previews, read back from the evidence: plain files directly,
 * pictures inside containers by walking the evidence again with the scan's
 * options; only bytes with the recorded size and SHA-1). dir must not exist or be
 * empty: VG_ERR_EXISTS otherwise, never overwriting a file. VG_ERR_IO (or
 * VG_ERR_OPEN) when it cannot be written; a picture without a preview is
 * not an error (the page says why). The same case gives the same bytes. */
vg_status vg_report_html(vg_store *s, const char *dir, const vg_html_opts *opts,
                         vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
