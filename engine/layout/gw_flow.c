/*
 * gw_flow.c: blocks on the grid (layout stage).
 *
 * Owns the flow of a chain of blocks down the pages: paragraphs line by
 * line on the grid, page breaks that keep headings with what follows and
 * avoid widows and orphans (keep_next, keep_together), rules, spaces and
 * explicit page breaks, a paragraph's end moved on with its footnotes, a
 * paragraph on the line before (same_line) or centred in its line (middle),
 * a paragraph's seal, whether page 1 shows some of the text (first_page_text);
 * tables and images go to gw_table.c and gw_figure.c, notes to gw_foot.c.
 * Takes blocks from the feed while the body is still being built. Calls
 * gw_para.c and gw_page.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../doc/gw_doc.h"
#include "../util/gw_utf8.h"
#include "gw_layout_int.h"

/*
 * A paragraph's seal (a 印章) over the line just drawn (the items after
 * `before` on the page): centred on the line's ink (a 签名章: its right edge
 * blk->seal_right from the text block's), its centre blk->seal_raise above
 * the line's centre, drawn after the text with a multiply blend.
 */
static void place_seal(struct gw_layout *L, const struct gw_block *blk, const struct gw_item *before,
                       double top, double size)
{
    double x0 = 1e9, x1 = -1e9;
    for (const struct gw_item *it = before ? before->next : L->page->first; it; it = it->next)
        if (it->type == GW_ITEM_TEXT && it->n > 0) {
            x0 = it->g[0].x < x0 ? it->g[0].x : x0;
            double e = it->g[it->n - 1].x + it->g[it->n - 1].w;
            x1 = e > x1 ? e : x1;
        }
    if (x1 < x0 && blk->seal_right < 0)
        return; /* an empty line: nothing to centre on */
    const struct gw_image *img = blk->seal;
    double w = blk->seal_w, h = w * img->px_h / img->px_w;
    double cx = (x0 + x1) / 2, cy = top + size / 2 - blk->seal_raise;
    if (blk->seal_right >= 0) /* a 签名章: at its place right of the text */
        cx = L->ps->left + L->ps->width - blk->seal_right - w / 2;
    struct gw_item *it = gw_arena_alloc(L->arena, sizeof(*it));
    it->type = GW_ITEM_IMAGE;
    it->path = img->path;
    it->png = img->png;
    it->multiply = true;
    it->x0 = cx - w / 2;
    it->x1 = cx + w / 2;
    it->y = cy - h / 2;
    it->y1 = cy + h / 2;
    it->src = blk->seal_src;
    gw_page_add(L, it);
}

/* Put line li of p on the current page at the current grid line. */
static void place_line(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, int li)
{
    int rows = gw_rows_for(L, p->size);
    double top = gw_line_top(L, L->line) + (blk->middle ? (rows * L->pitch - p->size) / 2
                                                         : gw_line_offset(L, p->size, rows, L->line));
    const struct gw_item *before = L->page->last;
    gw_para_place(L, blk, p, li, top);
    if (L->page->number == 1) {
        if (blk->text && !L->text_on_first)
            L->row0 = L->line; /* page 1 closes up (§7.3.5.5) below its title and 主送 */
        L->text_on_first |= blk->text;
        if (!blk->text)
            L->first_last = blk;
    }
    if (li == 0 && blk->seal)
        place_seal(L, blk, before, top, p->size);
    L->line += rows;
}

/* The block after blk: from the feed while the body is still being built. */
static const struct gw_block *next_block(struct gw_layout *L, const struct gw_block *blk)
{
    return L->feed ? gw_feed_next(L->feed, blk) : blk->next;
}

/* A count of rows less the one a same_line paragraph shares with the paragraph before it. */
static int less_shared_row(const struct gw_block *blk, int lines, int rows)
{
    return blk->same_line && lines >= rows ? lines - rows : lines;
}

/*
 * Rows below a paragraph's first line (of size pt) that its seal reaches
 * down into: a 印章 over the last grid line would run into the page number
 * (it must stay in the 版心). Counted at the least pitch the page may be set
 * to (a page set closer keeps the seal's size), so that it holds then too.
 */
static int seal_rows(const struct gw_layout *L, const struct gw_block *blk, double size)
{
    if (!blk->seal)
        return 0;
    double h = blk->seal_w * blk->seal->px_h / blk->seal->px_w;
    int rows = gw_rows_for(L, size);
    double below = size / 2 - blk->seal_raise + h / 2 - rows * L->pitch;
    double pitch = L->pitch * (blk->squeeze > 0 ? blk->squeeze : 1);
    return below > 0 ? (int)ceil(below / pitch - 1e-6) : 0;
}

/*
 * The lines of the blocks made in one out:keep (keep_together) that follow
 * blk, each kept with the next, and the blank lines kept between them:
 * joint 署名 lines and the date, or a 签名章's 职务 and the date, come to a
 * page together, with the rows their seals reach below them. A paragraph on
 * the line before (same_line: a joint row's second 署名) adds none. Measured,
 * not kept (the chain is short: a few lines).
 */
static int kept_chain(struct gw_layout *L, const struct gw_block *blk)
{
    int lines = 0, reach = 0;
    for (int depth = 0; depth < 16 && blk->keep_together && blk->keep_next > 0; depth++) {
        const struct gw_block *b = next_block(L, blk);
        for (; b && b->type == GW_BLOCK_SPACE && b->keep_together; b = next_block(L, b))
            lines += (int)ceil(b->lines - 1e-9); /* blank lines kept between them */
        if (!b || b->type != GW_BLOCK_PARA || !b->keep_together)
            break;
        struct gw_para q;
        L->lookahead++;
        gw_para_break(L, b, &q);
        L->lookahead--;
        int rows = gw_rows_for(L, q.size);
        lines = less_shared_row(b, lines, rows);
        int seal = lines + rows + seal_rows(L, b, q.size);
        reach = seal > reach ? seal : reach;
        lines += q.nlines * rows;
        gw_para_free(&q);
        blk = b;
    }
    return lines > reach ? lines : reach;
}

/*
 * Lines of the next block that a keep_next request refers to (at most want),
 * and the blank lines before it: a headline kept with its text stays with
 * it across the blank line between them.
 */
static int next_lines(struct gw_layout *L, const struct gw_block *next, int want)
{
    int blank = 0;
    for (; next && (next->type == GW_BLOCK_FOOTNOTE || next->type == GW_BLOCK_SPACE);
         next = next_block(L, next))
        if (next->type == GW_BLOCK_SPACE) /* notes take no lines of the body */
            blank += (int)ceil(next->lines);
    if (!next || want <= 0)
        return 0;
    if (next->type != GW_BLOCK_PARA)
        return blank + 1;
    /* break it now and keep the result for when it is laid out (it is broken only once) */
    if (L->ahead_blk != next) {
        if (L->ahead_blk)
            gw_para_free(L->ahead);
        else if (!L->ahead)
            L->ahead = gw_xcalloc(1, sizeof(*L->ahead));
        gw_para_break(L, next, L->ahead);
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
    if (need < n)
        return blank + need;
    int rows = gw_rows_for(L, L->ahead->size), chain = need + kept_chain(L, next);
    chain = less_shared_row(next, chain, rows); /* set on the line before */
    int seal = (next->same_line ? 0 : rows) + seal_rows(L, next, L->ahead->size);
    return blank + (chain > seal ? chain : seal);
}

/*
 * Lines of the paragraph to move to the next page with its notes when its
 * remaining `left` lines fit on this page but the notes (fn rows) do not
 * fit under them: the widow minimum (all, if that would leave fewer than
 * the orphan minimum here, or the block is kept together); 0 when moving
 * would not help (the paragraph already starts at a page top).
 */
static int lines_to_move(struct gw_layout *L, const struct gw_block *blk, int left, int placed)
{
    int m = L->ps->widow > 1 ? L->ps->widow : 1;
    if (m > left || blk->keep_together || placed + left - m < L->ps->orphan)
        m = left;
    if (m == left && placed == 0 && L->line == 0)
        return 0;
    return m;
}

/* A paragraph on the grid, moved to the next page whole or split as the keeps allow. */
static void layout_para(struct gw_layout *L, const struct gw_block *blk)
{
    struct gw_para p;
    if (L->ahead_blk == blk) {
        p = *L->ahead; /* broken already, when the block before it was kept with it */
        L->ahead_blk = NULL;
    } else {
        gw_para_break(L, blk, &p);
    }
    int rows = gw_rows_for(L, p.size);
    int k = p.nlines;
    L->line = less_shared_row(blk, L->line, rows); /* on the line of the paragraph before */
    int keep = blk->keep_next > 0 ? next_lines(L, next_block(L, blk), blk->keep_next) : 0;
    int reach = seal_rows(L, blk, p.size) + 1 - k; /* rows its seal needs past its lines */
    keep = keep > reach ? keep : reach;
    const struct gw_block *after = next_block(L, blk);
    int fn = after && after->type == GW_BLOCK_FOOTNOTE ? gw_foot_need(L, after, next_block) : 0;
    /* headings and keep-together blocks move whole; others split by widow/orphan rules */
    for (;;) {
        int room = (gw_body_lines(L) - L->line) / rows;
        if (k + keep <= room)
            break;
        if (L->line == 0)
            break; /* taller than a page: split anyway */
        if (blk->squeeze > 0 &&
            gw_squeeze_page(L, L->line + (k + keep) * rows - gw_body_lines(L), blk->squeeze))
            continue; /* a 落款 kept with the text on a page set closer (§7.3.5.5) */
        if (blk->squeeze > 0 && gw_squeeze_carry(L, L->ps->widow))
            continue; /* else the last lines of text go with it: it never stands alone */
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
    int placed = 0;      /* lines of this paragraph on the current page */
    int move_at = -1;    /* the line that starts a new page, so that its notes fit (gw_foot.c) */
    bool moved = false;
    for (int i = 0; i < k; i++) {
        if (L->line + rows > gw_body_lines(L) || i == move_at) {
            gw_page_new(L);
            placed = 0;
        }
        int here = gw_body_lines(L) - L->line, rest = (k - i) * rows;
        if (fn > 0 && !moved && rest <= here && rest + fn > here) {
            moved = true; /* (once: on the next page they fit, or nothing would help) */
            int m = lines_to_move(L, blk, k - i, placed);
            if (m == k - i && m > 0) {
                gw_page_new(L);
                placed = 0;
            } else if (m > 0) {
                move_at = k - m;
            }
        }
        place_line(L, blk, &p, i);
        placed++;
    }
    gw_para_free(&p);
}

/* A rule across the text block: through a grid line of its own, or (lines 0) on a line's top. */
static void layout_rule(struct gw_layout *L, const struct gw_block *blk)
{
    if (L->line >= gw_body_lines(L) + (blk->lines > 0 ? 0 : 1))
        gw_page_new(L);
    gw_page_rule(L, L->ps->left, L->ps->left + L->ps->width,
                 gw_line_top(L, L->line) + (blk->lines > 0 ? L->pitch / 2 : 0), blk->thickness,
                 blk->color);
    L->line += blk->lines > 0;
}

/* Characters in a text's runs, counted only as far as it matters: past `limit`. */
static size_t text_chars(const struct gw_run *runs, int nruns, size_t limit)
{
    size_t bytes = 0, chars = 0;
    for (int r = 0; r < nruns; r++)
        bytes += runs[r].len;
    if (bytes <= limit)
        return bytes; /* (at least the characters) */
    for (int r = 0; r < nruns; r++)
        chars += gw_utf8_count(runs[r].text, runs[r].len);
    return chars;
}

/* The most characters in one of n texts (counted only as far as it matters). */
static size_t most_chars(const struct gw_text *t, int n)
{
    size_t most = 0;
    for (int i = 0; i < n; i++) {
        size_t c = text_chars(t[i].runs, t[i].nruns, GW_MAX_PARA_CHARS);
        most = c > most ? c : most;
    }
    return most;
}

/*
 * A paragraph, table cell or caption longer than GW_MAX_PARA_CHARS (the
 * reader refuses such a line, but joins, rules and plugins make text too) is
 * an error at its block; gw_atoms.c sets only its first GW_MAX_PARA_CHARS.
 */
static void check_length(struct gw_layout *L, const struct gw_block *blk)
{
    size_t most = 0;
    const char *what = "paragraph";
    if (blk->type == GW_BLOCK_PARA || blk->type == GW_BLOCK_FOOTNOTE) {
        what = blk->type == GW_BLOCK_PARA ? "paragraph" : "footnote";
        most = text_chars(blk->runs, blk->nruns, GW_MAX_PARA_CHARS);
    } else if (blk->type == GW_BLOCK_TABLE) {
        const struct gw_table *t = blk->table;
        size_t cap = most_chars(&t->caption, 1);
        most = most_chars(t->cells, t->nrows * t->ncols);
        what = cap > most ? "table's caption" : "table's longest cell";
        most = cap > most ? cap : most;
    } else if (blk->type == GW_BLOCK_IMAGE) {
        most = most_chars(&blk->image->caption, 1);
        what = "image's caption";
    }
    if (most > GW_MAX_PARA_CHARS)
        gw_diag_error(L->diag, blk->src,
                      "the %s holds %zu characters, after its text rules and joins; a paragraph "
                      "may hold at most %d",
                      what, most, GW_MAX_PARA_CHARS);
}

/*
 * Lay out a chain of blocks: the body (taking blocks from L->feed when there
 * is one) or the colophon.
 */
void gw_flow_blocks(struct gw_layout *L, const struct gw_block *first)
{
    for (const struct gw_block *blk = first; blk; blk = next_block(L, blk)) {
        check_length(L, blk);
        /* a page whose foot is all notes carried over takes nothing more */
        while (blk->type != GW_BLOCK_FOOTNOTE && L->foot_rows > 0 && L->line >= gw_body_lines(L))
            gw_page_new(L);
        L->any_text |= blk->text && blk->type != GW_BLOCK_FOOTNOTE;
        switch (blk->type) {
        case GW_BLOCK_PARA:
            layout_para(L, blk);
            break;
        case GW_BLOCK_TABLE:
            gw_table_layout(L, blk);
            L->text_on_first |= blk->text && L->page->number == 1;
            break;
        case GW_BLOCK_IMAGE:
            gw_figure_layout(L, blk);
            L->text_on_first |= blk->text && L->page->number == 1;
            break;
        case GW_BLOCK_SPACE: {
            if (L->line > 0)
                L->line += (int)ceil(blk->lines - 1e-9);
            /* before blocks that may close up the page (§7.3.5.5), they decide */
            const struct gw_block *nb = L->line >= gw_body_lines(L) ? next_block(L, blk) : NULL;
            if (L->line >= gw_body_lines(L) &&
                !(nb && nb->type == GW_BLOCK_PARA && nb->squeeze > 0))
                gw_page_new(L);
            break;
        }
        case GW_BLOCK_RULE:
            layout_rule(L, blk);
            break;
        case GW_BLOCK_PAGEBREAK:
            if (L->line > 0)
                gw_page_new(L);
            break;
        case GW_BLOCK_FOOTNOTE:
            gw_foot_add(L, blk);
            break;
        }
    }
}

/*
 * GB/T 9704 §7.3.2: 公文首页必须显示正文. With the layout's first_page_text,
 * a text whose page 1 the 版头, title and 主送 fill is an error at the last
 * of those lines on page 1 (a long 主送 may move to the 版记).
 */
bool gw_flow_first_page_empty(struct gw_layout *L)
{
    if (!L->ps->first_page_text || !L->any_text || L->text_on_first)
        return false;
    const struct gw_block *b = L->first_last;
    char head[64] = "";
    if (b && b->nruns > 0) { /* its first 12 characters */
        size_t i = 0;
        for (int k = 0; k < 12 && i < b->runs[0].len && i < 40; k++)
            gw_utf8_next(b->runs[0].text, b->runs[0].len, &i);
        snprintf(head, sizeof head, "%.*s", (int)i, b->runs[0].text);
    }
    gw_diag_error(L->diag, b ? b->src : gw_span_file(NULL),
                  "page 1 shows none of the text (GB/T 9704 §7.3.2: 首页必须显示正文): the lines "
                  "before it fill the page%s%s%s; shorten them (a long 主送 goes to the 版记: end "
                  "the text with the 落款 lines, then 主送：… and 抄送：…)",
                  *head ? ", down to “" : "", head, *head ? "…”" : "");
    return true;
}
