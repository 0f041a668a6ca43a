/* record.h - one output record per file, shared by `vigil hash` and `vigil match`. */
#ifndef VIGIL_RECORD_H
#define VIGIL_RECORD_H

#include <stdio.h>

#include "emit.h"
#include "vigil/hashfile.h"

typedef struct record_opts {
    out_format format;
    int p2p;      /* print the P2P identifiers */
    int dihedral; /* print the 8 dihedral PDQ hashes */
} record_opts;

/* Extra fields after the standard ones: for JSON the callback writes
 * `,"key":value...`; for CSV `,value...` matching extra_csv_header; for text
 * it may write further lines. NULL for none. */
typedef void (*record_extra_fn)(FILE *f, out_format fmt, void *ctx);

/* The CSV header line (with extra columns appended when given). */
void record_header(FILE *f, const record_opts *ro, const char *extra_csv_header);

/* Prints one record. h is NULL when the file could not be read at all, and
 * then err_kind/err_msg say why; otherwise a decode failure inside h is printed
 * as the record's error. */
void record_print(FILE *f, const record_opts *ro, const char *path, const vg_file_hashes *h,
                  const char *err_kind, const char *err_msg, record_extra_fn extra,
                  void *extra_ctx);

#endif
