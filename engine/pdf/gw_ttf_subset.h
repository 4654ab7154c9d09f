/*
 * gw_ttf_subset.h - subsets of TrueType (glyf) fonts for PDF embedding.
 *
 * A PDF CIDFontType2 program needs only outlines and metrics: head,
 * hhea, hmtx, maxp, loca and glyf (ISO 32000-1, 9.9).  This module plans
 * a subset of a gw_font (the glyphs asked for, .notdef, and the
 * components of composite glyphs, numbered in their original order, then
 * any moved copies the caller adds) and writes it without hinting (no instructions, no cvt/fpgm/prep) with
 * those tables, the font's OS/2 and a cmap of the characters given.
 *
 * It does for TrueType what hb-subset did, with the same glyph numbering,
 * at a small fraction of the cost: a subset is a copy of the glyph
 * records, while hb-subset's plan and serialiser took 3.5 ms for the
 * seed's 仿宋 subset, the head of the build's longest chain.  CFF fonts
 * still go through hb-subset (gw_pdf_font.c).
 *
 * Nothing here knows PDF; the font's bytes are read through gw_font_table,
 * gw_font_glyph_record and gw_font_hmetrics.
 */
#ifndef GW_TTF_SUBSET_H
#define GW_TTF_SUBSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../font/gw_font.h"
#include "../util/gw_buf.h"

/* A glyph appended to a subset: a composite of kept glyph `glyph` moved right by dx units. */
struct gw_ttf_moved {
    uint32_t glyph; /* subset glyph id */
    int dx;         /* font units */
};

/* A planned subset: which glyphs of the font it keeps, in order. */
struct gw_ttf_subset {
    const struct gw_font *font;
    uint32_t *old;  /* subset glyph id -> font glyph id, ascending; old[0] == 0 */
    unsigned count; /* glyphs in the subset */
    bool notdef;    /* keep .notdef's outline (it was asked for) */
    uint32_t bad_gid; /* after a failed plan: the damaged glyph, or UINT32_MAX */
    /* set after the plan (the caller's array): glyphs count.. of the subset, each a composite
     * of a kept glyph moved sideways (a mark drawn in a box of its own, gw_pdf_font.h) */
    const struct gw_ttf_moved *moved;
    unsigned nmoved;
};

/*
 * Plan the subset of f to the n glyph ids in gids (ids out of range are
 * an error).  .notdef is always glyph 0 of the subset; its outline is kept
 * only if 0 is among gids.  Every glyph kept is checked: a record a PDF
 * reader could not walk (a damaged font file) fails the plan with its id
 * in s->bad_gid.  Returns 0, or -1 with a message in err.
 */
int gw_ttf_plan(struct gw_ttf_subset *s, const struct gw_font *f, const uint32_t *gids, size_t n,
                char *err, size_t errlen);

/*
 * Why glyph gid of f cannot be drawn (its record is cut short or holds
 * other bytes: a damaged font file), or NULL if it can; the check the plan
 * makes of every glyph it keeps.
 */
const char *gw_ttf_glyph_damage(const struct gw_font *f, uint32_t gid);

/* Subset glyph id of font glyph id `gid`, or UINT32_MAX if the subset does not keep it. */
uint32_t gw_ttf_new_gid(const struct gw_ttf_subset *s, uint32_t gid);

/*
 * Write the subset font program into out (appended).  map holds nmap
 * pairs {code point, subset glyph id} for the cmap, in any order (NULL
 * when nmap is 0).
 * Returns 0, or -1 with a message in err.
 */
int gw_ttf_write(const struct gw_ttf_subset *s, const uint32_t (*map)[2], size_t nmap,
                 struct gw_buf *out, char *err, size_t errlen);

/* Release the plan (the struct itself is the caller's). */
void gw_ttf_subset_free(struct gw_ttf_subset *s);

#endif /* GW_TTF_SUBSET_H */
