/*
 * gw_doc: the document tree.
 *
 * The reader builds it, the plugin host reads it. A document is a root node
 * holding header fields (标题, 期号, 编发, 日期, 报, 送, 发, 印数, ...) and
 * sections (【编者按】 ...), each section holding paragraphs. Every node keeps
 * the file:line:col where its text starts. All nodes and strings live in the
 * document's arena; gw_doc_free releases them together.
 */
#ifndef GW_DOC_H
#define GW_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/gw_arena.h"
#include "../util/gw_diag.h"

/*
 * The most characters one paragraph may hold (docs/input-format.md §
 * Limits): the reader refuses a longer line, the layout a longer paragraph
 * that joins, rules or a plugin made. A real paragraph holds a few
 * thousand; laying one out takes some 400 bytes a character.
 */
#define GW_MAX_PARA_CHARS (1 << 20)

enum gw_node_type {
    GW_NODE_DOC,     /* root */
    GW_NODE_FIELD,   /* header field: key = canonical key, text = value */
    GW_NODE_SECTION, /* 【heading】: text = heading without brackets */
    GW_NODE_PARA,    /* one paragraph: text = raw line (inline markup kept) */
    GW_NODE_TABLE,   /* a pipe table: children are ROWs; text = caption (may be empty);
                        key = column alignments, one of l c r per column */
    GW_NODE_ROW,     /* a table row: children are CELLs; key = "head" for header rows */
    GW_NODE_CELL,    /* a table cell: text = its trimmed content */
    GW_NODE_IMAGE,   /* ![caption](path): text = caption, key = the path as written */
};

struct gw_node {
    enum gw_node_type type;
    struct gw_span span;   /* start of the node's text in the input */
    const char *key;       /* FIELD: canonical key; NULL otherwise */
    const char *prefix;    /* FIELD: the key as written with its colon ("title: "); NULL if bare */
    const char *text;      /* NUL-terminated, valid UTF-8 */
    size_t len;            /* bytes in text */
    struct gw_node *parent;
    struct gw_node *first; /* first child */
    struct gw_node *last;  /* last child */
    struct gw_node *next;  /* next sibling */
    int ncols;             /* TABLE: columns (the widest row) */
};

struct gw_doc {
    struct gw_arena arena; /* owns every node and string */
    const char *file;      /* input path as given (arena copy) */
    struct gw_node *root;
    int nsections;
    int nparas;
};

struct gw_doc *gw_doc_new(const char *file);
void gw_doc_free(struct gw_doc *doc);
struct gw_node *gw_node_new(struct gw_doc *doc, enum gw_node_type type, struct gw_span span,
                            const char *text, size_t len);
void gw_node_append(struct gw_node *parent, struct gw_node *child);
/* The value of header field key (canonical name), or NULL. */
const struct gw_node *gw_doc_field(const struct gw_doc *doc, const char *key);
/* Write an indented dump of the tree (for tests and `gongwen dump`). */
void gw_doc_dump(const struct gw_doc *doc, FILE *out);

#endif /* GW_DOC_H */
