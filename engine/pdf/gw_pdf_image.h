/*
 * gw_pdf_image.h - images checked and decoded before libharu sees them.
 *
 * libharu loads PNGs through libpng without a longjmp handler (a damaged
 * file aborts the process), reads JPEGs' headers only (a damaged one is
 * embedded as it is), cannot load interlaced or 16-bit PNGs, and has no
 * size limit. So an image file's bytes (read once by gw_image_read) are
 * decoded here first, in full, with libpng and libjpeg under our own error
 * handlers and limits; only what passes is handed to libharu:
 *
 *   - a JPEG, and a PNG libharu's own loader reads exactly as we did (8 bits
 *     or fewer, not interlaced, no libpng warning, no transparency chunk it
 *     misreads), as the same bytes
 *     (HPDF_LoadJpegImageFromMem / HPDF_LoadPngImageFromMem), so the PDF is
 *     the one libharu always made;
 *   - any other PNG as the pixels we decoded (8-bit grey or RGB, the alpha
 *     channel as a soft mask) through HPDF_LoadRawImageFromMem.
 *
 * The limits are checked from the header, before anything is allocated.
 */
#ifndef GW_PDF_IMAGE_H
#define GW_PDF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

/* At most this many pixels wide or high, and this many pixels in all. */
#define GW_IMAGE_MAX_SIDE   20000
#define GW_IMAGE_MAX_PIXELS 50000000L
/* A document's images may hold at most this much of libharu's memory in all (cost below). */
#define GW_IMAGE_MAX_MEMORY ((size_t)1 << 30)

/* One decoded image: what libharu will be given. */
struct gw_pdf_image {
    bool png;              /* else JPEG */
    int w, h;              /* pixels */
    bool as_file;          /* libharu loads the file's bytes; else the pixels below */
    unsigned char *pixels; /* !as_file: h rows of w pixels of `channels` bytes (malloc'ed) */
    int channels;          /* 1 grey, 2 grey + alpha, 3 RGB, 4 RGB + alpha */
    size_t cost;           /* bytes of libharu's memory the embedded image will hold */
};

/*
 * Decode and check the whole image in data (a file's len bytes; `name` is
 * how messages call it). 0, or -1 with a sentence in err: damaged (with
 * libpng's or libjpeg's reason), over the size limits, or a kind the PDF
 * cannot carry (then img holds no pixels). Release img with gw_pdf_image_fini.
 */
int gw_pdf_image_decode(const char *name, const unsigned char *data, size_t len,
                        struct gw_pdf_image *img, char *err, size_t errlen);

/*
 * Give a decoded image to libharu: the same data (as_file) or its pixels.
 * The image, or NULL when libharu failed (its error handler has the code).
 */
HPDF_Image gw_pdf_image_embed(HPDF_Doc pdf, const struct gw_pdf_image *img,
                              const unsigned char *data, size_t len);

/* Free what gw_pdf_image_decode allocated (the pixels). */
void gw_pdf_image_fini(struct gw_pdf_image *img);

#endif /* GW_PDF_IMAGE_H */
