/*
 * gw_deflate: Flate compression of PDF streams (see gw_deflate.h).
 */
#include "gw_deflate.h"

#include <libdeflate.h>
#include <stdlib.h>

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

HPDF_STATUS gw_pdf_put_deflated(HPDF_Dict s, const void *data, size_t len)
{
    /* libharu removes /Filter from streams it does not filter itself, so
     * the name is written by a hook instead of being a dict entry */
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_filter;
    HPDF_MemStream_FreeData(s->stream);
    return HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
}
