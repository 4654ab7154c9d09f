/*
 * gw_grid.c: grid setting (文档网格) for the breaker (layout stage).
 *
 * Owns how a paragraph set with opts.grid is measured and placed, the way
 * a Word or WPS document grid sets it (docs/typesetting.md § Grid setting):
 *   - every full-width atom (Han, full-width mark, 　) takes one cell, so the
 *     columns line up down the page;
 *   - a run of narrow atoms (digits, Latin) keeps its natural width and is
 *     padded to whole cells, the pad around it, so the next Han character
 *     starts on a column; a run at most GRID_TIGHT of a cell over whole cells
 *     is tightened by that much instead of taking another cell;
 *   - a closing mark in the column after the last hangs past the measure
 *     (Word's 标点溢出边界), its ink at most half a cell past the edge;
 *   - adjacent marks give half a cell (the pairs GB/T 15834 and clreq allow,
 *     as in free setting) only when a line must shrink, from the line's end;
 *   - a justified line that comes out short puts its slack, in whole cells,
 *     around its narrow runs (a cell a run at most) and otherwise spreads it
 *     over the line (then off the grid: the line ends on the edge).
 * Calls nothing outside the breaker (gw_break_int.h).
 */
#include <math.h>
#include <stdlib.h>

#include "../util/gw_arena.h"
#include "gw_break_int.h"

#define EPS GW_BREAK_EPS
#define GRID_TIGHT 0.05 /* cell: how far a narrow run may pass whole cells */

static bool wide(const struct gw_atom *a)
{
    return (a->flags & GW_ATOM_WIDE) != 0;
}

/* The whole cells a narrow run of natural width nat takes (pt). */
static double run_cells(double nat, double cell)
{
    if (nat <= EPS)
        return 0;
    double k = ceil(nat / cell - GRID_TIGHT);
    return (k < 1 ? 1 : k) * cell;
}

void gw_grid_prepare(const struct gw_atom *a, int n, const struct gw_break_opts *o, struct prep *p)
{
    p->grid = true;
    for (int i = 0; i < n; i++)
        p->w[i] = wide(&a[i]) ? gw_grid_cell(&a[i], o) : a[i].adv;
    /* of two adjacent marks, the one free setting halves may give half its cell */
    for (int i = 0; i + 1 < n; i++) {
        if (a[i].punct == GW_PUNCT_NONE || a[i + 1].punct == GW_PUNCT_NONE)
            continue;
        if (a[i].punct != GW_PUNCT_OPEN && p->shrink[i] == 0)
            p->shrink[i] = gw_grid_cell(&a[i], o) / 2;
        else if (a[i + 1].punct != GW_PUNCT_CLOSE)
            p->shrink[i + 1] = gw_grid_cell(&a[i + 1], o) / 2;
    }
    /* narrow runs padded to whole cells (the pad counted on the run's last atom) */
    for (int i = 0; i < n;) {
        if (wide(&a[i])) {
            i++;
            continue;
        }
        int j = i;
        double nat = 0;
        while (j < n && !wide(&a[j]))
            nat += a[j++].adv;
        double pad = run_cells(nat, gw_grid_cell(&a[i], o)) - nat;
        p->w[j - 1] += pad;
        p->pad[j - 1] = pad;
        i = j;
    }
}

double gw_grid_hang(const struct gw_atom *a, const struct gw_break_opts *o, int start, int li)
{
    if (!o->hang || li <= start || !wide(&a[li]) ||
        (a[li].punct != GW_PUNCT_CLOSE && a[li].punct != GW_PUNCT_MIDDLE) ||
        !gw_break_no_start(a[li].cp, GW_KINSOKU_BASIC))
        return 0;
    return gw_grid_cell(&a[li], o);
}

/* A narrow run of the line being placed: atoms [r0, r1) and its pad (pt). */
struct run {
    int r0, r1;
    double pad;
};

/* A sign that belongs to the number before it (98.5%, 36℃) or after it (￥5): no pad between. */
static bool unit_after(uint32_t cp)
{
    return cp == '%' || cp == 0xFF05 || cp == 0x2030 || cp == 0x2103 || cp == 0x2109 ||
           cp == 0x00B0;
}

static bool unit_before(uint32_t cp)
{
    return cp == 0xFFE5 || cp == 0x00A5 || cp == '$' || cp == 0xFF04 || cp == 0x20AC;
}

/*
 * Is the run [r0, r1) a list number, which keeps a line's left edge: "2."
 * "(1)" "1)" (digits in brackets or before a point) or digits before 、 or ．?
 */
static bool list_number(const struct gw_atom *a, const struct run *r, int li)
{
    int i = r->r0, j = r->r1;
    while (j > i + 1 && (a[j - 1].flags & GW_ATOM_SPACE)) /* "1. 完成" */
        j--;
    bool open = a[i].cp == '(';
    if (open)
        i++;
    int d = i;
    while (i < j && a[i].cp >= '0' && a[i].cp <= '9')
        i++;
    if (i == d)
        return false;
    if (i == j) /* digits only: a list number if a 、 or ． follows */
        return !open && j == r->r1 && j <= li && (a[j].cp == 0x3001 || a[j].cp == 0xFF0E);
    return i + 1 == j && (a[i].cp == ')' || (!open && a[i].cp == '.'));
}

/* The blank half of mark k's box (none once it is compressed), from its width before any pad. */
static double blank_half(const struct gw_atom *a, const struct gw_break_opts *o, int s, int k,
                         const double *w0)
{
    return fmax(0, w0[k - s] - gw_grid_cell(&a[k], o) / 2);
}

/* The blank half of the closing mark before atom i, if one is there. */
static double blank_before(const struct gw_atom *a, const struct gw_break_opts *o, int s, int i,
                           const double *w0)
{
    return i > s && a[i - 1].punct == GW_PUNCT_CLOSE ? blank_half(a, o, s, i - 1, w0) : 0;
}

/*
 * The pad of a run that closing marks or a unit sign follow ("3.2%；",
 * "12.6℃，"), the marks not ending the line. The marks keep to their
 * number (no space inside the run: its glyphs follow one another); the pad
 * is shared out so that neither gap grows by a whole cell: three fifths
 * before the run (less a closing mark's blank half there; none for a list
 * number at a line start, which keeps the edge), the rest after the last
 * mark m, past its own blank half. (Three fifths, not half: the mark's
 * blank half already widens the gap after it; and on the corpus pdftotext
 * reads no space into either gap.) Returns what goes before the run.
 */
static double spread_closed(const struct gw_atom *a, const struct gw_break_opts *o,
                            const struct run *r, int s, int li, int m, const double *w0,
                            double *w)
{
    double before = 0;
    if (!(r->r0 == s && list_number(a, r, li)))
        before = fmin(r->pad, fmax(0, r->pad * 3 / 5 - blank_before(a, o, s, r->r0, w0)));
    w[m - s] += r->pad - before;
    return before;
}

/*
 * Share a run's pad out as advances, w0 the line's widths before any pad:
 *   - between Han characters, half before and half after it, so the run
 *     sits centred between their ink; a closing mark's blank half before it
 *     or an opening mark's after it counts as pad already there ("；2月"
 *     takes the pad after the 2);
 *   - at a line's start, half before and half after (centred, as a
 *     full-width digit would be: "2月29日", "0.2个"), but a list number
 *     ("2.", "(1)", "2、") keeps the left edge, the pad after it;
 *   - before closing marks or a unit sign, three fifths before the run and
 *     the rest after the marks (spread_closed: "气温12.6℃，", "3.2%；"),
 *     unless they end a justified line (then all before the run) or a
 *     paragraph (then nowhere);
 *   - after an opening mark, all after it ("（1 乙"); between brackets, half
 *     and half ("（CPI）");
 *   - at a paragraph's end all after it, at a justified line's end all before
 *     it (the line still ends on the edge);
 * a negative pad (a run just over whole cells) tightens the run. Returns
 * what goes before the line's first atom.
 */
static double spread_pad(const struct gw_atom *a, const struct gw_break_opts *o,
                         const struct run *r, int s, int li, bool last, const double *w0, double *w,
                         double *gap)
{
    if (r->pad < 0 && r->r1 - r->r0 > 1) {
        for (int i = r->r0; i < r->r1 - 1; i++)
            gap[i - s] += r->pad / (r->r1 - r->r0 - 1);
        return 0;
    }
    bool end = r->r1 - 1 >= li;
    bool opened = r->r0 > s && (a[r->r0 - 1].punct == GW_PUNCT_OPEN || unit_before(a[r->r0 - 1].cp));
    bool closed = !end && (a[r->r1].punct == GW_PUNCT_CLOSE || unit_after(a[r->r1].cp));
    int after = r->r1 - 1 < li ? r->r1 - 1 : li; /* the atom the pad after the run goes on */
    double before;
    if (r->pad < 0 || (end && last) || (opened && !closed)) {
        before = 0;
    } else if (end) {
        before = r->pad;
    } else if (closed && !opened) {
        int m = r->r1;
        while (m < li && (a[m + 1].flags & GW_ATOM_WIDE) &&
               (a[m + 1].punct == GW_PUNCT_CLOSE || unit_after(a[m + 1].cp)))
            m++;
        /* marks that end a justified line keep it ending on the edge (the pad before);
           marks that end a paragraph have nothing after them to keep on the grid */
        if (m >= li && last)
            return 0;
        if (m >= li) {
            before = r->pad;
        } else {
            before = spread_closed(a, o, r, s, li, m, w0, w);
            after = -1;
        }
    } else if (opened) {
        before = r->pad / 2;
    } else if (r->r0 == s) {
        before = list_number(a, r, li) ? 0 : r->pad / 2;
    } else {
        /* the blank halves of the marks around the run (none once a mark is compressed) */
        double lb = blank_before(a, o, s, r->r0, w0), rb = 0;
        if (a[r->r1].punct == GW_PUNCT_OPEN)
            rb = blank_half(a, o, s, r->r1, w0);
        before = fmin(r->pad, fmax(0, (r->pad + rb - lb) / 2));
    }
    if (after >= 0)
        w[after - s] += r->pad - before;
    if (r->r0 > s) {
        w[r->r0 - 1 - s] += before;
        return 0;
    }
    return before;
}

double gw_grid_place(const struct gw_breaker *b, const struct gw_line *ln, double *x, double *w)
{
    const struct gw_atom *a = b->a;
    const struct gw_break_opts *o = &b->o;
    int s = ln->start, e = ln->end;
    int li = gw_break_last_ink(a, s, e);
    int cnt = e - s;
    double *gap = gw_xcalloc((size_t)cnt * 3 + 1, sizeof(double));
    double *shift = gap + cnt, *w0 = gap + 2 * cnt;
    struct run *runs = gw_xmalloc(((size_t)cnt + 1) * sizeof(*runs));
    int nr = 0;
    double total = 0;
    for (int i = s; i < e; i++) {
        w[i - s] = i > li ? 0 : wide(&a[i]) ? gw_grid_cell(&a[i], o) : a[i].adv;
        total += w[i - s];
    }
    /* the narrow runs of this line (a run the line's ends cut is padded as its part) */
    for (int i = s; i <= li;) {
        if (wide(&a[i])) {
            i++;
            continue;
        }
        int j = i;
        double nat = 0;
        while (j <= li && !wide(&a[j]))
            nat += w[j++ - s];
        runs[nr] = (struct run){i, j, run_cells(nat, gw_grid_cell(&a[i], o)) - nat};
        total += runs[nr++].pad;
        i = j;
    }
    double over = total - (o->width - ln->indent);
    /* a closing mark past the edge hangs (its box at most a cell, its ink half a cell, out) */
    double hang = over > EPS ? fmin(over, gw_grid_hang(a, o, s, li)) : 0;
    over -= hang;
    if (hang > 0 && a[li].punct == GW_PUNCT_MIDDLE) /* centred ink: keep it within half a cell */
        shift[li - s] = -fmax(0, hang - 0.75 * gw_grid_cell(&a[li], o));
    /* then adjacent marks give half a cell each, from the line's end */
    for (int i = li; i >= s && over > EPS; i--) {
        if (b->p.shrink[i] <= 0 || (i == s && a[i].punct != GW_PUNCT_CLOSE) || (i == li && hang > 0))
            continue;
        double cut = fmin(b->p.shrink[i], over);
        w[i - s] -= cut;
        over -= cut;
        if (a[i].punct == GW_PUNCT_OPEN)
            shift[i - s] = -cut;
        else if (a[i].punct == GW_PUNCT_MIDDLE)
            shift[i - s] = -cut / 2;
    }
    bool justify = o->justify && !ln->last;
    if (over > EPS) { /* a forced line (a unit wider than the measure): squeeze it evenly */
        gw_break_stretch(a, s, li, -over, gap);
    } else if (justify && over < -EPS) {
        double slack = -over, cell = gw_grid_cell(&a[s], o);
        int whole = (int)floor(slack / cell + 0.5); /* whole cells, and what the runs' tightening left */
        if (nr > 0 && whole <= nr && fabs(slack - whole * cell) <= GRID_TIGHT * cell * nr + EPS) {
            /* a cell around each of the last runs: the Han text stays on the grid */
            for (int r = nr - 1; r >= 0 && whole > 0; r--, whole--)
                runs[r].pad += cell;
            runs[nr - 1].pad += slack - floor(slack / cell + 0.5) * cell;
        } else {
            gw_break_stretch(a, s, li, slack, gap);
        }
    }
    double pen = 0;
    for (int i = 0; i < cnt; i++)
        w0[i] = w[i];
    for (int r = 0; r < nr; r++)
        pen += spread_pad(a, o, &runs[r], s, li, !justify, w0, w, gap);
    for (int i = s; i < e; i++) {
        x[i - s] = pen + shift[i - s];
        pen += w[i - s] + gap[i - s];
    }
    free(runs);
    free(gap);
    return pen;
}
