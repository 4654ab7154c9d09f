/*
 * fuzz_read: bytes -> gw_read (strict and lossy) -> gw_doc_dump.
 *
 * Besides the sanitizers it checks the reader's documented promises:
 * - a strict read succeeds only on valid UTF-8 without NUL bytes;
 * - every node's text is NUL-terminated at len, holds no NUL and is valid
 *   UTF-8 (gw_doc.h), and every position is 1-based;
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

static void check_node(const struct gw_node *n)
{
    if (!n->text || strlen(n->text) != n->len || gw_utf8_check(n->text, n->len) != n->len) {
        fprintf(stderr, "fuzz_read: node text is not NUL-terminated valid UTF-8 of len %zu\n",
                n->len);
        abort();
    }
    if (n->type != GW_NODE_DOC && (n->span.line < 1 || n->span.col < 1)) {
        fprintf(stderr, "fuzz_read: bad position %d:%d\n", n->span.line, n->span.col);
        abort();
    }
    if (n->type == GW_NODE_FIELD && !n->key) {
        fprintf(stderr, "fuzz_read: field without key\n");
        abort();
    }
}

static void check_tree(const struct gw_doc *doc)
{
    int nsec = 0, npara = 0;
    check_node(doc->root);
    for (const struct gw_node *n = doc->root->first; n; n = n->next) {
        check_node(n);
        if (n->parent != doc->root)
            abort();
        if (n->type == GW_NODE_SECTION) {
            nsec++;
            if (n->len == 0)
                abort(); /* empty headings are errors */
        }
        for (const struct gw_node *p = n->first; p; p = p->next) {
            check_node(p);
            if (p->type != GW_NODE_PARA || n->type != GW_NODE_SECTION || p->len == 0)
                abort();
            npara++;
        }
    }
    if (nsec != doc->nsections || npara != doc->nparas) {
        fprintf(stderr, "fuzz_read: counts %d/%d, tree has %d/%d\n", doc->nsections,
                doc->nparas, nsec, npara);
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
