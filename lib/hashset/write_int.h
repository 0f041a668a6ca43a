/* write_int.h - the writer object, shared by write.c and write_vics.c. */
#ifndef VIGIL_HS_WRITE_INT_H
#define VIGIL_HS_WRITE_INT_H

#include <stdio.h>

#include "vigil/hashset.h"
#include "vigil/util.h"

struct vg_hs_writer {
    FILE *f;
    int own; /* the writer opened f */
    vg_hs_write_opts o;
    const vg_hs_scheme *scheme;
    uint64_t written, skipped;
};

void vgi_hs_put_hex(FILE *f, const vg_hs_entry *e, unsigned kind);
void vgi_hs_vics_begin(vg_hs_writer *w);
vg_status vgi_hs_vics_media_out(vg_hs_writer *w, const vg_hs_entry *e, vg_error *err);
void vgi_hs_vics_end(vg_hs_writer *w);

#endif
