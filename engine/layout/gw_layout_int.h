/*
 * gw_layout_int.h: what the layout's files share (private to engine/layout;
 * the public API is gw_layout.h).
 *
 * The state of one layout run (struct gw_layout), a paragraph broken into
 * lines (struct gw_para), the prefetcher that breaks body paragraphs ahead
 * (struct gw_prefetch), and the functions the files offer one another,
 * grouped by the file that owns them. Every function here takes the run's
 * state L and may be called from any layout file; none uses Lua, libharu
 * or PCRE2.
 *
 * Vertical model: the text block holds `lines` grid lines of pitch
 * height/lines (22 lines in 225 mm: 28.99 pt). Every body line occupies one
 * grid line; its em box top sits on the grid line's top, so the first line's
 * glyph tops touch the text block's top edge as GB/T 9704 measures it.
 * Horizontal model: a full-width character takes one cell (width/chars: 28
 * cells in 156 mm = 15.79 pt), i.e. its advance is scaled by cell/body_size;
 * other characters keep their natural advance, and justification absorbs the
 * difference.
 */
#ifndef GW_LAYOUT_INT_H
#define GW_LAYOUT_INT_H

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "gw_break.h"
#include "gw_layout.h"

#define GW_ASCENT           0.88 /* em-box top above the baseline, in em (CJK convention) */
#define GW_MAX_MISSING_WARN 50   /* characters without a font warned about one by one */

/* The state of one layout run (a prefetcher's worker has a copy: its view). */
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
    long missing_ahead; /* characters without a font met while looking ahead */
    int lookahead;   /* > 0 while breaking a block only to measure it: no warnings */
    struct gw_frame {
        double left, top, width, height; /* where tables and images go (the text block) */
    } fr;
    bool rotating;                    /* items go into a landscape frame */
    const struct gw_block *ahead_blk; /* the block `ahead` was broken for (keep-with-next) */
    struct gw_para *ahead;            /* reused when that block is laid out */
    struct gw_prefetch *pf;           /* body paragraphs broken ahead on a worker, or NULL */
    struct gw_feed *feed;             /* while laying out a body still being built, else NULL */
    int seq;                          /* the body paragraph being laid out (0-based), or -1 */
    struct gw_layout_job *job;        /* running beside the plugin host (gw_layout_start) */
    unsigned gen;                     /* this layout's number, for the glyph cache */
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
};

/*
 * Body paragraphs broken ahead on another thread (gw_prefetch.c owns it;
 * gw_layout_job.c attaches one late, run on the caller's thread).
 */
struct gw_prefetch {
    const struct gw_block **blk; /* the body paragraphs, in order */
    struct gw_para *res;
    _Atomic int *state;
    int n;
    atomic_int reached; /* the placing thread's position: the helper stays within AHEAD of it */
    atomic_bool stop;
    struct gw_layout shadow; /* the worker's read-only view of the layout (lookahead mode) */
    struct gw_layout mine;   /* the main thread's, for paragraphs it breaks ahead */
    pthread_t thread;
};

/* Top of grid line `line`, pt from the page top. */
static inline double gw_line_top(const struct gw_layout *L, int line)
{
    return L->ps->top + line * L->pitch;
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
                  struct gw_diag *diag, int workers, struct gw_feed *feed,
                  struct gw_layout_job *job, struct gw_dlist *out);

/* --- gw_page.c: pages, items, rules and outline entries --- */

void gw_page_new(struct gw_layout *L);
void gw_page_add(struct gw_layout *L, struct gw_item *it);
struct gw_item *gw_page_rule(struct gw_layout *L, double x0, double x1, double y, double w,
                             uint32_t color);
void gw_page_vrule(struct gw_layout *L, double x, double y0, double y1, double w);
void gw_page_outline(struct gw_layout *L, const char *title);
void gw_page_resume_grid(struct gw_layout *L, double y);

/* --- gw_atoms.c: characters -> breaker atoms (font choice, glyph cache) --- */

unsigned gw_atoms_generation(void);
int gw_atoms_make(struct gw_layout *L, const struct gw_block *blk, struct gw_atom **pa,
                  struct gw_ink **pk);

/* --- gw_para.c: breaking a paragraph, drawing its lines as text items --- */

void gw_para_prepare(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                     double width);
void gw_para_break_in(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                      double width);
void gw_para_break(struct gw_layout *L, const struct gw_block *blk, int seq, struct gw_para *p);
void gw_para_free(struct gw_para *p);
void gw_para_emit(struct gw_layout *L, const struct gw_atom *a, const struct gw_ink *k, int s,
                  int e, const double *x, const double *w, double x0, double baseline);
void gw_para_draw_line(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                       const struct gw_line *ln, double left, double width, double baseline);
struct gw_block gw_para_text_block(const struct gw_text *t, enum gw_align align);
void gw_para_draw_box(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, double x,
                      double width, double top, double lead);

/* --- gw_prefetch.c: breaking body paragraphs ahead on a worker --- */

void gw_prefetch_pause(void);
int gw_prefetch_body_paras(const struct gw_block *first);
struct gw_prefetch *gw_prefetch_new(const struct gw_layout *L, const struct gw_block *first, int n);
void gw_prefetch_run(struct gw_prefetch *pf, int from);
void gw_prefetch_free(struct gw_prefetch *pf);
void gw_prefetch_start(struct gw_layout *L, const struct gw_block *first, int workers);
void gw_prefetch_stop(struct gw_layout *L);
bool gw_prefetch_take(struct gw_layout *L, const struct gw_block *blk, int seq, struct gw_para *p);

/* --- gw_layout_job.c: the layout thread beside the plugin host --- */

struct gw_prefetch *gw_layout_job_attached(struct gw_layout *L);
void gw_layout_job_progress(struct gw_layout *L);
void gw_layout_job_body_start(struct gw_layout *L);
void gw_layout_job_body_end(struct gw_layout *L);

/* --- gw_flow.c: blocks on the grid (paragraphs, keeps, rules, spaces, breaks) --- */

void gw_flow_blocks(struct gw_layout *L, const struct gw_block *first, bool body);

/* --- gw_colophon.c: the 版记 at the foot of the last page --- */

void gw_colophon_layout(struct gw_layout *L, const struct gw_block *first);

/* --- gw_table.c, gw_figure.c: tables and images --- */

void gw_table_layout(struct gw_layout *L, const struct gw_block *blk);
void gw_figure_layout(struct gw_layout *L, const struct gw_block *blk);

/* --- gw_placed.c: text and rules off the grid (masthead, page numbers) --- */

void gw_placed_text(struct gw_layout *L, const struct gw_run *r, double x, double width,
                    enum gw_align align, double top);
void gw_placed_masthead(struct gw_layout *L);
void gw_placed_page_numbers(struct gw_layout *L);

#endif /* GW_LAYOUT_INT_H */
