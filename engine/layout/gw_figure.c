/*
 * gw_figure.c: images (layout stage).
 *
 * Owns an image block's layout: scaled to the text block's width and a share
 * of its height, its caption below, both on one page, the body resuming on
 * the grid after them. Calls gw_para.c for the caption and gw_page.c for
 * the page.
 */
#include "gw_layout_int.h"

/* An image scaled to the text block's width and a share of its height, caption below, together. */
void gw_figure_layout(struct gw_layout *L, const struct gw_block *blk)
{
    const struct gw_image *img = blk->image;
    double w = L->ps->width, aspect = (double)img->px_h / img->px_w;
    double h = w * aspect, maxh = L->ps->height * img->max_share;
    if (h > maxh) {
        h = maxh;
        w = h / aspect;
    }
    struct gw_block capb = gw_para_text_block(&img->caption, GW_ALIGN_CENTER);
    struct gw_para cap = {0};
    double cap_h = 0, gap = 2 * 72 / 25.4;
    if (img->caption.nruns) {
        gw_para_break_in(L, &capb, &cap, L->ps->width);
        cap_h = gap + cap.nlines * cap.size * 1.5;
    }
    double y = gw_line_top(L, L->line);
    if (L->line > 0 && y + h + cap_h > gw_body_bottom(L)) {
        gw_page_new(L);
        y = L->ps->top;
    }
    struct gw_item *it = gw_arena_alloc(L->arena, sizeof(*it));
    it->type = GW_ITEM_IMAGE;
    it->path = img->path;
    it->png = img->png;
    it->x0 = L->ps->left + (L->ps->width - w) / 2;
    it->x1 = it->x0 + w;
    it->y = y;
    it->y1 = y + h;
    it->src = blk->src;
    gw_page_add(L, it);
    if (cap_h > 0) {
        gw_para_draw_box(L, &capb, &cap, L->ps->left, L->ps->width, y + h + gap, cap.size * 1.5);
        gw_para_free(&cap);
    }
    gw_page_resume_grid(L, y + h + cap_h + L->pitch * 0.3);
}
