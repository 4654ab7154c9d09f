/*
 * break_helpers.h - what the breaker's unit tests share (test_break.c,
 * test_grid.c): atoms made by hand from a UTF-8 string on a 10 pt grid (Han
 * and full-width marks wide: adv 10, em 10, punct from gw_break_punct_class;
 * ASCII letters and digits narrow: adv 5; ' ' a breakable space: adv 2.5), a
 * 100 pt measure (10 cells), breaking, placing and checking lines.
 */
#ifndef BREAK_HELPERS_H
#define BREAK_HELPERS_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "layout/gw_break.h"
#include "util/gw_utf8.h"

#include "harness.h"

#define MAXA  512
#define EM    10.0
#define NARROW 5.0
#define SPACEW 2.5
#define WIDTH 100.0
#define TOL   0.01

struct para {
    struct gw_atom a[MAXA];
    int n;
    struct gw_break_opts o;
    struct gw_breaker *b;
    struct gw_line *lines;
    int nlines;
};

static inline struct gw_break_opts opts(void)
{
    struct gw_break_opts o = {.width = WIDTH, .indent = 0, .kinsoku = GW_KINSOKU_GB,
                              .justify = true};
    return o;
}

/* Atoms for text (see the file comment). */
static inline int make_atoms(const char *text, struct gw_atom *a)
{
    size_t i = 0, len = strlen(text);
    int n = 0;
    while (i < len && n < MAXA) {
        int32_t cp = gw_utf8_next(text, len, &i);
        struct gw_atom at = {.cp = (uint32_t)cp, .em = EM};
        if (cp == ' ') {
            at.adv = SPACEW;
            at.flags = GW_ATOM_SPACE;
        } else if (cp < 0x80) {
            at.adv = NARROW;
        } else {
            at.adv = EM;
            at.flags = GW_ATOM_WIDE;
            at.punct = (uint8_t)gw_break_punct_class((uint32_t)cp);
        }
        a[n++] = at;
    }
    return n;
}

/* Break already-made atoms p->a[0..p->n) with options o. */
static inline void run(struct para *p, struct gw_break_opts o)
{
    p->o = o;
    p->b = gw_breaker_new(p->a, p->n, &p->o);
    p->lines = NULL;
    p->nlines = gw_breaker_lines(p->b, &p->lines);
}

static inline struct para *brk_opts(const char *text, struct gw_break_opts o)
{
    struct para *p = calloc(1, sizeof *p);
    p->n = make_atoms(text, p->a);
    run(p, o);
    return p;
}

static inline struct para *brk(const char *text)
{
    return brk_opts(text, opts());
}

static inline void para_free(struct para *p)
{
    if (!p)
        return;
    free(p->lines);
    gw_breaker_free(p->b);
    free(p);
}

/* The characters of line k as UTF-8 (static buffer, valid until the next call). */
static inline const char *line_text(const struct para *p, int k)
{
    static char buf[4 * MAXA + 1];
    size_t o = 0;
    if (k < 0 || k >= p->nlines)
        return "(no such line)";
    for (int i = p->lines[k].start; i < p->lines[k].end; i++)
        o += (size_t)gw_utf8_encode(p->a[i].cp, buf + o);
    buf[o] = '\0';
    return buf;
}

/* Place line k; x and w get the positions, returns the set width. */
static inline double place(struct para *p, int k, double *x, double *w)
{
    return gw_breaker_place(p->b, &p->lines[k], x, w);
}

/* Line k's set width (positions thrown away). */
static inline double set_width(struct para *p, int k)
{
    double x[MAXA], w[MAXA];
    return place(p, k, x, w);
}

/* Lines are non-empty, contiguous, cover [0, n), and only the final one is last. */
#define COVERS(p) covers_at(__LINE__, (p))
static inline void covers_at(int at, const struct para *p)
{
    bool ok = p->nlines > 0 && p->lines[0].start == 0 && p->lines[p->nlines - 1].end == p->n;
    for (int k = 0; ok && k < p->nlines; k++) {
        ok = p->lines[k].end > p->lines[k].start && p->lines[k].last == (k == p->nlines - 1);
        if (ok && k > 0)
            ok = p->lines[k].start == p->lines[k - 1].end;
    }
    harness_ok(__FILE__, at, ok, "lines must cover all %d atoms contiguously (%d lines)", p->n,
               p->nlines);
}

#endif /* BREAK_HELPERS_H */
