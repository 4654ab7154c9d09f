/*
 * gw_zone: what each line of a text is (see gw_read_int.h and
 * docs/input-format.md § Marking what the guess got wrong).
 *
 * Owns the guesses: where the masthead ends and which field each of its
 * bare lines is; in the body, article headlines (a 通知-style title over
 * up to three lines at the start too), the lines under them,
 * the salutation (主送), numbered headings, list items, bare pipe tables,
 * footnotes, 附件说明, the closing (署名 and 成文日期) and 附注. A marked
 * line (key: value, 【】, 题目：, 正文：…) is never guessed about. Every
 * guess that changes how a line is set is reported once as a note naming
 * the mark that would make it explicit. Builds nodes through gw_read.c;
 * reads lines, never bytes.
 */
#include <stdio.h>
#include <string.h>

#include "../doc/gw_format.h"
#include "../util/gw_buf.h"
#include "../util/gw_utf8.h"
#include "gw_read.h"
#include "gw_read_int.h"

/* {===================== the masthead ================================= */

enum mkind { M_NONE, M_JOINED, M_PLAIN, M_ISSUE, M_TOTAL, M_ISSUE_TOTAL, M_DATE, M_ISSUER_DATE, M_ISSUER };

/* Keys whose lines make body nodes, not fields. */
static bool body_key(const char *key)
{
    static const char *const keys[] = {"主送", "附件", "署名", "成文日期", "附注",
                                       "题目", "副题", "正文"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(key, keys[i]))
            return true;
    return false;
}

/* What a bare line could be in a masthead (M_NONE: it cannot be in one). */
static enum mkind masthead_kind(const struct gw_line *ln)
{
    const char *s = ln->s;
    size_t len = ln->len, a, b;
    const char *num;
    if (gw_shape_starts(s, len, "【") || memchr(s, '|', len) || gw_shape_starts(s, len, "!["))
        return M_NONE;
    if (gw_shape_issuer_date(s, len, &a, &b))
        return M_ISSUER_DATE;
    if (ln->chars > 40 || gw_shape_has_stop(s, len) || gw_shape_ends_colon(s, len) ||
        gw_shape_heading(s, len) || gw_shape_page_number(s, len))
        return M_NONE;
    if (gw_shape_total_issue(s, len, &num, &a))
        return M_TOTAL;
    if (gw_shape_issue_with_total(s, len, &a, &num, &b))
        return M_ISSUE_TOTAL;
    if (gw_shape_issue(s, len))
        return M_ISSUE;
    if (gw_shape_date(s, len))
        return M_DATE;
    if (gw_shape_issuer(s, len) || gw_shape_signer(s, len, &a, &b))
        return M_ISSUER;
    if (gw_shape_item(s, len) || gw_shape_time(s, len) || gw_shape_starts(s, len, "（") ||
        gw_shape_starts(s, len, "("))
        return M_NONE;
    return M_PLAIN;
}

/* An organisation's name (主办 above a title): ends in 局, 室, 委员会, 政府, 中心, ... */
static bool organisation(const struct gw_line *ln)
{
    static const char *const ends[] = {"局", "室", "委", "会", "政府", "中心", "部", "厅", "院",
                                       "所", "站", "办", "处", "组", "队", "社", "馆", "委员会"};
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
        size_t n = strlen(ends[k]);
        if (ln->len >= n && !memcmp(ln->s + ln->len - n, ends[k], n))
            return true;
    }
    return gw_shape_starts(ln->s, ln->len, "中共");
}

struct masthead {
    struct gw_reader *r;
    struct gw_buf note; /* "标题 (line 2), 期号 (line 3)" */
    int first, last;    /* lines guessed */
};

static struct gw_node *guess_field(struct masthead *m, const char *key, const char *s, size_t len,
                                   const struct gw_line *ln, int col)
{
    struct gw_node *n = gw_read_add_field(m->r, key, s, len, ln->lineno, col);
    /* a line split or changed: fix writes it back once, as it was */
    if (n && m->last == ln->lineno)
        n->source = "";
    else if (n && (s != ln->s || len != ln->len))
        n->source = ln->s;
    gw_buf_printf(&m->note, "%s%s (line %d)", m->note.len ? ", " : "", key, ln->lineno);
    if (!m->first)
        m->first = ln->lineno;
    m->last = ln->lineno;
    return n;
}

/* 编发 from an issuer part, with 签发 split off ("隆尧县气象局签发:张纪峰"). */
static void guess_issuer(struct masthead *m, const struct gw_line *ln, size_t len)
{
    size_t at, name_at;
    if (gw_shape_signer(ln->s, len, &at, &name_at)) {
        const char *s = ln->s;
        size_t ilen = at;
        int col = ln->col;
        gw_read_trim(&s, &ilen, &col);
        guess_field(m, "编发", s, ilen, ln, ln->col);
        int ncol = ln->col + (int)gw_utf8_count(ln->s, name_at);
        guess_field(m, "签发", ln->s + name_at, len - name_at, ln, ncol);
        return;
    }
    const char *s = ln->s;
    size_t ilen = len;
    int col = ln->col;
    gw_read_trim(&s, &ilen, &col);
    guess_field(m, "编发", s, ilen, ln, col);
}

/* "工 作 通 讯": one Han character between single spaces; written without them. */
static void title_field(struct masthead *m, const struct gw_line *ln)
{
    bool spaced = ln->chars >= 5 && ln->chars % 2 == 1;
    for (size_t i = 0, k = 0; spaced && i < ln->len; k++) {
        int32_t c = gw_utf8_next(ln->s, ln->len, &i);
        spaced = (k % 2 == 1) == (c == ' ');
    }
    if (!spaced) {
        guess_field(m, "标题", ln->s, ln->len, ln, ln->col);
        return;
    }
    struct gw_buf b;
    gw_buf_init(&b);
    for (size_t i = 0; i < ln->len; i++)
        if (ln->s[i] != ' ')
            gw_buf_addc(&b, ln->s[i]);
    guess_field(m, "标题", b.data, b.len, ln, ln->col);
    gw_buf_free(&b);
}

static bool has(struct gw_reader *r, const char *key)
{
    return gw_doc_field(r->doc, key) != NULL;
}

/* A body mark with nothing after it (题目：) makes no node: a warning, and true. */
static bool marks_nothing(struct gw_reader *r, const char *key, const struct gw_line *ln,
                          const struct gw_line *v)
{
    if (v->len > 0 || !strcmp(key, "附件"))
        return false;
    gw_diag_warning(r->diag, gw_read_at(r, ln->lineno, ln->col),
                    "%.*s marks nothing: write the text after the colon, or delete the line",
                    (int)(v->s - ln->s), ln->s);
    return true;
}

/*
 * A 印章 is set over the 署名 and the 成文日期 (GB/T 9704 §7.3.5.1): in a
 * document with neither it would not be drawn, so say so at the field.
 */
static void seal_needs_closing(struct gw_reader *r)
{
    const struct gw_node *seal = gw_doc_field(r->doc, "印章");
    if (!seal || r->failed)
        return;
    for (const struct gw_node *n = r->doc->root->first; n; n = n->next)
        if (n->type == GW_NODE_SIGNATURE || n->type == GW_NODE_DATE)
            return;
    gw_diag_warning(r->diag, seal->span,
                    "印章 is set over the 署名 and the 成文日期 (§7.3.5.1), and this document "
                    "has neither: write 署名: or 成文日期:, or the seal is not drawn");
}

/* A header 主送, 附件, 署名, 成文日期 or 附注 line: its body node, placed later. */
static void defer_key(struct gw_reader *r, const char *key, const struct gw_line *ln,
                      const struct gw_line *v)
{
    if (marks_nothing(r, key, ln, v))
        return;
    enum gw_node_type t = !strcmp(key, "主送")     ? GW_NODE_SALUTATION
                          : !strcmp(key, "附件")   ? GW_NODE_ATTACHMENT
                          : !strcmp(key, "署名")   ? GW_NODE_SIGNATURE
                          : !strcmp(key, "成文日期") ? GW_NODE_DATE
                                                   : GW_NODE_NOTE;
    struct gw_node *n = gw_read_node(r, t, v);
    n->prefix = v->s > ln->s ? gw_arena_strndup(&r->doc->arena, ln->s, (size_t)(v->s - ln->s)) : NULL;
    n->in_header = true;
    if (t == GW_NODE_ATTACHMENT)
        n->key = "";
    if (t == GW_NODE_SALUTATION && !r->pending_salutation)
        r->pending_salutation = n;
    else if (r->nclosing < (int)(sizeof r->closing / sizeof r->closing[0]))
        r->closing[r->nclosing++] = n;
    else
        gw_node_append(r->doc->root, n);
}

/*
 * Assign one bare masthead line (kinds[i]) to its field. Returns false if
 * the masthead ends before it.
 */
static bool assign(struct masthead *m, const struct gw_line *lines, enum mkind *kinds, int i,
                   int end, bool legacy, bool *seen_classified)
{
    struct gw_reader *r = m->r;
    const struct gw_line *ln = &lines[i];
    size_t a, b;
    const char *num;
    switch (kinds[i]) {
    case M_ISSUE:
        if (!has(r, "期号")) {
            guess_field(m, "期号", ln->s, ln->len, ln, ln->col);
        } else {
            /* a second issue line ("A2:综合*新闻总第3307期") goes on the issue line */
            struct gw_node *f = (struct gw_node *)gw_doc_field(r->doc, "期号");
            struct gw_buf t;
            gw_buf_init(&t);
            gw_buf_printf(&t, "%s\n%s", f->source ? f->source : f->text, ln->s);
            f->source = gw_arena_strndup(&r->doc->arena, t.data, t.len);
            t.len = 0;
            gw_buf_printf(&t, "%s　%s", f->text, ln->s);
            f->text = gw_arena_strndup(&r->doc->arena, t.data, t.len);
            f->len = t.len;
            gw_buf_free(&t);
            gw_buf_printf(&m->note, ", 期号 (line %d)", ln->lineno);
            m->last = ln->lineno;
        }
        break;
    case M_TOTAL:
        if (has(r, "总期号"))
            return false;
        gw_shape_total_issue(ln->s, ln->len, &num, &a);
        guess_field(m, "总期号", num, a, ln, ln->col + (int)gw_utf8_count(ln->s, (size_t)(num - ln->s)));
        break;
    case M_ISSUE_TOTAL:
        if (has(r, "期号") || has(r, "总期号"))
            return false;
        gw_shape_issue_with_total(ln->s, ln->len, &a, &num, &b);
        guess_field(m, "期号", ln->s, a, ln, ln->col);
        guess_field(m, "总期号", num, b, ln, ln->col + (int)gw_utf8_count(ln->s, (size_t)(num - ln->s)));
        break;
    case M_DATE:
        if (has(r, "日期"))
            return false;
        guess_field(m, "日期", ln->s, ln->len, ln, ln->col);
        break;
    case M_ISSUER_DATE:
        if (has(r, "编发") || has(r, "日期"))
            return false;
        gw_shape_issuer_date(ln->s, ln->len, &a, &b);
        guess_issuer(m, ln, a);
        guess_field(m, "日期", ln->s + b, ln->len - b, ln,
                    ln->col + (int)gw_utf8_count(ln->s, b));
        break;
    case M_ISSUER:
        if (has(r, "编发"))
            return false;
        guess_issuer(m, ln, ln->len);
        break;
    case M_PLAIN: {
        bool next_plain = i + 1 < end && kinds[i + 1] == M_PLAIN;
        bool next_fits = i + 1 < end && kinds[i + 1] != M_PLAIN && kinds[i + 1] != M_NONE;
        if (!has(r, "标题")) {
            if (!has(r, "主办") && next_plain && !*seen_classified && organisation(ln)) {
                guess_field(m, "主办", ln->s, ln->len, ln, ln->col);
            } else if (next_plain && !*seen_classified) {
                /* a title in two lines: one title, the layout sets each part on a line */
                const struct gw_line *l2 = &lines[i + 1];
                struct gw_buf t;
                gw_buf_init(&t);
                gw_buf_printf(&t, "%s %s", ln->s, l2->s);
                struct gw_node *n = guess_field(m, "标题", t.data, t.len, ln, ln->col);
                t.len = 0;
                gw_buf_printf(&t, "%s\n%s", ln->s, l2->s);
                if (n)
                    n->source = gw_arena_strndup(&r->doc->arena, t.data, t.len);
                gw_buf_free(&t);
                m->note.len--; /* "标题 (line 1)" becomes "标题 (line 1-2)" */
                gw_buf_printf(&m->note, "-%d)", l2->lineno);
                m->last = l2->lineno;
                kinds[i + 1] = M_JOINED;
            } else {
                title_field(m, ln);
            }
        } else if (!has(r, "编发") && (legacy || next_fits)) {
            guess_field(m, "编发", ln->s, ln->len, ln, ln->col);
        } else {
            return false;
        }
        return true;
    }
    case M_JOINED: return true; /* the second line of a two-line title */
    case M_NONE: return false;
    }
    *seen_classified = true;
    return true;
}

/*
 * A header key line: a known key, or a misspelt one (期数: for 期号:), read
 * as the key it is nearest to rather than guessed as a masthead line (and
 * then blamed for a field "given twice"); warned about when warn is set.
 */
static bool header_key(struct gw_reader *r, const struct gw_line *ln, const char **key,
                       struct gw_line *v, bool warn)
{
    if (gw_read_key_line(ln, key, v))
        return true;
    char typo[64];
    int col;
    *key = gw_read_near_key(ln, typo, sizeof typo, &col, v);
    if (*key && warn)
        gw_diag_warning(r->diag, gw_read_at(r, ln->lineno, col),
                        "%s is not a header key; read as %s (did you mean %s?)", typo, *key,
                        *key);
    return *key != NULL;
}

/*
 * Under a 文件-family 版式 (文件, 信函, 命令, 纪要) the header's 标题 is the
 * document's headline (GB/T 9704 §7.3.1), not a masthead title: its field
 * becomes the HEADLINE node that starts the body (r->pending_headline).
 */
static void headline_field(struct gw_reader *r)
{
    const struct gw_node *lf = gw_doc_field(r->doc, "版式");
    const struct gw_format *fmt = lf ? gw_format_find(lf->text, lf->len) : NULL;
    struct gw_node *t = (struct gw_node *)gw_doc_field(r->doc, "标题");
    if (!fmt || !fmt->document || !t)
        return;
    struct gw_node *root = r->doc->root, **pp = &root->first, *prev = NULL;
    while (*pp != t) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    *pp = t->next;
    if (root->last == t)
        root->last = prev;
    t->next = NULL;
    t->parent = NULL;
    t->type = GW_NODE_HEADLINE;
    t->key = NULL;
    t->in_header = true;
    r->pending_headline = t;
}

int gw_zone_header(struct gw_reader *r)
{
    enum mkind *kinds = gw_arena_array(&r->doc->arena, (size_t)r->nlines + 1, sizeof(*kinds));
    const char *key;
    struct gw_line v;
    /* the block of lines that may be header lines: keys and masthead-shaped lines */
    int end = 0;
    bool evidence = false;
    int plain = 0;
    for (; end < r->nlines; end++) {
        const struct gw_line *ln = &r->lines[end];
        kinds[end] = M_NONE;
        if (gw_read_key_line(ln, &key, &v)) {
            if (!strcmp(key, "题目") || !strcmp(key, "副题") || !strcmp(key, "正文"))
                break;
            evidence = true;
            continue;
        }
        if (header_key(r, ln, &key, &v, false)) {
            evidence = true;
            continue;
        }
        kinds[end] = masthead_kind(ln);
        if (kinds[end] == M_NONE)
            break;
        if (kinds[end] == M_DATE && (gw_shape_starts(ln->s, ln->len, "（") || ln->s[0] == '('))
            ; /* （2019年3月15日） is as often a speech's date line as a bulletin's */
        else if (kinds[end] != M_PLAIN)
            evidence = true;
        else if (plain++ < 2 && gw_shape_publication(ln->s, ln->len))
            evidence = true;
    }
    bool legacy = end < r->nlines && gw_shape_starts(r->lines[end].s, r->lines[end].len, "【");
    if (!evidence && !legacy)
        return 0;
    struct masthead m = {.r = r};
    gw_buf_init(&m.note);
    bool seen = false;
    int i = 0;
    for (; i < end; i++) {
        const struct gw_line *ln = &r->lines[i];
        if (kinds[i] == M_NONE && header_key(r, ln, &key, &v, true)) {
            if (body_key(key)) {
                defer_key(r, key, ln, &v);
                continue;
            }
            struct gw_node *n = gw_read_add_field(r, key, v.s, v.len, ln->lineno, v.col);
            if (n)
                n->prefix = gw_arena_strndup(&r->doc->arena, ln->s, (size_t)(v.s - ln->s));
            continue;
        }
        if (!assign(&m, r->lines, kinds, i, end, legacy, &seen))
            break;
    }
    /* the documented bare header (title, issue, issuer, date, then 【) is no guess */
    bool classic = legacy && i == end && !has(r, "主办") && !has(r, "签发") && !has(r, "总期号");
    if (m.note.len && !classic)
        gw_diag_note(r->diag, gw_read_at(r, m.first, 1),
                     "read line%s %d-%d as the masthead: %s (write key: value lines, e.g. "
                     "标题：…, to mark them)",
                     m.first == m.last ? "" : "s", m.first, m.last, m.note.data);
    gw_buf_free(&m.note);
    headline_field(r);
    return i;
}

/* }===================================================================== */

/* {===================== the body ===================================== */

struct body {
    struct gw_reader *r;
    int from;          /* the first body line */
    bool head_open;    /* after a headline: subtitle lines may follow */
    bool article_text; /* the article has body text (a section node) */
    bool any;          /* a body node was made */
};

/* The next line after i that is not a page number, or -1. */
static int next_line(const struct gw_reader *r, int i)
{
    for (int j = i + 1; j < r->nlines; j++)
        if (!gw_shape_page_number(r->lines[j].s, r->lines[j].len))
            return j;
    return -1;
}

static int prev_line(const struct gw_reader *r, int i, int from)
{
    for (int j = i - 1; j >= from; j--)
        if (!gw_shape_page_number(r->lines[j].s, r->lines[j].len))
            return j;
    return -1;
}

static bool is_subtitle(const struct gw_line *ln, const char **kind)
{
    const char *s = ln->s;
    size_t len = ln->len;
    if (gw_shape_time(s, len) || ((gw_shape_starts(s, len, "（") || s[0] == '(') &&
                                  gw_shape_date(s, len))) {
        *kind = "time";
        return true;
    }
    if (gw_shape_author(s, len)) {
        *kind = "author";
        return true;
    }
    if (gw_shape_starts(s, len, "——") && ln->chars <= 40 && !gw_shape_has_stop(s, len)) {
        *kind = "subtitle";
        return true;
    }
    return false;
}

/* Does the line address someone: 各…, 尊敬的…, or a name of people or units before the colon? */
static bool addressee(const struct gw_line *ln)
{
    static const char *const ends[] = {"单位", "部门", "政府", "同志", "们", "理事", "委员", "代表",
                                       "领导", "局", "委", "办", "会", "室", "学校", "企业",
                                       "中心", "公司", "院", "所", "站", "人", "长"};
    size_t colon = gw_shape_starts(ln->s + ln->len - 1, 1, ":") ? 1 : strlen("：");
    size_t len = ln->len - colon;
    if (gw_shape_starts(ln->s, len, "各") || gw_shape_starts(ln->s, len, "尊敬的") ||
        gw_shape_starts(ln->s, len, "亲爱的"))
        return true;
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
        size_t n = strlen(ends[k]);
        if (len >= n && !memcmp(ln->s + len - n, ends[k], n))
            return true;
    }
    return false;
}

static bool is_salutation(const struct gw_line *ln)
{
    return gw_shape_ends_colon(ln->s, ln->len) && ln->chars <= 40 && addressee(ln) &&
           !gw_shape_has_stop(ln->s, ln->len) && !gw_shape_heading(ln->s, ln->len) &&
           !gw_shape_item(ln->s, ln->len) && !gw_shape_starts(ln->s, ln->len, "注") &&
           !gw_shape_starts(ln->s, ln->len, "摘要");
}

/* Is the line text a headline may stand above (a sentence, a full line, a heading...)? */
static bool body_text(const struct gw_reader *r, const struct gw_line *ln)
{
    const char *kind;
    return gw_shape_ends_sentence(ln->s, ln->len) || ln->chars * 10 >= r->width * 8 ||
           gw_shape_heading(ln->s, ln->len) || gw_shape_item(ln->s, ln->len) ||
           is_subtitle(ln, &kind) || is_salutation(ln);
}

/* A headline needs evidence: short, after a sentence end, no sentence marks, body after it. */
static bool is_headline(const struct body *b, int i)
{
    const struct gw_reader *r = b->r;
    const struct gw_line *ln = &r->lines[i];
    const char *s = ln->s;
    size_t len = ln->len;
    if (r->section && !r->section->key)
        return false; /* inside a 【section】, lines are what they say */
    if (ln->chars < 4 || ln->chars > 40 || ln->chars * 10 > r->width * 7 ||
        gw_shape_has_stop(s, len) || gw_shape_ends_colon(s, len) || gw_shape_heading(s, len) ||
        gw_shape_run_in(s, len) || gw_shape_item(s, len) || gw_shape_date(s, len) ||
        gw_shape_page_number(s, len) || memchr(s, '|', len) || gw_shape_starts(s, len, "（") ||
        s[0] == '(' || gw_shape_starts(s, len, "【") || gw_shape_starts(s, len, "注"))
        return false;
    int p = prev_line(r, i, b->from);
    if (p >= 0 && !ln->blank_before && !gw_shape_ends_sentence(r->lines[p].s, r->lines[p].len))
        return false;
    int n = next_line(r, i);
    return n >= 0 && body_text(r, &r->lines[n]);
}

/* A line that may be part of a 通知-style title: short, no sentence, no mark. */
static bool title_part(const struct gw_line *ln)
{
    const char *s = ln->s;
    size_t len = ln->len;
    return ln->chars <= 40 && !gw_shape_has_stop(s, len) && !gw_shape_ends_colon(s, len) &&
           !gw_shape_heading(s, len) && !gw_shape_item(s, len) && !gw_shape_date(s, len) &&
           !memchr(s, '|', len) && !gw_shape_starts(s, len, "【") && !strstr(s, "：");
}

/*
 * A 通知-style title (GB/T 9704 标题: 发文机关 + 关于… + 文种) at line i:
 * "关于…的通知" alone, an organisation line above it, or the whole split
 * over two or three lines, with something after it. Returns its number of
 * lines, or 0.
 */
static int title_lines(const struct gw_reader *r, int i)
{
    for (int k = 0; k < 3 && i + k < r->nlines; k++) {
        const struct gw_line *ln = &r->lines[i + k];
        if ((k && ln->blank_before) || !title_part(ln))
            return 0;
        if (!gw_shape_doc_kind(ln->s, ln->len))
            continue;
        /* 关于 in it, and a first line without 关于 is the organ's name */
        bool about = false;
        for (int j = 0; j <= k; j++)
            about = about || strstr(r->lines[i + j].s, "关于");
        if (!about || (k && !strstr(r->lines[i].s, "关于") && !organisation(&r->lines[i])))
            return 0;
        return i + k + 1 < r->nlines ? k + 1 : 0; /* something follows the title */
    }
    return 0;
}

/* A 通知-style title at line i: at the body's start, or after a closing (the next article). */
static int notice_title(const struct body *b, int i)
{
    const struct gw_reader *r = b->r;
    const struct gw_node *last = r->doc->root->last;
    bool after_close = last && (last->type == GW_NODE_DATE || last->type == GW_NODE_NOTE) &&
                       r->lines[i].blank_before;
    if (!after_close && (i != b->from || b->any || r->section))
        return 0;
    return title_lines(r, i);
}

/* Short org-like line of a closing: no sentence marks, no colon, not a heading. */
static bool is_signature(const struct gw_line *ln)
{
    const char *s = ln->s;
    size_t len = ln->len;
    return ln->chars <= 30 && !gw_shape_has_stop(s, len) && !gw_shape_ends_colon(s, len) &&
           !strstr(s, "，") && !gw_shape_heading(s, len) && !gw_shape_item(s, len) &&
           !gw_shape_date(s, len) && !memchr(s, '|', len) && !gw_shape_starts(s, len, "【") &&
           !gw_shape_ends_sentence(s, len);
}

static bool is_bracketed(const struct gw_line *ln)
{
    return ln->chars <= 40 && ((gw_shape_starts(ln->s, ln->len, "（") &&
                                !strcmp(ln->s + ln->len - strlen("）"), "）")) ||
                               (ln->s[0] == '(' && ln->s[ln->len - 1] == ')'));
}

/*
 * A closing at line i: up to 3 signature lines, then a date line that ends
 * the text or its article (page numbers, a bracketed 附注 and, after a blank
 * line, the next article's headline may follow). Returns the number of
 * signature lines, or -1.
 */
static int closing_at(const struct body *b, int i)
{
    const struct gw_reader *r = b->r;
    int nsig = 0, d = i;
    while (d < r->nlines && nsig < 3 && is_signature(&r->lines[d]))
        d++, nsig++;
    if (d >= r->nlines || !gw_shape_date(r->lines[d].s, r->lines[d].len) ||
        gw_shape_starts(r->lines[d].s, r->lines[d].len, "（") || r->lines[d].s[0] == '(')
        return -1;
    int n = next_line(r, d);
    if (n >= 0 && is_bracketed(&r->lines[n]))
        n = next_line(r, n);
    if (n >= 0 && !(r->lines[n].blank_before && (is_headline(b, n) || title_lines(r, n))))
        return -1;
    if (nsig == 0) { /* a date alone must follow a sentence's end */
        int p = prev_line(r, i, b->from);
        if (p < 0 || !gw_shape_ends_sentence(r->lines[p].s, r->lines[p].len))
            return -1;
    }
    return nsig;
}

/* A root node (headline, closing...): it ends the section being filled. */
static void root_append(struct body *b, struct gw_node *n)
{
    struct gw_reader *r = b->r;
    gw_node_append(r->doc->root, n);
    r->section = NULL;
    r->table = NULL;
    b->any = true;
}

/* Before the first node of an article's text: a header 主送 waiting for its place. */
static void text_starts(struct body *b)
{
    struct gw_reader *r = b->r;
    if (r->pending_salutation) {
        gw_node_append(r->doc->root, r->pending_salutation);
        r->pending_salutation = NULL;
        r->section = NULL;
    }
    b->head_open = false;
    b->any = true;
}

/* The note for a guess: "read as the %s" with what, then how to write it explicitly. */
static void note(struct gw_reader *r, const struct gw_line *ln, const char *fmt, const char *what,
                 const char *how)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, what);
    gw_diag_note(r->diag, gw_read_at(r, ln->lineno, ln->col), "%s (%s)", msg, how);
}

/* "附件：1.×× …" and the "2.××" lines under it: one node per item. */
static void attachment(struct body *b, const struct gw_line *ln, const struct gw_line *v)
{
    size_t digits = 0;
    while (digits < v->len && digits < 3 && v->s[digits] >= '0' && v->s[digits] <= '9')
        digits++;
    struct gw_node *a = gw_read_node(b->r, GW_NODE_ATTACHMENT, ln);
    a->key = gw_shape_item(v->s, v->len) ? gw_arena_strndup(&b->r->doc->arena, v->s, digits) : "";
    root_append(b, a);
}

/* A line with an explicit body key (题目：…). */
static void keyed_line(struct body *b, const struct gw_line *ln, const char *key,
                       const struct gw_line *v)
{
    struct gw_reader *r = b->r;
    struct gw_node *last = r->doc->root->last;
    if (marks_nothing(r, key, ln, v))
        return;
    if (!strcmp(key, "题目")) {
        root_append(b, gw_read_node(r, GW_NODE_HEADLINE, v));
        b->head_open = true;
        b->article_text = false;
    } else if (!strcmp(key, "副题")) {
        struct gw_node *n = gw_read_node(r, GW_NODE_SUBTITLE, v);
        n->key = "subtitle";
        root_append(b, n);
        b->head_open = true;
    } else if (!strcmp(key, "主送")) {
        root_append(b, gw_read_node(r, GW_NODE_SALUTATION, v));
    } else if (!strcmp(key, "署名")) {
        root_append(b, gw_read_node(r, GW_NODE_SIGNATURE, v));
    } else if (!strcmp(key, "成文日期")) {
        root_append(b, gw_read_node(r, GW_NODE_DATE, v));
    } else if (!strcmp(key, "附注")) {
        root_append(b, gw_read_node(r, GW_NODE_NOTE, v));
    } else if (!strcmp(key, "附件")) {
        attachment(b, ln, v);
    } else { /* 正文：… a plain paragraph, whatever it looks like */
        text_starts(b);
        struct gw_node *n = gw_read_node(r, GW_NODE_PARA, v);
        n->prefix = gw_arena_strndup(&r->doc->arena, ln->s, (size_t)(v->s - ln->s));
        gw_read_section_append(r, n, v);
        b->article_text = true;
        return;
    }
    if (r->doc->root->last != last && r->doc->root->last->text != ln->s &&
        strcmp(r->doc->root->last->text, ln->s) != 0) /* the mark, for fix to write back */
        r->doc->root->last->prefix = gw_arena_strndup(&r->doc->arena, ln->s, (size_t)(v->s - ln->s));
}

/* A bare pipe row that starts or continues a table: its cell count, or 0. */
static int bare_row(struct gw_reader *r, int i)
{
    const struct gw_line *ln = &r->lines[i];
    int cells = gw_shape_bare_row(ln->s, ln->len);
    if (cells < 2)
        return 0;
    if (r->table && r->bare_cells == cells && !ln->blank_before)
        return cells;
    if (i + 1 < r->nlines && !r->lines[i + 1].blank_before &&
        gw_shape_bare_row(r->lines[i + 1].s, r->lines[i + 1].len) == cells)
        return cells;
    return 0;
}

/* A line in a section: heading, item, footnote, abstract or paragraph. */
static void text_line(struct body *b, const struct gw_line *ln)
{
    struct gw_reader *r = b->r;
    const char *s = ln->s;
    size_t len = ln->len;
    text_starts(b);
    b->article_text = true;
    struct gw_node *n;
    bool page = gw_shape_page_number(s, len); /* the paste rules drop it */
    int level = page ? 0 : gw_shape_heading(s, len);
    size_t m = page ? 0 : gw_shape_item(s, len);
    if (level) {
        n = gw_read_node(r, GW_NODE_HEADING, ln);
        n->level = level;
    } else if (m && !gw_shape_run_in(s, len)) {
        n = gw_read_node(r, GW_NODE_ITEM, ln);
        n->key = gw_arena_strndup(&r->doc->arena, s, m);
    } else if (gw_shape_starts(s, len, "注：") || gw_shape_starts(s, len, "注:")) {
        n = gw_read_node(r, GW_NODE_FOOTNOTE, ln);
        note(r, ln, "read as a %s at the page foot", "footnote",
             "write 正文：注：… to keep it in the text");
    } else {
        n = gw_read_node(r, GW_NODE_PARA, ln);
        if (gw_shape_starts(s, len, "摘要：") || gw_shape_starts(s, len, "摘要:"))
            n->key = "abstract";
    }
    gw_read_section_append(r, n, ln);
}

bool gw_read_is_attachment_name(const char *name, size_t len)
{
    if (!gw_shape_starts(name, len, "附件"))
        return false;
    for (size_t i = strlen("附件"); i < len; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

/* 【附件】, 【附件1】, 【附件12】: an attachment's body (GB/T 9704 §7.3.7). */
static bool attachment_section(const struct gw_line *ln)
{
    const char *end = gw_shape_starts(ln->s, ln->len, "【") ? strstr(ln->s, "】") : NULL;
    return end && gw_read_is_attachment_name(ln->s + strlen("【"),
                                             (size_t)(end - ln->s) - strlen("【"));
}

/* The header's 附件, 署名, 成文日期 and 附注: the close of the text, before any attachment. */
static void closing_ends(struct body *b)
{
    struct gw_reader *r = b->r;
    for (int k = 0; k < r->nclosing; k++)
        root_append(b, r->closing[k]);
    r->nclosing = 0;
}

/* The width of the body's full lines, in characters (table rows aside). */
static void measure(struct gw_reader *r, int from)
{
    r->width = 0;
    for (int i = from; i < r->nlines; i++)
        if (!memchr(r->lines[i].s, '|', r->lines[i].len) && r->lines[i].chars > r->width)
            r->width = r->lines[i].chars;
}

void gw_zone_body(struct gw_reader *r, int from)
{
    struct body b = {.r = r, .from = from};
    measure(r, from);
    if (r->pending_headline) {
        root_append(&b, r->pending_headline);
        r->pending_headline = NULL;
        b.head_open = true;
    }
    for (int i = from; i < r->nlines; i++) {
        const struct gw_line *ln = &r->lines[i];
        const char *key, *kind;
        struct gw_line v;
        if (ln->blank_before)
            r->table = NULL; /* a blank line ends a table */
        if (ln->s[0] == '|') {
            text_starts(&b);
            if (r->table && r->bare_cells)
                r->table = NULL;
            r->bare_cells = 0;
            gw_read_table_line(r, ln, false);
            continue;
        }
        int cells = bare_row(r, i);
        if (cells) {
            text_starts(&b);
            if (!r->table || r->bare_cells != cells) {
                r->table = NULL;
                note(r, ln, "read as a %s (cells between | signs)", "table",
                     "write | at both ends to mark it, or 正文：… to keep a line as text");
            }
            gw_read_table_line(r, ln, true);
            r->bare_cells = cells;
            continue;
        }
        r->table = NULL;
        if (gw_shape_starts(ln->s, ln->len, "【表】")) {
            /* 【表】caption: not a section, the caption of the table that follows */
            const char *c = ln->s + strlen("【表】");
            size_t clen = ln->len - strlen("【表】");
            int col = 0;
            gw_read_trim(&c, &clen, &col);
            r->caption = c;
            r->caption_len = clen;
            continue;
        }
        if (gw_shape_starts(ln->s, ln->len, "【")) {
            text_starts(&b);
            if (attachment_section(ln))
                closing_ends(&b);
            gw_read_section_line(r, ln);
            continue;
        }
        if (gw_read_key_line(ln, &key, &v) && body_key(key)) {
            keyed_line(&b, ln, key, &v);
            continue;
        }
        if (r->doc->root->last && r->doc->root->last->type == GW_NODE_ATTACHMENT &&
            gw_shape_item(ln->s, ln->len) && gw_shape_item(ln->s, ln->len) <= 3 &&
            ln->s[0] >= '0' && ln->s[0] <= '9' && !gw_shape_has_stop(ln->s, ln->len)) {
            attachment(&b, ln, ln); /* 2.×× under 附件：1.×× */
            continue;
        }
        if (gw_read_image_line(r, ln)) {
            text_starts(&b);
            continue;
        }
        if (!r->section || r->section->key) {
            int nsig = closing_at(&b, i);
            if (nsig >= 0) {
                for (int k = 0; k < nsig; k++)
                    root_append(&b, gw_read_node(r, GW_NODE_SIGNATURE, &r->lines[i + k]));
                root_append(&b, gw_read_node(r, GW_NODE_DATE, &r->lines[i + nsig]));
                gw_diag_note(r->diag, gw_read_at(r, ln->lineno, ln->col),
                             "read line%s %d-%d as the closing: %s成文日期 (write 署名：… and "
                             "成文日期：… to mark them)",
                             nsig ? "s" : "", ln->lineno, r->lines[i + nsig].lineno,
                             nsig ? "署名, " : "");
                i += nsig;
                continue;
            }
        }
        if (r->doc->root->last && r->doc->root->last->type == GW_NODE_DATE &&
            is_bracketed(ln)) {
            root_append(&b, gw_read_node(r, GW_NODE_NOTE, ln));
            note(r, ln, "read as the %s", "附注", "write 附注：… to mark it");
            continue;
        }
        if (b.head_open && is_subtitle(ln, &kind)) {
            struct gw_node *n = gw_read_node(r, GW_NODE_SUBTITLE, ln);
            n->key = kind;
            root_append(&b, n);
            note(r, ln, "read as a line under the headline (%s)", kind, "write 副题：… to mark it");
            continue;
        }
        if (!b.article_text && (!r->section || r->section->key) && is_salutation(ln)) {
            text_starts(&b);
            root_append(&b, gw_read_node(r, GW_NODE_SALUTATION, ln));
            note(r, ln, "read as the %s", "salutation (主送)", "write 主送：… to mark it");
            continue;
        }
        int nt = notice_title(&b, i);
        if (nt) {
            struct gw_buf t, src;
            gw_buf_init(&t);
            gw_buf_init(&src);
            for (int k = 0; k < nt; k++) {
                gw_buf_adds(&t, r->lines[i + k].s);
                gw_buf_printf(&src, "%s%s", k ? "\n" : "", r->lines[i + k].s);
            }
            struct gw_node *n = gw_node_new(r->doc, GW_NODE_HEADLINE,
                                            gw_read_at(r, ln->lineno, ln->col), t.data, t.len);
            if (nt > 1)
                n->source = gw_arena_strndup(&r->doc->arena, src.data, src.len);
            root_append(&b, n);
            gw_buf_free(&t);
            gw_buf_free(&src);
            b.head_open = true;
            b.article_text = false;
            if (nt == 1)
                note(r, ln, "read as the %s", "article headline", "write 题目：… to mark it");
            else
                gw_diag_note(r->diag, gw_read_at(r, ln->lineno, ln->col),
                             "read lines %d-%d as the article headline (write 题目：… on one "
                             "line to mark it)",
                             ln->lineno, r->lines[i + nt - 1].lineno);
            i += nt - 1;
            continue;
        }
        if (is_headline(&b, i)) {
            root_append(&b, gw_read_node(r, GW_NODE_HEADLINE, ln));
            b.head_open = true;
            b.article_text = false;
            note(r, ln, "read as the %s", "article headline", "write 题目：… to mark it");
            continue;
        }
        text_line(&b, ln);
    }
    if (r->pending_salutation)
        text_starts(&b);
    closing_ends(&b);
    seal_needs_closing(r);
    if (!b.any && !r->failed)
        gw_diag_warning(r->diag, gw_span_file(r->doc->file),
                        "the document has no body: no text after the header");
}

/* }===================================================================== */
