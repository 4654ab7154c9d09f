/*
 * gw_pdf_image: images decoded and checked before libharu sees them (see
 * gw_pdf_image.h for what is handed over and why).
 *
 * Owns the decoding of an image file's bytes with libpng and libjpeg, the
 * size limits, and the choice between libharu's own loaders (the file's
 * bytes) and its raw-pixel loader. It does not open files (util/gw_image
 * does, and reads the header) and reports nothing itself: the writer turns
 * its sentences into diagnostics at the image's place in the document.
 *
 * libpng and libjpeg report a fatal error by a callback that must not
 * return, so this file is the one place in the engine with setjmp: png_run
 * and jpeg_run each set one jump target around their library's calls, keep
 * everything they allocate in the run structure their caller frees, and
 * return -1 when the library jumps back.
 */
#include "gw_pdf_image.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <jerror.h>
#include <jpeglib.h>
#include <png.h>

#include "../util/gw_bytes.h"
#include "../util/gw_diag.h"
#include "../util/gw_image.h"

/* Within GW_IMAGE_MAX_SIDE and GW_IMAGE_MAX_PIXELS? */
static bool within_limits(long w, long h)
{
    return w <= GW_IMAGE_MAX_SIDE && h <= GW_IMAGE_MAX_SIDE && w * h <= GW_IMAGE_MAX_PIXELS;
}

/* What to do about an image the writer cannot take, the end of its message. */
#define RESAVE "open it in an image editor and save it again as a PNG or a baseline JPEG"

static void limits_error(const char *name, long w, long h, char *err, size_t errlen)
{
    gw_set_err(err, errlen,
               "image %s is %ld × %ld pixels (%.1f megapixels); an image may be at most %d "
               "pixels wide or high and %ld megapixels in all",
               name, w, h, (double)w * (double)h / 1e6, GW_IMAGE_MAX_SIDE,
               GW_IMAGE_MAX_PIXELS / 1000000);
}

/* {===================== PNG (libpng) ================================== */

/*
 * libpng's own limits, stricter than its defaults (1000 chunks, 8 MB) that
 * libharu's loader runs with: a file over them here gives a libpng warning,
 * and a PNG with any warning never goes to libharu's loader (see decode_png).
 */
#define PNG_CHUNK_CACHE  32        /* ancillary chunks kept (text, sPLT, unknown) */
#define PNG_CHUNK_MALLOC (1 << 20) /* largest chunk buffer, decompressed text or profile */

/* One pass of libpng over a file in memory. */
struct png_run {
    const unsigned char *data;
    size_t len, pos;       /* the file and how much libpng has read */
    bool pixels;           /* decode into px (else check each row and keep none) */
    png_structp png;
    png_infop info;
    char msg[200];         /* libpng's error, or ours */
    bool oom;              /* the error is that memory ran out */
    int warnings;          /* libpng warnings (never printed) */
    int depth, type;       /* the file's bit depth and colour type */
    bool interlaced, trns; /* Adam7; a tRNS chunk */
    size_t rowbytes;       /* bytes of one row as libharu reads it (check pass) */
    unsigned char *row;    /* check pass: the row */
    unsigned char *px;     /* pixel pass: rows of 8-bit samples */
    png_bytep *rows;       /* pixel pass: pointers into px */
    int channels;          /* pixel pass: samples per pixel, 1-4 */
};

static void png_on_error(png_structp png, png_const_charp msg)
{
    struct png_run *r = png_get_error_ptr(png);
    if (!r->msg[0])
        snprintf(r->msg, sizeof r->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    struct png_run *r = png_get_error_ptr(png);
    (void)msg;
    r->warnings++;
}

static void png_read_mem(png_structp png, png_bytep out, size_t n)
{
    struct png_run *r = png_get_io_ptr(png);
    if (n > r->len - r->pos)
        png_error(png, "the file ends early");
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
}

static void png_out_of_memory(struct png_run *r)
{
    r->oom = true;
    png_error(r->png, "out of memory");
}

/*
 * Can libharu's PNG loader (hpdf_image_png.c, LoadPngData) take the file a
 * check pass read? Not if interlaced or 16-bit (it reads those wrongly),
 * nor with a tRNS chunk unless grey (ignored) or an 8-bit palette: it takes
 * `color_type & PNG_COLOR_TYPE_PALETTE` for "palette", so RGB with tRNS
 * reads a palette's transparency that is not there (a NULL pointer), and a
 * 1-4 bit palette with tRNS is read a byte a pixel, past its rows. Nor
 * after any libpng warning: its warning handler fails the load.
 */
static bool libharu_reads(const struct png_run *r)
{
    bool trns_ok = !r->trns || r->type == PNG_COLOR_TYPE_GRAY ||
                   (r->type == PNG_COLOR_TYPE_PALETTE && r->depth == 8);
    return r->warnings == 0 && !r->interlaced && r->depth <= 8 && trns_ok;
}

/*
 * The pass itself: every row read (and dropped, or kept 8-bit with
 * palette, low-bit grey and tRNS expanded), then the chunks after the image
 * data. 0, or -1 with r->msg when libpng gave up.
 */
static int png_run(struct png_run *r)
{
    if (setjmp(png_jmpbuf(r->png)))
        return -1;
    png_set_user_limits(r->png, GW_IMAGE_MAX_SIDE, GW_IMAGE_MAX_SIDE);
    png_set_chunk_cache_max(r->png, PNG_CHUNK_CACHE);
    png_set_chunk_malloc_max(r->png, PNG_CHUNK_MALLOC);
    png_set_read_fn(r->png, r, png_read_mem);
    png_read_info(r->png, r->info);
    png_uint_32 w, h;
    int interlace;
    png_get_IHDR(r->png, r->info, &w, &h, &r->depth, &r->type, &interlace, NULL, NULL);
    r->interlaced = interlace != PNG_INTERLACE_NONE;
    r->trns = png_get_valid(r->png, r->info, PNG_INFO_tRNS) != 0;
    if (!r->pixels) {
        if (!libharu_reads(r))
            return 0; /* the pixel pass will check it */
        /* as libharu's loader reads it: no transformation */
        png_read_update_info(r->png, r->info);
        r->rowbytes = png_get_rowbytes(r->png, r->info);
        r->row = malloc(r->rowbytes);
        if (!r->row)
            png_out_of_memory(r);
        for (png_uint_32 y = 0; y < h; y++)
            png_read_row(r->png, r->row, NULL);
    } else {
        png_set_expand(r->png); /* palette to RGB, grey to 8 bits, tRNS to alpha */
        png_set_scale_16(r->png);
        png_set_interlace_handling(r->png);
        png_read_update_info(r->png, r->info);
        r->channels = png_get_channels(r->png, r->info);
        size_t stride = png_get_rowbytes(r->png, r->info);
        if (stride != (size_t)w * (size_t)r->channels)
            png_error(r->png, "unexpected row size"); /* cannot happen after the expansion */
        r->px = malloc((size_t)h * stride);
        r->rows = malloc((size_t)h * sizeof *r->rows);
        if (!r->px || !r->rows)
            png_out_of_memory(r);
        for (png_uint_32 y = 0; y < h; y++)
            r->rows[y] = r->px + (size_t)y * stride;
        png_read_image(r->png, r->rows);
    }
    png_read_end(r->png, r->info);
    return 0;
}

/* Run one pass (pixels or a check) over data; the caller ends it with png_end. */
static int png_pass(struct png_run *r, const unsigned char *data, size_t len, bool pixels)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->pixels = pixels;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, png_on_error, png_on_warning);
    if (r->png)
        r->info = png_create_info_struct(r->png);
    if (!r->png || !r->info) {
        r->oom = true;
        return -1;
    }
    return png_run(r);
}

/* End a pass: libpng's structures and whatever the pass allocated but px, if kept. */
static void png_end(struct png_run *r, bool keep_px)
{
    if (r->png)
        png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    free(r->row);
    free(r->rows);
    if (!keep_px)
        free(r->px);
    r->row = r->px = NULL;
    r->rows = NULL;
}

/*
 * Interleaved 8-bit samples (colour, then alpha if channels is 2 or 4) to
 * the layout gw_pdf_image_embed takes: the colour samples of every pixel,
 * then every alpha sample; an alpha channel that is opaque everywhere is
 * dropped. 0, or -1 when out of memory.
 */
static int split_alpha(struct gw_pdf_image *img)
{
    if (img->channels == 1 || img->channels == 3)
        return 0;
    size_t n = (size_t)img->w * (size_t)img->h;
    int cc = img->channels - 1;
    unsigned char *alpha = malloc(n);
    if (!alpha)
        return -1;
    bool opaque = true;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *s = img->pixels + i * (size_t)img->channels;
        alpha[i] = s[cc];
        opaque &= s[cc] == 0xFF;
        memmove(img->pixels + i * (size_t)cc, s, (size_t)cc);
    }
    if (!opaque)
        memcpy(img->pixels + n * (size_t)cc, alpha, n);
    img->channels = opaque ? cc : img->channels;
    free(alpha);
    return 0;
}

/*
 * Does every chunk up to IEND end within the file? libpng 1.6 only warns
 * of a chunk over png_set_chunk_malloc_max ("chunk data is too large"),
 * then allocates and clears its declared length, up to 2 GiB, before it
 * finds the file too short; checked first, no chunk asks for more memory
 * than the file has bytes.
 */
static bool png_chunks_fit(const unsigned char *data, size_t len)
{
    size_t i = 8;
    while (len - i >= 8) {
        uint32_t n = gw_be32(data + i);
        if (n > len - i - 8 || len - i - 8 - n < 4)
            return false;
        if (memcmp(data + i + 4, "IEND", 4) == 0)
            break;
        i += 12 + (size_t)n;
    }
    return true;
}

/*
 * A PNG: checked in full, then given to libharu as it is when its loader
 * reads it as we did (libharu_reads), else decoded to pixels.
 */
static int decode_png(const char *name, const unsigned char *data, size_t len,
                      struct gw_pdf_image *img, char *err, size_t errlen)
{
    struct png_run r;
    size_t n = (size_t)img->w * (size_t)img->h;
    if (!png_chunks_fit(data, len)) {
        gw_set_err(err, errlen,
                   "image %s is a damaged PNG (a chunk runs past the end of the file); " RESAVE,
                   name);
        return -1;
    }
    /* IHDR: bit depth at offset 24, interlace method at 28 (gw_image_sniff saw 33 bytes) */
    if (data[24] <= 8 && data[28] == 0) {
        int rc = png_pass(&r, data, len, false);
        bool mask = (r.type & PNG_COLOR_MASK_ALPHA) || (r.type == PNG_COLOR_TYPE_PALETTE && r.trns);
        if (rc == 0 && libharu_reads(&r)) {
            img->as_file = true;
            /* its copy of the file, the image stream, and for a mask: rows, mask data, mask stream */
            size_t raw = r.rowbytes * (size_t)img->h;
            img->cost = len + raw + (mask ? raw + 2 * n : 0);
        }
        png_end(&r, false);
        if (rc < 0)
            goto out_error;
        if (img->as_file)
            return 0;
    }
    if (png_pass(&r, data, len, true) < 0) {
        png_end(&r, false);
        goto out_error;
    }
    img->pixels = r.px;
    img->channels = r.channels;
    png_end(&r, true);
    if (split_alpha(img) < 0) {
        r.oom = true;
        goto out_error;
    }
    img->cost = n * (size_t)img->channels;
    return 0;
out_error:
    gw_pdf_image_fini(img);
    if (r.oom)
        gw_set_err(err, errlen, "not enough memory to decode image %s", name);
    else
        gw_set_err(err, errlen, "image %s is a damaged PNG (%s); " RESAVE, name, r.msg);
    return -1;
}

/* }====================================================================== */

/* {===================== JPEG (libjpeg) ================================= */

/* libjpeg's whole-image buffers (a progressive file's coefficients: 400 MB at 50 megapixels CMYK) */
#define JPEG_MAX_MEMORY (512L << 20)
#define JPEG_MAX_SCANS  100          /* a progressive file has about 10 */

/* One pass of libjpeg over a file in memory. */
struct jpeg_run {
    struct jpeg_error_mgr err; /* first: libjpeg's callbacks find the run from cinfo->err */
    struct jpeg_progress_mgr progress;
    struct jpeg_decompress_struct d;
    jmp_buf jump;
    bool created;              /* d needs jpeg_destroy_decompress */
    bool unsupported;          /* the error is a kind libjpeg cannot decode, not damage */
    bool oom;                  /* the error is JPEG_MAX_MEMORY or malloc failing */
    char msg[JMSG_LENGTH_MAX]; /* libjpeg's error or first warning of damage, or ours */
    unsigned char *row;        /* one output row */
};

static void jpeg_on_error(j_common_ptr ci)
{
    struct jpeg_run *r = (struct jpeg_run *)ci->err;
    int code = ci->err->msg_code;
    r->unsupported = code == JERR_BAD_PRECISION || code == JERR_SOF_UNSUPPORTED ||
                     code == JERR_NOT_COMPILED || code == JERR_ARITH_NOTIMPL;
    r->oom = code == JERR_NO_BACKING_STORE || code == JERR_OUT_OF_MEMORY;
    ci->err->format_message(ci, r->msg);
    longjmp(r->jump, 1);
}

/*
 * Warnings (level -1) are damage (premature end, bad Huffman code, data
 * between segments...) except three about metadata the PDF does not use;
 * the first stops the decoding. Trace messages (level >= 0) are ignored.
 */
static void jpeg_on_message(j_common_ptr ci, int level)
{
    int code = ci->err->msg_code;
    if (level >= 0 || code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM ||
        code == JWRN_BOGUS_ICC)
        return;
    jpeg_on_error(ci);
}

static void jpeg_on_progress(j_common_ptr ci)
{
    struct jpeg_run *r = (struct jpeg_run *)ci->err;
    if (((j_decompress_ptr)ci)->input_scan_number > JPEG_MAX_SCANS) {
        snprintf(r->msg, sizeof r->msg, "more than %d scans", JPEG_MAX_SCANS);
        longjmp(r->jump, 1);
    }
}

/*
 * Decode every scan of the file (at 1/8 scale: the entropy-coded data is
 * read in full, the pixels are not needed). 0; 1 when the frame header is
 * over the size limits (nothing decoded; d has the size); or -1 with
 * r->msg. The caller destroys d when r->created.
 */
static int jpeg_run(struct jpeg_run *r, const unsigned char *data, size_t len)
{
    r->d.err = jpeg_std_error(&r->err);
    r->err.error_exit = jpeg_on_error;
    r->err.emit_message = jpeg_on_message;
    r->progress.progress_monitor = jpeg_on_progress;
    if (setjmp(r->jump))
        return -1;
    jpeg_create_decompress(&r->d);
    r->created = true;
    r->d.progress = &r->progress;
    r->d.mem->max_memory_to_use = JPEG_MAX_MEMORY;
    jpeg_mem_src(&r->d, data, (unsigned long)len);
    jpeg_read_header(&r->d, TRUE);
    if (!within_limits((long)r->d.image_width, (long)r->d.image_height))
        return 1;
    r->d.scale_num = 1;
    r->d.scale_denom = 8;
    r->d.dct_method = JDCT_IFAST;
    r->d.do_fancy_upsampling = FALSE;
    r->d.do_block_smoothing = FALSE;
    jpeg_start_decompress(&r->d);
    r->row = malloc((size_t)r->d.output_width * (size_t)r->d.output_components);
    if (!r->row) {
        r->oom = true;
        return -1;
    }
    while (r->d.output_scanline < r->d.output_height) {
        JSAMPROW rows[1] = {r->row};
        jpeg_read_scanlines(&r->d, rows, 1);
    }
    jpeg_finish_decompress(&r->d);
    return 0;
}

/*
 * The frame header as libharu's loader finds it (hpdf_image.c,
 * LoadJpegHeader): segment after segment from SOI, each a marker and a
 * length, to the first SOF0, SOF1, SOF2 or SOF9. 0, or -1 where it would
 * fail or read past the end.
 */
static int haru_jpeg_frame(const unsigned char *p, size_t n, unsigned *w, unsigned *h,
                           unsigned *comps)
{
    size_t i = 2;
    for (;;) {
        if (n - i < 4)
            return -1;
        unsigned tag = gw_be16(p + i), size = gw_be16(p + i + 2);
        if (tag == 0xFFC0 || tag == 0xFFC1 || tag == 0xFFC2 || tag == 0xFFC9) {
            if (n - i < 10)
                return -1;
            *h = gw_be16(p + i + 5);
            *w = gw_be16(p + i + 7);
            *comps = p[i + 9];
            return p[i + 4] == 8 ? 0 : -1;
        }
        if ((tag & 0xFF00) != 0xFF00 || size < 2 || n - i - 2 < size)
            return -1;
        i += 2 + size;
    }
}

/* A JPEG: decoded in full to check it, then given to libharu as it is. */
static int decode_jpeg(const char *name, const unsigned char *data, size_t len,
                       struct gw_pdf_image *img, char *err, size_t errlen)
{
    struct jpeg_run r;
    memset(&r, 0, sizeof r);
    int rc = jpeg_run(&r, data, len);
    long w = (long)r.d.image_width, h = (long)r.d.image_height;
    int comps = r.d.num_components;
    if (r.created)
        jpeg_destroy_decompress(&r.d);
    free(r.row);
    if (rc > 0) {
        limits_error(name, w, h, err, errlen);
        return -1;
    }
    if (rc < 0) {
        if (r.oom)
            gw_set_err(err, errlen, "not enough memory to decode image %s (at most %ld MB)",
                       name, JPEG_MAX_MEMORY >> 20);
        else if (r.unsupported)
            gw_set_err(err, errlen,
                       "image %s is a kind of JPEG that cannot be embedded (%s); " RESAVE, name,
                       r.msg);
        else
            gw_set_err(err, errlen, "image %s is a damaged JPEG (%s); " RESAVE, name, r.msg);
        return -1;
    }
    unsigned hw, hh, hc;
    if (comps != 1 && comps != 3 && comps != 4) {
        gw_set_err(err, errlen, "image %s is a JPEG with %d colour components; "
                   "only grey (1), RGB (3) and CMYK (4) can be embedded; " RESAVE, name, comps);
        return -1;
    }
    if (haru_jpeg_frame(data, len, &hw, &hh, &hc) != 0 || (long)hw != w || (long)hh != h ||
        (int)hc != comps) {
        gw_set_err(err, errlen, "image %s is a JPEG whose headers the PDF library would "
                   "misread (a coding process other than baseline or progressive, or "
                   "padding between its segments); " RESAVE, name);
        return -1;
    }
    img->w = (int)w;
    img->h = (int)h;
    img->as_file = true;
    img->cost = 2 * len; /* libharu's copy of the file, and the image stream */
    return 0;
}

/* }====================================================================== */

int gw_pdf_image_decode(const char *name, const unsigned char *data, size_t len,
                        struct gw_pdf_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    struct gw_image_info info;
    if (gw_image_sniff(name, data, len, &info, err, errlen) < 0)
        return -1;
    img->png = info.png;
    img->w = info.w;
    img->h = info.h;
    if (!within_limits(info.w, info.h)) {
        limits_error(name, info.w, info.h, err, errlen);
        return -1;
    }
    return info.png ? decode_png(name, data, len, img, err, errlen)
                    : decode_jpeg(name, data, len, img, err, errlen);
}

HPDF_Image gw_pdf_image_embed(HPDF_Doc pdf, const struct gw_pdf_image *img,
                              const unsigned char *data, size_t len)
{
    if (img->as_file)
        return img->png ? HPDF_LoadPngImageFromMem(pdf, data, (HPDF_UINT)len)
                        : HPDF_LoadJpegImageFromMem(pdf, data, (HPDF_UINT)len);
    bool alpha = img->channels == 2 || img->channels == 4;
    int colours = alpha ? img->channels - 1 : img->channels;
    HPDF_ColorSpace cs = colours == 3 ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY;
    HPDF_Image im = HPDF_LoadRawImageFromMem(pdf, img->pixels, (HPDF_UINT)img->w,
                                             (HPDF_UINT)img->h, cs, 8);
    if (im && alpha) {
        size_t n = (size_t)img->w * (size_t)img->h;
        HPDF_Image mask = HPDF_LoadRawImageFromMem(pdf, img->pixels + n * (size_t)colours,
                                                   (HPDF_UINT)img->w, (HPDF_UINT)img->h,
                                                   HPDF_CS_DEVICE_GRAY, 8);
        if (!mask || HPDF_Image_AddSMask(im, mask) != HPDF_OK)
            return NULL;
    }
    return im;
}

void gw_pdf_image_fini(struct gw_pdf_image *img)
{
    free(img->pixels);
    img->pixels = NULL;
}
