/*
 * gw_pdf_int.h: what the PDF module's files share (private to engine/pdf).
 *
 *   gw_pdf.c          the writer: libharu's document and memory pool, the
 *                     order of work, font and page objects, jobs on workers;
 *   gw_pdf_content.c  each page's content stream, from the display list;
 *   gw_pdf_file.c     libharu's output stream, the commit of the output file;
 *   gw_pdf_font.c     each font's subset, widths and ToUnicode (gw_pdf_font.h);
 *   gw_pdf_image.c    images decoded and checked before libharu embeds them
 *                     (gw_pdf_image.h; the only file with libpng and libjpeg);
 *   gw_deflate.c      compression (gw_deflate.h).
 */
#ifndef GW_PDF_INT_H
#define GW_PDF_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "../layout/gw_layout.h"
#include "../util/gw_buf.h"
#include "gw_pdf.h"
#include "gw_pdf_font.h"

/*
 * One page: its libharu object, the names its resources give our fonts and
 * images, and its compressed content.
 */
/* The name libharu gives a page's first ExtGState: the multiply blend a seal is drawn with. */
#define GW_PDF_MULTIPLY "E1"

struct gw_pdf_page {
    const struct gw_page *pg;
    HPDF_Page page;
    /* resource names, as libharu will give them: "F<n>" and "X<n>" in order of first use */
    char font_names[GW_MAX_FONTS][16];
    char (*image_names)[16]; /* one per image item, in order */
    bool blend_named;        /* the page's resources hold the multiply blend (GW_PDF_MULTIPLY) */
    struct gw_buf packed;
};

/* {===================== gw_pdf_content.c =============================== */

/*
 * Whether glyph i of it needs a code of its own (gw_pdf_font_use_width):
 * when it is set more than a tenth of an em narrower than the glyph (a
 * compressed mark), or drawn away from its box's left edge (a mark whose
 * ink the layout placed). Then *width is its box (1000 units, to 1/8 em)
 * and *shift where its outline sits from the box's edge (1000 units, to
 * 1/40 em).
 */
bool gw_pdf_variant(const struct gw_font *font, const struct gw_item *it, int i, int *width,
                    int *shift);

/*
 * Name a page's fonts and images the way libharu's resource dictionary will
 * (F1, F2, ... and X1, X2, ... in order of first use), so the page's content
 * can be written on a worker while the writer makes the libharu objects;
 * the writer then checks libharu agrees.
 */
void gw_pdf_name_resources(struct gw_pdf_page *pj);

/* The content stream of one page into b (emptied first); fonts by role index. */
void gw_pdf_page_content(struct gw_pdf_font *const *fonts, const struct gw_pdf_page *pj,
                         const struct gw_dlist *dl, const struct gw_fontset *fs, struct gw_buf *b);

/* }====================================================================== */

/* {===================== gw_pdf_file.c ================================== */

/* Save pdf into fd (which stays open). 0, or an errno value (-1: libharu failed). */
int gw_pdf_save_to(HPDF_Doc pdf, int fd);

/*
 * Commit out (taken over; util/gw_outfile.h) as path, the output of input:
 * 0, or -1 after reporting to diag (the old file stays).
 */
struct gw_outfile;
int gw_pdf_replace_output(struct gw_outfile *out, const char *input, const char *path,
                          struct gw_diag *diag);

/* }====================================================================== */

#endif /* GW_PDF_INT_H */
