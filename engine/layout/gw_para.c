/*
 * gw_para.c: a paragraph's lines (layout stage).
 *
 * Owns struct gw_para's life: a paragraph's atoms and breaker with the
 * page setup's options and the block's indents (first line, hanging, right),
 * broken into lines (balanced if the block asks; on the character grid for
 * text-block lines when the layout sets typeset.grid), and its lines drawn as text
 * items: aligned in a box, one item per run of glyphs with the same font,
 * size, colour and style, each glyph with the box the breaker set it in and
 * a punctuation mark's ink placed in that box from the glyph's own ink
 * (GB/T 15834). Calls gw_atoms.c, gw_break, the font module (ink) and
 * gw_page.c.
 */
#include <math.h>
#include <stdlib.h>

#include "gw_layout_int.h"

/*
 * The atoms of blk and a breaker for them, lines not yet chosen. The
 * block's indents are in 字 of its own size (a cell scaled by size over the
 * grid size); the measure keeps at least one 字 whatever they say (the plugin
 * host refuses indents that leave less; this keeps any block safe).
 */
static void para_prepare(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                         double width, bool grid)
{
    p->lines = NULL;
    p->nlines = 0;
    p->n = gw_atoms_make(L, blk, &p->a, &p->k);
    p->size = blk->nruns ? blk->runs[0].size : L->ps->body_size;
    double zi = L->cell * (p->size / L->ps->body_size); /* one 字 of this block */
    double indent = blk->indent * zi, rest = blk->hanging * zi, right = blk->right_indent * zi;
    if (width - right - fmax(indent, rest) < zi) {
        right = 0;
        indent = fmin(indent, fmax(width - zi, 0));
        rest = fmin(rest, fmax(width - zi, 0));
    }
    p->measure = width - right;
    p->o = (struct gw_break_opts){
        .width = p->measure,
        .indent = indent,
        .rest_indent = rest,
        .kinsoku = (enum gw_kinsoku)L->ps->kinsoku,
        .justify = blk->align == GW_ALIGN_JUSTIFY,
        .punct = (enum gw_punct_style)L->ps->punct_style,
        .trim_start = L->ps->trim_start,
        .cjk_latin = L->ps->cjk_latin,
        .avoid_runt = L->ps->avoid_runt && blk->align == GW_ALIGN_JUSTIFY,
        /* grid setting: text-block lines set from the left edge (not tables, not centred) */
        .grid = grid && L->ps->grid && !blk->balance &&
                (blk->align == GW_ALIGN_JUSTIFY || blk->align == GW_ALIGN_LEFT),
        .cell_per_em = L->cell / L->ps->body_size,
        .hang = right == 0 && width >= L->ps->width, /* past the text block's edge, not an indent */
        .pairs_only = !grid, /* cells and captions: a lone mark keeps its em inside a line */
    };
    p->br = gw_breaker_new(p->a, p->n, &p->o);
}

void gw_para_prepare(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                     double width)
{
    para_prepare(L, blk, p, width, false);
}

static void para_break(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                       double width, bool grid)
{
    para_prepare(L, blk, p, width, grid);
    p->nlines = blk->balance ? gw_breaker_balance(p->br, &p->lines)
                             : gw_breaker_lines(p->br, &p->lines);
}

/* Break blk into lines of the given width (balanced if it asks), off the grid: cells, captions. */
void gw_para_break_in(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p,
                      double width)
{
    para_break(L, blk, p, width, false);
}

/* Break blk into p at the text block's width, on the grid if the layout sets it. */
void gw_para_break(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p)
{
    para_break(L, blk, p, L->ps->width, true);
}

/* Free what p holds (p itself is the caller's). */
void gw_para_free(struct gw_para *p)
{
    gw_breaker_free(p->br);
    free(p->lines);
    free(p->a);
    free(p->k);
}

/* A text (cell, caption) as a block with alignment, for breaking. */
struct gw_block gw_para_text_block(const struct gw_text *t, enum gw_align align)
{
    struct gw_block b = {.type = GW_BLOCK_PARA, .runs = t->runs, .nruns = t->nruns,
                         .align = align};
    return b;
}

/*
 * How far a mark's ink may sit from the edge of its box that GB/T 15834
 * puts it on (em): about what GB fonts give 。，、 and quotes. A font that
 * sets its marks further in (centred, as AR PL SungtiL GB does) has them
 * moved out to it.
 */
#define MARK_EDGE 0.15

/*
 * The left edge of atom i's box, from the glyph origin x the breaker gave
 * and the width w it set the atom at: the breaker cuts an opening mark's
 * blank from the left (the origin moves left by all it took) and a centred
 * mark's from both sides (by half), a closing mark's from the right.
 */
static double box_left(const struct gw_atom *a, double x, double w)
{
    double cut = a->adv - w;
    if (!(cut > 0))
        return x;
    if (a->punct == GW_PUNCT_OPEN)
        return x + cut;
    if (a->punct == GW_PUNCT_MIDDLE)
        return x + cut / 2;
    return x;
}

/*
 * Where a full-width mark's glyph origin goes so that its ink sits where
 * GB/T 15834 puts it, whatever the font does: a closing mark (。，、；：？！
 * and closing brackets and quotes) at the left of its box [bx, bx + w], an
 * opening one at the right, at most MARK_EDGE em from that edge and never
 * nearer the far edge than this one (a compressed mark's ink stays inside
 * its narrower box, clear of its neighbour). Read from the glyph's own ink;
 * other characters keep the breaker's origin x.
 */
static double mark_origin(const struct gw_font *f, const struct gw_atom *a, uint32_t gid,
                          double size, double x, double bx, double w)
{
    enum gw_punct side = gw_break_punct_class(a->cp);
    double i0, i1;
    if (a->punct == GW_PUNCT_NONE || side == GW_PUNCT_NONE || !gw_font_ink(f, gid, &i0, &i1))
        return x;
    i0 *= size;
    i1 *= size;
    double room = w - (i1 - i0); /* blank the box leaves beside the ink */
    if (side == GW_PUNCT_CLOSE) {
        double gap = fmin(fmin(i0, MARK_EDGE * size), room / 2);
        return bx + gap - i0;
    }
    double gap = fmin(fmin(a->adv - i1, MARK_EDGE * size), room / 2);
    return bx + w - gap - i1;
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
             * Its box: the set width, but never past the next box's left
             * edge (boxes that overlap split words in text extraction); the
             * glyph drawn in it where its ink belongs.
             */
            double bx = box_left(&a[t], x[t - s], w[t - s]), adv = w[t - s];
            if (t + 1 < e) {
                double next = box_left(&a[t + 1], x[t + 1 - s], w[t + 1 - s]);
                if (next - bx < adv)
                    adv = next - bx;
            }
            double gx = mark_origin(L->fs->fonts[k[t].font], &a[t], k[t].gid, r->size, x[t - s],
                                    bx, w[t - s]);
            it->g[it->n++] = (struct gw_glyph){k[t].gid, a[t].cp, x0 + gx, adv, x0 + bx};
        }
        gw_page_add(L, it);
        i = j;
    }
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

/*
 * Line li of p with its em box top at top, in the text block: from its
 * indent to the measure's end (the right indent), aligned as blk asks.
 */
void gw_para_place(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, int li,
                   double top)
{
    const struct gw_line *ln = &p->lines[li];
    gw_para_draw_line(L, blk, p, ln, L->ps->left + ln->indent, p->measure - ln->indent,
                      top + GW_ASCENT * p->size);
}

/* Draw the broken text p in a box: lines from top, each aligned in [x, x + width]. */
void gw_para_draw_box(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, double x,
                      double width, double top, double lead)
{
    for (int i = 0; i < p->nlines; i++)
        gw_para_draw_line(L, blk, p, &p->lines[i], x, width, top + i * lead + GW_ASCENT * p->size);
}
