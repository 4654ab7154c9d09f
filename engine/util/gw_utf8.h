/*
 * gw_utf8: strict UTF-8 decoding and encoding.
 *
 * The reader validates input once; every later stage may then decode with
 * gw_utf8_next, which never reads past the end and never returns a surrogate.
 */
#ifndef GW_UTF8_H
#define GW_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point at s[*i] (len bytes in all), advance *i.
 * Returns the code point, or -1 for an invalid or truncated sequence
 * (then *i advances by one byte).
 *
 * Inline for the two cases that are nearly all of Chinese text: ASCII, and
 * three-byte sequences led by E1..EC or EE..EF (U+1000..CFFF, U+E000..FFFF),
 * which can be neither overlong nor surrogates once the two continuation
 * bytes check out. Everything else goes to gw_utf8_next_slow.
 */
int32_t gw_utf8_next_slow(const char *s, size_t len, size_t *i);
static inline int32_t gw_utf8_next(const char *str, size_t len, size_t *i)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t p = *i;
    unsigned c = s[p];
    if (c < 0x80) {
        *i = p + 1;
        return (int32_t)c;
    }
    if (c >= 0xE1 && c <= 0xEF && c != 0xED && len - p > 2) {
        unsigned c1 = s[p + 1], c2 = s[p + 2];
        if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80) {
            *i = p + 3;
            return (int32_t)(((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F));
        }
    }
    return gw_utf8_next_slow(str, len, i);
}
/* Encode cp into out (4 bytes room); returns the byte count (1..4). */
int gw_utf8_encode(uint32_t cp, char *out);
/* Offset of the first invalid byte in s[0..len), or len if all valid. */
size_t gw_utf8_check(const char *s, size_t len);
/* Number of code points in a valid string. */
size_t gw_utf8_count(const char *s, size_t len);
/*
 * Columns s takes in a terminal: 2 for an East Asian wide or full-width
 * character (Han, kana, Hangul, full-width forms), 1 for others.
 */
size_t gw_utf8_width(const char *s, size_t len);

#endif /* GW_UTF8_H */
