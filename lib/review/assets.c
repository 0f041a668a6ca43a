/* assets.c - finding an embedded asset by name (the table is generated from
 * lib/review/assets by embed.cmake). */
#include <string.h>

#include "review_int.h"

const vgi_asset *vgi_asset_find(const char *name)
{
    for (size_t i = 0; i < vgi_n_assets; i++)
        if (strcmp(vgi_assets[i].name, name) == 0)
            return &vgi_assets[i];
    return NULL;
}
