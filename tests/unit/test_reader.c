/*
 * test_reader.c - unit tests for engine/read (gw_read) and engine/doc (gw_doc).
 *
 * Each test feeds a small in-memory document to gw_read with diagnostics
 * captured in an open_memstream, then checks the tree (fields, sections,
 * paragraphs, spans) and the exact diagnostic text. The last test reads the
 * real seed examples/yongzhou-2024-01.txt (ctest runs from the repo root).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/gw_doc.h"
#include "harness.h"
#include "read/gw_read.h"
#include "util/gw_diag.h"

#define FILE_NAME "t.txt"
#define U_FFFD    "\xEF\xBF\xBD"

/* One gw_read run: the tree, the return code and everything diag printed. */
struct parsed {
    struct gw_doc *doc;
    int rc;
    int errors, warnings;
    char *msgs; /* malloc'd, NUL-terminated */
};

static struct parsed parse_n(const char *src, size_t len, bool lossy)
{
    struct parsed p;
    size_t mlen = 0;
    p.msgs = NULL;
    FILE *mem = open_memstream(&p.msgs, &mlen);
    if (!mem) {
        perror("open_memstream");
        exit(2);
    }
    struct gw_diag diag;
    gw_diag_init(&diag, mem);
    struct gw_read_opts opts = {.lossy = lossy};
    p.doc = gw_doc_new(FILE_NAME);
    p.rc = gw_read(p.doc, src, len, &opts, &diag);
    p.errors = diag.errors;
    p.warnings = diag.warnings;
    fclose(mem);
    return p;
}

static struct parsed parse(const char *src)
{
    return parse_n(src, strlen(src), false);
}

static void parsed_free(struct parsed *p)
{
    gw_doc_free(p->doc);
    free(p->msgs);
    p->doc = NULL;
    p->msgs = NULL;
}

/* The k-th (0-based) child of n of the given type, or NULL. */
static const struct gw_node *child(const struct gw_node *n, enum gw_node_type type, int k)
{
    for (const struct gw_node *c = n ? n->first : NULL; c; c = c->next)
        if (c->type == type && k-- == 0)
            return c;
    return NULL;
}

static int count_children(const struct gw_node *n, enum gw_node_type type)
{
    int k = 0;
    for (const struct gw_node *c = n ? n->first : NULL; c; c = c->next)
        k += c->type == type;
    return k;
}

static const struct gw_node *section(const struct parsed *p, int k)
{
    return child(p->doc->root, GW_NODE_SECTION, k);
}

static const struct gw_node *para(const struct parsed *p, int sec, int k)
{
    return child(section(p, sec), GW_NODE_PARA, k);
}

static const char *text_of(const struct gw_node *n)
{
    return n ? n->text : "(missing node)";
}

/* Check a node's span (file, line, col); failures name the caller's line. */
#define span_is(n, line, col, what) span_is_at(__LINE__, (n), (line), (col), (what))
static void span_is_at(int at, const struct gw_node *n, int line, int col, const char *what)
{
    if (!harness_ok(__FILE__, at, n != NULL, "%s: node missing", what))
        return;
    harness_ok(__FILE__, at, n->span.line == line && n->span.col == col,
               "%s: span %d:%d, expected %d:%d", what, n->span.line, n->span.col, line, col);
    harness_ok(__FILE__, at, n->span.file && strcmp(n->span.file, FILE_NAME) == 0,
               "%s: span file is %s", what, n->span.file ? n->span.file : "NULL");
}

/* The text of a header field, or NULL. */
static const char *field(const struct parsed *p, const char *key)
{
    const struct gw_node *n = gw_doc_field(p->doc, key);
    return n ? n->text : NULL;
}

/* The captured diagnostics contain needle; failures name the caller's line. */
#define has_msg(p, needle) has_msg_at(__LINE__, (p), (needle))
static void has_msg_at(int at, const struct parsed *p, const char *needle)
{
    harness_ok(__FILE__, at, p->msgs && strstr(p->msgs, needle),
               "diagnostics should contain \"%s\"; got: %s", needle,
               p->msgs && *p->msgs ? p->msgs : "(none)\n");
}

/* src fails to read (rc -1) with this message and, unless errors < 0, this many errors. */
#define rejects(src, errors, needle) rejects_at(__LINE__, (src), (errors), (needle))
static void rejects_at(int at, const char *src, int errors, const char *needle)
{
    struct parsed p = parse(src);
    harness_int_eq(__FILE__, at, p.rc, -1, "rc", "-1");
    if (errors >= 0)
        harness_int_eq(__FILE__, at, p.errors, errors, "errors", "expected");
    has_msg_at(at, &p, needle);
    parsed_free(&p);
}

/* The tree as gw_doc_dump prints it (malloc'd). */
static char *dump(const struct gw_doc *doc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    gw_doc_dump(doc, mem);
    fclose(mem);
    return buf;
}

/* ------------------------------------------------------------------------ */

static void test_canonical_key(void)
{
    struct {
        const char *name, *key;
    } cases[] = {
        {"title", "标题"},    {"issue", "期号"},  {"issuer", "编发"}, {"date", "日期"},
        {"layout", "版式"},   {"copies", "印数"}, {"标题", "标题"},   {"期号", "期号"},
        {"编发单位", "编发"}, {"印数", "印数"},   {"版式", "版式"},   {"日期", "日期"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        STR_EQ(gw_read_canonical_key(cases[i].name, strlen(cases[i].name)), cases[i].key);
    /* only len bytes of name count */
    STR_EQ(gw_read_canonical_key("titles", 5), "标题");
    STR_EQ(gw_read_canonical_key("dateline", 4), "日期");
    STR_EQ(gw_read_canonical_key("title", 3), NULL);
    STR_EQ(gw_read_canonical_key("nope", 4), NULL);
    STR_EQ(gw_read_canonical_key("Title", 5), NULL); /* keys are case-sensitive */
    STR_EQ(gw_read_canonical_key("备注", strlen("备注")), NULL);
    STR_EQ(gw_read_canonical_key("", 0), NULL);
}

/* The seed's header: four bare lines, classified by their shape. */
static void test_bare_header(void)
{
    struct parsed p = parse("\n\n永州市实施安全守底行动 工作专报\n\n2024 年第 1 期\n\n"
                            "市实施安全守底行动工作专班\n\n2024 年 2 月 29 日\n\n【编者按】\n\n"
                            "正文。\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    INT_EQ(p.warnings, 0);
    STR_EQ(field(&p, "标题"), "永州市实施安全守底行动 工作专报");
    STR_EQ(field(&p, "期号"), "2024 年第 1 期");
    STR_EQ(field(&p, "编发"), "市实施安全守底行动工作专班");
    STR_EQ(field(&p, "日期"), "2024 年 2 月 29 日");
    INT_EQ(count_children(p.doc->root, GW_NODE_FIELD), 4);
    span_is(gw_doc_field(p.doc, "标题"), 3, 1, "title");
    span_is(gw_doc_field(p.doc, "期号"), 5, 1, "issue");
    span_is(gw_doc_field(p.doc, "编发"), 7, 1, "issuer");
    span_is(gw_doc_field(p.doc, "日期"), 9, 1, "date");
    /* fields come first, in input order */
    const struct gw_node *f = p.doc->root->first;
    STR_EQ(f ? f->key : NULL, "标题");
    f = f ? f->next : NULL;
    STR_EQ(f ? f->key : NULL, "期号");
    INT_EQ(p.doc->nsections, 1);
    INT_EQ(p.doc->nparas, 1);
    parsed_free(&p);

    /* the shape decides, not the order: issue and date lines first */
    p = parse("第3期\n2024年3月1日\n关于春季安全的通报\n县应急管理局\n【一】x\n");
    INT_EQ(p.rc, 0);
    STR_EQ(field(&p, "期号"), "第3期");
    STR_EQ(field(&p, "日期"), "2024年3月1日");
    STR_EQ(field(&p, "标题"), "关于春季安全的通报");
    STR_EQ(field(&p, "编发"), "县应急管理局");
    parsed_free(&p);

    /* an unknown "key:" is not a header key: the whole line is the title */
    p = parse("通知: 关于开展检查的安排\n【一】x\n");
    INT_EQ(p.rc, 0);
    STR_EQ(field(&p, "标题"), "通知: 关于开展检查的安排");
    parsed_free(&p);
}

/* "key: value" and "键：值" lines, with English aliases. */
static void test_keyed_header(void)
{
    struct parsed p = parse("标题：永州 专报\n"
                            "issue: 2024 年第 1 期\n"
                            "编发单位 ： 专班  \n"
                            "date：2024年2月29日\n"
                            "layout: gbt9704\n"
                            "copies: 50\n"
                            "【编者按】x\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    STR_EQ(field(&p, "标题"), "永州 专报");
    STR_EQ(field(&p, "期号"), "2024 年第 1 期");
    STR_EQ(field(&p, "编发"), "专班");
    STR_EQ(field(&p, "日期"), "2024年2月29日");
    STR_EQ(field(&p, "版式"), "gbt9704");
    STR_EQ(field(&p, "印数"), "50");
    INT_EQ(count_children(p.doc->root, GW_NODE_FIELD), 6);
    /* value columns: code points, 1-based, after the colon and blanks */
    span_is(gw_doc_field(p.doc, "标题"), 1, 4, "标题 value");
    span_is(gw_doc_field(p.doc, "期号"), 2, 8, "issue value");
    span_is(gw_doc_field(p.doc, "编发"), 3, 8, "编发单位 value");
    span_is(gw_doc_field(p.doc, "日期"), 4, 6, "date value");
    span_is(gw_doc_field(p.doc, "印数"), 6, 9, "copies value");
    parsed_free(&p);

    /* "Title" is no key (case-sensitive) but one edit from "title": read as
     * 标题, with a warning; a keyed value may be empty */
    p = parse("Title: 大写\n印数：\n【一】x\n");
    INT_EQ(p.rc, 0);
    STR_EQ(field(&p, "标题"), "大写");
    has_msg(&p, FILE_NAME ":1:1: warning: Title is not a header key; read as 标题 (did you mean 标题?)");
    STR_EQ(field(&p, "印数"), "");
    parsed_free(&p);
}

/* A line after a full header is body text (an implicit section), not an error. */
static void test_full_header_then_text(void)
{
    struct parsed p = parse("title: T\nissue: 第1期\nissuer: 专班\ndate: 2024年1月2日\n"
                            "　多余的一行。\n【一】x\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    const struct gw_node *sec = section(&p, 0);
    STR_EQ(sec ? sec->key : NULL, "implicit");
    STR_EQ(text_of(para(&p, 0, 0)), "多余的一行。");
    span_is(para(&p, 0, 0), 5, 2, "body text after the header");
    STR_EQ(text_of(section(&p, 1)), "一");
    parsed_free(&p);

    /* bare header: four lines, then a headline-less line before 【一】 is a paragraph */
    p = parse("专报\n第1期\n专班\n2024年1月2日\n\n又一行\n【一】x\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    INT_EQ(count_children(p.doc->root, GW_NODE_FIELD), 4);
    STR_EQ(text_of(para(&p, 0, 0)), "又一行");
    parsed_free(&p);
}

static void test_duplicate_key(void)
{
    struct parsed p = parse("title: 甲\n标题：乙\n【一】x\n");
    INT_EQ(p.rc, -1);
    INT_EQ(p.errors, 1);
    has_msg(&p, FILE_NAME ":2:4: error: header field 标题 given twice");
    STR_EQ(field(&p, "标题"), "甲"); /* the first one stays */
    parsed_free(&p);

    rejects("印数：10\ncopies: 20\n【一】x\n", 1,
            FILE_NAME ":2:9: error: header field 印数 given twice");
}

/* 【heading】text: the text after 】 is the section's first paragraph. */
static void test_heading_with_text(void)
{
    struct parsed p =
        parse("标题：T\n【编者按】　为贯彻落实。\n第二段。\n【 工作部署 】\n第三段\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.doc->nsections, 2);
    INT_EQ(p.doc->nparas, 3);
    STR_EQ(text_of(section(&p, 0)), "编者按");
    span_is(section(&p, 0), 2, 2, "heading 编者按");
    STR_EQ(text_of(para(&p, 0, 0)), "为贯彻落实。");
    span_is(para(&p, 0, 0), 2, 7, "paragraph after 】");
    STR_EQ(text_of(para(&p, 0, 1)), "第二段。");
    span_is(para(&p, 0, 1), 3, 1, "second paragraph");
    INT_EQ(count_children(section(&p, 0), GW_NODE_PARA), 2);
    /* blanks inside the brackets are trimmed; the heading starts at its first char */
    STR_EQ(text_of(section(&p, 1)), "工作部署");
    span_is(section(&p, 1), 4, 3, "heading with blanks");
    INT_EQ(count_children(section(&p, 1), GW_NODE_PARA), 1);
    /* a heading alone has no paragraph from its own line */
    OK(para(&p, 1, 0) && para(&p, 1, 0)->span.line == 5,
       "【 工作部署 】's first paragraph is line 5");
    parsed_free(&p);
}

/* One paragraph per line; blank (and blank-looking) lines are ignored. */
static void test_paragraph_lines(void)
{
    struct parsed p = parse("【一】\n\n甲段**加粗**。\n \t　\n\n乙段  \n丙段\n\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.doc->nparas, 3);
    INT_EQ(count_children(section(&p, 0), GW_NODE_PARA), 3);
    STR_EQ(text_of(para(&p, 0, 0)), "甲段**加粗**。"); /* inline markup is kept */
    STR_EQ(text_of(para(&p, 0, 1)), "乙段");           /* trailing blanks trimmed */
    INT_EQ(para(&p, 0, 1) ? para(&p, 0, 1)->len : 0, strlen("乙段"));
    STR_EQ(text_of(para(&p, 0, 2)), "丙段");
    span_is(para(&p, 0, 0), 3, 1, "甲段");
    span_is(para(&p, 0, 1), 6, 1, "乙段");
    span_is(para(&p, 0, 2), 7, 1, "丙段");
    OK(para(&p, 0, 0) && para(&p, 0, 0)->parent == section(&p, 0),
       "paragraph's parent is its section");
    /* no section at all: a warning, not an error */
    parsed_free(&p);
    p = parse("标题：T\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    INT_EQ(p.warnings, 1);
    has_msg(&p, FILE_NAME ": warning: the document has no body: no text after the header");
    parsed_free(&p);
}

/* Columns count code points and start after leading full-width spaces. */
static void test_positions(void)
{
    struct parsed p = parse("　标题：永州\n"
                            "\t 期号 :  第1期\n"
                            "　　【工作部署】　　首段\n"
                            "　　第二段\n"
                            "\t第三段\n"
                            "　　【专项行动】\n"
                            "ab中文\n");
    INT_EQ(p.rc, 0);
    span_is(gw_doc_field(p.doc, "标题"), 1, 5, "标题 after a full-width space");
    span_is(gw_doc_field(p.doc, "期号"), 2, 9, "期号 after tab, space and blanks");
    span_is(section(&p, 0), 3, 4, "heading after two full-width spaces");
    STR_EQ(text_of(para(&p, 0, 0)), "首段");
    span_is(para(&p, 0, 0), 3, 11, "text after 】 and two full-width spaces");
    span_is(para(&p, 0, 1), 4, 3, "paragraph after two full-width spaces");
    span_is(para(&p, 0, 2), 5, 2, "paragraph after a tab");
    STR_EQ(text_of(para(&p, 0, 1)), "第二段");
    span_is(section(&p, 1), 6, 4, "second heading");
    span_is(para(&p, 1, 0), 7, 1, "ASCII then Han");
    span_is(p.doc->root, 1, 1, "root");
    parsed_free(&p);
}

/* LF, CRLF and lone CR give the same tree with the same line numbers. */
static void test_line_endings(void)
{
    const char *lf = "标题：T\n\n【一】甲\n乙\n\n【二】\n丙\n";
    const char *crlf = "标题：T\r\n\r\n【一】甲\r\n乙\r\n\r\n【二】\r\n丙\r\n";
    const char *cr = "标题：T\r\r【一】甲\r乙\r\r【二】\r丙\r";
    const char *nofinal = "标题：T\r\n\r\n【一】甲\r\n乙\r\n\r\n【二】\r\n丙";
    struct parsed a = parse(lf), b = parse(crlf), c = parse(cr), d = parse(nofinal);
    char *da = dump(a.doc), *db = dump(b.doc), *dc = dump(c.doc), *dd = dump(d.doc);
    STR_EQ(db, da);
    STR_EQ(dc, da);
    STR_EQ(dd, da);
    span_is(para(&c, 1, 0), 7, 1, "丙 with CR endings");
    span_is(para(&b, 1, 0), 7, 1, "丙 with CRLF endings");
    span_is(section(&c, 1), 6, 2, "【二】 with CR endings");
    STR_EQ(text_of(para(&c, 0, 1)), "乙"); /* no stray \r in the text */
    STR_EQ(text_of(para(&b, 0, 1)), "乙");
    INT_EQ(c.rc, 0);
    INT_EQ(b.rc, 0);
    free(da), free(db), free(dc), free(dd);
    parsed_free(&a), parsed_free(&b), parsed_free(&c), parsed_free(&d);
}

static void test_bom(void)
{
    struct parsed p = parse("\xEF\xBB\xBF永州专报\n【一】甲\n");
    INT_EQ(p.rc, 0);
    STR_EQ(field(&p, "标题"), "永州专报");
    span_is(gw_doc_field(p.doc, "标题"), 1, 1, "title right after a BOM");
    parsed_free(&p);

    p = parse("\xEF\xBB\xBF"
              "title: T\n【一】甲\n");
    STR_EQ(field(&p, "标题"), "T");
    span_is(gw_doc_field(p.doc, "标题"), 1, 8, "keyed title after a BOM");
    parsed_free(&p);

    p = parse("\xEF\xBB\xBF【一】甲\n");
    INT_EQ(p.doc->nsections, 1);
    span_is(section(&p, 0), 1, 2, "heading right after a BOM");
    parsed_free(&p);
}

static void test_invalid_utf8(void)
{
    /* offset: "标题：A\n" is 11 bytes, "【a】\n" 8, "中" 3 -> 22 */
    struct parsed p;
    rejects("标题：A\n【a】\n中\xFF"
            "c\n",
            1, FILE_NAME ":3:2: error: invalid UTF-8 (byte 0xFF at offset 22)");

    /* truncated sequence at the end of the input */
    rejects("ab\xE4\xB8", -1, FILE_NAME ":1:3: error: invalid UTF-8 (byte 0xE4 at offset 2)");

    /* overlong encoding and an encoded surrogate are invalid too */
    rejects("\n\xC0\xAF", -1, FILE_NAME ":2:1: error: invalid UTF-8 (byte 0xC0 at offset 1)");
    rejects("x\xED\xA0\x80", -1, "(byte 0xED at offset 1)");

    /* CRLF and lone CR count as one line end */
    p = parse("a\r\n\r\nb\xFF");
    has_msg(&p, FILE_NAME ":3:2: error: invalid UTF-8 (byte 0xFF at offset 6)");
    parsed_free(&p);
    p = parse("a\r\rb\xFF");
    has_msg(&p, FILE_NAME ":3:2: error: invalid UTF-8 (byte 0xFF at offset 4)");
    parsed_free(&p);

    /* Regression (engine bug in 1b25b33, gw_read.c report_bad_utf8, fixed in
     * f114c56): the column counted the BOM while every node span skips it
     * (test_bom: text right after a BOM is at col 1). The bad byte is the 3rd
     * character, col 3; the buggy engine said 1:4. */
    p = parse("\xEF\xBB\xBF"
              "ab\xFF");
    has_msg(&p, FILE_NAME ":1:3: error: invalid UTF-8 (byte 0xFF at offset 5)");
    parsed_free(&p);
}

static void test_lossy(void)
{
    /* line 1: "标题：A" is 10 bytes, the bad byte is at offset 10, col 5;
     * line 2 starts at 13: "【a】x" is 8 bytes, the bad bytes are at 21, col 5 */
    const char *src = "标题：A\xFF"
                      "B\n【a】x\xFE\xFD"
                      "y\n";
    struct parsed p = parse_n(src, strlen(src), true);
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    INT_EQ(p.warnings, 2); /* once per line */
    STR_EQ(field(&p, "标题"), "A" U_FFFD "B");
    STR_EQ(text_of(para(&p, 0, 0)), "x" U_FFFD U_FFFD "y");
    span_is(para(&p, 0, 0), 2, 4, "paragraph after 【a】");
    has_msg(&p,
            FILE_NAME ":1:5: warning: invalid UTF-8 byte 0xFF at offset 10 replaced with U+FFFD");
    has_msg(&p,
            FILE_NAME ":2:5: warning: invalid UTF-8 byte 0xFE at offset 21 replaced with U+FFFD");
    parsed_free(&p);

    /* without --lossy the same input fails */
    p = parse_n(src, strlen(src), false);
    INT_EQ(p.rc, -1);
    INT_EQ(p.errors, 1);
    parsed_free(&p);

    /* Regression (engine bug in 1b25b33, gw_read.c make_lossy, fixed in
     * f114c56): lines were counted on '\n' only, so with CR line endings the
     * warning named 1:11 instead of 3:2. */
    src = "标题：A\r【a】\rx\xFF";
    p = parse_n(src, strlen(src), true);
    INT_EQ(p.rc, 0);
    has_msg(&p, FILE_NAME ":3:2: warning: invalid UTF-8 byte 0xFF at offset");
    parsed_free(&p);
}

static void test_nul(void)
{
    /* "标题：A\n" 11 bytes + "【a】\n" 8 + "xy" 2 -> offset 21, line 3, col 3 */
    const char src[] = "标题：A\n【a】\nxy\0z\n";
    struct parsed p = parse_n(src, sizeof src - 1, false);
    INT_EQ(p.rc, -1);
    INT_EQ(p.errors, 1);
    has_msg(&p, FILE_NAME ":3:3: error: NUL byte in the input (offset 21)");
    parsed_free(&p);

    const char crlf[] = "标题：A\r\n【a】\r\n中\0";
    p = parse_n(crlf, sizeof crlf - 1, false);
    INT_EQ(p.rc, -1);
    has_msg(&p, FILE_NAME ":3:2: error: NUL byte in the input (offset 24)");
    parsed_free(&p);

    /* Regression (engine bug in 1b25b33, the NUL position loop in gw_read,
     * fixed in f114c56): only '\n' ended a line there, so with lone-CR line
     * endings the NUL was reported at 1:11 instead of 3:2. */
    const char cr[] = "标题：A\r【a】\r中\0";
    p = parse_n(cr, sizeof cr - 1, false);
    INT_EQ(p.rc, -1);
    has_msg(&p, FILE_NAME ":3:2: error: NUL byte in the input (offset 22)");
    parsed_free(&p);
}

static void test_heading_errors(void)
{
    struct parsed p;
    rejects("标题：T\n【】\n", 1, FILE_NAME ":2:1: error: empty section heading 【】");

    rejects("标题：T\n【一】x\n　【 　】正文\n", -1,
            FILE_NAME ":3:2: error: empty section heading 【】");

    rejects("标题：T\n\n　　【编者按\n", 1,
            FILE_NAME ":3:3: error: section heading has no closing 】");

    p = parse("【一】甲\n【编【者】乙\n");
    INT_EQ(p.rc, -1);
    INT_EQ(p.errors, 1);
    has_msg(&p, FILE_NAME ":2:1: error: nested 【 in a section heading");
    INT_EQ(p.doc->nsections, 1); /* the bad heading makes no section */
    parsed_free(&p);

    /* a 【 after the closing 】 is body text, not nesting */
    p = parse("【一】甲【注】乙\n");
    INT_EQ(p.rc, 0);
    STR_EQ(text_of(section(&p, 0)), "一");
    STR_EQ(text_of(para(&p, 0, 0)), "甲【注】乙");
    parsed_free(&p);

    /* every bad heading is reported, not just the first */
    p = parse("【】\n【x\n");
    INT_EQ(p.rc, -1);
    INT_EQ(p.errors, 2);
    parsed_free(&p);
}

static void test_seed(void)
{
    size_t len = 0;
    char *src = gw_read_file("examples/yongzhou-2024-01.txt", &len);
    if (!OK(src != NULL, "read examples/yongzhou-2024-01.txt (run from the repo root): %s",
            strerror(errno)))
        return;
    OK(len > 1000, "seed has %zu bytes", len);
    struct parsed p = parse_n(src, len, false);
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    INT_EQ(p.warnings, 0);
    INT_EQ(count_children(p.doc->root, GW_NODE_FIELD), 4);
    STR_EQ(field(&p, "标题"), "永州市实施安全守底行动 工作专报");
    STR_EQ(field(&p, "期号"), "2024 年第 1 期");
    STR_EQ(field(&p, "编发"), "市实施安全守底行动工作专班");
    STR_EQ(field(&p, "日期"), "2024 年 2 月 29 日");
    /* the file has four 【】 headings (lines 11, 15, 19, 31) */
    INT_EQ(p.doc->nsections, 4);
    INT_EQ(count_children(p.doc->root, GW_NODE_SECTION), 4);
    const char *heads[] = {"编者按", "工作部署", "专项行动", "县市区动态"};
    const int lines[] = {11, 15, 19, 31};
    const int paras[] = {1, 1, 5, 18};
    for (int i = 0; i < 4; i++) {
        STR_EQ(text_of(section(&p, i)), heads[i]);
        span_is(section(&p, i), lines[i], 2, heads[i]);
        INT_EQ(count_children(section(&p, i), GW_NODE_PARA), paras[i]);
    }
    INT_EQ(p.doc->nparas, 25);
    OK(para(&p, 2, 0) &&
           strncmp(para(&p, 2, 0)->text, "安全生产 2月29日", strlen("安全生产 2月29日")) == 0,
       "专项行动 starts with 安全生产 2月29日");
    span_is(para(&p, 3, 17), 67, 1, "last paragraph");
    /* every paragraph is one non-empty source line */
    int total = 0;
    for (int s = 0; s < 4; s++)
        for (const struct gw_node *n = section(&p, s)->first; n; n = n->next) {
            total++;
            OK(n->len > 0 && strlen(n->text) == n->len && !strchr(n->text, '\n'),
               "paragraph at line %d is one clean line", n->span.line);
        }
    INT_EQ(total, 25);
    parsed_free(&p);
    free(src);

    errno = 0;
    OK(gw_read_file("examples/no-such-file.txt", &len) == NULL && errno == ENOENT,
       "missing file gives NULL + ENOENT");
}

/* The tree of src as gw_doc_dump prints it equals want; notes and errors in msgs. */
#define tree_is(src, want) tree_is_at(__LINE__, (src), (want))
static void tree_is_at(int at, const char *src, const char *want)
{
    struct parsed p = parse(src);
    char *got = dump(p.doc);
    harness_ok(__FILE__, at, strcmp(got, want) == 0, "tree:\n%s\nexpected:\n%s", got, want);
    free(got);
    parsed_free(&p);
}

/* Mastheads of 1-6 lines: organisation, spaced title, issue forms, dates, issuer lines. */
static void test_masthead_forms(void)
{
    tree_is("中共XX县委党史研究室\n工 作 通 讯\n第2期\n（总第13期）\nXX县委党史研究室编\n"
            "二○一○年五月十一日\n\n正文一句。\n",
            "field 1:1 主办 = 中共XX县委党史研究室\nfield 2:1 标题 = 工作通讯\n"
            "field 3:1 期号 = 第2期\nfield 4:4 总期号 = 13\nfield 5:1 编发 = XX县委党史研究室编\n"
            "field 6:1 日期 = 二○一○年五月十一日\nsection 8:1 (implicit)\n  para 8:1 正文一句。\n");
    tree_is("价格监测周报\n第37期（总第412期）\nXX中心          2018-09-14编印\n\n正文。\n",
            "field 1:1 标题 = 价格监测周报\nfield 2:1 期号 = 第37期\nfield 2:8 总期号 = 412\n"
            "field 3:1 编发 = XX中心\nfield 3:15 日期 = 2018-09-14编印\n"
            "section 5:1 (implicit)\n  para 5:1 正文。\n");
    /* issuer and signer on one line; A2: is no key */
    tree_is("气象专报\n[2019]第013期\n隆尧县气象局签发:张纪峰    2019-07-22\n\n正文。\n",
            "field 1:1 标题 = 气象专报\nfield 2:1 期号 = [2019]第013期\n"
            "field 3:1 编发 = 隆尧县气象局\nfield 3:10 签发 = 张纪峰\n"
            "field 3:17 日期 = 2019-07-22\nsection 5:1 (implicit)\n  para 5:1 正文。\n");
    tree_is("XX日报\n1886 期 / 第2版\nA2:综合*新闻总第3307期\n2014-07-14\n\n正文。\n",
            "field 1:1 标题 = XX日报\nfield 2:1 期号 = 1886 期 / 第2版　A2:综合*新闻总第3307期\n"
            "field 4:1 日期 = 2014-07-14\nsection 6:1 (implicit)\n  para 6:1 正文。\n");
    /* the masthead guess is one note naming its fields and lines */
    struct parsed p = parse("简报\n第1期\n\n正文。\n");
    has_msg(&p, FILE_NAME ":1:1: note: read lines 1-2 as the masthead: 标题 (line 1), 期号 (line 2)");
    INT_EQ(p.errors, 0);
    parsed_free(&p);
    /* the seed's documented bare header is no guess: no note */
    p = parse("永州专报\n\n2024 年第 1 期\n\n专班\n\n2024 年 2 月 29 日\n\n【编者按】\n正文。\n");
    STR_EQ(p.msgs, "");
    parsed_free(&p);
}

/* A lead article: headline, lines under it, salutation, abstract; no masthead. */
static void test_article_head(void)
{
    tree_is("在理事会上的讲话\n冷 溶\n（2019年3月15日）\n\n各位理事:\n摘要：本文回顾了工作。\n"
            "大家好！今天我们召开理事会第二次会议，主要任务是总结工作，研究部署工作。\n",
            "headline 1:1 在理事会上的讲话\nsubtitle 2:1 [author] 冷 溶\n"
            "subtitle 3:1 [time] （2019年3月15日）\nsalutation 5:1 各位理事:\n"
            "section 6:1 (implicit)\n  para 6:1 [abstract] 摘要：本文回顾了工作。\n"
            "  para 7:1 大家好！今天我们召开理事会第二次会议，主要任务是总结工作，研究部署工作。\n");
    /* a second headline after body text starts a second article; each guess is a note */
    const char *two = "第一篇文章的题目\n第一篇文章的正文写在这里，有足够长的一整行文字。\n"
                      "第二篇的题目\n第二篇文章的正文也写在这里，同样是足够长的一整行。\n";
    tree_is(two, "headline 1:1 第一篇文章的题目\nsection 2:1 (implicit)\n"
                 "  para 2:1 第一篇文章的正文写在这里，有足够长的一整行文字。\n"
                 "headline 3:1 第二篇的题目\nsection 4:1 (implicit)\n"
                 "  para 4:1 第二篇文章的正文也写在这里，同样是足够长的一整行。\n");
    struct parsed p = parse(two);
    has_msg(&p, FILE_NAME ":3:1: note: read as the article headline (write 题目：… to mark it)");
    parsed_free(&p);
    /* a broken line (a PDF copy) is no headline: the line before it ends mid-sentence */
    tree_is("今年以来我县坚持以新思想为指导，全面贯彻落实党的二十\n大精神扎实推进各项工作\n"
            "经济社会保持持续健康发展。\n",
            "section 1:1 (implicit)\n  para 1:1 今年以来我县坚持以新思想为指导，全面贯彻落实党的二十\n"
            "  para 2:1 大精神扎实推进各项工作\n  para 3:1 经济社会保持持续健康发展。\n");
}

/* Headings alone on their line (headings.lua), run-in headings and sentences, items. */
static void test_body_lines(void)
{
    tree_is("【一】\n一、天气实况\n（一）短期预报\n1.加强研究\n（1）细则\n"
            "1.加强课题研究。围绕建设，开展调研。\n1.各乡镇要加强值守，密切关注天气变化。\n"
            "◆区委常委会专题研究工作。\n- 条目\n3.2万亩已完成。\n注：资料未经审核。\n",
            "section 1:2 一\n  heading 2:1 h1 一、天气实况\n  heading 3:1 h2 （一）短期预报\n"
            "  heading 4:1 h3 1.加强研究\n  heading 5:1 h4 （1）细则\n"
            "  para 6:1 1.加强课题研究。围绕建设，开展调研。\n"
            "  item 7:1 [1.] 1.各乡镇要加强值守，密切关注天气变化。\n"
            "  item 8:1 [◆] ◆区委常委会专题研究工作。\n  item 9:1 [-] - 条目\n"
            "  para 10:1 3.2万亩已完成。\n  footnote 11:1 注：资料未经审核。\n");
    /* bare pipe rows: 2+ rows of the same cell count; a "…表" line above is the caption */
    tree_is("降雨量统计表\n站点 | 6月18日 | 合计\n城关 | 35.2 | 83.8\n单独 | 一行\n",
            "section 1:1 (implicit)\n  table 2:1 cols=3 align= caption=降雨量统计表\n"
            "    head 2:1 | 站点 | 6月18日 | 合计\n    row 3:1 | 城关 | 35.2 | 83.8\n"
            "  para 4:1 单独 | 一行\n");
}

/* The close: 署名 lines and a date at the end, 附注; 附件说明. */
static void test_closing(void)
{
    tree_is("正文的最后一句话在这里。\n附件：1.名单\n2.统计表\n\nXX县防汛办\nXX县应急局\n"
            "2024年6月17日\n（此件公开发布）\n",
            "section 1:1 (implicit)\n  para 1:1 正文的最后一句话在这里。\n"
            "attachment 2:1 [1] 附件：1.名单\nattachment 3:1 [2] 2.统计表\n"
            "signature 5:1 XX县防汛办\nsignature 6:1 XX县应急局\ndate 7:1 2024年6月17日\n"
            "note 8:1 （此件公开发布）\n");
    /* several articles, each with its own 落款: a closing may be followed by the next headline */
    tree_is("第一篇的题目\n第一篇文章的正文写在这里，有足够长的一整行文字。\n\n县防汛办\n"
            "2024年6月1日\n\n第二篇的题目\n第二篇文章的正文也写在这里，同样是足够长的一整行。\n",
            "headline 1:1 第一篇的题目\nsection 2:1 (implicit)\n"
            "  para 2:1 第一篇文章的正文写在这里，有足够长的一整行文字。\n"
            "signature 4:1 县防汛办\ndate 5:1 2024年6月1日\nheadline 7:1 第二篇的题目\n"
            "section 8:1 (implicit)\n  para 8:1 第二篇文章的正文也写在这里，同样是足够长的一整行。\n");
    /* without a blank line before it, what follows the date is text: no closing there */
    struct parsed p = parse("正文一句。\n县防汛办\n2024年6月1日\n后面还有正文。\n");
    INT_EQ(count_children(p.doc->root, GW_NODE_SIGNATURE), 0);
    INT_EQ(count_children(p.doc->root, GW_NODE_DATE), 0);
    parsed_free(&p);
    /* a date in the middle is a paragraph */
    tree_is("【一】\n2024年6月17日\n后面还有正文。\n",
            "section 1:2 一\n  para 2:1 2024年6月17日\n  para 3:1 后面还有正文。\n");
}

/* The 版记 at the end: key lines, an 印发 line, （共印N份）, rules of dashes; one note. */
static void test_colophon(void)
{
    const char *src = "正文的最后一句话在这里。\n\nXX县政府办\n2024年5月28日\n（此件公开发布）\n\n"
                      "----------\n主送：各乡镇人民政府。\n抄送：县委办。\n----------\n"
                      "XX县政府办      2024年5月28日印发\n（共印120份）\n----------\n";
    tree_is(src, "field 8:4 主送 = 各乡镇人民政府。\nfield 9:4 抄送 = 县委办。\n"
                 "field 11:1 印发 = XX县政府办      2024年5月28日印发\nfield 12:4 印数 = 120\n"
                 "section 1:1 (implicit)\n  para 1:1 正文的最后一句话在这里。\n"
                 "signature 3:1 XX县政府办\ndate 4:1 2024年5月28日\nnote 5:1 （此件公开发布）\n");
    struct parsed p = parse(src);
    has_msg(&p, FILE_NAME ":7:1: note: read lines 7-13 as the 版记: 主送, 抄送, 印发, 印数 "
                "(write 正文：… to keep a line in the text)");
    INT_EQ(p.errors, 0);
    /* fix writes the block back from the fields: rules and the lines as written */
    const struct gw_node *f = gw_doc_field(p.doc, "主送");
    OK(f->at_end, "a 版记 field is at_end");
    STR_EQ(f->source, "----------\n主送：各乡镇人民政府。");
    STR_EQ(gw_doc_field(p.doc, "抄送")->source, NULL);
    STR_EQ(gw_doc_field(p.doc, "抄送")->prefix, "抄送：");
    STR_EQ(gw_doc_field(p.doc, "印发")->source, "----------\nXX县政府办      2024年5月28日印发");
    STR_EQ(gw_doc_field(p.doc, "印数")->source, "（共印120份）\n----------");
    parsed_free(&p);
    /* without a closing: 报 送 发 and an 印发 line without a date */
    tree_is("正文一句。\n\n报：市政府办公室\n送：县委\n发：各乡镇\nXX县政府办印发\n",
            "field 3:3 报 = 市政府办公室\nfield 4:3 送 = 县委\nfield 5:3 发 = 各乡镇\n"
            "field 6:1 印发 = XX县政府办印发\nsection 1:1 (implicit)\n  para 1:1 正文一句。\n");
    /* 主送 without a closing before it is the salutation; the block starts after it */
    tree_is("正文一句。\n主送：各乡镇\n抄送：县委办。\n",
            "field 3:4 抄送 = 县委办。\nsection 1:1 (implicit)\n  para 1:1 正文一句。\n"
            "salutation 2:4 各乡镇\n");
    /* in the header, as before: a header field, not at the end */
    p = parse("标题：简报\n报：市政府\n\n正文。\n");
    STR_EQ(field(&p, "报"), "市政府");
    OK(!gw_doc_field(p.doc, "报")->at_end, "a header 报 is no at_end field");
    parsed_free(&p);
    /* a 版记 line with text after it, 正文：… and rules alone are text */
    tree_is("正文一句。\n发：各乡镇\n正文二句。\n",
            "section 1:1 (implicit)\n  para 1:1 正文一句。\n  para 2:1 发：各乡镇\n"
            "  para 3:1 正文二句。\n");
    tree_is("正文一句。\n正文：报：市政府\n",
            "section 1:1 (implicit)\n  para 1:1 正文一句。\n  para 2:4 报：市政府\n");
    tree_is("正文一句。\n----------\n",
            "section 1:1 (implicit)\n  para 1:1 正文一句。\n  para 2:1 ----------\n");
    /* the same key twice is an error naming the second line */
    rejects("正文一句。\n抄送：甲。\n抄送：乙。\n", 1,
            FILE_NAME ":3:4: error: header field 抄送 given twice");
}

/* A 通知-style title at the start: 机关 + 关于… + 文种 on one to three lines. */
static void test_notice_title(void)
{
    const char *src = "XX县人民政府办公室\n关于做好汛期安全工作的通知\n\n各乡镇人民政府：\n"
                      "现将有关事项通知如下。\n";
    tree_is(src, "headline 1:1 XX县人民政府办公室关于做好汛期安全工作的通知\n"
                 "salutation 4:1 各乡镇人民政府：\nsection 5:1 (implicit)\n"
                 "  para 5:1 现将有关事项通知如下。\n");
    struct parsed p = parse(src);
    has_msg(&p, FILE_NAME ":1:1: note: read lines 1-2 as the article headline (write 题目：… on "
                "one line to mark it)");
    STR_EQ(child(p.doc->root, GW_NODE_HEADLINE, 0)->source,
           "XX县人民政府办公室\n关于做好汛期安全工作的通知");
    parsed_free(&p);
    tree_is("XX县人民政府办公室关于\n做好秋季学校\n食品安全工作的通知\n为保障安全，通知如下。\n",
            "headline 1:1 XX县人民政府办公室关于做好秋季学校食品安全工作的通知\n"
            "section 4:1 (implicit)\n  para 4:1 为保障安全，通知如下。\n");
    tree_is("关于安全检查情况的通报\n各部门：\n现通报如下。\n",
            "headline 1:1 关于安全检查情况的通报\nsalutation 2:1 各部门：\n"
            "section 3:1 (implicit)\n  para 3:1 现通报如下。\n");
    p = parse("关于安全检查情况的通报\n各部门：\n现通报如下。\n");
    has_msg(&p, FILE_NAME ":1:1: note: read as the article headline (write 题目：… to mark it)");
    OK(!gw_doc_field(p.doc, "标题"), "a 通报's title is no bulletin's name");
    parsed_free(&p);
    /* no 关于, a line above that is no organ, or not at the start: no title */
    tree_is("做好汛期安全工作的通知\n正文：现将有关事项通知如下。\n",
            "section 1:1 (implicit)\n  para 1:1 做好汛期安全工作的通知\n"
            "  para 2:4 现将有关事项通知如下。\n");
    p = parse("今年汛期来得早，各地要早作准备。\nXX县人民政府办公室\n关于做好汛期安全工作的通知\n"
              "正文：如下。\n");
    for (const struct gw_node *n = p.doc->root->first; n; n = n->next)
        OK(n->type != GW_NODE_HEADLINE || !strstr(n->text, "办公室关于"),
           "no title is joined after the start (%s)", n->text);
    parsed_free(&p);
}

/* Marks override every guess; header 主送/署名/成文日期 make body nodes. */
static void test_overrides(void)
{
    tree_is("标题：简报\n主送：各乡镇\n署名：县政府\n成文日期：2024年6月1日\n\n"
            "题目：一个题目。\n副题：——副题\n正文：一、这不是标题\n",
            "field 1:4 标题 = 简报\nheadline 6:4 一个题目。\nsubtitle 7:4 [subtitle] ——副题\n"
            "salutation 2:4 各乡镇\nsection 8:4 (implicit)\n  para 8:4 一、这不是标题\n"
            "signature 3:4 县政府\ndate 4:6 2024年6月1日\n");
    /* no header at all: no fields */
    struct parsed p = parse("今年以来，我县坚持以新思想为指导，扎实推进各项工作。\n");
    INT_EQ(count_children(p.doc->root, GW_NODE_FIELD), 0);
    INT_EQ(p.rc, 0);
    parsed_free(&p);
}

/* Errors come once per problem; the tree read so far stays. */
static void test_partial_tree(void)
{
    struct parsed p = parse("标题：甲\n标题：乙\n【一\n正文。\n【二】\n更多。\n");
    INT_EQ(p.rc, -1);
    INT_EQ(p.errors, 2);
    has_msg(&p, FILE_NAME ":2:4: error: header field 标题 given twice (line 1 and here); keep one of the two lines");
    has_msg(&p, FILE_NAME ":3:1: error: section heading has no closing 】");
    char *d = dump(p.doc);
    STR_EQ(d, "field 1:4 标题 = 甲\nsection 4:1 (implicit)\n  para 4:1 正文。\nsection 5:2 二\n"
              "  para 6:1 更多。\n");
    free(d);
    parsed_free(&p);
}

/*
 * The 文件 formats (docs/formats.md): under a 文件-family 版式 the header's 标题 is
 * the headline; the header's close goes before 【附件N】; 签发 may repeat; // lines
 * are comments.
 */
static void test_document_header(void)
{
    struct parsed p = parse("// a starter's comment\n"
                            "版式: 文件\n标题: 关于测试的通知\n签发人: 甲\nsigner: 乙\n"
                            "主送: 各单位\n署名: 某县人民政府\n成文日期: 2024年1月2日\n\n"
                            "正文。\n// a comment in the body\n"
                            "【附件1】值班表\n内容。\n");
    INT_EQ(p.rc, 0);
    INT_EQ(p.errors, 0);
    STR_EQ(field(&p, "标题"), NULL);
    char *d = dump(p.doc);
    const char *order[] = {"field 2:5 版式 = 文件", "field 4:6 签发 = 甲", "field 5:9 签发 = 乙",
                           "headline 3:5 关于测试的通知", "salutation 6:5 各单位",
                           "  para 10:1 正文。", "signature 7:5", "date 8:7", "section 12:2 附件1",
                           "  para 12:6 值班表", "  para 13:1 内容。"};
    const char *at = d;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *f = at ? strstr(at, order[i]) : NULL;
        OK(f != NULL, "dump has \"%s\" after the one before; dump:\n%s", order[i], d);
        at = f;
    }
    OK(!strstr(d, "comment"), "comments are dropped: %s", d);
    free(d);
    parsed_free(&p);

    /* a 简报 (no 版式, or 版式: 简报) keeps 标题 as its masthead title; 签发 may repeat */
    p = parse("版式: bulletin\n标题: 工作简报\n\n正文。\n");
    INT_EQ(p.rc, 0);
    STR_EQ(field(&p, "标题"), "工作简报");
    INT_EQ(count_children(p.doc->root, GW_NODE_HEADLINE), 0);
    parsed_free(&p);
}

int main(void)
{
    harness_watchdog(30);
    test_canonical_key();
    test_bare_header();
    test_keyed_header();
    test_full_header_then_text();
    test_duplicate_key();
    test_heading_with_text();
    test_paragraph_lines();
    test_positions();
    test_line_endings();
    test_bom();
    test_invalid_utf8();
    test_lossy();
    test_nul();
    test_heading_errors();
    test_seed();
    test_masthead_forms();
    test_article_head();
    test_body_lines();
    test_closing();
    test_colophon();
    test_notice_title();
    test_overrides();
    test_partial_tree();
    test_document_header();
    return harness_done();
}
