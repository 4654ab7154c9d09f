/*
 * gw_pdf: the PDF writer (see gw_pdf.h; the module's files: gw_pdf_int.h).
 *
 * Owns the order of work and libharu's document: its memory (one pool,
 * dropped whole), the document information and outline, each font's and
 * page's objects and images (and the multiply blend a seal is drawn with),
 * and the jobs that make font programs and page
 * contents on the workers while this thread makes the objects and saves.
 * It calls gw_pdf_content for the pages' operators, gw_pdf_font for the
 * fonts, gw_pdf_image for the images (read by util/gw_image), gw_pdf_file
 * for the output file, and gw_jobs for the workers. Its messages name the
 * input and say what went wrong in words: a libharu status is turned into a
 * sentence (haru_reason), never shown bare, and a font that cannot be
 * embedded is reported at the text that first needs it (font_error).
 */
#include "gw_pdf.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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
#include "../util/gw_image.h"
#include "../util/gw_jobs.h"
#include "../util/gw_outfile.h"
#include "../util/gw_utf8.h"
#include "gw_deflate.h"
#include "gw_pdf_image.h"
#include "gw_pdf_int.h"
#include "gw_ttf_subset.h"

struct writer {
    HPDF_Doc pdf;
    HPDF_STATUS error;  /* first libharu error, recorded by the handler */
    HPDF_STATUS detail;
    struct gw_pdf_font *fonts[GW_MAX_FONTS];
    const char *image_paths[256]; /* images embedded so far */
    HPDF_Image images[256];
    int nimages;
    size_t image_memory; /* libharu memory the images hold (gw_pdf_image's cost) */
    HPDF_ExtGState multiply; /* the multiply blend a seal is drawn with, made when first needed */
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
 *
 * Requests of POOL_BIG bytes or more get a block of their own, which a
 * free does release: a stream libharu fills (an image's pixels) keeps its
 * 4 KiB buffers in a list it reallocates every 20 buffers, and keeping
 * every old copy would cost memory quadratic in the image's size (270 MB
 * more for a 50-megapixel RGB photo). The pool finds them by address in an
 * open-addressing set.
 */
#define POOL_CHUNK (256 * 1024)
#define POOL_BIG   (POOL_CHUNK / 8) /* larger requests get their own block */
#define POOL_TOMB  ((void *)1)      /* a big block's slot, freed */

struct pool_block {
    struct pool_block *next;
    max_align_t align[]; /* the memory */
};

struct pool {
    struct pool_block *blocks; /* chunks, newest first */
    char *p, *end;             /* the free part of the newest chunk */
    void **big;                /* the big blocks: cap slots, NULL, POOL_TOMB or a block */
    size_t cap, used, live;    /* slots; not NULL; blocks */
};

static _Thread_local struct pool *haru_pool;

static size_t big_slot(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p * UINT64_C(0x9E3779B97F4A7C15); /* Fibonacci hashing */
    return (size_t)(x >> 32) & (cap - 1);
}

/* Remember big block p; 0, or -1 when out of memory. */
static int big_add(struct pool *pl, void *p)
{
    if ((pl->used + 1) * 2 > pl->cap) {
        size_t cap = 64;
        while (cap < pl->live * 4)
            cap *= 2;
        void **slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < pl->cap; i++)
            if (pl->big[i] && pl->big[i] != POOL_TOMB) {
                size_t j = big_slot(pl->big[i], cap);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = pl->big[i];
            }
        free(pl->big);
        pl->big = slots;
        pl->cap = cap;
        pl->used = pl->live;
    }
    size_t j = big_slot(p, pl->cap);
    while (pl->big[j] && pl->big[j] != POOL_TOMB)
        j = (j + 1) & (pl->cap - 1);
    pl->used += !pl->big[j];
    pl->big[j] = p;
    pl->live++;
    return 0;
}

/* Forget big block p: true if it was one. */
static bool big_remove(struct pool *pl, void *p)
{
    if (!pl->live)
        return false;
    for (size_t j = big_slot(p, pl->cap); pl->big[j]; j = (j + 1) & (pl->cap - 1))
        if (pl->big[j] == p) {
            pl->big[j] = POOL_TOMB;
            pl->live--;
            return true;
        }
    return false;
}

static void *pool_alloc(HPDF_UINT size)
{
    struct pool *pl = haru_pool;
    size_t n = ((size_t)size + 15) & ~(size_t)15;
    if (n >= POOL_BIG) {
        void *p = malloc(n);
        if (p && big_add(pl, p) < 0) {
            free(p);
            p = NULL;
        }
        return p;
    }
    if ((size_t)(pl->end - pl->p) < n) {
        struct pool_block *b = malloc(sizeof *b + POOL_CHUNK);
        if (!b)
            return NULL;
        b->next = pl->blocks;
        pl->blocks = b;
        pl->p = (char *)b->align;
        pl->end = pl->p + POOL_CHUNK;
    }
    void *r = pl->p;
    pl->p += n;
    return r;
}

static void pool_free(void *ptr)
{
    if (ptr && big_remove(haru_pool, ptr))
        free(ptr); /* a small one is released with the whole pool */
}

static void pool_drop(struct pool *pl)
{
    while (pl->blocks) {
        struct pool_block *b = pl->blocks;
        pl->blocks = b->next;
        free(b);
    }
    for (size_t i = 0; i < pl->cap; i++)
        if (pl->big[i] != POOL_TOMB)
            free(pl->big[i]);
    free(pl->big);
    *pl = (struct pool){0};
}

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    struct writer *w = user_data;
    if (!w->error) {
        w->error = error_no;
        w->detail = detail_no;
    }
}

/*
 * A libharu status in words, the end of "cannot write OUT: ...": the cause,
 * and for a status that means a bug, the status for its report.
 */
static void haru_reason(HPDF_STATUS error, HPDF_STATUS detail, char *buf, size_t len)
{
    switch (error) {
    case HPDF_FILE_IO_ERROR: /* the detail is the errno of the write (gw_pdf_file.c) */
        snprintf(buf, len, "%s", detail ? gw_out_strerror((int)detail) : "a write failed");
        break;
    case HPDF_FAILD_TO_ALLOC_MEM:
        snprintf(buf, len, "out of memory");
        break;
    case HPDF_REAL_OUT_OF_RANGE:
        snprintf(buf, len, "a number in it is beyond what a PDF may hold (±32767); a font "
                           "with odd metrics or a page set out of bounds would do that");
        break;
    case HPDF_STRING_OUT_OF_RANGE:
    case HPDF_NAME_OUT_OF_RANGE:
    case HPDF_BINARY_LENGTH_ERR:
        snprintf(buf, len, "a text or name in it is longer than a PDF object may hold");
        break;
    case HPDF_PAGE_INVALID_SIZE:
        snprintf(buf, len, "a page is smaller or larger than a PDF page may be (1 mm to 5 m)");
        break;
    case HPDF_ARRAY_COUNT_ERR:
    case HPDF_DICT_COUNT_ERR:
    case HPDF_XREF_COUNT_ERR:
        snprintf(buf, len,
                 "the document needs more PDF objects than the PDF library allows "
                 "(libharu status 0x%04lX)",
                 (unsigned long)error);
        break;
    default:
        snprintf(buf, len,
                 "the PDF library failed; please report it with the input "
                 "(libharu status 0x%04lX, detail %lu)",
                 (unsigned long)error, (unsigned long)detail);
    }
}

/*
 * err, followed by the PDF library's reason for the failure it reports, in
 * words, when the library has one (its status is kept by the handler, or by
 * the document when a call sets it without raising).
 */
static void add_haru_reason(const struct writer *w, char *err, size_t len)
{
    HPDF_STATUS st = w->error ? w->error : HPDF_GetError(w->pdf);
    if (!st)
        return;
    char why[256];
    haru_reason(st, w->error ? w->detail : HPDF_GetErrorDetail(w->pdf), why, sizeof why);
    size_t n = strlen(err);
    snprintf(err + n, len - n, ": %s", why);
}

/*
 * A document over GW_PDF_MAX_PAGES is refused before anything is made; the
 * message points at the text that begins the first page too many.
 */
static int check_pages(const struct gw_dlist *dl, const char *input, struct gw_diag *diag)
{
    if (dl->npages <= GW_PDF_MAX_PAGES)
        return 0;
    const struct gw_page *pg = dl->first;
    for (int i = 0; pg && i < GW_PDF_MAX_PAGES; i++)
        pg = pg->next;
    const struct gw_item *it = pg ? pg->first : NULL;
    while (it && !(it->type == GW_ITEM_TEXT && it->src.file && it->src.line > 0 &&
                   !strcmp(it->src.file, input)))
        it = it->next;
    gw_diag_error(diag, it ? it->src : gw_span_file(input),
                  "the document has %d pages; a PDF written by gongwen holds at most %d%s",
                  dl->npages, GW_PDF_MAX_PAGES, it ? " (the first page too many begins here)" : "");
    return -1;
}

/*
 * The embedded image for a file (loaded once per document); NULL after
 * reporting at the image's place in the document. The file is read once;
 * those bytes are decoded and checked (gw_pdf_image) and then embedded.
 */
static HPDF_Image load_image(struct writer *w, const struct gw_item *it, struct gw_diag *diag)
{
    for (int i = 0; i < w->nimages; i++)
        if (!strcmp(w->image_paths[i], it->path))
            return w->images[i];
    char err[512];
    struct gw_buf file;
    gw_buf_init(&file);
    struct gw_pdf_image pi = {0};
    HPDF_Image img = NULL;
    if (gw_image_read(it->path, &file, err, sizeof err) < 0 ||
        gw_pdf_image_decode(it->path, (const unsigned char *)file.data, file.len, &pi, err,
                            sizeof err) < 0) {
        gw_diag_error(diag, it->src, "%s", err);
        goto out_free;
    }
    if (pi.cost > GW_IMAGE_MAX_MEMORY - w->image_memory) {
        gw_diag_error(diag, it->src,
                      "image %s would take the document's images over %zu MB of memory in the "
                      "PDF writer (this one needs %zu MB); use fewer or smaller images",
                      it->path, GW_IMAGE_MAX_MEMORY >> 20, (pi.cost + (1 << 20) - 1) >> 20);
        goto out_free;
    }
    HPDF_STATUS before = w->error;
    img = gw_pdf_image_embed(w->pdf, &pi, (const unsigned char *)file.data, file.len);
    if (!img || w->error != before) {
        char why[384];
        snprintf(why, sizeof why, "cannot embed image %s", it->path);
        add_haru_reason(w, why, sizeof why);
        gw_diag_error(diag, it->src, "%s; open it in an image editor and save it again as a PNG "
                      "or a baseline JPEG", why);
        w->error = before; /* told here, at the image; not again as a library code */
        HPDF_ResetError(w->pdf);
        img = NULL;
        goto out_free;
    }
    w->image_memory += pi.cost;
    if (w->nimages < (int)(sizeof w->images / sizeof w->images[0])) {
        w->image_paths[w->nimages] = it->path;
        w->images[w->nimages++] = img;
    }
out_free:
    gw_pdf_image_fini(&pi);
    gw_buf_free(&file);
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
    struct gw_pdf_page *pages;
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
        struct gw_pdf_page *pj = &k->pages[job - 2 * k->nfonts];
        bool shared = k->npages <= GW_DEFLATE_SHORT_DOC; /* the fonts' compressor */
        struct gw_deflate **z = shared ? &k->zf[worker] : &k->zp[worker];
        if (!*z)
            *z = gw_deflate_new(shared ? GW_DEFLATE_LEVEL : GW_DEFLATE_LEVEL_PAGES);
        gw_pdf_page_content(k->w->fonts, pj, k->dl, k->fs, &k->scratch[worker]);
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
    struct gw_pdf_page *pj = &k->pages[z->job - 2 * k->nfonts];
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
static void put_outlines(HPDF_Doc pdf, const struct gw_dlist *dl, const struct gw_pdf_page *pjs)
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
 * calls, so on this thread), checking the names gw_pdf_name_resources chose.
 */
static int register_page(struct writer *w, struct gw_pdf_page *pj, const struct gw_dlist *dl,
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
            if (it->multiply && !pj->blend_named) { /* its ExtGState: "E1" (gw_pdf_content.c) */
                if (!w->multiply) {
                    w->multiply = HPDF_CreateExtGState(w->pdf);
                    if (w->multiply)
                        HPDF_ExtGState_SetBlendMode(w->multiply, HPDF_BM_MULTIPLY);
                }
                const char *gs = w->multiply ? HPDF_Page_GetExtGStateName(page, w->multiply)
                                             : NULL;
                if (!gs || strcmp(gs, GW_PDF_MULTIPLY) != 0) {
                    gw_diag_error(diag, it->src, "internal: the seal's blend was named %s",
                                  gs ? gs : "(none)");
                    return -1;
                }
                pj->blend_named = true;
            }
        }
        if (want && (!name || strcmp(name, want) != 0)) {
            gw_diag_error(diag, it->src, "internal: page resource %s was named %s",
                          want, name ? name : "(none)");
            return -1;
        }
    }
    return 0;
}

/*
 * The text item with an input position (a page number has none) that first
 * sets a glyph of font f: any glyph (damaged false), or one whose record is
 * damaged (*why says how). Its glyph's character and id in *cp and *gid;
 * NULL if none. Used only on the way to an error, to name the input that
 * needs the font.
 */
static const struct gw_item *first_use(const struct gw_dlist *dl, const struct gw_font *font,
                                       int f, bool damaged, uint32_t *cp, uint32_t *gid,
                                       const char **why)
{
    for (const struct gw_page *pg = dl->first; pg; pg = pg->next)
        for (const struct gw_item *it = pg->first; it; it = it->next) {
            if (it->type != GW_ITEM_TEXT || it->font != f || !it->src.file || it->src.line < 1)
                continue;
            for (int i = 0; i < it->n; i++)
                if (!damaged || (*why = gw_ttf_glyph_damage(font, it->g[i].gid))) {
                    *cp = it->g[i].cp;
                    *gid = it->g[i].gid;
                    return it;
                }
        }
    return NULL;
}

/*
 * A font that cannot be embedded, reported where the document first needs
 * it: a glyph of it the font file cannot give (a damaged file), else any;
 * at the input file when only page numbers need it. why says what failed;
 * the message says what to do.
 */
static void font_error(struct gw_diag *diag, const struct gw_dlist *dl, const struct gw_fontset *fs,
                       const char *input, int f, const struct gw_pdf_font *pf, const char *why)
{
    const char *path = gw_font_path(fs->fonts[f]);
    bool damaged = gw_pdf_font_damaged_glyph(pf) != UINT32_MAX;
    uint32_t cp = 0, gid = 0;
    const char *glyph_why = NULL;
    const struct gw_item *it = first_use(dl, fs->fonts[f], f, damaged, &cp, &gid, &glyph_why);
    char ch[8] = "?";
    if (cp >= 0x20 && cp != 0x7F && cp <= 0x10FFFF)
        ch[gw_utf8_encode(cp, ch)] = 0;
    const char *todo = "replace the font file with a good copy (gongwen fonts shows which file "
                       "each role uses)";
    if (it && damaged)
        gw_diag_error(diag, it->src,
                      "the font file %s is damaged: it cannot draw “%s” (U+%04X; glyph %u: %s); "
                      "%s",
                      path, ch, (unsigned)cp, (unsigned)gid, glyph_why, todo);
    else if (damaged)
        gw_diag_error(diag, gw_span_file(input), "%s, needed for the page numbers; %s", why, todo);
    else if (strstr(why, "out of memory"))
        gw_diag_error(diag, it ? it->src : gw_span_file(input), "cannot embed the font %s: %s",
                      path, why);
    else
        gw_diag_error(diag, it ? it->src : gw_span_file(input),
                      "cannot embed the font %s%s: %s; the file may be damaged: %s", path,
                      it ? " (first needed here)" : "", why, todo);
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
int gw_pdf_write(const struct gw_dlist *dl, const struct gw_fontset *fs, const char *input,
                 const char *path, int workers, struct gw_diag *diag, struct gw_pdf_stats *stats)
{
    if (check_pages(dl, input, diag) < 0)
        return -1;
    struct gw_pdf_stats st = {0};
    struct writer w = {0};
    struct work k = {.w = &w,
                     .dl = dl,
                     .fs = fs,
                     .mu = PTHREAD_MUTEX_INITIALIZER,
                     .cv = PTHREAD_COND_INITIALIZER};
    struct gw_pdf_page *pjs = NULL;
    int rc = -1, np = 0;
    int errors_before = diag->errors; /* a libharu status explains only an unexplained failure */
    char why[320];
    struct gw_outfile out = {.fd = -1, .slot = -1};
    if (workers < 1)
        workers = gw_jobs_workers();
    struct pool pool = {0};
    haru_pool = &pool;
    w.pdf = HPDF_NewEx(on_error, pool_alloc, pool_free, 0, &w);
    if (!w.pdf) {
        gw_diag_error(diag, gw_span_file(input), "cannot write %s: out of memory", path);
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
                int vw, vs;
                if (gw_pdf_variant(fs->fonts[it->font], it, i, &vw, &vs))
                    gw_pdf_font_use_width(w.fonts[it->font], it->g[i].gid, vw, vs, &it->g[i].cp,
                                          1);
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
            font_error(diag, dl, fs, input, k.font_index[i], k.fonts[i], pl.err[i]);
            goto out_free;
        }
    st.plan_ms = gw_ms_now() - t0;
    pjs = gw_xcalloc((size_t)dl->npages + 1, sizeof(*pjs));
    for (const struct gw_page *pg = dl->first; pg; pg = pg->next) {
        pjs[np].pg = pg;
        gw_pdf_name_resources(&pjs[np++]);
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
            add_haru_reason(&w, err, sizeof err);
            font_error(diag, dl, fs, input, k.font_index[f], k.fonts[f], err);
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
            add_haru_reason(&w, err, sizeof err);
            font_error(diag, dl, fs, input, k.font_index[k.order[j]], pf, err);
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
        if (gw_outfile_open(&out, path, NULL, why, sizeof why) < 0) {
            gw_diag_error(diag, gw_span_file(input), "cannot write %s: %s", path, why);
            ok = false;
        } else {
            saved = gw_pdf_save_to(w.pdf, out.fd);
        }
    }
    gw_jobs_finish(jobs); /* every job is done when the save is; this joins the threads */
    for (int j = 0; j < 2 * k.nfonts; j++)
        st.program_ms += k.font_ms[j];
    if (!ok)
        goto out_haru;
    /* what a job or a stream hook met explains a failed save best */
    for (int j = 0; j < k.nfonts; j++) {
        struct gw_pdf_font *pf = k.fonts[k.order[j]];
        const char *why = *gw_pdf_font_error(pf) ? gw_pdf_font_error(pf) : k.lazy[2 * j].err;
        if (*why) {
            font_error(diag, dl, fs, input, k.font_index[k.order[j]], pf, why);
            goto out_free;
        }
        st.fonts++;
        st.font_bytes += (long)gw_pdf_font_subset_size(pf);
    }
    if (atomic_load(&k.failed)) {
        gw_diag_error(diag, gw_span_file(input), "cannot write %s: out of memory compressing pages",
                      path);
        goto out_free;
    }
    if (stats)
        *stats = st;
out_haru:
    if (saved > 0) { /* a write failed: its errno says why (libharu's status is FILE_IO) */
        gw_diag_error(diag, gw_span_file(input), "cannot write %s: %s", path,
                      gw_out_strerror(saved));
        goto out_free;
    }
    if (!ok || w.error || saved < 0) {
        if (diag->errors == errors_before) { /* nothing said yet: libharu's status, in words */
            haru_reason(w.error, w.detail, why, sizeof why);
            gw_diag_error(diag, gw_span_file(input), "cannot write %s: %s", path, why);
        }
        goto out_free;
    }
    rc = gw_pdf_replace_output(&out, input, path, diag);
    out.fd = -1; /* the commit had it (and removed it if that failed) */
out_free:
    if (out.fd >= 0)
        gw_outfile_discard(&out);
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
