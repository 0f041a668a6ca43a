/* fuzz_serve_request.c - the serve API's body parsers (lookup, entries add,
 * entries remove) on arbitrary bytes: never a crash, a leak or an error
 * without a named field. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vg_serve_limits lim;
    vg_lookup_req q;
    vg_entries_req e;
    vg_parse_error pe;

    vg_serve_limits_init(&lim);
    lim.max_batch = 64;
    if (vg_serve_parse_lookup((const char *)data, size, &lim, &q, &pe) == VG_OK) {
        if (q.n == 0 || q.n > lim.max_batch)
            abort();
        for (size_t i = 0; i < q.n; i++)
            if (!q.items[i].has)
                abort();
        vg_lookup_req_free(&q);
    } else if (!pe.err.msg[0]) {
        abort();
    }
    if (vg_serve_parse_entries_add((const char *)data, size, &lim, &e, &pe) == VG_OK) {
        for (size_t i = 0; i < e.n; i++)
            if (!e.entries[i].has || !e.entries[i].category)
                abort();
        vg_entries_req_free(&e);
    }
    if (vg_serve_parse_entries_remove((const char *)data, size, &lim, &e, &pe) == VG_OK)
        vg_entries_req_free(&e);
    return 0;
}
