/* format.c - hash-set format names. */
#include <strings.h>

#include "vigil/hashset.h"

static const char *const names[VG_HS_FMT_COUNT] = {
    "auto",     "vics",      "nsrl", "nsrl3",    "hashkeeper", "md5sum",
    "sha1sum",  "sha256sum", "bsd",  "hashdeep", "plain",      "pdq"};

const char *vg_hs_format_name(vg_hs_format f)
{
    if ((int)f < 0 || f >= VG_HS_FMT_COUNT)
        return "?";
    return names[f];
}

vg_status vg_hs_format_from_name(const char *name, vg_hs_format *out)
{
    static const struct {
        const char *alias;
        vg_hs_format f;
    } aliases[] = {{"rds2", VG_HS_FMT_NSRL_RDS2}, {"nsrl2", VG_HS_FMT_NSRL_RDS2},
                   {"rds3", VG_HS_FMT_NSRL_RDS3}, {"hsh", VG_HS_FMT_HASHKEEPER},
                   {"md5deep", VG_HS_FMT_HASHDEEP}, {"json", VG_HS_FMT_VICS}};
    if (!name)
        return VG_ERR_ARG;
    for (int i = 0; i < VG_HS_FMT_COUNT; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            *out = (vg_hs_format)i;
            return VG_OK;
        }
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcasecmp(name, aliases[i].alias) == 0) {
            *out = aliases[i].f;
            return VG_OK;
        }
    }
    return VG_ERR_ARG;
}
