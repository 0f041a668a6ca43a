/* scan_int.h - what the files of lib/scan share: one item's work. */
#ifndef VIGIL_SCAN_INT_H
#define VIGIL_SCAN_INT_H

#include "vigil/exif.h"
#include "vigil/scan.h"

typedef struct job {
    vg_item_rec rec;          /* strings below are owned by the job */
    char *path, *name, *error, flags[96];
    const char *status;
    uint8_t *data;            /* item bytes for a worker, or NULL */
    size_t len;
    int hashed;               /* hashes filled (streamed or by a worker) */
    vg_file_hashes h;
    vg_match_rec *matches;
    size_t n_matches;
    int have_exif;
    vg_exif exif;
    int thumb_distance;
    const char *steg_verdict;  /* static name, NULL when not analysed */
    char steg_reason[256];
    char *steg_scores;         /* JSON, malloc'd */
    struct job *children;      /* payloads found inside (sub 1, 2...) */
    size_t n_children;
} job;

/* Steganalysis of a picture still in memory (j->data): fills the verdict and
 * scores, and makes a child job, hashed and matched, for each payload located
 * (appended data, an embedded file). */
void vgi_scan_steg(job *j, const vg_hash_opts *ho, const vg_scan_opts *o);

/* Frees what a job owns (children included) and the job. */
void vgi_job_free(job *j);

#endif
