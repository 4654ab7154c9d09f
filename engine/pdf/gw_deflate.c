/*
 * gw_deflate: Flate compression of PDF streams (see gw_deflate.h).
 */
#include "gw_deflate.h"

#include <libdeflate.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

/* Room for n more bytes in b (and a terminating NUL). */
static int reserve(struct gw_buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return 0;
    char *p = realloc(b->data, b->len + n + 1);
    if (!p)
        return -1;
    b->data = p;
    b->cap = b->len + n + 1;
    return 0;
}

/* Replace out's contents with in[0..n) compressed: a zlib stream, or bare DEFLATE blocks. */
static int compress_into(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out,
                         bool zlib)
{
    size_t bound =
        zlib ? libdeflate_zlib_compress_bound(z->c, n) : libdeflate_deflate_compress_bound(z->c, n);
    out->len = 0;
    if (reserve(out, bound) != 0)
        return -1;
    out->len = (zlib ? libdeflate_zlib_compress : libdeflate_deflate_compress)(z->c, in, n,
                                                                               out->data, bound);
    out->data[out->len] = '\0';
    return out->len ? 0 : -1; /* 0 cannot happen with a bound-sized buffer */
}

int gw_deflate(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out)
{
    return compress_into(z, in, n, out, true);
}

/*
 * Where the last block of the DEFLATE stream d[0..n) begins (its BFINAL bit
 * is bit *bit of d[*at]), and how many padding bits fill the stream's last
 * byte. zlib's inflate with Z_BLOCK returns at every block boundary with
 * the number of bits it has not used of the last byte it took (and with 64
 * added once the last block is done).
 */
static int last_block(const unsigned char *d, size_t n, size_t *at, int *bit, int *pad)
{
    size_t cap = 64 * 1024;
    unsigned char *sink = malloc(cap); /* the decoded data: only the positions matter */
    z_stream s = {0};
    if (!sink || inflateInit2(&s, -15) != Z_OK) {
        free(sink);
        return -1;
    }
    s.next_in = (unsigned char *)d;
    s.avail_in = (uInt)n;
    *at = 0; /* the first block starts the stream */
    *bit = 0;
    *pad = -1;
    int rc = Z_OK;
    while (rc == Z_OK) {
        s.next_out = sink;
        s.avail_out = (uInt)cap;
        rc = inflate(&s, Z_BLOCK);
        if (rc == Z_OK && (s.data_type & 128) && *pad < 0) {
            int unused = s.data_type & 7;
            size_t used = (size_t)(s.next_in - d);
            if (s.data_type & 64) { /* the last block is done: the rest is padding */
                *pad = unused;
                rc = used == n ? Z_STREAM_END : Z_DATA_ERROR;
            } else { /* the next block's header starts at the next unused bit */
                *at = unused ? used - 1 : used;
                *bit = unused ? 8 - unused : 0;
            }
        }
        if (rc == Z_BUF_ERROR && s.avail_out == 0)
            rc = Z_OK; /* the sink was full: go on */
    }
    inflateEnd(&s);
    free(sink);
    return rc == Z_STREAM_END && *pad >= 0 && *at < n ? 0 : -1;
}

int gw_deflate_first(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out)
{
    /* a whole zlib stream of the piece, less its 4-byte checksum: header, then blocks */
    if (gw_deflate(z, in, n, out) != 0)
        return -1;
    out->len -= 4;
    unsigned char *d = (unsigned char *)out->data + 2;
    size_t at;
    int bit, pad;
    if (last_block(d, out->len - 2, &at, &bit, &pad) != 0)
        return -1;
    d[at] &= (unsigned char)~(1u << bit); /* not the last block after all */
    /*
     * Then an empty stored block: a 3-bit header of zeros (not final,
     * stored), zeros to the byte boundary, LEN 0 and NLEN 0xFFFF. The
     * header takes the padding bits if there are three, else spills into
     * one more byte.
     */
    d[out->len - 3] &= (unsigned char)(0xFF >> pad); /* padding bits to zero */
    if (reserve(out, 5) != 0)
        return -1;
    static const char stored[5] = {0, 0, 0, (char)0xFF, (char)0xFF};
    const char *p = pad >= 3 ? stored + 1 : stored;
    size_t k = pad >= 3 ? 4 : 5;
    memcpy(out->data + out->len, p, k);
    out->len += k;
    out->data[out->len] = '\0';
    return 0;
}

int gw_deflate_rest(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out)
{
    return compress_into(z, in, n, out, false);
}

unsigned long gw_deflate_adler32(unsigned long adler, const void *in, size_t n)
{
    return libdeflate_adler32((uint32_t)adler, in, n);
}

int gw_deflate_join(struct gw_buf *first, const struct gw_buf *rest, unsigned long adler)
{
    if (reserve(first, rest->len + 4) != 0)
        return -1;
    memcpy(first->data + first->len, rest->data, rest->len);
    first->len += rest->len;
    for (int i = 3; i >= 0; i--) /* big-endian */
        first->data[first->len++] = (char)(adler >> (8 * i) & 0xFF);
    first->data[first->len] = '\0';
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
