/*
 * gw_tail: the 版记 at the end of a text (see gw_read_int.h and
 * docs/input-format.md).
 *
 * Owns the lines that end a text after its body and its closing: 报：…,
 * 送：…, 发：…, 抄送：…, 主送：… (after a 落款 only: GB/T 9704 §7.3.3 moves a
 * long 主送 to the 版记), an 印发 line ("XX县人民政府办公室  2024年5月28日印发",
 * kept whole as 印发), （共印120份） (印数 = 120), and the rules of dashes
 * between them. They become FIELD nodes marked at_end, with one note for
 * the block; rule lines and page numbers among them are kept in the
 * fields' source, so fix writes the block back as it was. The same keys
 * in the header are header lines, read by gw_zone.c as before.
 */
#include <stdio.h>
#include <string.h>

#include "../util/gw_buf.h"
#include "../util/gw_utf8.h"
#include "gw_read.h"
#include "gw_read_int.h"

enum tkind { T_NONE, T_RULE, T_PAGE, T_KEY, T_ADDRESSEE, T_PRINTED, T_COPIES };

/* A rule of dashes: 3 or more of - — ─ ━ _ = － ＝ – and nothing else. */
static bool rule_line(const struct gw_line *ln)
{
    static const int32_t marks[] = {'-', '_', '=', 0x2014, 0x2013, 0x2500, 0x2501, 0xFF0D, 0xFF1D};
    if (ln->chars < 3)
        return false;
    for (size_t i = 0; i < ln->len;) {
        int32_t c = gw_utf8_next(ln->s, ln->len, &i);
        bool ok = c == ' ';
        for (size_t k = 0; !ok && k < sizeof marks / sizeof marks[0]; k++)
            ok = c == marks[k];
        if (!ok)
            return false;
    }
    return true;
}

/* "（共印120份）", "(共印120份)", "共印120份": the number's bytes in *num. */
static bool copies_line(const struct gw_line *ln, const char **num, size_t *nlen)
{
    const char *s = ln->s, *end = ln->s + ln->len;
    bool open = false;
    if (gw_shape_starts(s, ln->len, "（"))
        s += strlen("（"), open = true;
    else if (*s == '(')
        s++, open = true;
    if (!gw_shape_starts(s, (size_t)(end - s), "共印"))
        return false;
    s += strlen("共印");
    *num = s;
    while (s < end && *s >= '0' && *s <= '9')
        s++;
    *nlen = (size_t)(s - *num);
    if (!*nlen || !gw_shape_starts(s, (size_t)(end - s), "份"))
        return false;
    s += strlen("份");
    if (open && gw_shape_starts(s, (size_t)(end - s), "）"))
        s += strlen("）");
    else if (open && s < end && *s == ')')
        s++;
    else if (open)
        return false;
    return s == end;
}

/* "XX县人民政府办公室      2024年5月28日印发": a short line ending in 印发, no sentence in it. */
static bool printed_line(const struct gw_line *ln)
{
    size_t n = strlen("印发");
    return ln->chars <= 60 && ln->len > n && !memcmp(ln->s + ln->len - n, "印发", n) &&
           !gw_shape_has_stop(ln->s, ln->len) && !gw_shape_starts(ln->s, ln->len, "【") &&
           !memchr(ln->s, '|', ln->len);
}

static enum tkind tail_kind(const struct gw_line *ln)
{
    static const char *const keys[] = {"报", "送", "发", "抄送", "印发", "印数"};
    const char *key, *num;
    size_t nlen;
    struct gw_line v;
    if (gw_read_key_line(ln, &key, &v)) {
        if (!v.len)
            return T_NONE;
        if (!strcmp(key, "主送"))
            return T_ADDRESSEE;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            if (!strcmp(key, keys[k]))
                return T_KEY;
        return T_NONE;
    }
    if (rule_line(ln))
        return T_RULE;
    if (gw_shape_page_number(ln->s, ln->len))
        return T_PAGE;
    if (copies_line(ln, &num, &nlen))
        return T_COPIES;
    return printed_line(ln) ? T_PRINTED : T_NONE;
}

/* Does the line end a closing: a date line (成文日期) or a bracketed 附注? */
static bool closing_end(const struct gw_line *ln)
{
    size_t b = strlen("）");
    return gw_shape_date(ln->s, ln->len) ||
           (gw_shape_starts(ln->s, ln->len, "（") && ln->len > b &&
            !memcmp(ln->s + ln->len - b, "）", b)) ||
           (ln->s[0] == '(' && ln->s[ln->len - 1] == ')');
}

int gw_tail_find(struct gw_reader *r, int from)
{
    int start = r->nlines;
    while (start > from && tail_kind(&r->lines[start - 1]) != T_NONE)
        start--;
    /* 主送 belongs to the 版记 only first in it and after a closing; else the block is after it */
    bool field = false;
    for (int i = start; i < r->nlines; i++) {
        enum tkind k = tail_kind(&r->lines[i]);
        if (k == T_ADDRESSEE &&
            (field || i == from || !closing_end(&r->lines[start > from ? start - 1 : from])))
            start = i + 1, field = false;
        else if (k != T_RULE && k != T_PAGE)
            field = true;
    }
    while (start < r->nlines && tail_kind(&r->lines[start]) == T_PAGE)
        start++; /* page numbers before the block stay with the body */
    for (int i = start; i < r->nlines; i++) {
        enum tkind k = tail_kind(&r->lines[i]);
        if (k != T_RULE && k != T_PAGE)
            return start;
    }
    return r->nlines; /* rules alone make no 版记 */
}

/* source = (lines before it) + the line as written, when fix could not write it from the field. */
static void set_source(struct gw_reader *r, struct gw_node *n, struct gw_buf *pre,
                       const struct gw_line *ln, bool changed)
{
    if (!pre->len && !changed)
        return;
    gw_buf_adds(pre, ln->s);
    n->source = gw_arena_strndup(&r->doc->arena, pre->data, pre->len);
    pre->len = 0;
}

void gw_tail_read(struct gw_reader *r, int at)
{
    if (at >= r->nlines)
        return;
    struct gw_buf pre, names;
    gw_buf_init(&pre);
    gw_buf_init(&names);
    struct gw_node *last = NULL;
    const struct gw_line *last_ln = NULL;
    for (int i = at; i < r->nlines; i++) {
        const struct gw_line *ln = &r->lines[i];
        const char *key, *num;
        size_t nlen;
        struct gw_line v;
        struct gw_node *n = NULL;
        switch (tail_kind(ln)) {
        case T_RULE:
        case T_PAGE:
        case T_NONE: /* not reached: gw_tail_find ends the block before such a line */
            gw_buf_printf(&pre, "%s\n", ln->s);
            continue;
        case T_KEY:
        case T_ADDRESSEE:
            gw_read_key_line(ln, &key, &v);
            n = gw_read_add_field(r, key, v.s, v.len, ln->lineno, v.col);
            if (n) {
                n->prefix = gw_arena_strndup(&r->doc->arena, ln->s, (size_t)(v.s - ln->s));
                set_source(r, n, &pre, ln, false);
            }
            break;
        case T_PRINTED:
            key = "印发";
            n = gw_read_add_field(r, key, ln->s, ln->len, ln->lineno, ln->col);
            if (n) /* fix writes it as it was: the spacing rule would close its gap */
                set_source(r, n, &pre, ln, true);
            break;
        case T_COPIES:
            key = "印数";
            copies_line(ln, &num, &nlen);
            n = gw_read_add_field(r, key, num, nlen, ln->lineno,
                                  ln->col + (int)gw_utf8_count(ln->s, (size_t)(num - ln->s)));
            if (n)
                set_source(r, n, &pre, ln, true);
            break;
        }
        gw_buf_printf(&names, "%s%s", names.len ? ", " : "", key);
        if (n) {
            n->at_end = true;
            last = n;
            last_ln = ln;
        }
    }
    if (pre.len && last) { /* rules after the last field: written back after it */
        struct gw_buf t;
        gw_buf_init(&t);
        gw_buf_printf(&t, "%s\n", last->source ? last->source : last_ln->s);
        gw_buf_add(&t, pre.data, pre.len - 1);
        last->source = gw_arena_strndup(&r->doc->arena, t.data, t.len);
        gw_buf_free(&t);
    }
    const struct gw_line *first = &r->lines[at], *end = &r->lines[r->nlines - 1];
    char lines[32] = "";
    if (end != first)
        snprintf(lines, sizeof lines, "s %d-%d", first->lineno, end->lineno);
    else
        snprintf(lines, sizeof lines, " %d", first->lineno);
    gw_diag_note(r->diag, gw_read_at(r, first->lineno, first->col),
                 "read line%s as the 版记: %s (write 正文：… to keep a line in the text)", lines,
                 names.data);
    gw_buf_free(&pre);
    gw_buf_free(&names);
}
