/* disk_int.h - what disk.c and carve_disk.c share: one volume being walked. */
#ifndef VIGIL_DISK_INT_H
#define VIGIL_DISK_INT_H

#include <tsk/libtsk.h>

#include "evidence_int.h"

typedef struct vgi_vol {
    vgi_walk *w;
    vg_item *image;     /* the disk image item: parent of everything found */
    TSK_IMG_INFO *img;
    char prefix[32];    /* "p1/" inside a volume system, "" without one */
    int64_t vol_off;    /* byte offset of the volume, -1 for unpartitioned space */
} vgi_vol;

/* The last TSK error message (never NULL). */
const char *vgi_tsk_msg(void);
/* Carves [off, off+len) of the image; items under prefix "$Carved/". */
void vgi_carve_range(vgi_vol *v, uint64_t off, uint64_t len);
/* Carves each run of contiguous unallocated blocks of fs. */
void vgi_carve_unalloc(vgi_vol *v, TSK_FS_INFO *fs);

#endif
