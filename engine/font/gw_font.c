/*
 * gw_font.c - font data access for gongwen.
 *
 * Owns struct gw_font: a memory-mapped font file, the table records of
 * one face of it, and metrics and names extracted once at open time.
 * Glyph lookup (cmap), advances (hmtx) and a TrueType glyph's ink (its
 * glyf header) are read straight from the mapped tables (gw_sfnt.c), so
 * opening a font never walks the cmap or the glyph data.  HarfBuzz is
 * used only where it is needed: a CFF font's glyph extents, and the
 * hb_face_t the PDF embedder subsets CFF fonts with.
 *
 * Family lookup (fontconfig and its cache) is in gw_fontfind.c.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gw_font.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/gw_arena.h"
#include "../util/gw_diag.h"
#include "gw_hb.h"
#include "gw_sfnt.h"

#define GW_FONT_NAME_MAX   128
#define GW_FONT_PSNAME_MAX 64

#define INK_SLOTS 256

#define TAG(a, b, c, d)                                                                            \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/*
 * A cache of 16-bit values for keys below 65536 in blocks of 256, each
 * allocated when a value in it is first stored: one table of 65536 entries
 * was an mmapped 128 KB whose pages were read (mapping the shared zero
 * page) and then written, and every such write cost a copy-on-write fault
 * and, with a second thread running, a TLB shootdown.  0 means unknown.
 */
#define CACHE16_BLOCK 256
struct cache16 {
    _Atomic(_Atomic uint16_t *) block[65536 / CACHE16_BLOCK];
};

static uint16_t cache16_get(const struct cache16 *c, uint32_t key)
{
    _Atomic uint16_t *b =
        atomic_load_explicit(&c->block[key / CACHE16_BLOCK], memory_order_acquire);
    return b ? atomic_load_explicit(&b[key % CACHE16_BLOCK], memory_order_relaxed) : 0;
}

static void cache16_put(struct cache16 *c, uint32_t key, uint16_t v)
{
    _Atomic(_Atomic uint16_t *) *slot = &c->block[key / CACHE16_BLOCK];
    _Atomic uint16_t *b = atomic_load_explicit(slot, memory_order_acquire);
    if (!b) { /* two threads may race to make it: one block wins */
        _Atomic uint16_t *fresh = gw_xcalloc(CACHE16_BLOCK, sizeof *fresh);
        if (atomic_compare_exchange_strong_explicit(slot, &b, fresh, memory_order_acq_rel,
                                                    memory_order_acquire))
            b = fresh;
        else
            free((void *)fresh);
    }
    atomic_store_explicit(&b[key % CACHE16_BLOCK], v, memory_order_relaxed);
}

static void cache16_free(struct cache16 *c)
{
    for (size_t i = 0; i < 65536 / CACHE16_BLOCK; i++)
        free((void *)atomic_load_explicit(&c->block[i], memory_order_relaxed));
}

struct gw_font {
    const unsigned char *data; /* the whole file, mapped read-only */
    size_t size;
    const unsigned char *dir; /* the face's table records (16 bytes each) */
    unsigned ntables;
    char *path;
    unsigned index;
    unsigned upem;
    double inv_upem;
    unsigned glyph_count;
    bool cff;          /* PostScript outlines (a 'CFF ' table) instead of glyf */
    double ascent;     /* em, > 0 */
    double descent;    /* em, < 0 */
    double cap_height; /* em */
    double bbox[4];    /* em: xMin yMin xMax yMax */
    char family[GW_FONT_NAME_MAX];
    char style[GW_FONT_NAME_MAX]; /* subfamily: "Regular", "Bold" */
    char psname[GW_FONT_PSNAME_MAX];
    unsigned nfaces;    /* faces in the file (1 unless a collection) */
    int style_distance; /* how far from upright Regular (gw_font_style_distance) */
    struct gw_sfnt_cmap cmap;
    const unsigned char *hmtx;
    size_t hmtx_len;
    unsigned nhm; /* hhea.numberOfHMetrics, clamped to hmtx */
    const unsigned char *loca, *glyf; /* TrueType outlines (NULL for CFF) */
    size_t loca_len, glyf_len;
    bool long_loca; /* head.indexToLocFormat */
    /*
     * HarfBuzz, for what needs it: a CFF font's ink (its charstrings) and
     * subset (the PDF embedder), made on first use under hb_mu.
     */
    pthread_mutex_t hb_mu;
    hb_blob_t *hb_blob;
    hb_face_t *hb_face;
    hb_font_t *hb_font;
    /*
     * Lookup caches, filled on first use (layout asks for every character
     * several times): BMP code point -> glyph + 1 (0 unknown, 0xFFFF none),
     * glyph -> advance in font units + 1 (0 unknown). Relaxed atomics:
     * layout breaks paragraphs ahead on a worker thread while the main
     * thread reads and fills the same entries (always with the same value).
     */
    struct cache16 cmap_bmp;
    struct cache16 adv;
    /*
     * Ink extents of the marks layout classifies (a few dozen glyphs, asked
     * for at every occurrence), direct-mapped by glyph: (gid + 1) << 48 |
     * has-ink << 47 | x0 << 16 | x1, x0 and x1 in font units as int16.
     */
    _Atomic uint64_t ink[INK_SLOTS];
};

static int sbe16(const unsigned char *p)
{
    return (int)(int16_t)gw_be16(p);
}

/*
 * Find face `index` of the mapped file and check that every table record
 * lies inside the file (a truncated file fails here, not much later).
 * Returns 0 and records the table records, or -1 with a reason in err.
 */
static int read_directory(struct gw_font *f, unsigned index, char *err, size_t errlen)
{
    const unsigned char *d = f->data;
    size_t len = f->size;
    uint64_t off = 0;
    unsigned nfaces = 1;

    if (len < 12) {
        gw_set_err(err, errlen, "not a font file: %s", f->path);
        return -1;
    }
    uint32_t tag = gw_be32(d);
    if (tag == TAG('t', 't', 'c', 'f')) {
        nfaces = gw_be32(d + 8);
        if ((uint64_t)12 + 4 * (uint64_t)nfaces > len)
            nfaces = (unsigned)((len - 12) / 4);
    }
    if (tag != TAG('t', 't', 'c', 'f') && tag != 0x00010000u && tag != TAG('t', 'r', 'u', 'e') &&
        tag != TAG('O', 'T', 'T', 'O')) {
        gw_set_err(err, errlen, "not a font file: %s", f->path);
        return -1;
    }
    if (nfaces == 0) {
        gw_set_err(err, errlen, "not a font file: %s", f->path);
        return -1;
    }
    if (index >= nfaces) {
        gw_set_err(err, errlen, "face %u not in collection %s (%u face%s)", index, f->path, nfaces,
                   nfaces == 1 ? "" : "s");
        return -1;
    }
    if (tag == TAG('t', 't', 'c', 'f')) {
        off = gw_be32(d + 12 + 4 * index);
        if (off + 12 > len)
            goto corrupt;
    }
    unsigned ntables = gw_be16(d + off + 4);
    if (off + 12 + 16 * (uint64_t)ntables > len)
        goto corrupt;
    for (unsigned i = 0; i < ntables; i++) {
        const unsigned char *rec = d + off + 12 + 16 * i;
        if ((uint64_t)gw_be32(rec + 8) + gw_be32(rec + 12) > len)
            goto corrupt;
    }
    f->dir = d + off + 12;
    f->ntables = ntables;
    f->nfaces = nfaces;
    return 0;
corrupt:
    gw_set_err(err, errlen, "font file is truncated or corrupt: %s", f->path);
    return -1;
}

/*
 * Is the loca table whole: an entry for every glyph and the end, in order,
 * the last one inside glyf and past its start? A damaged loca (filled,
 * zeroed, holed) makes glyphs silently empty: whole pages came out blank.
 * Reads loca once (2 or 4 bytes a glyph, some 30-120 KB for a CJK font).
 */
static bool loca_whole(const struct gw_font *f, char *err, size_t errlen)
{
    size_t n = (size_t)f->glyph_count + 1, unit = f->long_loca ? 4 : 2;
    char why[96] = "";
    if (!f->loca || f->loca_len < n * unit) {
        snprintf(why, sizeof why, "has fewer entries than the font has glyphs");
    } else {
        size_t prev = 0, at = 0;
        for (size_t i = 0; i < n && !*why; i++, prev = at) {
            at = unit == 4 ? gw_be32(f->loca + 4 * i) : 2 * (size_t)gw_be16(f->loca + 2 * i);
            if (at < prev)
                snprintf(why, sizeof why, "goes back at glyph %zu", i);
            else if (at > f->glyf_len)
                snprintf(why, sizeof why, "points past the glyf table at glyph %zu", i);
        }
        if (!*why && at == 0 && f->glyf_len > 0)
            snprintf(why, sizeof why, "gives no glyph an outline");
    }
    if (!*why)
        return true;
    gw_set_err(err, errlen, "font file is corrupt: its loca table %s: %s", why, f->path);
    return false;
}

/* File name without directory and extension, into buf. */
static void file_stem(const char *path, char *buf, size_t buflen)
{
    const char *base = strrchr(path, '/');
    const char *dot;
    size_t n;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    if (n >= buflen)
        n = buflen - 1;
    memcpy(buf, base, n);
    buf[n] = '\0';
}

/* Keep only [A-Za-z0-9-_] of src, so the result is a safe PDF name. */
static void sanitize_psname(const char *src, char *dst, size_t dstlen)
{
    size_t n = 0;

    for (; *src && n + 1 < dstlen; src++) {
        char c = *src;

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_')
            dst[n++] = c;
    }
    dst[n] = '\0';
}

/*
 * Fill in the names of f: family (the typographic family, name 16, before
 * the legacy one, name 1: "FandolFang", not "FandolFang R"), style and
 * sanitised PostScript name.
 */
static void load_names(struct gw_font *f)
{
    char tmp[GW_FONT_NAME_MAX];
    size_t len;
    const unsigned char *name = gw_font_table(f, TAG('n', 'a', 'm', 'e'), &len);

    if (!gw_sfnt_name(name, len, 16, f->family, sizeof f->family) &&
        !gw_sfnt_name(name, len, 1, f->family, sizeof f->family))
        file_stem(f->path, f->family, sizeof f->family);
    if (!gw_sfnt_name(name, len, 17, f->style, sizeof f->style) &&
        !gw_sfnt_name(name, len, 2, f->style, sizeof f->style))
        snprintf(f->style, sizeof f->style, "Regular");

    f->psname[0] = '\0';
    if (gw_sfnt_name(name, len, 6, tmp, sizeof tmp))
        sanitize_psname(tmp, f->psname, sizeof f->psname);
    if (!f->psname[0]) {
        file_stem(f->path, tmp, sizeof tmp);
        sanitize_psname(tmp, f->psname, sizeof f->psname);
        if (f->index > 0 && f->psname[0]) {
            size_t n = strlen(f->psname);

            snprintf(f->psname + n, sizeof f->psname - n, "-%u", f->index);
        }
    }
    if (!f->psname[0])
        snprintf(f->psname, sizeof f->psname, "Font");
}

/*
 * Fill in vertical metrics and the bounding box of f, in em, as HarfBuzz
 * gives them: OS/2's typographic ascender and descender when the font
 * asks for them (USE_TYPO_METRICS), else hhea's (a zero is taken as it
 * is, then replaced below); the cap height from OS/2 version 2 and later.
 */
static void load_metrics(struct gw_font *f)
{
    size_t hhea_len, os2_len, head_len;
    const unsigned char *hhea = gw_font_table(f, TAG('h', 'h', 'e', 'a'), &hhea_len);
    const unsigned char *os2 = gw_font_table(f, TAG('O', 'S', '/', '2'), &os2_len);
    const unsigned char *head = gw_font_table(f, TAG('h', 'e', 'a', 'd'), &head_len);
    bool has_hhea = hhea && hhea_len >= 36 && gw_be16(hhea) != 0;
    bool has_os2 = os2 && os2_len >= 78 &&
                   (gw_be16(os2 + 4) || gw_be16(os2 + 6) || gw_be16(os2 + 64) || gw_be16(os2 + 66));
    bool typo = has_os2 && (gw_be16(os2 + 62) & 0x80);
    const unsigned char *from = typo ? os2 + 68 : has_hhea ? hhea + 4 : NULL;

    if (from) { /* ascender, descender */
        int asc = sbe16(from), desc = sbe16(from + 2);
        f->ascent = abs(asc) * f->inv_upem;
        f->descent = -abs(desc) * f->inv_upem;
    } else { /* HarfBuzz's default when neither table says */
        f->ascent = 0.8;
        f->descent = -0.2;
    }
    if (f->ascent <= 0)
        f->ascent = 0.88;
    if (f->descent >= 0)
        f->descent = -0.12;

    int cap = has_os2 && gw_be16(os2) >= 2 && os2_len >= 96 ? sbe16(os2 + 88) : 0;
    f->cap_height = cap > 0 ? cap * f->inv_upem : f->ascent;

    if (head && head_len >= 54) {
        f->bbox[0] = sbe16(head + 36) * f->inv_upem;
        f->bbox[1] = sbe16(head + 38) * f->inv_upem;
        f->bbox[2] = sbe16(head + 40) * f->inv_upem;
        f->bbox[3] = sbe16(head + 42) * f->inv_upem;
    } else {
        f->bbox[0] = 0;
        f->bbox[1] = f->descent;
        f->bbox[2] = 1;
        f->bbox[3] = f->ascent;
    }
}

/*
 * How far the face is from upright Regular, for choosing among the faces
 * of a family: the weight's distance from 400, plus 1000 for an italic or
 * oblique face, plus 10 a step of width. The weight class alone does not
 * do: FandolHei-Bold and FandolSong-Bold say 400 and mark their boldness
 * only in the style bits (OS/2 fsSelection, head macStyle), which count as
 * 700 here.
 */
static void load_style(struct gw_font *f)
{
    size_t os2_len, head_len;
    const unsigned char *os2 = gw_font_table(f, TAG('O', 'S', '/', '2'), &os2_len);
    const unsigned char *head = gw_font_table(f, TAG('h', 'e', 'a', 'd'), &head_len);
    unsigned weight = os2 && os2_len >= 8 ? gw_be16(os2 + 4) : 0;
    unsigned width = os2 && os2_len >= 8 ? gw_be16(os2 + 6) : 5;
    unsigned sel = os2 && os2_len >= 64 ? gw_be16(os2 + 62) : 0;
    unsigned mac = head && head_len >= 46 ? gw_be16(head + 44) : 0;
    if (weight == 0)
        weight = 400;
    if (((sel & 0x20) || (mac & 1)) && weight < 700)
        weight = 700;
    bool italic = (sel & 0x201) || (mac & 2);
    if (width < 1 || width > 9)
        width = 5;
    f->style_distance = abs((int)weight - 400) + (italic ? 1000 : 0) + 10 * abs((int)width - 5);
}

/*
 * Open face `index` of a font file.  Validates the container, the table
 * directory and the tables a TrueType PDF embedding needs, so bad files
 * fail here with a reason rather than later in layout or subsetting.
 */
static struct gw_font *open_face(const char *path, unsigned index, bool names_only, char *err,
                                 size_t errlen);

struct gw_font *gw_font_open(const char *path, unsigned index, char *err, size_t errlen)
{
    return open_face(path, index, false, err, errlen);
}

struct gw_font *gw_font_open_names(const char *path, unsigned index, char *err, size_t errlen)
{
    return open_face(path, index, true, err, errlen);
}

/*
 * Open a face; with names_only, stop before what only drawing needs (the
 * loca check, HarfBuzz for CFF outlines), for finding families in a folder.
 */
static struct gw_font *open_face(const char *path, unsigned index, bool names_only, char *err,
                                 size_t errlen)
{
    static const uint32_t required[] = {
        TAG('h', 'e', 'a', 'd'), TAG('h', 'h', 'e', 'a'), TAG('h', 'm', 't', 'x'),
        TAG('m', 'a', 'x', 'p'), TAG('l', 'o', 'c', 'a'), TAG('c', 'm', 'a', 'p'),
    };
    struct gw_font *f;
    struct stat st;
    size_t len;
    int fd;

    if (!path || !*path) {
        gw_set_err(err, errlen, "no font file given");
        return NULL;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        gw_set_err(err, errlen, "cannot read font file %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        gw_set_err(err, errlen, "cannot read font file %s: not a regular file", path);
        close(fd);
        return NULL;
    }
    f = calloc(1, sizeof *f);
    if (!f) {
        gw_set_err(err, errlen, "out of memory");
        close(fd);
        return NULL;
    }
    f->index = index;
    f->path = gw_xstrdup(path);
    pthread_mutex_init(&f->hb_mu, NULL);
    if (st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            f->data = m;
            f->size = (size_t)st.st_size;
            /*
             * A CJK font is 5-20 MB of which a document touches a few pages;
             * default fault readahead pulls in megabytes around every table
             * we look at, which made a cold-cache open cost 10-25 ms.
             */
            posix_madvise(m, f->size, POSIX_MADV_RANDOM);
        }
    }
    close(fd);
    if (!f->data) {
        gw_set_err(err, errlen, "cannot read font file %s", path);
        goto fail;
    }
    if (read_directory(f, index, err, errlen) != 0)
        goto fail;

    const unsigned char *maxp = gw_font_table(f, TAG('m', 'a', 'x', 'p'), &len);
    f->glyph_count = maxp && len >= 6 ? gw_be16(maxp + 4) : 0;
    if (f->glyph_count == 0) {
        gw_set_err(err, errlen, "font has no glyphs (bad maxp table): %s", path);
        goto fail;
    }
    if (!gw_font_table(f, TAG('g', 'l', 'y', 'f'), &len)) {
        /* PostScript outlines: CFF is embedded as is; CFF2 (variable fonts) is not supported */
        f->cff = gw_font_table(f, TAG('C', 'F', 'F', ' '), &len) != NULL;
        if (!f->cff) {
            if (gw_font_table(f, TAG('C', 'F', 'F', '2'), &len))
                gw_set_err(err, errlen,
                           "font has CFF2 outlines (variable fonts are not supported): %s", path);
            else
                gw_set_err(err, errlen, "font has no outlines (no glyf or CFF table): %s", path);
            goto fail;
        }
    }
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (f->cff && required[i] == TAG('l', 'o', 'c', 'a'))
            continue; /* glyf's index */
        if (!gw_font_table(f, required[i], &len)) {
            char t[5] = {(char)(required[i] >> 24), (char)(required[i] >> 16),
                         (char)(required[i] >> 8), (char)required[i], 0};
            gw_set_err(err, errlen, "font has no %s table: %s", t, path);
            goto fail;
        }
    }

    const unsigned char *head = gw_font_table(f, TAG('h', 'e', 'a', 'd'), &len);
    f->upem = head && len >= 54 ? gw_be16(head + 18) : 0;
    if (f->upem < 16 || f->upem > 16384)
        f->upem = 1000; /* as HarfBuzz does */
    f->inv_upem = 1.0 / f->upem;
    size_t cmap_len, hhea_len;
    const unsigned char *cmap = gw_font_table(f, TAG('c', 'm', 'a', 'p'), &cmap_len);
    gw_sfnt_cmap_init(&f->cmap, cmap, cmap_len);
    const unsigned char *hhea = gw_font_table(f, TAG('h', 'h', 'e', 'a'), &hhea_len);
    f->hmtx = gw_font_table(f, TAG('h', 'm', 't', 'x'), &f->hmtx_len);
    f->nhm = hhea && hhea_len >= 36 ? gw_be16(hhea + 34) : 0;
    if (f->nhm > f->hmtx_len / 4)
        f->nhm = (unsigned)(f->hmtx_len / 4);
    if (!f->cff && !names_only) {
        f->loca = gw_font_table(f, TAG('l', 'o', 'c', 'a'), &f->loca_len);
        f->glyf = gw_font_table(f, TAG('g', 'l', 'y', 'f'), &f->glyf_len);
        f->long_loca = head && len >= 54 && gw_be16(head + 50) != 0;
        if (!loca_whole(f, err, errlen))
            goto fail;
    }
    if (f->cff && !names_only && !gw_font_hb_face(f)) {
        if (*gw_hb_error())
            gw_set_err(err, errlen, "%s (font %s)", gw_hb_error(), path);
        else
            gw_set_err(err, errlen, "cannot read the CFF font %s with HarfBuzz", path);
        goto fail;
    }
    load_metrics(f);
    load_names(f);
    load_style(f);
    return f;

fail:
    gw_font_free(f);
    return NULL;
}

/* Release the font and the HarfBuzz objects it owns. */
void gw_font_free(struct gw_font *f)
{
    if (!f)
        return;
    if (f->hb_font) { /* then HarfBuzz is loaded */
        const struct gw_hb *hb = gw_hb();
        hb->hb_font_destroy(f->hb_font);
        hb->hb_face_destroy(f->hb_face);
        hb->hb_blob_destroy(f->hb_blob);
    }
    if (f->data)
        munmap((void *)f->data, f->size);
    pthread_mutex_destroy(&f->hb_mu);
    cache16_free(&f->cmap_bmp);
    cache16_free(&f->adv);
    free(f->path);
    free(f);
}

/* Nominal glyph of cp via the cmap; .notdef counts as missing. */
bool gw_font_glyph(const struct gw_font *f, uint32_t cp, uint32_t *gid)
{
    uint32_t g = 0;

    if (cp < 0x10000) {
        uint16_t c = cache16_get(&f->cmap_bmp, cp);
        if (c == 0xFFFF)
            return false;
        if (c) {
            if (gid)
                *gid = c - 1u;
            return true;
        }
    }
    bool ok = cp <= 0x10FFFF && (g = gw_sfnt_cmap_glyph(&f->cmap, cp)) != 0 && g < f->glyph_count;
    if (cp < 0x10000)
        cache16_put((struct cache16 *)&f->cmap_bmp, cp,
                    ok && g < 0xFFFE ? (uint16_t)(g + 1) : (ok ? 0 : 0xFFFF));
    if (!ok)
        return false;
    if (gid)
        *gid = g;
    return true;
}

/* Advance in em: the hmtx value over upem (the last long metric for glyphs past them). */
double gw_font_advance(const struct gw_font *f, uint32_t gid)
{
    if (gid >= f->glyph_count)
        return 0.0;
    uint16_t c = cache16_get(&f->adv, gid); /* gid < glyph_count <= 65535 */
    if (c)
        return (c - 1) * f->inv_upem;
    unsigned adv = 0;
    int lsb;
    gw_font_hmetrics(f, gid, &adv, &lsb);
    long a = adv;
    if (a < 0xFFFF)
        cache16_put((struct cache16 *)&f->adv, gid, (uint16_t)(a + 1));
    return a * f->inv_upem;
}

/* Ascender in em, computed at open. */
double gw_font_ascent(const struct gw_font *f)
{
    return f->ascent;
}

/* Descender in em, computed at open. */
double gw_font_descent(const struct gw_font *f)
{
    return f->descent;
}

/* Cap height in em, computed at open. */
double gw_font_cap_height(const struct gw_font *f)
{
    return f->cap_height;
}

/* head bounding box in em, computed at open. */
void gw_font_bbox(const struct gw_font *f, double bbox[4])
{
    memcpy(bbox, f->bbox, sizeof f->bbox);
}

/* Units per em. */
unsigned gw_font_upem(const struct gw_font *f)
{
    return f->upem;
}

/* Path given to gw_font_open. */
const char *gw_font_path(const struct gw_font *f)
{
    return f->path;
}

/* Face index given to gw_font_open. */
unsigned gw_font_index(const struct gw_font *f)
{
    return f->index;
}

/* Family name, computed at open. */
const char *gw_font_family(const struct gw_font *f)
{
    return f->family;
}

/* Style (subfamily) name, computed at open. */
const char *gw_font_style(const struct gw_font *f)
{
    return f->style;
}

/* Distance from upright Regular, computed at open. */
int gw_font_style_distance(const struct gw_font *f)
{
    return f->style_distance;
}

/* Faces in the file, read at open. */
unsigned gw_font_face_count(const struct gw_font *f)
{
    return f->nfaces;
}

/* 2 for the face's own full or PostScript name, 1 for one of its family names, else 0. */
int gw_font_name_match(const struct gw_font *f, const char *name)
{
    size_t len;
    const unsigned char *t = gw_font_table(f, TAG('n', 'a', 'm', 'e'), &len);
    if (gw_sfnt_name_is(t, len, 4, name) || gw_sfnt_name_is(t, len, 6, name) ||
        !strcmp(name, f->psname))
        return 2;
    if (gw_sfnt_name_is(t, len, 16, name) || gw_sfnt_name_is(t, len, 1, name) ||
        gw_sfnt_name_is(t, len, 21, name))
        return 1;
    return 0;
}

/* Sanitised PostScript name, computed at open. */
const char *gw_font_psname(const struct gw_font *f)
{
    return f->psname;
}

/* maxp glyph count. */
unsigned gw_font_glyph_count(const struct gw_font *f)
{
    return f->glyph_count;
}

/* PostScript (CFF) outlines rather than TrueType. */
bool gw_font_is_cff(const struct gw_font *f)
{
    return f->cff;
}

/* A table's bytes in the mapped file, from the face's table records. */
const unsigned char *gw_font_table(const struct gw_font *f, uint32_t tag, size_t *len)
{
    for (unsigned i = 0; i < f->ntables; i++) {
        const unsigned char *rec = f->dir + 16 * i;

        if (gw_be32(rec) == tag && gw_be32(rec + 12) > 0) {
            *len = gw_be32(rec + 12);
            return f->data + gw_be32(rec + 8);
        }
    }
    *len = 0;
    return NULL;
}

/* A TrueType glyph's record, through loca. */
const unsigned char *gw_font_glyph_record(const struct gw_font *f, uint32_t gid, size_t *len)
{
    size_t a, b;

    *len = 0;
    if (!f->loca || gid >= f->glyph_count)
        return NULL;
    if (f->long_loca) {
        if (4 * ((size_t)gid + 2) > f->loca_len)
            return NULL;
        a = gw_be32(f->loca + 4 * gid), b = gw_be32(f->loca + 4 * gid + 4);
    } else {
        if (2 * ((size_t)gid + 2) > f->loca_len)
            return NULL;
        a = 2 * (size_t)gw_be16(f->loca + 2 * gid), b = 2 * (size_t)gw_be16(f->loca + 2 * gid + 2);
    }
    if (b <= a || b > f->glyf_len)
        return NULL;
    *len = b - a;
    return f->glyf + a;
}

/* hmtx's entry for gid: a long metric, or the last one's advance with a bearing of its own. */
bool gw_font_hmetrics(const struct gw_font *f, uint32_t gid, unsigned *advance, int *lsb)
{
    size_t at = 4 * (size_t)f->nhm + 2 * ((size_t)gid - f->nhm); /* past the long metrics */

    if (f->nhm == 0 || (gid >= f->nhm && at + 2 > f->hmtx_len))
        return false;
    *advance = gw_be16(f->hmtx + 4 * (gid < f->nhm ? gid : f->nhm - 1));
    *lsb = gid < f->nhm ? sbe16(f->hmtx + 4 * gid + 2) : sbe16(f->hmtx + at);
    return true;
}

/* HarfBuzz's face (and a font scaled to units per em) over the mapped file, made once. */
void *gw_font_hb_face(const struct gw_font *cf)
{
    const struct gw_hb *hb = gw_hb();
    struct gw_font *f = (struct gw_font *)cf; /* the lazily made objects are a cache */

    if (!hb)
        return NULL;
    pthread_mutex_lock(&f->hb_mu);
    if (!f->hb_font) {
        hb_blob_t *blob = hb->hb_blob_create_or_fail((const char *)f->data, (unsigned)f->size,
                                                     HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_t *face = blob ? hb->hb_face_create(blob, f->index) : NULL;
        hb_font_t *font = face ? hb->hb_font_create(face) : NULL;
        if (font && font != hb->hb_font_get_empty()) {
            hb->hb_font_set_scale(font, (int)f->upem, (int)f->upem);
            hb->hb_font_make_immutable(font);
            f->hb_blob = blob;
            f->hb_face = face;
            f->hb_font = font;
        } else {
            hb->hb_font_destroy(font);
            hb->hb_face_destroy(face);
            hb->hb_blob_destroy(blob);
        }
    }
    pthread_mutex_unlock(&f->hb_mu);
    return f->hb_face;
}

/*
 * Ink extent of a TrueType glyph in font units, as HarfBuzz gives it for a
 * font without variations: from the side bearing (hmtx) over the width of
 * the glyph's box (its glyf header).  False for an empty glyph or one
 * without width.
 */
static bool glyf_ink(const struct gw_font *f, uint32_t gid, long *left, long *right)
{
    size_t len;
    const unsigned char *g = gw_font_glyph_record(f, gid, &len);

    if (len < 10 || sbe16(g) == 0)
        return false;
    int x_min = sbe16(g + 2), x_max = sbe16(g + 6);
    long lo = x_min < x_max ? x_min : x_max, width = labs((long)x_max - x_min);
    if (width == 0)
        return false;
    unsigned adv;
    int lsb;
    if (gw_font_hmetrics(f, gid, &adv, &lsb)) /* the side bearing, as HarfBuzz takes it */
        lo = lsb;
    *left = lo;
    *right = lo + width;
    return true;
}

/* Horizontal ink extent of glyph gid in em (x0 left, x1 right of the origin); false if empty. */
bool gw_font_ink(const struct gw_font *f, uint32_t gid, double *x0, double *x1)
{
    if (gid >= f->glyph_count)
        return false;
    _Atomic uint64_t *slot = (_Atomic uint64_t *)&f->ink[gid % INK_SLOTS];
    uint64_t c = atomic_load_explicit(slot, memory_order_relaxed);
    if ((c >> 48) == (uint64_t)gid + 1) {
        if (!(c >> 47 & 1))
            return false;
        *x0 = (double)(int16_t)(uint16_t)(c >> 16) / f->upem;
        *x1 = (double)(int16_t)(uint16_t)c / f->upem;
        return true;
    }
    long left = 0, right = 0;
    bool ink;
    if (f->cff) { /* charstrings: HarfBuzz interprets them (its font was made at open) */
        hb_glyph_extents_t e;
        ink = gw_hb()->hb_font_get_glyph_extents(f->hb_font, gid, &e) && e.width != 0;
        if (ink) {
            left = e.width < 0 ? (long)e.x_bearing + e.width : e.x_bearing;
            right = left + (e.width < 0 ? -(long)e.width : e.width);
        }
    } else {
        ink = glyf_ink(f, gid, &left, &right);
    }
    if (ink) {
        *x0 = (double)left / f->upem;
        *x1 = (double)right / f->upem;
    }
    if (gid < 0xFFFF && left >= INT16_MIN && right <= INT16_MAX && left <= right)
        atomic_store_explicit(slot,
                              ((uint64_t)gid + 1) << 48 | (uint64_t)ink << 47 |
                                  (uint64_t)(uint16_t)(int16_t)left << 16 |
                                  (uint64_t)(uint16_t)(int16_t)right,
                              memory_order_relaxed);
    return ink;
}
