/*
 * gw_sfnt.c - cmap lookup and name records read from the font file
 * (see gw_sfnt.h).
 */
#include "gw_sfnt.h"

#include <string.h>

#include "../util/gw_utf8.h"

/* The subtable for (platform, encoding), or NULL; *len is what lies between it and the table's end.
 */
static const unsigned char *find_subtable(const unsigned char *cmap, size_t len, unsigned platform,
                                          unsigned encoding, size_t *sublen)
{
    if (len < 4)
        return NULL;
    unsigned n = gw_be16(cmap + 2);
    for (unsigned i = 0; i < n && 4 + 8 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *rec = cmap + 4 + 8 * i;
        uint32_t off = gw_be32(rec + 4);

        if (gw_be16(rec) == platform && gw_be16(rec + 2) == encoding && off + (size_t)4 <= len) {
            *sublen = len - off;
            return cmap + off;
        }
    }
    return NULL;
}

bool gw_sfnt_cmap_init(struct gw_sfnt_cmap *c, const unsigned char *cmap, size_t len)
{
    /* HarfBuzz's order: 32-bit subtables, then 16-bit ones, then a symbol font's */
    static const unsigned char order[][2] = {{3, 10}, {0, 6}, {0, 4}, {3, 1}, {0, 3},
                                             {0, 2},  {0, 1}, {0, 0}, {3, 0}};

    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        size_t sublen;
        const unsigned char *s =
            cmap ? find_subtable(cmap, len, order[i][0], order[i][1], &sublen) : NULL;
        if (!s)
            continue;
        unsigned format = gw_be16(s);
        size_t declared = format >= 8 ? (sublen >= 8 ? gw_be32(s + 4) : 0) : gw_be16(s + 2);

        c->sub = s;
        c->len = declared < sublen ? declared : sublen;
        c->format = format;
        c->symbol = order[i][0] == 3 && order[i][1] == 0;
        return true;
    }
    return false;
}

/* Format 4: segments of the BMP, by idDelta or through glyphIdArray. */
static uint32_t format4(const unsigned char *s, size_t len, uint32_t cp)
{
    if (cp > 0xFFFF || len < 14)
        return 0;
    size_t seg = gw_be16(s + 6) / 2;
    if (16 + 8 * seg > len)
        return 0;
    const unsigned char *ends = s + 14, *starts = ends + 2 * seg + 2, *deltas = starts + 2 * seg,
                        *ranges = deltas + 2 * seg;
    size_t lo = 0, hi = seg; /* the first segment ending at or after cp */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (gw_be16(ends + 2 * mid) < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == seg || gw_be16(starts + 2 * lo) > cp)
        return 0;
    unsigned delta = gw_be16(deltas + 2 * lo), range = gw_be16(ranges + 2 * lo);
    if (range == 0)
        return (cp + delta) & 0xFFFF;
    size_t at = (size_t)(ranges + 2 * lo - s) + range + 2 * (cp - gw_be16(starts + 2 * lo));
    if (at + 2 > len)
        return 0;
    unsigned g = gw_be16(s + at);
    return g ? (g + delta) & 0xFFFF : 0;
}

/* Formats 12 and 13: groups of code points, by start glyph (12) or one glyph each (13). */
static uint32_t format12(const unsigned char *s, size_t len, uint32_t cp, bool constant)
{
    if (len < 16)
        return 0;
    size_t n = gw_be32(s + 12);
    if (n > (len - 16) / 12)
        n = (len - 16) / 12;
    size_t lo = 0, hi = n; /* the first group ending at or after cp */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (gw_be32(s + 16 + 12 * mid + 4) < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n)
        return 0;
    const unsigned char *g = s + 16 + 12 * lo;
    uint32_t start = gw_be32(g), end = gw_be32(g + 4);
    if (cp < start || start > end)
        return 0;
    return constant ? gw_be32(g + 8) : gw_be32(g + 8) + (cp - start);
}

/* Formats 6 and 10: glyphs of n code points from `first`, in an array at byte `at`. */
static uint32_t trimmed(const unsigned char *s, size_t len, size_t at, uint32_t first, uint32_t n,
                        uint32_t cp)
{
    return cp >= first && cp - first < n && at + 2 * (size_t)(cp - first) + 2 <= len
               ? gw_be16(s + at + 2 * (cp - first))
               : 0;
}

static uint32_t lookup(const struct gw_sfnt_cmap *c, uint32_t cp)
{
    const unsigned char *s = c->sub;
    size_t len = c->len;

    switch (c->format) {
    case 0:
        return cp < 256 && 6 + (size_t)cp < len ? s[6 + cp] : 0;
    case 4:
        return format4(s, len, cp);
    case 6: /* 16-bit first code and count */
        return len < 10 ? 0 : trimmed(s, len, 10, gw_be16(s + 6), gw_be16(s + 8), cp);
    case 10: /* 32-bit ones */
        return len < 20 ? 0 : trimmed(s, len, 20, gw_be32(s + 12), gw_be32(s + 16), cp);
    case 12:
    case 13:
        return format12(s, len, cp, c->format == 13);
    default:
        return 0;
    }
}

uint32_t gw_sfnt_cmap_glyph(const struct gw_sfnt_cmap *c, uint32_t cp)
{
    if (!c->sub)
        return 0;
    uint32_t g = lookup(c, cp);
    if (!g && c->symbol && cp <= 0xFF) /* symbol fonts put U+00xx at U+F0xx */
        g = lookup(c, 0xF000 + cp);
    return g;
}

/* Append code point u to buf as UTF-8 if it fits (buf stays NUL-terminated). */
static void put_utf8(char *buf, size_t buflen, size_t *n, uint32_t u)
{
    char tmp[4];
    size_t k = (size_t)gw_utf8_encode(u, tmp);

    if (*n + k < buflen) {
        memcpy(buf + *n, tmp, k);
        *n += k;
    }
    buf[*n] = '\0';
}

/*
 * Decode one name record into buf: UTF-16BE for Unicode and Windows
 * records, ASCII for Macintosh Roman ones.  False for other encodings,
 * or a Macintosh string that is not ASCII.
 */
static bool decode(const unsigned char *p, size_t len, unsigned platform, unsigned encoding,
                   char *buf, size_t buflen)
{
    size_t n = 0;

    buf[0] = '\0';
    if (platform == 0 || (platform == 3 && (encoding == 0 || encoding == 1 || encoding == 10))) {
        for (size_t i = 0; i + 1 < len; i += 2) {
            uint32_t u = gw_be16(p + i);
            if (u >= 0xD800 && u < 0xDC00 && i + 3 < len && gw_be16(p + i + 2) >= 0xDC00 &&
                gw_be16(p + i + 2) < 0xE000) {
                u = 0x10000 + ((u - 0xD800) << 10) + (gw_be16(p + i + 2) - 0xDC00);
                i += 2;
            } else if (u >= 0xD800 && u < 0xE000) {
                u = 0xFFFD;
            }
            put_utf8(buf, buflen, &n, u);
        }
        return true;
    }
    if (platform == 1 && encoding == 0) {
        for (size_t i = 0; i < len; i++) {
            if (p[i] >= 0x80)
                return false;
            put_utf8(buf, buflen, &n, p[i]);
        }
        return true;
    }
    return false;
}

/* True if s is non-empty printable ASCII. */
static bool is_ascii(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

bool gw_sfnt_name(const unsigned char *name, size_t len, unsigned id, char *buf, size_t buflen)
{
    char tmp[256];
    int best = -1;

    buf[0] = '\0';
    if (!name || len < 6 || buflen == 0)
        return false;
    unsigned count = gw_be16(name + 2), strings = gw_be16(name + 4);
    for (unsigned i = 0; i < count && 6 + 12 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *r = name + 6 + 12 * i;
        unsigned platform = gw_be16(r), encoding = gw_be16(r + 2), lang = gw_be16(r + 4);
        size_t at = (size_t)strings + gw_be16(r + 10), n = gw_be16(r + 8);

        if (gw_be16(r + 6) != id || at + n > len ||
            !decode(name + at, n, platform, encoding, tmp,
                    buflen < sizeof tmp ? buflen : sizeof tmp) ||
            !tmp[0])
            continue;
        bool english = (platform == 3 && (lang & 0xFF) == 0x09) || (platform == 1 && lang == 0);
        int score = is_ascii(tmp) ? (english ? 3 : 2) : 0;
        int rank = score * 8 +
                   (platform == 3   ? 4
                    : platform == 0 ? 2
                                    : 0) +
                   (platform == 3 && lang == 0x0409);
        if (rank > best) {
            best = rank;
            memcpy(buf, tmp, strlen(tmp) + 1); /* decoded to fit buflen */
        }
    }
    return best >= 0;
}

/* Equal ignoring ASCII case (fontconfig compares family names so). */
static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

bool gw_sfnt_name_is(const unsigned char *name, size_t len, unsigned id, const char *want)
{
    char tmp[256];

    if (!name || len < 6 || !want || !*want)
        return false;
    unsigned count = gw_be16(name + 2), strings = gw_be16(name + 4);
    for (unsigned i = 0; i < count && 6 + 12 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *r = name + 6 + 12 * i;
        size_t at = (size_t)strings + gw_be16(r + 10), n = gw_be16(r + 8);
        if (gw_be16(r + 6) == id && at + n <= len &&
            decode(name + at, n, gw_be16(r), gw_be16(r + 2), tmp, sizeof tmp) &&
            same_name(tmp, want))
            return true;
    }
    return false;
}
