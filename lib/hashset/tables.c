/* tables.c - NSRL RDS 2.x NSRLFile.txt and HashKeeper .hsh, by their headers. */
#include "csvtable.h"

vg_status vgi_hs_read_nsrl2(vgi_hs_ctx *c)
{
    static const vgi_csv_col cols[] = {{"SHA-1", VGI_COL_SHA1},   {"MD5", VGI_COL_MD5},
                                       {"SHA-256", VGI_COL_SHA256}, {"FileName", VGI_COL_NAME},
                                       {"FileSize", VGI_COL_SIZE}, {NULL, VGI_COL_SKIP}};
    static const vgi_csv_spec spec = {cols, 1u << VGI_COL_SHA1 | 1u << VGI_COL_MD5,
                                      "\"SHA-1\" and \"MD5\""};
    return vgi_hs_read_csv(c, &spec);
}

/* The .hsh "hash" column is an MD5 (HashKeeper predates SHA-1 sets). */
vg_status vgi_hs_read_hashkeeper(vgi_hs_ctx *c)
{
    static const vgi_csv_col cols[] = {{"hash", VGI_COL_MD5},
                                       {"file_name", VGI_COL_NAME},
                                       {"file_size", VGI_COL_SIZE},
                                       {NULL, VGI_COL_SKIP}};
    static const vgi_csv_spec spec = {cols, 1u << VGI_COL_MD5, "\"hash\""};
    return vgi_hs_read_csv(c, &spec);
}
