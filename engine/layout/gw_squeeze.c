/*
 * gw_squeeze.c: a page's lines set closer (layout stage), GB/T 9704
 * §7.3.5.5: "当公文排版后所剩空白处不能容下印章或签发人签名章、成文日期时，可以
 * 采取调整行距、字距的措施解决" — when the 落款 does not fit under the last
 * body text, the spacing is adjusted so that no page holds the 落款 alone.
 *
 * Owns the squeeze of the current page: its rows from the page's first row
 * of text (row0: on page 1, below the 版头, the title and 主送) on are set
 * sq_pitch apart instead of the grid's pitch, so that it holds `extra` rows
 * more; what is on it already moves up with its row (gw_line_top reads
 * sq_row and sq_pitch for the lines placed after). The glyphs keep their size: only
 * the line spacing changes. The pitch never falls below the share of the
 * grid's that the blocks ask for (gw_block.squeeze, from out:keep). When
 * that is not enough, the last lines of text go to the next page with the
 * 落款 (gw_squeeze_carry), so that it does not stand there alone. Called by
 * gw_flow.c; calls gw_page.c.
 */
#include <math.h>

#include "gw_layout_int.h"

/* Where y (on the grid, at or below the row0 line's top) goes on the squeezed page. */
static double squeezed(double y, double from, double k)
{
    return y < from ? y : from + (y - from) * k;
}

/* Is the current page's text fixed where it is: set closer already, with footnotes, turned? */
static bool page_fixed(const struct gw_layout *L)
{
    return L->sq_pitch > 0 || L->foot_rows > 0 || L->nfoot > 0 || L->rotating ||
           L->page->landscape;
}

bool gw_squeeze_page(struct gw_layout *L, int extra, double min)
{
    if (extra <= 0 || page_fixed(L) || L->line <= L->row0)
        return false;
    int rows = L->ps->lines - L->row0; /* the page's body rows on the grid */
    double k = (double)rows / (rows + extra);
    if (rows <= 0 || k < min)
        return false;
    double from = gw_line_top(L, L->row0);
    for (const struct gw_item *it = L->page->first; it; it = it->next)
        if (it->type == GW_ITEM_IMAGE && !it->multiply && it->y >= from)
            return false; /* a figure would overlap the lines closing up around it */
    for (struct gw_item *it = L->page->first; it; it = it->next) {
        if (it->type == GW_ITEM_TEXT) { /* its em box's top moves with its row */
            double top = it->y - GW_ASCENT * it->size;
            if (top >= from - 0.01)
                it->y = squeezed(top, from, k) + GW_ASCENT * it->size;
        } else if (it->type == GW_ITEM_IMAGE) { /* a seal: its centre moves, its size stays */
            double c = (it->y + it->y1) / 2, d = squeezed(c, from, k) - c;
            if (c >= from) {
                it->y += d;
                it->y1 += d;
            }
        } else if (it->y >= from - 0.01) { /* a rule (and a vertical one's lower end) */
            it->y = squeezed(it->y, from, k);
            if (it->vertical)
                it->y1 = squeezed(it->y1, from, k);
        }
    }
    for (struct gw_outline *o = L->dl->outlines; o; o = o->next)
        if (o->page == L->page->number && o->y >= from)
            o->y = squeezed(o->y, from, k);
    L->sq_row = L->row0;
    L->sq_pitch = L->pitch * k;
    L->sq_extra = extra;
    return true;
}

void gw_squeeze_reset(struct gw_layout *L)
{
    L->row0 = 0;
    L->sq_row = 0;
    L->sq_pitch = 0;
    L->sq_extra = 0;
}

/* The grid row an item on an unsqueezed page sits in (a text line's em box top; a rule's or
   an image's top), counted from the text block's top. */
static int item_row(const struct gw_layout *L, const struct gw_item *it)
{
    double y = it->type == GW_ITEM_TEXT ? it->y - GW_ASCENT * it->size : it->y;
    return (int)floor((y - L->ps->top) / L->pitch + 1e-6);
}

bool gw_squeeze_carry(struct gw_layout *L, int rows)
{
    if (rows <= 0 || page_fixed(L))
        return false;
    int last = -1;
    for (const struct gw_item *it = L->page->first; it; it = it->next)
        if (it->type == GW_ITEM_TEXT && item_row(L, it) > last)
            last = item_row(L, it);
    int cut = last - rows + 1;
    if (last < 0 || cut <= L->row0)
        return false; /* the page would keep no line of its own */
    /* the lines from row cut on: a tail of the page's items, all of them text */
    struct gw_item *before = NULL, *tail = L->page->first;
    while (tail && !(tail->type == GW_ITEM_TEXT && item_row(L, tail) >= cut)) {
        before = tail;
        tail = tail->next;
    }
    for (const struct gw_item *it = tail; it; it = it->next)
        if (it->type != GW_ITEM_TEXT || item_row(L, it) < cut)
            return false;
    if (!tail || !before)
        return false;
    struct gw_page *from = L->page;
    int line = L->line - cut;
    before->next = NULL;
    from->last = before;
    gw_page_new(L);
    double up = cut * L->pitch;
    for (struct gw_item *it = tail; it; it = it->next) {
        it->y -= up;
        L->page->last = it;
    }
    L->page->first = tail;
    for (struct gw_outline *o = L->dl->outlines; o; o = o->next)
        if (o->page == from->number && o->y >= L->ps->top + up - 0.01) {
            o->page = L->page->number;
            o->y -= up;
        }
    L->line = line;
    return true;
}
