/*
 * test_grid.c - unit tests for grid setting in the breaker (engine/layout/gw_grid.c
 * through gw_break.h with opts.grid): cells, hanging marks, adjacent marks compressed
 * only when a line must shrink, narrow runs padded back to the grid, slack, and a
 * property test over random paragraphs. Atoms and measure as in test_break.c
 * (break_helpers.h): 10 pt cells, 10 cells a line.
 */
#include <math.h>
#include <stdio.h>

#include "break_helpers.h"

static struct gw_break_opts gopts(void)
{
    struct gw_break_opts o = opts();
    o.grid = true;
    o.cell_per_em = 1.0;
    o.hang = true;
    return o;
}

static struct para *grid(const char *text)
{
    return brk_opts(text, gopts());
}

/* Is atom i of line k at x (pt from the line's start)? */
static bool at_x(struct para *p, int k, int i, double want)
{
    double x[MAXA], w[MAXA];
    place(p, k, x, w);
    return fabs(x[i - p->lines[k].start] - want) < TOL;
}

/* Every Han (wide, not a mark) atom of line k on a multiple of the cell. */
static bool han_on_grid(struct para *p, int k)
{
    double x[MAXA], w[MAXA];
    place(p, k, x, w);
    const struct gw_line *ln = &p->lines[k];
    for (int i = ln->start; i < ln->end; i++) {
        const struct gw_atom *a = &p->a[i];
        if ((a->flags & GW_ATOM_WIDE) && a->punct == GW_PUNCT_NONE) {
            double c = (x[i - ln->start] + ln->indent) / EM;
            if (fabs(c - round(c)) > 0.01)
                return false;
        }
    }
    return true;
}

/* text's first line ends before atom end and is set to the whole measure. */
#define FIRST_LINE_FULL(text, end) first_line_full(__LINE__, (text), (end))
static void first_line_full(int at, const char *text, int end)
{
    struct para *p = grid(text);
    harness_ok(__FILE__, at, p->lines[0].end == end && fabs(set_width(p, 0) - 100) < TOL,
               "first line of %s: ends before atom %d (%d), set %.2f pt wide (100)", text, end,
               p->lines[0].end, set_width(p, 0));
    para_free(p);
}

static void test_cells(void)
{
    struct para *p = grid("一二三四五六七八九十一二三四五六七八九十一二三四五");
    COVERS(p);
    INT_EQ(p->nlines, 3);
    for (int k = 0; k < 3; k++)
        OK(han_on_grid(p, k), "line %d of Han on the grid", k);
    OK(at_x(p, 1, 13, 30), "the 14th character at the 4th cell of line 2");
    para_free(p);
    /* a mark keeps its whole cell at a line end (free setting takes its blank half) */
    FIRST_LINE_FULL("一二三四五六七八九，一二", 10);
}

static void test_hang(void)
{
    /* 十 in the last column, 。 in the next: the mark hangs, nothing is pushed down */
    struct para *p = grid("一二三四五六七八九十。甲乙");
    COVERS(p);
    INT_EQ(p->lines[0].end, 11);
    OK(at_x(p, 0, 10, 100), "the hanging mark starts on the edge");
    OK(fabs(set_width(p, 0) - 110) < TOL, "its cell is past the edge");
    OK(han_on_grid(p, 0) && han_on_grid(p, 1), "both lines on the grid");
    para_free(p);
    /* not past a right indent (hang off): 十。 go down together */
    struct gw_break_opts o = gopts();
    o.hang = false;
    p = brk_opts("一二三四五六七八九十。甲乙", o);
    INT_EQ(p->lines[0].end, 9);
    OK(set_width(p, 0) <= 100 + TOL, "without hanging, nothing passes the measure");
    para_free(p);
    /* an opening mark never hangs; two closing marks never hang together */
    p = grid("一二三四五六七八九十“甲乙”");
    OK(set_width(p, 0) <= 100 + TOL, "an opening mark is not hung");
    para_free(p);
    p = grid("一二三四五六七八九十。”甲乙");
    double x[MAXA], w[MAXA];
    place(p, 0, x, w);
    int past = 0;
    for (int i = 0; i < p->lines[0].end - p->lines[0].start; i++)
        past += x[i] + TOL >= 100;
    OK(set_width(p, 0) <= 110 + TOL && past <= 1,
       "of two closing marks, at most one passes the edge (%.2f, %d)", set_width(p, 0), past);
    OK(!gw_break_no_start(p->a[p->lines[1].start].cp, GW_KINSOKU_GB), "no mark starts line 2");
    para_free(p);
}

static void test_pairs(void)
{
    /* room enough: adjacent marks keep their cells */
    struct para *p = grid("甲。”乙。”丙丁戊己");
    INT_EQ(p->nlines, 1);
    OK(at_x(p, 0, 6, 60) && at_x(p, 0, 2, 20), "uncompressed marks: every atom on a cell");
    para_free(p);
    /* one cell too long: the two pairs give half a cell each, from the line's end */
    p = grid("甲。”乙。”丙丁戊己庚辛");
    INT_EQ(p->lines[0].end, 11);
    OK(fabs(set_width(p, 0) - 100) < TOL, "compressed to the measure");
    OK(at_x(p, 0, 10, 90) && at_x(p, 0, 3, 25), "after both pairs the grid again; between, half");
    para_free(p);
    /* an opening mark followed by a closing one gives nothing (GB/T 15834: 2 em stay) */
    p = grid("甲（）乙丙丁戊己庚辛壬");
    OK(p->lines[0].end <= 10, "（） are not compressed to pull a character in");
    para_free(p);
}

static void test_runs(void)
{
    struct gw_break_opts o = gopts();
    o.justify = false;
    /* where atoms i and j of a one-line paragraph are set (x pt) */
    static const struct {
        const char *text, *what;
        int i;
        double xi;
        int j;
        double xj;
    } cases[] = {
        {"甲乙1丙丁", "a digit (5 pt) centred in its cell, 丙 on the grid", 2, 22.5, 3, 30},
        {"甲乙12丙", "two digits fill a cell: no pad", 2, 20, 4, 30},
        {"甲乙123丙", "three digits keep their pitch, padded to two cells", 3, 27.5, 5, 40},
        /* marks keep to their text: closing marks after the run go with it, three fifths
         * of the pad before it and the rest after the marks; after an opening one the pad
         * goes after the run, half and half between brackets */
        {"甲1；乙", "甲 1； 乙: 3 pt before the run, 2 after the mark", 1, 13, 3, 30},
        {"甲1）。乙", "甲 1）。 乙: the rest after the last of the marks", 3, 28, 4, 40},
        {"甲1.5；乙", "a three-atom run before a mark: 3 pt before it, none inside", 1, 13, 5, 40},
        {"甲（1乙", "（1 乙: the pad after the run", 2, 20, 3, 30},
        {"甲（1）乙", "（ 1 ）: the run centred", 2, 22.5, 3, 30},
        /* at a line start a run is centred in its cells, as a full-width digit would be;
         * a list number (2. (1) 2、) starts on the edge */
        {"1甲", "a digit at a line start centred in its cell", 0, 2.5, 1, 10},
        {"123甲", "three digits at a line start centred in their two cells", 0, 2.5, 3, 20},
        {"a甲", "a letter at a line start centred", 0, 2.5, 1, 10},
        {"1.5；甲", "a run before a mark at a line start: three fifths before it", 0, 3, 4, 30},
        {"1、甲", "1、 at a line start: on the edge, the pad after the mark", 0, 0, 1, 5},
        {"(1)甲", "(1) at a line start: on the edge", 0, 0, 3, 20},
        {"12.甲", "12. at a line start: on the edge", 0, 0, 3, 20},
        {"1. 甲", "1. and a space at a line start: on the edge", 0, 0, 3, 20},
        /* a closing mark's blank half before the run, an opening mark's after it, count as
         * pad: the run centred between the inks */
        {"甲；1乙", "；1 乙: the pad after the run", 2, 20, 3, 30},
        {"甲1“乙”", "甲 1“: the pad before the run", 1, 15, 2, 20},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct para *p = brk_opts(cases[c].text, o);
        OK(at_x(p, 0, cases[c].i, cases[c].xi) && at_x(p, 0, cases[c].j, cases[c].xj), "%s",
           cases[c].what);
        para_free(p);
    }
    /* a run just over a cell is tightened (up to 1/20 cell), else it takes another cell */
    static const double over[][2] = {{10.3, 30}, {10.8, 40}};
    for (int c = 0; c < 2; c++) {
        struct para *p = calloc(1, sizeof *p);
        p->n = make_atoms("甲乙x丙", p->a);
        p->a[2].adv = over[c][0];
        run(p, o);
        OK(at_x(p, 0, 3, over[c][1]), "a %.1f pt run: 丙 at %.0f pt", over[c][0], over[c][1]);
        para_free(p);
    }
}

static void test_slack(void)
{
    /* 8 Han + "12" = 9 cells, then “ in the last column goes down: the cell goes before the run */
    struct para *p = grid("甲乙丙丁戊己庚辛12“壬癸”子丑寅卯辰巳午");
    COVERS(p);
    INT_EQ(p->lines[0].end, 10);
    OK(fabs(set_width(p, 0) - 100) < TOL, "the short line still ends on the edge");
    OK(han_on_grid(p, 0), "its slack went around the run: the Han text stays on the grid");
    OK(at_x(p, 0, 8, 90), "the run, at the line's end, ends on the edge");
    para_free(p);
    p = grid("甲乙12丙丁戊己庚辛“壬癸”子丑寅卯辰巳午");
    OK(han_on_grid(p, 0) && at_x(p, 0, 2, 25) && at_x(p, 0, 4, 40),
       "a run inside the line is centred in its two cells");
    para_free(p);
    /* Han only: nothing to take the slack; it is spread (the line ends on the edge) */
    FIRST_LINE_FULL("甲乙丙丁戊己庚辛壬“癸子”丑寅卯辰巳午未申", 9);
}

static void test_presets_and_runts(void)
{
    /* grid setting is quanjiao's: banjiao keeps its half-width marks */
    struct gw_break_opts o = gopts();
    o.punct = GW_PUNCT_BANJIAO;
    struct para *p = brk_opts("甲，乙", o);
    OK(at_x(p, 0, 2, 15), "banjiao: the mark is half a cell, grid or not");
    para_free(p);
    /* 单字不成行 holds on the grid */
    o = gopts();
    o.avoid_runt = true;
    p = brk_opts("一二三四五六七八九十一二三四五六七八九十甲。", o);
    OK(p->nlines == 3 && p->lines[2].end - p->lines[2].start >= 3,
       "the last line holds two characters and the mark (%d lines)", p->nlines);
    para_free(p);
}

/*
 * Random paragraphs: every line covers, stays within the measure but one hanging closing
 * mark, starts with no closing mark, and a line of Han only whose cells fill the measure is
 * on the grid.
 */
static void test_random(void)
{
    static const char *pool[] = {"甲", "乙", "丙", "丁", "，", "。", "、", "“", "”", "（", "）",
                                 "《", "》", "1", "2", "a", "；", "——", "……"};
    srand(22);
    int faults = 0, over = 0, off = 0, full = 0;
    for (int t = 0; t < 2000; t++) {
        char text[4 * MAXA];
        size_t len = 0;
        int n = 1 + rand() % 80;
        for (int i = 0; i < n; i++) {
            const char *s = pool[rand() % (sizeof pool / sizeof *pool)];
            memcpy(text + len, s, strlen(s));
            len += strlen(s);
        }
        text[len] = '\0';
        struct gw_break_opts o = gopts();
        o.indent = (rand() % 3) * EM;
        struct para *p = brk_opts(text, o);
        COVERS(p);
        for (int k = 0; k < p->nlines; k++) {
            const struct gw_line *ln = &p->lines[k];
            double set = set_width(p, k), avail = WIDTH - ln->indent;
            const struct gw_atom *last = &p->a[ln->end - 1];
            if (set > avail + TOL && !(set <= avail + EM + TOL && last->punct == GW_PUNCT_CLOSE))
                over++;
            if (k > 0 && gw_break_no_start(p->a[ln->start].cp, GW_KINSOKU_GB))
                faults++;
            bool hanonly = true;
            for (int i = ln->start; i < ln->end; i++)
                hanonly &= (p->a[i].flags & GW_ATOM_WIDE) && p->a[i].punct == GW_PUNCT_NONE;
            if (hanonly && fabs((ln->end - ln->start) * EM - avail) < TOL) {
                full++;
                off += !han_on_grid(p, k);
            }
        }
        para_free(p);
    }
    INT_EQ(over, 0);
    INT_EQ(faults, 0);
    INT_EQ(off, 0);
    OK(full > 0, "some full Han lines were checked (%d)", full);
}

int main(void)
{
    harness_watchdog(30);
    test_cells();
    test_hang();
    test_pairs();
    test_runs();
    test_slack();
    test_presets_and_runts();
    test_random();
    return harness_done();
}
