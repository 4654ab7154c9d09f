/*
 * gw_image: opening image files and reading their headers (see gw_image.h).
 *
 * Owns how an image path is opened (non-blocking, regular files only, read
 * once under GW_IMAGE_MAX_FILE) and the PNG IHDR / JPEG SOFn header walk
 * over bytes in memory. It calls only libc; decoding and the size limits are
 * the PDF writer's (pdf/gw_pdf_image.c).
 */
#include "gw_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gw_bytes.h"
#include "gw_diag.h"

/* What a file that is neither a folder nor a regular file is, for messages. */
static const char *file_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO or pipe";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

/* Read up to size bytes of fd into out; 0, or -1 with errno set. */
static int read_all(int fd, size_t size, struct gw_buf *out)
{
    gw_buf_grow(out, size);
    while (out->len < size) {
        ssize_t n = read(fd, out->data + out->len, size - out->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break; /* the file shrank since fstat: take what is there */
        out->len += (size_t)n;
    }
    out->data[out->len] = '\0';
    return 0;
}

/* gw_image_read, reading at most max bytes of a file that may be larger (up to the cap). */
static int read_image(const char *path, size_t max, struct gw_buf *out, char *err, size_t errlen)
{
    out->len = 0;
    /* O_NONBLOCK: opening a FIFO with no writer must not wait for one */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        gw_set_err(err, errlen, "cannot open image %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0)
        gw_set_err(err, errlen, "cannot read image %s: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        gw_set_err(err, errlen, "image %s is a folder", path);
    else if (!S_ISREG(st.st_mode))
        gw_set_err(err, errlen, "image %s is not a regular file (it is %s)", path,
                   file_kind(st.st_mode));
    else if ((uintmax_t)st.st_size > GW_IMAGE_MAX_FILE)
        gw_set_err(err, errlen, "image %s is %.1f MiB, larger than the limit of %zu MiB", path,
                   (double)st.st_size / (1 << 20), GW_IMAGE_MAX_FILE >> 20);
    else if (read_all(fd, (size_t)st.st_size < max ? (size_t)st.st_size : max, out) != 0)
        gw_set_err(err, errlen, "cannot read image %s: %s", path, strerror(errno));
    else
        rc = 0;
    close(fd);
    return rc;
}

/*
 * The frame size from a JPEG's first start-of-frame marker (SOF0-SOF15 but
 * DHT, JPG and DAC), walking the marker segments from after SOI.
 */
static int jpeg_size(const unsigned char *p, size_t n, int *w, int *h)
{
    size_t i = 2;
    while (i < n) {
        if (p[i] != 0xFF) {
            i++;
            continue;
        }
        while (i < n && p[i] == 0xFF)
            i++; /* fill bytes */
        if (i >= n)
            return -1;
        unsigned c = p[i++];
        if (c == 0xD9 || c == 0xDA)
            return -1; /* end of image or scan before any frame header */
        if (c == 0xD8 || c == 0x01 || (c >= 0xD0 && c <= 0xD7))
            continue; /* markers without a length */
        if (n - i < 2)
            return -1;
        unsigned len = gw_be16(p + i);
        if (len < 2)
            return -1;
        if (c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC) {
            if (n - i < 7)
                return -1; /* length, precision, height, width */
            *h = (int)gw_be16(p + i + 3);
            *w = (int)gw_be16(p + i + 5);
            return *w > 0 && *h > 0 ? 0 : -1;
        }
        i += len;
    }
    return -1;
}

int gw_image_sniff(const char *name, const unsigned char *data, size_t len,
                   struct gw_image_info *info, char *err, size_t errlen)
{
    if (len == 0) {
        gw_set_err(err, errlen, "image %s is an empty file", name);
        return -1;
    }
    if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) {
        /* signature, then IHDR: length, type, width, height (PNG §11.2.2) */
        uint32_t w = len >= 24 ? gw_be32(data + 16) : 0, h = len >= 24 ? gw_be32(data + 20) : 0;
        if (len < 33 || memcmp(data + 12, "IHDR", 4) != 0 || w == 0 || h == 0 ||
            w > INT32_MAX || h > INT32_MAX) {
            gw_set_err(err, errlen, "image %s is a damaged PNG (no valid IHDR header)", name);
            return -1;
        }
        info->png = 1;
        info->w = (int)w;
        info->h = (int)h;
        return 0;
    }
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
        if (jpeg_size(data, len, &info->w, &info->h) != 0) {
            gw_set_err(err, errlen, "image %s is a damaged JPEG (no valid frame header)", name);
            return -1;
        }
        info->png = 0;
        return 0;
    }
    gw_set_err(err, errlen, "image %s is neither PNG nor JPEG", name);
    return -1;
}

int gw_image_read(const char *path, struct gw_buf *out, char *err, size_t errlen)
{
    return read_image(path, GW_IMAGE_MAX_FILE, out, err, errlen);
}

/* The probe reads this much first: a header is there unless a JPEG's metadata is larger. */
#define PROBE_PREFIX ((size_t)64 << 10)

int gw_image_probe(const char *path, struct gw_image_info *info, char *err, size_t errlen)
{
    struct gw_buf b;
    gw_buf_init(&b);
    int rc = read_image(path, PROBE_PREFIX, &b, err, errlen);
    if (rc == 0)
        rc = gw_image_sniff(path, (const unsigned char *)b.data, b.len, info, err, errlen);
    if (rc < 0 && b.len == PROBE_PREFIX && read_image(path, GW_IMAGE_MAX_FILE, &b, err, errlen) == 0)
        rc = gw_image_sniff(path, (const unsigned char *)b.data, b.len, info, err, errlen);
    gw_buf_free(&b);
    return rc;
}
