/*
 * gw_layout_int.h: what the layout's files share (private to engine/layout;
 * the public API is gw_layout.h).
 *
 * The state of one layout run (struct gw_layout), a paragraph broken into
 * lines (struct gw_para), and the functions the files offer one another,
 * grouped by the file that owns them. Every function here takes the run's
 * state L and may be called from any layout file; none uses Lua, libharu
 * or PCRE2.
 *
 * Vertical model: the text block holds `lines` grid lines of pitch
 * height/lines (22 lines in 225 mm: 28.99 pt). Every body line occupies one
 * grid line; its em box top sits on the grid line's top, so the first line's
 * glyph tops touch the text block's top edge as GB/T 9704 measures it. A
 * line larger than the grid's size takes whole grid lines (gw_rows_for) and
 * is centred in them (gw_line_offset).
 * Horizontal model: a full-width character takes one cell (width/chars: 28
 * cells in 156 mm = 15.79 pt), i.e. its advance is scaled by cell/body_size;
 * other characters keep their natural advance, and justification absorbs the
 * difference.
 */
#ifndef GW_LAYOUT_INT_H
#define GW_LAYOUT_INT_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "gw_break.h"
#include "gw_layout.h"

#define GW_ASCENT           0.88 /* em-box top above the baseline, in em (CJK convention) */
#define GW_MAX_MISSING_WARN 50   /* characters without a font warned about one by one */
#define GW_MAX_LABEL_CHARS  1000 /* the longest bookmark or document information entry */

/* The state of one layout run. */
struct gw_layout {
    const struct gw_page_setup *ps;
    struct gw_fontset *fs;
    struct gw_arena *arena;
    struct gw_diag *diag;
    struct gw_dlist *dl;
    double pitch, cell;
    struct gw_page *page;
    int line;        /* next free grid line on page */
    long missing;
    int lookahead;   /* > 0 while breaking a block only to measure it: no warnings */
    struct gw_frame {
        double left, top, width, height; /* where tables and images go (the text block) */
    } fr;
    bool rotating;                    /* items go into a landscape frame */
    const struct gw_block *ahead_blk; /* the block `ahead` was broken for (keep-with-next) */
    struct gw_para *ahead;            /* reused when that block is laid out */
    struct gw_feed *feed;             /* while laying out a body still being built, else NULL */
    unsigned gen;                     /* this layout's number, for the glyph cache */
    /* footnotes (gw_foot.c) */
    struct gw_foot_line *foot;        /* note lines not yet drawn, in order */
    int nfoot, capfoot;
    int foot_res;                     /* the first foot_res of them go at this page's foot */
    int foot_rows;                    /* the grid rows those take */
    int foot_base;                    /* rows under the notes kept free (the 版记's) */
    bool foot_fill;                   /* the body is done: carried notes may fill whole pages */
    /* 首页必须显示正文 (gw_flow.c) */
    bool any_text, text_on_first;     /* the text proper was laid out, some of it on page 1 */
    const struct gw_block *first_last; /* the last other block with a line on page 1 */
    /* a page whose lines were set closer to keep a 落款 with the text (gw_squeeze.c) */
    int row0;                         /* the page's first row of text (page 1: below the 主送) */
    int sq_row;                       /* rows from this one on are sq_pitch apart... */
    double sq_pitch;                  /* ...(0: the page is on the grid) */
    int sq_extra;                     /* rows the page holds beyond the grid's */
};

/* One atom's drawing data, parallel to the breaker's atoms. */
struct gw_ink {
    int font;        /* -1: nothing to draw (space) */
    uint32_t gid;
    const struct gw_run *run;
};

/* A paragraph's atoms, its breaker and (once broken) its lines. */
struct gw_para {
    struct gw_atom *a;
    struct gw_ink *k;
    int n;
    struct gw_line *lines;
    int nlines;
    struct gw_breaker *br;
    struct gw_break_opts o;
    double size;
    double measure; /* pt from the box's left edge to where lines end (before any balancing) */
};

/* Top of grid line `line`, pt from the page top. */
static inline double gw_line_top(const struct gw_layout *L, int line)
{
    if (L->sq_pitch > 0 && line > L->sq_row)
        return L->ps->top + L->sq_row * L->pitch + (line - L->sq_row) * L->sq_pitch;
    return L->ps->top + line * L->pitch;
}

/* Grid lines of the current page the body may use: those above its footnotes. */
static inline int gw_body_lines(const struct gw_layout *L)
{
    return L->ps->lines + L->sq_extra - L->foot_rows;
}

/*
 * Where a line of size pt sits in the grid lines it takes from `line` on:
 * pt below the first one's top. A line no larger than the grid's size sits
 * on that top, as body text does; a larger one is centred where a body line
 * of the same rows would be centred, so it has as much room above as below
 * (a 22 pt headline: 10 pt on each side on a 28.99 pt pitch), except on a
 * page's first grid line, where it stays inside the text block.
 */
static inline double gw_line_offset(const struct gw_layout *L, double size, int rows, int line)
{
    if (size <= L->ps->body_size)
        return 0;
    double off = ((rows - 1) * L->pitch + L->ps->body_size - size) / 2;
    return line == 0 && off < 0 ? 0 : off;
}

/* Where the body must end on the current page (pt from the page top): above its footnotes. */
static inline double gw_body_bottom(const struct gw_layout *L)
{
    return L->foot_rows ? gw_line_top(L, gw_body_lines(L)) : L->ps->top + L->ps->height;
}

/* Rows a line of this size needs on the grid. */
static inline int gw_rows_for(const struct gw_layout *L, double size)
{
    int rows = (int)ceil(size * 1.15 / L->pitch - 1e-9);
    return rows < 1 ? 1 : rows;
}

/* --- gw_layout.c: the whole run --- */

/* Masthead, body (from feed, or b->first), colophon, page numbers into out; 0 or -1. */
int gw_layout_doc(const struct gw_build *b, struct gw_fontset *fs, struct gw_arena *arena,
                  struct gw_diag *diag, struct gw_feed *feed, struct gw_dlist *out);

/* --- gw_page.c: pages, items, rules and outline entries --- */

/* A new page, which becomes the current one (grid line 0). */
void gw_page_new(struct gw_layout *L);
/* Add it to the current page. */
void gw_page_add(struct gw_layout *L, struct gw_item *it);
/* A horizontal rule from x0 to x1 at y (its centre), w pt thick. */
struct gw_item *gw_page_rule(struct gw_layout *L, double x0, double x1, double y, double w,
                             uint32_t color);
/* A vertical rule at x from y0 down to y1. */
void gw_page_vrule(struct gw_layout *L, double x, double y0, double y1, double w);
/* s, or its first GW_MAX_LABEL_CHARS characters and "…" (a bookmark, document information). */
const char *gw_page_label(struct gw_layout *L, const char *s);
/* An outline entry for title (cut by gw_page_label) at the current grid line. */
void gw_page_outline(struct gw_layout *L, const char *title);
/* Continue on the first grid line at or below y (after a table or image). */
void gw_page_resume_grid(struct gw_layout *L, double y);

/* --- gw_atoms.c: characters -> breaker atoms (font choice, glyph cache) --- */

/* A number for a new layout (its glyph cache entries). */
unsigned gw_atoms_generation(void);
/* The atoms of blk for the breaker, with drawing data (both malloc'd); their count. */
int gw_atoms_make(struct gw_layout *L, const struct gw_block *blk, struct gw_atom **pa,
                  struct gw_ink **pk);

/* --- gw_para.c: breaking a paragraph, drawing its lines as text items --- */

/* Atoms and a breaker for blk in lines of width, lines not chosen. */
void gw_para_prepare(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                     double width);
/* Prepared and broken into lines of width, on this thread. */
void gw_para_break_in(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                      double width);
/* Broken at the text block's width. */
void gw_para_break(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p);
/* Free what p holds. */
void gw_para_free(struct gw_para *p);
/* Atoms [s, e) as text items at x0 + x[i] on baseline. */
void gw_para_emit(struct gw_layout *L, const struct gw_atom *a, const struct gw_ink *k, int s,
                  int e, const double *x, const double *w, double x0, double baseline);
/* Line li of p in the text block, its em box top at top (indents and alignment applied). */
void gw_para_place(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, int li,
                   double top);
/* Line ln of p, aligned as blk asks in [left, left + width). */
void gw_para_draw_line(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                       const struct gw_line *ln, double left, double width, double baseline);
/* A text (cell, caption) as a block to break. */
struct gw_block gw_para_text_block(const struct gw_text *t, enum gw_align align);
/* All of p's lines from top, lead apart, in [x, x + width). */
void gw_para_draw_box(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, double x,
                      double width, double top, double lead);

/* --- gw_flow.c: blocks on the grid (paragraphs, keeps, rules, spaces, breaks) --- */

/* Lay out a chain of blocks: the body (from L->feed when there is one) or the colophon. */
void gw_flow_blocks(struct gw_layout *L, const struct gw_block *first);
/* Page 1 shows none of the text, which the layout requires: report it (true). */
bool gw_flow_first_page_empty(struct gw_layout *L);

/* --- gw_foot.c: footnotes at the foot of their page --- */

/*
 * Rows the run of notes starting at next (the blocks after a paragraph;
 * `after` walks on) must find under the paragraph's last line: all of them
 * if they take at most half a page, else the first line (0: no notes).
 */
int gw_foot_need(struct gw_layout *L, const struct gw_block *next,
                 const struct gw_block *(*after)(struct gw_layout *, const struct gw_block *));
/* A note block: queued, as much of it reserved at this page's foot as fits below the body. */
void gw_foot_add(struct gw_layout *L, const struct gw_block *blk);
/* The page is finished: its reserved note lines drawn at its foot under the rule. */
void gw_foot_page_end(struct gw_layout *L);
/* A new page: lines carried over reserved at its foot first. */
void gw_foot_page_start(struct gw_layout *L);
/* Every waiting note set: on this page and as many new ones as they need. */
void gw_foot_finish(struct gw_layout *L);
/* Free the queue (a layout that stopped early, or done). */
void gw_foot_free(struct gw_layout *L);

/* --- gw_squeeze.c: GB/T 9704 §7.3.5.5, a page's lines set closer --- */

/*
 * The current page's body rows set closer, from its first body row on, so
 * that it holds `extra` rows more: true, or false (nothing changed) when the
 * pitch would fall below min (a share of the grid's), the page holds notes,
 * a float or a landscape frame, or no body line yet, or was squeezed already.
 */
bool gw_squeeze_page(struct gw_layout *L, int extra, double min);
/*
 * When that fails: the current page's last `rows` rows of text go to a new
 * page, which becomes the current one, with the rows after them (true); false
 * (nothing changed) when they are not all text lines, the page would keep no
 * body line, or it holds notes or a landscape frame.
 */
bool gw_squeeze_carry(struct gw_layout *L, int rows);
/* A new page: back on the grid. */
void gw_squeeze_reset(struct gw_layout *L);

/* --- gw_colophon.c: the 版记 at the foot of the last page --- */

/* The colophon's blocks, ending on the last page's text block bottom. */
void gw_colophon_layout(struct gw_layout *L, const struct gw_block *first);

/* --- gw_table.c, gw_figure.c: tables and images --- */

/* A table block (perhaps in a landscape frame). */
void gw_table_layout(struct gw_layout *L, const struct gw_block *blk);
/* An image block with its caption. */
void gw_figure_layout(struct gw_layout *L, const struct gw_block *blk);

/* --- gw_placed.c: text and rules off the grid (masthead, page numbers) --- */

/* A run with natural advances, aligned in [x, x + width), its em box top at top. */
void gw_placed_text(struct gw_layout *L, const struct gw_run *r, double x, double width,
                    enum gw_align align, double top);
/* The page setup's placed items, on the current (first) page. */
void gw_placed_masthead(struct gw_layout *L);
/* Page numbers on every page that carries one. */
void gw_placed_page_numbers(struct gw_layout *L);

#endif /* GW_LAYOUT_INT_H */
