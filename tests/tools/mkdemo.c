/* mkdemo.c - writes the benign demo pictures of demo/images (committed; this
 * program documents and reproduces them). Usage: mkdemo OUTDIR */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "synth.h"

static int put(const char *dir, const char *name, int rc)
{
    if (rc != 0)
        fprintf(stderr, "mkdemo: cannot write %s/%s\n", dir, name);
    return rc;
}

int main(int argc, char **argv)
{
    char p[4096];
    int rc = 0;
    const char *d;

    if (argc != 2) {
        fprintf(stderr, "usage: mkdemo OUTDIR\n");
        return 2;
    }
    d = argv[1];
    uint8_t *beach = synth_scene(1, 1024, 768);
    uint8_t *garden = synth_scene(2, 480, 360);
    uint8_t *street = synth_scene(3, 400, 400);
    if (!beach || !garden || !street)
        return 1;
    snprintf(p, sizeof p, "%s/beach.jpg", d);
    rc |= put(d, "beach.jpg", synth_write_jpeg(p, beach, 1024, 768, 90));
    /* the same picture made smaller and re-compressed: PDQ stays close */
    uint8_t *small = synth_resize(beach, 1024, 768, 400, 300);
    snprintf(p, sizeof p, "%s/beach-small.jpg", d);
    rc |= put(d, "beach-small.jpg", synth_write_jpeg(p, small, 400, 300, 60));
    /* mirrored: matched through the dihedral variants */
    synth_mirror(small, 400, 300);
    snprintf(p, sizeof p, "%s/beach-mirrored.jpg", d);
    rc |= put(d, "beach-mirrored.jpg", synth_write_jpeg(p, small, 400, 300, 80));
    snprintf(p, sizeof p, "%s/garden.png", d);
    rc |= put(d, "garden.png", synth_write_png(p, garden, 480, 360));
    /* a PNG under a JPEG name: typed by content */
    snprintf(p, sizeof p, "%s/street.jpg", d);
    rc |= put(d, "street.jpg", synth_write_png(p, street, 400, 400));
    /* a JPEG cut short, as on a damaged disk: digests still, an error for PDQ */
    snprintf(p, sizeof p, "%s/broken.jpg", d);
    rc |= put(d, "broken.jpg", synth_write_jpeg(p, garden, 480, 360, 85));
    rc |= put(d, "broken.jpg", truncate(p, 4000));
    snprintf(p, sizeof p, "%s/notes.txt", d);
    FILE *f = fopen(p, "w");
    rc |= put(d, "notes.txt", !f || fputs("Holiday notes: beach on Monday, garden on Tuesday.\n", f) < 0 || fclose(f) != 0);
    free(beach);
    free(garden);
    free(street);
    free(small);
    return rc ? 1 : 0;
}
