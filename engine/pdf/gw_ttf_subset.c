/*
 * gw_ttf_subset.c - subsets of TrueType (glyf) fonts for PDF embedding.
 *
 * The plan marks the glyphs asked for and, walking composite glyphs,
 * their components; the subset numbers them in their original order.
 * Every glyph kept is checked first, as a PDF reader walks it: a record
 * that is cut short or holds other bytes (a damaged font file) fails the
 * plan, naming the glyph, where it would be drawn as nothing.
 * Writing copies each kept glyph record without its instructions, then
 * builds loca, hmtx, hhea, maxp and head for the new numbering, a cmap of
 * the characters given, and the table directory with its checksums.
 */
#include "gw_ttf_subset.h"

#include <stdlib.h>
#include <string.h>

#include "../util/gw_arena.h"
#include "../util/gw_bytes.h"
#include "../util/gw_diag.h"

#define TAG(a, b, c, d)                                                                            \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* composite glyph component flags (OpenType glyf) */
#define ARG_WORDS       0x0001
#define HAVE_SCALE      0x0008
#define MORE_COMPONENTS 0x0020
#define HAVE_XY_SCALE   0x0040
#define HAVE_2X2        0x0080
#define HAVE_INSTR      0x0100

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

static void add16(struct gw_buf *b, unsigned v)
{
    unsigned char p[2];

    put16(p, v);
    gw_buf_add(b, p, 2);
}

static void add32(struct gw_buf *b, uint32_t v)
{
    unsigned char p[4];

    put32(p, v);
    gw_buf_add(b, p, 4);
}

/*
 * Walk a composite glyph's components: calls visit(ctx, component gid,
 * offset of the gid in d) for each and returns the offset of the byte after the last component
 * (where its instructions would start), with *last at the last component's
 * flags; 0 if the record ends too early.
 */
static size_t walk_components(const unsigned char *d, size_t len, size_t *last,
                              void (*visit)(void *, uint32_t, size_t), void *ctx)
{
    size_t p = 10;

    for (;;) {
        if (p + 4 > len)
            return 0;
        unsigned flags = gw_be16(d + p);

        *last = p;
        if (visit)
            visit(ctx, gw_be16(d + p + 2), p + 2);
        p += 4 + ((flags & ARG_WORDS) ? 4 : 2);
        if (flags & HAVE_SCALE)
            p += 2;
        else if (flags & HAVE_XY_SCALE)
            p += 4;
        else if (flags & HAVE_2X2)
            p += 8;
        if (!(flags & MORE_COMPONENTS))
            break;
    }
    return p <= len ? p : 0;
}

/* Checks a component's glyph id against the font's count (walk_components' visitor). */
static void check_component(void *ctx, uint32_t gid, size_t at)
{
    (void)at;
    uint32_t *bad = ctx; /* [0] the glyph count, [1] the first id past it, or UINT32_MAX */

    if (gid >= bad[0] && bad[1] == UINT32_MAX)
        bad[1] = gid;
}

/*
 * Why glyph record d[0..len) cannot be drawn, or NULL if it can: the walk
 * a PDF reader makes of it (OpenType glyf: the header, the contours' end
 * points, the instructions, the flags and the coordinates they call for;
 * a composite glyph's components and their glyph ids). A record cut short
 * or filled with other bytes (a damaged or truncated file) fails it and
 * would otherwise be drawn as nothing.
 */
static const char *glyph_damage(const unsigned char *d, size_t len, unsigned nglyphs)
{
    if (len == 0)
        return NULL; /* no outline (a space) */
    if (len < 10)
        return "its record is shorter than a glyph header";
    int contours = (int16_t)gw_be16(d);
    if (contours < 0) {
        size_t last;
        uint32_t bad[2] = {nglyphs, UINT32_MAX};
        if (walk_components(d, len, &last, check_component, bad) == 0)
            return "its components run past its record";
        return bad[1] == UINT32_MAX ? NULL : "it is made of a glyph the font does not have";
    }
    size_t ends = 10 + 2 * (size_t)contours;
    if (ends + 2 > len)
        return "its contours run past its record";
    unsigned npts = 0;
    for (int i = 0; i < contours; i++) {
        unsigned e = gw_be16(d + 10 + 2 * (size_t)i);
        if (i > 0 && e < npts)
            return "its contours' end points go back";
        npts = e + 1;
    }
    size_t p = ends + 2 + gw_be16(d + ends); /* past the instructions */
    if (p > len)
        return "its instructions run past its record";
    size_t coords = 0; /* bytes of x and y coordinates the flags call for */
    for (unsigned k = 0; k < npts;) {
        if (p >= len)
            return "its points run past its record";
        unsigned f = d[p++], n = 1;
        if (f & 0x08) { /* REPEAT_FLAG: the next byte repeats it */
            if (p >= len)
                return "its points run past its record";
            n += d[p++];
        }
        if (n > npts - k)
            n = npts - k;
        /* x: a byte (SHORT), none (SAME) or a word; y likewise */
        unsigned bytes = (f & 0x02 ? 1 : f & 0x10 ? 0 : 2) + (f & 0x04 ? 1 : f & 0x20 ? 0 : 2);
        coords += (size_t)n * bytes;
        k += n;
    }
    return p + coords > len ? "its coordinates run past its record" : NULL;
}

const char *gw_ttf_glyph_damage(const struct gw_font *f, uint32_t gid)
{
    size_t len;
    const unsigned char *d = gw_font_glyph_record(f, gid, &len);
    return d ? glyph_damage(d, len, gw_font_glyph_count(f)) : NULL;
}

/* What the closure walk carries: the mark bits and the glyphs still to walk. */
struct closure {
    uint64_t *mark;
    uint32_t *todo;
    size_t ntodo, cap;
    unsigned nglyphs;
    unsigned count;
};

static void mark_glyph(void *ctx, uint32_t gid, size_t at)
{
    (void)at;
    struct closure *c = ctx;

    if (gid >= c->nglyphs || (c->mark[gid >> 6] >> (gid & 63) & 1))
        return;
    c->mark[gid >> 6] |= (uint64_t)1 << (gid & 63);
    if (c->ntodo == c->cap) {
        c->cap = 2 * c->cap + 64;
        c->todo = gw_xrealloc(c->todo, c->cap * sizeof *c->todo);
    }
    c->todo[c->ntodo++] = gid;
    c->count++;
}

int gw_ttf_plan(struct gw_ttf_subset *s, const struct gw_font *f, const uint32_t *gids, size_t n,
                char *err, size_t errlen)
{
    unsigned nglyphs = gw_font_glyph_count(f);
    struct closure c;
    size_t i;

    memset(s, 0, sizeof *s);
    s->font = f;
    s->bad_gid = UINT32_MAX;
    if (gw_font_is_cff(f)) {
        gw_set_err(err, errlen, "not a TrueType font: %s", gw_font_path(f));
        return -1;
    }
    c.nglyphs = nglyphs;
    c.mark = gw_xcalloc(((size_t)nglyphs + 63) / 64, sizeof *c.mark);
    c.todo = NULL;
    c.ntodo = c.cap = 0;
    c.count = 0;
    mark_glyph(&c, 0, 0);
    for (i = 0; i < n; i++) {
        if (gids[i] >= nglyphs) {
            gw_set_err(err, errlen, "glyph %u out of range for %s (%u glyphs)", (unsigned)gids[i],
                       gw_font_path(f), nglyphs);
            free(c.mark);
            free(c.todo);
            return -1;
        }
        if (gids[i] == 0)
            s->notdef = true;
        mark_glyph(&c, gids[i], 0);
    }
    /* every glyph kept is checked; components of composite glyphs are kept, and theirs */
    while (c.ntodo > 0) {
        size_t len, last;
        uint32_t gid = c.todo[--c.ntodo];
        const unsigned char *d = gw_font_glyph_record(f, gid, &len);
        const char *why = d && (gid != 0 || s->notdef) ? glyph_damage(d, len, nglyphs) : NULL;

        if (why) {
            s->bad_gid = gid;
            gw_set_err(err, errlen, "the font file %s is damaged: glyph %u cannot be read (%s)",
                       gw_font_path(f), (unsigned)gid, why);
            free(c.mark);
            free(c.todo);
            return -1;
        }
        if (d && len >= 10 && (int16_t)gw_be16(d) < 0)
            walk_components(d, len, &last, mark_glyph, &c);
    }
    s->old = gw_xmalloc((size_t)c.count * sizeof *s->old);
    for (size_t w = 0; w < ((size_t)nglyphs + 63) / 64; w++)
        for (uint64_t bits = c.mark[w]; bits; bits &= bits - 1)
            s->old[s->count++] = (uint32_t)(64 * w + (unsigned)__builtin_ctzll(bits));
    free(c.mark);
    free(c.todo);
    return 0;
}

uint32_t gw_ttf_new_gid(const struct gw_ttf_subset *s, uint32_t gid)
{
    size_t lo = 0, hi = s->count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (s->old[mid] < gid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->count && s->old[lo] == gid ? (uint32_t)lo : UINT32_MAX;
}

/* Where a composite glyph is being copied, and the subset that renumbers its components. */
struct renumber {
    const struct gw_ttf_subset *s;
    unsigned char *copy;
};

/* Give a component its id in the subset (the plan kept every component in range). */
static void renumber_component(void *ctx, uint32_t gid, size_t at)
{
    struct renumber *r = ctx;
    uint32_t id = gw_ttf_new_gid(r->s, gid);

    put16(r->copy + at, id == UINT32_MAX ? 0 : id);
}

/* Record of subset glyph i as the subset keeps it (.notdef's outline only if asked for), or NULL.
 */
static const unsigned char *kept_record(const struct gw_ttf_subset *s, unsigned i, size_t *len)
{
    const unsigned char *d = gw_font_glyph_record(s->font, s->old[i], len);

    if (!d || (s->old[i] == 0 && !s->notdef)) {
        *len = 0;
        return NULL;
    }
    return d;
}

/* The length put_glyph gives record d[0..len). */
static size_t glyph_size(const unsigned char *d, size_t len)
{
    if (len < 10)
        return 0;
    int contours = (int16_t)gw_be16(d);
    if (contours < 0) {
        size_t last;
        return walk_components(d, len, &last, NULL, NULL); /* 0 for a damaged one */
    }
    if (contours == 0)
        return 0;
    size_t ends = 10 + 2 * (size_t)contours;
    if (ends + 2 > len || ends + 2 + gw_be16(d + ends) > len)
        return len;
    return len - gw_be16(d + ends);
}

/*
 * Append glyph record d[0..len) to out without its instructions.  The
 * rest of a simple glyph (flags, coordinates and any padding the font put
 * after them) is copied as it is: walking the flags to drop that padding
 * cost more than the copy.  A simple glyph that cannot be walked is copied
 * whole; a composite one is dropped (its parts' ids could not be given
 * their subset numbers, and a reference past the subset breaks the font).
 */
static void put_glyph(struct gw_buf *out, const struct gw_ttf_subset *s, const unsigned char *d,
                      size_t len)
{
    int contours;

    if (len < 10)
        return; /* empty (a record too short for its header is dropped too) */
    contours = (int16_t)gw_be16(d);
    if (contours < 0) {
        size_t last, end = walk_components(d, len, &last, NULL, NULL);

        if (end == 0)
            return; /* damaged: dropped, as glyph_size says */
        size_t at = out->len;
        gw_buf_add(out, d, end);
        struct renumber r = {s, (unsigned char *)out->data + at};
        walk_components(d, len, &last, renumber_component, &r);
        put16(r.copy + last, gw_be16(d + last) & ~(unsigned)HAVE_INSTR);
        return;
    }
    if (contours == 0)
        return;
    size_t ends = 10 + 2 * (size_t)contours; /* header and endPtsOfContours */
    if (ends + 2 > len || ends + 2 + gw_be16(d + ends) > len) {
        gw_buf_add(out, d, len);
        return;
    }
    size_t flags = ends + 2 + gw_be16(d + ends);
    gw_buf_add(out, d, ends);
    add16(out, 0); /* no instructions */
    gw_buf_add(out, d + flags, len - flags);
}

/* A table of the subset: its tag and where its bytes are. */
struct table {
    uint32_t tag;
    const unsigned char *data;
    size_t len;
    size_t at; /* offset in the font file */
};

static int cmp_table(const void *a, const void *b)
{
    uint32_t x = ((const struct table *)a)->tag, y = ((const struct table *)b)->tag;

    return x < y ? -1 : x > y;
}

static int cmp_pair(const void *a, const void *b)
{
    uint32_t x = ((const uint32_t *)a)[0], y = ((const uint32_t *)b)[0];

    return x < y ? -1 : x > y;
}

/*
 * A cmap of the pairs {code point, glyph}: format 4 for the BMP (one
 * segment per run of consecutive code points and glyphs), and format 12
 * for all of them if any lies beyond it.
 */
static void make_cmap(struct gw_buf *b, uint32_t (*pairs)[2], size_t n)
{
    size_t i, j, nseg = 0, ngroups = 0, nbmp = 0;

    qsort(pairs, n, sizeof *pairs, cmp_pair);
    /* drop repeated code points (the first glyph wins) */
    for (i = j = 0; i < n; i++)
        if (j == 0 || pairs[j - 1][0] != pairs[i][0]) {
            pairs[j][0] = pairs[i][0];
            pairs[j][1] = pairs[i][1];
            j++;
        }
    n = j;
    for (i = 0; i < n; i++) {
        bool joins =
            i > 0 && pairs[i][0] == pairs[i - 1][0] + 1 && pairs[i][1] == pairs[i - 1][1] + 1;
        if (pairs[i][0] < 0xFFFF) {
            nbmp++;
            if (!joins)
                nseg++;
        }
        if (!joins)
            ngroups++;
    }
    if (16 + 8 * (nseg + 1) > 0xFFFF) /* too many for format 4's 16-bit length: all in format 12 */
        nbmp = nseg = 0;
    bool wide = nbmp < n;
    size_t seg = nseg + 1; /* and the closing 0xFFFF segment */
    size_t len4 = 16 + 8 * seg;
    unsigned range = 1, sel = 0;

    while (range * 2 <= seg) {
        range *= 2;
        sel++;
    }
    add16(b, 0);
    add16(b, wide ? 2 : 1);
    add16(b, 3), add16(b, 1), add32(b, 4 + 8 * (wide ? 2 : 1));
    if (wide)
        add16(b, 3), add16(b, 10), add32(b, (uint32_t)(4 + 16 + len4));

    /* format 4: endCode[], pad, startCode[], idDelta[], idRangeOffset[] */
    add16(b, 4);
    add16(b, (unsigned)len4);
    add16(b, 0);
    add16(b, (unsigned)(2 * seg));
    add16(b, 2 * range);
    add16(b, sel);
    add16(b, (unsigned)(2 * seg - 2 * range));
    for (int part = 0; part < 4; part++) {
        if (part == 1)
            add16(b, 0); /* reservedPad */
        for (i = 0; i < nbmp; i = j) {
            for (j = i + 1; j < nbmp && pairs[j][0] == pairs[j - 1][0] + 1 &&
                            pairs[j][1] == pairs[j - 1][1] + 1;
                 j++)
                ;
            if (part == 0)
                add16(b, pairs[j - 1][0]);
            else if (part == 1)
                add16(b, pairs[i][0]);
            else if (part == 2)
                add16(b, (pairs[i][1] - pairs[i][0]) & 0xFFFF);
            else
                add16(b, 0);
        }
        add16(b, part == 2 ? 1 : part == 3 ? 0 : 0xFFFF);
    }
    if (!wide)
        return;
    add16(b, 12);
    add16(b, 0);
    add32(b, (uint32_t)(16 + 12 * ngroups));
    add32(b, 0);
    add32(b, (uint32_t)ngroups);
    for (i = 0; i < n; i = j) {
        for (j = i + 1;
             j < n && pairs[j][0] == pairs[j - 1][0] + 1 && pairs[j][1] == pairs[j - 1][1] + 1; j++)
            ;
        add32(b, pairs[i][0]);
        add32(b, pairs[j - 1][0]);
        add32(b, pairs[i][1]);
    }
}

/* Checksum of a table: its bytes as big-endian 32-bit words, zero-padded. */
static uint32_t checksum(const unsigned char *d, size_t len)
{
    uint32_t sum = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i;

    for (i = 0; i + 16 <= len; i += 16) { /* four sums: independent adds */
        sum += gw_be32(d + i);
        s1 += gw_be32(d + i + 4);
        s2 += gw_be32(d + i + 8);
        s3 += gw_be32(d + i + 12);
    }
    sum += s1 + s2 + s3;
    for (; i + 4 <= len; i += 4)
        sum += gw_be32(d + i);
    if (i < len) {
        unsigned char tail[4] = {0, 0, 0, 0};

        memcpy(tail, d + i, len - i);
        sum += gw_be32(tail);
    }
    return sum;
}

/* The size of moved copy i's record: a composite of one component, or nothing for an empty glyph. */
static uint32_t moved_size(const struct gw_ttf_subset *s, unsigned i)
{
    size_t len;
    return s->moved[i].glyph < s->count && kept_record(s, s->moved[i].glyph, &len) && len >= 10
               ? 18
               : 0;
}

/*
 * Moved copy i: a composite (numberOfContours -1) of its glyph with the
 * offset (dx, 0), its bounding box the glyph's moved.
 */
static void put_moved(struct gw_buf *out, const struct gw_ttf_subset *s, unsigned i)
{
    size_t len;
    const unsigned char *d;
    if (!moved_size(s, i) || !(d = kept_record(s, s->moved[i].glyph, &len)))
        return;
    int dx = s->moved[i].dx;
    unsigned char r[18];
    put16(r, 0xFFFF);
    put16(r + 2, (unsigned)((int16_t)gw_be16(d + 2) + dx) & 0xFFFF);
    memcpy(r + 4, d + 4, 2);
    put16(r + 6, (unsigned)((int16_t)gw_be16(d + 6) + dx) & 0xFFFF);
    memcpy(r + 8, d + 8, 2);
    put16(r + 10, 0x0003); /* ARG_1_AND_2_ARE_WORDS | ARGS_ARE_XY_VALUES */
    put16(r + 12, s->moved[i].glyph);
    put16(r + 14, (unsigned)dx & 0xFFFF);
    put16(r + 16, 0);
    gw_buf_add(out, r, sizeof r);
}

int gw_ttf_write(const struct gw_ttf_subset *s, const uint32_t (*map)[2], size_t nmap,
                 struct gw_buf *out, char *err, size_t errlen)
{
    const struct gw_font *f = s->font;
    size_t hhea_len, hmtx_len, maxp_len, head_len, os2_len;
    const unsigned char *hhea = gw_font_table(f, TAG('h', 'h', 'e', 'a'), &hhea_len);
    const unsigned char *hmtx = gw_font_table(f, TAG('h', 'm', 't', 'x'), &hmtx_len);
    const unsigned char *maxp = gw_font_table(f, TAG('m', 'a', 'x', 'p'), &maxp_len);
    const unsigned char *head = gw_font_table(f, TAG('h', 'e', 'a', 'd'), &head_len);
    const unsigned char *os2 = gw_font_table(f, TAG('O', 'S', '/', '2'), &os2_len);
    struct gw_buf loca, mtx, cmap;
    unsigned char hhea2[36], maxp2[32], head2[54];
    unsigned i, nhm;

    if (!hhea || hhea_len < 36 || !hmtx || !maxp || maxp_len < 6) {
        gw_set_err(err, errlen, "font has no usable hhea, hmtx or maxp table: %s", gw_font_path(f));
        return -1;
    }
    gw_buf_init(&loca);
    gw_buf_init(&mtx);
    gw_buf_init(&cmap);

    /*
     * glyf is written last, straight into out (a copy and 280 KB of fresh
     * memory less for the seed's 仿宋): first its records' lengths, so
     * that loca and the table's place are known before.  A short loca
     * counts words: every record then gets an even length.
     */
    unsigned all = s->count + s->nmoved;
    uint32_t *size = gw_xmalloc(((size_t)all + 1) * sizeof *size);
    uint64_t total = 0;
    for (i = 0; i < all; i++) {
        size_t len;
        const unsigned char *d = i < s->count ? kept_record(s, i, &len) : NULL;
        size[i] = i >= s->count ? moved_size(s, i - s->count)
                  : d           ? (uint32_t)glyph_size(d, len)
                                : 0;
        total += size[i];
    }
    bool long_loca = (total + all) / 2 > 0xFFFF;
    uint32_t at = 0;
    for (i = 0; i < all; i++) {
        if (long_loca)
            add32(&loca, at);
        else
            add16(&loca, at / 2);
        at += size[i] + (long_loca ? 0 : size[i] & 1);
    }
    free(size);
    if (long_loca)
        add32(&loca, at);
    else
        add16(&loca, at / 2);
    size_t glyf_len = at;

    /* hmtx: advance and side bearing of each kept glyph; a run of equal advances at the end shares
     * one */
    unsigned font_nhm = gw_be16(hhea + 34);
    if (font_nhm == 0 || 4 * (size_t)font_nhm > hmtx_len) {
        gw_set_err(err, errlen, "font's hmtx table is shorter than hhea says: %s", gw_font_path(f));
        gw_buf_free(&loca);
        return -1;
    }
    unsigned *adv = gw_xmalloc((size_t)all * sizeof *adv);
    int *lsb = gw_xmalloc((size_t)all * sizeof *lsb);
    for (i = 0; i < all; i++) {
        uint32_t g = i < s->count ? i : s->moved[i - s->count].glyph;
        if (g >= s->count || !gw_font_hmetrics(f, s->old[g], &adv[i], &lsb[i]))
            adv[i] = 0, lsb[i] = 0; /* no entry: the advance layout used, 0 */
        else if (i >= s->count)
            lsb[i] += s->moved[i - s->count].dx;
    }
    for (nhm = all; nhm > 1 && adv[nhm - 1] == adv[nhm - 2]; nhm--)
        ;
    for (i = 0; i < all; i++) {
        if (i < nhm)
            add16(&mtx, adv[i]);
        add16(&mtx, (unsigned)lsb[i] & 0xFFFF);
    }
    free(adv);
    free(lsb);

    memcpy(hhea2, hhea, 36);
    put16(hhea2 + 34, nhm);
    memset(maxp2, 0, sizeof maxp2);
    size_t maxp_n = maxp_len < sizeof maxp2 ? maxp_len : sizeof maxp2;
    memcpy(maxp2, maxp, maxp_n);
    put16(maxp2 + 4, all);
    if (gw_be32(maxp) == 0x00010000u && maxp_n >= 28) {
        /* no instructions are left: no zones, storage, functions or stack */
        put16(maxp2 + 14, 1);
        memset(maxp2 + 16, 0, 12);
    }
    if (s->nmoved && gw_be32(maxp) == 0x00010000u && maxp_n >= 32) {
        /* the moved copies are composites of one component, one level above their glyph */
        for (int k = 0; k < 2; k++) /* composite points and contours: at least a simple glyph's */
            if (gw_be16(maxp2 + 10 + 2 * k) < gw_be16(maxp2 + 6 + 2 * k))
                put16(maxp2 + 10 + 2 * k, gw_be16(maxp2 + 6 + 2 * k));
        if (gw_be16(maxp2 + 28) < 1)
            put16(maxp2 + 28, 1);
        put16(maxp2 + 30, gw_be16(maxp2 + 30) + 1);
    }
    memcpy(head2, head, 54);
    put32(head2 + 8, 0);
    put16(head2 + 50, long_loca);

    uint32_t(*pairs)[2] = gw_xmalloc((nmap ? nmap : 1) * sizeof *pairs);
    if (nmap) /* map may be NULL then */
        memcpy(pairs, map, nmap * sizeof *pairs);
    make_cmap(&cmap, pairs, nmap);
    free(pairs);

    /* in the order their data is written: small tables first, glyf last (as hb-subset does) */
    struct table t[8] = {
        {TAG('m', 'a', 'x', 'p'), maxp2, maxp_n, 0},
        {TAG('h', 'h', 'e', 'a'), hhea2, sizeof hhea2, 0},
        {TAG('h', 'e', 'a', 'd'), head2, sizeof head2, 0},
        {TAG('h', 'm', 't', 'x'), (unsigned char *)mtx.data, mtx.len, 0},
        {TAG('l', 'o', 'c', 'a'), (unsigned char *)loca.data, loca.len, 0},
        {TAG('c', 'm', 'a', 'p'), (unsigned char *)cmap.data, cmap.len, 0},
        {TAG('g', 'l', 'y', 'f'), NULL, glyf_len, 0}, /* written from the records */
        {TAG('O', 'S', '/', '2'), os2, os2_len, 0},
    };
    unsigned nt = os2 ? 8 : 7;
    if (os2) { /* OS/2 goes after head */
        memmove(t + 4, t + 3, 4 * sizeof t[0]);
        t[3] = (struct table){TAG('O', 'S', '/', '2'), os2, os2_len, 0};
    }

    /* the table directory (sorted by tag), then the tables, each at a 4-byte boundary */
    size_t start = out->len, pos = 12 + 16 * (size_t)nt, head_at = 0;
    for (i = 0; i < nt; i++) {
        t[i].at = pos;
        if (t[i].tag == TAG('h', 'e', 'a', 'd'))
            head_at = start + pos;
        pos += (t[i].len + 3) & ~(size_t)3;
    }
    unsigned range = 1, sel = 0;
    while (range * 2 <= nt) {
        range *= 2;
        sel++;
    }
    gw_buf_grow(out, pos);
    add32(out, 0x00010000u);
    add16(out, nt);
    add16(out, 16 * range);
    add16(out, sel);
    add16(out, 16 * (nt - range));
    struct table sorted[8];
    memcpy(sorted, t, sizeof sorted);
    qsort(sorted, nt, sizeof sorted[0], cmp_table);
    size_t glyf_sum_at = 0; /* glyf's checksum: filled once its records are written */
    for (i = 0; i < nt; i++) {
        add32(out, sorted[i].tag);
        if (!sorted[i].data)
            glyf_sum_at = out->len;
        add32(out, sorted[i].data ? checksum(sorted[i].data, sorted[i].len) : 0);
        add32(out, (uint32_t)sorted[i].at);
        add32(out, (uint32_t)sorted[i].len);
    }
    size_t dir_end = out->len;
    for (i = 0; i < nt; i++) {
        static const unsigned char zero[3];

        if (t[i].data) {
            gw_buf_add(out, t[i].data, t[i].len);
        } else { /* glyf */
            size_t from = out->len;
            for (unsigned k = 0; k < s->count; k++) {
                size_t len;
                const unsigned char *d = kept_record(s, k, &len);
                if (d)
                    put_glyph(out, s, d, len);
                if (!long_loca && (out->len - from) % 2)
                    gw_buf_addc(out, 0);
            }
            for (unsigned k = 0; k < s->nmoved; k++)
                put_moved(out, s, k);
            if (out->len - from != glyf_len) { /* put_glyph and glyph_size disagree: a bug */
                gw_set_err(err, errlen, "internal: glyf of %s came out %zu bytes, not %zu",
                           gw_font_path(f), out->len - from, glyf_len);
                gw_buf_free(&loca);
                gw_buf_free(&mtx);
                gw_buf_free(&cmap);
                return -1;
            }
            put32((unsigned char *)out->data + glyf_sum_at,
                  checksum((unsigned char *)out->data + from, out->len - from));
        }
        gw_buf_add(out, zero, (4 - t[i].len % 4) % 4);
    }
    /* head.checkSumAdjustment makes the whole font sum to 0xB1B0AFBA: the tables' sums and the
     * directory's */
    uint32_t total_sum = checksum((unsigned char *)out->data + start, dir_end - start);
    for (i = 0; i < nt; i++)
        total_sum += gw_be32((unsigned char *)out->data + start + 12 + 16 * i + 4);
    put32((unsigned char *)out->data + head_at + 8, 0xB1B0AFBAu - total_sum);

    gw_buf_free(&loca);
    gw_buf_free(&mtx);
    gw_buf_free(&cmap);
    return 0;
}

void gw_ttf_subset_free(struct gw_ttf_subset *s)
{
    free(s->old);
    s->old = NULL;
    s->count = 0;
}
