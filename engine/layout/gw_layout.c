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

void gw_page_new(struct gw_layout *L)
{
    struct gw_page *p = gw_arena_alloc(L->arena, sizeof(*p));
    p->number = ++L->dl->npages;
    if (L->dl->last)
        L->dl->last->next = p;
    else
        L->dl->first = p;
    L->dl->last = p;
    L->page = p;
    L->line = 0;
    p->landscape = L->rotating;
}

void gw_page_add(struct gw_layout *L, struct gw_item *it)
{
    it->rotated = L->rotating;
    if (L->page->last)
        L->page->last->next = it;
    else
        L->page->first = it;
    L->page->last = it;
}

/*
 * Pick the font and glyph for cp in run r; warn (with position) if none has
 * it (*found false). Latin letters and digits use the layout's Latin role
 * when it has one; CJK punctuation always stays with the run's (CJK) role.
 */
static int pick(struct gw_layout *L, const struct gw_run *r, uint32_t cp, int col, uint32_t *gid,
                bool *found)
{
    int f = -1;
    *found = true;
    if (L->ps->latin_role >= 0 && cp < 0x250 && cp > 0x20)
        f = gw_fontset_pick_own(L->fs, L->ps->latin_role, cp, gid); /* else the run's */
    if (f < 0)
        f = gw_fontset_pick(L->fs, r->role, cp, gid);
    if (f >= 0)
        return f;
    *found = false;
    if (L->lookahead) {
        L->missing_ahead++;
        *gid = 0;
        return gw_fontset_primary(L->fs, r->role);
    }
    L->missing++;
    if (L->missing <= GW_MAX_MISSING_WARN) {
        char utf[5] = {0};
        gw_utf8_encode(cp, utf);
        struct gw_span at = r->src;
        if (at.col > 0)
            at.col += col;
        gw_diag_warning(L->diag, at, "no font has %s (U+%04X); it is drawn as a missing-glyph box",
                        utf, (unsigned)cp);
    }
    *gid = 0;
    return gw_fontset_primary(L->fs, r->role);
}

/*
 * What gw_atoms_make needs to know of a character drawn in a role: its font,
 * glyph and advance (em), and for a full-width one its mark class. Finding
 * them takes a font lookup per font in the role's chain, an advance and,
 * for marks, the ink extent; Chinese text uses a few hundred characters
 * thousands of times, so each thread keeps the answers for the layout it
 * is working on (a character no font has is never kept: it is warned about
 * where it occurs).
 */
struct glyph_info {
    unsigned gen; /* the layout it belongs to (0: empty) */
    uint32_t cp;
    int role;
    int font;
    uint32_t gid;
    double adv;
    uint8_t punct;
};

#define GLYPH_CACHE 1024 /* entries, a power of two */

static _Thread_local struct glyph_info glyph_cache[GLYPH_CACHE];
static atomic_uint layout_gen = 1;

/* A number for a new layout, told apart from every other in the glyph cache. */
unsigned gw_atoms_generation(void)
{
    return atomic_fetch_add(&layout_gen, 1);
}

static const struct glyph_info *glyph_info(struct gw_layout *L, const struct gw_run *run,
                                           uint32_t cp, int col, struct glyph_info *scratch)
{
    struct glyph_info *g = &glyph_cache[(cp ^ ((uint32_t)run->role << 5)) & (GLYPH_CACHE - 1)];
    if (g->gen == L->gen && g->cp == cp && g->role == run->role)
        return g;
    bool found;
    struct glyph_info n = {.gen = L->gen, .cp = cp, .role = run->role};
    n.font = pick(L, run, cp, col, &n.gid, &found);
    n.adv = n.font >= 0 ? gw_font_advance(L->fs->fonts[n.font], n.gid) : 1;
    if (n.adv >= 0.9) {
        double x0, x1;
        enum gw_punct cls = gw_break_punct_class(cp);
        if (cls != GW_PUNCT_NONE && n.font >= 0 &&
            gw_font_ink(L->fs->fonts[n.font], n.gid, &x0, &x1))
            cls = gw_break_punct_from_ink(cp, x0, x1, n.adv);
        n.punct = (uint8_t)cls;
    }
    g = found ? g : scratch;
    *g = n;
    return g;
}

/* Turn the runs of a paragraph into breaker atoms plus drawing data. */
int gw_atoms_make(struct gw_layout *L, const struct gw_block *blk, struct gw_atom **pa,
                  struct gw_ink **pk)
{
    size_t cap = 0;
    for (int r = 0; r < blk->nruns; r++)
        cap += blk->runs[r].len;
    /* cap counts bytes, up to 3x the characters: not zeroed, each atom is set below */
    struct gw_atom *a = gw_xmalloc((cap + 1) * sizeof(*a));
    struct gw_ink *k = gw_xmalloc((cap + 1) * sizeof(*k));
    int n = 0;
    double scale = L->cell / L->ps->body_size;
    for (int r = 0; r < blk->nruns; r++) {
        const struct gw_run *run = &blk->runs[r];
        size_t i = 0;
        int col = 0;
        while (i < run->len) {
            int32_t cp = gw_utf8_next(run->text, run->len, &i);
            if (cp < 0)
                continue;
            struct gw_atom *at = &a[n];
            struct gw_ink *ik = &k[n];
            *at = (struct gw_atom){0};
            *ik = (struct gw_ink){0};
            at->cp = (uint32_t)cp;
            at->em = run->size;
            ik->run = run;
            ik->font = -1;
            if (cp == ' ' || cp == '\t') {
                uint32_t gid;
                int f = gw_fontset_pick(L->fs, run->role, ' ', &gid);
                at->adv = f >= 0 ? gw_font_advance(L->fs->fonts[f], gid) * run->size
                                 : run->size * 0.3;
                at->flags = GW_ATOM_SPACE;
                at->cp = ' ';
                ik->font = f; /* drawn, so text extraction keeps the space */
                ik->gid = gid;
            } else if (cp == 0x3000) {
                at->adv = run->size * scale;
                at->flags = GW_ATOM_WIDE;
            } else if (cp < 0x20 || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 ||
                       cp == 0xFEFF || (cp >= 0x202A && cp <= 0x202E)) {
                col++;
                continue; /* controls, zero-width and bidi marks take no room */
            } else {
                struct glyph_info scratch;
                const struct glyph_info *g = glyph_info(L, run, (uint32_t)cp, col, &scratch);
                ik->font = g->font;
                ik->gid = g->gid;
                if (g->adv >= 0.9) {
                    at->flags = GW_ATOM_WIDE;
                    at->adv = g->adv * run->size * scale;
                    at->punct = g->punct;
                } else {
                    at->adv = g->adv * run->size;
                }
            }
            col++;
            n++;
        }
    }
    a[n] = (struct gw_atom){0};
    k[n] = (struct gw_ink){0};
    *pa = a;
    *pk = k;
    return n;
}

/* Emit the atoms [s, e) of a line as text items (one per font/size/colour/bold stretch). */
void gw_para_emit(struct gw_layout *L, const struct gw_atom *a, const struct gw_ink *k, int s,
                  int e, const double *x, const double *w, double x0, double baseline)
{
    /* trailing spaces are not drawn */
    while (e > s && (a[e - 1].flags & GW_ATOM_SPACE))
        e--;
    int i = s;
    while (i < e) {
        if (k[i].font < 0) {
            i++;
            continue;
        }
        const struct gw_run *r = k[i].run;
        int j = i;
        while (j < e && (k[j].font < 0 || (k[j].font == k[i].font && k[j].run->size == r->size &&
                                            k[j].run->color == r->color &&
                                            k[j].run->bold == r->bold &&
                                            k[j].run->italic == r->italic)))
            j++;
        int cnt = 0;
        for (int t = i; t < j; t++)
            cnt += k[t].font >= 0;
        struct gw_item *it = gw_arena_alloc(L->arena, sizeof(*it));
        it->type = GW_ITEM_TEXT;
        it->font = k[i].font;
        it->size = r->size;
        it->bold = r->bold;
        it->italic = r->italic;
        it->color = r->color;
        it->y = baseline;
        it->src = r->src;
        it->g = gw_arena_array(L->arena, (size_t)cnt, sizeof(*it->g));
        for (int t = i; t < j; t++) {
            if (k[t].font < 0)
                continue;
            /*
             * The advance the PDF gives this glyph: its set width, but never
             * past the next glyph's origin (a following mark drawn half an em
             * to the left would otherwise overlap its box in text extraction).
             */
            double adv = w[t - s];
            if (t + 1 < e && x[t + 1 - s] - x[t - s] < adv)
                adv = x[t + 1 - s] - x[t - s];
            it->g[it->n++] = (struct gw_glyph){k[t].gid, a[t].cp, x0 + x[t - s], adv};
        }
        gw_page_add(L, it);
        i = j;
    }
}

/* The atoms of blk and a breaker for them, lines not yet chosen. */
void gw_para_prepare(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                     double width)
{
    p->lines = NULL;
    p->nlines = 0;
    p->n = gw_atoms_make(L, blk, &p->a, &p->k);
    p->size = blk->nruns ? blk->runs[0].size : L->ps->body_size;
    p->o = (struct gw_break_opts){
        .width = width,
        .indent = blk->indent * L->cell * (p->size / L->ps->body_size),
        .kinsoku = (enum gw_kinsoku)L->ps->kinsoku,
        .justify = blk->align == GW_ALIGN_JUSTIFY,
        .punct = (enum gw_punct_style)L->ps->punct_style,
        .trim_start = L->ps->trim_start,
        .cjk_latin = L->ps->cjk_latin,
        .avoid_runt = L->ps->avoid_runt && blk->align == GW_ALIGN_JUSTIFY,
    };
    p->br = gw_breaker_new(p->a, p->n, &p->o);
}

void gw_para_break_in(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                      double width)
{
    gw_para_prepare(L, blk, p, width);
    p->nlines = gw_breaker_lines(p->br, &p->lines);
}

void gw_para_free(struct gw_para *p)
{
    gw_breaker_free(p->br);
    free(p->lines);
    free(p->a);
    free(p->k);
}

/* Break blk, body paragraph seq (-1: not one), into p. */
void gw_para_break(struct gw_layout *L, const struct gw_block *blk, int seq, struct gw_para *p)
{
    if (!gw_prefetch_take(L, blk, seq, p))
        gw_para_break_in(L, blk, p, L->ps->width);
}

/* Draw line ln of p in the box [left, left + width), aligned as blk asks. */
void gw_para_draw_line(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                       const struct gw_line *ln, double left, double width, double baseline)
{
    int cnt = ln->end - ln->start;
    double buf[2 * 128 + 1]; /* a grid line holds 28 characters; a long Latin line, more */
    double *x = cnt <= 128 ? buf : gw_xmalloc(((size_t)cnt * 2 + 1) * sizeof(double));
    double *w = x + cnt; /* gw_breaker_place sets both for every atom of the line */
    double set = gw_breaker_place(p->br, ln, x, w);
    if (blk->align == GW_ALIGN_CENTER)
        left += (width - set) / 2;
    else if (blk->align == GW_ALIGN_RIGHT)
        left += width - set;
    gw_para_emit(L, p->a, p->k, ln->start, ln->end, x, w, left, baseline);
    if (x != buf)
        free(x);
}

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

void gw_page_outline(struct gw_layout *L, const char *title)
{
    struct gw_outline *o = gw_arena_alloc(L->arena, sizeof(*o));
    o->title = title;
    o->page = L->page->number;
    o->y = gw_line_top(L, L->line);
    if (L->dl->outlines_last)
        L->dl->outlines_last->next = o;
    else
        L->dl->outlines = o;
    L->dl->outlines_last = o;
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

/* A horizontal rule from x0 to x1 at y (its centre), w pt thick. */
struct gw_item *gw_page_rule(struct gw_layout *L, double x0, double x1, double y, double w,
                             uint32_t color)
{
    struct gw_item *it = gw_arena_alloc(L->arena, sizeof(*it));
    it->type = GW_ITEM_RULE;
    it->x0 = x0;
    it->x1 = x1;
    it->y = y;
    it->thickness = w;
    it->color = color;
    gw_page_add(L, it);
    return it;
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

/* {===================== tables and images ============================ */

void gw_page_vrule(struct gw_layout *L, double x, double y0, double y1, double w)
{
    struct gw_item *it = gw_page_rule(L, x, x, y0, w, 0);
    it->vertical = true;
    it->y1 = y1;
}

/* A text (cell, caption) as a block with alignment, for breaking. */
struct gw_block gw_para_text_block(const struct gw_text *t, enum gw_align align)
{
    struct gw_block b = {.type = GW_BLOCK_PARA, .runs = t->runs, .nruns = t->nruns,
                         .align = align};
    return b;
}

/* Draw the broken text p in a box: lines from top, each aligned in [x, x + width]. */
void gw_para_draw_box(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, double x,
                      double width, double top, double lead)
{
    for (int i = 0; i < p->nlines; i++)
        gw_para_draw_line(L, blk, p, &p->lines[i], x, width, top + i * lead + GW_ASCENT * p->size);
}

/* The next grid line at or below y (the body continues on the grid after a float). */
void gw_page_resume_grid(struct gw_layout *L, double y)
{
    L->line = (int)ceil((y - L->ps->top) / L->pitch - 1e-6);
    if (L->line >= L->ps->lines)
        gw_page_new(L);
}

/* }===================================================================== */

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
