/*
 * gw_foot.c: footnotes at the foot of the page (layout stage).
 *
 * Owns the notes out:footnote makes (GW_BLOCK_FOOTNOTE): each is broken
 * into lines at once and its lines wait in a queue; the grid rows they take
 * are reserved at the bottom of the page where the block before the note
 * ends, so the body on that page ends above them (gw_body_lines). When the
 * page is finished (gw_page_new, the 版记, the end of the body) the reserved
 * lines are drawn there, in order, under a short thin rule. Lines that do not
 * fit (a note longer than the room left) carry over to the foot of the next
 * page (at most half of it while the body goes on), and on as far as they
 * need: no line is ever dropped. gw_flow.c asks
 * gw_foot_need how much room a paragraph's notes must find under its last
 * line (the paragraph's end moves to the next page with them otherwise).
 * Calls gw_para.c and gw_page.c; see docs/typesetting.md § Footnotes.
 */
#include <stdlib.h>

#include "gw_layout_int.h"

#define FOOT_RULE_SHARE 0.25 /* the rule above the notes: this share of the text width */
#define FOOT_RULE_WIDTH 0.5  /* and this thick, pt */

/* One line of a note, waiting for its page. */
struct gw_foot_line {
    const struct gw_block *blk; /* the note */
    struct gw_para *p;          /* its lines (freed with its last line) */
    int li;                     /* which line */
    int rows;                   /* grid rows it takes */
};

/* Break a note at the text block's width (measuring only: no warnings if lookahead). */
static struct gw_para *break_note(struct gw_layout *L, const struct gw_block *blk)
{
    struct gw_para *p = gw_xcalloc(1, sizeof(*p));
    gw_para_break(L, blk, p);
    return p;
}

/*
 * Rows a run of notes following a paragraph must find under its last line:
 * all of them if they take at most half a page (a short note is never
 * split from its anchor), else the first line of the first (a long note
 * starts under its anchor and continues on the next pages).
 */
int gw_foot_need(struct gw_layout *L, const struct gw_block *next,
                 const struct gw_block *(*after)(struct gw_layout *, const struct gw_block *))
{
    int rows = 0, first = 0;
    L->lookahead++;
    for (const struct gw_block *b = next; b && b->type == GW_BLOCK_FOOTNOTE; b = after(L, b)) {
        struct gw_para *p = break_note(L, b);
        int r = gw_rows_for(L, p->size);
        if (!first && p->nlines)
            first = r;
        rows += p->nlines * r;
        gw_para_free(p);
        free(p);
        if (rows > L->ps->lines / 2)
            break;
    }
    L->lookahead--;
    return rows <= L->ps->lines / 2 ? rows : first;
}

/*
 * Reserve queued lines (from the first not yet reserved, in order) while
 * they fit in `room` rows; at least one if `force` (a fresh page: every
 * page takes a line, so a note taller than any page still ends).
 */
static void reserve(struct gw_layout *L, int room, bool force)
{
    while (L->foot_res < L->nfoot) {
        int r = L->foot[L->foot_res].rows;
        if (r > room - L->foot_rows && !(force && L->foot_res == 0))
            break;
        L->foot_rows += r;
        L->foot_res++;
    }
}

/* A note block: its lines queued, as many reserved on this page as fit below the body. */
void gw_foot_add(struct gw_layout *L, const struct gw_block *blk)
{
    struct gw_para *p = break_note(L, blk);
    if (p->nlines == 0) {
        gw_para_free(p);
        free(p);
        return;
    }
    if (L->nfoot + p->nlines > L->capfoot) {
        L->capfoot = (L->nfoot + p->nlines) * 2;
        L->foot = gw_xrealloc(L->foot, (size_t)L->capfoot * sizeof(*L->foot));
    }
    int rows = gw_rows_for(L, p->size);
    for (int i = 0; i < p->nlines; i++)
        L->foot[L->nfoot++] = (struct gw_foot_line){blk, p, i, rows};
    if (!L->page->landscape && !L->rotating) {
        int used = L->line < L->ps->lines ? L->line : L->ps->lines;
        reserve(L, L->ps->lines - used, false);
    }
}

/*
 * The page is finished: draw its reserved note lines at its foot (above
 * the `foot_base` rows the 版记 keeps), the rule above them, and drop them
 * from the queue.
 */
void gw_foot_page_end(struct gw_layout *L)
{
    if (L->foot_res == 0)
        return;
    int row = L->ps->lines - L->foot_base - L->foot_rows;
    if (row < 0)
        row = 0; /* (a line taller than the page: drawn from the top) */
    double top = gw_line_top(L, row);
    double gap = L->pitch - L->ps->body_size; /* below the em box of the row above */
    double y = top - (gap > 0 ? gap / 2 : L->pitch / 4);
    gw_page_rule(L, L->ps->left, L->ps->left + L->ps->width * FOOT_RULE_SHARE, y,
                 FOOT_RULE_WIDTH, 0);
    for (int i = 0; i < L->foot_res; i++) {
        struct gw_foot_line *f = &L->foot[i];
        gw_para_place(L, f->blk, f->p, f->li, gw_line_top(L, row));
        row += f->rows;
        if (f->li == f->p->nlines - 1) {
            gw_para_free(f->p);
            free(f->p);
        }
    }
    L->nfoot -= L->foot_res;
    for (int i = 0; i < L->nfoot; i++)
        L->foot[i] = L->foot[i + L->foot_res];
    L->foot_res = 0;
    L->foot_rows = 0;
}

/*
 * A new page: the lines carried over take its foot first (not on a
 * landscape page), at most half the page while the body goes on, so that a
 * very long note runs beside the body instead of pushing it pages on (TeX's
 * \dimen\footins); whole pages once the body is done (gw_foot_finish).
 */
void gw_foot_page_start(struct gw_layout *L)
{
    L->foot_res = 0;
    L->foot_rows = 0;
    int room = L->foot_fill ? L->ps->lines - L->foot_base : L->ps->lines / 2;
    if (L->nfoot > 0 && !L->rotating)
        reserve(L, room, true);
}

/*
 * Set every note still waiting: on the current page, and on as many new
 * pages as the lines carried over need (their feet above L->foot_base rows).
 */
void gw_foot_finish(struct gw_layout *L)
{
    L->foot_fill = true;
    while (L->nfoot > L->foot_res)
        gw_page_new(L); /* draws this page's notes; the next page reserves the rest */
    gw_foot_page_end(L);
    L->foot_fill = false;
}

/* Free what the queue still holds (a layout that stopped early). */
void gw_foot_free(struct gw_layout *L)
{
    for (int i = 0; i < L->nfoot; i++)
        if (L->foot[i].li == L->foot[i].p->nlines - 1) {
            gw_para_free(L->foot[i].p);
            free(L->foot[i].p);
        }
    free(L->foot);
    L->foot = NULL;
    L->nfoot = L->capfoot = L->foot_res = L->foot_rows = 0;
}
