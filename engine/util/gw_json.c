/*
 * gw_json: JSON strings and keys (see gw_json.h). Owns the escaping, and
 * making any bytes valid JSON: the text is meant to be UTF-8 already (the
 * reader checks it), but a plugin's message, a file name or a Lua string
 * may hold any bytes, and the output must parse all the same.
 */
#include "gw_json.h"

#include <string.h>

#include "gw_buf.h"
#include "gw_utf8.h"

/* Where a string goes: a stream, or else a buffer. */
struct sink {
    FILE *out;
    struct gw_buf *buf;
};

static void put(struct sink *k, const char *p, size_t n)
{
    if (k->out)
        fwrite(p, 1, n, k->out);
    else
        gw_buf_add(k->buf, p, n);
}

/* The escape that stands for byte c, or NULL when c stands for itself. */
static const char *escape(unsigned char c, char tmp[8])
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\t':
        return "\\t";
    case '\r':
        return "\\r";
    }
    if (c < 0x20 || c == 0x7f) {
        snprintf(tmp, 8, "\\u%04x", c);
        return tmp;
    }
    return NULL;
}

/*
 * The length of the ill-formed sequence at s[0..len) that one U+FFFD
 * stands for: its maximal subpart, the longest start of a well-formed
 * sequence (at least 1 byte), as Unicode §3.9 "U+FFFD Substitution of
 * Maximal Subparts", the WHATWG decoder and Python's "replace" do.
 */
static size_t ill_formed(const unsigned char *s, size_t len)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        lo = c == 0xE0 ? 0xA0 : 0x80; /* not overlong */
        hi = c == 0xED ? 0x9F : 0xBF; /* not a surrogate */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF; /* not past U+10FFFF */
    } else {
        return 1;
    }
    size_t n = 1;
    while (n <= need && n < len && s[n] >= lo && s[n] <= hi) {
        n++;
        lo = 0x80;
        hi = 0xBF;
    }
    return n;
}

/* s[0..len) as a JSON string into k: controls escaped, invalid UTF-8 as U+FFFD. */
static void string_to(struct sink *k, const char *s, size_t len)
{
    char tmp[8];
    put(k, "\"", 1);
    size_t run = 0; /* start of the bytes that stand for themselves */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        const char *e = c < 0x80 ? escape(c, tmp) : NULL;
        size_t next = i;
        if (c < 0x80) {
            next = i + 1;
        } else if (gw_utf8_next(s, len, &next) < 0) {
            next = i + ill_formed((const unsigned char *)s + i, len - i);
            e = "\xEF\xBF\xBD";
        }
        if (e) {
            put(k, s + run, i - run);
            put(k, e, strlen(e));
            run = next;
        }
        i = next;
    }
    put(k, s + run, len - run);
    put(k, "\"", 1);
}

void gw_json_str(FILE *out, const char *s, size_t len)
{
    struct sink k = {out, NULL};
    string_to(&k, s, len);
}

void gw_json_buf(struct gw_buf *b, const char *s, size_t len)
{
    struct sink k = {NULL, b};
    string_to(&k, s, len);
}

void gw_json_cstr(FILE *out, const char *s)
{
    if (s)
        gw_json_str(out, s, strlen(s));
    else
        fputs("null", out);
}

void gw_json_key(FILE *out, const char *key, int first)
{
    if (!first)
        fputc(',', out);
    gw_json_cstr(out, key);
    fputc(':', out);
}
