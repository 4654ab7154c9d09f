/*
 * gw_pdf_font_widths.c - a CID font's widths: /DW and the /W array (PDF module).
 *
 * Owns gw_pdf_font_widths_make, which turns the advances of the glyphs used
 * (sorted by CID) and the width variants into the text of /W, written
 * verbatim into the CIDFont dict by gw_pdf_font_obj.c. Calls only gw_font
 * for advances and gw_buf.
 */
#include <math.h>
#include <stdlib.h>

#include "gw_pdf_font_int.h"

/* Width of a glyph in tenths of PDF glyph units (1/10000 em). */
static long width10(const struct gw_pdf_font *pf, uint32_t gid)
{
    return lround(gw_font_advance(pf->font, gid) * 10000.0);
}

/*
 * Appending numbers without printf: the /W array and the ToUnicode CMap
 * have an entry per glyph, and vsnprintf was 3% of the seed's instructions.
 */
static void sb_uint(struct gw_buf *b, unsigned long v)
{
    char d[24];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    gw_buf_grow(b, (size_t)n);
    while (n > 0)
        b->data[b->len++] = d[--n];
    b->data[b->len] = '\0';
}

/* " " before every entry of an array but the first ("[" is w's only byte then). */
static void sb_sep(struct gw_buf *b)
{
    if (b->len > 1)
        gw_buf_addc(b, ' ');
}

/* Append a width given in tenths of units as "500" or "488.3". */
static void sb_width(struct gw_buf *b, long w10)
{
    if (w10 < 0)
        gw_buf_addc(b, '-');
    unsigned long a = (unsigned long)labs(w10);
    sb_uint(b, a / 10);
    if (a % 10) {
        gw_buf_addc(b, '.');
        gw_buf_addc(b, (char)('0' + a % 10));
    }
}

/* qsort comparator for longs. */
static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/*
 * Compute /DW (the most common whole width; ties to the smaller) and the /W
 * array text for the glyphs, which must be sorted by CID.  Runs of
 * consecutive CIDs become "c [w1 w2 ...]", runs of 4+ equal widths
 * "c1 c2 w"; CIDs with the default width are left out.  Returns -1 when out
 * of memory.
 *
 * /DW is an integer in the PDF reference, and poppler (pdftoppm, evince,
 * pdftotext) reads a real there as absent, i.e. 1000: DejaVu's digits, all
 * 636.2 units wide and the most common width of a subset of numbers, were
 * then drawn 1000 units apart.  So a width with tenths never becomes /DW; it
 * goes into /W, where reals are read, and with no whole width at all /DW is
 * 1000, which no glyph then has.
 */
int gw_pdf_font_widths_make(const struct gw_pdf_font *pf, long *dw10, struct gw_buf *w)
{
    size_t n = pf->nglyphs, i, j;
    long *ws, *sorted, best = 10000;
    size_t bestcount = 0;

    *dw10 = 0;
    if (n == 0)
        return 0;
    ws = malloc(2 * n * sizeof *ws);
    if (!ws)
        return -1;
    sorted = ws + n;
    for (i = 0; i < n; i++)
        ws[i] = sorted[i] = width10(pf, pf->glyphs[i].gid);
    qsort(sorted, n, sizeof *sorted, cmp_long);
    for (i = 0; i < n; i = j) {
        for (j = i; j < n && sorted[j] == sorted[i]; j++)
            ;
        if (j - i > bestcount && sorted[i] % 10 == 0) {
            bestcount = j - i;
            best = sorted[i];
        }
    }
    *dw10 = best;

    gw_buf_printf(w, "[");
    i = 0;
    while (i < n) {
        size_t end, k;

        if (ws[i] == best) {
            i++;
            continue;
        }
        /* maximal run of consecutive CIDs without a default width */
        for (end = i + 1;
             end < n && pf->glyphs[end].cid == pf->glyphs[end - 1].cid + 1 && ws[end] != best;
             end++)
            ;
        k = i;
        while (k < end) {
            size_t same, list;

            for (same = k + 1; same < end && ws[same] == ws[k]; same++)
                ;
            if (same - k >= 4) {
                sb_sep(w);
                sb_uint(w, pf->glyphs[k].cid);
                gw_buf_addc(w, ' ');
                sb_uint(w, pf->glyphs[same - 1].cid);
                gw_buf_addc(w, ' ');
                sb_width(w, ws[k]);
                k = same;
                continue;
            }
            /* list form up to the next run of 4+ equal widths */
            for (list = k; list < end; list++) {
                size_t s;

                for (s = list + 1; s < end && ws[s] == ws[list]; s++)
                    ;
                if (s - list >= 4)
                    break;
            }
            sb_sep(w);
            sb_uint(w, pf->glyphs[k].cid);
            gw_buf_adds(w, " [");
            for (; k < list; k++) {
                sb_width(w, ws[k]);
                if (k + 1 < list)
                    gw_buf_addc(w, ' ');
            }
            gw_buf_addc(w, ']');
        }
        i = end;
    }
    for (i = 0; i < pf->nvariants; i++)
        gw_buf_printf(w, "%s%u [%d]", w->len > 1 ? " " : "", pf->variants[i].cid,
                  pf->variants[i].width);
    gw_buf_printf(w, "]");
    free(ws);
    return 0;
}
