/*
 * gw_layout_trace.c: the trace backend (layout stage).
 *
 * Owns gw_layout_trace, which writes a display list as tab-separated lines,
 * one per page and per item, for the layout tests to compare. Reads only
 * the display list and the fonts' family names.
 */
#include "gw_layout.h"

#include <stdio.h>

#include "../util/gw_buf.h"

void gw_layout_trace(const struct gw_dlist *dl, const struct gw_fontset *fs, FILE *out)
{
    fprintf(out, "document\t%.2f\t%.2f\t%d\n", dl->page_w, dl->page_h, dl->npages);
    for (const struct gw_page *p = dl->first; p; p = p->next) {
        fprintf(out, "page\t%d%s\n", p->number, p->landscape ? "\tlandscape" : "");
        for (const struct gw_item *it = p->first; it; it = it->next) {
            if (it->type == GW_ITEM_RULE) {
                if (it->vertical)
                    fprintf(out, "vrule\t%.2f\t%.2f\t%.2f\t%.2f\n", it->x0, it->y, it->y1,
                            it->thickness);
                else
                    fprintf(out, "rule\t%.2f\t%.2f\t%.2f\t%.2f\t%06X\n", it->x0, it->x1, it->y,
                            it->thickness, (unsigned)it->color);
                continue;
            }
            if (it->type == GW_ITEM_IMAGE) {
                fprintf(out, "image\t%.2f\t%.2f\t%.2f\t%.2f\t%s\n", it->x0, it->x1, it->y, it->y1,
                        it->path);
                continue;
            }
            struct gw_buf t;
            gw_buf_init(&t);
            for (int i = 0; i < it->n; i++)
                gw_buf_add_utf8(&t, it->g[i].cp);
            fprintf(out, "text\t%s\t%.1f\t%s\t%06X\t%.2f\t%.2f\t%.2f\t%s\n",
                    gw_font_family(fs->fonts[it->font]), it->size,
                    it->bold ? (it->italic ? "bold-italic" : "bold") : (it->italic ? "italic" : "-"),
                    (unsigned)it->color, it->g[0].x, it->n ? it->g[it->n - 1].x : 0, it->y,
                    t.data ? t.data : "");
            gw_buf_free(&t);
        }
    }
}
