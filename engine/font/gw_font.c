/*
 * gw_font.c - font data access for gongwen.
 *
 * Owns struct gw_font: a memory-mapped font file (hb_blob_t), the
 * HarfBuzz face for one face of it and an hb_font_t scaled to unitsPerEm,
 * plus metrics and names extracted once at open time.  Glyph lookup and
 * advances go straight to HarfBuzz, whose cmap/hmtx accelerators are
 * lazy, so opening a font never walks the cmap or the glyph data.
 *
 * Family lookup (fontconfig and its cache) is in gw_fontfind.c.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "gw_font.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb-ot.h>
#include <hb.h>

#include "../util/gw_arena.h"
#include "../util/gw_diag.h"

#define GW_FONT_NAME_MAX   128
#define GW_FONT_PSNAME_MAX 64

#define INK_SLOTS 256

struct gw_font {
    hb_blob_t *blob; /* whole file, mmapped by HarfBuzz */
    hb_face_t *face;
    hb_font_t *font; /* scale = upem, so positions are font units */
    const unsigned char *data; /* the file's bytes (the blob's) */
    const unsigned char *dir;  /* the face's table records (16 bytes each), or NULL */
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
    char psname[GW_FONT_PSNAME_MAX];
    /*
     * Lookup caches, filled on first use (layout asks for every character
     * several times): BMP code point -> glyph + 1 (0 unknown, 0xFFFF none),
     * glyph -> advance in font units + 1 (0 unknown). Relaxed atomics:
     * layout breaks paragraphs ahead on a worker thread while the main
     * thread reads and fills the same entries (always with the same value).
     */
    _Atomic uint16_t *cmap_bmp;
    _Atomic uint16_t *adv;
    /*
     * Ink extents of the marks layout classifies (a few dozen glyphs, asked
     * for at every occurrence), direct-mapped by glyph: (gid + 1) << 48 |
     * has-ink << 47 | x0 << 16 | x1, x0 and x1 in font units as int16.
     */
    _Atomic uint64_t ink[INK_SLOTS];
};


/* Big-endian readers for the raw table-directory check. */
static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static unsigned be16(const unsigned char *p)
{
    return ((unsigned)p[0] << 8) | (unsigned)p[1];
}

static int sbe16(const unsigned char *p)
{
    return (int)(int16_t)be16(p);
}

/*
 * Check that every table record of face `index` lies inside the file.
 * HarfBuzz silently clamps out-of-range tables, so without this a
 * truncated file would open and fail much later.  Returns 0 if sound,
 * and records where the face's table records are (gw_font_table).
 */
static int check_directory(struct gw_font *f, hb_blob_t *blob, unsigned index)
{
    unsigned int len;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(blob, &len);
    uint64_t off = 0;
    unsigned i, ntables;
    uint32_t tag;

    if (!d || len < 12)
        return -1;
    tag = be32(d);
    if (tag == HB_TAG('t', 't', 'c', 'f')) {
        if ((uint64_t)12 + 4 * ((uint64_t)index + 1) > len)
            return -1;
        off = be32(d + 12 + 4 * index);
        if (off + 12 > len)
            return -1;
        tag = be32(d + off);
    }
    if (tag != 0x00010000u && tag != HB_TAG('t', 'r', 'u', 'e') &&
        tag != HB_TAG('O', 'T', 'T', 'O'))
        return 0; /* other containers (dfont): leave to HarfBuzz */

    ntables = be16(d + off + 4);
    if (off + 12 + 16 * (uint64_t)ntables > len)
        return -1;
    for (i = 0; i < ntables; i++) {
        const unsigned char *rec = d + off + 12 + 16 * i;
        uint64_t toff = be32(rec + 8);
        uint64_t tlen = be32(rec + 12);

        if (toff + tlen > len)
            return -1;
    }
    f->data = d;
    f->dir = d + off + 12;
    f->ntables = ntables;
    return 0;
}

/*
 * Tell the kernel the mapped font is read at random.  A CJK font is
 * 5-20 MB of which a document touches a few pages; default fault
 * readahead pulls in megabytes around every table we look at, which made
 * a cold-cache open cost 10-25 ms instead of ~0.5 ms.  Harmless if the
 * blob is not an mmap (the call then fails and is ignored).
 */
static void advise_random(hb_blob_t *blob)
{
    unsigned int len;
    const char *data = hb_blob_get_data(blob, &len);
    long page = sysconf(_SC_PAGESIZE);

    if (data && len && page > 0 && (uintptr_t)data % (uintptr_t)page == 0)
        posix_madvise((void *)(uintptr_t)data, len, POSIX_MADV_RANDOM);
}

/* Length of table `tag` of the face (0 if absent). */
static unsigned table_len(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    unsigned n = hb_blob_get_length(b);

    hb_blob_destroy(b);
    return n;
}

/* True if s is non-empty printable ASCII. */
static bool is_ascii(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

/*
 * Pick the best-suited record of name `id`: English ASCII, then any ASCII,
 * then anything.  Writes UTF-8 into buf; returns false if none exists.
 */
static bool best_name(hb_face_t *face, hb_ot_name_id_t id, char *buf, size_t buflen)
{
    const hb_ot_name_entry_t *names;
    unsigned i, n = 0;
    int best = -1;
    char tmp[GW_FONT_NAME_MAX];

    names = hb_ot_name_list_names(face, &n);
    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        unsigned size = sizeof tmp;
        const char *lang;
        int score;

        if (names[i].name_id != id)
            continue;
        hb_ot_name_get_utf8(face, id, names[i].language, &size, tmp);
        if (!tmp[0])
            continue;
        lang = hb_language_to_string(names[i].language);
        score = is_ascii(tmp) ? 2 : 0;
        if (score && lang && strncmp(lang, "en", 2) == 0)
            score = 3;
        if (score > best) {
            best = score;
            snprintf(buf, buflen, "%s", tmp);
            if (score == 3)
                break;
        }
    }
    return best >= 0;
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

/* Fill in the names of f: family and sanitised PostScript name. */
static void load_names(struct gw_font *f)
{
    char tmp[GW_FONT_NAME_MAX];

    if (!best_name(f->face, HB_OT_NAME_ID_FONT_FAMILY, f->family, sizeof f->family))
        file_stem(f->path, f->family, sizeof f->family);

    f->psname[0] = '\0';
    if (best_name(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, tmp, sizeof tmp))
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

/* Fill in vertical metrics and the bounding box of f, in em. */
static void load_metrics(struct gw_font *f)
{
    hb_font_extents_t ext;
    hb_position_t cap = 0;
    hb_blob_t *head;
    unsigned int len;
    const unsigned char *d;

    memset(&ext, 0, sizeof ext);
    hb_font_get_h_extents(f->font, &ext);
    f->ascent = ext.ascender * f->inv_upem;
    f->descent = ext.descender * f->inv_upem;
    if (f->ascent <= 0)
        f->ascent = 0.88;
    if (f->descent >= 0)
        f->descent = -0.12;

    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0)
        f->cap_height = cap * f->inv_upem;
    else
        f->cap_height = f->ascent;

    head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
    d = (const unsigned char *)hb_blob_get_data(head, &len);
    if (d && len >= 54) {
        f->bbox[0] = sbe16(d + 36) * f->inv_upem;
        f->bbox[1] = sbe16(d + 38) * f->inv_upem;
        f->bbox[2] = sbe16(d + 40) * f->inv_upem;
        f->bbox[3] = sbe16(d + 42) * f->inv_upem;
    } else {
        f->bbox[0] = 0;
        f->bbox[1] = f->descent;
        f->bbox[2] = 1;
        f->bbox[3] = f->ascent;
    }
    hb_blob_destroy(head);
}

/*
 * Open face `index` of a font file.  Validates the container, the table
 * directory and the tables a TrueType PDF embedding needs, so bad files
 * fail here with a reason rather than later in layout or subsetting.
 */
struct gw_font *gw_font_open(const char *path, unsigned index, char *err, size_t errlen)
{
    static const hb_tag_t required[] = {
        HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
        HB_TAG('m', 'a', 'x', 'p'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('c', 'm', 'a', 'p'),
    };
    struct gw_font *f;
    struct stat st;
    unsigned nfaces, i;

    if (!path || !*path) {
        gw_set_err(err, errlen, "no font file given");
        return NULL;
    }
    if (stat(path, &st) != 0) {
        gw_set_err(err, errlen, "cannot read font file %s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        gw_set_err(err, errlen, "cannot read font file %s: not a regular file", path);
        return NULL;
    }

    f = calloc(1, sizeof *f);
    if (!f) {
        gw_set_err(err, errlen, "out of memory");
        return NULL;
    }
    f->index = index;
    f->path = malloc(strlen(path) + 1);
    if (!f->path) {
        gw_set_err(err, errlen, "out of memory");
        goto free_font;
    }
    strcpy(f->path, path);

    f->blob = hb_blob_create_from_file_or_fail(path);
    if (!f->blob || hb_blob_get_length(f->blob) == 0) {
        gw_set_err(err, errlen, "cannot read font file %s", path);
        goto free_blob;
    }

    advise_random(f->blob);
    nfaces = hb_face_count(f->blob);
    if (nfaces == 0) {
        gw_set_err(err, errlen, "not a font file: %s", path);
        goto free_blob;
    }
    if (index >= nfaces) {
        gw_set_err(err, errlen, "face %u not in collection %s (%u face%s)", index, path, nfaces,
                nfaces == 1 ? "" : "s");
        goto free_blob;
    }
    if (check_directory(f, f->blob, index) != 0) {
        gw_set_err(err, errlen, "font file is truncated or corrupt: %s", path);
        goto free_blob;
    }

    f->face = hb_face_create(f->blob, index);
    f->glyph_count = hb_face_get_glyph_count(f->face);
    if (f->glyph_count == 0) {
        gw_set_err(err, errlen, "font has no glyphs (bad maxp table): %s", path);
        goto free_face;
    }
    if (table_len(f->face, HB_TAG('g', 'l', 'y', 'f')) == 0) {
        /* PostScript outlines: CFF is embedded as is; CFF2 (variable fonts) is not supported */
        f->cff = table_len(f->face, HB_TAG('C', 'F', 'F', ' ')) > 0;
        if (!f->cff) {
            if (table_len(f->face, HB_TAG('C', 'F', 'F', '2')))
                gw_set_err(err, errlen, "font has CFF2 outlines (variable fonts are not supported): %s",
                        path);
            else
                gw_set_err(err, errlen, "font has no outlines (no glyf or CFF table): %s", path);
            goto free_face;
        }
    }
    for (i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (f->cff && required[i] == HB_TAG('l', 'o', 'c', 'a'))
            continue; /* glyf's index */
        if (table_len(f->face, required[i]) == 0) {
            char t[5];

            hb_tag_to_string(required[i], t);
            t[4] = '\0';
            gw_set_err(err, errlen, "font has no %s table: %s", t, path);
            goto free_face;
        }
    }

    f->upem = hb_face_get_upem(f->face);
    f->inv_upem = 1.0 / f->upem;
    f->font = hb_font_create(f->face);
    if (!f->font || f->font == hb_font_get_empty()) {
        gw_set_err(err, errlen, "out of memory");
        goto free_face;
    }
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    hb_font_make_immutable(f->font);
    /* lookup caches, filled on first use (the font opened: nothing fails past here) */
    f->cmap_bmp = gw_xcalloc(0x10000, sizeof(*f->cmap_bmp));
    f->adv = gw_xcalloc(f->glyph_count + 1, sizeof(*f->adv));

    load_metrics(f);
    load_names(f);
    return f;

free_face:
    hb_face_destroy(f->face);
free_blob:
    hb_blob_destroy(f->blob);
    free(f->path);
free_font:
    free(f);
    return NULL;
}

/* Release the font and the HarfBuzz objects it owns. */
void gw_font_free(struct gw_font *f)
{
    if (!f)
        return;
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free((void *)f->cmap_bmp);
    free((void *)f->adv);
    free(f->path);
    free(f);
}

/* Nominal glyph of cp via the cmap; .notdef counts as missing. */
bool gw_font_glyph(const struct gw_font *f, uint32_t cp, uint32_t *gid)
{
    hb_codepoint_t g = 0;

    if (cp < 0x10000) {
        uint16_t c = atomic_load_explicit(&f->cmap_bmp[cp], memory_order_relaxed);
        if (c == 0xFFFF)
            return false;
        if (c) {
            if (gid)
                *gid = c - 1u;
            return true;
        }
    }
    bool ok = cp <= 0x10FFFF && hb_font_get_nominal_glyph(f->font, cp, &g) && g != 0 &&
              g < f->glyph_count;
    if (cp < 0x10000)
        atomic_store_explicit(&f->cmap_bmp[cp],
                              ok && g < 0xFFFE ? (uint16_t)(g + 1) : (ok ? 0 : 0xFFFF),
                              memory_order_relaxed);
    if (!ok)
        return false;
    if (gid)
        *gid = g;
    return true;
}

/* Advance in em: hmtx value (HarfBuzz caches the table) over upem. */
double gw_font_advance(const struct gw_font *f, uint32_t gid)
{
    if (gid >= f->glyph_count)
        return 0.0;
    uint16_t c = atomic_load_explicit(&f->adv[gid], memory_order_relaxed);
    if (c)
        return (c - 1) * f->inv_upem;
    hb_position_t a = hb_font_get_glyph_h_advance(f->font, gid);
    if (a >= 0 && a < 0xFFFF)
        atomic_store_explicit(&f->adv[gid], (uint16_t)(a + 1), memory_order_relaxed);
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

        if (be32(rec) == tag && be32(rec + 12) > 0) {
            *len = be32(rec + 12);
            return f->data + be32(rec + 8);
        }
    }
    *len = 0;
    return NULL;
}

/* The hb_face_t, still owned by f. */
void *gw_font_hb_face(const struct gw_font *f)
{
    return f->face;
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
    hb_glyph_extents_t e;
    bool ink = hb_font_get_glyph_extents(f->font, gid, &e) && e.width != 0;
    long left = 0, right = 0;
    if (ink) {
        left = e.width < 0 ? (long)e.x_bearing + e.width : e.x_bearing;
        right = left + (e.width < 0 ? -(long)e.width : e.width);
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
