/*
 * gw_doc: the document tree.
 *
 * The reader builds it, the plugin host reads it. The tree is flat and in
 * reading order, and the same for every kind of official text (a 简报 and a
 * 通知 differ only in which nodes are there). The root holds:
 *   - FIELD nodes first: the 版头 and 版记 values (标题, 期号, 编发, 日期, 主办,
 *     签发, 报, 送, 发, 印数, ...);
 *   - then the body, article by article: HEADLINE, SUBTITLEs, SALUTATION
 *     (主送), SECTIONs (【编者按】, or an implicit one for text with no 【】),
 *     then the article's close: ATTACHMENTs (附件说明), SIGNATUREs (署名),
 *     DATE (成文日期), NOTE (附注). A new HEADLINE starts a new article.
 * A section holds PARA, HEADING, ITEM, FOOTNOTE, TABLE and IMAGE nodes.
 * Every node keeps the file:line:col where its text starts. All nodes and
 * strings live in the document's arena; gw_doc_free releases them together.
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
    GW_NODE_SECTION, /* 【heading】: text = heading without brackets; key = "implicit" (text "")
                        for body text outside any 【】 */
    GW_NODE_PARA,    /* one paragraph: text = raw line (inline markup kept); key = "abstract"
                        for 摘要：…, else NULL */
    GW_NODE_TABLE,   /* a pipe table: children are ROWs; text = caption (may be empty);
                        key = column alignments, one of l c r per column */
    GW_NODE_ROW,     /* a table row: children are CELLs; key = "head" for header rows */
    GW_NODE_CELL,    /* a table cell: text = its trimmed content */
    GW_NODE_IMAGE,   /* ![caption](path): text = caption, key = the path as written */
    GW_NODE_HEADLINE,   /* an article's headline (题目); a new one starts a new article */
    GW_NODE_SUBTITLE,   /* a line under the headline: key = "subtitle", "author" or "time" */
    GW_NODE_SALUTATION, /* 主送: 各位理事：, 各乡镇人民政府，…： */
    GW_NODE_HEADING,    /* a numbered heading alone on its line (一、 （一） 1. （1）): level 1-4 */
    GW_NODE_ITEM,       /* a list item: key = the marker as written (◆, 1.); text = the line */
    GW_NODE_FOOTNOTE,   /* 注：… a note that belongs at the page foot */
    GW_NODE_ATTACHMENT, /* 附件说明, one node per item: key = the item number or "" */
    GW_NODE_SIGNATURE,  /* 署名 (may repeat for a joint document) */
    GW_NODE_DATE,       /* 成文日期 */
    GW_NODE_NOTE,       /* 附注: （此件公开发布） */
};

struct gw_node {
    enum gw_node_type type;
    struct gw_span span;   /* start of the node's text in the input */
    const char *key;       /* FIELD: canonical key; NULL otherwise */
    const char *prefix;    /* FIELD, and a body line marked with a key (题目：, 正文：): the key as
                              written with its colon ("title: "); NULL if bare */
    const char *text;      /* NUL-terminated, valid UTF-8 */
    size_t len;            /* bytes in text */
    struct gw_node *parent;
    struct gw_node *first; /* first child */
    struct gw_node *last;  /* last child */
    struct gw_node *next;  /* next sibling */
    int ncols;             /* TABLE: columns (the widest row) */
    int level;             /* HEADING: 1 (一、) to 4 (（1）) */
    bool bare;             /* TABLE: its rows have no outer pipes ("a | b") */
    bool in_header;        /* a body node written as a header key line (主送：… among the header's
                              keys): placed in the body, written back in the header by fix */
    const char *source;    /* FIELD guessed from a bare masthead or 版记 line, or a HEADLINE joined
                              from several lines: the line(s) as written on the first node taken
                              from them, "" on the others (for fix) */
    bool at_end;           /* a 版记 FIELD read from the lines that end the text (报：…, …印发,
                              （共印N份）): fix writes it back there, not in the header */
};

/* A // comment line (gongwen new's starters): no node, but `fix` writes it back. */
struct gw_comment {
    int line;
    bool blank_before; /* a blank line stands between it and the line above */
    const char *text;  /* the whole line, NUL-terminated */
    struct gw_comment *next;
};

struct gw_doc {
    struct gw_arena arena; /* owns every node and string */
    const char *file;      /* input path as given (arena copy) */
    struct gw_node *root;
    struct gw_comment *comments, **comments_end; /* in line order */
    int nsections;
    int nparas;
};

struct gw_doc *gw_doc_new(const char *file);
void gw_doc_free(struct gw_doc *doc);
struct gw_node *gw_node_new(struct gw_doc *doc, enum gw_node_type type, struct gw_span span,
                            const char *text, size_t len);
void gw_node_append(struct gw_node *parent, struct gw_node *child);
/* Keep a comment line (the reader, in line order). */
void gw_doc_add_comment(struct gw_doc *doc, int line, bool blank_before, const char *text,
                        size_t len);
/* The value of header field key (canonical name), or NULL. */
const struct gw_node *gw_doc_field(const struct gw_doc *doc, const char *key);
/* The dump name of a node type ("headline"). */
const char *gw_node_type_name(enum gw_node_type type);
/* Write an indented dump of the tree, every node with its line:col (tests, `gongwen dump`). */
void gw_doc_dump(const struct gw_doc *doc, FILE *out);
/* The tree as one JSON object (`gongwen dump --format json`; docs/cli.md). */
void gw_doc_dump_json(const struct gw_doc *doc, FILE *out);

#endif /* GW_DOC_H */
