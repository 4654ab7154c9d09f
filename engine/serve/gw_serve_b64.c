/*
 * gw_serve_b64: base64 (RFC 4648), for a PDF inside a JSON reply of
 * `gongwen serve` (JSON strings come from util/gw_json).
 */
#include "gw_serve_int.h"

void gw_base64(struct gw_buf *b, const unsigned char *p, size_t n)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    gw_buf_grow(b, (n + 2) / 3 * 4);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = {digits[v >> 18], digits[(v >> 12) & 63], i + 1 < n ? digits[(v >> 6) & 63] : '=',
                     i + 2 < n ? digits[v & 63] : '='};
        gw_buf_add(b, q, 4);
    }
}
