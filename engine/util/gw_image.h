/*
 * gw_image: opening an image file and reading its header, in libc only.
 *
 * gw_image_read opens a file the way a hostile path is opened: without
 * blocking (a FIFO or /dev/stdin as an image path must not hang the
 * build), accepting only a regular file, and reading it whole, once, into
 * memory under a size cap, so that whatever checks those bytes checks what
 * is embedded. gw_image_sniff reads the kind (PNG or JPEG) and the size in
 * pixels from the header in such bytes; gw_image_probe does both for the
 * plugin host, which needs the size to lay the image out.
 *
 * It does not decode pixels or judge the size: the PDF writer does that
 * (pdf/gw_pdf_image.h) before libharu sees the bytes.
 */
#ifndef GW_IMAGE_H
#define GW_IMAGE_H

#include <stddef.h>

#include "gw_buf.h"

/* The largest image file read (bytes); a larger one is an error. */
#define GW_IMAGE_MAX_FILE ((size_t)64 << 20)

struct gw_image_info {
    int png;      /* 1 PNG, 0 JPEG */
    int w, h;     /* pixels */
};

/*
 * Read the image file at path whole into out (initialized by the caller;
 * emptied first). 0, or -1 with a one-line reason in err that names the
 * path: it cannot be opened, is a folder, is not a regular file (a FIFO, a
 * device, a socket), or is larger than GW_IMAGE_MAX_FILE.
 */
int gw_image_read(const char *path, struct gw_buf *out, char *err, size_t errlen);

/*
 * Kind and pixel size from the header of an image's bytes (the whole file,
 * or at least up to a JPEG's frame header). 0, or -1 with a one-line reason
 * in err naming the image `name`: empty, neither PNG nor JPEG, or a PNG or
 * JPEG whose header is damaged.
 */
int gw_image_sniff(const char *name, const unsigned char *data, size_t len,
                   struct gw_image_info *info, char *err, size_t errlen);

/*
 * gw_image_read then gw_image_sniff, reading only the file's first 64 KiB
 * unless the header is further on: 0, or -1 with a one-line reason in err.
 */
int gw_image_probe(const char *path, struct gw_image_info *info, char *err, size_t errlen);

#endif /* GW_IMAGE_H */
