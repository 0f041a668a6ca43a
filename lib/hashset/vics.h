/* vics.h - VICS reading shared between the document walk and Media conversion. */
#ifndef VIGIL_HS_VICS_H
#define VIGIL_HS_VICS_H

#include "json.h"

typedef struct media_out media_out;

typedef struct vgi_vics {
    vgi_hs_ctx *c;
    vgi_json j;
    jarena elem;    /* members of the current value[] element */
    jarena media;   /* one Media inside a case */
    jarena scratch; /* strings made while converting one Media */
    media_out *out; /* conversion state, reused for every Media */
} vgi_vics;

/* Allocates the conversion state (NULL when out of memory); free() it. */
media_out *vgi_hs_vics_out_new(void);

/* Converts one Media tree to entries (one, plus one per extra hash). */
vg_status vgi_hs_vics_media(vgi_vics *v, const jnode *media);
/* Chooses the scheme from the context when the caller gave none. */
void vgi_hs_vics_pick_scheme(vgi_hs_ctx *c);

#endif
