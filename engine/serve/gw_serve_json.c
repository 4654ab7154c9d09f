/*
 * gw_serve_json: the two encoders the API's replies need: a JSON string
 * (RFC 8259 escapes; the input is valid UTF-8, checked by the caller) and
 * base64 (RFC 4648) for a PDF inside a JSON reply.
 */
#include "gw_serve_int.h"

void gw_json_str(struct gw_buf *b, const char *s, size_t n)
{
    gw_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            gw_buf_addc(b, '\\');
            gw_buf_addc(b, (char)c);
        } else if (c == '\n') {
            gw_buf_adds(b, "\\n");
        } else if (c == '\t') {
            gw_buf_adds(b, "\\t");
        } else if (c < 0x20 || c == 0x7f) {
            gw_buf_printf(b, "\\u%04x", c);
        } else {
            gw_buf_addc(b, (char)c);
        }
    }
    gw_buf_addc(b, '"');
}

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
