/* sets.c - `vigil sets`: import, list, show, export and remove named hash sets. */
#include <getopt.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "opts.h"
#include "vigil/library.h"
#include "vigil/util.h"

static const char sets_usage[] =
    "usage: vigil sets COMMAND [--library PATH] ...\n"
    "\n"
    "  import NAME FILE [--format F] [--scheme S]\n"
    "         store the hash-set FILE as set NAME (one transaction: a bad record\n"
    "         anywhere adds nothing). F: auto (default), vics, nsrl, nsrl3,\n"
    "         hashkeeper, md5sum, sha1sum, sha256sum, bsd, hashdeep, plain, pdq.\n"
    "         S: projectvic-us, dhs, uk, custom, or a scheme file.\n"
    "  list [--json]                      the sets, with counts per hash kind\n"
    "  show NAME [--limit N] [--json]     a set's record and its first N entries (10)\n"
    "  export NAME --format F [--kind md5|sha1|sha256] [--scheme S] [-o FILE]\n"
    "         F: vics (VICS 2.0 JSON), plain (one --kind hash per line, md5 by\n"
    "         default), md5sum, sha1sum, sha256sum, pdq (CSV); stdout by default\n"
    "  remove NAME                        delete a set and its entries\n"
    "\n"
    "  --library PATH   the library file (default $XDG_DATA_HOME/vigil/library.db,\n"
    "                   else ~/.local/share/vigil/library.db)\n"
    "\n"
    "exit status: 0 done, 1 failed (unknown set, name taken, bad input), 2 usage error.\n";

typedef struct sets_args {
    const char *library;
    const char *format;
    const char *scheme;
    const char *kind;
    const char *output;
    int json;
    uint64_t limit;
    const char *pos[3];
    int npos;
} sets_args;

static int usage_error(const char *fmt, const char *arg)
{
    fputs("vigil sets: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(sets_usage, stderr);
    return VG_EXIT_USAGE;
}

/* Parses argv (argv[0] is the sub-command) into a; returns -1 on a usage
 * error (reported), -2 for --help. */
static int parse_sets_args(int argc, char **argv, sets_args *a)
{
    enum { O_LIB = 256, O_FMT, O_SCHEME, O_KIND, O_JSON, O_LIMIT };
    static const struct option longopts[] = {
        {"library", required_argument, NULL, O_LIB}, {"format", required_argument, NULL, O_FMT},
        {"scheme", required_argument, NULL, O_SCHEME}, {"kind", required_argument, NULL, O_KIND},
        {"output", required_argument, NULL, 'o'},    {"json", no_argument, NULL, O_JSON},
        {"limit", required_argument, NULL, O_LIMIT}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;

    memset(a, 0, sizeof *a);
    a->limit = 10;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (c) {
        case O_LIB: a->library = optarg; break;
        case O_FMT: a->format = optarg; break;
        case O_SCHEME: a->scheme = optarg; break;
        case O_KIND: a->kind = optarg; break;
        case 'o': a->output = optarg; break;
        case O_JSON: a->json = 1; break;
        case O_LIMIT: {
            char *end;
            a->limit = strtoull(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end) {
                usage_error("--limit takes a number, not '%s'", optarg);
                return -1;
            }
            break;
        }
        case 'h': return -2;
        default: fputs(sets_usage, stderr); return -1;
        }
    }
    a->pos[a->npos++] = argv[0]; /* the sub-command: pos[1] is its first argument */
    for (int i = optind; i < argc; i++) {
        if (a->npos == 3) {
            usage_error("too many arguments at '%s'", argv[i]);
            return -1;
        }
        a->pos[a->npos++] = argv[i];
    }
    return 0;
}

int cli_open_library(const char *path, int create, struct vg_library **out, const char *cmd)
{
    char def[4096];
    vg_error err;

    vg_error_clear(&err);
    if (!path) {
        if (vg_library_default_path(def, sizeof def, &err) != VG_OK) {
            fprintf(stderr, "vigil %s: %s\n", cmd, err.msg);
            return VG_EXIT_USAGE;
        }
        path = def;
    }
    if (vg_library_open(path, create, out, &err) != VG_OK) {
        fprintf(stderr, "vigil %s: %s\n", cmd, err.msg);
        return VG_EXIT_PARTIAL;
    }
    return VG_EXIT_OK;
}

static void print_counts(FILE *f, const vg_set_info *i)
{
    fprintf(f, "%" PRIu64 " entries (md5 %" PRIu64 ", sha1 %" PRIu64 ", sha256 %" PRIu64
               ", pdq %" PRIu64 ", photodna %" PRIu64 ")",
            i->entries, i->n_md5, i->n_sha1, i->n_sha256, i->n_pdq, i->n_photodna);
}

static int sets_import(vg_library *lib, const sets_args *a)
{
    vg_hs_format fmt = VG_HS_FMT_AUTO;
    const vg_hs_scheme *scheme;
    vg_hs_scheme *loaded;
    vg_set_info info;
    vg_hs_stats hs;
    vg_error err;

    if (a->npos != 3)
        return usage_error("import takes NAME FILE%s", "");
    if (a->format && vg_hs_format_from_name(a->format, &fmt) != VG_OK)
        return usage_error("unknown hash-set format '%s'", a->format);
    if (!vg_set_name_valid(a->pos[1]))
        return usage_error("bad set name '%s': use up to 64 of A-Z a-z 0-9 . _ - "
                           "(not starting with . or -)", a->pos[1]);
    if (resolve_scheme("sets", a->scheme, &scheme, &loaded) != 0)
        return VG_EXIT_USAGE;
    vg_error_clear(&err);
    vg_status st = vg_library_import(lib, a->pos[1], a->pos[2], fmt, scheme, &info, &hs, &err);
    vg_hs_scheme_free(loaded);
    if (st != VG_OK) {
        fprintf(stderr, "vigil sets import: %s (nothing imported)\n", err.msg);
        return VG_EXIT_PARTIAL;
    }
    if (hs.warnings)
        fprintf(stderr, "vigil sets import: %" PRIu64 " warnings, the first: %s\n", hs.warnings,
                hs.first_warning);
    printf("imported set '%s' from %s (%s, scheme %s): ", info.name, a->pos[2], info.format,
           info.scheme);
    print_counts(stdout, &info);
    putchar('\n');
    return VG_EXIT_OK;
}

static void json_str_field(const char *key, const char *v, int first)
{
    printf("%s\"%s\":", first ? "" : ",", key);
    vg_json_str(stdout, v);
}

static void print_info_json(const vg_set_info *i)
{
    json_str_field("name", i->name, 1);
    printf(",\"version\":%" PRId64, i->version);
    json_str_field("source", i->source, 0);
    json_str_field("source_sha256", i->source_sha256, 0);
    json_str_field("imported", i->imported, 0);
    json_str_field("updated", i->updated, 0);
    json_str_field("format", i->format, 0);
    json_str_field("scheme", i->scheme, 0);
    json_str_field("vics_version", i->vics_version, 0);
    json_str_field("vics_context", i->vics_context, 0);
    printf(",\"entries\":%" PRIu64 ",\"md5\":%" PRIu64 ",\"sha1\":%" PRIu64
           ",\"sha256\":%" PRIu64 ",\"pdq\":%" PRIu64 ",\"photodna\":%" PRIu64,
           i->entries, i->n_md5, i->n_sha1, i->n_sha256, i->n_pdq, i->n_photodna);
}

static int sets_list(vg_library *lib, const sets_args *a)
{
    vg_set_info *v;
    size_t n;
    vg_error err;

    if (a->npos != 1)
        return usage_error("list takes no argument, not '%s'", a->pos[1]);
    vg_error_clear(&err);
    if (vg_library_list(lib, &v, &n, &err) != VG_OK) {
        fprintf(stderr, "vigil sets list: %s\n", err.msg);
        return VG_EXIT_PARTIAL;
    }
    if (!a->json)
        printf("%-24s %10s %10s %10s %10s %10s  %-10s %-14s %s\n", "NAME", "ENTRIES", "MD5",
               "SHA1", "SHA256", "PDQ", "FORMAT", "SCHEME", "IMPORTED");
    for (size_t i = 0; i < n; i++) {
        if (a->json) {
            putchar('{');
            print_info_json(&v[i]);
            puts("}");
            continue;
        }
        printf("%-24s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64
               "  %-10s %-14s %s\n",
               v[i].name, v[i].entries, v[i].n_md5, v[i].n_sha1, v[i].n_sha256, v[i].n_pdq,
               v[i].format, v[i].scheme, v[i].imported);
    }
    free(v);
    return VG_EXIT_OK;
}

static void print_info_text(const vg_set_info *i)
{
    printf("set:          %s\n", i->name);
    printf("entries:      ");
    print_counts(stdout, i);
    printf("\nsource:       %s\n", i->source);
    printf("sha256:       %s\n", i->source_sha256);
    printf("format:       %s\n", i->format);
    if (i->vics_version[0])
        printf("vics:         %s, context %s\n", i->vics_version, i->vics_context);
    printf("scheme:       %s\n", i->scheme);
    printf("imported:     %s\n", i->imported);
    printf("updated:      %s (version %" PRId64 ")\n", i->updated, i->version);
}

static int show_entry(void *ctx, uint64_t id, const vg_hs_entry *e)
{
    const sets_args *a = ctx;
    static const struct { unsigned bit; const char *key; size_t len; size_t off; } hs[] = {
        {VG_HS_HAS_MD5, "md5", 16, offsetof(vg_hs_entry, md5)},
        {VG_HS_HAS_SHA1, "sha1", 20, offsetof(vg_hs_entry, sha1)},
        {VG_HS_HAS_SHA256, "sha256", 32, offsetof(vg_hs_entry, sha256)},
        {VG_HS_HAS_PDQ, "pdq", 32, offsetof(vg_hs_entry, pdq)}};
    char hex[65];

    printf(a->json ? "{\"entry\":%" PRIu64 : "%" PRIu64, id);
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++) {
        if (!(e->has & hs[i].bit))
            continue;
        vg_hex_encode((const uint8_t *)e + hs[i].off, hs[i].len, hex);
        printf(a->json ? ",\"%s\":\"%s\"" : "  %s %s", hs[i].key, hex);
    }
    if (a->json) {
        json_str_field("category", e->category, 0);
        json_str_field("category_label", e->category_label, 0);
        printf(",\"labels\":[");
        for (size_t i = 0; i < e->n_labels; i++) {
            if (i)
                putchar(',');
            vg_json_str(stdout, e->labels[i]);
        }
        putchar(']');
        if (e->name)
            json_str_field("name", e->name, 0);
        puts("}");
        return 0;
    }
    printf("  category %s (%s)", e->category, e->category_label);
    for (size_t i = 0; i < e->n_labels; i++)
        printf("%s%s", i ? ", " : "  labels ", e->labels[i]);
    if (e->name)
        printf("  name %s", e->name);
    putchar('\n');
    return 0;
}

static int sets_show(vg_library *lib, const sets_args *a)
{
    vg_set_info info;
    vg_error err;

    if (a->npos != 2)
        return usage_error("show takes NAME%s", "");
    vg_error_clear(&err);
    if (vg_library_set_info(lib, a->pos[1], &info, &err) != VG_OK) {
        fprintf(stderr, "vigil sets show: %s\n", err.msg);
        return VG_EXIT_PARTIAL;
    }
    if (a->json) {
        printf("{\"set\":{");
        print_info_json(&info);
        puts("}}");
    } else {
        print_info_text(&info);
        if (a->limit && info.entries)
            printf("first %" PRIu64 " entries (id, hashes, category):\n",
                   a->limit < info.entries ? a->limit : info.entries);
    }
    if (a->limit &&
        vg_library_entries(lib, a->pos[1], 0, a->limit, show_entry, (void *)a, &err) != VG_OK) {
        fprintf(stderr, "vigil sets show: %s\n", err.msg);
        return VG_EXIT_PARTIAL;
    }
    return VG_EXIT_OK;
}

static int parse_export_format(const sets_args *a, vg_hs_write_opts *o)
{
    static const struct { const char *name; unsigned bit; } kinds[] = {
        {"md5", VG_HS_HAS_MD5}, {"sha1", VG_HS_HAS_SHA1}, {"sha256", VG_HS_HAS_SHA256}};

    memset(o, 0, sizeof *o);
    if (!a->format || vg_hs_format_from_name(a->format, &o->format) != VG_OK)
        return usage_error("export needs --format vics, plain, md5sum, sha1sum, sha256sum or "
                           "pdq%s", "");
    switch (o->format) {
    case VG_HS_FMT_VICS: case VG_HS_FMT_PLAIN: case VG_HS_FMT_MD5SUM:
    case VG_HS_FMT_SHA1SUM: case VG_HS_FMT_SHA256SUM: case VG_HS_FMT_PDQ: break;
    default: return usage_error("cannot export as '%s'", a->format);
    }
    o->kind = VG_HS_HAS_MD5;
    if (a->kind) {
        o->kind = 0;
        for (size_t i = 0; i < 3; i++)
            if (strcmp(a->kind, kinds[i].name) == 0)
                o->kind = kinds[i].bit;
        if (!o->kind)
            return usage_error("--kind takes md5, sha1 or sha256, not '%s'", a->kind);
    }
    return 0;
}

static int sets_export(vg_library *lib, const sets_args *a)
{
    vg_hs_write_opts o;
    const vg_hs_scheme *scheme;
    vg_hs_scheme *loaded;
    uint64_t written = 0, skipped = 0;
    vg_error err;
    int rc;

    if (a->npos != 2)
        return usage_error("export takes NAME%s", "");
    if ((rc = parse_export_format(a, &o)) != 0)
        return rc;
    if (resolve_scheme("sets", a->scheme, &scheme, &loaded) != 0)
        return VG_EXIT_USAGE;
    o.scheme = scheme;
    vg_error_clear(&err);
    vg_status st = vg_library_export(lib, a->pos[1], &o, a->output, a->output ? NULL : stdout,
                                     &written, &skipped, &err);
    vg_hs_scheme_free(loaded);
    if (st != VG_OK) {
        fprintf(stderr, "vigil sets export: %s\n", err.msg);
        return VG_EXIT_PARTIAL;
    }
    fflush(stdout);
    fprintf(stderr, "vigil sets export: %" PRIu64 " entries written, %" PRIu64
                    " skipped (without the needed hash)\n", written, skipped);
    return VG_EXIT_OK;
}

static int sets_remove(vg_library *lib, const sets_args *a)
{
    vg_error err;

    if (a->npos != 2)
        return usage_error("remove takes NAME%s", "");
    vg_error_clear(&err);
    if (vg_library_remove(lib, a->pos[1], &err) != VG_OK) {
        fprintf(stderr, "vigil sets remove: %s\n", err.msg);
        return VG_EXIT_PARTIAL;
    }
    printf("removed set '%s'\n", a->pos[1]);
    return VG_EXIT_OK;
}

static const struct sets_cmd {
    const char *name;
    int (*fn)(vg_library *lib, const sets_args *a);
    int create;
    int npos; /* arguments with the sub-command's name */
} sets_cmds[] = {{"import", sets_import, 1, 3}, {"list", sets_list, 0, 1},
                 {"show", sets_show, 0, 2}, {"export", sets_export, 0, 2},
                 {"remove", sets_remove, 0, 2}};

int cmd_sets(int argc, char **argv)
{
    sets_args a;
    vg_library *lib;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(sets_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? VG_EXIT_USAGE : VG_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof sets_cmds / sizeof sets_cmds[0]; i++) {
        if (strcmp(argv[1], sets_cmds[i].name) != 0)
            continue;
        if ((rc = parse_sets_args(argc - 1, argv + 1, &a)) != 0) {
            if (rc == -2)
                fputs(sets_usage, stdout);
            return rc == -2 ? VG_EXIT_OK : VG_EXIT_USAGE;
        }
        if (a.npos != sets_cmds[i].npos) {
            fprintf(stderr, "vigil sets %s: takes %s\n", argv[1],
                    sets_cmds[i].npos == 3 ? "NAME FILE"
                                           : sets_cmds[i].npos == 2 ? "NAME" : "no argument");
            fputs(sets_usage, stderr);
            return VG_EXIT_USAGE;
        }
        if ((rc = cli_open_library(a.library, sets_cmds[i].create, &lib, "sets")) != 0)
            return rc;
        rc = sets_cmds[i].fn(lib, &a);
        vg_library_close(lib);
        if (rc == VG_EXIT_OK && ferror(stdout)) {
            fprintf(stderr, "vigil sets: writing the output failed\n");
            return VG_EXIT_FATAL;
        }
        return rc;
    }
    return usage_error("no sub-command '%s'", argv[1]);
}
