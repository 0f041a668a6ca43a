/* steg.c - `vigil steg`: hidden-data checks of pictures, and payload extraction. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "emit.h"
#include "opts.h"
#include "vigil/steg.h"
#include "walk.h"

static const char steg_usage[] =
    "usage: vigil steg [--format jsonl|text] [--extract DIR] PATH...\n"
    "\n"
    "Checks pictures for hidden data: data after the image's end, files embedded\n"
    "in it (polyglots), odd or oversized segments and tool marks; LSB replacement\n"
    "in never-lossy pictures (SPA, weighted stego, RS, chi-square); JPEG\n"
    "statistics (jsteg chi-square, F5 calibration, calibrated blockiness). Each\n"
    "picture gets a verdict: clean, suspicious (detector and score) or payload\n"
    "(located, with offset and length). Thresholds: docs/steg.md.\n"
    "\n"
    "options:\n"
    "  --format jsonl|text  output (default jsonl)\n"
    "  --extract DIR        write each located payload to DIR as\n"
    "                       NAME.OFFSET.TYPE (DIR must exist; never beside evidence\n"
    "                       unless you choose so)\n"
    "  --max-file-size N    largest file read (default 1G)\n"
    "  -h, --help           this help\n"
    "\n"
    "exit status: 0 checked (whatever the verdicts), 1 some file could not be read\n"
    "or a payload not written, 2 usage error.\n";

typedef struct steg_run {
    int text;
    const char *extract;
    uint64_t max_bytes;
    unsigned long files, payload, suspicious, errors;
} steg_run;

static const char *kind_name(vg_steg_kind k)
{
    switch (k) {
    case VG_STEG_APPENDED: return "appended";
    case VG_STEG_EMBEDDED: return "embedded";
    case VG_STEG_SEGMENT: return "segment";
    case VG_STEG_TOOLMARK: return "toolmark";
    }
    return "unknown";
}

/* Reads a regular file of at most max bytes into memory. */
static uint8_t *slurp(const char *path, uint64_t max, size_t *len, char *why, size_t why_len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    uint8_t *buf = NULL;
    size_t got = 0;

    if (fd < 0 || fstat(fd, &sb) != 0) {
        snprintf(why, why_len, "%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if ((uint64_t)sb.st_size > max) {
        snprintf(why, why_len, "%lld bytes, over the %llu-byte limit", (long long)sb.st_size,
                 (unsigned long long)max);
        close(fd);
        return NULL;
    }
    buf = malloc((size_t)sb.st_size + 1);
    while (buf && got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf)
        snprintf(why, why_len, "out of memory");
    *len = got;
    return buf;
}

static int extract(steg_run *r, const char *path, const uint8_t *buf, const vg_steg_finding *f)
{
    const char *base = strrchr(path, '/');
    char out[4096];
    FILE *fp;

    base = base ? base + 1 : path;
    snprintf(out, sizeof out, "%s/%s.%llu.%s", r->extract, base, (unsigned long long)f->offset,
             f->type);
    fp = fopen(out, "wbx"); /* never overwrite */
    if (!fp || fwrite(buf + f->offset, 1, (size_t)f->length, fp) != f->length) {
        fprintf(stderr, "vigil steg: cannot write %s: %s\n", out, strerror(errno));
        if (fp)
            fclose(fp);
        return -1;
    }
    fclose(fp);
    fprintf(stderr, "vigil steg: wrote %s (%llu bytes)\n", out, (unsigned long long)f->length);
    return 0;
}

static void print_json(const char *path, const vg_steg_report *rep)
{
    fputs("{\"path\":", stdout);
    vg_json_str(stdout, path);
    printf(",\"type\":\"%s\",\"verdict\":\"%s\",\"reason\":", vg_image_type_name(rep->type),
           vg_steg_verdict_name(rep->verdict));
    vg_json_str(stdout, rep->reason);
    fputs(",\"findings\":[", stdout);
    for (size_t i = 0; i < rep->found.n; i++) {
        const vg_steg_finding *f = &rep->found.v[i];
        printf("%s{\"kind\":\"%s\",\"offset\":%llu,\"length\":%llu,\"entropy\":%.3f,"
               "\"payload_type\":\"%s\",\"detail\":",
               i ? "," : "", kind_name(f->kind), (unsigned long long)f->offset,
               (unsigned long long)f->length, f->entropy, f->type);
        vg_json_str(stdout, f->detail);
        fputc('}', stdout);
    }
    fputc(']', stdout);
    if (rep->has_lsb) {
        const vg_steg_lsb *l = &rep->lsb;
        printf(",\"lsb\":{\"analysable\":%s,\"not_analysable_reason\":\"%s\",\"spa_max\":%.4f,"
               "\"ws_mean\":%.4f,\"ws_max\":%.4f,\"rs_max\":%.4f,\"chi_max\":%.4f,"
               "\"blockiness\":%.3f}",
               l->image_na == VG_STEG_ANALYSABLE ? "true" : "false", vg_steg_na_name(l->image_na),
               l->spa_max, l->ws_mean, l->ws_max, l->rs_max, l->chi_max, l->blockiness);
    }
    if (rep->has_jpeg)
        printf(",\"jpeg\":{\"jsteg_prefix\":%.4f,\"jsteg_p\":%.4f,\"f5_beta\":%.4f,"
               "\"calib_dist\":%.4f,\"calib_block\":%.4f,\"quality_hint\":%d}",
               rep->jpeg.jsteg_prefix, rep->jpeg.jsteg_p, rep->jpeg.f5_beta, rep->jpeg.calib_dist,
               rep->jpeg.calib_block, rep->jpeg.quality_hint);
    if (rep->decode_status != VG_OK)
        printf(",\"decode_error\":\"%s\"", vg_status_name(rep->decode_status));
    fputs("}\n", stdout);
}

static void print_text(const char *path, const vg_steg_report *rep)
{
    printf("%s\t%s\t%s\n", path, vg_steg_verdict_name(rep->verdict), rep->reason);
    for (size_t i = 0; i < rep->found.n; i++) {
        const vg_steg_finding *f = &rep->found.v[i];
        printf("\t%s at %llu, %llu bytes, %s, entropy %.2f: %s\n", kind_name(f->kind),
               (unsigned long long)f->offset, (unsigned long long)f->length, f->type, f->entropy,
               f->detail);
    }
}

static int check_one(void *ctx, const char *path, const char *walk_err)
{
    steg_run *r = ctx;
    char why[256];
    size_t len = 0;
    uint8_t *buf;
    vg_steg_report rep;
    vg_error err;

    r->files++;
    if (walk_err || !(buf = slurp(path, r->max_bytes, &len, why, sizeof why))) {
        r->errors++;
        fprintf(stderr, "vigil steg: %s: %s\n", path, walk_err ? walk_err : why);
        return 0;
    }
    if (vg_steg_analyse(buf, len, NULL, &rep, &err) != VG_OK) {
        r->errors++;
        fprintf(stderr, "vigil steg: %s: %s\n", path, err.msg);
        free(buf);
        return 0;
    }
    r->payload += rep.verdict == VG_STEG_PAYLOAD;
    r->suspicious += rep.verdict == VG_STEG_SUSPICIOUS;
    if (r->text)
        print_text(path, &rep);
    else
        print_json(path, &rep);
    for (size_t i = 0; r->extract && i < rep.found.n; i++) {
        const vg_steg_finding *f = &rep.found.v[i];
        if ((f->kind == VG_STEG_APPENDED || f->kind == VG_STEG_EMBEDDED) && f->length &&
            f->offset + f->length <= len && extract(r, path, buf, f) != 0)
            r->errors++;
    }
    vg_steg_report_free(&rep);
    free(buf);
    return 0;
}

int cmd_steg(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
                                       {"extract", required_argument, NULL, 'x'},
                                       {"max-file-size", required_argument, NULL, 'm'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    steg_run r;
    unsigned long skipped = 0;
    struct stat sb;
    int ch;

    memset(&r, 0, sizeof r);
    r.max_bytes = 1ULL << 30;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (strcmp(optarg, "jsonl") && strcmp(optarg, "text"))
                goto usage;
            r.text = strcmp(optarg, "text") == 0;
            break;
        case 'x': r.extract = optarg; break;
        case 'm':
            if (parse_size(optarg, 0, &r.max_bytes) != 0)
                goto usage;
            break;
        case 'h': fputs(steg_usage, stdout); return VG_EXIT_OK;
        default: goto usage;
        }
    }
    if (optind >= argc)
        goto usage;
    if (r.extract && (stat(r.extract, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        fprintf(stderr, "vigil steg: --extract %s: not a directory\n", r.extract);
        return VG_EXIT_USAGE;
    }
    for (int i = optind; i < argc; i++)
        walk_path(argv[i], check_one, &r, &skipped);
    fprintf(stderr, "vigil steg: %lu files, %lu with a payload, %lu suspicious, %lu errors\n",
            r.files, r.payload, r.suspicious, r.errors);
    return r.errors ? VG_EXIT_PARTIAL : VG_EXIT_OK;
usage:
    fputs(steg_usage, stderr);
    return VG_EXIT_USAGE;
}
