/* hashset.h - import and export of the hash-set formats agencies exchange.
 *
 * Reading is streaming: vg_hashset_read() calls back once per entry and holds
 * at most one line (text formats, <= VG_HS_MAX_LINE bytes) or one VICS Media
 * object (<= VG_HS_MAX_MEDIA bytes of JSON) in memory, so a 2 GB export needs
 * a few megabytes. The reader does not keep entries: the caller stores them.
 *
 * All-or-nothing: the first malformed record stops the import with an error
 * naming file and line ("vics-2.0-case-us.json:57: MD5 has 31 hex digits").
 * Entries already handed to the callback are then invalid: the caller (the
 * hash library) wraps one import in one transaction and rolls it back.
 *
 * Categories are never hard-wired numbers: every raw value (VICS "Category",
 * a PDQ CSV "category" column) goes through a vg_hs_scheme, which turns it
 * into a short code ("1", "CAT-1", "A") and its label. An absent or null
 * category is the code "none", kept distinct from "0". See docs/hashsets.md.
 */
#ifndef VIGIL_HASHSET_H
#define VIGIL_HASHSET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vigil/pdq.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VG_HS_MAX_LINE (1u << 20)   /* longest accepted text line, bytes */
#define VG_HS_MAX_MEDIA (16u << 20) /* largest VICS Media (or case header) object */
#define VG_HS_MAX_DEPTH 64          /* JSON nesting limit */
#define VG_HS_MAX_LABELS 64         /* labels kept per entry (more: error) */

/* Formats. The numbers are stable (the hash library may store them), but
 * store vg_hs_format_name() in files, never the number. */
typedef enum vg_hs_format {
    VG_HS_FMT_AUTO = 0,    /* "auto": detect by content, see vg_hs_detect() */
    VG_HS_FMT_VICS,        /* "vics": Project VIC 1.x/2.0, hash-set (#Media) or case (#Cases) */
    VG_HS_FMT_NSRL_RDS2,   /* "nsrl": NSRLFile.txt, quoted CSV */
    VG_HS_FMT_NSRL_RDS3,   /* "nsrl3": RDSv3 SQLite database, FILE table */
    VG_HS_FMT_HASHKEEPER,  /* "hashkeeper": .hsh file table */
    VG_HS_FMT_MD5SUM,      /* "md5sum": GNU "HASH  name" / "HASH *name" */
    VG_HS_FMT_SHA1SUM,     /* "sha1sum" */
    VG_HS_FMT_SHA256SUM,   /* "sha256sum" */
    VG_HS_FMT_BSD,         /* "bsd": "MD5 (name) = HASH", also SHA1, SHA256 */
    VG_HS_FMT_HASHDEEP,    /* "hashdeep": %%%% HASHDEEP-1.0 audit file */
    VG_HS_FMT_PLAIN,       /* "plain": one hash per line, kind by length 32/40/64 */
    VG_HS_FMT_PDQ,         /* "pdq": "HEX[,quality[,label]]" lines, or CSV with a header */
    VG_HS_FMT_COUNT        /* not a format: one past the last */
} vg_hs_format;

/* "vics", "nsrl", ... as listed above; "?" for an out-of-range value. */
const char *vg_hs_format_name(vg_hs_format f);

/* Parses a name (case-insensitive; also "rds2", "rds3", "hsh", "sha256sum",
 * "md5deep"). VG_ERR_ARG for an unknown name, *out untouched. */
vg_status vg_hs_format_from_name(const char *name, vg_hs_format *out);

/* Which values an entry carries (vg_hs_entry.has). */
enum {
    VG_HS_HAS_MD5 = 1u << 0,
    VG_HS_HAS_SHA1 = 1u << 1,
    VG_HS_HAS_SHA256 = 1u << 2,
    VG_HS_HAS_PDQ = 1u << 3,
    VG_HS_HAS_SIZE = 1u << 4,
    VG_HS_HAS_PHOTODNA = 1u << 5
};
#define VG_HS_HASHES (VG_HS_HAS_MD5 | VG_HS_HAS_SHA1 | VG_HS_HAS_SHA256 | VG_HS_HAS_PDQ)

/* One entry. Every pointer is borrowed: valid only during the callback that
 * receives it (copy what you keep). Strings are NUL-terminated bytes as the
 * file has them (JSON escapes decoded to UTF-8); they are not validated as
 * UTF-8, since names in *sum and CSV lists often come from other code pages. */
typedef struct vg_hs_entry {
    unsigned has;              /* VG_HS_HAS_* bits; at least one hash or PhotoDNA */
    uint8_t md5[16];
    uint8_t sha1[20];
    uint8_t sha256[32];
    vg_pdq pdq;
    int pdq_quality;           /* 0..100, -1 unknown */
    uint64_t size;             /* file size in bytes when has & VG_HS_HAS_SIZE */
    const char *name;          /* file name, NULL when the format gives none */
    const char *category;      /* scheme code: "1", "CAT-1", "A"; "none" when absent/null */
    const char *category_label;/* the scheme's label for it; never NULL */
    const char *const *labels; /* free labels ("series:X", "#tag", "VictimIdentified") */
    size_t n_labels;
    const char *photodna;      /* opaque PhotoDNA string (base64), NULL when absent */
    const char *updated;       /* date of the record as ISO 8601 UTC
                                * "2026-01-02T02:04:05Z", NULL when absent */
    uint64_t record;           /* 1-based line (text, VICS: line of the Media's '{')
                                * or row number (RDSv3), for messages */
} vg_hs_entry;

/* Callback: return 0 to go on; any other value stops the import, and
 * vg_hashset_read returns that value as its status. */
typedef int (*vg_hs_entry_cb)(void *ctx, const vg_hs_entry *e);

/* ---- category schemes ---------------------------------------------------- */

typedef struct vg_hs_scheme vg_hs_scheme;

/* Built-in schemes by name (case-insensitive):
 *   "projectvic-us" (also "us", "vic-us"): codes 0..4, VICS numbers 0..4
 *   "dhs" (also "autopsy-old"): CAT-0..CAT-5, VICS numbers 0..5
 *   "uk": A, B, C, NI (non-indecent); NO VICS numbers, because the numbers
 *         the UK context uses are not publicly verified: load a scheme file
 *         that states them (A.vics = N) to read numeric UK categories
 *   "custom": passes every raw value through as both code and label
 * Returns NULL for an unknown name. The result is static: never free it. */
const vg_hs_scheme *vg_hs_scheme_builtin(const char *name);

/* Loads a scheme file (syntax in docs/hashsets.md: "name = X", then
 * "CODE = LABEL", "CODE.vics = N", "CODE.alias = TEXT", "none = LABEL").
 * On success *out is a new scheme the caller frees with vg_hs_scheme_free.
 * VG_ERR_SYNTAX with "file:line: ..." on a bad line. */
vg_status vg_hs_scheme_load(const char *path, vg_hs_scheme **out, vg_error *err);

/* Frees a loaded scheme; NULL and built-in schemes are ignored. */
void vg_hs_scheme_free(vg_hs_scheme *s);

/* The scheme's name ("projectvic-us"). */
const char *vg_hs_scheme_name(const vg_hs_scheme *s);

/* Maps a raw category value (NULL = absent or null) to *code and *label
 * (pointers into the scheme, or into raw for "custom"). A raw value matches a
 * code, its VICS number, an alias or the label (case-insensitive).
 * VG_ERR_NOTFOUND when the scheme does not know raw. */
vg_status vg_hs_scheme_map(const vg_hs_scheme *s, const char *raw, const char **code,
                           const char **label);

/* The scheme's categories, in its order (a file's: the order of its lines):
 * how many, and the i-th code and label (NULL past the end). "custom" has
 * none: it takes any value. */
size_t vg_hs_scheme_count(const vg_hs_scheme *s);
const char *vg_hs_scheme_code(const vg_hs_scheme *s, size_t i);
const char *vg_hs_scheme_label(const vg_hs_scheme *s, size_t i);

/* The VICS "Category" integer for a code; -1 for "none", -2 when the scheme
 * has no number for it (export then fails), raw integer codes for "custom". */
int vg_hs_scheme_vics_number(const vg_hs_scheme *s, const char *code);

/* ---- import -------------------------------------------------------------- */

typedef struct vg_hs_stats {
    vg_hs_format format;       /* the format read (AUTO resolved) */
    uint64_t entries;          /* entries handed to the callback */
    uint64_t records;          /* lines (text) or Media objects / rows read */
    uint64_t skipped;          /* blank lines, comments, headers, case headers */
    uint64_t warnings;         /* oddities that do not fail the import */
    char first_warning[256];   /* the first of them, "" when none */
    char vics_version[8];      /* "1.3", "2.0"; "" when not VICS or unknown */
    char vics_context[16];     /* "US", "UK", "Default", "CUSTOM"; "" unknown */
    char vics_set[16];         /* "Media" or "Cases" as the context names it */
    char scheme[48];           /* name of the scheme categories went through */
} vg_hs_stats;

/* Looks at the start of a file and names its format. VG_ERR_FORMAT when no
 * rule fits (e.g. a Griffeye CSV or a HashKeeper .hke set table).
 * Rules in docs/hashsets.md; in short: SQLite magic -> nsrl3; '{' -> vics;
 * known header lines -> nsrl / hashkeeper / hashdeep / pdq CSV; the first
 * data line decides between bsd, *sum, pdq and plain. A bare list of 64-hex
 * lines is plain (SHA-256): ask for "pdq" explicitly to read it as PDQ. */
vg_status vg_hs_detect(const char *path, vg_hs_format *out, vg_error *err);
vg_status vg_hs_detect_mem(const void *buf, size_t len, vg_hs_format *out, vg_error *err);

/* Reads path in format fmt (AUTO: detect), mapping categories through scheme
 * (NULL: for VICS the context decides, US/Default/1.x -> "projectvic-us",
 * UK/CUSTOM -> "custom"; other formats "custom"). Calls cb per entry.
 * stats (optional) is filled even on error. Errors: VG_ERR_OPEN, VG_ERR_IO,
 * VG_ERR_FORMAT (AUTO found nothing), VG_ERR_SYNTAX (bad record, with
 * "file:line[:col]: ..."), VG_ERR_TRUNCATED (JSON ends early),
 * VG_ERR_LIMIT (line / Media / depth / label limits), VG_ERR_NOTFOUND (a
 * category the scheme does not know), VG_ERR_DB (RDSv3), VG_ERR_EMPTY (no
 * entries at all), or the callback's non-zero value. */
vg_status vg_hashset_read(const char *path, vg_hs_format fmt, const vg_hs_scheme *scheme,
                          vg_hs_entry_cb cb, void *ctx, vg_hs_stats *stats, vg_error *err);

/* The same over a memory buffer (every format but nsrl3); name is used in
 * messages. For tests and fuzzing. */
vg_status vg_hashset_read_mem(const void *buf, size_t len, const char *name, vg_hs_format fmt,
                              const vg_hs_scheme *scheme, vg_hs_entry_cb cb, void *ctx,
                              vg_hs_stats *stats, vg_error *err);

/* ---- export -------------------------------------------------------------- */

/* Writers exist for VG_HS_FMT_VICS (2.0 hash-set form, "#Media"),
 * VG_HS_FMT_PLAIN (one hash of the kind `kind` per line), VG_HS_FMT_MD5SUM /
 * SHA1SUM / SHA256SUM ("HASH  name") and VG_HS_FMT_PDQ (CSV with header
 * "pdq,quality,category,labels,name"). Entries without the needed hash are
 * skipped and counted. */
typedef struct vg_hs_write_opts {
    vg_hs_format format;
    unsigned kind;                /* for PLAIN: VG_HS_HAS_MD5, _SHA1 or _SHA256 */
    const vg_hs_scheme *scheme;   /* VICS: maps codes back to Category numbers;
                                   * NULL = "projectvic-us" */
    const char *vics_context;     /* VICS context segment, NULL = "Default" */
} vg_hs_write_opts;

typedef struct vg_hs_writer vg_hs_writer;

/* Opens a writer on path (created/truncated) or on an open stream f (not
 * closed by the writer). On error *out is NULL. */
vg_status vg_hs_writer_open(const char *path, const vg_hs_write_opts *opts, vg_hs_writer **out,
                            vg_error *err);
vg_status vg_hs_writer_open_file(FILE *f, const vg_hs_write_opts *opts, vg_hs_writer **out,
                                 vg_error *err);

/* Writes one entry. VG_ERR_UNSUPPORTED when VICS cannot express its category
 * in the scheme; VG_ERR_IO on a write error. */
vg_status vg_hs_writer_add(vg_hs_writer *w, const vg_hs_entry *e, vg_error *err);

/* Finishes the document (VICS closing brackets), flushes, closes a file the
 * writer opened, frees w (also on error). written/skipped may be NULL. */
vg_status vg_hs_writer_close(vg_hs_writer *w, uint64_t *written, uint64_t *skipped,
                             vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
