/*
 * gw_buf: a growable byte buffer on the heap (for building strings, PDF
 * operators, CMaps). The owner calls gw_buf_free or takes the bytes with
 * gw_buf_detach.
 */
#ifndef GW_BUF_H
#define GW_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct gw_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
};

void gw_buf_init(struct gw_buf *b);
void gw_buf_free(struct gw_buf *b);
void gw_buf_add(struct gw_buf *b, const void *p, size_t n);
void gw_buf_adds(struct gw_buf *b, const char *s);
void gw_buf_addc(struct gw_buf *b, char c);
void gw_buf_printf(struct gw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append the UTF-8 encoding of code point cp. */
void gw_buf_add_utf8(struct gw_buf *b, uint32_t cp);
/* Hand the bytes to the caller (free with free()); the buffer is reset. */
char *gw_buf_detach(struct gw_buf *b, size_t *len);

#endif /* GW_BUF_H */
