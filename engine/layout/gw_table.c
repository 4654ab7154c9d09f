/*
 * gw_table.c: tables (layout stage).
 *
 * Owns a table's layout: column widths from its cells, decimal alignment,
 * the caption kept with the header and first row, a header repeated on
 * every page, rows that move whole to the next page (or, taller than a
 * page, split between their cells' lines), rules and grid, and a landscape
 * frame for a table too wide for the text block (GB/T 9704 §8). Calls
 * gw_para.c to break and draw the cells' text and gw_page.c for pages and
 * rules.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "gw_layout_int.h"

/*
 * How wide a column must and would like to be, from its cells (content
 * widths, without padding), as CSS's automatic table layout measures them:
 * MIN, the widest unbreakable piece (a number with its unit, a Latin word, a
 * Han character); PREF, the widest cell on one line. Between them floors
 * keep short terms whole, the way a table setter does, body cells before
 * header cells (a header breaks once, a body cell in every row): KEEP2,
 * cells of up to two characters whole, longer ones at least half as wide
 * (they break two and two; cells are set balanced); KEEPB, that for header
 * cells and every body cell of up to four characters on one line
 * ("元/公斤"); KEEP4, every cell of up to four characters on one line
 * ("商品名称"); KEEP8H, that and every header cell of up to eight
 * characters on one line ("变动原因说明"); KEEP8, every cell of up to
 * eight ("城区农贸市场"): terms of two or three words, which a balanced
 * break would split mid-word.
 */
enum { MIN, KEEP2, KEEPB, KEEP4, KEEP8H, KEEP8, PREF, NLEVELS };

struct col_need {
    double v[NLEVELS]; /* each level's width, rising */
};

/* Fold one cell's text into its column's needs. */
static void cell_needs(struct gw_layout *L, const struct gw_text *t, bool head,
                       struct col_need *n)
{
    struct gw_block b = gw_para_text_block(t, GW_ALIGN_LEFT);
    struct gw_para p;
    L->lookahead++; /* only measuring: the cell's missing glyphs are reported when it is set */
    gw_para_prepare(L, &b, &p, L->fr.width);
    L->lookahead--;
    double mn = gw_breaker_min_width(p.br), nat = 0;
    int chars = 0;
    for (int i = 0; i < p.n; i++) {
        nat += p.a[i].adv;
        chars += !(p.a[i].flags & GW_ATOM_SPACE);
    }
    gw_para_free(&p);
    /* up to two characters whole, three or four at least two of them on a line */
    double k2 = chars <= 2 ? nat : chars <= 4 ? nat * ((chars + 1) / 2) / chars : mn;
    double k4 = chars <= 4 ? nat : mn;
    double k8 = chars <= 8 ? nat : mn;
    double cell[NLEVELS] = {mn, k2, head ? k2 : k4, k4, head ? k8 : k4, k8, nat};
    for (int lv = 0; lv < NLEVELS; lv++)
        n->v[lv] = fmax(n->v[lv], fmax(mn, cell[lv]));
}

/*
 * Column widths (content widths, without padding). A layout's fixed widths
 * are taken as they are; the free columns share the rest: each its PREF
 * when all fit, with what is left over in proportion to PREF; else each its
 * floor (KEEP8, KEEP8H, KEEP4, KEEPB, KEEP2 or MIN, the first whose sum fits). What
 * is left then goes first to the columns that would still break a short
 * cell: a level at a time, each column short of the next level given what it
 * lacks, the cheapest first, while the rest pays for it (so "商品名称" is
 * whole before a column of long text gets wider); the rest in proportion to
 * PREF less the width, so no column is wider than its widest cell while
 * another breaks. Narrower than the mins: shrunk, with a warning.
 */
static bool column_widths(struct gw_layout *L, const struct gw_block *blk, double *w, bool quiet)
{
    const struct gw_table *t = blk->table;
    int nc = t->ncols;
    double avail = L->fr.width - nc * 2 * t->pad;
    struct col_need need[64];
    double fixed = 0, sum[NLEVELS] = {0};
    bool free_col[64];
    for (int c = 0; c < nc; c++) {
        need[c] = (struct col_need){{0}};
        free_col[c] = !(t->widths && t->widths[c] > 0);
        if (!free_col[c]) {
            w[c] = t->widths[c] - 2 * t->pad;
            fixed += w[c];
            continue;
        }
        for (int r = 0; r < t->nrows; r++)
            cell_needs(L, &t->cells[r * nc + c], r < t->head, &need[c]);
        /* a cell set at exactly its width stays on one line */
        need[c].v[PREF] += 0.01;
        for (int lv = PREF - 1; lv > MIN; lv--)
            need[c].v[lv] = fmin(need[c].v[lv] + 0.01, need[c].v[lv + 1]);
        for (int lv = 0; lv < NLEVELS; lv++)
            sum[lv] += need[c].v[lv];
    }
    double room = avail - fixed;
    if (sum[PREF] <= room) {
        for (int c = 0; c < nc; c++)
            if (free_col[c])
                w[c] = need[c].v[PREF] +
                       (room - sum[PREF]) * (sum[PREF] > 0 ? need[c].v[PREF] / sum[PREF] : 1.0 / nc);
    } else if (sum[MIN] > room) { /* even the mins do not fit: shrink them all */
        for (int c = 0; c < nc; c++)
            if (free_col[c])
                w[c] = sum[MIN] > 0 ? need[c].v[MIN] * room / sum[MIN] : room / nc;
    } else {
        int level = KEEP8;
        while (level > MIN && sum[level] > room)
            level--;
        double left = room - sum[level], grow = 0;
        for (int c = 0; c < nc; c++)
            if (free_col[c])
                w[c] = need[c].v[level];
        for (int lv = level + 1; lv <= PREF; lv++) {
            for (;;) { /* the cheapest column short of this level that what is left pays for */
                int best = -1;
                for (int c = 0; c < nc; c++) {
                    double d = free_col[c] ? need[c].v[lv] - w[c] : 0;
                    if (d > 0.01 && d <= left && (best < 0 || d < need[best].v[lv] - w[best]))
                        best = c;
                }
                if (best < 0)
                    break;
                left -= need[best].v[lv] - w[best];
                w[best] = need[best].v[lv];
            }
        }
        for (int c = 0; c < nc; c++)
            grow += free_col[c] ? need[c].v[PREF] - w[c] : 0;
        for (int c = 0; c < nc; c++)
            if (free_col[c] && grow > 0)
                w[c] += left * (need[c].v[PREF] - w[c]) / grow;
    }
    if (sum[MIN] > room + 0.01 && !quiet)
        gw_diag_warning(L->diag, blk->src,
                        "table is wider than the text block even at its narrowest; some cells "
                        "overflow%s",
                        t->landscape ? ""
                                     : " (a layout may allow landscape pages: tables.landscape)");
    return sum[MIN] <= room + 0.01;
}

struct row {
    struct gw_para cell[64];
    double h;
};

/* The line pitch of a cell's text. */
static double cell_lead(const struct gw_table *t, const struct gw_para *p)
{
    return p->size * t->leading;
}

/*
 * The height of what is left of row r when its cells' first from[c] lines
 * are drawn (padding included): the row's height when nothing is drawn yet.
 */
static double rest_height(const struct gw_table *t, const struct row *row, const int *from)
{
    double h = 0;
    bool started = false;
    for (int c = 0; c < t->ncols; c++) {
        const struct gw_para *p = &row->cell[c];
        started |= from[c] > 0;
        double ch = (p->nlines - from[c]) * cell_lead(t, p);
        h = ch > h ? ch : h;
    }
    return started ? h + 2 * t->pad : row->h;
}

/* End the table's part on this page (from page_top) at y: its closing rule and grid. */
static void end_part(struct gw_layout *L, const struct gw_table *t, const double *x,
                     double page_top, double y)
{
    gw_page_rule(L, x[0], x[t->ncols], y, t->thick, 0);
    if (t->grid)
        for (int c = 0; c <= t->ncols; c++)
            gw_page_vrule(L, x[c], page_top, y, c == 0 || c == t->ncols ? t->thick : t->thin);
}

/* Where this page's table part must end: the frame's bottom on a landscape page, else
   above the page's footnotes (gw_foot.c). */
static double part_bottom(struct gw_layout *L)
{
    return L->rotating ? L->fr.top + L->fr.height : gw_body_bottom(L);
}

/* Close this page's part at y and go on at the top of a new page; returns its bottom. */
static double next_part(struct gw_layout *L, const struct gw_table *t, const double *x,
                        double page_top, double y)
{
    end_part(L, t, x, page_top, y);
    gw_page_new(L);
    return part_bottom(L);
}

/* Lines [a, b) of a cell's text from top, lead apart, in [x, x + width). */
static void draw_lines(struct gw_layout *L, const struct gw_block *blk, struct gw_para *p, int a,
                       int b, double x, double width, double top, double lead)
{
    for (int i = a; i < b; i++)
        gw_para_draw_line(L, blk, p, &p->lines[i], x, width,
                          top + (i - a) * lead + GW_ASCENT * p->size);
}

/*
 * Lay a table: caption, header (repeated on each page), rows moved whole to
 * the next page when they do not fit. A row taller than a page would be cut
 * off at the page's foot (a 17,000-character cell lost nearly all of its
 * text), so it is split instead: each page takes as many lines of every
 * cell as fit, and the rest goes on under the repeated header.
 */
void gw_table_layout(struct gw_layout *L, const struct gw_block *blk)
{
    const struct gw_table *t = blk->table;
    int nc = t->ncols;
    double w[64], x[65];
    L->fr = (struct gw_frame){L->ps->left, L->ps->top, L->ps->width, L->ps->height};
    if (!column_widths(L, blk, w, t->landscape) && t->landscape) {
        /* too wide: landscape pages of their own, in a frame as wide as the block is high */
        L->rotating = true;
        if (L->page->first || L->foot_res)
            gw_page_new(L);
        L->page->landscape = true;
        L->line = 0;
        L->fr = (struct gw_frame){0, 0, L->ps->height, L->ps->width};
        column_widths(L, blk, w, false);
    }
    x[0] = L->fr.left;
    for (int c = 0; c < nc; c++)
        x[c + 1] = x[c] + w[c] + 2 * t->pad;
    struct row *rows = gw_xcalloc((size_t)t->nrows, sizeof(*rows));
    struct gw_block *cb = gw_xcalloc((size_t)t->nrows * (size_t)nc, sizeof(*cb));
    for (int r = 0; r < t->nrows; r++) {
        double hmax = 0;
        for (int c = 0; c < nc; c++) {
            char a = t->align[c];
            enum gw_align al = r < t->head ? GW_ALIGN_CENTER
                               : a == 'c'  ? GW_ALIGN_CENTER
                               : a == 'r'  ? GW_ALIGN_RIGHT
                                           : GW_ALIGN_LEFT; /* 'd' is placed below */
            cb[r * nc + c] = gw_para_text_block(&t->cells[r * nc + c], al);
            cb[r * nc + c].balance = true; /* "商品/名称", not "商品名/称" */
            struct gw_para *p = &rows[r].cell[c];
            gw_para_break_in(L, &cb[r * nc + c], p, w[c]);
            double h = (p->nlines ? p->nlines : 1) * p->size * t->leading;
            hmax = h > hmax ? h : hmax;
        }
        rows[r].h = hmax + 2 * t->pad;
    }
    /*
     * Decimal columns: every body cell is shifted so its decimal point (or its
     * end, for a whole number) lines up, and the block of numbers is right-aligned.
     */
    double *shift = gw_xcalloc((size_t)t->nrows * (size_t)nc + 1, sizeof(double));
    for (int c = 0; c < nc; c++) {
        if (t->align[c] != 'd')
            continue;
        double maxb = 0, maxa = 0;
        for (int r = t->head; r < t->nrows; r++) {
            struct gw_para *p = &rows[r].cell[c];
            double b = 0, all = 0;
            bool dot = false;
            for (int i = 0; i < p->n; i++) {
                if (p->a[i].cp == '.' || p->a[i].cp == 0xFF0E)
                    dot = true;
                if (!dot)
                    b += p->a[i].adv;
                all += p->a[i].adv;
            }
            shift[r * nc + c] = b; /* for now: width before the point */
            maxb = b > maxb ? b : maxb;
            maxa = all - b > maxa ? all - b : maxa;
        }
        double block = maxb + maxa, left = w[c] - block;
        for (int r = t->head; r < t->nrows; r++)
            shift[r * nc + c] = (left > 0 ? left : 0) + maxb - shift[r * nc + c];
    }
    double head_h = 0;
    for (int r = 0; r < t->head; r++)
        head_h += rows[r].h;
    /* the caption, kept with the header and the first row */
    struct gw_block capb = gw_para_text_block(&t->caption, GW_ALIGN_CENTER);
    struct gw_para cap = {0};
    double cap_h = 0;
    if (t->caption.nruns) {
        gw_para_break_in(L, &capb, &cap, L->fr.width);
        cap_h = cap.nlines * cap.size * 1.5;
    }
    double bottom = part_bottom(L);
    /* a header taller than half the frame is not repeated: it would leave no room */
    bool repeat = head_h <= L->fr.height / 2;
    double room = bottom - (L->fr.top + (repeat ? head_h : 0)); /* a continued page's rows */
    double y = L->line > 0 && !L->rotating ? gw_line_top(L, L->line) : L->fr.top;
    double first_h = t->head < t->nrows ? rows[t->head].h : 0;
    if (first_h > room) { /* the first row will split: its first lines go with the header */
        first_h = 0;
        for (int c = 0; c < nc; c++)
            first_h = fmax(first_h, cell_lead(t, &rows[t->head].cell[c]));
        first_h += 2 * t->pad;
    }
    if (L->line > 0 && y + cap_h + head_h + first_h > bottom) {
        gw_page_new(L);
        y = L->ps->top;
        bottom = part_bottom(L);
    }
    if (blk->outline)
        gw_page_outline(L, blk->outline);
    if (cap_h > 0) {
        gw_para_draw_box(L, &capb, &cap, L->fr.left, L->fr.width, y, cap.size * 1.5);
        y += cap_h;
    }
    double page_top = y, rows_top = y; /* where the table and its rows start on this page */
    double x1 = x[nc];
    bool need_header = true, first_page = true;
    int r = t->head;
    int from[64] = {0}; /* lines of row r's cells drawn on earlier pages (a row taller than a page) */
    for (;;) {
        if (need_header) {
            /* on every page: the top rule, then the header rows and the rule below them */
            page_top = y;
            gw_page_rule(L, x[0], x1, y, t->thick, 0);
            for (int h = 0; h < t->head && (first_page || repeat); h++) {
                for (int c = 0; c < nc; c++)
                    draw_lines(L, &cb[h * nc + c], &rows[h].cell[c], 0, rows[h].cell[c].nlines,
                               x[c] + t->pad, w[c], y + t->pad, cell_lead(t, &rows[h].cell[c]));
                y += rows[h].h;
                if (t->grid && h + 1 < t->head)
                    gw_page_rule(L, x[0], x1, y, t->thin, 0);
            }
            if (t->head && (first_page || repeat))
                gw_page_rule(L, x[0], x1, y, t->thin, 0);
            need_header = first_page = false;
            rows_top = y;
        }
        if (r >= t->nrows)
            break;
        double need = rest_height(t, &rows[r], from);
        bool fits = y + need <= bottom + 0.01;
        bool at_top = y <= rows_top + 0.01; /* only the header above */
        int show[64];
        bool split = false, any = false;
        if (!fits && need > room + 0.01) {
            /* taller than a page: the lines of each cell that fit here (one at least at a top) */
            split = true;
            for (int c = 0; c < nc; c++) {
                struct gw_para *p = &rows[r].cell[c];
                double lead = cell_lead(t, p);
                int left = p->nlines - from[c];
                int k = lead > 0 ? (int)fmin(left, floor((bottom - y - 2 * t->pad + 0.01) / lead))
                                 : left;
                show[c] = k > 0 ? k : (at_top && left > 0 ? 1 : 0);
                any |= show[c] > 0;
            }
        }
        if ((!fits && !split && !at_top) || (split && !any)) {
            /* the row (or its next line) does not fit: close the table here, go on on a new page */
            bottom = next_part(L, t, x, page_top, y);
            y = L->fr.top;
            need_header = true;
            continue;
        }
        double h = 0;
        for (int c = 0; c < nc; c++) {
            struct gw_para *p = &rows[r].cell[c];
            int n = split ? show[c] : p->nlines - from[c];
            draw_lines(L, &cb[r * nc + c], p, from[c], from[c] + n,
                       x[c] + t->pad + shift[r * nc + c], w[c] - shift[r * nc + c], y + t->pad,
                       cell_lead(t, p));
            h = fmax(h, n * cell_lead(t, p));
            from[c] += n;
        }
        if (split) { /* the rest of the row on the next page */
            y += h + 2 * t->pad;
            bottom = next_part(L, t, x, page_top, y);
            y = L->fr.top;
            need_header = true;
            continue;
        }
        y += need;
        r++;
        for (int c = 0; c < nc; c++)
            from[c] = 0;
        if (t->grid && r < t->nrows)
            gw_page_rule(L, x[0], x1, y, t->thin, 0);
    }
    end_part(L, t, x, page_top, y);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < nc; c++)
            gw_para_free(&rows[r].cell[c]);
    if (cap_h > 0)
        gw_para_free(&cap);
    free(rows);
    free(cb);
    free(shift);
    if (L->rotating) {
        /* the page is full: whatever comes next starts an upright page */
        L->rotating = false;
        L->line = L->ps->lines;
        return;
    }
    gw_page_resume_grid(L, y + L->pitch * 0.3);
}
