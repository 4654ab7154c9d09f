/*
 * gw_pdf: PDF backend (see gw_pdf.h).
 */
#include "gw_pdf.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "../util/gw_arena.h"
#include "../util/gw_buf.h"
#include "../util/gw_diag.h"
#include "../util/gw_jobs.h"
#include "../util/gw_utf8.h"
#include "gw_deflate.h"
#include "gw_pdf_font.h"

struct writer {
    HPDF_Doc pdf;
    HPDF_STATUS error;  /* first libharu error, recorded by the handler */
    HPDF_STATUS detail;
    struct gw_pdf_font *fonts[GW_MAX_FONTS];
    const char *image_paths[256]; /* images embedded so far */
    HPDF_Image images[256];
    int nimages;
};

/*
 * libharu's memory. A document makes tens of thousands of small objects,
 * each malloc'ed and freed one by one (HPDF_Free alone took 10 ms at 1000
 * pages). Here they come from one bump pool, 16-byte aligned, whose frees
 * are no-ops; the document is released by dropping the pool, so
 * HPDF_Free's walk over every object is not needed: libharu holds nothing
 * but memory once the file is saved (it opens and closes its own output
 * file, and gongwen loads no fonts through it). libharu's allocator hooks
 * take no context, so the pool is this thread's: libharu is only called
 * from the thread that runs gw_pdf_write.
 */
#define POOL_CHUNK (256 * 1024)
#define POOL_BIG   (POOL_CHUNK / 8) /* larger requests get their own block */

struct pool_block {
    struct pool_block *next;
    max_align_t align[]; /* the memory */
};

struct pool {
    struct pool_block *blocks;
    char *p, *end; /* the free part of the newest chunk */
};

static _Thread_local struct pool *haru_pool;

static struct pool_block *pool_block(struct pool *pl, size_t size)
{
    struct pool_block *b = malloc(sizeof *b + size);
    if (b) {
        b->next = pl->blocks;
        pl->blocks = b;
    }
    return b;
}

static void *pool_alloc(HPDF_UINT size)
{
    struct pool *pl = haru_pool;
    size_t n = ((size_t)size + 15) & ~(size_t)15;
    if (n >= POOL_BIG) {
        struct pool_block *b = pool_block(pl, n);
        return b ? (void *)b->align : NULL;
    }
    if ((size_t)(pl->end - pl->p) < n) {
        struct pool_block *b = pool_block(pl, POOL_CHUNK);
        if (!b)
            return NULL;
        pl->p = (char *)b->align;
        pl->end = pl->p + POOL_CHUNK;
    }
    void *r = pl->p;
    pl->p += n;
    return r;
}

static void pool_free(void *ptr)
{
    (void)ptr; /* released with the whole pool */
}

static void pool_drop(struct pool *pl)
{
    while (pl->blocks) {
        struct pool_block *b = pl->blocks;
        pl->blocks = b->next;
        free(b);
    }
    pl->p = pl->end = NULL;
}

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    struct writer *w = user_data;
    if (!w->error) {
        w->error = error_no;
        w->detail = detail_no;
    }
}

/* Append v with at most `digits` (1..4) decimals, no trailing zeros, and a space. */
static void put_fixed(struct gw_buf *b, double v, int digits)
{
    /* fixed point by hand: printf("%.3f") was a fifth of a long document's time */
    static const unsigned scale[] = {1, 10, 100, 1000, 10000};
    long long m = llround(v * scale[digits]);
    char tmp[32], *e = tmp + sizeof tmp;
    bool neg = m < 0;
    unsigned long long u = neg ? (unsigned long long)(-m) : (unsigned long long)m;
    unsigned frac = (unsigned)(u % scale[digits]);
    u /= scale[digits];
    *--e = ' ';
    if (frac) {
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++) {
            *--e = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--e = '.';
    }
    do {
        *--e = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg && (e[0] != '0' || e[1] != ' '))
        *--e = '-';
    gw_buf_add(b, e, (size_t)(tmp + sizeof tmp - e));
}

/* Coordinates, sizes and offsets: 3 decimals (1/1000 pt). */
static void put_num(struct gw_buf *b, double v)
{
    put_fixed(b, v, 3);
}

static void put_rgb(struct gw_buf *b, uint32_t c, const char *op)
{
    put_num(b, ((c >> 16) & 0xFF) / 255.0);
    put_num(b, ((c >> 8) & 0xFF) / 255.0);
    put_num(b, (c & 0xFF) / 255.0);
    gw_buf_adds(b, op);
    gw_buf_addc(b, '\n');
}

/*
 * The advance glyph i of it should be drawn with, in 1000 units, when its
 * set advance is more than a tenth of an em short of the glyph's own (a
 * compressed mark), so its box would overlap the next glyph or pass the
 * line end; 0 when the natural advance serves. Rounded to 1/8 em so
 * a document needs few variants; TJ absorbs the remainder.
 */
static int variant_of(const struct gw_font *font, const struct gw_item *it, int i, double adv)
{
    if (gw_font_is_cff(font))
        return 0; /* a CIDFontType0 cannot give one glyph a second code: TJ does it all */
    double natural = adv * 1000.0;
    double want = it->g[i].w / it->size * 1000.0;
    if (want > natural - 100.0)
        return 0;
    int w = (int)(floor(want / 125.0 + 0.5) * 125.0);
    return w < 0 ? 0 : (w == 0 ? 1 : w);
}

/* The same, looking the glyph's natural advance (em) up. */
static int variant_width(const struct gw_font *font, const struct gw_item *it, int i)
{
    return variant_of(font, it, i, gw_font_advance(font, it->g[i].gid));
}

/*
 * What this page's content stream has set so far. Text state (font, Tc) and
 * the fill colour persist across BT/ET, so an item repeats only what
 * changed; a Q that ends a turned (landscape) block forgets them.
 */
struct tstate {
    const char *font; /* NULL: unknown */
    double size, tc;
    uint32_t color;
    bool have_color, have_tc;
};

/* The most common of the n gaps (rounded to 1e-4 pt), the line's character spacing. */
static double common_gap(const double *gap, int n)
{
    /* a justified line's gaps are nearly all equal: find a majority in one pass (Boyer-Moore) */
    double cand = gap[0];
    int votes = 0, count = 0;
    for (int i = 0; i < n; i++) {
        if (votes == 0)
            cand = gap[i];
        votes += fabs(gap[i] - cand) < 0.00005 ? 1 : -1;
    }
    for (int i = 0; i < n; i++)
        count += fabs(gap[i] - cand) < 0.00005;
    if (2 * count <= n) { /* no majority: the most frequent of the first few */
        int best_count = 0;
        for (int i = 0; i < n && i < 16; i++) {
            int c = 0;
            for (int k = 0; k < n; k++)
                c += fabs(gap[k] - gap[i]) < 0.00005;
            if (c > best_count) {
                best_count = c;
                cand = gap[i];
            }
        }
    }
    return round(cand * 10000.0) / 10000.0;
}

/*
 * Append the two bytes of a CID inside a literal string, escaped where the
 * string syntax needs it (parentheses, backslash, and CR, which a reader
 * would turn into LF). Half the size of hex, so half the bytes to compress.
 */
static inline void add_cid(struct gw_buf *b, unsigned cid)
{
    if (b->len + 5 > b->cap)
        gw_buf_grow(b, 4);
    char *o = b->data + b->len;
    unsigned char by[2] = {(unsigned char)(cid >> 8), (unsigned char)(cid & 0xFF)};
    for (int k = 0; k < 2; k++) {
        unsigned char c = by[k];
        if (c == '(' || c == ')' || c == '\\' || c == '\r') {
            *o++ = '\\';
            *o++ = c == '\r' ? 'r' : (char)c;
        } else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    b->len = (size_t)(o - b->data);
}

/*
 * One text item as BT ... ET. Every glyph lands exactly where layout put
 * it: the line's common extra gap (justification) is the character
 * spacing Tc, other gaps are TJ offsets, and glyphs between offsets share
 * one string. The last glyph is shown with Tc 0, so its box (what
 * text selection and extraction see) is its own width.
 */
static void put_text(struct gw_pdf_font *pf, const char *name, const struct gw_item *it,
                     const struct gw_fontset *fs, double page_h, struct tstate *ts,
                     struct gw_buf *b)
{
    const struct gw_font *font = fs->fonts[it->font];
    /* per glyph: its CID and the gap after it (beyond its advance) */
    double gaps[256], *gap = it->n <= 256 ? gaps : gw_xmalloc((size_t)it->n * sizeof(*gap));
    unsigned cids[256], *cid = it->n <= 256 ? cids : gw_xmalloc((size_t)it->n * sizeof(*cid));
    for (int i = 0; i < it->n; i++) {
        double nat = gw_font_advance(font, it->g[i].gid);
        int vw = variant_of(font, it, i, nat);
        double adv = vw ? vw / 1000.0 : nat;
        cid[i] = vw ? gw_pdf_font_cid_width(pf, it->g[i].gid, vw)
                    : gw_pdf_font_cid(pf, it->g[i].gid);
        if (i + 1 < it->n)
            gap[i] = it->g[i + 1].x - (it->g[i].x + adv * it->size);
    }
    double tc = it->n > 2 ? common_gap(gap, it->n - 1) : 0.0;
    gw_buf_adds(b, "BT\n");
    if (ts->font != name || ts->size != it->size) {
        gw_buf_addc(b, '/');
        gw_buf_adds(b, name);
        gw_buf_addc(b, ' ');
        put_num(b, it->size);
        gw_buf_adds(b, "Tf\n");
        ts->font = name;
        ts->size = it->size;
    }
    if (!ts->have_color || ts->color != it->color) {
        put_rgb(b, it->color, "rg");
        ts->color = it->color;
        ts->have_color = true;
    }
    if (it->bold) {
        put_rgb(b, it->color, "RG");
        put_num(b, it->size * 0.02857);
        gw_buf_adds(b, "w 2 Tr\n");
    }
    if (!ts->have_tc || ts->tc != tc) {
        put_fixed(b, tc, 4); /* its rounding adds up along a line */
        gw_buf_adds(b, "Tc\n");
        ts->tc = tc;
        ts->have_tc = true;
    }
    /*
     * After BT the text matrix is the identity, so "x y Td" places the line
     * as "1 0 0 1 x y Tm" would, in fewer bytes. Synthetic italic needs the
     * matrix: a shear by tan 12° (the slant Office and browsers use).
     */
    if (it->italic)
        gw_buf_adds(b, "1 0 0.2126 1 ");
    put_num(b, it->g[0].x);
    put_num(b, page_h - it->y);
    gw_buf_adds(b, it->italic ? "Tm\n[" : "Td\n[");
    int last = tc != 0.0 && it->n > 1 ? it->n - 1 : it->n; /* glyphs shown by the TJ */
    bool open = false;                                     /* inside a string */
    for (int i = 0; i < it->n; i++) {
        if (i == last) { /* the last glyph, after the TJ, without character spacing */
            gw_buf_adds(b, "0 Tc\n(");
            add_cid(b, cid[i]);
            gw_buf_adds(b, ") Tj\n");
            ts->tc = 0.0;
            break;
        }
        if (!open)
            gw_buf_addc(b, '(');
        open = true;
        add_cid(b, cid[i]);
        double off = i + 1 < it->n ? gap[i] - tc : 0.0; /* what Tc does not cover */
        if (off > 0.0005 || off < -0.0005) {
            gw_buf_adds(b, ") ");
            put_num(b, -off * 1000.0 / it->size);
            open = false;
        }
        if (i + 1 == last) {
            gw_buf_adds(b, open ? ")] TJ\n" : "] TJ\n");
            open = false;
        }
    }
    if (it->bold)
        gw_buf_adds(b, "0 Tr\n");
    gw_buf_adds(b, "ET\n");
    if (gap != gaps)
        free(gap);
    if (cid != cids)
        free(cid);
}

static void put_rule(const struct gw_item *it, double page_h, struct gw_buf *b)
{
    gw_buf_adds(b, "q\n");
    put_rgb(b, it->color, "RG");
    put_num(b, it->thickness);
    gw_buf_adds(b, "w 0 J\n");
    put_num(b, it->x0);
    put_num(b, page_h - it->y);
    gw_buf_adds(b, "m ");
    put_num(b, it->x1);
    put_num(b, page_h - (it->vertical ? it->y1 : it->y));
    gw_buf_adds(b, "l S\nQ\n");
}

/* The embedded image for a file (loaded once per document); NULL after reporting. */
static HPDF_Image load_image(struct writer *w, const struct gw_item *it, struct gw_diag *diag)
{
    for (int i = 0; i < w->nimages; i++)
        if (!strcmp(w->image_paths[i], it->path))
            return w->images[i];
    HPDF_STATUS before = w->error;
    HPDF_Image img = it->png ? HPDF_LoadPngImageFromFile(w->pdf, it->path)
                             : HPDF_LoadJpegImageFromFile(w->pdf, it->path);
    if (!img || w->error != before) {
        gw_diag_error(diag, it->src, "cannot embed image %s (damaged or unsupported data)",
                      it->path);
        return NULL;
    }
    if (w->nimages < (int)(sizeof w->images / sizeof w->images[0])) {
        w->image_paths[w->nimages] = it->path;
        w->images[w->nimages++] = img;
    }
    return img;
}

/* A PDF text string (UTF-16BE with a byte-order mark) for UTF-8 text, as a hex string object. */
static HPDF_Binary text_string(HPDF_Doc pdf, const char *utf8)
{
    struct gw_buf b;
    gw_buf_init(&b);
    gw_buf_add(&b, "\xFE\xFF", 2);
    size_t len = strlen(utf8), i = 0;
    while (i < len) {
        int32_t cp = gw_utf8_next(utf8, len, &i);
        if (cp < 0)
            cp = 0xFFFD;
        uint32_t u = (uint32_t)cp;
        if (u >= 0x10000) {
            u -= 0x10000;
            uint32_t hi = 0xD800 + (u >> 10), lo = 0xDC00 + (u & 0x3FF);
            unsigned char q[4] = {hi >> 8, hi & 0xFF, lo >> 8, lo & 0xFF};
            gw_buf_add(&b, q, 4);
        } else {
            unsigned char q[2] = {u >> 8, u & 0xFF};
            gw_buf_add(&b, q, 2);
        }
    }
    HPDF_Binary bin = HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    gw_buf_free(&b);
    return bin;
}

/* Document information: title, author (the issuer), subject, creation date, producer. */
static void put_info(HPDF_Doc pdf, const struct gw_meta *m)
{
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "gongwen " GW_VERSION);
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH"); /* reproducible builds */
    if (sde && *sde)
        now = (time_t)strtoll(sde, NULL, 10);
    struct tm tm;
    gmtime_r(&now, &tm);
    HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   tm.tm_sec, 'Z', 0, 0};
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
    const char *keys[] = {"Title", "Author", "Subject"};
    const char *vals[] = {m->title, m->author, m->subject};
    for (int i = 0; i < 3; i++)
        if (vals[i] && *vals[i] && pdf->info)
            HPDF_Dict_Add(pdf->info, keys[i], text_string(pdf, vals[i]));
}

/* A temporary file name in the target's folder: "<dir>/.<base>.tmpXXXXXX". */
static int make_temp(const char *path, char *tmp, size_t len)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    snprintf(tmp, len, "%.*s.%s.tmpXXXXXX", dirlen, path, slash ? slash + 1 : path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; a PDF is an ordinary file */
    return fd;
}

/*
 * The output file as a libharu stream. libharu writes a PDF a few bytes at
 * a time (a name, a number), and its own file writer makes an fwrite call
 * for each; this one gathers them in a 64 KB buffer.
 */
struct out_file {
    int fd;
    int err; /* errno of the first failed write */
    size_t len;
    unsigned char buf[64 * 1024];
};

static void out_flush(struct out_file *o)
{
    size_t done = 0;
    while (!o->err && done < o->len) {
        ssize_t n = write(o->fd, o->buf + done, o->len - done);
        if (n < 0 && errno != EINTR)
            o->err = errno;
        else if (n > 0)
            done += (size_t)n;
    }
    o->len = 0;
}

static HPDF_STATUS out_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
    struct out_file *o = s->attr;
    while (n > 0 && !o->err) {
        if (o->len == sizeof o->buf)
            out_flush(o);
        size_t k = sizeof o->buf - o->len < n ? sizeof o->buf - o->len : n;
        memcpy(o->buf + o->len, p, k);
        o->len += k;
        p += k;
        n -= (HPDF_UINT)k;
    }
    return o->err ? HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)o->err) : HPDF_OK;
}

/* Save pdf into fd (which this closes). 0, or an errno value (-1: libharu failed). */
static int save_to(HPDF_Doc pdf, int fd)
{
    struct out_file *o = malloc(sizeof *o);
    HPDF_Stream st = o ? gw_pdf_stream_new(pdf->mmgr, &pdf->error, o) : NULL;
    if (!st) {
        free(o);
        close(fd);
        return ENOMEM;
    }
    o->fd = fd;
    o->err = 0;
    o->len = 0;
    st->write_fn = out_write;
    pdf->stream = st; /* where HPDF_SaveToStream writes */
    int rc = HPDF_SaveToStream(pdf) == HPDF_OK ? 0 : -1;
    out_flush(o);
    if (o->err)
        rc = o->err;
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    pdf->stream = NULL;
    free(o);
    return rc;
}

/* One page: its libharu object, the names its resources give our fonts and images, and
 * its compressed content. */
struct page_job {
    const struct gw_page *pg;
    HPDF_Page page;
    /* resource names, as libharu will give them: "F<n>" and "X<n>" in order of first use */
    char font_names[GW_MAX_FONTS][16];
    char (*image_names)[16]; /* one per image item, in order */
    struct gw_buf packed;
};

/*
 * Name a page's fonts and images the way libharu's resource dictionary will
 * (F1, F2, ... and X1, X2, ... in order of first use), so the page's content
 * can be written on a worker while this thread makes the libharu objects;
 * register_page then checks libharu agrees.
 */
static void name_resources(struct page_job *pj)
{
    int nfonts = 0, nimages = 0, nx = 0;
    for (const struct gw_item *it = pj->pg->first; it; it = it->next) {
        if (it->type == GW_ITEM_TEXT && it->n > 0 && !pj->font_names[it->font][0])
            snprintf(pj->font_names[it->font], sizeof pj->font_names[0], "F%d", ++nfonts);
        else if (it->type == GW_ITEM_IMAGE)
            nimages++;
    }
    if (!nimages)
        return;
    pj->image_names = gw_xcalloc((size_t)nimages, sizeof(*pj->image_names));
    const struct gw_item **seen = gw_xcalloc((size_t)nimages, sizeof(*seen));
    int n = 0;
    for (const struct gw_item *it = pj->pg->first; it; it = it->next) {
        if (it->type != GW_ITEM_IMAGE)
            continue;
        int k = 0;
        while (k < nx && strcmp(seen[k]->path, it->path) != 0) /* one XObject per file */
            k++;
        if (k == nx)
            seen[nx++] = it;
        snprintf(pj->image_names[n++], sizeof pj->image_names[0], "X%d", k + 1);
    }
    free(seen);
}

/* The content stream of one page, from the display list alone (no libharu calls). */
static void page_content(const struct writer *w, const struct page_job *pj,
                         const struct gw_dlist *dl, const struct gw_fontset *fs,
                         struct gw_buf *b)
{
    bool turned = false;
    int nimage = 0;
    struct tstate ts = {0};
    b->len = 0;
    for (const struct gw_item *it = pj->pg->first; it; it = it->next) {
        if (it->rotated != turned) {
            /*
             * A landscape frame: frame x runs up the page from the text
             * block's bottom, frame y runs right from its left edge, so the
             * table's head faces the page's left edge (GB/T 9704 §8).
             */
            if (it->rotated) {
                gw_buf_adds(b, "q 0 1 -1 0 ");
                put_num(b, dl->left);
                put_num(b, dl->page_h - (dl->top + dl->height));
                gw_buf_adds(b, "cm\n");
            } else {
                gw_buf_adds(b, "Q\n");
                ts = (struct tstate){0}; /* what the turned block set is gone */
            }
            turned = it->rotated;
        }
        double ph = it->rotated ? 0 : dl->page_h; /* frame y grows downwards from 0 */
        if (it->type == GW_ITEM_TEXT && it->n > 0) {
            put_text(w->fonts[it->font], pj->font_names[it->font], it, fs, ph, &ts, b);
        } else if (it->type == GW_ITEM_RULE) {
            put_rule(it, ph, b);
        } else if (it->type == GW_ITEM_IMAGE) {
            /* what HPDF_Page_DrawImage writes: the unit square scaled onto the box */
            gw_buf_adds(b, "q\n");
            put_num(b, it->x1 - it->x0);
            gw_buf_adds(b, "0 0 ");
            put_num(b, it->y1 - it->y);
            put_num(b, it->x0);
            put_num(b, dl->page_h - it->y1);
            gw_buf_printf(b, "cm\n/%s Do\nQ\n", pj->image_names[nimage++]);
        }
    }
    if (turned)
        gw_buf_adds(b, "Q\n");
}

/* The parallel part of writing: font programs first (the long jobs), then pages. */
struct work {
    const struct writer *w;
    const struct gw_dlist *dl;
    const struct gw_fontset *fs;
    struct gw_pdf_font *fonts[GW_MAX_FONTS]; /* the fonts to program */
    int font_index[GW_MAX_FONTS];            /* each one's index in the font set */
    int order[GW_MAX_FONTS];                 /* fonts by job: the most glyphs (longest) first */
    double font_ms[2 * GW_MAX_FONTS];        /* each one's program jobs, for --timings */
    int nfonts;
    struct page_job *pages;
    int npages;
    /* per worker (made on first use): compressors for fonts and pages, a scratch buffer */
    struct gw_deflate *zf[GW_JOBS_MAX], *zp[GW_JOBS_MAX];
    struct gw_buf scratch[GW_JOBS_MAX];
    atomic_int failed; /* a page's compression ran out of memory */
    /* for the save, which fills each stream from its job when it reaches it */
    struct gw_jobs *jobs;
    _Atomic int *done; /* per job: finished (its output is complete) */
    pthread_mutex_t mu; /* with cv: the save sleeps until the job it needs is done */
    pthread_cond_t cv;
    struct lazy *lazy; /* per job: what its stream's hook needs */
};

/* A job whose output goes into a stream when the save reaches it. */
struct lazy {
    struct work *k;
    int job;
    bool filled;   /* a font: its two streams are filled */
    char err[256]; /* a font: why filling failed */
};

static void run_job(void *ctx, int job, int worker)
{
    struct work *k = ctx;
    if (job < 2 * k->nfonts) { /* a font's program (2j), or the second piece of a long one (2j+1) */
        if (!k->zf[worker])
            k->zf[worker] = gw_deflate_new(GW_DEFLATE_LEVEL);
        /* its error (out of memory included) is read afterwards */
        double t0 = gw_ms_now();
        if (job % 2 == 0)
            gw_pdf_font_program(k->fonts[k->order[job / 2]], k->zf[worker]);
        else
            gw_pdf_font_program_rest(k->fonts[k->order[job / 2]], k->zf[worker]);
        k->font_ms[job] = gw_ms_now() - t0;
    } else {
        struct page_job *pj = &k->pages[job - 2 * k->nfonts];
        bool shared = k->npages <= GW_DEFLATE_SHORT_DOC; /* the fonts' compressor */
        struct gw_deflate **z = shared ? &k->zf[worker] : &k->zp[worker];
        if (!*z)
            *z = gw_deflate_new(shared ? GW_DEFLATE_LEVEL : GW_DEFLATE_LEVEL_PAGES);
        page_content(k->w, pj, k->dl, k->fs, &k->scratch[worker]);
        if (!*z || gw_deflate(*z, k->scratch[worker].data, k->scratch[worker].len, &pj->packed))
            atomic_store_explicit(&k->failed, 1, memory_order_relaxed);
    }
    atomic_store_explicit(&k->done[job], 1, memory_order_release);
    pthread_mutex_lock(&k->mu);
    pthread_cond_broadcast(&k->cv);
    pthread_mutex_unlock(&k->mu);
}

/*
 * The save reaches a stream whose job may still run: help with the jobs
 * not yet taken (they are taken in order, so this one is taken soon), then
 * sleep until whoever has it is done. (The body font's program can take
 * milliseconds: spinning with sched_yield cost a core's worth of system time
 * and took that core from a second document in a batch build.)
 */
static void wait_job(struct work *k, int job)
{
    while (!atomic_load_explicit(&k->done[job], memory_order_acquire))
        if (!gw_jobs_help(k->jobs)) { /* a worker is on it */
            pthread_mutex_lock(&k->mu);
            while (!atomic_load_explicit(&k->done[job], memory_order_acquire))
                pthread_cond_wait(&k->cv, &k->mu);
            pthread_mutex_unlock(&k->mu);
        }
}

/* Hook before a font's program or ToUnicode stream is written: fill both. */
static HPDF_STATUS font_ready(HPDF_Dict d)
{
    struct lazy *z = d->attr;
    struct work *k = z->k;
    wait_job(k, z->job);
    wait_job(k, z->job + 1); /* its second piece */
    if (!z->filled) {
        z->filled = true;
        if (gw_pdf_font_fill(k->fonts[k->order[z->job / 2]], z->err, sizeof z->err) < 0 &&
            !z->err[0])
            snprintf(z->err, sizeof z->err, "cannot fill the font's streams");
    }
    return z->err[0] ? HPDF_INVALID_OBJECT : HPDF_OK;
}

/* Hook before a page's content stream is written: put the compressed content in. */
static HPDF_STATUS page_ready(HPDF_Dict d)
{
    struct lazy *z = d->attr;
    struct work *k = z->k;
    wait_job(k, z->job);
    if (atomic_load_explicit(&k->failed, memory_order_relaxed))
        return HPDF_FAILD_TO_ALLOC_MEM;
    struct page_job *pj = &k->pages[z->job - 2 * k->nfonts];
    HPDF_STATUS r = gw_pdf_put_deflated(d, pj->packed.data, pj->packed.len);
    ((HPDF_PageAttr)pj->page->attr)->stream = d->stream; /* the page's own pointer to it */
    return r;
}

/* Let the save fill dict d from job's output (hook: font_ready or page_ready). */
static void fill_later(struct work *k, HPDF_Dict d, int job, HPDF_Dict_BeforeWriteFunc hook)
{
    k->lazy[job].k = k;
    k->lazy[job].job = job;
    d->attr = &k->lazy[job];
    d->before_write_fn = hook;
}

/* Planning the fonts' subsets, one job per font. */
struct plans {
    struct gw_pdf_font **fonts;
    const int *order; /* job j plans fonts[order[j]] */
    int rc[GW_MAX_FONTS];
    char err[GW_MAX_FONTS][256];
};

static void plan_job(void *ctx, int job, int worker)
{
    (void)worker;
    struct plans *pl = ctx;
    int f = pl->order[job];
    pl->rc[f] = gw_pdf_font_plan(pl->fonts[f], pl->err[f], sizeof pl->err[f]);
}

/* One bookmark per outline entry (section), pointing at its page and height. */
static void put_outlines(HPDF_Doc pdf, const struct gw_dlist *dl, const struct page_job *pjs)
{
    for (const struct gw_outline *o = dl->outlines; o; o = o->next) {
        if (o->page < 1 || o->page > dl->npages)
            continue;
        HPDF_Outline ol = HPDF_CreateOutline(pdf, NULL, "-", NULL);
        if (!ol)
            return;
        HPDF_Dict_Add(ol, "Title", text_string(pdf, o->title));
        HPDF_Destination dst = HPDF_Page_CreateDestination(pjs[o->page - 1].page);
        HPDF_Destination_SetFitH(dst, (HPDF_REAL)(dl->page_h - o->y + 10));
        HPDF_Outline_SetDestination(ol, dst);
    }
    if (dl->outlines)
        HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

/*
 * Size a page and register its fonts and images in its resources (libharu
 * calls, so on this thread), checking the names name_resources chose.
 */
static int register_page(struct writer *w, struct page_job *pj, const struct gw_dlist *dl,
                         struct gw_diag *diag)
{
    HPDF_Page page = pj->page;
    HPDF_Page_SetWidth(page, (HPDF_REAL)dl->page_w);
    HPDF_Page_SetHeight(page, (HPDF_REAL)dl->page_h);
    bool named[GW_MAX_FONTS] = {false};
    int n = 0;
    for (const struct gw_item *it = pj->pg->first; it; it = it->next) {
        const char *name = NULL, *want = NULL;
        if (it->type == GW_ITEM_TEXT && it->n > 0 && !named[it->font]) {
            named[it->font] = true;
            name = HPDF_Page_GetLocalFontName(page, (HPDF_Font)gw_pdf_font_dict(w->fonts[it->font]));
            want = pj->font_names[it->font];
        } else if (it->type == GW_ITEM_IMAGE) {
            HPDF_Image img = load_image(w, it, diag);
            if (!img)
                return -1;
            name = HPDF_Page_GetXObjectName(page, img);
            want = pj->image_names[n++];
        }
        if (want && (!name || strcmp(name, want) != 0)) {
            gw_diag_error(diag, it->src, "internal: page resource %s was named %s",
                          want, name ? name : "(none)");
            return -1;
        }
    }
    return 0;
}

/* Replacing the output with the new file: a rename, on a thread of its own or not. */
struct gw_pdf_pending {
    pthread_t thread;
    bool started; /* on its thread, not yet joined */
    int err;      /* errno of a failed rename, else 0 */
    char *path, *tmp;
};

static void *rename_main(void *arg)
{
    struct gw_pdf_pending *p = arg;
    p->err = rename(p->tmp, p->path) == 0 ? 0 : errno;
    return NULL;
}

/* Start replacing path by tmp: on a new thread if asked (and one starts), else here and now. */
static struct gw_pdf_pending *replace_output(const char *tmp, const char *path, bool on_thread)
{
    struct gw_pdf_pending *p = gw_xcalloc(1, sizeof *p);
    p->path = gw_xstrdup(path);
    p->tmp = gw_xstrdup(tmp);
    p->started = on_thread && gw_thread_start(&p->thread, rename_main, p) == 0;
    if (!p->started)
        rename_main(p);
    return p;
}

int gw_pdf_finish(struct gw_pdf_pending *p, struct gw_diag *diag)
{
    if (p->started)
        pthread_join(p->thread, NULL);
    int rc = 0;
    if (p->err) {
        gw_diag_error(diag, gw_span_file(p->path), "cannot replace the output file: %s",
                      strerror(p->err));
        unlink(p->tmp);
        rc = -1;
    }
    free(p->path);
    free(p->tmp);
    free(p);
    return rc;
}

/*
 * Write order: record every glyph; plan the fonts' subsets side by side
 * (fixing CIDs); name each page's resources. Then background workers make
 * and compress the font programs and every page's content while this thread
 * creates the font and page objects in libharu (its calls stay on this
 * thread), the font streams last, and saves: each stream is filled as the
 * save reaches it, this thread running the jobs not yet taken while it
 * waits for one.
 */
int gw_pdf_write(const struct gw_dlist *dl, const struct gw_fontset *fs, const char *path,
                 int workers, struct gw_diag *diag, struct gw_pdf_stats *stats)
{
    return gw_pdf_write_begin(dl, fs, path, workers, diag, stats, NULL);
}

int gw_pdf_write_begin(const struct gw_dlist *dl, const struct gw_fontset *fs, const char *path,
                       int workers, struct gw_diag *diag, struct gw_pdf_stats *stats,
                       struct gw_pdf_pending **pending)
{
    if (pending)
        *pending = NULL;
    struct gw_pdf_stats st = {0};
    struct writer w = {0};
    struct work k = {.w = &w,
                     .dl = dl,
                     .fs = fs,
                     .mu = PTHREAD_MUTEX_INITIALIZER,
                     .cv = PTHREAD_COND_INITIALIZER};
    struct page_job *pjs = NULL;
    int rc = -1, np = 0;
    char tmp[4096] = "";
    if (workers < 1)
        workers = gw_jobs_workers();
    struct pool pool = {0};
    haru_pool = &pool;
    w.pdf = HPDF_NewEx(on_error, pool_alloc, pool_free, 0, &w);
    if (!w.pdf) {
        gw_diag_error(diag, gw_span_file(path), "cannot create the PDF document");
        pool_drop(&pool);
        haru_pool = NULL;
        return -1;
    }
    HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
    /* fonts: record every glyph */
    for (const struct gw_page *pg = dl->first; pg; pg = pg->next)
        for (const struct gw_item *it = pg->first; it; it = it->next) {
            if (it->type != GW_ITEM_TEXT)
                continue;
            if (!w.fonts[it->font])
                w.fonts[it->font] = gw_pdf_font_new(fs->fonts[it->font]);
            for (int i = 0; i < it->n; i++) {
                int vw = variant_width(fs->fonts[it->font], it, i);
                if (vw)
                    gw_pdf_font_use_width(w.fonts[it->font], it->g[i].gid, vw, &it->g[i].cp, 1);
                else
                    gw_pdf_font_use(w.fonts[it->font], it->g[i].gid, &it->g[i].cp, 1);
            }
        }
    double t0 = gw_ms_now();
    for (int f = 0; f < GW_MAX_FONTS; f++)
        if (w.fonts[f]) {
            k.font_index[k.nfonts] = f;
            k.fonts[k.nfonts++] = w.fonts[f];
        }
    /* the body font's plan and program are the longest jobs: start them first */
    for (int i = 0; i < k.nfonts; i++) {
        int j = i;
        for (; j > 0 && gw_pdf_font_glyphs_used(k.fonts[k.order[j - 1]]) <
                            gw_pdf_font_glyphs_used(k.fonts[i]);
             j--)
            k.order[j] = k.order[j - 1];
        k.order[j] = i;
    }
    /* each font's plan (and program) is independent of the others': side by side */
    struct plans pl = {.fonts = k.fonts, .order = k.order};
    gw_jobs_finish(
        gw_jobs_start(k.nfonts, (workers < k.nfonts ? workers : k.nfonts) - 1, plan_job, &pl));
    for (int i = 0; i < k.nfonts; i++)
        if (pl.rc[i] < 0) {
            gw_diag_error(diag, gw_span_file(gw_font_path(fs->fonts[k.font_index[i]])),
                          "cannot embed the font: %s", pl.err[i]);
            goto out_free;
        }
    st.plan_ms = gw_ms_now() - t0;
    pjs = gw_xcalloc((size_t)dl->npages + 1, sizeof(*pjs));
    for (const struct gw_page *pg = dl->first; pg; pg = pg->next) {
        pjs[np].pg = pg;
        name_resources(&pjs[np++]);
    }

    /*
     * The parallel part: font programs, then page contents, on background
     * workers, while this thread makes the libharu objects they will fill,
     * the font streams last. Then it saves; each stream is filled when the
     * save reaches it, this thread running the jobs not yet taken while it
     * waits for one, so the save overlaps the jobs.
     */
    k.pages = pjs;
    k.npages = np;
    int njobs = 2 * k.nfonts + np; /* each font and its second piece, then the pages */
    k.done = gw_xcalloc((size_t)njobs, sizeof(*k.done));
    k.lazy = gw_xcalloc((size_t)njobs, sizeof(*k.lazy));
    for (int i = 0; i < njobs; i++)
        atomic_init(&k.done[i], 0);
    if (workers > njobs)
        workers = njobs > 0 ? njobs : 1;
    struct gw_jobs *jobs = gw_jobs_start(njobs, workers - 1, run_job, &k);
    k.jobs = jobs;
    /*
     * Take the first job a worker has not: the body font's second piece,
     * as long as the first (which is longer for its last-block walk). It
     * would otherwise wait for the objects made below and the start of the
     * save (0.6 ms for the seed), and end the chain.
     */
    gw_jobs_help(jobs);
    bool ok = true;
    for (int f = 0; ok && f < k.nfonts; f++) {
        char err[256];
        if (gw_pdf_font_emit(k.fonts[f], w.pdf, err, sizeof err) < 0) {
            gw_diag_error(diag, gw_span_file(gw_font_path(fs->fonts[k.font_index[f]])),
                          "cannot embed the font: %s", err);
            ok = false;
        }
    }
    for (int i = 0; ok && i < np; i++) {
        pjs[i].page = HPDF_AddPage(w.pdf);
        ok = pjs[i].page && register_page(&w, &pjs[i], dl, diag) == 0 && !w.error;
    }
    if (ok) {
        put_outlines(w.pdf, dl, pjs);
        put_info(w.pdf, &dl->meta);
        HPDF_AddPageLabel(w.pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
    }
    for (int j = 0; ok && j < k.nfonts; j++) { /* job 2j programs font order[j] */
        struct gw_pdf_font *pf = k.fonts[k.order[j]];
        char err[256];
        if (gw_pdf_font_emit_streams(pf, w.pdf, err, sizeof err) < 0) {
            gw_diag_error(diag, gw_span_file(gw_font_path(fs->fonts[k.font_index[k.order[j]]])),
                          "cannot embed the font: %s", err);
            ok = false;
            break;
        }
        fill_later(&k, gw_pdf_font_stream(pf, false), 2 * j, font_ready);
        fill_later(&k, gw_pdf_font_stream(pf, true), 2 * j, font_ready);
    }
    for (int i = 0; ok && i < np; i++)
        fill_later(&k, ((HPDF_PageAttr)pjs[i].page->attr)->contents, 2 * k.nfonts + i, page_ready);
    int saved = 0;
    if (ok && !w.error) {
        int fd = make_temp(path, tmp, sizeof tmp);
        if (fd < 0) {
            gw_diag_error(diag, gw_span_file(path), "cannot write into the output folder: %s",
                          strerror(errno));
            tmp[0] = '\0';
            ok = false;
        } else {
            saved = save_to(w.pdf, fd);
        }
    }
    gw_jobs_finish(jobs); /* every job is done when the save is; this joins the threads */
    for (int j = 0; j < 2 * k.nfonts; j++)
        st.program_ms += k.font_ms[j];
    if (!ok) {
        if (w.error)
            goto out_haru;
        goto out_free;
    }
    /* what a job or a stream hook met explains a failed save best */
    for (int j = 0; j < k.nfonts; j++) {
        struct gw_pdf_font *pf = k.fonts[k.order[j]];
        const char *why = *gw_pdf_font_error(pf) ? gw_pdf_font_error(pf) : k.lazy[2 * j].err;
        if (*why) {
            gw_diag_error(diag, gw_span_file(gw_font_path(fs->fonts[k.font_index[k.order[j]]])),
                          "cannot embed the font: %s", why);
            goto out_free;
        }
        st.fonts++;
        st.font_bytes += (long)gw_pdf_font_subset_size(pf);
    }
    if (atomic_load(&k.failed)) {
        gw_diag_error(diag, gw_span_file(path), "out of memory compressing pages");
        goto out_free;
    }
    if (stats)
        *stats = st;
out_haru:
    if (w.error) {
        gw_diag_error(diag, gw_span_file(path), "libharu error 0x%04lX (detail %lu)",
                      (unsigned long)w.error, (unsigned long)w.detail);
        goto out_free;
    }
    if (saved > 0) {
        gw_diag_error(diag, gw_span_file(path), "cannot write the PDF: %s", strerror(saved));
        goto out_free;
    }
    if (saved < 0) {
        gw_diag_error(diag, gw_span_file(path), "cannot write the PDF (libharu error 0x%04lX)",
                      (unsigned long)w.error);
        goto out_free;
    }
    struct gw_pdf_pending *p = replace_output(tmp, path, pending != NULL);
    tmp[0] = '\0'; /* the rename has it now (gw_pdf_finish removes it if that fails) */
    if (pending) {
        *pending = p;
        rc = 0;
    } else {
        rc = gw_pdf_finish(p, diag);
    }
out_free:
    if (tmp[0])
        unlink(tmp);
    for (int i = 0; i < GW_JOBS_MAX; i++) {
        gw_deflate_free(k.zf[i]);
        gw_deflate_free(k.zp[i]);
        gw_buf_free(&k.scratch[i]);
    }
    for (int i = 0; pjs && i < np; i++) {
        free(pjs[i].image_names);
        gw_buf_free(&pjs[i].packed);
    }
    free(pjs);
    free((void *)k.done);
    free(k.lazy);
    for (int f = 0; f < GW_MAX_FONTS; f++)
        gw_pdf_font_free(w.fonts[f]);
    pool_drop(&pool); /* the document: see pool_alloc */
    haru_pool = NULL;
    return rc;
}
