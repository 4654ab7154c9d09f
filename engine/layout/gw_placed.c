/*
 * gw_placed.c: text and rules off the grid (layout stage).
 *
 * Owns what sits at fixed positions rather than on grid lines: the
 * masthead's items (the plugin host places them) and the page numbers, set
 * after the last page is known. Text here keeps its natural advances (a page
 * number's spaces at least half an em) and is
 * aligned in a box (justified: spread over it). Calls gw_atoms.c, gw_para.c and gw_page.c.
 */
#include <stdlib.h>

#include "../util/gw_buf.h"
#include "gw_layout_int.h"

/*
 * Text outside the grid: natural advances, aligned in a box; a space takes
 * at least min_space pt (a page number's spaces are half-width, 半角, even
 * in a font whose space is a third of an em).
 */
static void placed_text(struct gw_layout *L, const struct gw_run *r, double x, double width,
                        enum gw_align align, double top, double min_space)
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
        if ((a[i].flags & GW_ATOM_SPACE) && adv < min_space)
            adv = min_space;
        xs[i] = pen;
        ws[i] = adv;
        pen += adv;
    }
    if (align == GW_ALIGN_CENTER) {
        x += (width - pen) / 2;
    } else if (align == GW_ALIGN_RIGHT) {
        x += width - pen;
    } else if (align == GW_ALIGN_JUSTIFY && n > 1 && pen < width) {
        /* spread over the box (分散对齐: the joint names of a 标志), each box widened */
        double gap = (width - pen) / (n - 1);
        for (int i = 0; i < n; i++) {
            xs[i] += i * gap;
            ws[i] += i < n - 1 ? gap : 0;
        }
    }
    gw_para_emit(L, a, k, 0, n, xs, ws, x, top + GW_ASCENT * r->size);
    free(xs);
    free(a);
    free(k);
}

/* Text outside the grid (masthead): natural advances, aligned in a box. */
void gw_placed_text(struct gw_layout *L, const struct gw_run *r, double x, double width,
                    enum gw_align align, double top)
{
    placed_text(L, r, x, width, align, top, 0);
}

/* The masthead's items: rules and text the layout places at fixed positions. */
void gw_placed_masthead(struct gw_layout *L)
{
    for (const struct gw_placed *pl = L->ps->placed; pl; pl = pl->next) {
        if (pl->is_rule)
            gw_page_rule(L, pl->x, pl->x + pl->width, pl->y, pl->thickness, pl->color);
        else
            gw_placed_text(L, &pl->run, pl->x, pl->width, pl->align, pl->y);
    }
}

/* A number on every page that carries one, below the text block (centred or outer). */
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
        /* GB/T 9704 §7.5: "— 1 —", half-width digits and spaces between the 一字线 */
        placed_text(L, &r, x, w, al, top, ps->num_size / 2);
    }
}
