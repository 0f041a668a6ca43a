/* summary.c - `vigil summary CASE`: what the examiner needs to know first. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "vigil/store.h"

static const char summary_usage[] =
    "usage: vigil summary CASE\n"
    "\n"
    "Counts of the case: items, images, NEW images (matching no hash set: they\n"
    "come first), known items by set and category, exact duplicates, deleted and\n"
    "carved items, errors; and whether the audit log's hash chain is intact.\n";

static void by_category(const char *set, const char *cat, const char *label, uint64_t n,
                        void *ctx)
{
    (void)ctx;
    printf("    %-20s %-8s %-28s %llu\n", set ? set : "", cat ? cat : "none",
           label && *label ? label : "-", (unsigned long long)n);
}

int cmd_summary(int argc, char **argv)
{
    vg_store *s;
    vg_case_summary sum;
    vg_error err;
    uint64_t audit_n = 0;

    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(summary_usage, stdout);
        return VG_EXIT_OK;
    }
    if (argc != 2) {
        fputs(summary_usage, stderr);
        return VG_EXIT_USAGE;
    }
    if (vg_store_open(argv[1], 0, &s, &err) != VG_OK ||
        vg_store_summary(s, &sum, &err) != VG_OK) {
        fprintf(stderr, "vigil summary: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    printf("case %s\n", argv[1]);
    printf("  evidence        %llu\n", (unsigned long long)sum.evidence);
    printf("  items           %llu (%llu files)\n", (unsigned long long)sum.items,
           (unsigned long long)sum.files);
    printf("  images          %llu\n", (unsigned long long)sum.images);
    printf("  NEW images      %llu   (match no hash set)\n", (unsigned long long)sum.new_images);
    printf("  known items     %llu   (%llu matches)\n", (unsigned long long)sum.known,
           (unsigned long long)sum.matches);
    if (sum.known) {
        printf("    %-20s %-8s %-28s %s\n", "set", "category", "label", "items");
        vg_store_known_by_category(s, by_category, NULL, &err);
    }
    printf("  duplicates      %llu   (same SHA-1 as an earlier item)\n",
           (unsigned long long)sum.duplicates);
    printf("  near-duplicates %llu clusters of %llu images (PDQ)\n",
           (unsigned long long)sum.clusters, (unsigned long long)sum.clustered);
    printf("  hidden data     %llu pictures with a payload, %llu suspicious (steganalysis)\n",
           (unsigned long long)sum.steg_payload, (unsigned long long)sum.steg_suspicious);
    printf("  deleted         %llu\n", (unsigned long long)sum.deleted);
    printf("  carved          %llu\n", (unsigned long long)sum.carved);
    printf("  errors          %llu\n", (unsigned long long)sum.errors);
    vg_status st = vg_store_audit_verify(s, &audit_n, &err);
    if (st == VG_OK)
        printf("  audit log       %llu entries, hash chain intact\n", (unsigned long long)audit_n);
    else
        printf("  audit log       BROKEN: %s\n", err.msg);
    vg_store_close(s);
    return st == VG_OK ? VG_EXIT_OK : VG_EXIT_PARTIAL;
}
