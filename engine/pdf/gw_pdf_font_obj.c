/*
 * gw_pdf_font_obj.c - a font's PDF objects (PDF module).
 *
 * Owns the objects of an embedded font, made with libharu's internal object
 * layer so that the document owns them: FontDescriptor, CIDFont (with /W
 * written verbatim by a write hook, /DW, CIDToGIDMap) and Type0, and then
 * the program and ToUnicode streams, still empty (gw_pdf_font_pack.c fills
 * them). Every object is handed to the document as soon as it exists, so a
 * failure part-way leaks nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "gw_pdf_font_int.h"

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
    /* a whole number (gw_pdf_font_widths_make): poppler reads a real /DW as none */
    ret += HPDF_Dict_AddNumber(cf, "DW", (HPDF_INT32)(dw10 / 10));
    if (!pf->cff) { /* a CIDFontType0 finds glyphs through its charset */
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
