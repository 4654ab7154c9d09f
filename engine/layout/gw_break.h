/*
 * gw_break: Chinese line breaking, punctuation compression and justification.
 *
 * Input is a paragraph already turned into atoms (one per code point, with
 * its natural advance in pt). The breaker decides where lines end and where
 * every atom sits on its line. It knows nothing of fonts or pages.
 *
 * Rules (docs/typesetting.md; format-spec §4, clreq, GB/T 15834 §5.1):
 *   - kinsoku: no closing mark or 点号 at a line start, no opening mark at a
 *     line end (GB style by default; basic and strict selectable);
 *   - unbreakable: —— and ……, numbers with their decimal point, separators,
 *     % ‰ ℃ and 年/月/日, Latin words; breaks inside Latin only at spaces;
 *   - adjacent full-width marks compress (2 em -> 1.5 em); a full-width mark at
 *     a line end takes half an em; lines may shrink further by compressing
 *     marks inside the line before they stretch (with opts.pairs_only, as on
 *     the grid, only marks next to another mark: a lone ， keeps its em);
 *   - justified lines stretch the gaps between atoms evenly, never inside ——
 *     or ……; a paragraph's last line keeps its natural width;
 *   - grid setting (opts.grid, docs/typesetting.md § Grid setting): every
 *     full-width atom takes one cell, a run of narrow atoms (digits, Latin)
 *     keeps its natural width padded to whole cells, a closing mark in the
 *     column after the last hangs past the measure, adjacent marks compress
 *     only when a line must shrink, and slack goes around narrow runs before
 *     it is spread over the line.
 */
#ifndef GW_BREAK_H
#define GW_BREAK_H

#include <stdbool.h>
#include <stdint.h>

enum gw_kinsoku { GW_KINSOKU_BASIC, GW_KINSOKU_GB, GW_KINSOKU_STRICT };

/* How a full-width mark's glyph sits in its em box. */
enum gw_punct {
    GW_PUNCT_NONE,  /* not a compressible mark (or not full width in this font) */
    GW_PUNCT_CLOSE, /* blank on the right: 。，、；：？！ and closing brackets/quotes */
    GW_PUNCT_OPEN,  /* blank on the left: opening brackets/quotes */
    GW_PUNCT_MIDDLE, /* centred, blank on both sides (fonts that centre 。，、) */
};

enum {
    GW_ATOM_SPACE = 1, /* a breakable space: may break after it; vanishes at a line end */
    GW_ATOM_WIDE = 2,  /* a full-width character (takes a grid cell) */
};

struct gw_atom {
    uint32_t cp;   /* the character */
    double adv;    /* natural advance, pt */
    double em;     /* font size, pt (half an em is what compression removes) */
    uint8_t punct; /* enum gw_punct (caller decides from the font's advance) */
    uint8_t flags; /* GW_ATOM_* */
};

struct gw_line {
    int start, end; /* atoms [start, end) */
    double indent;  /* pt before the first atom */
    bool last;      /* the paragraph's last line */
};

/* Punctuation width presets (xeCJK's names). */
enum gw_punct_style {
    GW_PUNCT_QUANJIAO, /* marks 1 em; adjacent marks and line-end marks compress */
    GW_PUNCT_BANJIAO,  /* every mark 0.5 em */
    GW_PUNCT_KAIMING,  /* like banjiao, but 。？！ keep 1 em inside a line */
};

struct gw_break_opts {
    double width;     /* line measure, pt (from the left edge) */
    double indent;    /* first line's start, pt from the left edge */
    double rest_indent; /* the other lines' start (a hanging indent), pt */
    enum gw_kinsoku kinsoku;
    bool justify;     /* stretch/shrink non-final lines to the measure */
    enum gw_punct_style punct;
    bool trim_start;  /* an opening mark at a line start loses its blank half (clreq) */
    double cjk_latin; /* gap between Han and a Latin letter or digit, in em (0 or 0.25) */
    bool avoid_runt;  /* 单字不成行: never end a paragraph with one character (plus marks) */
    bool grid;        /* grid setting (quanjiao only; ignored with the other presets) */
    double cell_per_em; /* grid: a full-width atom's cell, pt per pt of its size */
    bool hang;        /* grid: a closing mark may hang past the measure (it is the block's edge) */
    bool pairs_only;  /* quanjiao: inside a line only adjacent marks compress (table cells) */
};

/* Classification helpers, exported for tests and the layout. */
bool gw_break_no_start(uint32_t cp, enum gw_kinsoku k);
bool gw_break_no_end(uint32_t cp, enum gw_kinsoku k);
/* The compression class a full-width glyph of cp would have (before checking its width). */
enum gw_punct gw_break_punct_class(uint32_t cp);
/*
 * The class for a full-width mark from where its glyph's ink sits in the em
 * box (ink0..ink1, in em): fonts differ (GB fonts put 。，、 at the lower left,
 * some centre them), so the table class is only the fallback when the ink is
 * unknown.
 */
enum gw_punct gw_break_punct_from_ink(uint32_t cp, double ink0, double ink1, double adv);

struct gw_breaker;

/* Prepare to break atoms a[0..n) (a must outlive the breaker). */
struct gw_breaker *gw_breaker_new(const struct gw_atom *a, int n, const struct gw_break_opts *o);
void gw_breaker_free(struct gw_breaker *b);
/* The widest unbreakable stretch (a number, a Latin word, a character): a column's least width. */
double gw_breaker_min_width(const struct gw_breaker *b);

/*
 * Choose the lines. *lines receives a malloc'd array (free() it). Returns the
 * number of lines (>= 1 when n > 0, 0 when n == 0).
 */
int gw_breaker_lines(struct gw_breaker *b, struct gw_line **lines);
/*
 * As gw_breaker_lines, but balanced: the text takes as many lines as at the
 * full measure, set at the narrowest measure that still gives that many
 * (the breaks stay legal: kinsoku, words, numbers). The breaker keeps that
 * measure for gw_breaker_place; gw_breaker_width says what it is.
 */
int gw_breaker_balance(struct gw_breaker *b, struct gw_line **lines);
/* The measure the lines were chosen at (pt). */
double gw_breaker_width(const struct gw_breaker *b);
/*
 * Positions for the atoms of one line: x[i - ln->start] is atom i's glyph
 * origin relative to the line's left edge (after the indent), w[...] its
 * advance as set. Returns the line's set width.
 */
double gw_breaker_place(struct gw_breaker *b, const struct gw_line *ln, double *x, double *w);

#endif /* GW_BREAK_H */
