/*
 * fuzz_read: bytes -> gw_read (strict and lossy) -> gw_doc_dump.
 *
 * Besides the sanitizers it checks the reader's documented promises:
 * - a strict read succeeds only on valid UTF-8 without NUL bytes;
 * - every node's text is NUL-terminated at len, holds no NUL and is valid
 *   UTF-8 (gw_doc.h), every position is 1-based, every node sits under a
 *   parent of the documented type, links are consistent, and nsections /
 *   nparas count the section and paragraph nodes;
 * - on valid UTF-8 the lossy read gives the same result and the same tree.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/gw_doc.h"
#include "read/gw_read.h"
#include "util/gw_utf8.h"

static FILE *devnull;

static void bad(const char *what, const struct gw_node *n)
{
    fprintf(stderr, "fuzz_read: %s (node type %d at %d:%d)\n", what, (int)n->type, n->span.line,
            n->span.col);
    abort();
}

/* May a node of type parent hold a node of type child (gw_doc.h)? */
static bool child_ok(enum gw_node_type parent, enum gw_node_type child)
{
    switch (parent) {
    case GW_NODE_DOC: /* header and 版记 fields, then each article's parts in reading order */
        return child == GW_NODE_FIELD || child == GW_NODE_SECTION || child == GW_NODE_HEADLINE ||
               child == GW_NODE_SUBTITLE || child == GW_NODE_SALUTATION ||
               child == GW_NODE_ATTACHMENT || child == GW_NODE_SIGNATURE ||
               child == GW_NODE_DATE || child == GW_NODE_NOTE;
    case GW_NODE_SECTION:
        return child == GW_NODE_PARA || child == GW_NODE_TABLE || child == GW_NODE_IMAGE ||
               child == GW_NODE_HEADING || child == GW_NODE_ITEM || child == GW_NODE_FOOTNOTE;
    case GW_NODE_TABLE: return child == GW_NODE_ROW;
    case GW_NODE_ROW: return child == GW_NODE_CELL;
    default: return false;
    }
}

static void check_node(const struct gw_node *n, int *nsec, int *npara)
{
    if (!n->text || strlen(n->text) != n->len || gw_utf8_check(n->text, n->len) != n->len)
        bad("node text is not NUL-terminated valid UTF-8 of its len", n);
    if (n->span.line < 1 || n->span.col < 1)
        bad("position not 1-based", n);
    if (n->type == GW_NODE_FIELD && !n->key)
        bad("field without key", n);
    if (n->key && gw_utf8_check(n->key, strlen(n->key)) != strlen(n->key))
        bad("key is not valid UTF-8", n);
    bool implicit = n->type == GW_NODE_SECTION && n->key && !strcmp(n->key, "implicit");
    if (implicit != (n->type == GW_NODE_SECTION && n->len == 0))
        bad("an implicit section has no heading, every other one has", n);
    if ((n->type == GW_NODE_PARA || n->type == GW_NODE_HEADLINE || n->type == GW_NODE_HEADING ||
         n->type == GW_NODE_ITEM || n->type == GW_NODE_SIGNATURE || n->type == GW_NODE_DATE) &&
        n->len == 0)
        bad("empty paragraph, headline, heading, item or closing line", n); /* blank lines never
                                                                                make nodes */
    if (n->type == GW_NODE_HEADING && (n->level < 1 || n->level > 4))
        bad("heading level outside 1-4", n);
    *nsec += n->type == GW_NODE_SECTION;
    *npara += n->type == GW_NODE_PARA;
    const struct gw_node *last = NULL;
    for (const struct gw_node *c = n->first; c; c = c->next) {
        if (c->parent != n)
            bad("child's parent pointer is wrong", c);
        if (!child_ok(n->type, c->type))
            bad("node type not allowed under its parent", c);
        check_node(c, nsec, npara);
        last = c;
    }
    if (last != n->last)
        bad("last-child pointer is wrong", n);
}

static void check_tree(const struct gw_doc *doc)
{
    int nsec = 0, npara = 0;
    check_node(doc->root, &nsec, &npara);
    if (nsec != doc->nsections || npara != doc->nparas) {
        fprintf(stderr, "fuzz_read: doc counts %d sections / %d paragraphs, tree has %d / %d\n",
                doc->nsections, doc->nparas, nsec, npara);
        abort();
    }
}

/* Read with the given mode; returns gw_read's result and (on success) the dump in *dump. */
static int read_once(const char *src, size_t len, bool lossy, char **dump, size_t *dumplen)
{
    struct gw_diag diag;
    gw_diag_init(&diag, devnull);
    struct gw_doc *doc = gw_doc_new("fuzz.txt");
    struct gw_read_opts ro = {.lossy = lossy};
    int rc = gw_read(doc, src, len, &ro, &diag);
    if ((rc < 0) != (diag.errors > 0)) {
        fprintf(stderr, "fuzz_read: gw_read returned %d with %d errors\n", rc, diag.errors);
        abort();
    }
    *dump = NULL;
    *dumplen = 0;
    if (rc == 0) {
        check_tree(doc);
        FILE *m = open_memstream(dump, dumplen);
        gw_doc_dump(doc, m);
        fclose(m);
        gw_doc_dump(doc, devnull);
    }
    gw_doc_free(doc);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    const char *src = (const char *)data;
    char *d0, *d1;
    size_t l0, l1;
    int strict = read_once(src, size, false, &d0, &l0);
    int lossy = read_once(src, size, true, &d1, &l1);
    bool valid = gw_utf8_check(src, size) == size;
    if (strict == 0 && (!valid || memchr(src, '\0', size))) {
        fprintf(stderr, "fuzz_read: strict read accepted invalid UTF-8 or NUL\n");
        abort();
    }
    if (valid && (strict != lossy || l0 != l1 || (l0 && memcmp(d0, d1, l0) != 0))) {
        fprintf(stderr, "fuzz_read: strict and lossy reads differ on valid UTF-8\n");
        abort();
    }
    free(d0);
    free(d1);
    return 0;
}
