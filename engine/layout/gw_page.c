/*
 * gw_page.c: pages and what goes on them (layout stage).
 *
 * Owns the display list's page chain and the items on a page: a new page,
 * an item added to the current one (marked rotated inside a landscape
 * frame; a finished page's footnotes set by gw_foot.c), horizontal and vertical rules, outline entries, and going back to
 * the grid after a table or image, and the labels (bookmarks, document
 * information) cut to a length a PDF string holds. Calls only the arena.
 */
#include <math.h>
#include <string.h>

#include "../util/gw_utf8.h"
#include "gw_layout_int.h"

/* Start a new page (landscape while a landscape frame is being set); its first grid line. */
void gw_page_new(struct gw_layout *L)
{
    if (L->page)
        gw_foot_page_end(L); /* the finished page's footnotes */
    struct gw_page *p = gw_arena_alloc(L->arena, sizeof(*p));
    p->number = ++L->dl->npages;
    if (L->dl->last)
        L->dl->last->next = p;
    else
        L->dl->first = p;
    L->dl->last = p;
    L->page = p;
    L->line = 0;
    gw_squeeze_reset(L);
    p->landscape = L->rotating;
    gw_foot_page_start(L);
}

/* Add it to the current page. */
void gw_page_add(struct gw_layout *L, struct gw_item *it)
{
    it->rotated = L->rotating;
    if (L->page->last)
        L->page->last->next = it;
    else
        L->page->first = it;
    L->page->last = it;
}

/* A horizontal rule from x0 to x1 at y (its centre), w pt thick. */
struct gw_item *gw_page_rule(struct gw_layout *L, double x0, double x1, double y, double w,
                             uint32_t color)
{
    struct gw_item *it = gw_arena_alloc(L->arena, sizeof(*it));
    *it = (struct gw_item){
        .type = GW_ITEM_RULE, .x0 = x0, .x1 = x1, .y = y, .thickness = w, .color = color};
    gw_page_add(L, it);
    return it;
}

/* A vertical rule at x from y0 down to y1, w pt thick (table grids). */
void gw_page_vrule(struct gw_layout *L, double x, double y0, double y1, double w)
{
    struct gw_item *it = gw_page_rule(L, x, x, y0, w, 0);
    it->vertical = true;
    it->y1 = y1;
}

/*
 * s, or its first GW_MAX_LABEL_CHARS characters and "…" in the arena: what
 * a bookmark or a document information entry holds (PDF strings stop at
 * 64 KiB; a heading of 33,000 characters failed the whole file).
 */
const char *gw_page_label(struct gw_layout *L, const char *s)
{
    size_t i = 0, len = s ? strlen(s) : 0;
    for (int n = 0; i < len && n < GW_MAX_LABEL_CHARS; n++)
        gw_utf8_next(s, len, &i);
    if (i == len)
        return s;
    char *cut = gw_arena_alloc(L->arena, i + sizeof "…");
    memcpy(cut, s, i);
    memcpy(cut + i, "…", sizeof "…");
    return cut;
}

/* An outline (bookmark) entry for title at the current grid line. */
void gw_page_outline(struct gw_layout *L, const char *title)
{
    struct gw_outline *o = gw_arena_alloc(L->arena, sizeof(*o));
    o->title = gw_page_label(L, title);
    o->page = L->page->number;
    o->y = gw_line_top(L, L->line);
    if (L->dl->outlines_last)
        L->dl->outlines_last->next = o;
    else
        L->dl->outlines = o;
    L->dl->outlines_last = o;
}

/* The next grid line at or below y (the body continues on the grid after a float). */
void gw_page_resume_grid(struct gw_layout *L, double y)
{
    L->line = (int)ceil((y - L->ps->top) / L->pitch - 1e-6);
    if (L->line >= gw_body_lines(L))
        gw_page_new(L);
}
