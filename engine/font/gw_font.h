/*
 * gw_font.h - font data access for gongwen.
 *
 * This module owns one loaded face of a TrueType/OpenType font file
 * (struct gw_font): the memory-mapped file and the few facts the layout
 * engine and the PDF embedder need (glyph lookup, advances, vertical
 * metrics, names, raw tables).  It also owns installed-font lookup by
 * family name through fontconfig.
 *
 * All metrics are returned in em units (font units / unitsPerEm), so a
 * value in points is size_pt * metric.  TrueType (glyf) and
 * CFF-flavoured OpenType ('CFF ') are accepted; CFF2 (variable) is not.
 * The tables are read by the module itself (gw_sfnt.c); HarfBuzz serves
 * only CFF fonts (their glyph extents and subsets).
 *
 * The module knows nothing of PDF.
 */
#ifndef GW_FONT_H
#define GW_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One face of a font file (TTC faces are selected by index). Opaque. */
struct gw_font;

/*
 * Open face `index` of the TrueType/OpenType file at `path`.
 * On failure returns NULL and writes a one-line reason into err
 * (e.g. "cannot read font file", "not a font file", "face 3 not in
 * collection", "font has CFF2 outlines (variable fonts are not supported)").
 */
struct gw_font *gw_font_open(const char *path, unsigned index, char *err, size_t errlen);

/*
 * Open face `index` for its names and style only (gw_font_family, _style,
 * _style_distance, _name_match, _face_count, _path, _index, _is_cff): the
 * checks only drawing needs are skipped and HarfBuzz is not loaded, so a
 * folder of CFF fonts can be searched by name cheaply. Open the face with
 * gw_font_open to use it.
 */
struct gw_font *gw_font_open_names(const char *path, unsigned index, char *err, size_t errlen);

/* Release a font opened by gw_font_open (NULL is accepted). */
void gw_font_free(struct gw_font *f);

/*
 * Nominal glyph for code point cp (any plane).  Returns false if the
 * font has no glyph for it (glyph 0, .notdef, counts as missing).
 */
bool gw_font_glyph(const struct gw_font *f, uint32_t cp, uint32_t *gid);

/* Horizontal advance of glyph gid in em (0 for out-of-range gids). */
double gw_font_advance(const struct gw_font *f, uint32_t gid);

/* Ascender in em (positive), from hhea or OS/2 as the font asks. */
double gw_font_ascent(const struct gw_font *f);

/* Descender in em (negative). */
double gw_font_descent(const struct gw_font *f);

/* Cap height in em (OS/2 sCapHeight, or the ascent if absent). */
double gw_font_cap_height(const struct gw_font *f);

/*
 * Font bounding box from the 'head' table in em:
 * bbox[0] = xMin, bbox[1] = yMin, bbox[2] = xMax, bbox[3] = yMax.
 */
void gw_font_bbox(const struct gw_font *f, double bbox[4]);

/* Units per em of the face (16..16384). */
unsigned gw_font_upem(const struct gw_font *f);

/* File path the font was opened from. */
const char *gw_font_path(const struct gw_font *f);

/* Face index inside the file (0 for plain TTF). */
unsigned gw_font_index(const struct gw_font *f);
/* True for PostScript-flavoured OpenType (a 'CFF ' table); false for TrueType (glyf). */
bool gw_font_is_cff(const struct gw_font *f);

/*
 * Family name (the typographic family, name id 16, else name id 1; English/
 * ASCII preferred) or the file stem.
 */
const char *gw_font_family(const struct gw_font *f);

/* Style name (name id 17, else 2: "Regular", "Bold"); "Regular" if it has none. */
const char *gw_font_style(const struct gw_font *f);

/*
 * How far the face is from upright Regular (0): the weight's distance from
 * 400, bold style bits counting as 700; 1000 more if italic; 10 a width
 * step. Chooses the face a family name stands for.
 */
int gw_font_style_distance(const struct gw_font *f);

/* Number of faces in the file the face comes from (1 unless a collection). */
unsigned gw_font_face_count(const struct gw_font *f);

/*
 * Does `name` name this face? 2 if it is the face's full or PostScript name
 * ("FandolSong-Bold"), 1 if it is one of its family names in any language
 * ("FandolFang" and "FandolFang R"; "文鼎ＰＬ简报宋"), 0 if neither. ASCII
 * case is ignored, as fontconfig does.
 */
int gw_font_name_match(const struct gw_font *f, const char *name);

/*
 * PostScript name (name id 6) reduced to PDF-name-safe ASCII
 * [A-Za-z0-9-_]; derived from the file name if the font has none.
 */
const char *gw_font_psname(const struct gw_font *f);

/* Number of glyphs in the face (maxp.numGlyphs, always > 0). */
unsigned gw_font_glyph_count(const struct gw_font *f);

/*
 * Raw bytes of table `tag` (e.g. 0x676C7966 for 'glyf') of the face, in
 * the mapped file, and its length; NULL (and *len = 0) if the face has no
 * such table.  Every table lies inside the file (checked at open).
 */
const unsigned char *gw_font_table(const struct gw_font *f, uint32_t tag, size_t *len);

/*
 * Glyph gid's record in the glyf table (TrueType), in the mapped file, and
 * its length; NULL (and *len = 0) for an empty or damaged entry, a gid out
 * of range, or a CFF font.
 */
const unsigned char *gw_font_glyph_record(const struct gw_font *f, uint32_t gid, size_t *len);

/*
 * Glyph gid's horizontal metrics in font units from hmtx: its advance (the
 * last long metric's for glyphs past them) and left side bearing.  False
 * if hmtx has no entry for gid (then layout takes its advance as 0, as
 * HarfBuzz does).
 */
bool gw_font_hmetrics(const struct gw_font *f, uint32_t gid, unsigned *advance, int *lsb);

/*
 * The hb_face_t * of the face (made on first use), for the PDF embedder's
 * CFF subsets.  Owned by f; NULL if HarfBuzz cannot read the face.
 */
void *gw_font_hb_face(const struct gw_font *f);

/*
 * Look up an installed font by family name through fontconfig.  The name
 * must equal (ignoring case, as fontconfig does) one of the family names
 * of a font, e.g. "AR PL SungtiL GB" or "文鼎ＰＬ简报宋", or else a face's
 * PostScript or full name ("FandolSong-Bold"); no substitute is ever
 * returned.  Among the faces of that family the upright one with weight
 * closest to Regular (Regular/Book/Medium before Bold/Light, a style named
 * Bold counting even where the weight says 400) and glyf outlines is
 * chosen.  Writes the file path and face index and
 * returns 0, or returns -1 if no such family is installed (or the path
 * does not fit in pathlen).
 *
 * Answers are cached across runs (see gw_fontfind.c): while no font
 * directory or fontconfig configuration has changed, fontconfig is not
 * started at all.
 */
int gw_font_find(const char *family, char *path, size_t pathlen, unsigned *index);

/*
 * gw_font_find without the cache: fontconfig's own answer, which then
 * replaces the cached one. For an answer that turned out not to be that
 * family's font (a cache file written by something else).
 */
int gw_font_find_again(const char *family, char *path, size_t pathlen, unsigned *index);

/* How many gw_font_find calls the cache answered, and how many asked fontconfig. */
void gw_font_find_stats(int *hits, int *misses);
/*
 * Every installed family that covers Simplified Chinese (fontconfig's
 * zh-cn), once, sorted: each its names one per line ("LXGW WenKai\n霞鹜文楷"),
 * a malloc'd array of malloc'd strings in *families; the count (0 if
 * fontconfig cannot start).
 */
int gw_font_list_cjk(char ***families);

/* Horizontal ink extent of glyph gid in em, relative to its origin; false if it has no ink. */
bool gw_font_ink(const struct gw_font *f, uint32_t gid, double *x0, double *x1);

/* Release fontconfig's process-wide state and the lookup cache; call at exit, after every lookup. */
void gw_font_shutdown(void);

#endif /* GW_FONT_H */
