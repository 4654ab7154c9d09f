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
#include <string.h>

struct gw_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
};

void gw_buf_init(struct gw_buf *b);
void gw_buf_free(struct gw_buf *b);
/* Make room for extra more bytes (and the NUL). */
void gw_buf_grow(struct gw_buf *b, size_t extra);

/* Appends are inline: PDF content is written a few bytes at a time. */
static inline void gw_buf_add(struct gw_buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap)
        gw_buf_grow(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void gw_buf_adds(struct gw_buf *b, const char *s)
{
    gw_buf_add(b, s, strlen(s));
}

static inline void gw_buf_addc(struct gw_buf *b, char c)
{
    gw_buf_add(b, &c, 1);
}

void gw_buf_printf(struct gw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append the UTF-8 encoding of code point cp. */
void gw_buf_add_utf8(struct gw_buf *b, uint32_t cp);
/* Hand the bytes to the caller (free with free()); the buffer is reset. */
char *gw_buf_detach(struct gw_buf *b, size_t *len);

#endif /* GW_BUF_H */
