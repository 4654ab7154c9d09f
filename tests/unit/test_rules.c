/*
 * test_rules.c - unit tests for engine/rules (the bounded PCRE2 wrapper).
 *
 * Compile errors and flags, UTF + UCP matching with byte offsets,
 * replacement templates ($0..$9, ${name}, $$), global and empty-match
 * replacement, the seed's rule patterns (plugins/rules/spacing.lua and
 * paste.lua), and the match limits that stop catastrophic backtracking.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "rules/gw_rules.h"
#include "util/gw_buf.h"

/* Pairs an ovector array holds. */
#define OVN(ov) ((int)(sizeof(ov) / sizeof((ov)[0]) / 2))

/* plugins/rules/spacing.lua: space-han-digit */
#define SPACING_RULE                                                                               \
    "(?<=[\\p{Han}])[ \\t\\x{3000}]+(?=[0-9])|(?<=[0-9])[ \\t\\x{3000}]+(?=[\\p{Han}])"
/* plugins/rules/paste.lua: join-split-paragraph */
#define JOIN_RULE "[^。！？；：…—”’）》」』】〕.!?;:)\\]]\\z"

static struct gw_regex *compile(const char *pat, const char *flags)
{
    char err[256] = "";
    struct gw_regex *re = gw_regex_new(pat, strlen(pat), flags, err, sizeof err);
    if (!re)
        fprintf(stderr, "compile(%s, %s) failed: %s\n", pat, flags ? flags : "", err);
    return re;
}

/* Does pat (with flags) match s anywhere? -1 if it does not compile. */
static int matches(const char *pat, const char *flags, const char *s)
{
    struct gw_regex *re = compile(pat, flags);
    if (!re)
        return -1;
    size_t ov[2 * 10];
    int rc = gw_regex_match(re, s, strlen(s), 0, ov, 10);
    gw_regex_free(re);
    return rc;
}

struct repl_result {
    int rc, n;
    char *out; /* malloc'd, never NULL */
};

static struct repl_result replace(const char *pat, const char *s, const char *repl)
{
    struct repl_result r = {GW_RE_ERROR, -1, NULL};
    struct gw_regex *re = compile(pat, "");
    if (re) {
        struct gw_buf b;
        gw_buf_init(&b);
        r.rc = gw_regex_replace(re, s, strlen(s), repl, &b, &r.n);
        r.out = strdup(b.data ? b.data : "");
        gw_buf_free(&b);
        gw_regex_free(re);
    } else {
        r.out = strdup("(did not compile)");
    }
    return r;
}

/* replace() then check the output and the count; failures name the caller's line. */
#define REPL_IS(pat, s, repl, want, wantn) repl_is(__LINE__, (pat), (s), (repl), (want), (wantn))
static void repl_is(int at, const char *pat, const char *s, const char *repl, const char *want,
                    int wantn)
{
    struct repl_result r = replace(pat, s, repl);
    harness_ok(__FILE__, at, r.rc == (wantn ? GW_RE_MATCH : GW_RE_NOMATCH),
               "replace /%s/ in \"%s\" with \"%s\": rc %d", pat, s, repl, r.rc);
    harness_ok(__FILE__, at, strcmp(r.out, want) == 0,
               "replace /%s/ in \"%s\" with \"%s\": got \"%s\", expected \"%s\"", pat, s, repl,
               r.out, want);
    harness_ok(__FILE__, at, r.n == wantn, "replace /%s/ in \"%s\": %d replacements, expected %d",
               pat, s, r.n, wantn);
    free(r.out);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */

static void test_compile_errors(void)
{
    struct {
        const char *pat, *phrase, *offset;
    } cases[] = {
        {"a)b", "parenthesis", "at offset 1"},
        {"(abc", "parenthesis", "at offset 4"},
        {"[a", "]", "at offset 2"},
        {"a{2,1}", "out of order", "at offset 5"},
        {"中)", "parenthesis", "at offset 3"}, /* offsets are in bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        struct gw_regex *re =
            gw_regex_new(cases[i].pat, strlen(cases[i].pat), "", err, sizeof err);
        OK(re == NULL, "/%s/ must not compile", cases[i].pat);
        OK(strstr(err, cases[i].offset) != NULL, "/%s/: error \"%s\" should say \"%s\"",
           cases[i].pat, err, cases[i].offset);
        OK(strstr(err, cases[i].phrase) != NULL, "/%s/: error \"%s\" should mention \"%s\"",
           cases[i].pat, err, cases[i].phrase);
        gw_regex_free(re);
    }
    /* the pattern length is honoured: "ab)" cut to 2 bytes is valid */
    char err[256] = "";
    struct gw_regex *re = gw_regex_new("ab)", 2, "", err, sizeof err);
    OK(re != NULL, "\"ab)\" with len 2 compiles: %s", err);
    size_t ov[2];
    if (re) {
        INT_EQ(gw_regex_match(re, "xab", 3, 0, ov, 1), GW_RE_MATCH);
        INT_EQ(ov[0], 1);
        INT_EQ(gw_regex_groups(re), 0);
    }
    gw_regex_free(re);
    /* and may contain NUL */
    re = gw_regex_new("a\0b", 3, "", err, sizeof err);
    OK(re != NULL, "pattern with an embedded NUL compiles");
    if (re) {
        INT_EQ(gw_regex_match(re, "xa\0b", 4, 0, ov, OVN(ov)), GW_RE_MATCH);
        INT_EQ(ov[0], 1);
        INT_EQ(gw_regex_match(re, "xab", 3, 0, ov, OVN(ov)), GW_RE_NOMATCH);
    }
    gw_regex_free(re);
    gw_regex_free(NULL); /* must be a no-op */
}

static void test_flags(void)
{
    INT_EQ(matches("abc", "", "xABCx"), GW_RE_NOMATCH);
    INT_EQ(matches("abc", "i", "xABCx"), GW_RE_MATCH);
    INT_EQ(matches("σ", "i", "ΣΑ"), GW_RE_MATCH); /* caseless is Unicode-aware */
    INT_EQ(matches("a b c", "", "abc"), GW_RE_NOMATCH);
    INT_EQ(matches("a b c # comment", "x", "abc"), GW_RE_MATCH);
    INT_EQ(matches("^b$", "", "a\nb\nc"), GW_RE_NOMATCH);
    INT_EQ(matches("^b$", "m", "a\nb\nc"), GW_RE_MATCH);
    INT_EQ(matches("a.b", "", "a\nb"), GW_RE_NOMATCH);
    INT_EQ(matches("a.b", "s", "a\nb"), GW_RE_MATCH);
    INT_EQ(matches("A.B", "is", "a\nb"), GW_RE_MATCH);
    INT_EQ(matches("abc", NULL, "abc"), GW_RE_MATCH); /* NULL flags = none */

    char err[256] = "";
    struct gw_regex *re = gw_regex_new("abc", 3, "ig", err, sizeof err);
    OK(re == NULL, "flag 'g' is unknown");
    OK(strstr(err, "unknown regex flag 'g'") != NULL, "error names the flag: \"%s\"", err);
    gw_regex_free(re);
    re = gw_regex_new("abc", 3, "I", err, sizeof err);
    OK(re == NULL, "flags are case-sensitive: 'I' is unknown");
    gw_regex_free(re);
}

static void test_utf_ucp(void)
{
    size_t ov[2 * 4];
    struct gw_regex *re = compile("\\p{Han}+", "");
    if (OK(re != NULL, "\\p{Han}+ compiles")) {
        const char *s = "abc永州市def";
        INT_EQ(gw_regex_match(re, s, strlen(s), 0, ov, OVN(ov)), GW_RE_MATCH);
        INT_EQ(ov[0], 3); /* byte offsets */
        INT_EQ(ov[1], 12);
        /* start offset: searching from after 永州 still finds 市 */
        INT_EQ(gw_regex_match(re, s, strlen(s), 9, ov, OVN(ov)), GW_RE_MATCH);
        INT_EQ(ov[0], 9);
        INT_EQ(gw_regex_match(re, s, strlen(s), 12, ov, OVN(ov)), GW_RE_NOMATCH);
        /* start past the end is an error, not a crash */
        INT_EQ(gw_regex_match(re, s, strlen(s), strlen(s) + 1, ov, OVN(ov)), GW_RE_ERROR);
        INT_EQ(gw_regex_match(re, "2024-01", 7, 0, ov, OVN(ov)), GW_RE_NOMATCH);
    }
    gw_regex_free(re);

    /* with UCP, \d is any Nd digit (full-width too); \w includes Han */
    re = compile("\\d+", "");
    if (OK(re != NULL, "\\d+ compiles")) {
        const char *s = "第１２期，共3页";
        INT_EQ(gw_regex_match(re, s, strlen(s), 0, ov, OVN(ov)), GW_RE_MATCH);
        INT_EQ(ov[0], 3);
        INT_EQ(ov[1], 9); /* two 3-byte full-width digits */
        INT_EQ(gw_regex_match(re, s, strlen(s), 9, ov, OVN(ov)), GW_RE_MATCH);
        INT_EQ(ov[0], strlen("第１２期，共"));
        INT_EQ(ov[1], strlen("第１２期，共3"));
        INT_EQ(gw_regex_match(re, "二〇二四年", strlen("二〇二四年"), 0, ov, OVN(ov)), GW_RE_NOMATCH);
    }
    gw_regex_free(re);
    INT_EQ(matches("^\\w+$", "", "安全守底"), GW_RE_MATCH);
    INT_EQ(matches("^\\s$", "", "\xE3\x80\x80"), GW_RE_MATCH); /* U+3000 is white space */

    /* . is one code point, not one byte */
    re = compile("^(.)(.)$", "");
    if (OK(re != NULL, "^(.)(.)$ compiles")) {
        INT_EQ(gw_regex_groups(re), 2);
        INT_EQ(gw_regex_match(re, "中文", 6, 0, ov, OVN(ov)), GW_RE_MATCH);
        INT_EQ(ov[2], 0);
        INT_EQ(ov[3], 3);
        INT_EQ(ov[4], 3);
        INT_EQ(ov[5], 6);
        INT_EQ(gw_regex_match(re, "中文字", 9, 0, ov, OVN(ov)), GW_RE_NOMATCH);
    }
    gw_regex_free(re);

    /* an unset group reads (size_t)-1 */
    re = compile("(甲)|(乙)", "");
    if (OK(re != NULL, "(甲)|(乙) compiles")) {
        INT_EQ(gw_regex_groups(re), 2);
        for (int i = 0; i < 6; i++)
            ov[i] = 12345;
        INT_EQ(gw_regex_match(re, "x乙", 4, 0, ov, OVN(ov)), GW_RE_MATCH);
        OK(ov[0] == 1 && ov[1] == 4, "whole match at 1..4, got %zu..%zu", ov[0], ov[1]);
        OK(ov[2] == (size_t)-1 && ov[3] == (size_t)-1, "group 1 unset, got %zu..%zu", ov[2],
           ov[3]);
        OK(ov[4] == 1 && ov[5] == 4, "group 2 at 1..4, got %zu..%zu", ov[4], ov[5]);
        /* an unset trailing group is (size_t)-1 too (rc counts only up to the last set one) */
        for (int i = 0; i < 6; i++)
            ov[i] = 12345;
        INT_EQ(gw_regex_match(re, "甲", 3, 0, ov, OVN(ov)), GW_RE_MATCH);
        OK(ov[4] == (size_t)-1 && ov[5] == (size_t)-1, "group 2 unset, got %zu..%zu", ov[4],
           ov[5]);
    }
    gw_regex_free(re);

    /* more groups than the caller's ovector: only the pairs that fit are written */
    char many[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(many, "(a)");
    re = compile(many, "");
    if (OK(re != NULL, "40 groups compile")) {
        size_t one[2 + 1] = {0, 0, 777};
        INT_EQ(gw_regex_match(re, "x" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 41, 0, one, 1),
               GW_RE_MATCH);
        OK(one[0] == 1 && one[1] == 41 && one[2] == 777, "whole match only, got %zu..%zu, %zu",
           one[0], one[1], one[2]);
    }
    gw_regex_free(re);
}

static void test_replace_templates(void)
{
    REPL_IS("\\d+", "a1b22c", "[$0]", "a[1]b[22]c", 2);
    REPL_IS("(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)(\\w)", "abcdefghi!",
            "$9$8$7$6$5$4$3$2$1", "ihgfedcba!", 1);
    REPL_IS("(?<y>\\d{4})-(?<m>\\d\\d)", "于2024-02印发", "${m}/${y}", "于02/2024印发", 1);
    REPL_IS("(\\d)(\\d)", "12", "${2}${1}", "21", 1);
    REPL_IS("元", "5元", "$$", "5$", 1);
    REPL_IS("(a)", "a", "$$1=$1", "$1=a", 1);
    REPL_IS("(a)|(b)", "ab", "<$2>", "<><b>", 2); /* an unset group inserts nothing */
    REPL_IS("(年)", "2024年", "$1$1", "2024年年", 1);
    REPL_IS("\\s+", "no-space", "_", "no-space", 0);
    REPL_IS("\\p{Han}", "中文abc", "", "abc", 2);

    /* bad templates are errors */
    struct {
        const char *pat, *repl;
    } bad[] = {
        {"(a)", "$2"},      /* no such group */
        {"(a)", "${nope}"}, /* no such name */
        {"(a)", "${1"},     /* unterminated */
        {"(a)", "x$"},      /* dangling $ */
        {"(a)", "$x"},      /* not a group reference */
        {"(a)", "${}"},     /* empty name */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct repl_result r = replace(bad[i].pat, "xa", bad[i].repl);
        OK(r.rc == GW_RE_ERROR, "template \"%s\" is an error, rc %d", bad[i].repl, r.rc);
        free(r.out);
    }
}

static void test_replace_global_and_empty(void)
{
    REPL_IS("a", "banana", "o", "bonono", 3);
    REPL_IS("ana", "banana", "<>", "b<>na", 1); /* matches do not overlap */
    /* empty matches: PCRE2/Perl/Python 3.7 semantics, no infinite loop */
    REPL_IS("x*", "abc", "-", "-a-b-c-", 4);
    REPL_IS("x*", "axxb", "-", "-a--b-", 4);
    REPL_IS("x*", "", "-", "-", 1);
    REPL_IS("", "ab", "|", "|a|b|", 3);
    REPL_IS("\\b", "ab cd", "|", "|ab| |cd|", 4);
    /* an empty match before a multi-byte character steps a whole character */
    REPL_IS("x*", "中文", "-", "-中-文-", 3);
    REPL_IS("(?=文)", "中文文", "^", "中^文^文", 2);
    REPL_IS("$", "行", "。", "行。", 1);
    /* the count pointer may be NULL */
    struct gw_regex *re = compile("a", "");
    if (re) {
        struct gw_buf b;
        gw_buf_init(&b);
        INT_EQ(gw_regex_replace(re, "aa", 2, "b", &b, NULL), GW_RE_MATCH);
        STR_EQ(b.data, "bb");
        gw_buf_free(&b);
        /* out is appended to, not overwritten */
        gw_buf_adds(&b, "前缀:");
        int n = 0;
        INT_EQ(gw_regex_replace(re, "xa", 2, "y", &b, &n), GW_RE_MATCH);
        STR_EQ(b.data, "前缀:xy");
        INT_EQ(n, 1);
        gw_buf_free(&b);
    }
    gw_regex_free(re);
}

/* The seed's rules, exactly as the plugins spell them. */
static void test_seed_rules(void)
{
    REPL_IS(SPACING_RULE, "2 月 28 日", "", "2月28日", 3);
    REPL_IS(SPACING_RULE, "有 8 人", "", "有8人", 2);
    REPL_IS(SPACING_RULE, "冷水滩区 区政府", "", "冷水滩区 区政府", 0);
    REPL_IS(SPACING_RULE, "第\xE3\x80\x80" "3\t\t期", "", "第3期", 2);
    REPL_IS(SPACING_RULE, "COVID 19 and 2024 plan", "", "COVID 19 and 2024 plan", 0);
    REPL_IS(SPACING_RULE, "2024 年第 1 期", "", "2024年第1期", 3);

    const char *join[] = {"有力守住生态", "金", "办公室，", "共 8 人", "见附件a"};
    const char *nojoin[] = {"改善。", "“八大行动”", "（2024）", "……", "——", "等等！", "end.",
                            "《方案》", "问题；", "如下：", "f(x)", "[1]", "Done!", ""};
    struct gw_regex *re = compile(JOIN_RULE, "");
    if (!OK(re != NULL, "the join rule compiles"))
        return;
    size_t ov[2];
    for (size_t i = 0; i < sizeof join / sizeof *join; i++)
        OK(gw_regex_match(re, join[i], strlen(join[i]), 0, ov, OVN(ov)) == GW_RE_MATCH,
           "\"%s\" ends mid-sentence: the join rule must match", join[i]);
    for (size_t i = 0; i < sizeof nojoin / sizeof *nojoin; i++)
        OK(gw_regex_match(re, nojoin[i], strlen(nojoin[i]), 0, ov, OVN(ov)) == GW_RE_NOMATCH,
           "\"%s\" ends a sentence: the join rule must not match", nojoin[i]);
    /* the match is exactly the last character */
    const char *s = "有力守住生态";
    INT_EQ(gw_regex_match(re, s, strlen(s), 0, ov, OVN(ov)), GW_RE_MATCH);
    INT_EQ(ov[0], strlen(s) - 3);
    INT_EQ(ov[1], strlen(s));
    /* \z is the very end: a mark before a trailing newline does not count */
    INT_EQ(gw_regex_match(re, "改善。\n", strlen("改善。\n"), 0, ov, OVN(ov)), GW_RE_MATCH);
    gw_regex_free(re);
}

static void test_limits(void)
{
    size_t n = 100 * 1024;
    char *s = malloc(n + 2);
    memset(s, 'a', n);
    s[n] = 'b';
    s[n + 1] = '\0';
    struct gw_regex *re = compile("(a+)+$", "");
    if (!OK(re != NULL, "(a+)+$ compiles")) {
        free(s);
        return;
    }
    size_t ov[4];
    double t0 = now();
    int rc = gw_regex_match(re, s, n + 1, 0, ov, OVN(ov));
    double dt = now() - t0;
    INT_EQ(rc, GW_RE_LIMIT);
    OK(dt < 1.0, "catastrophic match stopped in %.3f s (limit 1 s)", dt);

    struct gw_buf b;
    gw_buf_init(&b);
    int count = -1;
    t0 = now();
    rc = gw_regex_replace(re, s, n + 1, "x", &b, &count);
    dt = now() - t0;
    INT_EQ(rc, GW_RE_LIMIT);
    OK(dt < 1.0, "catastrophic replace stopped in %.3f s (limit 1 s)", dt);
    gw_buf_free(&b);

    /* the regex is still usable after hitting the limit */
    INT_EQ(gw_regex_match(re, "aaa", 3, 0, ov, OVN(ov)), GW_RE_MATCH);
    INT_EQ(ov[0], 0);
    INT_EQ(ov[1], 3);
    /* ...and a small catastrophic subject still completes under the default limit */
    INT_EQ(gw_regex_match(re, "aaaaaaaab", 9, 0, ov, OVN(ov)), GW_RE_NOMATCH);

    /* a tiny match limit makes even a moderate backtracking search give up */
    gw_regex_set_limits(re, (struct gw_re_limits){50, 1000});
    INT_EQ(gw_regex_match(re, "aaaaaaaaaaaaaaaaaaaab", 21, 0, ov, OVN(ov)), GW_RE_LIMIT);
    gw_regex_set_limits(re, (struct gw_re_limits){1000000, 1000});
    INT_EQ(gw_regex_match(re, "aaaaaaaaaaab", 12, 0, ov, OVN(ov)), GW_RE_NOMATCH);
    gw_regex_free(re);
    free(s);
}

/*
 * The match budget: a pattern just under the match limit at every match
 * (18 a's and a '!' need some 500,000 steps a match; 2000 of them took
 * seconds) spends its budget within some 100 matches and stops with
 * GW_RE_LIMIT; its cheap matches still run.
 */
static void test_budget(void)
{
    char err[256];
    const char *pat = "(?:a+)+c|!";
    struct gw_regex *re = gw_regex_new(pat, strlen(pat), NULL, err, sizeof err);
    OK(re != NULL, "compile: %s", err);
    size_t n = 2000, unit = 19, ov[2 * 32];
    char *s = malloc(n * unit + 1);
    for (size_t i = 0; i < n; i++) {
        memset(s + i * unit, 'a', unit - 1);
        s[i * unit + unit - 1] = '!';
    }
    struct gw_buf b;
    gw_buf_init(&b);
    int count = 0;
    double t0 = now();
    int rc = gw_regex_replace(re, s, n * unit, "！", &b, &count);
    double dt = now() - t0;
    INT_EQ(rc, GW_RE_LIMIT);
    OK(count > 10 && count < 400, "%d matches before the budget ran out", count);
    OK(dt < 5.0, "stopped in %.3f s", dt); /* (the interpreter, GW_NO_JIT=1: some 2.5 s) */
    INT_EQ(gw_regex_match(re, "x!", 2, 0, ov, OVN(ov)), GW_RE_MATCH); /* cheap: free */
    INT_EQ(gw_regex_match(re, s, 19, 0, ov, OVN(ov)), GW_RE_LIMIT);  /* slow: no budget left */
    gw_buf_free(&b);
    gw_regex_free(re);
    free(s);
}

/* A replacement may make the text at most GW_RE_MAX_GROWTH (or its own length) longer. */
static void test_growth(void)
{
    char err[256];
    struct gw_regex *re = gw_regex_new("x", 1, NULL, err, sizeof err);
    size_t big = GW_RE_MAX_GROWTH + 100;
    char *s = malloc(big + 1), *repl = malloc(1001);
    memset(s, 'x', big);
    memset(repl, 'y', 1000);
    repl[1000] = '\0';
    struct gw_buf b;
    gw_buf_init(&b);
    int count = 0;
    INT_EQ(gw_regex_replace(re, s, 100000, repl, &b, &count), GW_RE_TOOBIG);
    OK(b.len <= 100000 + GW_RE_MAX_GROWTH + 1000, "stopped at %zu bytes", b.len);
    b.len = 0;
    INT_EQ(gw_regex_replace(re, s, big, "yy", &b, &count), GW_RE_MATCH); /* twice a long text */
    INT_EQ(b.len, 2 * big);
    gw_buf_free(&b);
    gw_regex_free(re);
    free(s);
    free(repl);
}

/* Fuzzing found a recursive pattern running for seconds in JIT (tests/fuzz/regressions/). */
/*
 * The required-literal shortcut (a match needs a code unit the subject lacks)
 * must never hide a match: caseless letters, multi-byte literals, literals
 * after the start offset, lookarounds, and patterns with no single literal.
 */
static void test_required_literal(void)
{
    INT_EQ(matches("x,y", "", "abc"), GW_RE_NOMATCH);
    INT_EQ(matches("x,y", "", "ab x,y"), GW_RE_MATCH);
    INT_EQ(matches("(?i)world", "", "HELLO WORLD"), GW_RE_MATCH);
    INT_EQ(matches("wor(?i)LD", "", "hello world"), GW_RE_MATCH);
    INT_EQ(matches("abc", "i", "xABCx"), GW_RE_MATCH);
    INT_EQ(matches("(?<=\\p{Han}),", "", "中,文"), GW_RE_MATCH);
    INT_EQ(matches("(?<=\\p{Han}),", "", "中，文"), GW_RE_NOMATCH);
    INT_EQ(matches("，", "", "中，文"), GW_RE_MATCH); /* last byte of a 3-byte literal */
    INT_EQ(matches("a|b", "", "xxb"), GW_RE_MATCH); /* no single required literal */
    INT_EQ(matches("\\z(?<=[^。])", "", "未完"), GW_RE_MATCH);
    INT_EQ(matches("\\z(?<=[^。])", "", "完。"), GW_RE_NOMATCH);
    REPL_IS(";", "a;b;c", ",", "a,b,c", 2); /* later matches start after the first */
    REPL_IS("q(?=u)", "quit queue", "Q", "Quit Queue", 2);
}

static void test_jit_recursion(void)
{
    const char *pats[] = {"(|(?1))b", "(\\X?|(?1))"};
    const char *subj[] = {"xb", "\x0b\x00\x00\x00\x02"};
    size_t slen[] = {2, 5};
    for (int i = 0; i < 2; i++) {
        char err[256];
        struct gw_regex *re = gw_regex_new(pats[i], strlen(pats[i]), NULL, err, sizeof err);
        OK(re != NULL, "compile %s: %s", pats[i], err);
        if (!re)
            continue;
        size_t ov[2 * 32];
        double t0 = now();
        int rc = gw_regex_match(re, subj[i], slen[i], 0, ov, OVN(ov));
        double dt = now() - t0;
        OK(rc >= GW_RE_ERROR && rc <= GW_RE_MATCH, "result %d", rc); /* a limit or loop error is fine */
        OK(dt < 0.5, "%s ends quickly: %.3f s", pats[i], dt);
        gw_regex_free(re);
    }
}

/*
 * JIT ahead of use: threads racing to compile the same patterns (one
 * compiles, the others wait for it), then matching, which must not
 * compile again; and a pattern matched without anyone compiling it ahead.
 */
#define NJIT 8
static struct gw_regex *jit_res[NJIT];

static void *jit_all(void *arg)
{
    (void)arg;
    for (int i = 0; i < NJIT; i++)
        gw_regex_jit(jit_res[i]);
    return NULL;
}

static void test_jit_ahead(void)
{
    char pat[64], subj[64];
    for (int i = 0; i < NJIT; i++) {
        snprintf(pat, sizeof pat, "(?<=\\p{Han})%d+(?=号)", i);
        jit_res[i] = compile(pat, "");
    }
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        OK(pthread_create(&t[i], NULL, jit_all, NULL) == 0, "thread %d", i);
    jit_all(NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < NJIT; i++) {
        size_t ov[2 * 2];
        snprintf(subj, sizeof subj, "第%d%d号", i, i);
        INT_EQ(gw_regex_match(jit_res[i], subj, strlen(subj), 0, ov, OVN(ov)), GW_RE_MATCH);
        INT_EQ((int)ov[0], 3);
        INT_EQ((int)ov[1], 5);
        gw_regex_jit(jit_res[i]); /* already done: returns at once */
        snprintf(subj, sizeof subj, "第%d%d页", i, i);
        INT_EQ(gw_regex_match(jit_res[i], subj, strlen(subj), 0, ov, OVN(ov)), GW_RE_NOMATCH);
        gw_regex_free(jit_res[i]);
    }
}

int main(void)
{
    harness_watchdog(30);
    test_jit_ahead();
    test_required_literal();
    test_jit_recursion();
    test_compile_errors();
    test_flags();
    test_utf_ucp();
    test_replace_templates();
    test_replace_global_and_empty();
    test_seed_rules();
    test_limits();
    test_budget();
    test_growth();
    return harness_done();
}
