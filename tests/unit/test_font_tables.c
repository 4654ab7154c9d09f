/*
 * test_font_tables.c - unit test for the tables gw_font reads itself
 * (engine/font/gw_font.c, gw_sfnt.c).
 *
 * HarfBuzz, on its own mapping of each file, is the oracle: over every
 * installed test font (TrueType, a TTC face, CFF faces of a TTC), the
 * glyph of every code point of the BMP and of planes 2-3, the advance of
 * every glyph, the ascender, descender and cap height, the family and
 * PostScript names and the ink extents of glyphs must be what HarfBuzz
 * gives.  Small hand-made cmap and name tables check what the installed
 * fonts lack: formats 0, 6, 10 and 13, symbol fonts, damaged tables.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb-ot.h>
#include <hb.h>

#include "../../engine/font/gw_font.h"
#include "../../engine/font/gw_sfnt.h"
#include "../../engine/read/gw_read.h"
#include "harness.h"

#define FONTS "/usr/share/fonts/"

/* The old HarfBuzz-based name choice: English ASCII, then ASCII, then anything. */
static void hb_best_name(hb_face_t *face, hb_ot_name_id_t id, char *buf, size_t buflen)
{
    unsigned n = 0;
    const hb_ot_name_entry_t *names = hb_ot_name_list_names(face, &n);
    int best = -1;

    buf[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        char tmp[128];
        unsigned size = sizeof tmp;
        if (names[i].name_id != id)
            continue;
        hb_ot_name_get_utf8(face, id, names[i].language, &size, tmp);
        bool ascii = tmp[0] != 0;
        for (const char *p = tmp; *p; p++)
            ascii = ascii && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f;
        const char *lang = hb_language_to_string(names[i].language);
        int score = ascii ? (lang && !strncmp(lang, "en", 2) ? 3 : 2) : 0;
        if (tmp[0] && score > best) {
            best = score;
            snprintf(buf, buflen, "%s", tmp);
        }
    }
}

static void like_harfbuzz(const char *path, unsigned index)
{
    char err[200] = "";
    struct gw_font *f = gw_font_open(path, index, err, sizeof err);
    if (!OK(f != NULL, "open %s #%u: %s", path, index, err))
        return;
    hb_blob_t *blob = hb_blob_create_from_file(path);
    hb_face_t *face = hb_face_create(blob, index);
    hb_font_t *font = hb_font_create(face);
    unsigned upem = hb_face_get_upem(face), n = hb_face_get_glyph_count(face);
    hb_font_set_scale(font, (int)upem, (int)upem);
    INT_EQ(gw_font_upem(f), upem);
    INT_EQ(gw_font_glyph_count(f), n);

    /* cmap: every code point of the BMP and of planes 2 and 3 */
    long bad_cp = -1, found = 0;
    for (uint32_t cp = 0; cp < 0x40000 && bad_cp < 0; cp++) {
        if (cp == 0x10000)
            cp = 0x20000;
        hb_codepoint_t hg = 0;
        uint32_t g = 0;
        bool want = hb_font_get_nominal_glyph(font, cp, &hg) && hg != 0 && hg < n;
        bool got = gw_font_glyph(f, cp, &g);
        if (got != want || (got && g != hg))
            bad_cp = cp;
        found += got;
    }
    OK(bad_cp < 0, "%s: glyph of U+%04lX differs from HarfBuzz's", path, (unsigned long)bad_cp);
    OK(found > 100, "%s: only %ld characters found", path, found);

    /* advances of every glyph, ink of a spread of them */
    long bad_adv = -1, bad_ink = -1;
    for (uint32_t g = 0; g < n && bad_adv < 0; g++)
        if (lround(gw_font_advance(f, g) * upem) != hb_font_get_glyph_h_advance(font, g))
            bad_adv = g;
    OK(bad_adv < 0, "%s: advance of glyph %ld differs", path, bad_adv);
    for (uint32_t g = 0; g < n && bad_ink < 0; g += 1 + n / 4000) {
        hb_glyph_extents_t e;
        double x0 = 0, x1 = 0;
        bool want = hb_font_get_glyph_extents(font, g, &e) && e.width != 0;
        bool got = gw_font_ink(f, g, &x0, &x1);
        long left = e.width < 0 ? (long)e.x_bearing + e.width : e.x_bearing;
        if (got != want ||
            (got && (lround(x0 * upem) != left || lround(x1 * upem) != left + labs((long)e.width))))
            bad_ink = g;
    }
    OK(bad_ink < 0, "%s: ink of glyph %ld differs", path, bad_ink);

    /* vertical metrics and names */
    hb_font_extents_t ext;
    hb_position_t cap = 0;
    hb_font_get_h_extents(font, &ext);
    /* gw_font's own defaults stand in for a zero (or wrong-signed) ascender or descender */
    double asc = ext.ascender > 0 ? (double)ext.ascender / upem : 0.88;
    double desc = ext.descender < 0 ? (double)ext.descender / upem : -0.12;
    DBL_NEAR(gw_font_ascent(f), asc, 1e-9);
    DBL_NEAR(gw_font_descent(f), desc, 1e-9);
    bool has_cap = hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) && cap > 0;
    DBL_NEAR(gw_font_cap_height(f), has_cap ? (double)cap / upem : asc, 1e-9);
    char name[128];
    hb_best_name(face, HB_OT_NAME_ID_FONT_FAMILY, name, sizeof name);
    STR_EQ(gw_font_family(f), name);
    hb_best_name(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, name, sizeof name);
    char safe[64] = "";
    for (size_t i = 0, k = 0; name[i] && k + 1 < sizeof safe; i++)
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", name[i]))
            safe[k++] = name[i], safe[k] = '\0';
    STR_EQ(gw_font_psname(f), safe);

    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    gw_font_free(f);
}

static void test_installed_fonts(void)
{
    like_harfbuzz(FONTS "truetype/cwtex/cwfs.ttf", 0);
    like_harfbuzz(FONTS "truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0);
    like_harfbuzz(FONTS "truetype/arphic-gkai00mp/gkai00mp.ttf", 0);
    like_harfbuzz(FONTS "truetype/wqy/wqy-zenhei.ttc", 0);
    like_harfbuzz(FONTS "truetype/wqy/wqy-zenhei.ttc", 2);
    like_harfbuzz(FONTS "truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0);
    like_harfbuzz(FONTS "truetype/dejavu/DejaVuSans.ttf", 0);
    like_harfbuzz(FONTS "truetype/dejavu/DejaVuSerif-Bold.ttf", 0);
    like_harfbuzz(FONTS "opentype/noto/NotoSerifCJK-Regular.ttc", 0);
    like_harfbuzz(FONTS "opentype/noto/NotoSansCJK-Bold.ttc", 3);
}

/* Append big-endian values to a byte array. */
static size_t put(unsigned char *b, size_t at, int bytes, uint32_t v)
{
    for (int i = bytes - 1; i >= 0; i--)
        b[at++] = (unsigned char)(v >> (8 * i));
    return at;
}

/* A cmap table with one subtable (platform, encoding) holding body[0..n). */
static size_t one_subtable(unsigned char *b, unsigned platform, unsigned encoding,
                           const unsigned char *body, size_t n)
{
    size_t at = put(b, 0, 2, 0);
    at = put(b, at, 2, 1);
    at = put(b, at, 2, platform);
    at = put(b, at, 2, encoding);
    at = put(b, at, 4, 12);
    memcpy(b + at, body, n);
    return at + n;
}

/* A cmap of one subtable must choose it and map each {code point, glyph} of want. */
static void expect(const char *what, unsigned platform, unsigned encoding, const unsigned char *sub,
                   size_t n, unsigned format, const uint32_t (*want)[2], size_t nwant)
{
    unsigned char t[700];
    struct gw_sfnt_cmap c;
    size_t len = one_subtable(t, platform, encoding, sub, n);

    OK(gw_sfnt_cmap_init(&c, t, len) && c.format == format, "%s: format %u chosen", what, format);
    for (size_t i = 0; i < nwant; i++)
        OK(gw_sfnt_cmap_glyph(&c, want[i][0]) == want[i][1], "%s: U+%04X -> %u, got %u", what,
           (unsigned)want[i][0], (unsigned)want[i][1],
           (unsigned)gw_sfnt_cmap_glyph(&c, want[i][0]));
}

static void test_cmap_formats(void)
{
    unsigned char sub[600], t[700];
    struct gw_sfnt_cmap c;
    size_t n, at;

    /* format 0: bytes */
    memset(sub, 0, sizeof sub);
    put(sub, 0, 2, 0), put(sub, 2, 2, 262);
    sub[6 + 'A'] = 7;
    n = one_subtable(t, 0, 3, sub, 262);
    OK(gw_sfnt_cmap_init(&c, t, n) && c.format == 0, "format 0 chosen");
    INT_EQ(gw_sfnt_cmap_glyph(&c, 'A'), 7);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 'B'), 0);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0x4E00), 0);

    /* format 6: a trimmed array from U+4E00 */
    at = put(sub, 0, 2, 6), at = put(sub, at, 2, 16), at = put(sub, at, 2, 0);
    at = put(sub, at, 2, 0x4E00), at = put(sub, at, 2, 3);
    at = put(sub, at, 2, 11), at = put(sub, at, 2, 0), at = put(sub, at, 2, 13);
    static const uint32_t f6[][2] = {
        {0x4E00, 11}, {0x4E01, 0}, {0x4E02, 13}, {0x4E03, 0}, {0x4DFF, 0}};
    expect("format 6", 3, 1, sub, at, 6, f6, 5);

    /* format 10: a trimmed array beyond the BMP */
    at = put(sub, 0, 2, 10), at = put(sub, at, 2, 0), at = put(sub, at, 4, 24);
    at = put(sub, at, 4, 0), at = put(sub, at, 4, 0x20BB7), at = put(sub, at, 4, 2);
    at = put(sub, at, 2, 21), at = put(sub, at, 2, 22);
    static const uint32_t f10[][2] = {{0x20BB7, 21}, {0x20BB8, 22}, {0x20BB9, 0}};
    expect("format 10", 3, 10, sub, at, 10, f10, 3);

    /* format 13: one glyph for a whole range (a last-resort font) */
    at = put(sub, 0, 2, 13), at = put(sub, at, 2, 0), at = put(sub, at, 4, 28);
    at = put(sub, at, 4, 0), at = put(sub, at, 4, 1);
    at = put(sub, at, 4, 0x3400), at = put(sub, at, 4, 0x4DBF), at = put(sub, at, 4, 5);
    static const uint32_t f13[][2] = {{0x3400, 5}, {0x4DBF, 5}, {0x4DC0, 0}};
    expect("format 13", 0, 6, sub, at, 13, f13, 3);

    /* format 4 through glyphIdArray: U+4E00..U+4E02 -> 40, (none), 42 plus idDelta 2 */
    at = put(sub, 0, 2, 4), at = put(sub, at, 2, 38), at = put(sub, at, 2, 0);
    at = put(sub, at, 2, 4), at = put(sub, at, 2, 4), at = put(sub, at, 2, 1),
    at = put(sub, at, 2, 0);
    at = put(sub, at, 2, 0x4E02), at = put(sub, at, 2, 0xFFFF), at = put(sub, at, 2, 0);
    at = put(sub, at, 2, 0x4E00), at = put(sub, at, 2, 0xFFFF);
    at = put(sub, at, 2, 2), at = put(sub, at, 2, 1);
    at = put(sub, at, 2, 4), at = put(sub, at, 2, 0); /* idRangeOffset: to glyphIdArray[0] */
    at = put(sub, at, 2, 38), at = put(sub, at, 2, 0), at = put(sub, at, 2, 40);
    n = one_subtable(t, 3, 1, sub, at);
    OK(gw_sfnt_cmap_init(&c, t, n) && c.format == 4, "format 4 chosen");
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0x4E00), 40);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0x4E01), 0);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0x4E02), 42);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0x4E03), 0);
    put(t, 12 + 2, 2, 36); /* a length that cuts glyphIdArray short */
    OK(gw_sfnt_cmap_init(&c, t, n), "format 4 chosen again");
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0x4E02), 0);

    /* a symbol font (3,0) maps U+0041 through U+F041 */
    at = put(sub, 0, 2, 4), at = put(sub, at, 2, 32), at = put(sub, at, 2, 0);
    at = put(sub, at, 2, 4), at = put(sub, at, 2, 4), at = put(sub, at, 2, 1),
    at = put(sub, at, 2, 0);
    at = put(sub, at, 2, 0xF05A), at = put(sub, at, 2, 0xFFFF), at = put(sub, at, 2, 0);
    at = put(sub, at, 2, 0xF041), at = put(sub, at, 2, 0xFFFF);
    at = put(sub, at, 2, (uint32_t)(3 - 0xF041) & 0xFFFF), at = put(sub, at, 2, 1);
    at = put(sub, at, 2, 0), at = put(sub, at, 2, 0);
    n = one_subtable(t, 3, 0, sub, at);
    OK(gw_sfnt_cmap_init(&c, t, n) && c.symbol, "symbol subtable chosen");
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0xF041), 3);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 'A'), 3);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 'Z'), 28);
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0x4E00), 0);

    /* damaged: a subtable past the end, a format 4 whose segments run past its length */
    n = one_subtable(t, 3, 1, sub, 0);
    put(t, 8, 4, 5000);
    OK(!gw_sfnt_cmap_init(&c, t, n), "a subtable past the table's end is not used");
    n = one_subtable(t, 3, 1, sub, at);
    put(t, 12 + 6, 2, 400); /* segCountX2 far too large */
    OK(gw_sfnt_cmap_init(&c, t, n), "format 4 chosen");
    INT_EQ(gw_sfnt_cmap_glyph(&c, 0xF041), 0);
}

/* A font file with its OS/2 table changed by patch(os2), written to a temporary file, against
 * HarfBuzz. */
static void patched(const char *what, const char *font, void (*patch)(unsigned char *os2))
{
    size_t n;
    unsigned char *d = (unsigned char *)gw_read_file(font, &n);
    if (!OK(d != NULL, "read %s", font))
        return;
    for (unsigned i = 0; i < gw_be16(d + 4); i++)
        if (gw_be32(d + 12 + 16 * i) == 0x4F532F32u) /* 'OS/2' */
            patch(d + gw_be32(d + 12 + 16 * i + 8));
    char path[] = "/tmp/gw_font_tables_XXXXXX";
    OK(harness_temp_file(path, d, n) == 0, "%s: write", what);
    like_harfbuzz(path, 0);
    unlink(path);
    free(d);
}

/* USE_TYPO_METRICS with typographic values unlike hhea's */
static void typo_metrics(unsigned char *os2)
{
    os2[63] |= 0x80; /* fsSelection bit 7 */
    put(os2, 68, 2, 1234);
    put(os2, 70, 2, (uint32_t)-321 & 0xFFFF);
}

/* USE_TYPO_METRICS, but no typographic ascender: hhea's is taken */
static void typo_no_ascender(unsigned char *os2)
{
    os2[63] |= 0x80; /* fsSelection bit 7 */
    put(os2, 68, 2, 0);
    put(os2, 70, 2, (uint32_t)-321 & 0xFFFF);
}

/* OS/2 version 1: no cap height */
static void os2_version1(unsigned char *os2)
{
    put(os2, 0, 2, 1);
}

static void test_metrics(void)
{
    static const char dejavu[] = FONTS "truetype/dejavu/DejaVuSans.ttf";
    static const char wenkai[] = FONTS "truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf";
    patched("typo metrics", dejavu, typo_metrics);
    patched("typo metrics without an ascender", dejavu, typo_no_ascender);
    patched("OS/2 version 1", wenkai,
            os2_version1); /* a long OS/2 table (version 4) made version 1 */
}

static void test_names(void)
{
    unsigned char t[200];
    char buf[64];
    size_t at = put(t, 0, 2, 0);
    at = put(t, at, 2, 3), at = put(t, at, 2, 6 + 3 * 12);
    /* Windows zh-CN family "宋", Mac English "Song", Windows en-US PostScript name with a surrogate
     * pair */
    at = put(t, at, 2, 3), at = put(t, at, 2, 1), at = put(t, at, 2, 0x0804), at = put(t, at, 2, 1);
    at = put(t, at, 2, 2), at = put(t, at, 2, 0);
    at = put(t, at, 2, 1), at = put(t, at, 2, 0), at = put(t, at, 2, 0), at = put(t, at, 2, 1);
    at = put(t, at, 2, 4), at = put(t, at, 2, 2);
    at = put(t, at, 2, 3), at = put(t, at, 2, 1), at = put(t, at, 2, 0x0409), at = put(t, at, 2, 6);
    at = put(t, at, 2, 6), at = put(t, at, 2, 6);
    at = put(t, at, 2, 0x5B8B);
    memcpy(t + at, "Song", 4), at += 4;
    at = put(t, at, 2, 'A'), at = put(t, at, 2, 0xD842), at = put(t, at, 2, 0xDFB7);

    OK(gw_sfnt_name(t, at, 1, buf, sizeof buf), "family found");
    STR_EQ(buf, "Song"); /* English ASCII before the Chinese name */
    OK(gw_sfnt_name(t, at, 6, buf, sizeof buf), "PostScript name found");
    STR_EQ(buf, "A\xF0\xA0\xAE\xB7");
    OK(!gw_sfnt_name(t, at, 4, buf, sizeof buf) && !buf[0], "no full name");
    OK(!gw_sfnt_name(t, 20, 1, buf, sizeof buf), "records past the end are not read");
    OK(gw_sfnt_name(t, at, 1, buf, 3), "a short buffer");
    STR_EQ(buf, "So");
}

int main(void)
{
    harness_watchdog(120);
    test_installed_fonts();
    test_cmap_formats();
    test_metrics();
    test_names();
    return harness_done();
}
