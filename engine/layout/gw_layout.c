/*
 * gw_layout.c: blocks -> pages, the whole run (layout stage; see gw_layout.h).
 *
 * Owns gw_layout_run and gw_layout_doc: checks the page setup, starts the
 * display list, then places the masthead (gw_placed.c), the body
 * (gw_flow.c, from the build or taken from the feed beside the plugin
 * host: gw_layout_job.c), the 版记
 * (gw_colophon.c) and the page numbers (gw_placed.c), and reports the
 * characters no font has. The page model is described in gw_layout_int.h.
 *
 * The layout's files, each with one concern:
 *   gw_layout.c        the run (this file)
 *   gw_layout_job.c    the layout thread beside the plugin host
 *   gw_flow.c          blocks on the grid: paragraphs, keeps, rules, spaces
 *   gw_para.c          a paragraph broken into lines, its lines drawn
 *   gw_atoms.c         characters -> breaker atoms (font choice, glyph cache)
 *   gw_break.c         line breaking (gw_uax14.c: UAX #14 break classes)
 *   gw_table.c         tables;  gw_figure.c: images
 *   gw_foot.c          footnotes at the foot of their page
 *   gw_colophon.c      the 版记 at the foot of the last page
 *   gw_placed.c        the masthead's items and page numbers (off the grid)
 *   gw_page.c          pages, items, rules, outline entries
 *   gw_layout_trace.c  the trace backend
 */
#include <stdlib.h>
#include <string.h>

#include "gw_layout_int.h"

/*
 * The whole layout: masthead items, the body (from feed while it is being
 * built, else from b->first), the colophon, page numbers.
 */
int gw_layout_doc(const struct gw_build *b, struct gw_fontset *fs, struct gw_arena *arena,
                  struct gw_diag *diag, struct gw_feed *feed, struct gw_dlist *out)
{
    memset(out, 0, sizeof(*out));
    struct gw_layout L = {.ps = &b->setup,
                          .fs = fs,
                          .arena = arena,
                          .diag = diag,
                          .dl = out,
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
    out->meta = (struct gw_meta){gw_page_label(&L, b->meta.title), gw_page_label(&L, b->meta.author),
                                 gw_page_label(&L, b->meta.subject), gw_page_label(&L, b->meta.date)};
    L.pitch = ps->height / ps->lines;
    L.cell = ps->width / ps->chars;
    gw_page_new(&L);
    gw_placed_masthead(&L);
    L.line = L.row0 = ps->first_line;
    bool whole = true; /* false: the host failed, and there is nothing to finish */
    if (feed) {
        L.feed = feed;
        gw_flow_blocks(&L, gw_feed_next(feed, NULL));
        L.feed = NULL;
        whole = gw_feed_wait_closed(feed);
    } else {
        gw_flow_blocks(&L, b->first);
    }
    if (whole && b->colophon)
        gw_colophon_layout(&L, b->colophon);
    else if (whole)
        gw_foot_finish(&L);
    gw_foot_free(&L);
    if (L.ahead_blk)
        gw_para_free(L.ahead);
    free(L.ahead);
    if (!whole || gw_flow_first_page_empty(&L))
        return -1;
    gw_placed_page_numbers(&L);
    out->missing_glyphs = L.missing;
    if (L.missing > GW_MAX_MISSING_WARN)
        gw_diag_warning(diag, gw_span_file(NULL), "%ld characters in all have no font",
                        L.missing);
    return 0;
}

int gw_layout_run(const struct gw_build *b, struct gw_fontset *fs, struct gw_arena *arena,
                  struct gw_diag *diag, struct gw_dlist *out)
{
    return gw_layout_doc(b, fs, arena, diag, NULL, out);
}
