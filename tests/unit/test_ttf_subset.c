/*
 * test_ttf_subset.c - unit test for engine/pdf/gw_ttf_subset.
 *
 * HarfBuzz's subsetter is the oracle: for glyph sets from real text, from
 * every composite glyph of a font (with their components) and from
 * scattered glyph ids, in the installed TrueType fonts (a TTC face
 * included), gw_ttf_subset must keep the same glyphs under the same new
 * ids as hb-subset with hinting dropped, write the same glyph records
 * (ours may keep the few padding bytes a font puts after a simple glyph's
 * coordinates), the same advances and side bearings, a font whose
 * checksums hold, and a cmap that maps each character given to its glyph.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>

#include "../../engine/pdf/gw_ttf_subset.h"
#include "../../engine/read/gw_read.h"
#include "../../engine/util/gw_utf8.h"
#include "harness.h"

#define FONTS "/usr/share/fonts/truetype/"

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#define TAG(s) ((uint32_t)(s)[0] << 24 | (uint32_t)(s)[1] << 16 | (uint32_t)(s)[2] << 8 | (s)[3])

/* A table of a font file in memory (first face), or NULL. */
static const unsigned char *table(const unsigned char *d, size_t len, const char *tag, size_t *tlen)
{
    unsigned n = be16(d + 4);

    for (unsigned i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *r = d + 12 + 16 * i;
        if (be32(r) == TAG(tag) && (size_t)be32(r + 8) + be32(r + 12) <= len) {
            *tlen = be32(r + 12);
            return d + be32(r + 8);
        }
    }
    *tlen = 0;
    return NULL;
}

/* Glyph record gid of a font file in memory. */
static const unsigned char *record(const unsigned char *d, size_t len, uint32_t gid, size_t *rlen)
{
    size_t hl, ll, gl;
    const unsigned char *head = table(d, len, "head", &hl), *loca = table(d, len, "loca", &ll),
                        *glyf = table(d, len, "glyf", &gl);
    size_t a, b;

    *rlen = 0;
    if (!head || !loca || !glyf)
        return NULL;
    if (be16(head + 50)) {
        if (4 * ((size_t)gid + 2) > ll)
            return NULL;
        a = be32(loca + 4 * gid), b = be32(loca + 4 * gid + 4);
    } else {
        if (2 * ((size_t)gid + 2) > ll)
            return NULL;
        a = 2 * (size_t)be16(loca + 2 * gid), b = 2 * (size_t)be16(loca + 2 * gid + 2);
    }
    if (b < a || b > gl)
        return NULL;
    *rlen = b - a;
    return glyf + a;
}

/* Advance and side bearing of gid from hhea/hmtx of a font in memory. */
static void metrics(const unsigned char *d, size_t len, uint32_t gid, unsigned *adv, int *lsb)
{
    size_t hl, ml;
    const unsigned char *hhea = table(d, len, "hhea", &hl), *hmtx = table(d, len, "hmtx", &ml);
    unsigned n = be16(hhea + 34);

    *adv = be16(hmtx + 4 * (gid < n ? gid : n - 1));
    *lsb =
        gid < n ? (int16_t)be16(hmtx + 4 * gid + 2) : (int16_t)be16(hmtx + 4 * n + 2 * (gid - n));
}

/* Glyph of cp in the font's (3,1) format 4 or (3,10) format 12 cmap; 0 if none. */
static uint32_t cmap_lookup(const unsigned char *d, size_t len, uint32_t cp)
{
    size_t cl;
    const unsigned char *c = table(d, len, "cmap", &cl);
    unsigned n = be16(c + 2);
    uint32_t found = 0;

    for (unsigned i = 0; i < n; i++) {
        const unsigned char *rec = c + 4 + 8 * i, *s = c + be32(rec + 4);
        if (be16(s) == 4 && be16(s + 2) != 16 + 4 * (size_t)be16(s + 6))
            return UINT32_MAX; /* its length does not hold its segments */
        if (be16(s) == 4 && cp < 0x10000) {
            unsigned seg = be16(s + 6) / 2;
            for (unsigned k = 0; k < seg; k++) {
                unsigned end = be16(s + 14 + 2 * k), start = be16(s + 16 + 2 * seg + 2 * k);
                unsigned delta = be16(s + 16 + 4 * seg + 2 * k);
                if (cp >= start && cp <= end && cp != 0xFFFF)
                    found = (cp + delta) & 0xFFFF;
            }
        } else if (be16(s) == 12) {
            uint32_t groups = be32(s + 12);
            for (uint32_t k = 0; k < groups; k++) {
                const unsigned char *g = s + 16 + 12 * k;
                if (cp >= be32(g) && cp <= be32(g + 4))
                    found = be32(g + 8) + (cp - be32(g));
            }
        }
    }
    return found;
}

/* hb-subset of face to gids with hinting dropped and only the tables gw_ttf_subset writes. */
static hb_blob_t *oracle(hb_face_t *face, const uint32_t *gids, size_t n, hb_map_t **map)
{
    static const char *keep[] = {"head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap", "OS/2"};
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    hb_set_t *drops = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned count = 64, flags = HB_SUBSET_FLAGS_NO_HINTING;

    hb_face_get_table_tags(face, 0, &count, tags);
    for (unsigned i = 0; i < count; i++) {
        bool kept = false;
        for (unsigned k = 0; k < 8; k++)
            kept = kept || tags[i] == TAG(keep[k]);
        if (!kept)
            hb_set_add(drops, tags[i]);
    }
    for (size_t i = 0; i < n; i++) {
        hb_set_add(hb_subset_input_glyph_set(in), gids[i]);
        if (gids[i] == 0)
            flags |= HB_SUBSET_FLAGS_NOTDEF_OUTLINE;
    }
    hb_subset_input_set_flags(in, flags);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
    *map = hb_map_copy(hb_subset_plan_old_to_new_glyph_mapping(plan));
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    hb_blob_t *blob = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    return blob;
}

/* Subset font f to gids both ways and compare; pairs go into our cmap. */
static void compare(const char *what, const struct gw_font *f, const uint32_t *gids, size_t n,
                    const uint32_t (*pairs)[2], size_t npairs)
{
    struct gw_ttf_subset s;
    struct gw_buf out;
    char err[200] = "";
    hb_map_t *map;

    gw_buf_init(&out);
    if (!OK(gw_ttf_plan(&s, f, gids, n, err, sizeof err) == 0, "%s: plan: %s", what, err))
        return;
    /* our cmap gets the pairs' glyphs in the subset's numbering */
    uint32_t(*sub_pairs)[2] = malloc((npairs + 1) * sizeof *sub_pairs);
    for (size_t i = 0; i < npairs; i++) {
        sub_pairs[i][0] = pairs[i][0];
        sub_pairs[i][1] = gw_ttf_new_gid(&s, pairs[i][1]);
    }
    OK(gw_ttf_write(&s, (const uint32_t(*)[2])sub_pairs, npairs, &out, err, sizeof err) == 0,
       "%s: write: %s", what, err);
    hb_blob_t *hb = oracle(gw_font_hb_face(f), gids, n, &map);
    unsigned hlen;
    const unsigned char *h = (const unsigned char *)hb_blob_get_data(hb, &hlen);
    const unsigned char *o = (const unsigned char *)out.data;

    /* the same glyphs under the same ids */
    int same_map = s.count == hb_map_get_population(map);
    for (unsigned i = 0; i < s.count && same_map; i++)
        same_map = hb_map_get(map, s.old[i]) == i;
    OK(same_map, "%s: %u glyphs, hb-subset keeps %u or numbers them otherwise", what, s.count,
       hb_map_get_population(map));
    size_t ml;
    const unsigned char *maxp = table(o, out.len, "maxp", &ml);
    INT_EQ(be16(maxp + 4), s.count);

    /*
     * the same records and metrics; either may keep a few zero bytes of
     * padding the other drops (hb-subset keeps a composite's, we a simple glyph's)
     */
    int bad = -1, badm = -1;
    for (unsigned i = 0; i < s.count && same_map; i++) {
        size_t ol, hl;
        const unsigned char *og = record(o, out.len, i, &ol), *hg = record(h, hlen, i, &hl);
        const unsigned char *longer = ol > hl ? og : hg;
        size_t common = ol < hl ? ol : hl, tail = (ol > hl ? ol : hl) - common;
        int zeros = tail < 8;
        for (size_t k = common; k < common + tail && zeros; k++)
            zeros = longer[k] == 0;
        if (bad < 0 && ((common && memcmp(og, hg, common) != 0) || !zeros))
            bad = (int)i;
        unsigned a1, a2;
        int l1, l2;
        metrics(o, out.len, i, &a1, &l1);
        metrics(h, hlen, i, &a2, &l2);
        if (badm < 0 && (a1 != a2 || l1 != l2))
            badm = (int)i;
    }
    OK(bad < 0, "%s: glyph record %d differs from hb-subset's", what, bad);
    OK(badm < 0, "%s: metrics of glyph %d differ from hb-subset's", what, badm);

    /* checksums: the whole font sums to 0xB1B0AFBA */
    uint32_t sum = 0;
    for (size_t i = 0; i + 4 <= out.len; i += 4)
        sum += be32(o + i);
    OK(out.len % 4 == 0 && sum == 0xB1B0AFBAu, "%s: font checksum %08x", what, (unsigned)sum);

    /* the cmap maps every pair */
    int badc = -1;
    for (size_t i = 0; i < npairs; i++)
        if (badc < 0 && cmap_lookup(o, out.len, sub_pairs[i][0]) != sub_pairs[i][1])
            badc = (int)i;
    OK(badc < 0, "%s: cmap loses U+%04X", what, badc < 0 ? 0 : (unsigned)pairs[badc][0]);

    /* HarfBuzz reads our font: the same glyph count and ink boxes as the original's */
    hb_blob_t *ours =
        hb_blob_create(out.data, (unsigned)out.len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(ours, 0);
    hb_font_t *font = hb_font_create(face), *orig = hb_font_create(gw_font_hb_face(f));
    INT_EQ(hb_face_get_glyph_count(face), s.count);
    int badx = -1;
    for (unsigned i = 1; i < s.count; i++) {
        hb_glyph_extents_t e1, e2;
        bool k1 = hb_font_get_glyph_extents(font, i, &e1),
             k2 = hb_font_get_glyph_extents(orig, s.old[i], &e2);
        if (badx < 0 && (k1 != k2 || (k1 && memcmp(&e1, &e2, sizeof e1) != 0)))
            badx = (int)i;
    }
    OK(badx < 0, "%s: glyph %d's extents differ from the original's", what, badx);
    hb_font_destroy(font);
    hb_font_destroy(orig);
    hb_face_destroy(face);
    hb_blob_destroy(ours);

    hb_blob_destroy(hb);
    hb_map_destroy(map);
    free(sub_pairs);
    gw_buf_free(&out);
    gw_ttf_subset_free(&s);
}

/* Subset to the nominal glyphs of text (and .notdef if asked), with their cmap. */
static void from_text(const char *what, const struct gw_font *f, const char *text, bool notdef)
{
    uint32_t gids[256], pairs[256][2];
    size_t n = 0, np = 0;

    size_t len = strlen(text), i = 0;

    while (i < len && n < 255) {
        uint32_t cp = (uint32_t)gw_utf8_next(text, len, &i), g;
        if (gw_font_glyph(f, cp, &g)) {
            gids[n++] = g;
            pairs[np][0] = cp;
            pairs[np++][1] = g;
        }
    }
    if (notdef)
        gids[n++] = 0;
    compare(what, f, gids, n, (const uint32_t(*)[2])pairs, np);
}

/* Subset to every composite glyph of the font (up to 400) and a few scattered ids. */
static void from_composites(const char *what, const struct gw_font *f, int *ncomposite)
{
    size_t hl, ll, gl;
    const unsigned char *head = gw_font_table(f, TAG("head"), &hl),
                        *loca = gw_font_table(f, TAG("loca"), &ll),
                        *glyf = gw_font_table(f, TAG("glyf"), &gl);
    unsigned ng = gw_font_glyph_count(f);
    uint32_t *gids = malloc(512 * sizeof *gids);
    size_t n = 0;

    for (uint32_t g = 0; g < ng && n < 400; g++) {
        size_t a = be16(head + 50) ? be32(loca + 4 * g) : 2 * (size_t)be16(loca + 2 * g);
        size_t b = be16(head + 50) ? be32(loca + 4 * g + 4) : 2 * (size_t)be16(loca + 2 * g + 2);
        if (b >= a + 10 && b <= gl && (int16_t)be16(glyf + a) < 0)
            gids[n++] = g;
    }
    *ncomposite = (int)n;
    for (uint32_t g = 7; g < ng && n < 512; g += ng / 50 + 1)
        gids[n++] = g;
    compare(what, f, gids, n, NULL, 0);
    free(gids);
}

static void test_fonts(void)
{
    static const struct {
        const char *path;
        unsigned index;
    } fonts[] = {
        {FONTS "cwtex/cwfs.ttf", 0},
        {FONTS "arphic-gbsn00lp/gbsn00lp.ttf", 0},
        {FONTS "arphic-gkai00mp/gkai00mp.ttf", 0},
        {FONTS "wqy/wqy-zenhei.ttc", 1},
        {FONTS "lxgw-wenkai/LXGWWenKai-Regular.ttf", 0},
        {FONTS "dejavu/DejaVuSans.ttf", 0},
        {FONTS "dejavu/DejaVuSerif-Bold.ttf", 0},
    };
    int composites = 0;

    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        char err[200], what[300];
        struct gw_font *f = gw_font_open(fonts[i].path, fonts[i].index, err, sizeof err);
        if (!OK(f != NULL, "open %s: %s", fonts[i].path, err))
            continue;
        int nc = 0;
        snprintf(what, sizeof what, "%s text", fonts[i].path);
        from_text(what, f,
                  "永州市安全守底行动（2024年）、“吉𠮷祥𫖯𰻞”Ǻçñ—…",
                  false);
        snprintf(what, sizeof what, "%s text and .notdef", fonts[i].path);
        from_text(what, f, "关于印发《工作专报》的通知，ABC abc 123。", true);
        snprintf(what, sizeof what, "%s composites", fonts[i].path);
        from_composites(what, f, &nc);
        /* no glyph of an installed font is taken for a damaged one */
        unsigned damaged = 0, first = 0;
        const char *why = NULL;
        for (uint32_t g = 0; g < gw_font_glyph_count(f); g++)
            if (gw_ttf_glyph_damage(f, g) && !damaged++) {
                first = g;
                why = gw_ttf_glyph_damage(f, g);
            }
        OK(damaged == 0, "%s: %u glyphs taken for damaged (glyph %u: %s)", fonts[i].path, damaged,
           first, why ? why : "");
        composites += nc;
        gw_font_free(f);
    }
    /* the fonts must have composite glyphs, or the closure is not tested */
    OK(composites > 100, "only %d composite glyphs in the test fonts", composites);
}

/* More separate runs of characters than format 4 can hold: all go to format 12. */
static void test_large_cmap(void)
{
    char err[200] = "";
    struct gw_font *f =
        gw_font_open(FONTS "lxgw-wenkai/LXGWWenKai-Regular.ttf", 0, err, sizeof err);
    uint32_t(*pairs)[2] = malloc(12000 * sizeof *pairs);
    uint32_t *gids = malloc(12000 * sizeof *gids);
    size_t n = 0;

    if (!OK(f != NULL, "open: %s", err))
        return;
    for (uint32_t cp = 0x4E00; cp <= 0x9FFF && n < 12000; cp += 2) /* every other: no runs */
        if (gw_font_glyph(f, cp, &gids[n])) {
            pairs[n][0] = cp;
            pairs[n][1] = gids[n];
            n++;
        }
    OK(n > 8200, "only %zu characters", n);
    compare("10000 characters", f, gids, n, (const uint32_t(*)[2])pairs, n);
    free(pairs);
    free(gids);
    gw_font_free(f);
}

/*
 * A glyph record a PDF reader could not walk fails the plan, naming the
 * glyph and the font, with its id in bad_gid (the PDF would draw nothing
 * for it): a composite whose record ends inside its component list (loca
 * cut short), and a simple glyph whose record ends inside its coordinates.
 * The subset of the glyphs left whole is made as before.
 */
static void test_damaged_glyphs(void)
{
    const char *path = FONTS "dejavu/DejaVuSans.ttf";
    size_t n;
    unsigned char *d = (unsigned char *)gw_read_file(path, &n);
    if (!OK(d != NULL, "read %s", path))
        return;
    size_t hl, ll, gl;
    const unsigned char *head = table(d, n, "head", &hl);
    unsigned char *loca = (unsigned char *)table(d, n, "loca", &ll);
    const unsigned char *glyf = table(d, n, "glyf", &gl);
    bool long_loca = be16(head + 50) != 0;
    uint32_t comp = 0, plain = 0, cut = 0;
    for (uint32_t g = 1; g + 1 < (long_loca ? ll / 4 : ll / 2) && (!comp || !plain || !cut); g++) {
        size_t len;
        const unsigned char *r = record(d, n, g, &len);
        if (r && len >= 24 && (int16_t)be16(r) < 0 && !comp)
            comp = g;
        else if (r && len >= 40 && (int16_t)be16(r) > 0 && !plain)
            plain = g;
        else if (r && len >= 40 && (int16_t)be16(r) > 0 && !cut)
            cut = g;
    }
    if (!OK(comp && plain && cut, "DejaVu Sans has composite and simple glyphs")) {
        free(d);
        return;
    }
    /* end a record at byte `at` of glyf (glyph g's end is loca entry g + 1) */
#define END_AT(g, at)                                                                              \
    do {                                                                                           \
        if (long_loca)                                                                             \
            for (int k = 0; k < 4; k++)                                                            \
                loca[4 * ((g) + 1) + (size_t)k] = (unsigned char)((at) >> (24 - 8 * k));           \
        else                                                                                       \
            loca[2 * ((g) + 1)] = (unsigned char)((at) / 2 >> 8),                                  \
                             loca[2 * ((g) + 1) + 1] = (unsigned char)((at) / 2);                  \
    } while (0)
    /* the composite's record: its header and 2 bytes of its first component */
    END_AT(comp, (size_t)(record(d, n, comp, &gl) - glyf) + 12);
    /* the simple glyph `cut`: 6 bytes short of its coordinates (the next one starts later) */
    size_t clen;
    const unsigned char *cr0 = record(d, n, cut, &clen);
    END_AT(cut, (size_t)(cr0 - glyf) + ((clen - 6) & ~(size_t)1));
#undef END_AT
    char tmp[] = "/tmp/gw_damaged_XXXXXX";
    OK(harness_temp_file(tmp, d, n) == 0, "write the damaged font");
    char err[200] = "";
    struct gw_font *f = gw_font_open(tmp, 0, err, sizeof err);
    if (OK(f != NULL, "open the damaged font: %s", err)) {
        struct gw_ttf_subset sub;
        struct gw_buf prog;
        uint32_t gids[] = {plain, comp, cut};
        char want[64];
        for (int k = 1; k < 3; k++) {
            uint32_t two[] = {plain, gids[k]};
            OK(gw_ttf_plan(&sub, f, two, 2, err, sizeof err) == -1, "glyph %u accepted",
               (unsigned)gids[k]);
            INT_EQ(sub.bad_gid, gids[k]);
            snprintf(want, sizeof want, "glyph %u cannot be read", (unsigned)gids[k]);
            OK(strstr(err, want) && strstr(err, "is damaged") && strstr(err, tmp), "message: %s",
               err);
            OK(gw_ttf_glyph_damage(f, gids[k]) != NULL, "glyph %u found damaged",
               (unsigned)gids[k]);
        }
        OK(strstr(err, "its points run past its record") ||
               strstr(err, "its coordinates run past its record"),
           "the simple glyph's damage: %s", err);
        OK(gw_ttf_glyph_damage(f, plain) == NULL, "glyph %u is whole", (unsigned)plain);
        gw_buf_init(&prog);
        OK(gw_ttf_plan(&sub, f, gids, 1, err, sizeof err) == 0 &&
               gw_ttf_write(&sub, NULL, 0, &prog, err, sizeof err) == 0,
           "subset of the damaged font's whole glyphs: %s", err);
        INT_EQ(sub.bad_gid, UINT32_MAX);
        size_t pl;
        const unsigned char *pr =
            record((unsigned char *)prog.data, prog.len, gw_ttf_new_gid(&sub, plain), &pl);
        OK(pr && pl > 10 && (int16_t)be16(pr) > 0, "the simple glyph is kept (%zu bytes)", pl);
        uint32_t sum = 0;
        for (size_t i = 0; i + 4 <= prog.len; i += 4)
            sum += be32((unsigned char *)prog.data + i);
        OK(sum == 0xB1B0AFBAu, "the font's checksum holds");
        gw_buf_free(&prog);
        gw_ttf_subset_free(&sub);
        gw_font_free(f);
    }
    unlink(tmp);
    free(d);
}

/* A glyph id beyond the font is an error naming the font. */
static void test_errors(void)
{
    char err[200] = "";
    struct gw_font *f = gw_font_open(FONTS "dejavu/DejaVuSans.ttf", 0, err, sizeof err);
    struct gw_ttf_subset s;
    uint32_t gids[] = {3, 70000};

    if (!OK(f != NULL, "open: %s", err))
        return;
    OK(gw_ttf_plan(&s, f, gids, 2, err, sizeof err) != 0, "out-of-range glyph accepted");
    OK(strstr(err, "70000") && strstr(err, "DejaVuSans"), "message: %s", err);
    gw_font_free(f);
}

int main(void)
{
    harness_watchdog(120);
    test_fonts();
    test_large_cmap();
    test_damaged_glyphs();
    test_errors();
    return harness_done();
}
