/*
 * test_image.c - unit test for engine/util/gw_image (opening image files,
 * reading their headers) and engine/pdf/gw_pdf_image (decoding and checking
 * them before libharu, and handing them over).
 *
 * PNGs are made here with zlib (every colour type the decoder treats
 * differently, interlaced, damaged); JPEGs are the example photos, whole and
 * cut short. Checks which files libharu gets as they are and which as our
 * pixels, the pixels themselves (an interlaced file, an alpha channel split
 * off, an opaque one dropped), the limits, and every error's sentence.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <hpdf.h>
#include <hpdf_objects.h>

#include "../../engine/pdf/gw_pdf_image.h"
#include "../../engine/util/gw_buf.h"
#include "../../engine/util/gw_image.h"
#include "harness.h"

/* {===================== making PNGs ===================================== */

static void put32(struct gw_buf *b, uint32_t v)
{
    unsigned char q[4] = {v >> 24, v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF};
    gw_buf_add(b, q, 4);
}

static void chunk(struct gw_buf *b, const char *type, const void *data, size_t n)
{
    put32(b, (uint32_t)n);
    size_t at = b->len;
    gw_buf_add(b, type, 4);
    gw_buf_add(b, data, n);
    put32(b, (uint32_t)crc32(0, (const unsigned char *)b->data + at, (uInt)n + 4));
}

/*
 * A PNG of w x h pixels from its filtered scanlines (raw, n bytes), with
 * optional PLTE and tRNS chunks. The caller frees b.
 */
static void png(struct gw_buf *b, uint32_t w, uint32_t h, int depth, int type, int interlace,
                const void *raw, size_t n, const void *plte, size_t nplte, const void *trns,
                size_t ntrns)
{
    gw_buf_init(b);
    gw_buf_add(b, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {w >> 24, w >> 16 & 0xFF, w >> 8 & 0xFF, w & 0xFF,
                              h >> 24, h >> 16 & 0xFF, h >> 8 & 0xFF, h & 0xFF,
                              depth,   type,    0,       0,        interlace};
    chunk(b, "IHDR", ihdr, sizeof ihdr);
    if (plte)
        chunk(b, "PLTE", plte, nplte);
    if (trns)
        chunk(b, "tRNS", trns, ntrns);
    uLongf zn = compressBound((uLong)n);
    unsigned char *z = malloc(zn);
    compress2(z, &zn, raw, (uLong)n, 9);
    chunk(b, "IDAT", z, zn);
    free(z);
    chunk(b, "IEND", "", 0);
}

/* Decode b; returns gw_pdf_image_decode's result, the image in img, the reason in err. */
static int decode(const struct gw_buf *b, struct gw_pdf_image *img, char *err, size_t errlen)
{
    err[0] = '\0';
    return gw_pdf_image_decode("t.png", (const unsigned char *)b->data, b->len, img, err,
                               errlen);
}

/* }====================================================================== */

/* Opening: a regular file is read whole; a folder, a FIFO, a missing or too large file are not. */
static void test_read(void)
{
    char dir[] = "/tmp/gw-test-image-XXXXXX";
    OK(mkdtemp(dir), "mkdtemp");
    char path[256], err[512];
    struct gw_buf b;
    gw_buf_init(&b);

    snprintf(path, sizeof path, "%s/a.png", dir);
    FILE *f = fopen(path, "wb");
    fputs("abc", f);
    fclose(f);
    INT_EQ(gw_image_read(path, &b, err, sizeof err), 0);
    INT_EQ(b.len, 3);
    OK(memcmp(b.data, "abc", 3) == 0, "the file's bytes");
    unlink(path);

    OK(gw_image_read(dir, &b, err, sizeof err) < 0 && strstr(err, "is a folder"),
       "a folder: %s", err);

    snprintf(path, sizeof path, "%s/fifo.png", dir);
    OK(mkfifo(path, 0600) == 0, "mkfifo");
    OK(gw_image_read(path, &b, err, sizeof err) < 0 &&
           strstr(err, "is not a regular file (it is a FIFO or pipe)"),
       "a FIFO, without blocking: %s", err);
    unlink(path);

    OK(gw_image_read("/dev/null", &b, err, sizeof err) < 0 &&
           strstr(err, "is not a regular file (it is a character device)"),
       "a device: %s", err);

    snprintf(path, sizeof path, "%s/missing.png", dir);
    OK(gw_image_read(path, &b, err, sizeof err) < 0 && strstr(err, "cannot open image") &&
           strstr(err, "No such file"),
       "a missing file: %s", err);

    /* a sparse file just over the cap: refused from its size, nothing read */
    snprintf(path, sizeof path, "%s/big.png", dir);
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    OK(fd >= 0 && ftruncate(fd, (off_t)GW_IMAGE_MAX_FILE + 1) == 0, "ftruncate");
    close(fd);
    OK(gw_image_read(path, &b, err, sizeof err) < 0 && strstr(err, "larger than the limit of 64 MiB"),
       "over the cap: %s", err);
    unlink(path);

    rmdir(dir);
    gw_buf_free(&b);
}

/* Headers: kind and size, and the sentences for what is not an image. */
static void test_sniff(void)
{
    struct gw_image_info info;
    char err[512];
    struct gw_buf b;
    unsigned char raw[3 * 4] = {0};
    png(&b, 2, 3, 8, 0, 0, raw, 9, NULL, 0, NULL, 0);
    INT_EQ(gw_image_sniff("t.png", (unsigned char *)b.data, b.len, &info, err, sizeof err), 0);
    INT_EQ(info.png, 1);
    INT_EQ(info.w, 2);
    INT_EQ(info.h, 3);
    OK(gw_image_sniff("t.png", (unsigned char *)b.data, 20, &info, err, sizeof err) < 0 &&
           strstr(err, "image t.png is a damaged PNG"),
       "a cut IHDR: %s", err);
    gw_buf_free(&b);

    OK(gw_image_sniff("t.png", (const unsigned char *)"", 0, &info, err, sizeof err) < 0 &&
           strstr(err, "is an empty file"),
       "empty: %s", err);
    OK(gw_image_sniff("t.png", (const unsigned char *)"GIF89a", 6, &info, err, sizeof err) < 0 &&
           strstr(err, "is neither PNG nor JPEG"),
       "GIF: %s", err);
    OK(gw_image_probe("examples/photos/inspection-1.jpg", &info, err, sizeof err) == 0 &&
           info.png == 0 && info.w == 350 && info.h == 200,
       "the example JPEG: %s", err);

    /* a frame header past the probe's first 64 KiB (80 KB of comment segments before it) */
    struct gw_buf f, g;
    gw_buf_init(&f);
    gw_buf_init(&g);
    INT_EQ(gw_image_read("examples/photos/inspection-1.jpg", &f, err, sizeof err), 0);
    gw_buf_add(&g, f.data, 2);
    static unsigned char com[2 + 20000] = {0xFF, 0xFE, 0x4E, 0x20}; /* COM, length 20000 */
    for (int i = 0; i < 4; i++)
        gw_buf_add(&g, com, 2 + 20000);
    gw_buf_add(&g, f.data + 2, f.len - 2);
    char tmpl[] = "/tmp/gw-test-image-XXXXXX";
    OK(harness_temp_file(tmpl, g.data, g.len) == 0, "temp file");
    OK(gw_image_probe(tmpl, &info, err, sizeof err) == 0 && info.w == 350 && info.h == 200,
       "a header after 80 KB of metadata: %s", err);
    unlink(tmpl);
    gw_buf_free(&f);
    gw_buf_free(&g);
}

/* A plain 8-bit PNG goes to libharu as the file; so does the example photo. */
static void test_png_as_file(void)
{
    struct gw_pdf_image img;
    char err[512];
    struct gw_buf b;
    unsigned char raw[4 * 5];
    for (int i = 0; i < 20; i++)
        raw[i] = i % 5 == 0 ? (unsigned char)(i / 5 % 5) : (unsigned char)(i * 13);
    png(&b, 4, 4, 8, 0, 0, raw, 20, NULL, 0, NULL, 0);
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    OK(img.png && img.as_file && !img.pixels, "libharu loads it: %s", err);
    INT_EQ(img.w, 4);
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);

    struct gw_buf f;
    gw_buf_init(&f);
    INT_EQ(gw_image_read("examples/photos/site.png", &f, err, sizeof err), 0);
    INT_EQ(gw_pdf_image_decode("site.png", (unsigned char *)f.data, f.len, &img, err, sizeof err),
           0);
    OK(img.as_file && img.w == 420 && img.h == 260, "site.png as the file");
    gw_pdf_image_fini(&img);
    gw_buf_free(&f);
}

/* Interlaced: decoded to pixels, in the right places. */
static void test_png_interlaced(void)
{
    /* 2 x 2 grey, Adam7: pass 1 has (0,0), pass 6 (1,0), pass 7 row 1 (0,1) (1,1) */
    unsigned char raw[] = {0, 10, 0, 20, 0, 30, 40};
    struct gw_buf b;
    png(&b, 2, 2, 8, 0, 1, raw, sizeof raw, NULL, 0, NULL, 0);
    struct gw_pdf_image img;
    char err[512];
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    OK(!img.as_file && img.pixels && img.channels == 1, "pixels: %s", err);
    if (img.pixels)
        OK(img.pixels[0] == 10 && img.pixels[1] == 20 && img.pixels[2] == 30 &&
               img.pixels[3] == 40,
           "Adam7 order: %d %d %d %d", img.pixels[0], img.pixels[1], img.pixels[2],
           img.pixels[3]);
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);
}

/* 16 bits: scaled to 8; an alpha channel is split off, or dropped when opaque. */
static void test_png_alpha(void)
{
    struct gw_buf b;
    struct gw_pdf_image img;
    char err[512];
    /* 2 x 1 grey+alpha, 16-bit: (0x1234, 0xFFFF) (0xABCD, 0x0000) */
    unsigned char ga16[] = {0, 0x12, 0x34, 0xFF, 0xFF, 0xAB, 0xCD, 0x00, 0x00};
    png(&b, 2, 1, 16, 4, 0, ga16, sizeof ga16, NULL, 0, NULL, 0);
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    OK(!img.as_file && img.channels == 2, "grey + alpha pixels: %s", err);
    if (img.pixels && img.channels == 2)
        OK(img.pixels[0] == 0x12 && img.pixels[1] == 0xAB && img.pixels[2] == 0xFF &&
               img.pixels[3] == 0x00,
           "grey then alpha: %02x %02x %02x %02x", img.pixels[0], img.pixels[1],
           img.pixels[2], img.pixels[3]);
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);

    unsigned char rgba16[] = {0, 1, 0, 2, 0, 3, 0, 0xFF, 0xFF};
    png(&b, 1, 1, 16, 6, 0, rgba16, sizeof rgba16, NULL, 0, NULL, 0);
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    OK(!img.as_file && img.channels == 3, "an opaque alpha channel is dropped: %d",
       img.channels);
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);
}

/* Transparency libharu misreads: a 1-bit palette and RGB with tRNS become pixels. */
static void test_png_trns(void)
{
    struct gw_buf b;
    struct gw_pdf_image img;
    char err[512];
    unsigned char plte[6] = {255, 0, 0, 0, 0, 255};
    unsigned char trns[1] = {0};
    unsigned char raw[] = {0, 0x40}; /* 2 pixels: index 0 (transparent red), 1 (blue) */
    png(&b, 2, 1, 1, 3, 0, raw, sizeof raw, plte, sizeof plte, trns, sizeof trns);
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    OK(!img.as_file && img.channels == 4, "RGB + alpha pixels: %s", err);
    if (img.pixels && img.channels == 4)
        OK(!memcmp(img.pixels, "\xff\x00\x00\x00\x00\xff\x00\xff", 8),
           "colours then alpha");
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);

    unsigned char rgb[] = {0, 1, 2, 3, 4, 5, 6};
    unsigned char key[6] = {0, 1, 0, 2, 0, 3};
    png(&b, 2, 1, 8, 2, 0, rgb, sizeof rgb, NULL, 0, key, sizeof key);
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    OK(!img.as_file && img.channels == 4, "RGB with a colour key: pixels, %d", img.channels);
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);

    unsigned char plte8[3] = {1, 2, 3};
    unsigned char idx[] = {0, 0};
    png(&b, 1, 1, 8, 3, 0, idx, sizeof idx, plte8, sizeof plte8, trns, sizeof trns);
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    OK(img.as_file, "an 8-bit palette with tRNS stays with libharu");
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);
}

/* Damage and limits: a sentence each, nothing kept. */
static void test_png_errors(void)
{
    struct gw_buf b;
    struct gw_pdf_image img;
    char err[512];
    unsigned char raw[] = {9, 1, 2, 3}; /* filter type 9 */
    png(&b, 3, 1, 8, 0, 0, raw, sizeof raw, NULL, 0, NULL, 0);
    OK(decode(&b, &img, err, sizeof err) < 0 &&
           !strcmp(err, "image t.png is a damaged PNG (bad adaptive filter value); open it in an "
                        "image editor and save it again as a PNG or a baseline JPEG"),
       "bad filter: %s", err);
    OK(!img.pixels, "nothing kept");
    b.len -= 20; /* into IDAT */
    OK(decode(&b, &img, err, sizeof err) < 0 && strstr(err, "image t.png is a damaged PNG ("),
       "cut short: %s", err);
    gw_buf_free(&b);

    png(&b, 20001, 1, 8, 0, 0, raw, sizeof raw, NULL, 0, NULL, 0);
    OK(decode(&b, &img, err, sizeof err) < 0 &&
           strstr(err, "image t.png is 20001 × 1 pixels") &&
           strstr(err, "at most 20000 pixels wide or high and 50 megapixels in all"),
       "too wide: %s", err);
    gw_buf_free(&b);
    png(&b, 10000, 5001, 8, 0, 0, raw, sizeof raw, NULL, 0, NULL, 0);
    OK(decode(&b, &img, err, sizeof err) < 0 && strstr(err, "(50.0 megapixels)"),
       "too many pixels: %s", err);
    gw_buf_free(&b);
}

/* JPEG: the example photo whole goes to libharu; cut short, it is damaged. */
static void test_jpeg(void)
{
    struct gw_buf f;
    gw_buf_init(&f);
    struct gw_pdf_image img;
    char err[512];
    INT_EQ(gw_image_read("examples/photos/price-check.jpg", &f, err, sizeof err), 0);
    INT_EQ(gw_pdf_image_decode("p.jpg", (unsigned char *)f.data, f.len, &img, err, sizeof err),
           0);
    OK(!img.png && img.as_file && img.w == 330 && img.h == 260 && img.cost == 2 * f.len,
       "the photo as the file");
    gw_pdf_image_fini(&img);
    OK(gw_pdf_image_decode("p.jpg", (unsigned char *)f.data, f.len / 2, &img, err, sizeof err) <
               0 &&
           !strcmp(err, "image p.jpg is a damaged JPEG (Premature end of JPEG file); open it in "
                        "an image editor and save it again as a PNG or a baseline JPEG"),
       "cut short: %s", err);
    gw_buf_free(&f);
}

static void on_haru_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    (void)detail_no;
    *(HPDF_STATUS *)user_data = error_no;
}

/* Handing over: decoded pixels with an alpha channel become an image with an SMask. */
static void test_embed(void)
{
    struct gw_buf b;
    struct gw_pdf_image img;
    char err[512];
    unsigned char raw[] = {0, 1, 2, 3, 0x80, 0, 4, 5, 6, 0xFF}; /* Adam7: passes 1 and 6 */
    png(&b, 2, 1, 8, 6, 1, raw, sizeof raw, NULL, 0, NULL, 0);
    INT_EQ(decode(&b, &img, err, sizeof err), 0);
    HPDF_STATUS status = 0;
    HPDF_Doc pdf = HPDF_New(on_haru_error, &status);
    HPDF_Image im = gw_pdf_image_embed(pdf, &img, (unsigned char *)b.data, b.len);
    OK(im && !status, "embedded");
    if (im) {
        INT_EQ(HPDF_Image_GetWidth(im), 2);
        OK(HPDF_Dict_GetItem(im, "SMask", HPDF_OCLASS_DICT) != NULL, "with a soft mask");
        OK(!strcmp(HPDF_Image_GetColorSpace(im), "DeviceRGB"), "RGB");
    }
    HPDF_Free(pdf);
    gw_pdf_image_fini(&img);
    gw_buf_free(&b);
}

int main(void)
{
    harness_watchdog(60);
    test_read();
    test_sniff();
    test_png_as_file();
    test_png_interlaced();
    test_png_alpha();
    test_png_trns();
    test_png_errors();
    test_jpeg();
    test_embed();
    return harness_done();
}
