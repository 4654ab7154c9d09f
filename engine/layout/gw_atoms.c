/*
 * gw_atoms.c: characters to breaker atoms (layout stage).
 *
 * Owns the choice of font and glyph for every character (the font roles,
 * the Latin role for letters and digits, a warning with its position for a
 * character no font has), a per-thread cache of those choices, and the
 * atoms (advance, width class, punctuation class) gw_break works on, with
 * their drawing data. Calls gw_fontset, gw_font and gw_break's punctuation
 * classes.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "../doc/gw_doc.h"
#include "../util/gw_utf8.h"
#include "gw_layout_int.h"

/*
 * Pick the font and glyph for cp in run r; warn (with position) if none has
 * it (*found false). Latin letters and digits use the layout's Latin role
 * when it has one; CJK punctuation always stays with the run's (CJK) role.
 */
static int pick(struct gw_layout *L, const struct gw_run *r, uint32_t cp, int col, uint32_t *gid,
                bool *found)
{
    int f = -1;
    *found = true;
    if (L->ps->latin_role >= 0 && cp < 0x250 && cp > 0x20)
        f = gw_fontset_pick_own(L->fs, L->ps->latin_role, cp, gid); /* else the run's */
    if (f < 0)
        f = gw_fontset_pick(L->fs, r->role, cp, gid);
    if (f >= 0)
        return f;
    *found = false;
    if (L->lookahead) {
        *gid = 0;
        return gw_fontset_primary(L->fs, r->role);
    }
    L->missing++;
    if (L->missing <= GW_MAX_MISSING_WARN) {
        char utf[5] = {0};
        gw_utf8_encode(cp, utf);
        struct gw_span at = r->src;
        if (at.col > 0)
            at.col += col;
        gw_diag_warning(L->diag, at, "no font has %s (U+%04X); it is drawn as a missing-glyph box",
                        utf, (unsigned)cp);
    }
    *gid = 0;
    return gw_fontset_primary(L->fs, r->role);
}

/*
 * What gw_atoms_make needs to know of a character drawn in a role: its font,
 * glyph and advance (em), and for a full-width one its mark class. Finding
 * them takes a font lookup per font in the role's chain, an advance and,
 * for marks, the ink extent; Chinese text uses a few hundred characters
 * thousands of times, so each thread keeps the answers for the layout it
 * is working on (a character no font has is never kept: it is warned about
 * where it occurs).
 */
struct glyph_info {
    unsigned gen; /* the layout it belongs to (0: empty) */
    uint32_t cp;
    int role;
    int font;
    uint32_t gid;
    double adv;
    uint8_t punct;
};

#define GLYPH_CACHE 1024 /* entries, a power of two */

static _Thread_local struct glyph_info glyph_cache[GLYPH_CACHE];
static atomic_uint layout_gen = 1;

/* A number for a new layout, told apart from every other in the glyph cache. */
unsigned gw_atoms_generation(void)
{
    return atomic_fetch_add(&layout_gen, 1);
}

static const struct glyph_info *glyph_info(struct gw_layout *L, const struct gw_run *run,
                                           uint32_t cp, int col, struct glyph_info *scratch)
{
    struct glyph_info *g = &glyph_cache[(cp ^ ((uint32_t)run->role << 5)) & (GLYPH_CACHE - 1)];
    if (g->gen == L->gen && g->cp == cp && g->role == run->role)
        return g;
    bool found;
    struct glyph_info n = {.gen = L->gen, .cp = cp, .role = run->role};
    n.font = pick(L, run, cp, col, &n.gid, &found);
    n.adv = n.font >= 0 ? gw_font_advance(L->fs->fonts[n.font], n.gid) : 1;
    if (n.adv >= 0.9) {
        double x0, x1;
        enum gw_punct cls = gw_break_punct_class(cp);
        if (cls != GW_PUNCT_NONE && n.font >= 0 &&
            gw_font_ink(L->fs->fonts[n.font], n.gid, &x0, &x1))
            cls = gw_break_punct_from_ink(cp, x0, x1, n.adv);
        n.punct = (uint8_t)cls;
    }
    g = found ? g : scratch;
    *g = n;
    return g;
}

/* Turn the runs of a paragraph into breaker atoms plus drawing data. */
int gw_atoms_make(struct gw_layout *L, const struct gw_block *blk, struct gw_atom **pa,
                  struct gw_ink **pk)
{
    size_t cap = 0;
    for (int r = 0; r < blk->nruns; r++)
        cap += blk->runs[r].len;
    /*
     * cap counts bytes, up to 3x the characters: not zeroed, each atom is set
     * below. A paragraph is cut at GW_MAX_PARA_CHARS characters (gw_flow.c
     * reports it), so no text a plugin or a rule makes grows the layout
     * without bound.
     */
    if (cap > GW_MAX_PARA_CHARS)
        cap = GW_MAX_PARA_CHARS;
    struct gw_atom *a = gw_xmalloc((cap + 1) * sizeof(*a));
    struct gw_ink *k = gw_xmalloc((cap + 1) * sizeof(*k));
    int n = 0;
    double scale = L->cell / L->ps->body_size;
    for (int r = 0; r < blk->nruns; r++) {
        const struct gw_run *run = &blk->runs[r];
        size_t i = 0;
        int col = 0;
        while (i < run->len && n < (int)cap) {
            int32_t cp = gw_utf8_next(run->text, run->len, &i);
            if (cp < 0)
                continue;
            struct gw_atom *at = &a[n];
            struct gw_ink *ik = &k[n];
            *at = (struct gw_atom){0};
            *ik = (struct gw_ink){0};
            at->cp = (uint32_t)cp;
            at->em = run->size;
            ik->run = run;
            ik->font = -1;
            if (cp == ' ' || cp == '\t') {
                uint32_t gid;
                int f = gw_fontset_pick(L->fs, run->role, ' ', &gid);
                at->adv = f >= 0 ? gw_font_advance(L->fs->fonts[f], gid) * run->size
                                 : run->size * 0.3;
                at->flags = GW_ATOM_SPACE;
                at->cp = ' ';
                ik->font = f; /* drawn, so text extraction keeps the space */
                ik->gid = gid;
            } else if (cp == 0x3000) {
                at->adv = run->size * scale;
                at->flags = GW_ATOM_WIDE;
            } else if (cp < 0x20 || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 ||
                       cp == 0xFEFF || (cp >= 0x202A && cp <= 0x202E)) {
                col++;
                continue; /* controls, zero-width and bidi marks take no room */
            } else {
                struct glyph_info scratch;
                const struct glyph_info *g = glyph_info(L, run, (uint32_t)cp, col, &scratch);
                ik->font = g->font;
                ik->gid = g->gid;
                if (g->adv >= 0.9) {
                    at->flags = GW_ATOM_WIDE;
                    at->adv = g->adv * run->size * scale;
                    at->punct = g->punct;
                } else {
                    at->adv = g->adv * run->size;
                }
            }
            col++;
            n++;
        }
    }
    a[n] = (struct gw_atom){0};
    k[n] = (struct gw_ink){0};
    *pa = a;
    *pk = k;
    return n;
}
