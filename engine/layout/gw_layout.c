/*
 * gw_layout: page builder (see gw_layout.h).
 *
 * The vertical and horizontal models are described in gw_layout_int.h.
 */
#include "gw_layout_int.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/gw_buf.h"
#include "../util/gw_jobs.h"
#include "../util/gw_utf8.h"
#include "gw_break.h"

/* Put line li of p on the current page at the current grid line. */
static void place_line(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, int li)
{
    const struct gw_line *ln = &p->lines[li];
    gw_para_draw_line(L, blk, p, ln, L->ps->left + ln->indent, L->ps->width - ln->indent,
                      gw_line_top(L, L->line) + GW_ASCENT * p->size);
    L->line += gw_rows_for(L, p->size);
}

/* The block after blk: from the feed while the body is still being built. */
static const struct gw_block *next_block(struct gw_layout *L, const struct gw_block *blk)
{
    return L->feed ? gw_feed_next(L->feed, blk) : blk->next;
}

/* Lines of the next block that a keep_next request refers to (at most want). */
static int next_lines(struct gw_layout *L, const struct gw_block *next, int want)
{
    if (!next || want <= 0)
        return 0;
    if (next->type != GW_BLOCK_PARA)
        return next->type == GW_BLOCK_SPACE ? 0 : 1;
    /* break it now and keep the result for when it is laid out (it is broken only once) */
    if (L->ahead_blk != next) {
        if (L->ahead_blk)
            gw_para_free(L->ahead);
        else if (!L->ahead)
            L->ahead = gw_xcalloc(1, sizeof(*L->ahead));
        gw_para_break(L, next, L->seq >= 0 ? L->seq + 1 : -1, L->ahead);
        L->ahead_blk = next;
    }
    /*
     * The fewest lines the next paragraph can start with on this page: at
     * least `want` and the orphan minimum, and all of it if what would be
     * left for the next page is fewer than the widow minimum.
     */
    int n = L->ahead->nlines;
    int need = want > L->ps->orphan ? want : L->ps->orphan;
    if (need >= n || n - need < L->ps->widow)
        need = n;
    return need;
}

static void layout_para(struct gw_layout *L, const struct gw_block *blk)
{
    struct gw_para p;
    if (L->ahead_blk == blk) {
        p = *L->ahead; /* broken already, when the block before it was kept with it */
        L->ahead_blk = NULL;
    } else {
        gw_para_break(L, blk, L->seq, &p);
    }
    int rows = gw_rows_for(L, p.size);
    int k = p.nlines;
    int keep = blk->keep_next > 0 ? next_lines(L, next_block(L, blk), blk->keep_next) : 0;
    int lines = L->ps->lines;
    /* headings and keep-together blocks move whole; others split by widow/orphan rules */
    for (;;) {
        int room = (lines - L->line) / rows;
        if (k + keep <= room)
            break;
        if (L->line == 0)
            break; /* taller than a page: split anyway */
        if (blk->keep_together || keep > 0) {
            gw_page_new(L);
            continue;
        }
        int first = room;
        if (k - first < L->ps->widow)
            first = k - L->ps->widow;
        if (first >= L->ps->orphan && first > 0)
            break;
        gw_page_new(L);
    }
    if (blk->outline)
        gw_page_outline(L, blk->outline);
    for (int i = 0; i < k; i++) {
        if (L->line + rows > lines)
            gw_page_new(L);
        place_line(L, blk, &p, i);
    }
    gw_para_free(&p);
}

static void layout_rule(struct gw_layout *L, const struct gw_block *blk)
{
    if (L->line >= L->ps->lines + (blk->lines > 0 ? 0 : 1))
        gw_page_new(L);
    gw_page_rule(L, L->ps->left, L->ps->left + L->ps->width,
                 gw_line_top(L, L->line) + (blk->lines > 0 ? L->pitch / 2 : 0), blk->thickness,
                 blk->color);
    L->line += blk->lines > 0;
}

/* Text outside the grid (masthead, page numbers): natural advances, aligned in a box. */
void gw_placed_text(struct gw_layout *L, const struct gw_run *r, double x, double width,
                    enum gw_align align, double top)
{
    struct gw_block blk = {.type = GW_BLOCK_PARA, .runs = (struct gw_run *)r, .nruns = 1};
    struct gw_atom *a;
    struct gw_ink *k;
    int n = gw_atoms_make(L, &blk, &a, &k);
    double *xs = gw_xcalloc((size_t)n * 2 + 1, sizeof(double));
    double *ws = xs + n;
    double pen = 0;
    for (int i = 0; i < n; i++) {
        double adv = k[i].font >= 0 ? gw_font_advance(L->fs->fonts[k[i].font], k[i].gid) * r->size
                                    : a[i].adv;
        xs[i] = pen;
        ws[i] = adv;
        pen += adv;
    }
    if (align == GW_ALIGN_CENTER)
        x += (width - pen) / 2;
    else if (align == GW_ALIGN_RIGHT)
        x += width - pen;
    gw_para_emit(L, a, k, 0, n, xs, ws, x, top + GW_ASCENT * r->size);
    free(xs);
    free(a);
    free(k);
}

void gw_placed_page_numbers(struct gw_layout *L)
{
    const struct gw_page_setup *ps = L->ps;
    if (ps->num_pos == GW_NUM_NONE || !ps->num_format)
        return;
    for (struct gw_page *p = L->dl->first; p; p = p->next) {
        if ((p->number == 1 && !ps->num_first) || p->unnumbered)
            continue;
        struct gw_buf t;
        gw_buf_init(&t);
        gw_buf_printf(&t, ps->num_format, p->number);
        struct gw_run r = {.text = gw_arena_strdup(L->arena, t.data), .len = t.len,
                           .role = ps->num_role, .size = ps->num_size, .color = 0};
        gw_buf_free(&t);
        L->page = p;
        double top = ps->top + ps->height + ps->num_below;
        enum gw_align al = GW_ALIGN_CENTER;
        double x = ps->left, w = ps->width;
        if (ps->num_pos == GW_NUM_OUTER) {
            al = (p->number % 2) ? GW_ALIGN_RIGHT : GW_ALIGN_LEFT;
            x += ps->num_inset;
            w -= 2 * ps->num_inset;
        }
        gw_placed_text(L, &r, x, w, al, top);
    }
}

/* The masthead's items: rules and text the layout places at fixed positions. */
void gw_placed_masthead(struct gw_layout *L)
{
    for (const struct gw_placed *pl = L->ps->placed; pl; pl = pl->next) {
        if (pl->is_rule) {
            struct gw_item *it = gw_arena_alloc(L->arena, sizeof(*it));
            it->type = GW_ITEM_RULE;
            it->x0 = pl->x;
            it->x1 = pl->x + pl->width;
            it->y = pl->y;
            it->thickness = pl->thickness;
            it->color = pl->color;
            gw_page_add(L, it);
        } else {
            gw_placed_text(L, &pl->run, pl->x, pl->width, pl->align, pl->y);
        }
    }
}

/*
 * Lay out a chain of blocks: the body (numbering its paragraphs, and taking
 * blocks from L->feed when there is one) or the colophon.
 */
void gw_flow_blocks(struct gw_layout *L, const struct gw_block *first, bool body)
{
    int seq = 0;
    for (const struct gw_block *blk = first; blk; blk = next_block(L, blk)) {
        switch (blk->type) {
        case GW_BLOCK_PARA:
            L->seq = body ? seq++ : -1;
            gw_layout_job_progress(L);
            layout_para(L, blk);
            break;
        case GW_BLOCK_TABLE:
            gw_table_layout(L, blk);
            break;
        case GW_BLOCK_IMAGE:
            gw_figure_layout(L, blk);
            break;
        case GW_BLOCK_SPACE:
            if (L->line > 0)
                L->line += (int)ceil(blk->lines - 1e-9);
            if (L->line >= L->ps->lines)
                gw_page_new(L);
            break;
        case GW_BLOCK_RULE:
            layout_rule(L, blk);
            break;
        case GW_BLOCK_PAGEBREAK:
            if (L->line > 0)
                gw_page_new(L);
            break;
        }
    }
}

/*
 * The 版记 (colophon) sits at the bottom of the last page: its last line
 * ends on the text block's bottom edge, where a boundary rule (lines 0) lands
 * exactly on the edge (GB/T 9704 §7.4.1). It moves to a new page if the last
 * page has no room.
 */
void gw_colophon_layout(struct gw_layout *L, const struct gw_block *first)
{
    int need = 0;
    for (const struct gw_block *blk = first; blk; blk = blk->next) {
        if (blk->type == GW_BLOCK_PARA) {
            struct gw_para p;
            L->lookahead++;
            gw_para_break(L, blk, -1, &p);
            L->lookahead--;
            need += p.nlines * gw_rows_for(L, p.size);
            gw_para_free(&p);
        } else if (blk->type == GW_BLOCK_RULE || blk->type == GW_BLOCK_SPACE) {
            need += (int)ceil(blk->lines - 1e-9);
        }
    }
    if (need > L->ps->lines)
        need = L->ps->lines;
    if (L->line + need > L->ps->lines)
        gw_page_new(L);
    if (L->ps->colophon_even && L->page->number % 2) {
        /*
         * Move to the next (even) page. If this odd page is empty it stays as
         * a blank page, and then neither it nor the 版记 page is numbered
         * (GB/T 9704 §7.5).
         */
        bool blank = L->page->first == NULL;
        L->page->unnumbered = blank;
        gw_page_new(L);
        L->page->unnumbered = blank;
    }
    L->line = L->ps->lines - need;
    gw_flow_blocks(L, first, false);
}

/*
 * The whole layout: masthead items, the body (from feed while it is being
 * built, else from b->first), the colophon, page numbers.
 */
int gw_layout_doc(const struct gw_build *b, struct gw_fontset *fs, struct gw_arena *arena,
                  struct gw_diag *diag, int workers, struct gw_feed *feed,
                  struct gw_layout_job *job, struct gw_dlist *out)
{
    memset(out, 0, sizeof(*out));
    struct gw_layout L = {.ps = &b->setup,
                          .fs = fs,
                          .arena = arena,
                          .diag = diag,
                          .dl = out,
                          .seq = -1,
                          .job = job,
                          .gen = gw_atoms_generation()};
    const struct gw_page_setup *ps = &b->setup;
    if (ps->lines <= 0 || ps->chars <= 0 || ps->width <= 0 || ps->height <= 0) {
        gw_diag_error(diag, gw_span_file(NULL), "layout has an empty text block or grid");
        return -1;
    }
    out->page_w = ps->page_w;
    out->page_h = ps->page_h;
    out->left = ps->left;
    out->top = ps->top;
    out->width = ps->width;
    out->height = ps->height;
    out->meta = b->meta;
    L.pitch = ps->height / ps->lines;
    L.cell = ps->width / ps->chars;
    gw_page_new(&L);
    gw_placed_masthead(&L);
    L.line = ps->first_line;
    bool whole = true; /* false: the host failed, and there is nothing to finish */
    if (feed) {
        gw_layout_job_body_start(&L);
        L.feed = feed;
        gw_flow_blocks(&L, gw_feed_next(feed, NULL), true);
        L.feed = NULL;
        gw_layout_job_body_end(&L);
        whole = gw_feed_wait_closed(feed);
    } else {
        gw_prefetch_start(&L, b->first, workers);
        gw_flow_blocks(&L, b->first, true);
        gw_prefetch_stop(&L);
    }
    if (whole && b->colophon)
        gw_colophon_layout(&L, b->colophon);
    if (L.ahead_blk)
        gw_para_free(L.ahead);
    free(L.ahead);
    if (!whole)
        return -1;
    gw_placed_page_numbers(&L);
    out->missing_glyphs = L.missing;
    if (L.missing > GW_MAX_MISSING_WARN)
        gw_diag_warning(diag, gw_span_file(NULL), "%ld characters in all have no font",
                        L.missing);
    return 0;
}

int gw_layout_run(const struct gw_build *b, struct gw_fontset *fs, struct gw_arena *arena,
                  struct gw_diag *diag, int workers, struct gw_dlist *out)
{
    return gw_layout_doc(b, fs, arena, diag, workers, NULL, NULL, out);
}
