/*
 * gw_check: `gongwen check`, `gongwen fix` and `build --explain` (see
 * gw_plug.h).
 *
 * Owns: running the rule sets over a document without building it, in
 * check mode (report what every rule would change or flags, and lines a
 * PDF copy left: running heads, page numbers, split paragraphs) or fix
 * mode (write the text with the rules applied), and fix's safety check
 * that the Han characters survive. May call gw_plug.c (layout, section
 * types), gw_plug_rules (the sets in force, applying them, drop and join)
 * and gw_ruleset; it runs no plugin's build function.
 */
#include "gw_plug_int.h"

#include <limits.h>

#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "../read/gw_read.h"
#include "../util/gw_buf.h"
#include "../util/gw_utf8.h"

/*
 * What check and fix do first: take the fonts, forget the rule sets reported
 * missing, run the rules in `mode` and load the document's layout. 0, or -1
 * (the document ended) if the layout cannot load.
 */
static int begin_rules_run(struct gw_plug *p, struct gw_doc *doc, struct gw_fontset *fs,
                           enum gw_rule_mode mode)
{
    p->fs = fs;
    gw_plug_forget_missing(p);
    p->mode = mode;
    if (gw_plug_use_layout(p, doc) < 0) {
        gw_plug_end_document(p);
        return -1;
    }
    return 0;
}

/* `gongwen check`: the rules run in check mode over the header and every section. */
int gw_plug_check(struct gw_plug *p, struct gw_doc *doc, struct gw_fontset *fs)
{
    lua_State *L = p->L;
    int top = lua_gettop(L);
    p->findings = 0;
    enum gw_rule_mode saved = p->mode;
    int errors = p->diag->errors;
    if (begin_rules_run(p, doc, fs, GW_RULES_CHECK) < 0) {
        p->mode = saved;
        return -1;
    }
    const char *sets[16];
    int nsets = gw_plug_header_sets(p, sets);
    for (const struct gw_node *n = doc->root->first; n; n = n->next) {
        if (n->type != GW_NODE_FIELD)
            continue;
        p->cur = n->span;
        size_t len;
        free(gw_plug_apply_rules(p, sets, nsets, n->text, n->len, &len));
    }
    /* the title without spaces, to spot running heads a PDF copy left in the text */
    struct gw_buf title;
    gw_buf_init(&title);
    const struct gw_node *tf = gw_doc_field(doc, "标题");
    for (size_t i = 0; tf && i < tf->len; i++)
        if (tf->text[i] != ' ' && tf->text[i] != '\t')
            gw_buf_addc(&title, tf->text[i]);
    for (const struct gw_node *sec = doc->root->first; sec; sec = sec->next) {
        if (sec->type != GW_NODE_SECTION) {
            if (sec->type != GW_NODE_FIELD) { /* a headline, a closing line: the layout's rules */
                p->cur_type = NULL;
                gw_plug_choose_sets(p);
                p->cur = sec->span;
                size_t len;
                free(gw_plug_apply_rules(p, p->active, p->nactive, sec->text, sec->len, &len));
            }
            continue;
        }
        p->cur_type = gw_plug_choose_type(p, sec);
        gw_plug_choose_sets(p);
        for (const struct gw_node *n = sec->first; n; n = n->next) {
            p->cur = n->span;
            if (title.len && n->type == GW_NODE_PARA) {
                struct gw_buf t;
                gw_buf_init(&t);
                for (size_t i = 0; i < n->len; i++)
                    if (n->text[i] != ' ' && n->text[i] != '\t')
                        gw_buf_addc(&t, n->text[i]);
                if (t.len == title.len && !memcmp(t.data, title.data, t.len)) {
                    p->findings++;
                    gw_diag_rule(p->diag, n->span, "running-head",
                                 "a line that repeats the title, left by a PDF copy? "
                                 "(suggest: delete the line)");
                }
                gw_buf_free(&t);
            }
            const struct gw_rule *d =
                gw_ruleset_drops(&p->sets, p->active, p->nactive, n->text, n->len);
            if (d) {
                p->findings++;
                gw_diag_rule(p->diag, n->span, d->id, "%s (suggest: delete the line)",
                             d->message ? d->message : "");
                continue;
            }
            size_t len;
            free(gw_plug_apply_rules(p, p->active, p->nactive, n->text, n->len, &len));
            const struct gw_rule *j = NULL;
            /* past a dropped page number between the halves */
            const struct gw_node *m = gw_plug_skip_dropped(p, p->active, p->nactive, n->next);
            if (gw_plug_joins(n) && m && m->type == GW_NODE_PARA &&
                (j = gw_ruleset_join(&p->sets, p->active, p->nactive, n->text, n->len))) {
                struct gw_span end = n->span;
                end.col += (int)gw_utf8_count(n->text, n->len);
                p->findings++;
                gw_diag_rule(p->diag, end, j->id, "%s (suggest: join line %d to this one)",
                             j->message ? j->message : "", m->span.line);
            }
        }
    }
    gw_buf_free(&title);
    p->mode = saved;
    gw_plug_end_document(p);
    lua_settop(L, top);
    /* under --strict each finding is an error too; any other error means the check failed */
    int others = p->diag->errors - errors - (p->diag->werror ? p->findings : 0);
    return others > 0 ? -1 : p->findings;
}

/* qsort: nodes by where their text starts (line, then column). */
static int by_position(const void *a, const void *b)
{
    const struct gw_node *x = *(const struct gw_node *const *)a, *y = *(const struct gw_node *const *)b;
    if (x->span.line != y->span.line)
        return x->span.line < y->span.line ? -1 : 1;
    return (x->span.col > y->span.col) - (x->span.col < y->span.col);
}

/* `gongwen fix`: the header lines, then each section's items, with the rules applied. */
/*
 * Write the comment lines before line `line` not yet written (all of them
 * for INT_MAX). One that stood after a blank line gets it, which is then
 * the blank line *sep asked for before the next element.
 */
static void comments_before(const struct gw_comment **c, int line, struct gw_buf *out, bool *sep)
{
    for (; *c && (*c)->line < line; *c = (*c)->next) {
        bool at_blank = out->len < 2 || (out->data[out->len - 1] == '\n' &&
                                         out->data[out->len - 2] == '\n');
        if ((*c)->blank_before && !at_blank) {
            gw_buf_addc(out, '\n');
            *sep = false;
        }
        gw_buf_printf(out, "%s\n", (*c)->text);
    }
}

int gw_plug_fix(struct gw_plug *p, struct gw_doc *doc, struct gw_fontset *fs, struct gw_buf *out)
{
    const struct gw_comment *comment = doc->comments; /* written back where they stood */
    lua_State *L = p->L;
    int top = lua_gettop(L);
    int errors = p->diag->errors;
    enum gw_rule_mode saved = p->mode;
    if (begin_rules_run(p, doc, fs, GW_RULES_FIX) < 0) {
        p->mode = saved;
        return -1;
    }
    const char *sets[16];
    int nsets = gw_plug_header_sets(p, sets);
    bool header = false;
    /* the header's lines in the order they were written: fields and the body nodes given
       as header keys (主送：…, 标题 under a 文件 版式) sit apart in the tree */
    int nh = 0;
    for (const struct gw_node *n = doc->root->first; n; n = n->next)
        nh += n->in_header || n->type == GW_NODE_FIELD;
    const struct gw_node **hs = gw_xcalloc((size_t)nh + 1, sizeof(*hs));
    nh = 0;
    for (const struct gw_node *n = doc->root->first; n; n = n->next)
        if (n->in_header || n->type == GW_NODE_FIELD)
            hs[nh++] = n;
    qsort(hs, (size_t)nh, sizeof(*hs), by_position);
    for (int i = 0; i < nh; i++) {
        const struct gw_node *n = hs[i];
        if (!n->at_end)
            comments_before(&comment, n->span.line, out, &header);
        if (n->in_header) { /* 主送：… given among the header's keys */
            gw_buf_printf(out, "%s%s\n", n->prefix ? n->prefix : "", n->text);
            header = true;
            continue;
        }
        if (n->type != GW_NODE_FIELD || n->at_end) /* a 版记 line at the end: written there */
            continue;
        p->cur = n->span;
        if (n->source && !*n->source)
            continue; /* its line was written with the field before */
        header = true;
        if (n->source) { /* a masthead line the reader split: as it was */
            gw_buf_printf(out, "%s\n", n->source);
            continue;
        }
        size_t len;
        char *v = gw_plug_apply_rules(p, sets, nsets, n->text, n->len, &len);
        gw_buf_printf(out, "%s%.*s\n", n->prefix ? n->prefix : "", (int)len, v);
        free(v);
        header = true;
    }
    free(hs);
    struct gw_buf text;
    gw_buf_init(&text);
    for (const struct gw_node *sec = doc->root->first; sec; sec = sec->next) {
        if (sec->type != GW_NODE_SECTION) {
            if (sec->type != GW_NODE_FIELD && !sec->in_header) { /* a headline, a closing line: as written */
                comments_before(&comment, sec->span.line, out, &header);
                /* a guessed line whole, a marked one with its mark (题目：), the layout's rules
                   applied as the build applies them */
                p->cur_type = NULL;
                gw_plug_choose_sets(p);
                p->cur = sec->span;
                if (sec->type == GW_NODE_HEADLINE && out->len && !header)
                    header = true; /* a blank line before an article's headline */
                if (sec->source) { /* a headline joined from its lines: as they were */
                    gw_buf_printf(out, "%s%s\n", header ? "\n" : "", sec->source);
                    header = false;
                    continue;
                }
                size_t len;
                char *v = gw_plug_apply_rules(p, p->active, p->nactive, sec->text, sec->len, &len);
                gw_buf_printf(out, "%s%s%.*s\n", header ? "\n" : "",
                              sec->prefix ? sec->prefix : "", (int)len, v);
                free(v);
                header = false;
            }
            continue;
        }
        comments_before(&comment, sec->span.line, out, &header);
        p->cur_type = gw_plug_choose_type(p, sec);
        gw_plug_choose_sets(p);
        /* text after 】 (【附件1】its title) stays on the heading's line */
        bool on_heading = !sec->key && sec->first && sec->first->type == GW_NODE_PARA &&
                          sec->first->span.line == sec->span.line;
        if (!sec->key)
            gw_buf_printf(out, "%s【%s】%s", header ? "\n" : "", sec->text, on_heading ? "" : "\n");
        else if (header)
            gw_buf_addc(out, '\n');
        header = true;
        const struct gw_node *n = sec->first, *first, *last;
        while (gw_plug_next_paragraph(p, p->active, p->nactive, &n, &text, &first, &last)) {
            p->cur = first->span;
            if (!on_heading)
                comments_before(&comment, first->span.line, out, &header);
            if (on_heading && first != sec->first) /* a rule dropped it: end the heading's line */
                gw_buf_addc(out, '\n');
            on_heading = false;
            if (first->type == GW_NODE_IMAGE) {
                gw_buf_printf(out, "![%s](%s)\n", first->text, first->key);
                continue;
            }
            if (first->type == GW_NODE_TABLE) {
                /* a "表1 …" caption stands as a line above the table; others after 【表】 */
                bool numbered = gw_read_is_table_caption(first->text) || first->bare;
                if (first->len)
                    gw_buf_printf(out, "%s%s\n", numbered ? "" : "【表】", first->text);
                bool aligned = false;
                for (const struct gw_node *row = first->first; row; row = row->next) {
                    if (!row->key && first->key && !aligned) {
                        for (const char *a = first->key; *a; a++)
                            gw_buf_adds(out, *a == 'c'   ? "|:---:"
                                             : *a == 'r' ? "|---:"
                                             : *a == 'd' ? "|---."
                                                         : "|---");
                        gw_buf_adds(out, "|\n");
                        aligned = true;
                    }
                    for (const struct gw_node *c = row->first; c; c = c->next)
                        gw_buf_printf(out, "%s%s%s", !first->bare ? "| " : c != row->first ? " | " : "",
                                      c->text, first->bare ? "" : " ");
                    gw_buf_adds(out, first->bare ? "\n" : "|\n");
                }
                continue;
            }
            size_t len;
            char *v = gw_plug_apply_rules(p, p->active, p->nactive, text.data, text.len, &len);
            if (first->prefix) /* 正文：, the mark that keeps it a paragraph */
                gw_buf_adds(out, first->prefix);
            gw_buf_add(out, v, len);
            gw_buf_addc(out, '\n');
            free(v);
        }
        if (on_heading)
            gw_buf_addc(out, '\n');
    }
    gw_buf_free(&text);
    bool tail = false; /* the 版记 read from the end of the text, as it was */
    for (const struct gw_node *n = doc->root->first; n; n = n->next) {
        if (n->type != GW_NODE_FIELD || !n->at_end)
            continue;
        if (!tail && out->len)
            gw_buf_addc(out, '\n');
        tail = true;
        comments_before(&comment, n->span.line, out, &header);
        if (n->source) {
            gw_buf_printf(out, "%s\n", n->source);
            continue;
        }
        p->cur = n->span;
        size_t len;
        char *v = gw_plug_apply_rules(p, sets, nsets, n->text, n->len, &len);
        gw_buf_printf(out, "%s%.*s\n", n->prefix ? n->prefix : "", (int)len, v);
        free(v);
    }
    comments_before(&comment, INT_MAX, out, &header);
    p->mode = saved;
    gw_plug_end_document(p);
    lua_settop(L, top);
    return p->diag->errors > errors ? -1 : 0;
}

/* `build --explain`: text rules note each change (GW_RULES_EXPLAIN), else change silently. */
void gw_plug_explain(struct gw_plug *p, bool on)
{
    p->mode = on ? GW_RULES_EXPLAIN : GW_RULES_APPLY;
}

/* Is cp a Han character (CJK ideographs of every extension block)? */
static bool is_han_cp(int32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3134F);
}

/* The Han characters of s, in order (into out). */
static void han_only(const char *s, size_t len, struct gw_buf *out)
{
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        if (is_han_cp(gw_utf8_next(s, len, &i)))
            gw_buf_add(out, s + at, i - at);
    }
}

/* The Han characters of a document's source must survive fix unchanged. */
int gw_plug_same_han(const char *a, size_t alen, const char *b, size_t blen)
{
    struct gw_buf x, y;
    gw_buf_init(&x);
    gw_buf_init(&y);
    han_only(a, alen, &x);
    han_only(b, blen, &y);
    int same = x.len == y.len && (x.len == 0 || memcmp(x.data, y.data, x.len) == 0);
    gw_buf_free(&x);
    gw_buf_free(&y);
    return same;
}
