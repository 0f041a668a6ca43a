/* arcmake.h - archives written with libarchive for the tests: any name (path
 * traversal included), any nesting, compressed streams, zip bombs. */
#ifndef VIGIL_ARCMAKE_H
#define VIGIL_ARCMAKE_H

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

typedef struct am_entry {
    const char *name;
    const void *data;
    size_t len;
} am_entry;

enum { AM_ZIP, AM_TARGZ, AM_7Z, AM_TARXZ, AM_GZRAW, AM_ZIPCRYPT };

/* Writes the entries as an archive into a malloc'd buffer (*out, *outlen).
 * Returns 0, or -1 when libarchive refuses (e.g. no encryption support). */
static inline int am_make(int fmt, const am_entry *e, size_t n, uint8_t **out, size_t *outlen)
{
    struct archive *a = archive_write_new();
    size_t cap = 1024 * 1024, used = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        cap += e[i].len + 1024;
    *out = malloc(cap);
    if (fmt == AM_ZIP || fmt == AM_ZIPCRYPT)
        archive_write_set_format_zip(a);
    else if (fmt == AM_7Z)
        archive_write_set_format_7zip(a);
    else if (fmt == AM_GZRAW)
        archive_write_set_format_raw(a);
    else
        archive_write_set_format_pax_restricted(a);
    if (fmt == AM_TARGZ || fmt == AM_GZRAW)
        archive_write_add_filter_gzip(a);
    if (fmt == AM_TARXZ)
        archive_write_add_filter_xz(a);
    if (fmt == AM_ZIPCRYPT &&
        (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK ||
         archive_write_set_passphrase(a, "secret") != ARCHIVE_OK))
        rc = -1;
    archive_write_set_bytes_in_last_block(a, 1);
    if (rc == 0 && archive_write_open_memory(a, *out, cap, &used) != ARCHIVE_OK)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct archive_entry *en = archive_entry_new();
        archive_entry_set_pathname(en, e[i].name);
        archive_entry_set_size(en, (la_int64_t)e[i].len);
        archive_entry_set_filetype(en, AE_IFREG);
        archive_entry_set_perm(en, 0644);
        archive_entry_set_mtime(en, 1600000000 + (time_t)i, 0);
        if (archive_write_header(a, en) != ARCHIVE_OK ||
            (e[i].len && archive_write_data(a, e[i].data, e[i].len) != (la_ssize_t)e[i].len))
            rc = -1;
        archive_entry_free(en);
    }
    if (archive_write_close(a) != ARCHIVE_OK)
        rc = -1;
    archive_write_free(a);
    *outlen = used;
    return rc;
}

#endif
