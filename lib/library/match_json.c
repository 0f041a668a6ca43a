/* match_json.c - one match as a JSON object, the same for `vigil match` and
 * the HTTP service. */
#include <inttypes.h>

#include "vigil/library.h"
#include "vigil/text.h"

void vg_match_json(FILE *f, const vg_match *m)
{
    fputs("{\"set\":", f);
    vg_json_str(f, m->set);
    fprintf(f, ",\"kind\":\"%s\",\"distance\":%d", vg_match_kind_name(m->kind), m->distance);
    if (m->kind == VG_MATCH_PDQ)
        fprintf(f, ",\"variant\":\"%s\"", vg_pdq_variant_name((vg_pdq_variant)m->variant));
    fputs(",\"category\":", f);
    vg_json_str(f, m->category ? m->category : "none");
    fputs(",\"category_label\":", f);
    vg_json_str(f, m->category_label ? m->category_label : "");
    fputs(",\"labels\":[", f);
    for (size_t k = 0; k < m->n_labels; k++) {
        if (k)
            fputc(',', f);
        vg_json_str(f, m->labels[k]);
    }
    fputs("],\"name\":", f);
    if (m->name)
        vg_json_str(f, m->name);
    else
        fputs("null", f);
    fprintf(f, ",\"entry\":%" PRIu64 "}", m->entry);
}
