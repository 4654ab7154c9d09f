/*
 * gw_pdf_font.h - embedding of TrueType and CFF fonts into libharu documents.
 *
 * This module owns struct gw_pdf_font: for one gw_font in one PDF
 * document, the set of glyphs drawn and the text each stands for.  When
 * the document's text is laid out, the font is subset (TrueType by
 * gw_ttf_subset, CFF by hb-subset) and
 * written as a Type0 font (Identity-H) over a CIDFontType2 with a FontFile2
 * stream (TrueType; CID == subset glyph id) or a CIDFontType0 with a
 * FontFile3 /CIDFontType0C stream (CFF; the font's own CIDs if it is
 * CID-keyed), with a FontDescriptor, a /W width array and a correct
 * ToUnicode CMap.
 *
 * libharu's own CID/UTF-8 font path is bypassed entirely: the objects are
 * built with libharu's internal object layer (hpdf_objects.h), so the
 * document owns them; their compressed streams stay in the gw_pdf_font, so
 * it is freed after the document is saved.  Drawing is done by
 * the caller with raw text operators: "/Fn size Tf (...) Tj", where each
 * code is 2 bytes from gw_pdf_font_cid() and /Fn comes from
 * HPDF_Page_GetLocalFontName(page, (HPDF_Font)gw_pdf_font_dict(pf)).
 */
#ifndef GW_PDF_FONT_H
#define GW_PDF_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "../font/gw_font.h"

/* One embedded font of one document: glyphs used and their text. */
struct gw_pdf_font;

/*
 * Start collecting glyph uses of font f (f must outlive the result).
 * Returns NULL only when out of memory.
 */
struct gw_pdf_font *gw_pdf_font_new(const struct gw_font *f);

/*
 * Record that glyph `gid` was drawn standing for code points
 * cps[0..n-1] (usually n == 1; n == 0 records the glyph without text).
 * The first call for a gid fixes its ToUnicode text.  Errors (gid out of
 * range, out of memory) are remembered and reported by
 * gw_pdf_font_build(); uses after a successful build are ignored.
 */
void gw_pdf_font_use(struct gw_pdf_font *pf, uint32_t gid, const uint32_t *cps, int n);

/* Number of distinct glyphs recorded so far. */
size_t gw_pdf_font_glyphs_used(const struct gw_pdf_font *pf);

/*
 * After all uses are recorded, a font is embedded in five steps, each
 * returning 0, or -1 with a one-line message:
 *
 *  1. gw_pdf_font_plan: plan the subset (this fixes every glyph's CID, so
 *     gw_pdf_font_cid works from here on), /W and the ToUnicode CMap, and
 *     make the subset program. It touches only pf, so fonts may be planned
 *     on different threads.
 *  2. gw_pdf_font_emit: create the font objects in pdf (FontDescriptor,
 *     CIDFont, Type0); pages can name the font from here on.
 *  3. gw_pdf_font_emit_streams: create the program and ToUnicode stream
 *     objects, still empty (a separate step, so that they can come after
 *     the pages in the file; gw_pdf_font_stream returns them).
 *  4. gw_pdf_font_program: compress the subset program with z. It
 *     touches only pf, so fonts may be compressed on worker threads while
 *     the caller writes pages (message: gw_pdf_font_error). A long program
 *     is compressed in two pieces: gw_pdf_font_program_rest does the
 *     second one (on another thread at the same time, or after program on
 *     the same one), and returns at once when there is no second piece.
 *  5. gw_pdf_font_fill: put the program and the CMap into their streams
 *     (at the latest while the document is saved).
 *
 * gw_pdf_font_build does all five on the calling thread. Each step runs
 * once per gw_pdf_font. On failure the document may hold unreferenced
 * objects; nothing is drawn with them.
 */
struct gw_deflate;
int gw_pdf_font_plan(struct gw_pdf_font *pf, char *err, size_t errlen);
int gw_pdf_font_emit(struct gw_pdf_font *pf, HPDF_Doc pdf, char *err, size_t errlen);
int gw_pdf_font_emit_streams(struct gw_pdf_font *pf, HPDF_Doc pdf, char *err, size_t errlen);
/* The program's (tounicode false) or the ToUnicode CMap's stream dict, once emitted. */
HPDF_Dict gw_pdf_font_stream(const struct gw_pdf_font *pf, bool tounicode);
int gw_pdf_font_program(struct gw_pdf_font *pf, struct gw_deflate *z);
int gw_pdf_font_program_rest(struct gw_pdf_font *pf, struct gw_deflate *z);
const char *gw_pdf_font_error(const struct gw_pdf_font *pf);
/* After a failed gw_pdf_font_plan: the glyph whose record the font file
 * could not give (it is damaged), or UINT32_MAX (another failure). */
uint32_t gw_pdf_font_damaged_glyph(const struct gw_pdf_font *pf);
int gw_pdf_font_fill(struct gw_pdf_font *pf, char *err, size_t errlen);
int gw_pdf_font_build(struct gw_pdf_font *pf, HPDF_Doc pdf, char *err, size_t errlen);

/* The Type0 font dict (an indirect object of the document), or NULL
 * before a successful build. */
HPDF_Dict gw_pdf_font_dict(const struct gw_pdf_font *pf);

/* CID for original glyph gid after plan (0, i.e. .notdef, for glyphs
 * that were never recorded or before plan). */
uint16_t gw_pdf_font_cid(const struct gw_pdf_font *pf, uint32_t gid);

/* Size in bytes of the subset font program (0 before build). */
size_t gw_pdf_font_subset_size(const struct gw_pdf_font *pf);

/* Free the collector.  PDF objects belong to the HPDF_Doc and stay. */
void gw_pdf_font_free(struct gw_pdf_font *pf);

/*
 * Width variants: a glyph set with an advance other than its own (a
 * compressed punctuation mark), or with its outline moved inside its box
 * (a mark whose ink the layout placed), gets a CID of its own whose /W
 * width is that advance, so text extraction sees boxes that do not overlap
 * and leave no gaps. `width` is in 1000-unit glyph space, `shift` how far
 * right the outline moves from the code's origin (1000 units): the subset
 * gets a moved copy of the glyph (a TrueType composite, a CFF charstring).
 * Record with use_width before build; look up after.
 */
void gw_pdf_font_use_width(struct gw_pdf_font *pf, uint32_t gid, int width, int shift,
                           const uint32_t *cps, int n);
uint16_t gw_pdf_font_cid_width(const struct gw_pdf_font *pf, uint32_t gid, int width, int shift);

/*
 * Parse CFF table c[0..n) (untrusted font data): is it CID-keyed, and (if
 * so and cid != NULL) the CID of each of its nglyphs glyphs, from its
 * charset. False if the table is damaged. Used for CFF embedding; exposed
 * for the unit tests.
 */
bool gw_pdf_cff_charset(const unsigned char *c, size_t n, unsigned nglyphs, bool *cid_keyed,
                        uint16_t *cid);

#endif /* GW_PDF_FONT_H */
