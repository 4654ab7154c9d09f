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
 */
int32_t gw_utf8_next(const char *s, size_t len, size_t *i);
/* Encode cp into out (4 bytes room); returns the byte count (1..4). */
int gw_utf8_encode(uint32_t cp, char *out);
/* Offset of the first invalid byte in s[0..len), or len if all valid. */
size_t gw_utf8_check(const char *s, size_t len);
/* Number of code points in a valid string. */
size_t gw_utf8_count(const char *s, size_t len);

#endif /* GW_UTF8_H */
