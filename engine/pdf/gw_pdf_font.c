/*
 * gw_pdf_font.c - embedding of TrueType and CFF fonts into libharu documents.
 *
 * Owns struct gw_pdf_font, the per-document record of which glyphs of a
 * gw_font were drawn and which text each stands for, and the step that
 * turns that record into PDF objects:
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
 */
#include "gw_pdf_font_int.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "../font/gw_hb.h"
#include "../util/gw_buf.h"
#include "../util/gw_bytes.h"
#include "../util/gw_diag.h"
#include "gw_deflate.h"
#include "gw_haru.h"
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
    return pf;
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

/* Record a use of gid set with advance `width` (1000 units per em). */
void gw_pdf_font_use_width(struct gw_pdf_font *pf, uint32_t gid, int width, const uint32_t *cps,
                           int n)
{
    gw_pdf_font_use(pf, gid, cps, n);
    if (!pf || pf->planned || pf->bad || pf->cff)
        return; /* a CIDFontType0 has no CIDToGIDMap: no second code for a glyph */
    for (size_t i = 0; i < pf->nvariants; i++)
        if (pf->variants[i].gid == gid && pf->variants[i].width == width)
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
    pf->variants[pf->nvariants++] = (struct gw_pdf_variant){gid, width, 0};
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

/* Dict write hook: emit the /W array text kept in dict->attr. */
static HPDF_STATUS write_w(HPDF_Dict dict, HPDF_Stream stream)
{
    HPDF_STATUS ret;

    if (!dict->attr)
        return HPDF_OK;
    ret = HPDF_Stream_WriteStr(stream, "/W ");
    if (ret == HPDF_OK)
        ret = HPDF_Stream_WriteStr(stream, (const char *)dict->attr);
    if (ret == HPDF_OK)
        ret = HPDF_Stream_WriteStr(stream, "\012");
    return ret;
}

/* Dict free hook: release the /W text kept in dict->attr. */
static void free_w(HPDF_Dict dict)
{
    if (dict->attr)
        HPDF_FreeMem(dict->mmgr, dict->attr);
    dict->attr = NULL;
}

/* New dict registered as an indirect object of the document. */
static HPDF_Dict new_indirect(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);

    if (!d)
        return NULL;
    if (HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL; /* libharu has freed d */
    return d;
}

/* New Flate stream (indirect) holding len bytes of data. */
static HPDF_Dict new_stream(HPDF_Doc pdf, const void *data, size_t len)
{
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);

    if (!s)
        return NULL;
    s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len) != HPDF_OK)
        return NULL;
    return s;
}

/* Round an em value to integer 1000-unit glyph space. */
static HPDF_INT32 em1000(double v)
{
    return (HPDF_INT32)lround(v * 1000.0);
}

/*
 * Create the five font objects in pdf from the prepared pieces.  Every
 * object is handed to the document (xref or a parent dict) as soon as it
 * exists, so a failure part-way leaks nothing.  Returns the Type0 dict.
 */
HPDF_Dict gw_pdf_font_obj_new(struct gw_pdf_font *pf, HPDF_Doc pdf)
{
    const char *basefont = pf->basefont;
    const struct gw_buf *w = &pf->w;
    long dw10 = pf->dw10;
    const unsigned char *c2g = pf->c2g;
    size_t c2glen = pf->c2glen;
    HPDF_MMgr mmgr = pdf->mmgr;
    HPDF_STATUS ret = HPDF_OK;
    HPDF_Dict fd, cf, t0, si;
    HPDF_Array bbox, desc;
    double bb[4];

    /* the program and ToUnicode streams come later (gw_pdf_font_emit_streams) */
    fd = new_indirect(pdf);
    if (!fd)
        return NULL;
    gw_font_bbox(pf->font, bb);
    ret += HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
    ret += HPDF_Dict_AddName(fd, "FontName", basefont);
    ret += HPDF_Dict_AddNumber(fd, "Flags", 4);
    bbox = HPDF_Array_New(mmgr);
    if (!bbox || HPDF_Dict_Add(fd, "FontBBox", bbox) != HPDF_OK)
        return NULL;
    ret += HPDF_Array_AddNumber(bbox, (HPDF_INT32)floor(bb[0] * 1000.0));
    ret += HPDF_Array_AddNumber(bbox, (HPDF_INT32)floor(bb[1] * 1000.0));
    ret += HPDF_Array_AddNumber(bbox, (HPDF_INT32)ceil(bb[2] * 1000.0));
    ret += HPDF_Array_AddNumber(bbox, (HPDF_INT32)ceil(bb[3] * 1000.0));
    ret += HPDF_Dict_AddNumber(fd, "ItalicAngle", 0);
    ret += HPDF_Dict_AddNumber(fd, "Ascent", em1000(gw_font_ascent(pf->font)));
    ret += HPDF_Dict_AddNumber(fd, "Descent", em1000(gw_font_descent(pf->font)));
    ret += HPDF_Dict_AddNumber(fd, "CapHeight", em1000(gw_font_cap_height(pf->font)));
    ret += HPDF_Dict_AddNumber(fd, "StemV", 80);
    if (ret != HPDF_OK)
        return NULL;
    pf->descriptor = fd;

    cf = new_indirect(pdf);
    if (!cf)
        return NULL;
    ret += HPDF_Dict_AddName(cf, "Type", "Font");
    ret += HPDF_Dict_AddName(cf, "Subtype", pf->cff ? "CIDFontType0" : "CIDFontType2");
    ret += HPDF_Dict_AddName(cf, "BaseFont", basefont);
    si = HPDF_Dict_New(mmgr);
    if (!si || HPDF_Dict_Add(cf, "CIDSystemInfo", si) != HPDF_OK)
        return NULL;
    ret += HPDF_Dict_Add(si, "Registry", HPDF_String_New(mmgr, "Adobe", NULL));
    ret += HPDF_Dict_Add(si, "Ordering", HPDF_String_New(mmgr, "Identity", NULL));
    ret += HPDF_Dict_AddNumber(si, "Supplement", 0);
    ret += HPDF_Dict_Add(cf, "FontDescriptor", fd);
    if (dw10 % 10 == 0)
        ret += HPDF_Dict_AddNumber(cf, "DW", (HPDF_INT32)(dw10 / 10));
    else
        ret += HPDF_Dict_AddReal(cf, "DW", (HPDF_REAL)(dw10 / 10.0));
    if (c2g) {
        HPDF_Dict map = new_stream(pdf, c2g, c2glen);
        if (!map)
            return NULL;
        ret += HPDF_Dict_Add(cf, "CIDToGIDMap", map);
    } else if (!pf->cff) { /* a CIDFontType0 finds glyphs through its charset */
        ret += HPDF_Dict_AddName(cf, "CIDToGIDMap", "Identity");
    }
    if (ret != HPDF_OK)
        return NULL;
    /* /W is written verbatim by a write hook: exact decimals, no array
     * size limit, and one string instead of thousands of objects */
    if (w->len > 2) {
        char *text = HPDF_GetMem(mmgr, (HPDF_UINT)(w->len + 1));

        if (!text)
            return NULL;
        memcpy(text, w->data, w->len + 1);
        cf->attr = text;
        cf->free_fn = free_w;
        cf->write_fn = write_w;
    }

    t0 = new_indirect(pdf);
    if (!t0)
        return NULL;
    ret += HPDF_Dict_AddName(t0, "Type", "Font");
    ret += HPDF_Dict_AddName(t0, "Subtype", "Type0");
    ret += HPDF_Dict_AddName(t0, "BaseFont", basefont);
    ret += HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
    desc = HPDF_Array_New(mmgr);
    if (!desc || HPDF_Dict_Add(t0, "DescendantFonts", desc) != HPDF_OK)
        return NULL;
    ret += HPDF_Array_Add(desc, cf);
    if (ret != HPDF_OK)
        return NULL;
    return t0;
}

/* The program and ToUnicode stream objects, still empty, linked into the font. */
int gw_pdf_font_obj_streams(struct gw_pdf_font *pf, HPDF_Doc pdf)
{
    HPDF_STATUS ret = HPDF_OK;
    HPDF_Dict ff = new_stream(pdf, "", 0), tu;

    if (!ff)
        return -1;
    if (pf->cff)
        ret += HPDF_Dict_AddName(ff, "Subtype", "CIDFontType0C");
    ret += HPDF_Dict_Add(pf->descriptor, pf->cff ? "FontFile3" : "FontFile2", ff);
    if (ret != HPDF_OK)
        return -1;
    pf->fontfile = ff;
    tu = new_stream(pdf, "", 0);
    if (!tu || HPDF_Dict_Add(pf->type0, "ToUnicode", tu) != HPDF_OK)
        return -1;
    pf->tounicode = tu;
    return 0;
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
 * Make the subset program (pf->program) from the plan: gw_ttf_subset's, or
 * the CFF table of hb-subset's (copied, so both kinds are kept alike). 0
 * or -1 (pf->err says why).
 */
int gw_pdf_font_subset_program(struct gw_pdf_font *pf)
{
    if (!pf->cff) {
        int rc = gw_ttf_write(&pf->ttf, (const uint32_t(*)[2])pf->pairs, pf->npairs, &pf->program,
                              pf->err, sizeof pf->err);
        gw_ttf_subset_free(&pf->ttf);
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
    hb->hb_subset_plan_destroy(pf->plan);
    pf->plan = NULL;
    unsigned len = 0;
    const char *data = hb->hb_blob_get_data(blob, &len);
    if (len > 0 && kept)
        gw_buf_add(&pf->program, data, len);
    hb->hb_blob_destroy(blob);
    if (len == 0 || !kept) {
        gw_set_err(pf->err, sizeof pf->err,
                   len == 0 ? "cannot serialise subset of %s" : "the subset of %s changed its CIDs",
                   gw_font_path(pf->font));
        return -1;
    }
    pf->subset_size = len;
    return 0;
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

    /* width variants get CIDs after the subset's glyphs, mapped back by CIDToGIDMap */
    if (pf->nvariants) {
        /* the subset's glyphs are numbered densely from 0 */
        size_t count = pf->cff ? gw_hb()->hb_map_get_population(
                                     gw_hb()->hb_subset_plan_old_to_new_glyph_mapping(pf->plan))
                               : pf->ttf.count;
        if (count + pf->nvariants > 65535) {
            gw_set_err(err, errlen, "too many glyphs and width variants for one font");
            return -1;
        }
        pf->c2glen = 2 * (count + pf->nvariants);
        pf->c2g = malloc(pf->c2glen);
        if (!pf->c2g) {
            gw_set_err(err, errlen, "out of memory");
            return -1;
        }
        for (i = 0; i < count; i++) {
            pf->c2g[2 * i] = (unsigned char)(i >> 8);
            pf->c2g[2 * i + 1] = (unsigned char)(i & 0xFF);
        }
        for (i = 0; i < pf->nvariants; i++) {
            uint32_t gcid = pf->glyphs[gw_pdf_font_slot(pf, pf->variants[i].gid) - 1].cid;
            pf->variants[i].cid = (uint32_t)(count + i);
            pf->c2g[2 * (count + i)] = (unsigned char)(gcid >> 8);
            pf->c2g[2 * (count + i) + 1] = (unsigned char)(gcid & 0xFF);
        }
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
    const char *why = gw_haru_load();
    if (why) {
        gw_set_err(err, errlen, "%s", why);
        return -1;
    }
    if (!pf || !pf->planned || pf->type0 || !pdf) {
        gw_set_err(err, errlen, "font not planned, or already emitted");
        return -1;
    }
    pf->type0 = gw_pdf_font_obj_new(pf, pdf);
    if (!pf->type0) {
        gw_set_err(err, errlen, "cannot create PDF font objects (libharu error 0x%04lX)",
                (unsigned long)HPDF_GetError(pdf));
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
        gw_set_err(err, errlen, "cannot create PDF font streams (libharu error 0x%04lX)",
                   (unsigned long)HPDF_GetError(pdf));
        return -1;
    }
    return 0;
}

HPDF_Dict gw_pdf_font_stream(const struct gw_pdf_font *pf, bool tounicode)
{
    return pf ? (tounicode ? pf->tounicode : pf->fontfile) : NULL;
}

/*
 * Compress the subset program (its first piece, if it is long: see
 * gw_pdf_font_program_rest). Touches only pf, so different fonts may be
 * done on different threads.
 */
int gw_pdf_font_program(struct gw_pdf_font *pf, struct gw_deflate *z)
{
    if (!pf)
        return -1;
    const char *why = !pf->planned ? "font not planned" : !z ? "out of memory" : NULL;
    if (why) {
        gw_set_err(pf->err, sizeof pf->err, "%s", why);
        return -1;
    }
    size_t len = pf->program.len;
    const char *data = pf->program.data;
    int rc = pf->cut ? gw_deflate_first(z, data, pf->cut, &pf->packed)
                     : gw_deflate(z, data, len, &pf->packed);
    if (rc == 0)
        rc = gw_deflate(z, pf->cmap.data, pf->cmap.len, &pf->packed_cmap);
    if (pf->cut) /* the joined stream's checksum; a whole one has its own */
        pf->adler = gw_deflate_adler32(1, data, len);
    if (rc != 0) {
        gw_set_err(pf->err, sizeof pf->err, "out of memory");
        pf->subset_size = 0;
    }
    return rc;
}

int gw_pdf_font_program_rest(struct gw_pdf_font *pf, struct gw_deflate *z)
{
    if (!pf || !pf->planned || !pf->cut)
        return 0; /* nothing to do; a failure is the first piece's to report */
    size_t len = pf->program.len;
    const char *data = pf->program.data;
    /* on failure rest stays empty, which gw_pdf_font_fill reports */
    return z && gw_deflate_rest(z, data + pf->cut, len - pf->cut, &pf->rest) == 0 ? 0 : -1;
}

/* Why gw_pdf_font_program failed. */
const char *gw_pdf_font_error(const struct gw_pdf_font *pf)
{
    return pf ? pf->err : "";
}

/* Put the compressed font program into its stream. */
int gw_pdf_font_fill(struct gw_pdf_font *pf, char *err, size_t errlen)
{
    if (!pf || !pf->fontfile || !pf->subset_size) {
        gw_set_err(err, errlen, "font not emitted or not programmed");
        return -1;
    }
    if (pf->cut) { /* join the pieces (once) */
        if (!pf->rest.len || gw_deflate_join(&pf->packed, &pf->rest, pf->adler) != 0) {
            gw_set_err(err, errlen, "cannot compress the font program (out of memory)");
            return -1;
        }
        pf->cut = 0;
        gw_buf_free(&pf->rest);
    }
    gw_buf_free(&pf->program);
    if (gw_pdf_put_deflated(pf->fontfile, pf->packed.data, pf->packed.len) != HPDF_OK ||
        gw_pdf_put_deflated(pf->tounicode, pf->packed_cmap.data, pf->packed_cmap.len) != HPDF_OK ||
        (!pf->cff && /* Length1: TrueType programs only */
         HPDF_Dict_AddNumber(pf->fontfile, "Length1", (HPDF_INT32)pf->subset_size) != HPDF_OK)) {
        gw_set_err(err, errlen, "cannot write the font program (out of memory)");
        return -1;
    }
    return 0; /* packed and packed_cmap are read when the document is saved */
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

/* CID of gid drawn with advance `width` (recorded by use_width), 0 if unknown. */
uint16_t gw_pdf_font_cid_width(const struct gw_pdf_font *pf, uint32_t gid, int width)
{
    if (!pf || !pf->planned)
        return 0;
    for (size_t i = 0; i < pf->nvariants; i++)
        if (pf->variants[i].gid == gid && pf->variants[i].width == width)
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
    free(pf->c2g);
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
