/*
 * gw_pdf_font_subset.c - the subset of a font and its program (PDF module).
 *
 * Owns planning the subset of the glyphs used, which fixes each glyph's CID
 * (TrueType by gw_ttf_subset, with the {code point, CID} pairs of the
 * subset's cmap; CFF by hb-subset, keeping a CID-keyed font's own CIDs), and
 * making the subset program from the plan (a TrueType font, or the bare CFF
 * table of hb-subset's font). Touches only the gw_pdf_font; calls
 * gw_ttf_subset, HarfBuzz (gw_hb) and gw_pdf_cff_charset.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../util/gw_diag.h"
#include "gw_pdf_font_int.h"

/* True if glyph g is the cmap's glyph for its one code point. */
static bool nominal(const struct gw_pdf_font *pf, const struct gw_pdf_glyph *g)
{
    uint32_t gid;

    return g->ntext == 1 && gw_font_glyph(pf->font, pf->text[g->text], &gid) && gid == g->gid;
}

/*
 * Plan the subset of a TrueType font (gw_ttf_subset): fills each glyph's
 * cid (its glyph id in the subset, as hb-subset numbers them) and the
 * {code point, CID} pairs of the subset's cmap.  0, or -1 with a message.
 */
int gw_pdf_font_subset_ttf(struct gw_pdf_font *pf, char *err, size_t errlen)
{
    uint32_t *gids = malloc((pf->nglyphs ? pf->nglyphs : 1) * sizeof *gids);
    size_t j;

    pf->pairs = malloc((pf->nglyphs ? pf->nglyphs : 1) * sizeof *pf->pairs);
    if (!gids || !pf->pairs) {
        free(gids);
        gw_set_err(err, errlen, "out of memory");
        return -1;
    }
    for (j = 0; j < pf->nglyphs; j++)
        gids[j] = pf->glyphs[j].gid;
    int rc = gw_ttf_plan(&pf->ttf, pf->font, gids, pf->nglyphs, err, errlen);
    free(gids);
    if (rc != 0)
        return -1;
    for (j = 0; j < pf->nglyphs; j++) {
        struct gw_pdf_glyph *g = &pf->glyphs[j];

        g->cid = gw_ttf_new_gid(&pf->ttf, g->gid);
        if (g->cid > 0xFFFF) {
            gw_set_err(err, errlen, "glyph %u of %s lost in subsetting", (unsigned)g->gid,
                       gw_font_path(pf->font));
            return -1;
        }
        if (g->gid != 0 && nominal(pf, g)) {
            pf->pairs[pf->npairs][0] = pf->text[g->text];
            pf->pairs[pf->npairs++][1] = g->cid;
        }
    }
    return 0;
}

/*
 * Plan the subset of a CFF font to the recorded glyphs with hb-subset,
 * keeping only the tables a PDF font program needs.  Fills each glyph's
 * cid (its code in the content stream) and returns the plan (executed
 * later, by gw_pdf_font_program), or NULL with a message.  The code is the
 * glyph's id in the subset, except in a CID-keyed CFF font, where the PDF
 * reader finds glyphs by the font's own CIDs (which hb-subset keeps).
 */
hb_subset_plan_t *gw_pdf_font_subset_cff(struct gw_pdf_font *pf, char *err, size_t errlen)
{
    const struct gw_hb *hb = gw_hb();
    static const hb_tag_t keep[] = {
        HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
        HB_TAG('m', 'a', 'x', 'p'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('g', 'l', 'y', 'f'),
        HB_TAG('c', 'm', 'a', 'p'), HB_TAG('O', 'S', '/', '2'), HB_TAG('C', 'F', 'F', ' '),
    };
    static const hb_tag_t drop[] = {
        HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
        HB_TAG('k', 'e', 'r', 'n'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'),
        HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('D', 'S', 'I', 'G'),
        HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C'), HB_TAG('E', 'B', 'S', 'C'),
        HB_TAG('C', 'B', 'D', 'T'), HB_TAG('C', 'B', 'L', 'C'), HB_TAG('g', 'a', 's', 'p'),
        HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'), HB_TAG('P', 'C', 'L', 'T'),
        HB_TAG('V', 'D', 'M', 'X'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('m', 'o', 'r', 'x'),
        HB_TAG('f', 'e', 'a', 't'),
    };
    hb_face_t *face = (hb_face_t *)gw_font_hb_face(pf->font);
    hb_subset_input_t *input;
    hb_subset_plan_t *plan = NULL;
    const hb_map_t *map;
    hb_set_t *glyphs, *unicodes, *drops;
    hb_tag_t tags[64];
    unsigned start = 0, count, total, i, k;
    /* desubroutinized charstrings compress better (Noto Serif CJK: 13% smaller) */
    unsigned flags = HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE;
    size_t j;

    input = hb->hb_subset_input_create_or_fail();
    if (!input) {
        gw_set_err(err, errlen, "out of memory");
        return NULL;
    }
    glyphs = hb->hb_subset_input_glyph_set(input);
    unicodes = hb->hb_subset_input_unicode_set(input);
    drops = hb->hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);

    /*
     * A glyph that is the nominal (cmap) glyph of its text is requested
     * by code point, any other glyph by id.  hb-subset walks the whole
     * cmap (3-4 ms on a CJK font) as soon as one glyph id is requested,
     * but looks code points up one by one otherwise (~0.05 ms); the
     * resulting glyph set is the same, and the cmap keeps exactly the
     * entries that point at retained glyphs.
     */
    for (j = 0; j < pf->nglyphs; j++) {
        const struct gw_pdf_glyph *g = &pf->glyphs[j];

        if (g->gid == 0)
            flags |= HB_SUBSET_FLAGS_NOTDEF_OUTLINE;
        else if (nominal(pf, g))
            hb->hb_set_add(unicodes, pf->text[g->text]);
        else
            hb->hb_set_add(glyphs, g->gid);
    }

    /* drop the listed tables and anything else not on the keep list */
    for (i = 0; i < sizeof drop / sizeof drop[0]; i++)
        hb->hb_set_add(drops, drop[i]);
    do {
        count = sizeof tags / sizeof tags[0];
        total = hb->hb_face_get_table_tags(face, start, &count, tags);
        for (i = 0; i < count; i++) {
            bool kept = false;

            for (k = 0; k < sizeof keep / sizeof keep[0]; k++)
                kept = kept || tags[i] == keep[k];
            if (!kept)
                hb->hb_set_add(drops, tags[i]);
        }
        start += count;
    } while (count > 0 && start < total);

    hb->hb_subset_input_set_flags(input, flags);
    if (!hb->hb_set_allocation_successful(glyphs) || !hb->hb_set_allocation_successful(unicodes) ||
        !hb->hb_set_allocation_successful(drops)) {
        gw_set_err(err, errlen, "out of memory");
        goto free_input;
    }

    plan = hb->hb_subset_plan_create_or_fail(face, input);
    if (!plan) {
        gw_set_err(err, errlen, "cannot plan subset of %s", gw_font_path(pf->font));
        goto free_input;
    }
    map = hb->hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (j = 0; j < pf->nglyphs; j++) {
        hb_codepoint_t cid = hb->hb_map_get(map, pf->glyphs[j].gid);

        if (cid == HB_MAP_VALUE_INVALID || cid > 0xFFFF) {
            gw_set_err(err, errlen, "glyph %u of %s lost in subsetting", (unsigned)pf->glyphs[j].gid,
                    gw_font_path(pf->font));
            goto free_plan;
        }
        pf->glyphs[j].cid = pf->cid_keyed ? pf->cid_of_gid[pf->glyphs[j].gid] : cid;
    }

    hb->hb_subset_input_destroy(input);
    return plan;

free_plan:
    hb->hb_subset_plan_destroy(plan);
free_input:
    hb->hb_subset_input_destroy(input);
    return NULL;
}

/*
 * Did the subset keep every used glyph's CID (what the content streams
 * use as codes)? hb-subset keeps a CID-keyed font's CIDs; this checks it.
 */
static bool cids_kept(const struct gw_pdf_font *pf, hb_blob_t *cff, unsigned nglyphs)
{
    const struct gw_hb *hb = gw_hb();
    unsigned len = 0;
    const unsigned char *c = (const unsigned char *)hb->hb_blob_get_data(cff, &len);
    uint16_t *cid = malloc(((size_t)nglyphs + 1) * sizeof *cid);
    bool keyed = false, ok = c && cid && gw_pdf_cff_charset(c, len, nglyphs, &keyed, cid) && keyed;
    const hb_map_t *map = hb->hb_subset_plan_old_to_new_glyph_mapping(pf->plan);
    for (size_t j = 0; ok && j < pf->nglyphs; j++) {
        hb_codepoint_t g = hb->hb_map_get(map, pf->glyphs[j].gid);
        ok = g < nglyphs && cid[g] == pf->glyphs[j].cid;
    }
    free(cid);
    return ok;
}

/*
 * The CFF table c[0..len) with a copy of each width variant's glyph, its
 * outline moved by the variant's shift, into pf->program. 0 or -1.
 */
static int add_copies(struct gw_pdf_font *pf, const unsigned char *c, unsigned len)
{
    const struct gw_hb *hb = gw_hb();
    const hb_map_t *map = hb->hb_subset_plan_old_to_new_glyph_mapping(pf->plan);
    struct gw_cff_copy *cp = malloc(pf->nvariants * sizeof *cp);
    if (!cp) {
        gw_set_err(pf->err, sizeof pf->err, "out of memory");
        return -1;
    }
    double units = gw_font_upem(pf->font) / 1000.0;
    for (size_t i = 0; i < pf->nvariants; i++)
        cp[i] = (struct gw_cff_copy){hb->hb_map_get(map, pf->variants[i].gid), pf->variants[i].cid,
                                     pf->variants[i].shift * units};
    char why[120];
    int rc = gw_pdf_cff_copies(c, len, cp, pf->nvariants, &pf->program, why, sizeof why);
    free(cp);
    if (rc != 0)
        gw_set_err(pf->err, sizeof pf->err, "%s: %s", gw_font_path(pf->font), why);
    return rc;
}

/*
 * Make the subset program (pf->program) from the plan: gw_ttf_subset's, or
 * the CFF table of hb-subset's (copied, so both kinds are kept alike). 0
 * or -1 (pf->err says why).
 */
int gw_pdf_font_subset_program(struct gw_pdf_font *pf)
{
    if (!pf->cff) {
        /* width variants: composites of their glyphs, moved, after the subset's glyphs */
        struct gw_ttf_moved *mv = pf->nvariants ? malloc(pf->nvariants * sizeof *mv) : NULL;
        if (pf->nvariants && !mv) {
            gw_set_err(pf->err, sizeof pf->err, "out of memory");
            return -1;
        }
        double units = gw_font_upem(pf->font) / 1000.0;
        for (size_t i = 0; i < pf->nvariants; i++)
            mv[i] = (struct gw_ttf_moved){
                pf->glyphs[gw_pdf_font_slot(pf, pf->variants[i].gid) - 1].cid,
                (int)lround(pf->variants[i].shift * units)};
        pf->ttf.moved = mv;
        pf->ttf.nmoved = (unsigned)pf->nvariants;
        int rc = gw_ttf_write(&pf->ttf, (const uint32_t(*)[2])pf->pairs, pf->npairs, &pf->program,
                              pf->err, sizeof pf->err);
        gw_ttf_subset_free(&pf->ttf);
        free(mv);
        pf->subset_size = pf->program.len;
        return rc;
    }
    const struct gw_hb *hb = gw_hb(); /* loaded when the CFF font was opened */
    hb_face_t *sub = hb->hb_subset_plan_execute_or_fail(pf->plan);
    if (!sub) {
        hb->hb_subset_plan_destroy(pf->plan);
        pf->plan = NULL;
        gw_set_err(pf->err, sizeof pf->err, "cannot subset %s (damaged font?)",
                   gw_font_path(pf->font));
        return -1;
    }
    /* a CFF font is embedded as its bare CFF table (FontFile3 /CIDFontType0C) */
    hb_blob_t *blob = hb->hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
    bool kept = !pf->cid_keyed || cids_kept(pf, blob, hb->hb_face_get_glyph_count(sub));
    hb->hb_face_destroy(sub);
    unsigned len = 0;
    const char *data = hb->hb_blob_get_data(blob, &len);
    int rc = 0;
    if (len > 0 && kept && pf->nvariants) /* width variants: moved copies of their glyphs */
        rc = add_copies(pf, (const unsigned char *)data, len);
    else if (len > 0 && kept)
        gw_buf_add(&pf->program, data, len);
    hb->hb_blob_destroy(blob);
    hb->hb_subset_plan_destroy(pf->plan);
    pf->plan = NULL;
    if (len == 0 || !kept) {
        gw_set_err(pf->err, sizeof pf->err,
                   len == 0 ? "cannot serialise subset of %s" : "the subset of %s changed its CIDs",
                   gw_font_path(pf->font));
        return -1;
    }
    pf->subset_size = pf->program.len;
    return rc;
}
