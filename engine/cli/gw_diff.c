/*
 * gw_diff: a unified diff of two texts (`gongwen fix --diff`), as diff -u
 * prints it: "--- INPUT", "+++ INPUT" (for patch -p0), hunks with three lines of
 * context. Lines are matched by a longest common subsequence over the part
 * between the common first and last lines; a middle too large for that
 * (over 4 million line pairs) is shown as one replacement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gw_arena.h"
#include "gw_cli.h"

#define CONTEXT 3

struct line {
    const char *s;
    size_t len; /* with its \n, if it has one */
};

/* Split text into lines (the last may lack \n). */
static struct line *split(const char *s, size_t len, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += s[i] == '\n';
    struct line *l = gw_xcalloc(count + 2, sizeof *l);
    size_t k = 0, start = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') {
            l[k++] = (struct line){s + start, i + 1 - start};
            start = i + 1;
        }
    if (start < len)
        l[k++] = (struct line){s + start, len - start};
    *n = k;
    return l;
}

static bool same(const struct line *a, const struct line *b)
{
    return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

/* One edit script entry: ' ' kept, '-' only in a, '+' only in b. */
struct op {
    char kind;
    size_t a, b; /* the line in a (for ' ' and '-'), in b (for ' ' and '+') */
};

static void put_line(FILE *out, char kind, const struct line *l)
{
    fputc(kind, out);
    fwrite(l->s, 1, l->len, out);
    if (!l->len || l->s[l->len - 1] != '\n')
        fputs("\n\\ No newline at end of file\n", out);
}

/* The edit script from a to b (malloc'd, *nops entries). */
static struct op *script(const struct line *a, size_t na, const struct line *b, size_t nb,
                         size_t *nops)
{
    struct op *ops = gw_xcalloc(na + nb + 1, sizeof *ops);
    size_t k = 0, pre = 0, suf = 0;
    while (pre < na && pre < nb && same(&a[pre], &b[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && same(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    for (size_t i = 0; i < pre; i++)
        ops[k++] = (struct op){' ', i, i};
    size_t n = na - pre - suf, m = nb - pre - suf;
    if (n && m && n * m <= 4u * 1024 * 1024) {
        /* lcs[i][j]: the longest common subsequence of a[pre+i..] and b[pre+j..] */
        unsigned *lcs = gw_xcalloc((n + 1) * (m + 1), sizeof *lcs);
#define LCS(i, j) lcs[(i) * (m + 1) + (j)]
        for (size_t i = n; i-- > 0;)
            for (size_t j = m; j-- > 0;)
                LCS(i, j) = same(&a[pre + i], &b[pre + j])   ? LCS(i + 1, j + 1) + 1
                            : LCS(i + 1, j) >= LCS(i, j + 1) ? LCS(i + 1, j)
                                                             : LCS(i, j + 1);
        size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(&a[pre + i], &b[pre + j])) {
                ops[k++] = (struct op){' ', pre + i++, pre + j++};
            } else if (j == m || (i < n && LCS(i + 1, j) >= LCS(i, j + 1))) {
                ops[k++] = (struct op){'-', pre + i++, 0};
            } else {
                ops[k++] = (struct op){'+', 0, pre + j++};
            }
        }
#undef LCS
        free(lcs);
    } else {
        for (size_t i = 0; i < n; i++)
            ops[k++] = (struct op){'-', pre + i, 0};
        for (size_t j = 0; j < m; j++)
            ops[k++] = (struct op){'+', 0, pre + j};
    }
    for (size_t i = 0; i < suf; i++)
        ops[k++] = (struct op){' ', na - suf + i, nb - suf + i};
    *nops = k;
    return ops;
}

int gw_cli_diff(const char *name, const char *a, size_t alen, const char *b, size_t blen,
                FILE *out)
{
    size_t na, nb, nops;
    struct line *la = split(a, alen, &na), *lb = split(b, blen, &nb);
    struct op *ops = script(la, na, lb, nb, &nops);
    int hunks = 0;
    for (size_t i = 0; i < nops;) {
        if (ops[i].kind == ' ') {
            i++;
            continue;
        }
        /* a hunk: from CONTEXT kept lines before this change to CONTEXT after the last change
           whose gap to the next is at most 2 * CONTEXT */
        size_t start = i >= CONTEXT ? i - CONTEXT : 0, end = i;
        for (;;) {
            while (end < nops && ops[end].kind != ' ')
                end++;
            size_t gap = end;
            while (gap < nops && ops[gap].kind == ' ')
                gap++;
            if (gap < nops && gap - end <= 2 * CONTEXT)
                end = gap;
            else
                break;
        }
        size_t stop = end + CONTEXT < nops ? end + CONTEXT : nops;
        if (!hunks)
            fprintf(out, "--- %s\n+++ %s\n", name, name); /* patch -p0 applies it */
        hunks++;
        size_t a0 = 0, b0 = 0, an = 0, bn = 0;
        bool a_set = false, b_set = false;
        for (size_t k = start; k < stop; k++) {
            if (ops[k].kind != '+') {
                if (!a_set)
                    a0 = ops[k].a, a_set = true;
                an++;
            }
            if (ops[k].kind != '-') {
                if (!b_set)
                    b0 = ops[k].b, b_set = true;
                bn++;
            }
        }
        /* an empty side is shown at the line before it (diff -u's convention) */
        if (!a_set)
            a0 = start < nops && start > 0 ? ops[start - 1].a + 1 : 0;
        if (!b_set)
            b0 = start < nops && start > 0 ? ops[start - 1].b + 1 : 0;
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", an ? a0 + 1 : a0, an, bn ? b0 + 1 : b0, bn);
        for (size_t k = start; k < stop; k++)
            put_line(out, ops[k].kind, ops[k].kind == '+' ? &lb[ops[k].b] : &la[ops[k].a]);
        i = stop;
    }
    free(ops);
    free(la);
    free(lb);
    return hunks;
}
