/*
 * fuzz_image: bytes -> gw_pdf_image_decode (libpng and libjpeg under the
 * engine's handlers and limits) -> gw_pdf_image_embed into a fresh libharu
 * document, as the PDF writer's load_image does with a file's bytes.
 *
 * Besides the sanitizers it checks the decoder's promises
 * (engine/pdf/gw_pdf_image.h):
 * - a damaged file comes back as -1 with one sentence ("image ..." or "not
 *   enough memory ..."), never an abort from libpng or a hang;
 * - an image that passes is within the size limits, has the kind and size
 *   gw_image_sniff reads from its header, and has pixels exactly when
 *   libharu is not given the file;
 * - libharu embeds whatever passed without an error: its PNG loader, which
 *   aborts the process on a libpng error, only gets files our check pass
 *   read cleanly.
 *
 * Mutated PNGs mostly fail their chunk CRCs, which stops libpng at the
 * first chunk; so each PNG input is also tried with every CRC recomputed,
 * which lets the fuzzer reach the image data. Embedding is skipped above 4
 * megapixels (the decode still runs) to keep runs fast. GW_FUZZ_VERBOSE=1
 * prints each input's outcome (to check what the seeds reach).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <zlib.h>

#include "pdf/gw_pdf_image.h"
#include "util/gw_image.h"

static bool verbose;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_image: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void on_haru_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    HPDF_STATUS *err = user_data;
    if (!*err)
        *err = error_no ? error_no : detail_no;
}

static void embed(const struct gw_pdf_image *img, const unsigned char *data, size_t len)
{
    HPDF_STATUS err = 0;
    HPDF_Doc pdf = HPDF_New(on_haru_error, &err);
    if (!pdf)
        fail("HPDF_New failed", NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_Image im = gw_pdf_image_embed(pdf, img, data, len);
    if (!im || err) {
        char detail[64];
        snprintf(detail, sizeof detail, "libharu error 0x%04lX on a %s image, %s",
                 (unsigned long)err, img->png ? "PNG" : "JPEG",
                 img->as_file ? "as the file" : "as pixels");
        fail("libharu refused an image that passed the decoder", detail);
    }
    if ((long)HPDF_Image_GetWidth(im) != img->w || (long)HPDF_Image_GetHeight(im) != img->h)
        fail("libharu's image size differs from the decoder's", NULL);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_DrawImage(page, im, 0, 0, 100, 100);
    HPDF_SaveToStream(pdf);
    if (err)
        fail("libharu failed to write an image that passed the decoder", NULL);
    HPDF_Free(pdf);
}

static void one(const unsigned char *data, size_t len)
{
    struct gw_pdf_image img;
    char err[512] = "";
    int rc = gw_pdf_image_decode("fuzz.img", data, len, &img, err, sizeof err);
    if (verbose && rc < 0)
        fprintf(stderr, "fuzz_image: %s\n", err);
    else if (verbose)
        fprintf(stderr, "fuzz_image: %s %d x %d, %s, %zu bytes of memory\n",
                img.png ? "PNG" : "JPEG", img.w, img.h,
                img.as_file ? "the file to libharu" : img.channels == 1 ? "grey pixels"
                : img.channels == 2 ? "grey + alpha pixels" : img.channels == 3 ? "RGB pixels"
                : "RGB + alpha pixels", img.cost);
    if (rc < 0) {
        if (strncmp(err, "image fuzz.img ", 15) != 0 && strncmp(err, "not enough memory", 17) != 0)
            fail("a failure without its sentence", err);
        if (strchr(err, '\n'))
            fail("a failure sentence on more than one line", err);
        if (img.pixels)
            fail("a failure that kept its pixels", err);
        return;
    }
    struct gw_image_info info;
    if (gw_image_sniff("fuzz.img", data, len, &info, err, sizeof err) < 0)
        fail("the decoder accepted what the header sniff rejects", err);
    if (info.png != img.png || info.w != img.w || info.h != img.h)
        fail("the decoder and the header sniff disagree on kind or size", NULL);
    if (img.w < 1 || img.h < 1 || img.w > GW_IMAGE_MAX_SIDE || img.h > GW_IMAGE_MAX_SIDE ||
        (long)img.w * img.h > GW_IMAGE_MAX_PIXELS)
        fail("an image over the limits passed", NULL);
    if (img.as_file == (img.pixels != NULL))
        fail("pixels kept for a file libharu loads itself, or none for one it does not", NULL);
    if (!img.as_file && (img.channels < 1 || img.channels > 4 || !img.png))
        fail("decoded pixels of a bad layout", NULL);
    if (img.cost == 0)
        fail("an image that costs no memory", NULL);
    if ((long)img.w * img.h <= 4000000)
        embed(&img, data, len);
    gw_pdf_image_fini(&img);
}

/* A copy of a PNG with every chunk's CRC recomputed; NULL if it is not a PNG or nothing changed. */
static unsigned char *fix_crcs(const unsigned char *data, size_t len)
{
    if (len < 8 || memcmp(data, "\x89PNG\r\n\x1a\n", 8) != 0)
        return NULL;
    unsigned char *copy = malloc(len);
    memcpy(copy, data, len);
    bool changed = false;
    for (size_t i = 8; len - i >= 12;) {
        uint32_t n = (uint32_t)copy[i] << 24 | (uint32_t)copy[i + 1] << 16 |
                     (uint32_t)copy[i + 2] << 8 | copy[i + 3];
        if (n > len - i - 12)
            break;
        uint32_t crc = (uint32_t)crc32(0, copy + i + 4, (uInt)n + 4);
        unsigned char *c = copy + i + 8 + n;
        unsigned char want[4] = {crc >> 24, crc >> 16 & 0xFF, crc >> 8 & 0xFF, crc & 0xFF};
        if (memcmp(c, want, 4) != 0) {
            memcpy(c, want, 4);
            changed = true;
        }
        i += 12 + n;
    }
    if (!changed) {
        free(copy);
        return NULL;
    }
    return copy;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    verbose = getenv("GW_FUZZ_VERBOSE") && *getenv("GW_FUZZ_VERBOSE") == '1';
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size);
    unsigned char *fixed = fix_crcs(data, size);
    if (fixed) {
        one(fixed, size);
        free(fixed);
    }
    return 0;
}
