/*
 * gw_buf: growable byte buffer (see gw_buf.h).
 */
#include "gw_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_arena.h"
#include "gw_utf8.h"

void gw_buf_init(struct gw_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void gw_buf_free(struct gw_buf *b)
{
    free(b->data);
    gw_buf_init(b);
}

void gw_buf_grow(struct gw_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = gw_xrealloc(b->data, cap);
    b->cap = cap;
}

void gw_buf_printf(struct gw_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        gw_buf_add(b, tmp, (size_t)n);
        return;
    }
    gw_buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void gw_buf_add_utf8(struct gw_buf *b, uint32_t cp)
{
    char tmp[4];
    int n = gw_utf8_encode(cp, tmp);
    gw_buf_add(b, tmp, (size_t)n);
}

char *gw_buf_detach(struct gw_buf *b, size_t *len)
{
    if (!b->data)
        gw_buf_add(b, "", 0);
    char *d = b->data;
    if (len)
        *len = b->len;
    gw_buf_init(b);
    return d;
}
