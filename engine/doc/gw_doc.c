/*
 * gw_doc: document tree construction and queries (see gw_doc.h).
 */
#include "gw_doc.h"

#include <stdlib.h>
#include <string.h>

#include "../util/gw_json.h"

struct gw_doc *gw_doc_new(const char *file)
{
    struct gw_doc *doc = gw_xcalloc(1, sizeof(*doc));
    gw_arena_init(&doc->arena);
    doc->file = gw_arena_strdup(&doc->arena, file ? file : "<input>");
    struct gw_span span = {doc->file, 1, 1};
    doc->root = gw_node_new(doc, GW_NODE_DOC, span, "", 0);
    return doc;
}

void gw_doc_free(struct gw_doc *doc)
{
    if (!doc)
        return;
    gw_arena_free(&doc->arena);
    free(doc);
}

struct gw_node *gw_node_new(struct gw_doc *doc, enum gw_node_type type, struct gw_span span,
                            const char *text, size_t len)
{
    struct gw_node *n = gw_arena_alloc(&doc->arena, sizeof(*n));
    n->type = type;
    n->span = span;
    n->text = gw_arena_strndup(&doc->arena, text, len);
    n->len = len;
    return n;
}

void gw_node_append(struct gw_node *parent, struct gw_node *child)
{
    child->parent = parent;
    child->next = NULL;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

void gw_doc_add_comment(struct gw_doc *doc, int line, bool blank_before, const char *text,
                        size_t len)
{
    struct gw_comment *c = gw_arena_alloc(&doc->arena, sizeof *c);
    c->line = line;
    c->blank_before = blank_before;
    c->text = gw_arena_strndup(&doc->arena, text, len);
    c->next = NULL;
    if (!doc->comments_end)
        doc->comments_end = &doc->comments;
    *doc->comments_end = c;
    doc->comments_end = &c->next;
}

const struct gw_node *gw_doc_field(const struct gw_doc *doc, const char *key)
{
    for (const struct gw_node *n = doc->root->first; n; n = n->next)
        if (n->type == GW_NODE_FIELD && strcmp(n->key, key) == 0)
            return n;
    return NULL;
}

const char *gw_node_type_name(enum gw_node_type type)
{
    static const char *const names[] = {
        [GW_NODE_DOC] = "doc",           [GW_NODE_FIELD] = "field",
        [GW_NODE_SECTION] = "section",   [GW_NODE_PARA] = "para",
        [GW_NODE_TABLE] = "table",       [GW_NODE_ROW] = "row",
        [GW_NODE_CELL] = "cell",         [GW_NODE_IMAGE] = "image",
        [GW_NODE_HEADLINE] = "headline", [GW_NODE_SUBTITLE] = "subtitle",
        [GW_NODE_SALUTATION] = "salutation", [GW_NODE_HEADING] = "heading",
        [GW_NODE_ITEM] = "item",         [GW_NODE_FOOTNOTE] = "footnote",
        [GW_NODE_ATTACHMENT] = "attachment", [GW_NODE_SIGNATURE] = "signature",
        [GW_NODE_DATE] = "date",         [GW_NODE_NOTE] = "note",
    };
    return (size_t)type < sizeof names / sizeof names[0] && names[type] ? names[type] : "?";
}

/* One node's line: "name line:col [detail] text" (detail: a key, a level, a table's shape). */
static void dump_node(const struct gw_node *n, int depth, FILE *out)
{
    fprintf(out, "%*s%s %d:%d", 2 * depth, "", gw_node_type_name(n->type), n->span.line,
            n->span.col);
    switch (n->type) {
    case GW_NODE_FIELD: fprintf(out, " %s = %s\n", n->key, n->text); return;
    case GW_NODE_SECTION:
        fprintf(out, " %s\n", n->key ? "(implicit)" : n->text);
        break;
    case GW_NODE_IMAGE: fprintf(out, " %s [%s]\n", n->key, n->text); return;
    case GW_NODE_TABLE:
        fprintf(out, " cols=%d align=%s caption=%s\n", n->ncols, n->key ? n->key : "", n->text);
        for (const struct gw_node *r = n->first; r; r = r->next) {
            fprintf(out, "%*s%s %d:%d", 2 * depth + 2, "", r->key ? "head" : "row", r->span.line,
                    r->span.col);
            for (const struct gw_node *c = r->first; c; c = c->next)
                fprintf(out, " | %s", c->text);
            fputs("\n", out);
        }
        return;
    case GW_NODE_HEADING: fprintf(out, " h%d %s\n", n->level, n->text); return;
    default:
        if (n->key)
            fprintf(out, " [%s] %s\n", n->key, n->text);
        else
            fprintf(out, " %s\n", n->text);
        return;
    }
    for (const struct gw_node *c = n->first; c; c = c->next)
        dump_node(c, depth + 1, out);
}

void gw_doc_dump(const struct gw_doc *doc, FILE *out)
{
    for (const struct gw_node *n = doc->root->first; n; n = n->next)
        dump_node(n, 0, out);
}

/*
 * One node as a JSON object: type, line, col, text; key (a field's key, an
 * image's path, a table's alignment, "head" for a header row), implicit (a
 * section without a 【】 line), level (a heading), cols (a table), and its
 * children in order (a table's rows, a row's cells).
 */
static void json_node(const struct gw_node *n, FILE *out)
{
    fputc('{', out);
    gw_json_key(out, "type", 1);
    gw_json_cstr(out, gw_node_type_name(n->type));
    fprintf(out, ",\"line\":%d,\"col\":%d", n->span.line, n->span.col);
    gw_json_key(out, "text", 0);
    gw_json_str(out, n->text, n->len);
    if (n->type == GW_NODE_SECTION)
        fprintf(out, ",\"implicit\":%s", n->key ? "true" : "false");
    else if (n->type == GW_NODE_ROW && n->key)
        fputs(",\"key\":\"head\"", out);
    else if (n->key) {
        gw_json_key(out, "key", 0);
        gw_json_cstr(out, n->key);
    }
    if (n->type == GW_NODE_HEADING)
        fprintf(out, ",\"level\":%d", n->level);
    if (n->type == GW_NODE_TABLE)
        fprintf(out, ",\"cols\":%d", n->ncols);
    if (n->first) {
        fputs(",\"children\":[", out);
        for (const struct gw_node *c = n->first; c; c = c->next) {
            json_node(c, out);
            if (c->next)
                fputc(',', out);
        }
        fputc(']', out);
    }
    fputc('}', out);
}

void gw_doc_dump_json(const struct gw_doc *doc, FILE *out)
{
    fputs("{\"file\":", out);
    gw_json_cstr(out, doc->file);
    fputs(",\"nodes\":[", out);
    for (const struct gw_node *n = doc->root->first; n; n = n->next) {
        json_node(n, out);
        if (n->next)
            fputc(',', out);
    }
    fputs("]}\n", out);
}
