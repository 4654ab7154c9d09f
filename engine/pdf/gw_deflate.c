/*
 * gw_deflate: Flate compression of PDF streams (see gw_deflate.h).
 */
#include "gw_deflate.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_error.h>
#include <hpdf_mmgr.h>
#include <hpdf_streams.h>

struct gw_deflate {
    struct libdeflate_compressor *c;
};

struct gw_deflate *gw_deflate_new(int level)
{
    struct gw_deflate *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->c = libdeflate_alloc_compressor(level);
    if (!z->c) {
        free(z);
        return NULL;
    }
    return z;
}

void gw_deflate_free(struct gw_deflate *z)
{
    if (!z)
        return;
    libdeflate_free_compressor(z->c);
    free(z);
}

int gw_deflate(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out)
{
    size_t bound = libdeflate_zlib_compress_bound(z->c, n);
    out->len = 0;
    if (out->cap < bound + 1) {
        char *p = realloc(out->data, bound + 1);
        if (!p)
            return -1;
        out->data = p;
        out->cap = bound + 1;
    }
    size_t got = libdeflate_zlib_compress(z->c, in, n, out->data, bound);
    if (got == 0)
        return -1; /* cannot happen with a bound-sized buffer */
    out->len = got;
    out->data[got] = '\0';
    return 0;
}

/* Dict write hook: the filter libharu would drop for an unfiltered stream. */
static HPDF_STATUS write_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/*
 * A read-only libharu stream over bytes gongwen owns (a compressed font
 * program or page). libharu's memory stream would copy them in 4 KB
 * pieces a byte at a time when they are put in and again when the file is
 * written; this one hands them over with one memcpy per piece, at write.
 */
struct bytes {
    const unsigned char *p;
    size_t len, pos;
};

static HPDF_STATUS bytes_read(HPDF_Stream s, HPDF_BYTE *buf, HPDF_UINT *size)
{
    struct bytes *b = s->attr;
    size_t n = b->len - b->pos;
    if (n > *size)
        n = *size;
    memcpy(buf, b->p + b->pos, n);
    b->pos += n;
    *size = (HPDF_UINT)n;
    return b->pos < b->len ? HPDF_OK : HPDF_STREAM_EOF;
}

static HPDF_STATUS bytes_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    struct bytes *b = s->attr;
    long at = mode == HPDF_SEEK_CUR   ? (long)b->pos + pos
              : mode == HPDF_SEEK_END ? (long)b->len - pos
                                      : pos;
    if (at < 0 || (size_t)at > b->len)
        return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
    b->pos = (size_t)at;
    return HPDF_OK;
}

static HPDF_INT32 bytes_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((struct bytes *)s->attr)->pos;
}

static HPDF_UINT32 bytes_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((struct bytes *)s->attr)->len;
}

static void bytes_free(HPDF_Stream s)
{
    HPDF_FreeMem(s->mmgr, s->attr);
    s->attr = NULL;
}

HPDF_Stream gw_pdf_stream_new(HPDF_MMgr mmgr, HPDF_Error error, void *attr)
{
    HPDF_Stream st = HPDF_GetMem(mmgr, sizeof(HPDF_Stream_Rec));
    if (!st)
        return NULL;
    memset(st, 0, sizeof(*st));
    st->sig_bytes = HPDF_STREAM_SIG_BYTES;
    st->type = HPDF_STREAM_CALLBACK;
    st->mmgr = mmgr;
    st->error = error;
    st->attr = attr;
    return st;
}

HPDF_STATUS gw_pdf_put_deflated(HPDF_Dict s, const void *data, size_t len)
{
    if (len > 0x7FFFFFFF)
        return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0); /* libharu sizes are 32-bit */
    struct bytes *b = HPDF_GetMem(s->mmgr, sizeof(*b));
    HPDF_Stream st = b ? gw_pdf_stream_new(s->mmgr, s->error, b) : NULL;
    if (!st)
        return HPDF_Error_GetCode(s->error);
    *b = (struct bytes){data, len, 0};
    st->read_fn = bytes_read;
    st->seek_fn = bytes_seek;
    st->tell_fn = bytes_tell;
    st->size_fn = bytes_size;
    st->free_fn = bytes_free;
    /*
     * libharu removes /Filter from streams it does not filter itself, so
     * the name is written by a hook instead of being a dict entry.
     */
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_filter;
    HPDF_Stream_Free(s->stream); /* the empty one libharu made */
    s->stream = st;
    return HPDF_OK;
}
