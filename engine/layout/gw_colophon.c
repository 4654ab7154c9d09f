/*
 * gw_colophon.c: the 版记 (colophon) (layout stage).
 *
 * Owns where the colophon goes: measured ahead, set at the foot of the last
 * page or a new one, on an even page when the layout asks, with the blank
 * page that may leave unnumbered. Calls gw_para.c to measure and
 * gw_flow.c to set its blocks.
 */
#include <math.h>
#include <stdbool.h>

#include "gw_layout_int.h"

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
            gw_para_break(L, blk, &p);
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
    gw_flow_blocks(L, first);
}
