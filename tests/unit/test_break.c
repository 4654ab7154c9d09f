/*
 * test_break.c - unit tests for engine/layout/gw_break (the CJK line breaker).
 *
 * Atoms are built by hand from a UTF-8 string on a 10 pt grid: Han and
 * full-width marks are wide atoms (adv 10, em 10, punct from
 * gw_break_punct_class), ASCII letters and digits are narrow (adv 5, em 10),
 * ' ' is a breakable space (adv 2.5). The measure is 100 pt = 10 cells.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "break_helpers.h"

/* ------------------------------------------------------------------------ */

static void test_plain_han(void)
{
    const char *text = "永州市实施安全守底行动工作专报市委经济工作会议精神全面";
    struct para *p = brk(text);
    INT_EQ(p->n, 27);
    INT_EQ(p->nlines, 3);
    COVERS(p);
    STR_EQ(line_text(p, 0), "永州市实施安全守底行");
    STR_EQ(line_text(p, 1), "动工作专报市委经济工");
    STR_EQ(line_text(p, 2), "作会议精神全面");
    double x[MAXA], w[MAXA];
    for (int k = 0; k < 2; k++) {
        DBL_NEAR(place(p, k, x, w), WIDTH, TOL);
        for (int i = 0; i < 10; i++)
            DBL_NEAR(x[i], 10.0 * i, TOL); /* a full line needs no stretching */
        OK(!p->lines[k].last, "line %d is not last", k);
        DBL_NEAR(p->lines[k].indent, 0, 0);
    }
    OK(p->lines[2].last, "line 2 is last");
    para_free(p);

    /* a first-line indent takes two cells from the first line only */
    struct gw_break_opts o = opts();
    o.indent = 20;
    p = brk_opts(text, o);
    INT_EQ(p->nlines, 3);
    STR_EQ(line_text(p, 0), "永州市实施安全守");
    DBL_NEAR(p->lines[0].indent, 20, 0);
    DBL_NEAR(p->lines[1].indent, 0, 0);
    DBL_NEAR(set_width(p, 0), 80, TOL);
    DBL_NEAR(set_width(p, 1), WIDTH, TOL);
    STR_EQ(line_text(p, 1), "底行动工作专报市委经");
    para_free(p);

    /* a measure that is not a whole number of cells: 9 per line, stretched evenly */
    o = opts();
    o.width = 95;
    p = brk_opts(text, o);
    INT_EQ(p->nlines, 3);
    INT_EQ(p->lines[0].end, 9);
    INT_EQ(p->lines[1].end, 18);
    for (int k = 0; k < 2; k++) {
        DBL_NEAR(place(p, k, x, w), 95, TOL);
        for (int i = 0; i + 1 < 9; i++)
            DBL_NEAR(x[i + 1] - x[i], 10 + 5.0 / 8, TOL);
        DBL_NEAR(x[8] + w[8], 95, TOL);
    }
    para_free(p);

    /* no atoms, no lines */
    p = brk("");
    INT_EQ(p->nlines, 0);
    para_free(p);
}

/* A closing mark at the boundary: pushed in when the line can shrink, else pushed out. */
static void test_kinsoku_close(void)
{
    const char *marks[] = {"，", "。", "、", "”", "）", "》", "：", "；", "！", "？", "』"};
    char text[256];
    double x[MAXA], w[MAXA];
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
        /* push out: nothing on the line can shrink, so the last Han goes down with the mark */
        snprintf(text, sizeof text, "一二三四五六七八九十%s甲乙", marks[m]);
        struct para *p = brk(text);
        COVERS(p);
        INT_EQ(p->nlines, 2);
        OK(p->lines[0].end == 9, "%s pushed out with 十: line 0 is \"%s\"", marks[m],
           line_text(p, 0));
        snprintf(text, sizeof text, "十%s甲乙", marks[m]);
        STR_EQ(line_text(p, 1), text);
        DBL_NEAR(place(p, 0, x, w), WIDTH, TOL); /* 9 cells stretched to 10 */
        DBL_NEAR(x[8] + w[8], WIDTH, TOL);
        para_free(p);

        /* push in: the line has a 、 to compress, so the mark fits at half width */
        snprintf(text, sizeof text, "一二三、五六七八九十%s甲乙", marks[m]);
        p = brk(text);
        COVERS(p);
        INT_EQ(p->nlines, 2);
        OK(p->lines[0].end == 11, "%s pushed in: line 0 is \"%s\"", marks[m], line_text(p, 0));
        STR_EQ(line_text(p, 1), "甲乙");
        DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
        DBL_NEAR(w[3], 5, TOL);  /* the inner 、 gave half an em */
        DBL_NEAR(w[10], 5, TOL); /* the line-end mark is half width */
        DBL_NEAR(x[10] + w[10], WIDTH, TOL);
        para_free(p);
    }
}

/* An opening mark never ends a line. */
static void test_kinsoku_open(void)
{
    const char *marks[] = {"“", "（", "《", "【", "「", "‘", "〔"};
    char text[256];
    double x[MAXA], w[MAXA];
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
        /* the mark would be the 10th cell: it moves to the next line */
        snprintf(text, sizeof text, "一二三四五六七八九%s甲乙丙", marks[m]);
        struct para *p = brk(text);
        COVERS(p);
        INT_EQ(p->nlines, 2);
        STR_EQ(line_text(p, 0), "一二三四五六七八九");
        snprintf(text, sizeof text, "%s甲乙丙", marks[m]);
        STR_EQ(line_text(p, 1), text);
        DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
        para_free(p);

        /* with room to shrink, the mark stays and takes its character along */
        snprintf(text, sizeof text, "一二三，五六七八九%s甲乙", marks[m]);
        p = brk(text);
        COVERS(p);
        OK(p->lines[0].end == 11, "%s pushed in with 甲: line 0 is \"%s\"", marks[m],
           line_text(p, 0));
        OK(gw_break_no_end(p->a[p->lines[0].end - 1].cp, GW_KINSOKU_GB) == false,
           "line 0 does not end with an opening mark");
        DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
        DBL_NEAR(w[3], 5, TOL);
        DBL_NEAR(w[9], 5, TOL);
        DBL_NEAR(x[9], 80, TOL); /* the opening mark's blank left half is cut away */
        DBL_NEAR(x[10], 90, TOL);
        para_free(p);
    }
}

/* A full-width mark at a line end is set at half width and the line still fills the measure. */
static void test_line_end_mark(void)
{
    const char *marks[] = {"。", "，", "、", "”", "）"};
    char text[128];
    double x[MAXA], w[MAXA];
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
        snprintf(text, sizeof text, "一二三四五六七八九%s甲乙丙", marks[m]);
        struct para *p = brk(text);
        INT_EQ(p->lines[0].end, 10);
        DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
        DBL_NEAR(w[9], 5, TOL);
        DBL_NEAR(x[9] + w[9], WIDTH, TOL);
        /* the 5 pt freed by the mark is spread over the 9 gaps */
        DBL_NEAR(x[1] - x[0], 10 + 5.0 / 9, TOL);
        para_free(p);
    }
    /* at the end of the paragraph the mark is half width too, and nothing stretches */
    struct para *p = brk("一二三。");
    DBL_NEAR(place(p, 0, x, w), 35, TOL);
    DBL_NEAR(w[3], 5, TOL);
    para_free(p);
}

/* 。” and ）， compress to 1.5 em; （“ too, by cutting the second mark's left blank. */
static void test_adjacent_marks(void)
{
    double x[MAXA], w[MAXA];
    const char *pairs[] = {"。”", "），", "”。", "》、", "」。"};
    char text[64];
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        snprintf(text, sizeof text, "甲%s乙", pairs[k]);
        struct para *p = brk(text);
        INT_EQ(p->nlines, 1);
        DBL_NEAR(place(p, 0, x, w), 35, TOL);
        DBL_NEAR(w[1] + w[2], 15, TOL);
        DBL_NEAR(x[3], 25, TOL);
        para_free(p);
    }
    /* opening pair: the second mark loses its left half */
    struct para *p = brk("甲（“乙");
    DBL_NEAR(place(p, 0, x, w), 35, TOL);
    DBL_NEAR(w[1] + w[2], 15, TOL);
    DBL_NEAR(x[2], 15, TOL); /* drawn 5 pt left, its ink right after （ */
    DBL_NEAR(x[3], 25, TOL);
    para_free(p);
    /* closing then opening: the closing mark's right half goes */
    p = brk("甲）（乙");
    DBL_NEAR(place(p, 0, x, w), 35, TOL);
    DBL_NEAR(w[1], 5, TOL);
    para_free(p);
    /* opening then closing ink touches nothing: no compression */
    p = brk("甲（）乙");
    DBL_NEAR(place(p, 0, x, w), 40, TOL);
    para_free(p);
    /* without justification the compression still applies */
    struct gw_break_opts o = opts();
    o.justify = false;
    p = brk_opts("甲。”乙", o);
    DBL_NEAR(place(p, 0, x, w), 35, TOL);
    para_free(p);
    /* at a line end: 。” takes one em in all, and the line is exactly full */
    p = brk("一二三四五六七八九。”甲乙");
    INT_EQ(p->lines[0].end, 11);
    DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
    DBL_NEAR(w[9] + w[10], 10, TOL);
    DBL_NEAR(x[8], 80, TOL); /* nothing stretched */
    para_free(p);
}

/* —— and …… are one unit; a single — may start a line except in strict mode. */
static void test_dash_ellipsis(void)
{
    const char *units[] = {"——", "……"};
    char text[128];
    double x[MAXA], w[MAXA];
    for (size_t u = 0; u < 2; u++) {
        /* the unit straddles the measure: it moves down whole */
        snprintf(text, sizeof text, "一二三四五六七八九%s甲乙", units[u]);
        struct para *p = brk(text);
        COVERS(p);
        INT_EQ(p->nlines, 2);
        STR_EQ(line_text(p, 0), "一二三四五六七八九");
        for (int k = 0; k < p->nlines; k++)
            OK(p->lines[k].end != 10, "%s split across lines", units[u]);
        DBL_NEAR(set_width(p, 0), WIDTH, TOL);
        para_free(p);

        /* a stretched line puts no gap inside the unit */
        snprintf(text, sizeof text, "一二三四五六七%s甲，乙丙", units[u]);
        p = brk(text);
        INT_EQ(p->lines[0].end, 9);
        DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
        DBL_NEAR(x[8] - x[7], w[7], TOL);
        DBL_NEAR(w[7], 10, TOL);
        DBL_NEAR(x[1] - x[0], 10 + 10.0 / 7, TOL); /* 10 pt over the other 7 gaps */
        para_free(p);
    }
    /* a single — at the boundary: GB lets it start a line, strict does not */
    struct para *p = brk("一二三四五六七八九十—甲");
    INT_EQ(p->lines[0].end, 10);
    STR_EQ(line_text(p, 1), "—甲");
    para_free(p);
    struct gw_break_opts o = opts();
    o.kinsoku = GW_KINSOKU_STRICT;
    p = brk_opts("一二三四五六七八九十—甲", o);
    INT_EQ(p->lines[0].end, 9);
    STR_EQ(line_text(p, 1), "十—甲");
    para_free(p);
}

/* Numbers (with . , % and a following unit or measure word: 年, 种) are never split. */
static void test_numbers(void)
{
    struct {
        const char *tok;
        int han; /* Han before the token, chosen so the measure falls inside it */
    } cases[] = {
        {"2024", 9}, {"3.14", 9}, {"1,000", 9}, {"1,000", 8}, {"85%", 9},
        {"2024年", 9}, {"2024年", 8}, {"29日", 9}, {"１２", 9}, {"12℃", 9},
        {"18种", 9}, {"36处", 9}, {"5个", 9},
    };
    const char *han = "一二三四五六七八九十";
    char text[128];
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        int hb = cases[c].han * 3; /* Han are 3 bytes */
        snprintf(text, sizeof text, "%.*s%s甲乙丙丁", hb, han, cases[c].tok);
        struct para *p = brk(text);
        COVERS(p);
        OK(p->nlines == 2 && p->lines[0].end == cases[c].han,
           "\"%s\" after %d Han moves down whole: line 0 is \"%s\"", cases[c].tok,
           cases[c].han, line_text(p, 0));
        OK(strncmp(line_text(p, 1), cases[c].tok, strlen(cases[c].tok)) == 0,
           "line 1 starts with \"%s\": \"%s\"", cases[c].tok, line_text(p, 1));
        DBL_NEAR(set_width(p, 0), WIDTH, TOL);
        para_free(p);
    }
    /* control: a number that fits ends the line normally (before an opening mark) */
    struct para *p = brk("一二三四五六七八2024（甲乙）");
    INT_EQ(p->lines[0].end, 12);
    STR_EQ(line_text(p, 1), "（甲乙）");
    para_free(p);
}

/* A Latin word is not split; a line may break after a space (never before one). */
static void test_latin(void)
{
    double x[MAXA], w[MAXA];
    struct para *p = brk("一二三四五六七八hello甲");
    COVERS(p);
    INT_EQ(p->lines[0].end, 8);
    STR_EQ(line_text(p, 1), "hello甲");
    para_free(p);

    /* words of 8 letters: "abcdefgh ijklmnop " fits (the trailing space hangs) */
    p = brk("abcdefgh ijklmnop qrstuvwx");
    COVERS(p);
    INT_EQ(p->nlines, 2);
    STR_EQ(line_text(p, 0), "abcdefgh ijklmnop ");
    STR_EQ(line_text(p, 1), "qrstuvwx");
    DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
    DBL_NEAR(w[17], 0, TOL); /* the trailing space vanishes */
    DBL_NEAR(x[16] + w[16], WIDTH, TOL);
    para_free(p);

    /* a space right at the measure stays on the line; the next line starts with 甲 */
    p = brk("一二三四五六七八九十 甲");
    INT_EQ(p->nlines, 2);
    INT_EQ(p->lines[0].end, 11);
    STR_EQ(line_text(p, 1), "甲");
    DBL_NEAR(set_width(p, 0), WIDTH, TOL);
    para_free(p);

    /* no line starts with a space */
    p = brk("ab cd ef gh ij kl mn op qr st uv wx yz ab cd ef gh ij kl mn");
    COVERS(p);
    OK(p->nlines > 1, "several lines");
    for (int k = 1; k < p->nlines; k++)
        OK(!(p->a[p->lines[k].start].flags & GW_ATOM_SPACE), "line %d starts with a space", k);
    for (int k = 0; k + 1 < p->nlines; k++)
        OK(p->a[p->lines[k].end - 1].flags & GW_ATOM_SPACE, "line %d ends after a space", k);
    para_free(p);
}

/* The last line keeps its natural width; without justify no line stretches. */
static void test_last_line(void)
{
    double x[MAXA], w[MAXA];
    struct para *p = brk("一二三四五六七八九十甲乙丙");
    INT_EQ(p->nlines, 2);
    DBL_NEAR(place(p, 1, x, w), 30, TOL);
    DBL_NEAR(x[0], 0, TOL);
    DBL_NEAR(x[1], 10, TOL);
    DBL_NEAR(x[2], 20, TOL);
    para_free(p);

    /* a last line ending in a mark: natural width, the mark at half width */
    p = brk("一二三四五六七八九十甲乙，丙。");
    DBL_NEAR(place(p, 1, x, w), 45, TOL);
    para_free(p);

    struct gw_break_opts o = opts();
    o.justify = false;
    p = brk_opts("一二三四五六七八九十，甲乙", o);
    INT_EQ(p->lines[0].end, 9);
    DBL_NEAR(place(p, 0, x, w), 90, TOL); /* pushed out, not stretched */
    DBL_NEAR(x[8], 80, TOL);
    para_free(p);
}

/* Atoms wider than the measure, or no legal break at all, still make progress. */
static void test_progress(void)
{
    /* 甲, a 150 pt picture-like atom, 乙 */
    struct para *p = calloc(1, sizeof *p);
    p->n = make_atoms("甲图乙", p->a);
    p->a[1].adv = 150;
    p->a[1].em = 150;
    run(p, opts());
    COVERS(p);
    INT_EQ(p->nlines, 3);
    INT_EQ(p->lines[1].start, 1);
    INT_EQ(p->lines[1].end, 2);
    para_free(p);

    p = calloc(1, sizeof *p);
    p->a[0] = (struct gw_atom){.cp = 0x56FE, .adv = 250, .em = 10, .flags = GW_ATOM_WIDE};
    p->n = 1;
    run(p, opts());
    INT_EQ(p->nlines, 1);
    COVERS(p);
    para_free(p);

    /* a measure narrower than one cell: one atom per line */
    struct gw_break_opts o = opts();
    o.width = 5;
    p = brk_opts("一二三四五", o);
    INT_EQ(p->nlines, 5);
    COVERS(p);
    para_free(p);

    /* no legal break anywhere: forced breaks, every atom placed once */
    p = brk("。。。。。。。。。。。。。。。。。。。。。。。。。");
    COVERS(p);
    OK(p->nlines >= 2, "a long run of marks still breaks (%d lines)", p->nlines);
    para_free(p);
    p = brk("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    COVERS(p);
    OK(p->nlines >= 2, "an over-long word still breaks (%d lines)", p->nlines);
    for (int k = 0; k < p->nlines; k++)
        OK(set_width(p, k) <= WIDTH + TOL, "forced line %d fits", k);
    para_free(p);
}

static void test_classes(void)
{
    const char *no_start = "、。，；：？！”’）〕】》〉」』〗］｝";
    const char *no_end = "“‘（〔【《〈「『〖［｛";
    const enum gw_kinsoku ks[] = {GW_KINSOKU_BASIC, GW_KINSOKU_GB, GW_KINSOKU_STRICT};
    size_t i = 0, len = strlen(no_start);
    while (i < len) {
        uint32_t cp = (uint32_t)gw_utf8_next(no_start, len, &i);
        for (int k = 0; k < 3; k++) {
            OK(gw_break_no_start(cp, ks[k]), "U+%04X may not start a line (mode %d)", cp, k);
            OK(!gw_break_no_end(cp, ks[k]), "U+%04X may end a line (mode %d)", cp, k);
        }
        INT_EQ(gw_break_punct_class(cp), GW_PUNCT_CLOSE);
    }
    i = 0, len = strlen(no_end);
    while (i < len) {
        uint32_t cp = (uint32_t)gw_utf8_next(no_end, len, &i);
        for (int k = 0; k < 3; k++) {
            OK(gw_break_no_end(cp, ks[k]), "U+%04X may not end a line (mode %d)", cp, k);
            OK(!gw_break_no_start(cp, ks[k]), "U+%04X may start a line (mode %d)", cp, k);
        }
        INT_EQ(gw_break_punct_class(cp), GW_PUNCT_OPEN);
    }
    for (int k = 0; k < 3; k++) {
        OK(!gw_break_no_start(0x4E00, ks[k]) && !gw_break_no_end(0x4E00, ks[k]),
           "Han breaks freely (mode %d)", k);
        OK(!gw_break_no_end(0x2014, ks[k]), "— may end a line (mode %d)", k);
    }
    /* a single U+2014 (and …, ⸺) may start a line, except in strict mode */
    OK(!gw_break_no_start(0x2014, GW_KINSOKU_GB), "GB: — may start a line");
    OK(!gw_break_no_start(0x2014, GW_KINSOKU_BASIC), "basic: — may start a line");
    OK(gw_break_no_start(0x2014, GW_KINSOKU_STRICT), "strict: — may not start a line");
    OK(!gw_break_no_start(0x2026, GW_KINSOKU_GB), "GB: … may start a line");
    OK(gw_break_no_start(0x2026, GW_KINSOKU_STRICT), "strict: … may not start a line");
    OK(gw_break_no_start(0x2E3A, GW_KINSOKU_STRICT), "strict: ⸺ may not start a line");
    /* '/' may not end a line except in basic mode */
    OK(!gw_break_no_end('/', GW_KINSOKU_BASIC), "basic: / may end a line");
    OK(gw_break_no_end('/', GW_KINSOKU_GB), "GB: / may not end a line");
    OK(gw_break_no_end('/', GW_KINSOKU_STRICT), "strict: / may not end a line");
    INT_EQ(gw_break_punct_class(0x4E00), GW_PUNCT_NONE);
    INT_EQ(gw_break_punct_class(0x2014), GW_PUNCT_NONE);
    INT_EQ(gw_break_punct_class(','), GW_PUNCT_NONE);
}

static void test_punct_from_ink(void)
{
    const uint32_t period = 0x3002, comma = 0xFF0C, lquote = 0x201C, lparen = 0xFF08;
    INT_EQ(gw_break_punct_from_ink(period, 0.25, 0.45, 1.0), GW_PUNCT_CLOSE);
    INT_EQ(gw_break_punct_from_ink(comma, 0.10, 0.35, 1.0), GW_PUNCT_CLOSE);
    INT_EQ(gw_break_punct_from_ink(lquote, 0.60, 0.93, 1.0), GW_PUNCT_OPEN);
    INT_EQ(gw_break_punct_from_ink(lparen, 0.60, 0.93, 1.0), GW_PUNCT_OPEN);
    INT_EQ(gw_break_punct_from_ink(period, 0.40, 0.60, 1.0), GW_PUNCT_MIDDLE);
    INT_EQ(gw_break_punct_from_ink(comma, 0.40, 0.60, 1.0), GW_PUNCT_MIDDLE);
    /* the ink decides over the table */
    INT_EQ(gw_break_punct_from_ink(lquote, 0.25, 0.45, 1.0), GW_PUNCT_CLOSE);
    INT_EQ(gw_break_punct_from_ink(period, 0.60, 0.93, 1.0), GW_PUNCT_OPEN);
    /* in font units: the same proportions */
    INT_EQ(gw_break_punct_from_ink(period, 250, 450, 1000), GW_PUNCT_CLOSE);
    INT_EQ(gw_break_punct_from_ink(lquote, 600, 930, 1000), GW_PUNCT_OPEN);
    INT_EQ(gw_break_punct_from_ink(period, 400, 600, 1000), GW_PUNCT_MIDDLE);
    /* ink filling the box: nothing to compress */
    INT_EQ(gw_break_punct_from_ink(period, 0.05, 0.95, 1.0), GW_PUNCT_NONE);
    /* not a compressible mark: NONE whatever the ink */
    INT_EQ(gw_break_punct_from_ink(0x4E00, 0.25, 0.45, 1.0), GW_PUNCT_NONE);
    INT_EQ(gw_break_punct_from_ink(0x2014, 0.40, 0.60, 1.0), GW_PUNCT_NONE);
    /* unknown advance: the table class */
    INT_EQ(gw_break_punct_from_ink(period, 0.40, 0.60, 0), GW_PUNCT_CLOSE);
    INT_EQ(gw_break_punct_from_ink(lquote, 0.25, 0.45, 0), GW_PUNCT_OPEN);
}

/* Centred marks (GW_PUNCT_MIDDLE) lose a quarter em on each side. */
static void test_middle_marks(void)
{
    double x[MAXA], w[MAXA];
    struct para *p = calloc(1, sizeof *p);
    p->n = make_atoms("甲。”乙", p->a);
    p->a[1].punct = GW_PUNCT_MIDDLE;
    run(p, opts());
    DBL_NEAR(place(p, 0, x, w), 35, TOL);
    DBL_NEAR(w[1], 5, TOL);
    DBL_NEAR(x[1], 7.5, TOL); /* glyph centre 12.5 = centre of its slot [10, 15] */
    DBL_NEAR(x[2], 15, TOL);
    para_free(p);

    p = calloc(1, sizeof *p);
    p->n = make_atoms("一二三四五六七八九。甲", p->a);
    p->a[9].punct = GW_PUNCT_MIDDLE;
    run(p, opts());
    INT_EQ(p->lines[0].end, 10);
    DBL_NEAR(place(p, 0, x, w), WIDTH, TOL);
    DBL_NEAR(w[9], 5, TOL);
    /* the glyph's centre (its ink) is centred in the half-em slot [95, 100] */
    DBL_NEAR(x[9] + EM / 2, WIDTH - EM / 4, TOL);
    para_free(p);
}

/*
 * Every line must fit the measure. Regression tests for engine bugs in
 * 1b25b33 (gw_break.c; fixed in 25874c8): gw_breaker_lines accepted a line
 * when "natural - shrink" fit, but gw_breaker_place only shrank justified
 * non-final lines, and never a line's first atom unless it was a closing
 * mark. These lines came out 105 pt wide on a 100 pt measure:
 *  (a) a paragraph's last line that needs compression (placed unshrunk);
 *  (b) a justified line that starts with an opening mark whose shrink the
 *      breaker counted (place() keeps a line-start bracket whole);
 *  (c) any line that needs compression when justify is off.
 */
static void test_lines_fit_measure(void)
{
    double x[MAXA], w[MAXA];
    /* (a) one last line: 8 Han + ， + Han + 。 = 105 natural, 100 after compressing ， */
    struct para *p = brk("一二三四五六七八，九。");
    COVERS(p);
    for (int k = 0; k < p->nlines; k++) {
        double sw = place(p, k, x, w);
        OK(sw <= WIDTH + TOL, "(a) last-line case: line %d \"%s\" is %.2f pt wide, measure %.0f",
           k, line_text(p, k), sw, WIDTH);
    }
    para_free(p);

    /* (b) a line starting with （: （ + 9 Han + "5" = 105 natural */
    p = brk("（一二三四五六七八九5中文字");
    COVERS(p);
    for (int k = 0; k < p->nlines; k++) {
        double sw = place(p, k, x, w);
        OK(sw <= WIDTH + TOL, "(b) opening-mark case: line %d \"%s\" is %.2f pt wide", k,
           line_text(p, k), sw);
        if (!p->lines[k].last)
            DBL_NEAR(sw, WIDTH, TOL);
    }
    para_free(p);

    /* (c) justify off: the push-in line of test_kinsoku_close */
    struct gw_break_opts o = opts();
    o.justify = false;
    p = brk_opts("一二三、五六七八九十，甲乙", o);
    COVERS(p);
    for (int k = 0; k < p->nlines; k++) {
        double sw = place(p, k, x, w);
        OK(sw <= WIDTH + TOL, "(c) justify off: line %d \"%s\" is %.2f pt wide", k,
           line_text(p, k), sw);
    }
    para_free(p);
}

/* ------------------------------------------------------------------------ */
/* Random paragraphs: the invariants hold for every line of every paragraph. */

static unsigned long rng_state = 12345;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((rng_state >> 33) % n);
}

static const char *pick(const char *const *v, unsigned n)
{
    return v[rnd(n)];
}

/* A paragraph of Han with marks, units, numbers and short Latin words. */
static void random_text(char *buf, size_t cap)
{
    static const char *const han[] = {"永", "州", "安", "全", "守", "底", "行", "动", "工", "作"};
    static const char *const close[] = {"，", "。", "、", "”", "）", "》", "；", "：", "！", "。”",
                                        "），"};
    static const char *const open[] = {"“", "（", "《", "【"};
    static const char *const other[] = {"——", "……", "2024年", "3.14", "1,000", "85%", "29日",
                                        " word ", " ab cd ", " Lua "};
    size_t o = 0;
    buf[0] = '\0';
    int tokens = 5 + (int)rnd(60);
    for (int t = 0; t < tokens && o + 64 < cap; t++) {
        unsigned r = rnd(100);
        const char *tok;
        if (r < 60)
            tok = pick(han, 10);
        else if (r < 75)
            tok = pick(close, 11);
        else if (r < 85)
            tok = pick(open, 4);
        else
            tok = pick(other, 10);
        o += (size_t)snprintf(buf + o, cap - o, "%s", tok);
        /* an opening mark is followed by text; so is a number or word, so that
         * ASCII tokens never merge into one word longer than the measure */
        if (r >= 75)
            o += (size_t)snprintf(buf + o, cap - o, "%s", pick(han, 10));
    }
}

/* May no line start at atom j of p (inside a unit the breaker must keep whole)? */
static bool inside_unit(const struct para *p, int j)
{
    uint32_t prev = p->a[j - 1].cp, cur = p->a[j].cp;
    bool digit_prev = prev >= '0' && prev <= '9';
    bool ascii_prev = prev > 0x20 && prev < 0x7F, ascii_cur = cur > 0x20 && cur < 0x7F;
    if ((prev == 0x2014 || prev == 0x2026) && cur == prev)
        return true;
    if (ascii_prev && ascii_cur)
        return true; /* numbers and Latin words */
    if (digit_prev && (cur == 0x5E74 || cur == 0x65E5))
        return true; /* 2024年, 29日 */
    return (p->a[j].flags & GW_ATOM_SPACE) != 0; /* never break before a space */
}

/* Where atom a's ink sits when its glyph box starts at x (false for spaces). */
static bool ink(const struct gw_atom *a, double x, double *i0, double *i1)
{
    switch (a->flags & GW_ATOM_SPACE ? -1 : a->punct) {
    case -1: return false;
    case GW_PUNCT_CLOSE: *i0 = x, *i1 = x + a->em / 2; break;
    case GW_PUNCT_OPEN: *i0 = x + a->em / 2, *i1 = x + a->em; break;
    case GW_PUNCT_MIDDLE: *i0 = x + a->em / 4, *i1 = x + a->em * 3 / 4; break;
    default: *i0 = x, *i1 = x + a->adv; break;
    }
    return true;
}

static void test_random_paragraphs(void)
{
    static const double widths[] = {100, 95, 120, 63, 210};
    char text[4 * MAXA];
    int bad[7] = {0};
    char first[7][4 * MAXA + 64] = {{0}};
    const char *what[7] = {"lines do not cover the atoms", "a line starts with a closing mark",
                           "a line ends with an opening mark", "a unit is split",
                           "a line is wider than the measure",
                           "a justified line does not fill the measure",
                           "ink overlaps or leaves the measure"};
    int paras = 3000, lines = 0, impossible = 0;
    for (int it = 0; it < paras; it++) {
        random_text(text, sizeof text);
        struct gw_break_opts o = opts();
        o.width = widths[rnd(5)];
        o.indent = rnd(2) ? 20 : 0;
        o.justify = rnd(4) != 0;
        struct para *p = brk_opts(text, o);
        if (p->n == 0) {
            para_free(p);
            continue;
        }
        int v[7] = {0};
        /*
         * A unit with the marks that may not start a line after it ("1,000工。；")
         * wider than the indented first line has no legal break: the breaker
         * then breaks where it must, and only the covering checks apply.
         */
        bool legal = gw_breaker_min_width(p->b) <= o.width - o.indent + TOL;
        impossible += !legal;
        v[0] = !(p->nlines > 0 && p->lines[0].start == 0 && p->lines[p->nlines - 1].end == p->n);
        for (int k = 0; k < p->nlines; k++) {
            const struct gw_line *ln = &p->lines[k];
            lines++;
            if (ln->end <= ln->start || (k > 0 && ln->start != p->lines[k - 1].end) ||
                ln->last != (k == p->nlines - 1))
                v[0] = 1;
            if (legal && k > 0 && gw_break_no_start(p->a[ln->start].cp, GW_KINSOKU_GB))
                v[1] = 1;
            if (legal && !ln->last && gw_break_no_end(p->a[ln->end - 1].cp, GW_KINSOKU_GB))
                v[2] = 1;
            if (k > 0 && inside_unit(p, ln->start))
                v[3] = 1;
            double x[MAXA], w[MAXA];
            double sw = gw_breaker_place(p->b, ln, x, w);
            double avail = o.width - ln->indent;
            if (sw > avail + TOL)
                v[4] = 1;
            if (o.justify && !ln->last && ln->end - ln->start > 1 && fabs(sw - avail) > TOL)
                v[5] = 1;
            double prev_end = 0; /* ink never left of the margin, never overlapping */
            for (int i = ln->start; i < ln->end; i++) {
                double i0, i1;
                if (!ink(&p->a[i], x[i - ln->start], &i0, &i1))
                    continue;
                if (i0 < prev_end - TOL || i1 > avail + TOL)
                    v[6] = 1;
                prev_end = i1;
            }
        }
        for (int c = 0; c < 7; c++)
            if (v[c] && bad[c]++ == 0)
                snprintf(first[c], sizeof first[c], "width %.0f indent %.0f justify %d: %s",
                         o.width, o.indent, o.justify, text);
        para_free(p);
    }
    for (int c = 0; c < 7; c++)
        OK(bad[c] == 0, "%s in %d of %d random paragraphs; first: %s", what[c], bad[c], paras,
           first[c]);
    OK(lines > paras, "the random paragraphs made %d lines", lines);
    OK(impossible * 50 < paras, "%d of %d random paragraphs have a unit wider than the measure",
       impossible, paras);
}

/* 单字不成行: a one-character last line pulls a character down from the line above. */
static void test_no_runt(void)
{
    struct gw_break_opts o = opts();
    struct para *p = brk_opts("一二三四五六七八九十甲。", o);
    INT_EQ(p->nlines, 2);
    STR_EQ(line_text(p, 1), "甲。"); /* without the option: a runt */
    para_free(p);
    o.avoid_runt = true;
    p = brk_opts("一二三四五六七八九十甲。", o);
    COVERS(p);
    INT_EQ(p->nlines, 2);
    STR_EQ(line_text(p, 1), "十甲。");
    DBL_NEAR(set_width(p, 0), WIDTH, TOL); /* the shortened line is still justified */
    para_free(p);
    /* a last line of two characters is fine as it is */
    p = brk_opts("一二三四五六七八九十甲乙。", o);
    STR_EQ(line_text(p, 1), "甲乙。");
    para_free(p);
    /* the pulled-down break stays legal: never before a closing mark */
    p = brk_opts("一二三四五六七八，十甲。", o);
    COVERS(p);
    for (int k = 1; k < p->nlines; k++)
        OK(!gw_break_no_start(p->a[p->lines[k].start].cp, GW_KINSOKU_GB), "line %d start", k);
    OK(strcmp(line_text(p, p->nlines - 1), "甲。") != 0, "no runt: %s", line_text(p, 1));
    para_free(p);
}

/* banjiao: every mark is half width; kaiming: 。？！ keep a full em inside the line. */
static void test_punct_presets(void)
{
    double x[MAXA], w[MAXA];
    struct gw_break_opts o = opts();
    o.punct = GW_PUNCT_BANJIAO;
    struct para *p = brk_opts("甲，乙。丙", o);
    DBL_NEAR(place(p, 0, x, w), 40, TOL);
    DBL_NEAR(w[1], 5, TOL);
    DBL_NEAR(w[3], 5, TOL);
    para_free(p);
    o.punct = GW_PUNCT_KAIMING;
    p = brk_opts("甲，乙。丙", o);
    DBL_NEAR(place(p, 0, x, w), 45, TOL);
    DBL_NEAR(w[1], 5, TOL);
    DBL_NEAR(w[3], 10, TOL);
    para_free(p);
    /* adjacent marks are not halved twice: 甲）（乙 is 1 + 0.5 + 0.5 + 1 em, nothing overlaps */
    o.punct = GW_PUNCT_BANJIAO;
    p = brk_opts("甲）（乙", o);
    DBL_NEAR(place(p, 0, x, w), 30, TOL);
    DBL_NEAR(w[1], 5, TOL);
    DBL_NEAR(w[2], 5, TOL);
    OK(x[3] >= x[2] + w[2] - TOL, "乙 after （: %g >= %g", x[3], x[2] + w[2]);
    para_free(p);
    o.punct = GW_PUNCT_QUANJIAO;
    p = brk_opts("甲，乙。丙", o);
    DBL_NEAR(place(p, 0, x, w), 50, TOL);
    para_free(p);
}

/* CJK-Latin spacing: a quarter em between Han and Latin/digits, none at a line end. */
static void test_cjk_latin(void)
{
    double x[MAXA], w[MAXA];
    struct gw_break_opts o = opts();
    o.cjk_latin = 0.25;
    struct para *p = brk_opts("甲A乙", o);
    DBL_NEAR(place(p, 0, x, w), 10 + 2.5 + 5 + 2.5 + 10, TOL);
    DBL_NEAR(x[1], 12.5, TOL);
    para_free(p);
    p = brk_opts("甲乙", o); /* no Latin: no gap */
    DBL_NEAR(place(p, 0, x, w), 20, TOL);
    para_free(p);
    p = brk_opts("一二三四五六七八九十1", o); /* the gap after 十 goes at the line end */
    DBL_NEAR(set_width(p, 0), WIDTH, TOL);
    para_free(p);
}

/* ---- regressions for Typst's CJK bugs (format-spec §5.1) ---- */

/* typst#2348: an opening mark at a paragraph start (after the indent) may lose its blank half. */
static void test_typst_2348(void)
{
    double x[MAXA], w[MAXA];
    struct gw_break_opts o = opts();
    o.indent = 20;
    o.trim_start = true;
    struct para *p = brk_opts("“甲乙”丙", o);
    place(p, 0, x, w);
    DBL_NEAR(w[0], 5, TOL);  /* half width */
    DBL_NEAR(x[0], -5, TOL); /* drawn half an em left: its ink starts at the indent */
    DBL_NEAR(x[1], 5, TOL);  /* and 甲 follows right after that ink */
    para_free(p);
    o.trim_start = false; /* the default keeps line starts on the margin */
    p = brk_opts("“甲乙”丙", o);
    place(p, 0, x, w);
    DBL_NEAR(w[0], 10, TOL);
    DBL_NEAR(x[0], 0, TOL);
    para_free(p);
}

/* typst#3082: no closing mark at a line start after "（…0）". */
static void test_typst_3082(void)
{
    /* "（0000）" ends exactly at the measure; the comma must not start line 2 */
    struct para *p = brk("一二三四（0000），五六七八九十");
    COVERS(p);
    for (int k = 1; k < p->nlines; k++)
        OK(!gw_break_no_start(p->a[p->lines[k].start].cp, GW_KINSOKU_GB), "line %d starts with %s",
           k, line_text(p, k));
    DBL_NEAR(set_width(p, 0), WIDTH, TOL);
    para_free(p);
}

/* typst#3743: a mark at a line end is compressed in every break mode (greedy here). */
static void test_typst_3743(void)
{
    double x[MAXA], w[MAXA];
    struct gw_break_opts o = opts();
    o.justify = false;
    struct para *p = brk_opts("一二三四五六七八九，甲乙", o);
    INT_EQ(p->lines[0].end, 10);
    place(p, 0, x, w);
    DBL_NEAR(w[9], 5, TOL);
    para_free(p);
}

/* typst#6501: a colon before an opening quote is compressed. */
static void test_typst_6501(void)
{
    double x[MAXA], w[MAXA];
    struct para *p = brk("他说：“好。”");
    place(p, 0, x, w);
    DBL_NEAR(w[2] + w[3], 15, TOL);
    para_free(p);
}

/* typst#2439: 【】〖〗〔〕［］｛｝？！ are adjustable marks. */
static void test_typst_2439(void)
{
    const char *open = "【〖〔［｛", *close = "】〗〕］｝？！";
    size_t i = 0, n = strlen(open);
    while (i < n)
        INT_EQ(gw_break_punct_class((uint32_t)gw_utf8_next(open, n, &i)), GW_PUNCT_OPEN);
    i = 0, n = strlen(close);
    while (i < n)
        INT_EQ(gw_break_punct_class((uint32_t)gw_utf8_next(close, n, &i)), GW_PUNCT_CLOSE);
    double x[MAXA], w[MAXA];
    struct para *p = brk("甲？”乙【丙】。");
    place(p, 0, x, w);
    DBL_NEAR(w[1] + w[2], 15, TOL); /* ？” */
    DBL_NEAR(w[6] + w[7], 10, TOL); /* 】。 at the paragraph end: 1.5 em less the end half */
    para_free(p);
}

/* UAX #14 decides between Latin characters: a break after a hyphen; a URL stays whole. */
static void test_uax14_latin(void)
{
    /* 8 + 1 narrow atoms fit in 45 pt; the line may end after the hyphen */
    struct gw_break_opts o = opts();
    o.width = 45;
    struct para *p = brk_opts("abcd-efghij", o);
    COVERS(p);
    STR_EQ(line_text(p, 0), "abcd-");
    para_free(p);
    /* an e-mail address has a hyphen too, but it is one unit (split only when it must be) */
    o.width = 100;
    p = brk_opts("甲乙丙丁戊己庚辛ab-cd@x.cn", o);
    COVERS(p);
    STR_EQ(line_text(p, 0), "甲乙丙丁戊己庚辛");
    para_free(p);
}

/* A hanging indent: lines after the first start rest_indent in and are that much shorter. */
static void test_hanging(void)
{
    struct gw_break_opts o = opts();
    o.indent = 20;
    o.rest_indent = 30;
    struct para *p = brk_opts("一二三四五六七八九十一二三四五六七八九十一二", o);
    COVERS(p);
    INT_EQ(p->nlines, 3);
    OK(fabs(p->lines[0].indent - 20) < TOL && fabs(p->lines[1].indent - 30) < TOL &&
           fabs(p->lines[2].indent - 30) < TOL,
       "first line at indent, the others at rest_indent");
    INT_EQ(p->lines[0].end - p->lines[0].start, 8); /* (100 - 20) / 10 */
    INT_EQ(p->lines[1].end - p->lines[1].start, 7); /* (100 - 30) / 10 */
    OK(fabs(set_width(p, 1) - 70) < TOL, "a justified hanging line fills the rest of the measure");
    para_free(p);
}

/*
 * Balanced lines: as many lines as at the full measure, at the narrowest
 * measure that keeps that count, the breaks chosen so that all lines, the
 * last too, are within a character of each other.
 */
static void test_balance(void)
{
    static const char *texts[] = {
        "一二三四五六七八九十一二",               /* 12 at 10 a line: 10 + 2 -> 6 + 6 */
        "一二三四五六七八九十一二三四五六七八九十一", /* 21: 10 + 10 + 1 -> 7 + 7 + 7 */
        "一二三abcdefgh四五六七八九十",            /* a Latin word stays whole */
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        struct para *plain = brk(texts[t]);
        struct para *p = calloc(1, sizeof *p);
        p->n = make_atoms(texts[t], p->a);
        p->o = opts();
        p->o.justify = false;
        p->b = gw_breaker_new(p->a, p->n, &p->o);
        p->nlines = gw_breaker_balance(p->b, &p->lines);
        COVERS(p);
        INT_EQ(p->nlines, plain->nlines);
        double lo = 1e9, hi = 0;
        for (int k = 0; k < p->nlines; k++) {
            double w = set_width(p, k);
            lo = fmin(lo, w);
            hi = fmax(hi, w);
        }
        OK(hi - lo <= EM + TOL, "text %zu: %d balanced lines within a character (%g to %g)", t,
           p->nlines, lo, hi);
        OK(gw_breaker_width(p->b) < WIDTH, "text %zu: set at a narrower measure (%g)", t,
           gw_breaker_width(p->b));
        for (int k = 0; k < p->nlines; k++) {
            const char *s = line_text(p, k);
            OK(!strstr(s, "abc") == !strstr(s, "fgh"), "text %zu: no break inside abcdefgh", t);
        }
        para_free(plain);
        para_free(p);
    }
    /* one line: nothing to balance, the measure stays */
    struct para *p = calloc(1, sizeof *p);
    p->n = make_atoms("一二三", p->a);
    p->o = opts();
    p->b = gw_breaker_new(p->a, p->n, &p->o);
    p->nlines = gw_breaker_balance(p->b, &p->lines);
    INT_EQ(p->nlines, 1);
    OK(fabs(gw_breaker_width(p->b) - WIDTH) < TOL, "a one-line paragraph keeps the measure");
    para_free(p);
}

int main(void)
{
    harness_watchdog(30);
    test_plain_han();
    test_kinsoku_close();
    test_kinsoku_open();
    test_line_end_mark();
    test_adjacent_marks();
    test_dash_ellipsis();
    test_numbers();
    test_latin();
    test_last_line();
    test_progress();
    test_classes();
    test_punct_from_ink();
    test_middle_marks();
    test_lines_fit_measure();
    test_random_paragraphs();
    test_no_runt();
    test_punct_presets();
    test_cjk_latin();
    test_typst_2348();
    test_typst_3082();
    test_typst_3743();
    test_typst_6501();
    test_typst_2439();
    test_uax14_latin();
    test_hanging();
    test_balance();
    return harness_done();
}
