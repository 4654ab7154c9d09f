/*
 * gw_sfnt.h - the few OpenType tables gongwen reads itself (font module).
 *
 * Layout asks a font three things thousands of times: the glyph of a
 * character (cmap), its advance (hmtx) and, for punctuation, its ink.
 * These readers answer them straight from the mapped font file, as
 * HarfBuzz does for a font without variations, so that a TrueType font
 * needs neither HarfBuzz nor its dependencies (GLib, graphite2,
 * FreeType), which cost a millisecond to load in every run.  They also
 * read the name table.  Every reader checks its bounds: a damaged table
 * gives "no glyph" or "no name", never a read outside it.
 *
 * Used by gw_font.c only.
 */
#ifndef GW_SFNT_H
#define GW_SFNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/gw_bytes.h"

/* The cmap subtable a font's characters are looked up in. */
struct gw_sfnt_cmap {
    const unsigned char *sub; /* the subtable, or NULL: no usable cmap */
    size_t len;               /* its bytes (bounded by the table's end) */
    unsigned format;          /* 0, 4, 6, 10, 12 or 13 */
    bool symbol;              /* a (3,0) symbol subtable: U+00xx is also tried at U+F0xx */
};

/*
 * Choose the subtable HarfBuzz would (Unicode full repertoire first, then
 * BMP, then symbol) from the cmap table's bytes.  False if there is none.
 */
bool gw_sfnt_cmap_init(struct gw_sfnt_cmap *c, const unsigned char *cmap, size_t len);

/* Glyph of code point cp, or 0 (.notdef) if the subtable has none. */
uint32_t gw_sfnt_cmap_glyph(const struct gw_sfnt_cmap *c, uint32_t cp);

/*
 * The best record of name `id` as UTF-8 in buf: English ASCII first, then
 * any ASCII, then anything (Windows, then Unicode, then Macintosh records,
 * US English first among equals).  False (and buf = "") if there is none.
 */
bool gw_sfnt_name(const unsigned char *name, size_t len, unsigned id, char *buf, size_t buflen);

/*
 * Does any record of name `id`, in any language, equal want (ignoring ASCII
 * case)? A family is known by all its names: "FandolFang" and "FandolFang R",
 * "AR PL SungtiL GB" and "文鼎ＰＬ简报宋".
 */
bool gw_sfnt_name_is(const unsigned char *name, size_t len, unsigned id, const char *want);

#endif /* GW_SFNT_H */
