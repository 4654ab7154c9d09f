/*
 * gw_pdf_font_cmap.c - the ToUnicode CMap (PDF module).
 *
 * Owns gw_pdf_font_cmap_make, which writes the CMap that maps each CID
 * (glyphs sorted by CID, then width variants) to the text it stands for:
 * bfrange for runs of consecutive code points, bfchar for the rest, in
 * UTF-16BE. Calls only gw_buf.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "gw_pdf_font_int.h"

#define GW_CMAP_BLOCK 100 /* entries per bfchar/bfrange block */

/* Four upper-case hex digits of v (<= 0xFFFF), as "%04X". */
static void sb_hex4(struct gw_buf *b, unsigned v)
{
    static const char hex[] = "0123456789ABCDEF";
    char d[4] = {hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15]};
    gw_buf_add(b, d, 4);
}

/* True if cp is a Unicode scalar value (not a surrogate, <= U+10FFFF). */
static bool valid_cp(uint32_t cp)
{
    return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
}

/* Append the UTF-16BE hex of cps (invalid ones as U+FFFD). */
static void sb_utf16(struct gw_buf *b, const uint32_t *cps, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n; i++) {
        uint32_t cp = valid_cp(cps[i]) ? cps[i] : 0xFFFD;

        if (cp < 0x10000) {
            sb_hex4(b, cp);
        } else {
            cp -= 0x10000;
            sb_hex4(b, 0xD800 + (cp >> 10));
            sb_hex4(b, 0xDC00 + (cp & 0x3FF));
        }
    }
}

/* True if glyph g maps to one BMP code point (usable in a bfrange). */
static bool bmp_single(const struct gw_pdf_font *pf, const struct gw_pdf_glyph *g)
{
    uint32_t cp;

    if (g->ntext != 1)
        return false;
    cp = pf->text[g->text];
    return cp < 0x10000 && valid_cp(cp);
}

/*
 * Length of the bfrange starting at glyphs[i] (1 if none): consecutive
 * CIDs mapping to consecutive BMP code points, with neither the CIDs nor
 * the code points leaving their high byte.
 */
static size_t range_len(const struct gw_pdf_font *pf, size_t i)
{
    const struct gw_pdf_glyph *g = pf->glyphs;
    size_t j;

    if (!bmp_single(pf, &g[i]))
        return 1;
    for (j = i + 1; j < pf->nglyphs; j++) {
        uint32_t cp0 = pf->text[g[i].text];

        if (!bmp_single(pf, &g[j]) || g[j].cid != g[j - 1].cid + 1 ||
            pf->text[g[j].text] != pf->text[g[j - 1].text] + 1 ||
            (g[j].cid >> 8) != (g[i].cid >> 8) || (pf->text[g[j].text] >> 8) != (cp0 >> 8))
            break;
    }
    return j - i;
}

/*
 * Build the ToUnicode CMap text for the glyphs (sorted by CID):
 * bfchar for single mappings, bfrange for runs, blocks of at most
 * GW_CMAP_BLOCK entries.  Returns -1 when out of memory.
 */
int gw_pdf_font_cmap_make(const struct gw_pdf_font *pf, struct gw_buf *b)
{
    size_t i, nchar = 0, nrange = 0, k;
    size_t *chars, *ranges, *rlen;

    chars = malloc(3 * (pf->nglyphs + 1) * sizeof *chars);
    if (!chars)
        return -1;
    ranges = chars + pf->nglyphs + 1;
    rlen = ranges + pf->nglyphs + 1;
    for (i = 0; i < pf->nglyphs;) {
        size_t r;

        if (pf->glyphs[i].ntext == 0) {
            i++;
            continue;
        }
        r = range_len(pf, i);
        if (r >= 2) {
            ranges[nrange] = i;
            rlen[nrange++] = r;
        } else {
            chars[nchar++] = i;
        }
        i += r;
    }

    gw_buf_printf(b, "/CIDInit /ProcSet findresource begin\n"
                 "12 dict begin\n"
                 "begincmap\n"
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                 "/Supplement 0 >> def\n"
                 "/CMapName /Adobe-Identity-UCS def\n"
                 "/CMapType 2 def\n"
                 "1 begincodespacerange\n"
                 "<0000> <FFFF>\n"
                 "endcodespacerange\n");
    for (k = 0; k < nchar; k++) {
        const struct gw_pdf_glyph *g = &pf->glyphs[chars[k]];

        if (k % GW_CMAP_BLOCK == 0)
            gw_buf_printf(b, "%zu beginbfchar\n",
                      nchar - k < GW_CMAP_BLOCK ? nchar - k : GW_CMAP_BLOCK);
        gw_buf_addc(b, '<');
        sb_hex4(b, g->cid);
        gw_buf_adds(b, "> <");
        sb_utf16(b, pf->text + g->text, g->ntext);
        gw_buf_adds(b, ">\n");
        if (k % GW_CMAP_BLOCK == GW_CMAP_BLOCK - 1 || k + 1 == nchar)
            gw_buf_printf(b, "endbfchar\n");
    }
    for (k = 0; k < nrange; k++) {
        const struct gw_pdf_glyph *g = &pf->glyphs[ranges[k]];

        if (k % GW_CMAP_BLOCK == 0)
            gw_buf_printf(b, "%zu beginbfrange\n",
                      nrange - k < GW_CMAP_BLOCK ? nrange - k : GW_CMAP_BLOCK);
        gw_buf_addc(b, '<');
        sb_hex4(b, g->cid);
        gw_buf_adds(b, "> <");
        sb_hex4(b, (unsigned)(g->cid + rlen[k] - 1));
        gw_buf_adds(b, "> <");
        sb_hex4(b, pf->text[g->text]);
        gw_buf_adds(b, ">\n");
        if (k % GW_CMAP_BLOCK == GW_CMAP_BLOCK - 1 || k + 1 == nrange)
            gw_buf_printf(b, "endbfrange\n");
    }
    for (k = 0; k < pf->nvariants; k++) {
        const struct gw_pdf_variant *v = &pf->variants[k];
        const struct gw_pdf_glyph *g = &pf->glyphs[gw_pdf_font_slot(pf, v->gid) - 1];

        if (k % GW_CMAP_BLOCK == 0)
            gw_buf_printf(b, "%zu beginbfchar\n",
                      pf->nvariants - k < GW_CMAP_BLOCK ? pf->nvariants - k : GW_CMAP_BLOCK);
        gw_buf_printf(b, "<%04X> <", (unsigned)v->cid);
        if (g->ntext)
            sb_utf16(b, pf->text + g->text, g->ntext);
        else
            gw_buf_printf(b, "FFFD");
        gw_buf_printf(b, ">\n");
        if (k % GW_CMAP_BLOCK == GW_CMAP_BLOCK - 1 || k + 1 == pf->nvariants)
            gw_buf_printf(b, "endbfchar\n");
    }
    gw_buf_printf(b, "endcmap\n"
                 "CMapName currentdict /CMap defineresource pop\n"
                 "end\n"
                 "end\n");
    free(chars);
    return 0;
}
