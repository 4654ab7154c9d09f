/*
 * gw_pdf_font.c - embedding of TrueType and CFF fonts into libharu documents.
 *
 * Owns struct gw_pdf_font, the per-document record of which glyphs of a
 * gw_font were drawn and which text each stands for, and the steps that
 * turn that record into PDF objects (gw_pdf_font.h):
 *
 *   Type0 (/Identity-H, /ToUnicode) -> CIDFontType2 (/W, /DW, Identity
 *   CIDToGIDMap) -> FontDescriptor -> FontFile2 (gw_ttf_subset output)
 *
 * or, for PostScript outlines, CIDFontType0 -> FontFile3 /CIDFontType0C
 * (the bare CFF table of hb-subset's subset).  Codes (CIDs) are the glyph ids of the
 * subset font, or the font's own CIDs in a CID-keyed CFF font, whose
 * charset is how a reader finds glyphs there.  All PDF objects are made
 * with libharu's internal object layer and are owned by the HPDF_Doc.
 * All work that can fail for reasons other than memory (subsetting,
 * bad input) is done before the first PDF object is created.
 *
 * This file records the glyphs, plans (CIDs, subset tag, width variants)
 * and runs the steps; the work of each is in the files gw_pdf_font_int.h
 * lists: the CFF charset, the subset, /W, the ToUnicode CMap, the PDF
 * objects, and compression.
 */
#include "gw_pdf_font_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_objects.h>

#include "../font/gw_hb.h"
#include "../util/gw_buf.h"
#include "../util/gw_diag.h"
#include "gw_deflate.h"
#include "gw_ttf_subset.h"

#define GW_MAX_TEXT   32  /* code points kept per glyph for ToUnicode */

/*
 * A program this long is compressed in two pieces by two jobs (see
 * gw_pdf_font_program_rest): the seed's 仿宋 subset is 280 KB, four
 * fifths of the fonts' compression and the longest job of its build. The
 * first piece is the smaller, as finding its last block costs a third of
 * its compression again. The seam costs about 1 KB (the pieces share no
 * matches).
 */
#define GW_SPLIT_MIN     (96 * 1024)
#define GW_SPLIT_PERCENT 42

enum { USE_OK, USE_NOMEM, USE_RANGE };

/* Create an empty collector for font f. */
struct gw_pdf_font *gw_pdf_font_new(const struct gw_font *f)
{
    struct gw_pdf_font *pf;

    pf = calloc(1, sizeof *pf);
    if (!pf)
        return NULL;
    pf->font = f;
    pf->cff = gw_font_is_cff(f);
    pf->ttf.bad_gid = UINT32_MAX;
    return pf;
}

uint32_t gw_pdf_font_damaged_glyph(const struct gw_pdf_font *pf)
{
    return pf ? pf->ttf.bad_gid : UINT32_MAX;
}

/* Set the slot of gid; false when out of memory. */
static bool set_slot(struct gw_pdf_font *pf, uint32_t gid, uint32_t v)
{
    uint32_t **b = &pf->slot[gid >> 8];
    if (!*b && !(*b = calloc(256, sizeof **b)))
        return false;
    (*b)[gid & 255] = v;
    return true;
}

/* Record one glyph use; first text for a gid wins. */
void gw_pdf_font_use(struct gw_pdf_font *pf, uint32_t gid, const uint32_t *cps, int n)
{
    struct gw_pdf_glyph *g;

    if (!pf || pf->planned || pf->bad)
        return;
    if (gid >= gw_font_glyph_count(pf->font)) {
        pf->bad = USE_RANGE;
        pf->bad_gid = gid;
        return;
    }
    if (gw_pdf_font_slot(pf, gid))
        return;
    if (n < 0 || !cps)
        n = 0;
    if (n > GW_MAX_TEXT)
        n = GW_MAX_TEXT;

    if (pf->nglyphs == pf->capglyphs) {
        size_t cap = pf->capglyphs ? pf->capglyphs * 2 : 256;
        struct gw_pdf_glyph *p = realloc(pf->glyphs, cap * sizeof *p);

        if (!p) {
            pf->bad = USE_NOMEM;
            return;
        }
        pf->glyphs = p;
        pf->capglyphs = cap;
    }
    if (pf->ntext + (size_t)n > pf->captext) {
        size_t cap = pf->captext ? pf->captext * 2 : 512;
        uint32_t *p;

        while (cap < pf->ntext + (size_t)n)
            cap *= 2;
        p = realloc(pf->text, cap * sizeof *p);
        if (!p) {
            pf->bad = USE_NOMEM;
            return;
        }
        pf->text = p;
        pf->captext = cap;
    }

    g = &pf->glyphs[pf->nglyphs];
    g->gid = gid;
    g->cid = 0;
    g->text = (uint32_t)pf->ntext;
    g->ntext = (uint32_t)n;
    if (n)
        memcpy(pf->text + pf->ntext, cps, (size_t)n * sizeof *cps);
    pf->ntext += (size_t)n;
    if (!set_slot(pf, gid, (uint32_t)pf->nglyphs + 1)) {
        pf->bad = USE_NOMEM;
        return;
    }
    pf->nglyphs++;
}

/* Record a use of gid set with advance `width`, outline moved by `shift` (1000 units per em). */
void gw_pdf_font_use_width(struct gw_pdf_font *pf, uint32_t gid, int width, int shift,
                           const uint32_t *cps, int n)
{
    gw_pdf_font_use(pf, gid, cps, n);
    if (!pf || pf->planned || pf->bad)
        return;
    for (size_t i = 0; i < pf->nvariants; i++)
        if (pf->variants[i].gid == gid && pf->variants[i].width == width &&
            pf->variants[i].shift == shift)
            return;
    if (pf->nvariants == pf->capvariants) {
        size_t cap = pf->capvariants ? pf->capvariants * 2 : 16;
        struct gw_pdf_variant *v = realloc(pf->variants, cap * sizeof *v);
        if (!v) {
            pf->bad = USE_NOMEM;
            return;
        }
        pf->variants = v;
        pf->capvariants = cap;
    }
    pf->variants[pf->nvariants++] = (struct gw_pdf_variant){gid, width, shift, 0};
}

/* Number of distinct glyphs recorded. */
size_t gw_pdf_font_glyphs_used(const struct gw_pdf_font *pf)
{
    return pf ? pf->nglyphs : 0;
}

/* qsort comparator: glyph records by CID. */
static int cmp_cid(const void *a, const void *b)
{
    const struct gw_pdf_glyph *x = a, *y = b;

    return (x->cid > y->cid) - (x->cid < y->cid);
}

/*
 * Six-letter subset tag, a hash of the glyph set (sorted by CID, hence
 * by original gid) and of the font's name, so the same subset of the
 * same font always gets the same tag.
 */
static void make_tag(const struct gw_pdf_font *pf, char tag[7])
{
    uint64_t h = 14695981039346656037ull;
    const char *s;
    size_t i;
    int k;

    for (s = gw_font_psname(pf->font); *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    h = (h ^ gw_font_index(pf->font)) * 1099511628211ull;
    for (i = 0; i < pf->nglyphs; i++) {
        uint32_t g = pf->glyphs[i].gid;

        for (k = 0; k < 4; k++)
            h = (h ^ ((g >> (8 * k)) & 0xFF)) * 1099511628211ull;
    }
    for (k = 0; k < 6; k++) {
        tag[k] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

/*
 * Plan the subset (assigns CIDs), sort by CID, compute /W and the
 * ToUnicode CMap, and make the subset program.  No PDF object is made yet.
 */
int gw_pdf_font_plan(struct gw_pdf_font *pf, char *err, size_t errlen)
{
    char tag[7];
    size_t i;

    if (!pf) {
        gw_set_err(err, errlen, "no font");
        return -1;
    }
    if (pf->planned) {
        gw_set_err(err, errlen, "font %s already built", gw_font_psname(pf->font));
        return -1;
    }
    if (pf->bad == USE_NOMEM) {
        gw_set_err(err, errlen, "out of memory recording glyphs");
        return -1;
    }
    if (pf->bad == USE_RANGE) {
        gw_set_err(err, errlen, "glyph %u out of range for %s (%u glyphs)", (unsigned)pf->bad_gid,
                gw_font_path(pf->font), gw_font_glyph_count(pf->font));
        return -1;
    }

    if (pf->cff &&
        gw_pdf_font_cff_load(pf, (hb_face_t *)gw_font_hb_face(pf->font), err, errlen) != 0)
        return -1;
    if (pf->cff ? !(pf->plan = gw_pdf_font_subset_cff(pf, err, errlen))
                : gw_pdf_font_subset_ttf(pf, err, errlen) != 0)
        return -1;

    /* glyphs sorted by CID from now on; slots point at the new order */
    qsort(pf->glyphs, pf->nglyphs, sizeof *pf->glyphs, cmp_cid);
    for (i = 0; i < pf->nglyphs; i++)
        set_slot(pf, pf->glyphs[i].gid, (uint32_t)i + 1); /* its block exists */

    /*
     * width variants get copies of their glyphs after the subset's, moved
     * by their shift (a TrueType composite, gw_ttf_subset; a CFF charstring,
     * gw_pdf_font_cffcopy.c), under CIDs after the highest a CID-keyed font
     * uses, or their glyph ids
     */
    if (pf->nvariants) {
        /* the subset's glyphs are numbered densely from 0 */
        size_t count = pf->cff ? gw_hb()->hb_map_get_population(
                                     gw_hb()->hb_subset_plan_old_to_new_glyph_mapping(pf->plan))
                               : pf->ttf.count;
        size_t first = count;
        if (pf->cid_keyed) {
            first = 0;
            for (i = 0; i < pf->nglyphs; i++)
                first = pf->glyphs[i].cid >= first ? pf->glyphs[i].cid + 1 : first;
        }
        if (count + pf->nvariants > 65535 || first + pf->nvariants > 65535) {
            gw_set_err(err, errlen, "too many glyphs and width variants for one font");
            return -1;
        }
        for (i = 0; i < pf->nvariants; i++)
            pf->variants[i].cid = (uint32_t)(first + i);
    }

    if (gw_pdf_font_widths_make(pf, &pf->dw10, &pf->w) != 0 ||
        gw_pdf_font_cmap_make(pf, &pf->cmap) != 0) {
        gw_set_err(err, errlen, "out of memory");
        return -1;
    }
    make_tag(pf, tag);
    snprintf(pf->basefont, sizeof pf->basefont, "%s+%s", tag, gw_font_psname(pf->font));
    /* the program too: the longest part of the work after this is compressing it */
    if (gw_pdf_font_subset_program(pf) != 0) {
        gw_set_err(err, errlen, "%s", pf->err);
        return -1;
    }
    if (pf->program.len >= GW_SPLIT_MIN)
        pf->cut = pf->program.len / 100 * GW_SPLIT_PERCENT;
    pf->planned = true;
    return 0;
}

/* Create the font's PDF objects; the font program stream stays empty until fill. */
int gw_pdf_font_emit(struct gw_pdf_font *pf, HPDF_Doc pdf, char *err, size_t errlen)
{
    if (!pf || !pf->planned || pf->type0 || !pdf) {
        gw_set_err(err, errlen, "font not planned, or already emitted");
        return -1;
    }
    pf->type0 = gw_pdf_font_obj_new(pf, pdf);
    if (!pf->type0) {
        gw_set_err(err, errlen, "cannot create PDF font objects"); /* the writer says why */
        return -1;
    }
    return 0;
}

int gw_pdf_font_emit_streams(struct gw_pdf_font *pf, HPDF_Doc pdf, char *err, size_t errlen)
{
    if (!pf || !pf->type0 || pf->fontfile || !pdf) {
        gw_set_err(err, errlen, "font not emitted, or its streams already are");
        return -1;
    }
    if (gw_pdf_font_obj_streams(pf, pdf) < 0) {
        gw_set_err(err, errlen, "cannot create PDF font streams"); /* the writer says why */
        return -1;
    }
    return 0;
}

HPDF_Dict gw_pdf_font_stream(const struct gw_pdf_font *pf, bool tounicode)
{
    return pf ? (tounicode ? pf->tounicode : pf->fontfile) : NULL;
}

/* All four steps in order, on this thread. */
int gw_pdf_font_build(struct gw_pdf_font *pf, HPDF_Doc pdf, char *err, size_t errlen)
{
    struct gw_deflate *z;
    int rc;

    if (!pf || !pdf) {
        gw_set_err(err, errlen, "no font or document");
        return -1;
    }
    if (gw_pdf_font_plan(pf, err, errlen) != 0 || gw_pdf_font_emit(pf, pdf, err, errlen) != 0 ||
        gw_pdf_font_emit_streams(pf, pdf, err, errlen) != 0)
        return -1;
    z = gw_deflate_new(GW_DEFLATE_LEVEL);
    if (!z) {
        gw_set_err(err, errlen, "out of memory");
        return -1;
    }
    rc = gw_pdf_font_program(pf, z);
    if (rc == 0)
        rc = gw_pdf_font_program_rest(pf, z);
    gw_deflate_free(z);
    if (rc != 0) {
        gw_set_err(err, errlen, "%s", pf->err);
        return -1;
    }
    return gw_pdf_font_fill(pf, err, errlen);
}

/* The Type0 font dict, or NULL before a successful build. */
HPDF_Dict gw_pdf_font_dict(const struct gw_pdf_font *pf)
{
    return pf ? pf->type0 : NULL;
}

/* CID of an original gid, 0 for unknown glyphs or before build. */
uint16_t gw_pdf_font_cid(const struct gw_pdf_font *pf, uint32_t gid)
{
    if (!pf || !pf->planned || gid >= gw_font_glyph_count(pf->font) || !gw_pdf_font_slot(pf, gid))
        return 0;
    return (uint16_t)pf->glyphs[gw_pdf_font_slot(pf, gid) - 1].cid;
}

/* CID of gid drawn with advance `width` and `shift` (recorded by use_width), 0 if unknown. */
uint16_t gw_pdf_font_cid_width(const struct gw_pdf_font *pf, uint32_t gid, int width, int shift)
{
    if (!pf || !pf->planned)
        return 0;
    for (size_t i = 0; i < pf->nvariants; i++)
        if (pf->variants[i].gid == gid && pf->variants[i].width == width &&
            pf->variants[i].shift == shift)
            return (uint16_t)pf->variants[i].cid;
    return 0;
}

/* Size of the embedded (uncompressed) subset font program. */
size_t gw_pdf_font_subset_size(const struct gw_pdf_font *pf)
{
    return pf ? pf->subset_size : 0;
}

/* Free the collector; the document keeps its PDF objects. */
void gw_pdf_font_free(struct gw_pdf_font *pf)
{
    if (!pf)
        return;
    for (size_t i = 0; i < sizeof pf->slot / sizeof pf->slot[0]; i++)
        free(pf->slot[i]);
    free(pf->variants);
    free(pf->glyphs);
    free(pf->text);
    free(pf->cid_of_gid);
    gw_buf_free(&pf->cmap);
    gw_buf_free(&pf->w);
    gw_buf_free(&pf->packed);
    gw_buf_free(&pf->packed_cmap);
    gw_buf_free(&pf->rest);
    gw_buf_free(&pf->program);
    gw_ttf_subset_free(&pf->ttf);
    free(pf->pairs);
    if (pf->plan)
        gw_hb()->hb_subset_plan_destroy(pf->plan);
    free(pf);
}
