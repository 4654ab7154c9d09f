/*
 * gw_bytes.h - big-endian integers in file bytes (font tables, PNG and
 * JPEG headers). Header only.
 */
#ifndef GW_BYTES_H
#define GW_BYTES_H

#include <stdint.h>

static inline unsigned gw_be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static inline uint32_t gw_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif /* GW_BYTES_H */
