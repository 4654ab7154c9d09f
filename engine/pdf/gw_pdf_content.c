/*
 * gw_pdf_content: the content stream of each page, written by gongwen from
 * the display list alone (PDF module; no libharu calls, so it runs on the
 * workers).
 *
 * Owns the page operators: numbers in fixed point, colours, text as
 * BT ... ET with every glyph where layout put it (Tc for a justified line's
 * common gap, TJ offsets for the rest, a code of its own for a mark set in
 * a box narrower than its glyph or moved inside it, drawn at the box's left
 * edge), rules, images placed as XObjects (a seal under a multiply blend),
 * and landscape frames.
 * It may call gw_pdf_font (CIDs) and the font module (advances).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gw_arena.h"
#include "gw_pdf_int.h"

/* The largest magnitude a number is written with: PDF readers use 32-bit reals. */
#define PUT_MAX 1e9

/*
 * Append v with at most `digits` (1..4) decimals, no trailing zeros, and a
 * space. The plugin host checks every number a layout or plugin gives, so
 * the display list holds finite values of page size; a value that is not
 * (a bug) is written as 0 or clamped to +-PUT_MAX, never undefined
 * behaviour.
 */
static void put_fixed(struct gw_buf *b, double v, int digits)
{
    /* fixed point by hand: printf("%.3f") was a fifth of a long document's time */
    static const unsigned scale[] = {1, 10, 100, 1000, 10000};
    if (!(v >= -PUT_MAX && v <= PUT_MAX)) /* NaN as well */
        v = v > 0 ? PUT_MAX : v < 0 ? -PUT_MAX : 0;
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
 * Glyph i's code of its own, if it needs one (gw_pdf_int.h). Widths are
 * rounded to 1/8 em and shifts to 1/40 em so a document needs few
 * variants; TJ absorbs the remainder.
 */
static bool variant_of(const struct gw_item *it, int i, double adv, int *width, int *shift)
{
    const struct gw_glyph *g = &it->g[i];
    double natural = adv * 1000.0;
    double want = g->w / it->size * 1000.0;
    double moved = (g->x - g->bx) / it->size * 1000.0;
    int s = (int)(floor(moved / 25.0 + 0.5) * 25.0);
    /* set narrower (a compressed mark) or wider (a digit padded to whole grid cells) */
    bool resized = want <= natural - 100.0 || (want >= natural + 100.0 && want < 4000.0);
    if (!(moved > -1000.0 && moved < 1000.0) || !(want > -1.0)) /* (a NaN: never cast to int) */
        return false;
    if (!resized && s == 0)
        return false;
    int w = resized ? (want > 0 ? (int)(floor(want / 125.0 + 0.5) * 125.0) : 0)
                   : (int)floor(natural + 0.5);
    *width = w == 0 ? 1 : w;
    *shift = s;
    return true;
}

bool gw_pdf_variant(const struct gw_font *font, const struct gw_item *it, int i, int *width,
                    int *shift)
{
    return variant_of(it, i, gw_font_advance(font, it->g[i].gid), width, shift);
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
    /* per glyph: where its code's origin goes (a moved copy's is its box's edge) */
    double origins[256], *org = it->n <= 256 ? origins : gw_xmalloc((size_t)it->n * sizeof(*org));
    for (int i = 0; i < it->n; i++) {
        double nat = gw_font_advance(font, it->g[i].gid), adv = nat;
        int vw, vs;
        org[i] = it->g[i].x;
        if (variant_of(it, i, nat, &vw, &vs)) {
            adv = vw / 1000.0;
            org[i] -= vs / 1000.0 * it->size;
            cid[i] = gw_pdf_font_cid_width(pf, it->g[i].gid, vw, vs);
        } else {
            cid[i] = gw_pdf_font_cid(pf, it->g[i].gid);
        }
        gap[i] = adv; /* its advance, until the gap after it is known */
    }
    for (int i = 0; i + 1 < it->n; i++)
        gap[i] = org[i + 1] - (org[i] + gap[i] * it->size);
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
    put_num(b, org[0]);
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
    if (org != origins)
        free(org);
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

void gw_pdf_name_resources(struct gw_pdf_page *pj)
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

void gw_pdf_page_content(struct gw_pdf_font *const *fonts, const struct gw_pdf_page *pj,
                         const struct gw_dlist *dl, const struct gw_fontset *fs, struct gw_buf *b)
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
            put_text(fonts[it->font], pj->font_names[it->font], it, fs, ph, &ts, b);
        } else if (it->type == GW_ITEM_RULE) {
            put_rule(it, ph, b);
        } else if (it->type == GW_ITEM_IMAGE) {
            /* what HPDF_Page_DrawImage writes: the unit square scaled onto the box */
            gw_buf_adds(b, it->multiply ? "q /" GW_PDF_MULTIPLY " gs\n" : "q\n");
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
