/*
 * gw_image: what the engine needs to know about an image file before the
 * PDF writer embeds it: its kind (PNG or JPEG) and its size in pixels. It
 * reads only the file's header (PNG IHDR, JPEG SOFn) and rejects anything
 * else, so a missing or corrupt image is reported where the document names it.
 */
#ifndef GW_IMAGE_H
#define GW_IMAGE_H

#include <stddef.h>

struct gw_image_info {
    int png;      /* 1 PNG, 0 JPEG */
    int w, h;     /* pixels */
};

/* Probe path; 0, or -1 with a one-line reason in err. */
int gw_image_probe(const char *path, struct gw_image_info *info, char *err, size_t errlen);

#endif /* GW_IMAGE_H */
