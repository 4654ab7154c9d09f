/*
 * test_uax14.c - unit tests for engine/layout/gw_uax14 (UAX #14 line breaking).
 *
 * The main test runs the Unicode conformance file LineBreakTest.txt (from the
 * unicode-data package; argv[1] may name another copy) through
 * gw_uax14_breaks and compares every position, sot and eot included. It
 * prints the pass rate by lines and by positions to stdout and counts as one
 * check, passing only when every line passes; the first failing lines are
 * printed with their classes. Hand cases cover what gongwen typesets: dates,
 * numbers, URLs, Han next to Latin, brackets, —— and …….
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/gw_uax14.h"
#include "util/gw_utf8.h"

#include "harness.h"

#define TEST_FILE  "/usr/share/unicode/auxiliary/LineBreakTest.txt"
#define MAXCP      256
#define SHOW_FAILS 10

static const char *test_file = TEST_FILE;

/* The class names of cps[0..n) and the breaks found, for a failure report. */
static void show_line(long lineno, const uint32_t *cps, size_t n, const uint8_t *want,
                      const uint8_t *got)
{
    fprintf(stderr, "  line %ld:\n    want:", lineno);
    for (size_t i = 0; i <= n; i++) {
        fprintf(stderr, " %s", want[i] ? "÷" : "×");
        if (i < n)
            fprintf(stderr, " %04X(%s)", (unsigned)cps[i], gw_uax14_name(gw_uax14_class(cps[i])));
    }
    fprintf(stderr, "\n    got: ");
    for (size_t i = 0; i <= n; i++) {
        fprintf(stderr, " %s", got[i] ? "÷" : "×");
        if (i < n)
            fprintf(stderr, " %04X", (unsigned)cps[i]);
    }
    fputc('\n', stderr);
}

/*
 * Parse one test line ("× 0023 ÷ 0020 ÷ # comment") into cps and the
 * expected status of every position (0 = ×, 1 = ÷). Returns n, 0 for a
 * blank or comment line, -1 for a malformed one.
 */
static long parse_line(const char *line, uint32_t *cps, uint8_t *want)
{
    size_t n = 0, marks = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '\n' || *p == '#')
            break;
        if (strncmp(p, "×", strlen("×")) == 0 || strncmp(p, "÷", strlen("÷")) == 0) {
            if (marks != n || marks > MAXCP)
                return -1;
            want[marks++] = p[1] == "÷"[1];
            p += strlen("×");
            continue;
        }
        char *end;
        unsigned long cp = strtoul(p, &end, 16);
        if (end == p || cp > 0x10FFFF || n != marks - 1 || n >= MAXCP)
            return -1;
        cps[n++] = (uint32_t)cp;
        p = end;
    }
    if (n == 0 && marks == 0)
        return 0;
    return marks == n + 1 ? (long)n : -1;
}

static void test_conformance(void)
{
    FILE *f = fopen(test_file, "r");
    if (!OK(f != NULL, "open %s (package unicode-data)", test_file))
        return;
    char buf[4096];
    long lineno = 0, lines = 0, lines_ok = 0, pos = 0, pos_ok = 0, bad = 0;
    uint32_t cps[MAXCP];
    uint8_t want[MAXCP + 1], got[MAXCP + 1];
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        long n = parse_line(buf, cps, want);
        if (n < 0) {
            bad++;
            fprintf(stderr, "%s:%ld: malformed test line\n", test_file, lineno);
            continue;
        }
        if (n == 0)
            continue;
        gw_uax14_breaks(cps, (size_t)n, got);
        bool line_ok = true;
        for (long i = 0; i <= n; i++) {
            bool ok = (got[i] != GW_LB_NONE) == (want[i] != 0);
            pos++;
            pos_ok += ok;
            line_ok = line_ok && ok;
        }
        lines++;
        lines_ok += line_ok;
        if (!line_ok && lines - lines_ok <= SHOW_FAILS)
            show_line(lineno, cps, (size_t)n, want, got);
    }
    fclose(f);
    printf("LineBreakTest.txt: lines %ld/%ld (%.2f%%), positions %ld/%ld (%.2f%%)\n", lines_ok,
           lines, lines ? 100.0 * (double)lines_ok / (double)lines : 0.0, pos_ok, pos,
           pos ? 100.0 * (double)pos_ok / (double)pos : 0.0);
    INT_EQ(bad, 0);
    OK(lines > 7000, "the conformance file has its ~7600 test lines (read %ld)", lines);
    OK(lines_ok == lines, "every LineBreakTest.txt line passes (%ld of %ld fail)", lines - lines_ok,
       lines);
}

/*
 * The breaks inside a UTF-8 string, one character per position between two
 * code points: '-' no break, '/' allowed, '!' mandatory. Static buffer.
 */
static const char *breaks(const char *s)
{
    static char res[MAXCP];
    uint32_t cps[MAXCP] = {0};
    uint8_t out[MAXCP + 1];
    size_t n = 0, len = strlen(s), at = 0;
    while (at < len && n < MAXCP)
        cps[n++] = (uint32_t)gw_utf8_next(s, len, &at);
    gw_uax14_breaks(cps, n, out);
    size_t k = 0;
    for (size_t i = 1; i < n; i++)
        res[k++] = out[i] == GW_LB_NONE ? '-' : out[i] == GW_LB_ALLOW ? '/' : '!';
    res[k] = '\0';
    if (n > 0 && (out[0] != GW_LB_NONE || out[n] != GW_LB_MUST))
        return "bad sot/eot";
    return res;
}

static void test_gongwen_cases(void)
{
    STR_EQ(breaks("2024年"), "---/"); /* NU ID: UAX #14 allows it (gw_break keeps 年) */
    STR_EQ(breaks("3.14%"), "----");  /* NU IS NU NU PO: one number */
    STR_EQ(breaks("https://a.b/c"), "-------/---/"); /* SY ÷ AL (no LB21b for AL) */
    STR_EQ(breaks("中文English"), "//------");       /* ID ÷ ID, ID ÷ AL */
    STR_EQ(breaks("（2024）"), "-----");             /* OP SP* ×, NU × CP (LB25) */
    STR_EQ(breaks("——"), "-");                       /* B2 × B2 */
    STR_EQ(breaks("……"), "-");                       /* IN × IN */
    STR_EQ(breaks("—— ——"), "----");                 /* B2 SP* × B2 */
    STR_EQ(breaks("中文，好"), "/-/");               /* × CL, CL ÷ ID */
    STR_EQ(breaks("“中”"), "--");                    /* QU on both sides */
    STR_EQ(breaks("《通知》"), "-/-");               /* OP ×, × CL */
    STR_EQ(breaks("a b"), "-/");                     /* SP ÷ */
    STR_EQ(breaks("a\r\nb"), "--!");                 /* CR × LF, LF ! */
    STR_EQ(breaks("$(12.5)%"), "-------");           /* Example 7: PR OP NU ... CP PO */
    STR_EQ(breaks("第3条"), "//");                   /* ID ÷ NU ÷ ID */
    STR_EQ(breaks("ab(c)"), "----");                 /* LB30: AL × narrow OP; OP ×; × CP */
    STR_EQ(breaks("a（b）c"), "/--/");  /* wide OP/CP: no LB30, so AL ÷ OP, CP ÷ AL */
    STR_EQ(breaks("🇨🇳🇨🇳"), "-/-");      /* RI pairs */
    STR_EQ(breaks("👍🏻"), "-");    /* EB × EM */
    STR_EQ(breaks("e\xCC\x81x"), "--"); /* e + combining acute: CM attaches, then AL × AL */
}

static void test_classes(void)
{
    INT_EQ(gw_uax14_class('A'), GW_LB_AL);
    INT_EQ(gw_uax14_class(' '), GW_LB_SP);
    INT_EQ(gw_uax14_class(0x4E2D), GW_LB_ID); /* 中 */
    INT_EQ(gw_uax14_class(0x3002), GW_LB_CL); /* 。 */
    INT_EQ(gw_uax14_class(0xFF08), GW_LB_OP); /* （ */
    INT_EQ(gw_uax14_class(0x2014), GW_LB_B2);
    INT_EQ(gw_uax14_class(0x2026), GW_LB_IN);
    INT_EQ(gw_uax14_class(0x3041), GW_LB_CJ); /* ぁ: CJ, resolved to NS */
    INT_EQ(gw_uax14_class(0x0E01), GW_LB_SA); /* Thai */
    INT_EQ(gw_uax14_class(0x1F1E8), GW_LB_RI);
    INT_EQ(gw_uax14_class(0x110000), GW_LB_XX);
    INT_EQ(gw_uax14_class(0x10FFFF), GW_LB_XX);
    OK(gw_uax14_flags(0xFF08) & GW_UAX14_WIDE, "（ is East Asian Fullwidth");
    OK(!(gw_uax14_flags('(') & GW_UAX14_WIDE), "( is narrow");
    OK(gw_uax14_flags(0x1F600) & GW_UAX14_EXTPICT, "U+1F600 is Extended_Pictographic");
    OK(gw_uax14_flags(0x0E31) & GW_UAX14_MARK, "U+0E31 THAI MAI HAN-AKAT is Mn");
    OK(gw_uax14_flags(0x1F02C) & GW_UAX14_CN, "U+1F02C is unassigned in 15.0");
    OK(!(gw_uax14_flags(0x4E2D) & GW_UAX14_CN), "中 is assigned");
    STR_EQ(gw_uax14_name(GW_LB_ZWJ), "ZWJ");
    STR_EQ(gw_uax14_name(GW_LB_COUNT), "??");
}

/* n == 0 and n == 1, and a long adversarial run (linear time under the watchdog). */
static void test_edges(void)
{
    uint8_t out[2] = {9, 9};
    gw_uax14_breaks(NULL, 0, out);
    INT_EQ(out[0], GW_LB_NONE);
    uint32_t one = 'a';
    gw_uax14_breaks(&one, 1, out);
    INT_EQ(out[0], GW_LB_NONE);
    INT_EQ(out[1], GW_LB_MUST);

    size_t n = 2000000;
    uint32_t *cps = malloc(n * sizeof *cps);
    uint8_t *res = malloc(n + 1);
    if (!OK(cps && res, "memory for the long run"))
        return;
    /* $( then two million combining marks: the LB25 look-ahead must not rescan */
    cps[0] = '$';
    cps[1] = '(';
    for (size_t i = 2; i < n; i++)
        cps[i] = 0x0301;
    gw_uax14_breaks(cps, n, res);
    OK(res[1] == GW_LB_ALLOW && res[n - 1] == GW_LB_NONE, "PR ÷ OP CM* with no NU; marks attach");
    for (size_t i = 0; i < n; i++)
        cps[i] = i % 2 ? 0x1F1E8 : 0x1F1F3; /* one long RI run: pairs */
    gw_uax14_breaks(cps, n, res);
    OK(res[n - 1] == GW_LB_NONE && res[n - 2] == GW_LB_ALLOW, "RI pairs to the end");
    free(cps);
    free(res);
}

int main(int argc, char **argv)
{
    harness_watchdog(30);
    if (argc > 1)
        test_file = argv[1];
    test_conformance();
    test_gongwen_cases();
    test_classes();
    test_edges();
    return harness_done();
}
