/* test_heif.c - HEIF/HEIC and AVIF through libheif: images made with
 * libheif's own encoders (x265 and aom in Debian 12's build), checked for
 * type, sides, alpha, pixels close to the source (lossy codecs), the PDQ
 * pre-shrink sampling the full decode exactly, and cut files. */
#include <libheif/heif.h>

#include "imgtest.h"
#include "vigil/exif.h"

/* x265 allocates encoder globals it never frees: LeakSanitizer would blame
 * this test for them. The hook is only read in sanitizer builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libx265.so\n";
}

static struct heif_error wr(struct heif_context *c, const void *d, size_t n, void *ud)
{
    struct heif_error ok = {heif_error_Ok, heif_suberror_Unspecified, "ok"};
    (void)c;
    membuf_put(ud, d, n);
    return ok;
}

/* A smooth picture (lossy coding keeps it close): a gradient per channel. */
static void smooth(uint32_t x, uint32_t y, uint8_t c[3])
{
    c[0] = (uint8_t)(x * 2), c[1] = (uint8_t)(y * 3), c[2] = (uint8_t)(128 + (x + y) / 4);
}

/* A minimal little-endian EXIF block: IFD0 with Make "Vigil". */
static const uint8_t exif_block[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x0f, 0x01, 2, 0, 6, 0,
                                     0, 0, 26, 0, 0, 0, 0, 0, 0, 0, 'V', 'i', 'g', 'i', 'l', 0};

static membuf encode(enum heif_compression_format fmt, int w, int h, int alpha)
{
    membuf m = {0};
    struct heif_context *ctx = heif_context_alloc();
    struct heif_encoder *enc = NULL;
    struct heif_image *im = NULL;
    struct heif_writer writer = {1, wr};
    int stride = 0, ch = alpha ? 4 : 3;

    heif_context_get_encoder_for_format(ctx, fmt, &enc);
    heif_encoder_set_lossy_quality(enc, 95);
    heif_image_create(w, h, heif_colorspace_RGB,
                      alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, &im);
    heif_image_add_plane(im, heif_channel_interleaved, w, h, 8);
    uint8_t *p = heif_image_get_plane(im, heif_channel_interleaved, &stride);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *d = p + (size_t)y * stride + (size_t)x * ch;
            smooth((uint32_t)x, (uint32_t)y, d);
            if (alpha)
                d[3] = 255;
        }
    struct heif_image_handle *hh = NULL;
    heif_context_encode_image(ctx, im, enc, NULL, &hh);
    if (alpha) /* one file of each kind carries EXIF */
        heif_context_add_exif_metadata(ctx, hh, exif_block, (int)sizeof exif_block);
    heif_image_handle_release(hh);
    heif_context_write(ctx, &writer, &m);
    heif_image_release(im);
    heif_encoder_release(enc);
    heif_context_free(ctx);
    return m;
}

static double mean_error(const vg_image *img)
{
    double sum = 0;
    for (uint32_t y = 0; y < img->pix_height; y++)
        for (uint32_t x = 0; x < img->pix_width; x++) {
            uint8_t c[3];
            smooth(x, y, c);
            for (int k = 0; k < 3; k++)
                sum += abs((int)img->pixels[y * img->stride + 3 * x + k] - c[k]);
        }
    return sum / (3.0 * img->pix_width * img->pix_height);
}

static void test_codec(enum heif_compression_format fmt, vg_image_type type)
{
    if (!heif_have_encoder_for_format(fmt) || !heif_have_decoder_for_format(fmt)) {
        printf("skipping %s: no encoder/decoder in this libheif\n", vg_image_type_name(type));
        return;
    }
    for (int alpha = 0; alpha <= 1; alpha++) {
        membuf m = encode(fmt, 64, 48, alpha);
        char name[32];
        snprintf(name, sizeof name, "%s-%d.%s", vg_image_type_name(type), alpha,
                 type == VG_IMAGE_AVIF ? "avif" : "heic");
        seed(name, m.p, m.n);
        vg_image img;
        CHECK(m.n > 0);
        CHECK_INTEQ(vg_image_identify(m.p, m.n), type);
        CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
        CHECK_INTEQ(img.type, type);
        CHECK_INTEQ(img.width, 64);
        CHECK_INTEQ(img.height, 48);
        CHECK_INTEQ(img.frames, 1);
        CHECK_INTEQ(img.has_alpha, alpha);
        CHECK_INTEQ(img.bit_depth, 8);
        CHECK_INTEQ(img.orientation, 0);
        if (img.pixels) {
            double e = mean_error(&img);
            CHECK_MSG(e < 4.0, "%s mean error %.2f", vg_image_type_name(type), e);
        }
        vg_image_free(&img);
        CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
        CHECK_INTEQ(img.width, 64);
        CHECK(img.pixels == NULL);
        vg_exif x;
        CHECK_INTEQ(vg_exif_read(m.p, m.n, &x, NULL), alpha ? VG_OK : VG_ERR_NOTFOUND);
        CHECK_STREQ(x.make, alpha ? "Vigil" : "");
        /* cut files */
        CHECK_INTEQ(dec_prefix(m.p, 30), VG_ERR_TRUNCATED);
        CHECK_INTEQ(dec_prefix(m.p, m.n - 40), VG_ERR_TRUNCATED);
        CHECK_INTEQ(dec_expired(m.p, m.n), VG_ERR_LIMIT_TIME);
        free(m.p);
    }
}

/* The pre-shrink samples exactly the pixels of the full decode. */
static void test_shrink(void)
{
    membuf m;
    vg_image full, small;
    long bad = 0;

    if (!heif_have_encoder_for_format(heif_compression_HEVC))
        return;
    m = encode(heif_compression_HEVC, 640, 520, 0);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &full), VG_OK);
    CHECK_INTEQ(dec(m.p, m.n, 512, 0, 0, &small), VG_OK);
    CHECK_INTEQ(small.pix_width, 512);
    CHECK_INTEQ(small.pix_height, 512);
    for (uint32_t y = 0; full.pixels && small.pixels && y < 512; y++)
        for (uint32_t x = 0; x < 512; x++)
            bad += memcmp(small.pixels + y * small.stride + 3 * x,
                          full.pixels + (y * 520 / 512) * full.stride + 3 * (x * 640 / 512),
                          3) != 0;
    CHECK_INTEQ(bad, 0);
    vg_image_free(&full);
    vg_image_free(&small);
    free(m.p);
}

int main(void)
{
    test_codec(heif_compression_HEVC, VG_IMAGE_HEIF);
    test_codec(heif_compression_AV1, VG_IMAGE_AVIF);
    test_shrink();
    TEST_DONE();
}
