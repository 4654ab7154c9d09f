/*
 * gw_image: PNG and JPEG header probing (see gw_image.h).
 */
#include "gw_image.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gw_bytes.h"
#include "gw_diag.h"

/* Walk JPEG markers to the first start-of-frame (SOF0-SOF15 but DHT, JPG, DAC). */
static int jpeg_size(FILE *f, int *w, int *h)
{
    unsigned char b[8];
    for (int guard = 0; guard < 10000; guard++) {
        int c = fgetc(f);
        if (c == EOF)
            return -1;
        if (c != 0xFF)
            continue;
        while ((c = fgetc(f)) == 0xFF)
            ;
        if (c == EOF || c == 0xD9 || c == 0xDA)
            return -1; /* end of image or scan before any frame header */
        if (c == 0xD8 || c == 0x01 || (c >= 0xD0 && c <= 0xD7))
            continue; /* markers without a length */
        if (fread(b, 1, 2, f) != 2)
            return -1;
        unsigned len = gw_be16(b);
        if (len < 2)
            return -1;
        if (c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC) {
            if (fread(b, 1, 5, f) != 5)
                return -1;
            *h = (int)gw_be16(b + 1);
            *w = (int)gw_be16(b + 3);
            return *w > 0 && *h > 0 ? 0 : -1;
        }
        if (fseek(f, (long)len - 2, SEEK_CUR) != 0)
            return -1;
    }
    return -1;
}

int gw_image_probe(const char *path, struct gw_image_info *info, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        gw_set_err(err, errlen, "cannot open image %s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char h[32];
    size_t n = fread(h, 1, sizeof h, f);
    int rc = -1;
    if (n >= 24 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(h + 12, "IHDR", 4) == 0) {
        unsigned long w = gw_be32(h + 16), hh = gw_be32(h + 20);
        if (w > 0 && hh > 0 && w < 100000 && hh < 100000 && n >= 26) {
            info->png = 1;
            info->w = (int)w;
            info->h = (int)hh;
            rc = 0;
        }
        if (rc)
            gw_set_err(err, errlen, "image %s is a damaged PNG", path);
    } else if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) {
        fseek(f, 2, SEEK_SET);
        if (jpeg_size(f, &info->w, &info->h) == 0) {
            info->png = 0;
            rc = 0;
        } else {
            gw_set_err(err, errlen, "image %s is a damaged JPEG", path);
        }
    } else {
        gw_set_err(err, errlen, "image %s is neither PNG nor JPEG", path);
    }
    fclose(f);
    return rc;
}
