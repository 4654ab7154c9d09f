/*
 * gw_shape: the shape of one line (see gw_read_int.h).
 *
 * Owns the predicates the reader guesses with: issue lines, dates, issuer
 * and signer lines, bulletin names, 文种 endings, author lines, numbered headings (the
 * same forms as plugins/rules/headings.lua, which the plugins style them
 * with), list markers, sentence ends, page numbers, bare pipe rows. Each
 * looks at one trimmed line and nothing else; what a line is in its
 * context is gw_zone.c's business. Pure functions over UTF-8; no PCRE2
 * (only engine/rules includes it), so the heading forms are spelt out here;
 * test_body_lines in tests/unit/test_reader.c holds them to the rule set's.
 */
#define _GNU_SOURCE 1 /* memmem */
#include <stdint.h>
#include <string.h>

#include "../util/gw_utf8.h"
#include "gw_read_int.h"

/* {===================== characters =================================== */

static int32_t next_cp(const char *s, size_t len, size_t *i)
{
    return *i < len ? gw_utf8_next(s, len, i) : -1;
}

/* The last code point of s[0..len) and where it starts. */
static int32_t last_cp(const char *s, size_t len, size_t *at)
{
    if (len == 0)
        return -1;
    size_t k = len - 1;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    if (at)
        *at = k;
    size_t j = k;
    return gw_utf8_next(s, len, &j);
}

static bool is_space(int32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0;
}

static bool is_digit(int32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* 〇○零一二三四五六七八九十百 */
static bool is_cn_numeral(int32_t c)
{
    static const int32_t cn[] = {0x3007, 0x25CB, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E};
    for (size_t i = 0; i < sizeof cn / sizeof cn[0]; i++)
        if (c == cn[i])
            return true;
    return false;
}

/* 一二三四五六七八九十 (the heading numerals of headings.lua) */
static bool is_heading_numeral(int32_t c)
{
    return is_cn_numeral(c) && c != 0x3007 && c != 0x25CB && c != 0x96F6 && c != 0x767E;
}

static bool is_han(int32_t c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3134F);
}

bool gw_shape_starts(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s, p, n) == 0;
}

static bool ends_with(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && memcmp(s + len - n, p, n) == 0;
}

bool gw_shape_has_stop(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t c = next_cp(s, len, &i);
        if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B) /* 。！？； */
            return true;
    }
    return false;
}

bool gw_shape_ends_sentence(const char *s, size_t len)
{
    static const char *const ends = "。！？；…”’）》」』】〕!?;.)";
    size_t at;
    int32_t c = last_cp(s, len, &at);
    if (c < 0)
        return false;
    char buf[8];
    int n = gw_utf8_encode((uint32_t)c, buf);
    buf[n] = '\0';
    return strstr(ends, buf) != NULL;
}

bool gw_shape_ends_colon(const char *s, size_t len)
{
    return ends_with(s, len, "：") || ends_with(s, len, ":");
}

/* }===================================================================== */

/* {===================== masthead lines ================================ */

/* Skip a run of numerals (digits or Chinese) at *i; how many there were. */
static int numerals(const char *s, size_t len, size_t *i, bool cn)
{
    int n = 0;
    while (*i < len) {
        size_t j = *i;
        int32_t c = next_cp(s, len, &j);
        if (!is_digit(c) && !(cn && is_cn_numeral(c)))
            break;
        *i = j;
        n++;
    }
    return n;
}

static void skip_spaces(const char *s, size_t len, size_t *i)
{
    while (*i < len) {
        size_t j = *i;
        if (!is_space(next_cp(s, len, &j)))
            break;
        *i = j;
    }
}

/* Match the literal p at *i (after blanks). */
static bool literal(const char *s, size_t len, size_t *i, const char *p)
{
    skip_spaces(s, len, i);
    if (!gw_shape_starts(s + *i, len - *i, p))
        return false;
    *i += strlen(p);
    skip_spaces(s, len, i);
    return true;
}

bool gw_shape_issue(const char *s, size_t len)
{
    if (len == 0 || gw_utf8_count(s, len) > 40 || gw_shape_has_stop(s, len))
        return false;
    if (!(ends_with(s, len, "期") || ends_with(s, len, "期）") || ends_with(s, len, "期)") ||
          ends_with(s, len, "版")))
        return false;
    /* a numeral (blanks between allowed) right before some 期 */
    for (const char *q = strstr(s, "期"); q && (size_t)(q - s) < len; q = strstr(q + 1, "期")) {
        size_t k = (size_t)(q - s);
        while (k > 0 && s[k - 1] == ' ')
            k--;
        size_t at;
        int32_t c = last_cp(s, k, &at);
        if (is_digit(c) || is_cn_numeral(c))
            return true;
    }
    return false;
}

bool gw_shape_total_issue(const char *s, size_t len, const char **num, size_t *nlen)
{
    size_t i = 0;
    if (!literal(s, len, &i, "（") && !literal(s, len, &i, "("))
        return false;
    if (!literal(s, len, &i, "总第") && !literal(s, len, &i, "总"))
        return false;
    size_t start = i;
    if (numerals(s, len, &i, false) == 0)
        return false;
    *num = s + start;
    *nlen = i - start;
    return literal(s, len, &i, "期") && (literal(s, len, &i, "）") || literal(s, len, &i, ")")) &&
           i == len;
}

bool gw_shape_issue_with_total(const char *s, size_t len, size_t *issue_len, const char **num,
                               size_t *nlen)
{
    const char *open = strstr(s, "（总");
    if (!open)
        open = strstr(s, "(总");
    if (!open || open == s || (size_t)(open - s) >= len)
        return false;
    size_t k = (size_t)(open - s);
    if (!gw_shape_total_issue(open, len - k, num, nlen))
        return false;
    while (k > 0 && s[k - 1] == ' ')
        k--;
    *issue_len = k;
    return gw_shape_issue(s, k);
}

/* Y年M月D日 from *i (numerals, blanks allowed); *i moves past it. */
static bool cn_date(const char *s, size_t len, size_t *i)
{
    skip_spaces(s, len, i);
    if (numerals(s, len, i, true) < 2 || !literal(s, len, i, "年"))
        return false;
    if (numerals(s, len, i, true) < 1 || !literal(s, len, i, "月"))
        return false;
    if (numerals(s, len, i, true) < 1)
        return false;
    return literal(s, len, i, "日") || literal(s, len, i, "号");
}

/* 2014-07-14, 2014.7.14, 2014/7/14 from *i. */
static bool num_date(const char *s, size_t len, size_t *i)
{
    size_t k = *i;
    if (numerals(s, len, &k, false) != 4)
        return false;
    for (int part = 0; part < 2; part++) {
        if (k >= len || (s[k] != '-' && s[k] != '.' && s[k] != '/'))
            return false;
        k++;
        int n = numerals(s, len, &k, false);
        if (n < 1 || n > 2)
            return false;
    }
    *i = k;
    return true;
}

/* (s, len) without one pair of brackets around it: true if there were. */
static bool unbracket(const char **s, size_t *len)
{
    if ((gw_shape_starts(*s, *len, "（") && ends_with(*s, *len, "）"))) {
        *s += strlen("（");
        *len -= 2 * strlen("（");
        return true;
    }
    if (*len >= 2 && (*s)[0] == '(' && (*s)[*len - 1] == ')') {
        *s += 1;
        *len -= 2;
        return true;
    }
    return false;
}

bool gw_shape_date(const char *s, size_t len)
{
    if (len > 80)
        return false;
    unbracket(&s, &len);
    static const char *const suffixes[] = {"编印", "印发", "出版", "编"};
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
        if (ends_with(s, len, suffixes[k])) {
            len -= strlen(suffixes[k]);
            break;
        }
    size_t i = 0;
    if (!cn_date(s, len, &i) && !(i = 0, num_date(s, len, &i)))
        return false;
    skip_spaces(s, len, &i);
    return i == len;
}

bool gw_shape_time(const char *s, size_t len)
{
    if (len > 80 || !unbracket(&s, &len))
        return false;
    size_t i = 0;
    if (!cn_date(s, len, &i))
        return false;
    if (numerals(s, len, &i, true) < 1 || !(literal(s, len, &i, "时") || literal(s, len, &i, "点")))
        return false;
    if (numerals(s, len, &i, true) > 0 && !literal(s, len, &i, "分"))
        return false;
    return i == len;
}

bool gw_shape_issuer_date(const char *s, size_t len, size_t *issuer_len, size_t *date_at)
{
    if (gw_utf8_count(s, len) > 80 || gw_shape_has_stop(s, len))
        return false;
    /* a run of 2+ spaces, a tab or an ideographic space, the date after it */
    for (size_t i = 0; i < len;) {
        size_t start = i;
        int32_t c = next_cp(s, len, &i);
        if (!is_space(c))
            continue;
        size_t end = i;
        int n = 1;
        bool wide = c != ' ';
        while (end < len) {
            size_t j = end;
            int32_t d = next_cp(s, len, &j);
            if (!is_space(d))
                break;
            wide |= d != ' ';
            end = j;
            n++;
        }
        if ((n >= 2 || wide) && start > 0 && gw_shape_date(s + end, len - end)) {
            *issuer_len = start;
            *date_at = end;
            return true;
        }
        i = end;
    }
    return false;
}

bool gw_shape_signer(const char *s, size_t len, size_t *at, size_t *name_at)
{
    const char *q = strstr(s, "签发");
    if (!q || q == s || (size_t)(q - s) >= len)
        return false;
    size_t i = (size_t)(q - s) + strlen("签发");
    if (gw_shape_starts(s + i, len - i, "人"))
        i += strlen("人");
    if (!literal(s, len, &i, ":") && !literal(s, len, &i, "："))
        return false;
    if (i >= len)
        return false;
    *at = (size_t)(q - s);
    *name_at = i;
    return true;
}

bool gw_shape_issuer(const char *s, size_t len)
{
    if (gw_utf8_count(s, len) > 30 || gw_shape_has_stop(s, len) || gw_shape_date(s, len))
        return false;
    return ends_with(s, len, "编") || ends_with(s, len, "编印") || ends_with(s, len, "编发");
}

bool gw_shape_publication(const char *s, size_t len)
{
    static const char *const names[] = {"简报", "专报", "通讯", "周报", "旬报", "月报", "快报",
                                        "日报", "动态", "通报", "信息", "要情", "情报", "参阅"};
    if (gw_utf8_count(s, len) > 24 || gw_shape_has_stop(s, len) ||
        memmem(s, len, "关于", strlen("关于")))
        return false; /* "关于…的通报" is a 通报's title, not a bulletin's name */
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (ends_with(s, len, names[k]))
            return true;
    return false;
}

bool gw_shape_doc_kind(const char *s, size_t len)
{
    static const char *const kinds[] = {"通知", "通报", "决定", "意见", "报告", "请示",
                                        "函",   "批复", "方案", "命令", "公告", "通告",
                                        "议案", "纪要", "决议", "公报"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (ends_with(s, len, kinds[k]))
            return true;
    return false;
}

bool gw_shape_author(const char *s, size_t len)
{
    int han = 0;
    for (size_t i = 0; i < len;) {
        int32_t c = next_cp(s, len, &i);
        if (is_han(c))
            han++;
        else if (!is_space(c))
            return false;
    }
    return han >= 2 && han <= 4 && gw_utf8_count(s, len) <= 8;
}

/* }===================================================================== */

/* {===================== body lines ===================================== */

/*
 * The number of a heading form at s: its level (1-4) and the bytes it
 * takes, as headings.lua writes them: 一、 （一） 1. （1）.
 */
static int heading_number(const char *s, size_t len, size_t *after)
{
    /*
     * The marks as GB/T 9704 writes them and as pasted text types them (the
     * headings rule set accepts the same; its fixes rewrite them): 一、 一. 一．
     * 一, 一，  （一） (一) (一） （一)  1. 1． 1、  （1） (1) (1） （1)
     */
    static const char *const h1_marks[] = {"、", ".", "．", ",", "，"};
    static const char *const h3_marks[] = {".", "．", "、"};
    size_t i = 0;
    int32_t c = next_cp(s, len, &i);
    if (is_heading_numeral(c)) {
        int n = 1;
        size_t j = i;
        while (n < 4 && (j = i, is_heading_numeral(next_cp(s, len, &j))))
            i = j, n++;
        if (n > 3)
            return 0;
        for (size_t m = 0; m < sizeof h1_marks / sizeof h1_marks[0]; m++)
            if (gw_shape_starts(s + i, len - i, h1_marks[m])) {
                size_t k = i + strlen(h1_marks[m]), t = k;
                int32_t d = next_cp(s, len, &t);
                if (m > 0 && ((d >= '0' && d <= '9') || is_heading_numeral(d)))
                    return 0; /* 一，二季度 / 一.二九 */
                *after = k;
                return 1;
            }
        return 0;
    }
    if (c >= '0' && c <= '9') {
        size_t k = 0;
        while (k < len && k < 3 && s[k] >= '0' && s[k] <= '9')
            k++;
        if (k > 2)
            return 0;
        size_t m = 0;
        while (m < sizeof h3_marks / sizeof h3_marks[0] &&
               !gw_shape_starts(s + k, len - k, h3_marks[m]))
            m++;
        if (m == sizeof h3_marks / sizeof h3_marks[0])
            return 0;
        k += strlen(h3_marks[m]);
        if (k < len && s[k] >= '0' && s[k] <= '9')
            return 0; /* 3.2万 is a number, 1、2月 a list of months */
        *after = k;
        return 3;
    }
    if (gw_shape_starts(s, len, "（"))
        i = strlen("（");
    else if (len > 0 && s[0] == '(')
        i = 1;
    else
        return 0;
    size_t start = i;
    int n = 0, level = 0;
    for (;;) {
        size_t j = i;
        int32_t d = next_cp(s, len, &j);
        if (is_heading_numeral(d) && level != 4)
            level = 2;
        else if (d >= '0' && d <= '9' && level != 2)
            level = 4;
        else
            break;
        i = j;
        n++;
    }
    if (i == start || (level == 2 && n > 3) || (level == 4 && n > 2))
        return 0;
    if (gw_shape_starts(s + i, len - i, "）"))
        *after = i + strlen("）");
    else if (i < len && s[i] == ')')
        *after = i + 1;
    else
        return 0;
    return level;
}

/* Code points from i to the first 。！？； (or the end); *stop: the byte offset of that mark. */
static int short_run(const char *s, size_t len, size_t i, size_t *stop)
{
    int n = 0;
    while (i < len) {
        size_t j = i;
        int32_t c = next_cp(s, len, &j);
        if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '\n')
            break;
        i = j;
        n++;
    }
    *stop = i;
    return n;
}

int gw_shape_heading(const char *s, size_t len)
{
    size_t after, stop;
    int level = heading_number(s, len, &after);
    if (!level)
        return 0;
    int n = short_run(s, len, after, &stop);
    return n >= 1 && n <= 40 && stop == len ? level : 0;
}

bool gw_shape_run_in(const char *s, size_t len)
{
    size_t after, stop;
    if (!heading_number(s, len, &after))
        return false;
    int n = short_run(s, len, after, &stop);
    if (n < 1 || n > 40 || stop == len)
        return false;
    size_t j = stop;
    int32_t mark = next_cp(s, len, &j);
    return mark != 0xFF1B && j < len; /* 。！？ then more text */
}

size_t gw_shape_item(const char *s, size_t len)
{
    static const char *const marks[] = {"◆", "◇", "●", "○", "■", "□", "▲", "△",
                                        "★", "☆", "·", "•", "▪", "►", "✓"};
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
        if (gw_shape_starts(s, len, marks[k]) && len > strlen(marks[k]))
            return strlen(marks[k]);
    if (len > 2 && s[0] == '-' && (s[1] == ' ' || (unsigned char)s[1] >= 0x80))
        return 1;
    size_t k = 0;
    while (k < len && k < 3 && s[k] >= '0' && s[k] <= '9')
        k++;
    if (k == 0 || k > 2)
        return 0;
    size_t m = gw_shape_starts(s + k, len - k, ".")    ? 1
               : gw_shape_starts(s + k, len - k, "．") ? strlen("．")
               : gw_shape_starts(s + k, len - k, "、") ? strlen("、")
                                                       : 0;
    if (!m || k + m >= len || (s[k + m] >= '0' && s[k + m] <= '9'))
        return 0;
    return k + m;
}

bool gw_shape_page_number(const char *s, size_t len)
{
    size_t i = 0;
    int dashes = 0;
    while (i < len) {
        size_t j = i;
        int32_t c = next_cp(s, len, &j);
        if (c == 0x2014 || c == 0x2013 || c == '-')
            dashes++;
        else if (!is_space(c))
            break;
        i = j;
    }
    int n = numerals(s, len, &i, false);
    while (i < len) {
        size_t j = i;
        int32_t c = next_cp(s, len, &j);
        if (!(c == 0x2014 || c == 0x2013 || c == '-' || is_space(c)))
            return false;
        i = j;
    }
    return n >= 1 && n <= 4 && (dashes > 0 || len <= 4);
}

int gw_shape_bare_row(const char *s, size_t len)
{
    if (len == 0 || s[0] == '|' || s[len - 1] == '|' || !memchr(s, '|', len))
        return 0;
    int cells = 1;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '|')
            continue;
        const char *c = s + start;
        size_t clen = i - start;
        int col = 1;
        gw_read_trim(&c, &clen, &col);
        if (clen == 0)
            return 0;
        if (i < len)
            cells++;
        start = i + 1;
    }
    return cells <= 63 ? cells : 0;
}

/* }===================================================================== */
