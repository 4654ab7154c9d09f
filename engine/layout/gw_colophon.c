/*
 * gw_colophon.c: the 版记 (colophon) (layout stage).
 *
 * Owns where the colophon goes: measured ahead, set at the foot of the last
 * page or a new one, on an even page when the layout asks, with the blank
 * page that may leave unnumbered; the last page's footnotes just above it. Calls gw_para.c to measure and
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
            need += (p.nlines - (blk->same_line && p.nlines > 0)) * gw_rows_for(L, p.size);
            gw_para_free(&p);
        } else if (blk->type == GW_BLOCK_RULE || blk->type == GW_BLOCK_SPACE) {
            need += (int)ceil(blk->lines - 1e-9);
        }
    }
    if (need > L->ps->lines)
        need = L->ps->lines;
    /*
     * Footnotes of the last page stay at its foot just above the 版记; notes
     * carried over, or notes and 版记 that do not fit together, go on
     * (gw_page_new sets a finished page's notes at its foot).
     */
    L->foot_fill = true;
    while (L->nfoot > L->foot_res || L->line + need + L->foot_rows > L->ps->lines) {
        if (L->line == 0 && L->nfoot == 0)
            break;
        gw_page_new(L);
    }
    L->foot_base = need;
    gw_foot_page_end(L);
    L->foot_base = 0;
    L->foot_fill = false;
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
