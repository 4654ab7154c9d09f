/*
 * gw_deflate: Flate compression of PDF streams, done by gongwen instead of
 * libharu, so it can run on worker threads (gw_jobs) and use libdeflate,
 * which is several times faster than zlib at a better ratio.
 *
 * A gw_deflate is one compressor; it is not shared between threads (keep
 * one per worker). gw_pdf_put_deflated() hands compressed bytes to a
 * libharu stream object that then writes them as they are, with
 * /Filter /FlateDecode.
 */
#ifndef GW_DEFLATE_H
#define GW_DEFLATE_H

#include <stddef.h>

#include <hpdf.h>
#include <hpdf_objects.h>

#include "../util/gw_buf.h"

/*
 * Compression levels (libdeflate 1..12). The body font's program is the
 * longest single job of a short document (the seed's 仿宋 subset: 280 KB).
 * On it level 4 takes two thirds of level 6's time for a 2% larger stream
 * (128.7 against 126.3 KB); level 1 takes half, for 6% more. Page
 * contents are a few KB each and mostly glyph codes: level 1 costs 2% of a
 * long document's size and saves a third of its compression time.
 */
#define GW_DEFLATE_LEVEL       4
#define GW_DEFLATE_LEVEL_PAGES 1

/*
 * A document of at most this many pages compresses its pages with the
 * fonts' compressor (level 4) instead of making a second one per thread:
 * a new compressor's tables are 30-50 fresh pages of memory (about 0.15 ms
 * on the project's machine), while level 4 costs about 14 us more per page
 * than level 1 (and makes each page's stream a little smaller).
 */
#define GW_DEFLATE_SHORT_DOC 16

struct gw_deflate;

/* A compressor at the given level; NULL when out of memory. */
struct gw_deflate *gw_deflate_new(int level);
void gw_deflate_free(struct gw_deflate *z);

/* Replace out's contents with in[0..n) in zlib format (what /FlateDecode reads). 0 or -1. */
int gw_deflate(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out);

/*
 * A zlib stream in two pieces compressed apart, so that two threads can
 * share one long stream (the body font's program). A DEFLATE stream is a
 * chain of blocks, so the pieces are joined by making the first one's
 * blocks not final and ending it on a byte boundary:
 *
 *   gw_deflate_first: out = the zlib header and in[0..n) as DEFLATE blocks,
 *     none final, then an empty stored block (as zlib's Z_SYNC_FLUSH ends).
 *     Finding the last block's header means decoding the blocks (zlib's
 *     inflate stops at each block boundary): a third of the compression's
 *     time, so give this piece less than half.
 *   gw_deflate_rest: out = in[0..n) as DEFLATE blocks, the last one final.
 *   gw_deflate_join: append rest and the trailer (the Adler-32 checksum of
 *     all the data, from gw_deflate_adler32 over each piece in turn,
 *     starting from 1) to first.
 *
 * Each returns 0 or -1 (out of memory; or, from gw_deflate_first, blocks
 * it cannot decode, which a correct compressor never makes).
 */
int gw_deflate_first(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out);
int gw_deflate_rest(struct gw_deflate *z, const void *in, size_t n, struct gw_buf *out);
unsigned long gw_deflate_adler32(unsigned long adler, const void *in, size_t n);
int gw_deflate_join(struct gw_buf *first, const struct gw_buf *rest, unsigned long adler);

/*
 * Make stream dict s (from HPDF_DictStream_New or a page's contents) hold
 * the already compressed data[0..len): libharu writes it unchanged and the
 * dictionary says /Filter /FlateDecode. Any earlier data of s is dropped.
 * data is not copied: it must stay until the document is saved.
 */
HPDF_STATUS gw_pdf_put_deflated(HPDF_Dict s, const void *data, size_t len);

/*
 * A libharu stream of gongwen's own (HPDF_STREAM_CALLBACK: libharu's
 * memory-stream calls leave it alone), from mmgr, reporting to error, with
 * attr as its state; the caller sets the read or write functions. NULL
 * when out of memory.
 */
HPDF_Stream gw_pdf_stream_new(HPDF_MMgr mmgr, HPDF_Error error, void *attr);

#endif /* GW_DEFLATE_H */
