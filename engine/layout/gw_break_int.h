/*
 * gw_break_int.h: what gw_break.c and gw_grid.c share (private to the
 * breaker; nothing else includes it): a paragraph's prepared widths, the
 * breaker's state, and the helpers both kinds of setting use.
 */
#ifndef GW_BREAK_INT_H
#define GW_BREAK_INT_H

#include "gw_break.h"

#define GW_BREAK_EPS 0.01 /* pt: widths closer than this count as equal */

/* Per-atom widths after adjacent-mark compression, and the shrink each may still give. */
struct prep {
    double *w;      /* advance after adjacency compression (and any CJK-Latin gap or grid pad) */
    double *cutl;   /* left cut (opening marks): glyph drawn shifted left */
    double *shrink; /* what may still be removed when a line must shrink */
    double *glue;   /* CJK-Latin gap included in w, dropped at a line end */
    double *pad;    /* grid: what pads the narrow run ending here to whole cells (in w) */
    bool grid;      /* grid setting: marks keep their cell at a line end */
};

struct gw_breaker {
    const struct gw_atom *a;
    int n;
    struct gw_break_opts o;
    struct prep p;
    uint8_t *brk; /* brk[j]: a line may end before atom j */
};

/* Index of the last non-space atom in [start, end), or start - 1. */
static inline int gw_break_last_ink(const struct gw_atom *a, int start, int end)
{
    int i = end - 1;
    while (i >= start && (a[i].flags & GW_ATOM_SPACE))
        i--;
    return i;
}

/*
 * Spread diff (pt) over the gaps after atoms [s, li) into gap[i - s]: never
 * inside —— or ……, inside a Latin word or number only when the line has no
 * other gap (clreq's stretch order).
 */
void gw_break_stretch(const struct gw_atom *a, int s, int li, double diff, double *gap);

/* --- gw_grid.c: grid setting --- */

/* A full-width atom's cell (pt). */
static inline double gw_grid_cell(const struct gw_atom *a, const struct gw_break_opts *o)
{
    return a->em * o->cell_per_em;
}
/* Widths, pair shrinks and run pads of a paragraph set on the grid (p's arrays allocated). */
void gw_grid_prepare(const struct gw_atom *a, int n, const struct gw_break_opts *o, struct prep *p);
/* What a line [start, li] may hang past the measure: its closing mark's cell, or 0. */
double gw_grid_hang(const struct gw_atom *a, const struct gw_break_opts *o, int start, int li);
/* gw_breaker_place for a paragraph set on the grid. */
double gw_grid_place(const struct gw_breaker *b, const struct gw_line *ln, double *x, double *w);

#endif /* GW_BREAK_INT_H */
