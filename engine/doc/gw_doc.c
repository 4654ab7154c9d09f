/*
 * gw_doc: document tree construction and queries (see gw_doc.h).
 */
#include "gw_doc.h"

#include <stdlib.h>
#include <string.h>

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

const struct gw_node *gw_doc_field(const struct gw_doc *doc, const char *key)
{
    for (const struct gw_node *n = doc->root->first; n; n = n->next)
        if (n->type == GW_NODE_FIELD && strcmp(n->key, key) == 0)
            return n;
    return NULL;
}

void gw_doc_dump(const struct gw_doc *doc, FILE *out)
{
    for (const struct gw_node *n = doc->root->first; n; n = n->next) {
        if (n->type == GW_NODE_FIELD) {
            fprintf(out, "field %d:%d %s = %s\n", n->span.line, n->span.col, n->key, n->text);
            continue;
        }
        fprintf(out, "section %d:%d %s\n", n->span.line, n->span.col, n->text);
        for (const struct gw_node *p = n->first; p; p = p->next) {
            if (p->type == GW_NODE_PARA) {
                fprintf(out, "  para %d:%d %s\n", p->span.line, p->span.col, p->text);
            } else if (p->type == GW_NODE_IMAGE) {
                fprintf(out, "  image %d:%d %s [%s]\n", p->span.line, p->span.col, p->key,
                        p->text);
            } else if (p->type == GW_NODE_TABLE) {
                fprintf(out, "  table %d:%d cols=%d align=%s caption=%s\n", p->span.line,
                        p->span.col, p->ncols, p->key ? p->key : "", p->text);
                for (const struct gw_node *r = p->first; r; r = r->next) {
                    fprintf(out, "    %s", r->key ? "head" : "row");
                    for (const struct gw_node *c = r->first; c; c = c->next)
                        fprintf(out, " | %s", c->text);
                    fputs("\n", out);
                }
            }
        }
    }
}
