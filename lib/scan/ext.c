/* ext.c - does a file's name agree with its content? A picture saved as
 * "invoice.pdf" or "notes.dat" is one of the oldest ways to hide it. */
#include <string.h>
#include <strings.h>

#include "vigil/scan.h"

static const struct {
    const char *ext;
    vg_image_type type;
} exts[] = {
    {"jpg", VG_IMAGE_JPEG}, {"jpeg", VG_IMAGE_JPEG}, {"jpe", VG_IMAGE_JPEG},
    {"jfif", VG_IMAGE_JPEG}, {"png", VG_IMAGE_PNG},  {"gif", VG_IMAGE_GIF},
    {"webp", VG_IMAGE_WEBP}, {"bmp", VG_IMAGE_BMP},  {"dib", VG_IMAGE_BMP},
    {"tif", VG_IMAGE_TIFF},  {"tiff", VG_IMAGE_TIFF}, {"heic", VG_IMAGE_HEIF},
    {"heif", VG_IMAGE_HEIF}, {"hif", VG_IMAGE_HEIF}, {"avif", VG_IMAGE_AVIF},
};

int vg_ext_mismatch(const char *name, vg_image_type content)
{
    const char *base = name ? strrchr(name, '/') : NULL;
    const char *dot;

    base = base ? base + 1 : name ? name : "";
    dot = strrchr(base, '.');
    if (dot && dot != base) {
        for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
            if (strcasecmp(dot + 1, exts[i].ext) == 0) {
                /* HEIF and AVIF share a container; either name fits either. */
                int heifish = (exts[i].type == VG_IMAGE_HEIF || exts[i].type == VG_IMAGE_AVIF) &&
                              (content == VG_IMAGE_HEIF || content == VG_IMAGE_AVIF);
                return !(exts[i].type == content || heifish);
            }
        }
    }
    return content != VG_IMAGE_UNKNOWN;
}
