/*
 * gw_json: JSON strings and keys (see gw_json.h). Owns nothing but the
 * escaping; the text is valid UTF-8 already (the reader checks it, plugins'
 * strings are checked where they enter).
 */
#include "gw_json.h"

#include <string.h>

#include "gw_buf.h"

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

void gw_json_str(FILE *out, const char *s, size_t len)
{
    char tmp[8];
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        const char *e = escape((unsigned char)s[i], tmp);
        if (e)
            fputs(e, out);
        else
            fputc(s[i], out);
    }
    fputc('"', out);
}

void gw_json_buf(struct gw_buf *b, const char *s, size_t len)
{
    char tmp[8];
    gw_buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        const char *e = escape((unsigned char)s[i], tmp);
        if (e)
            gw_buf_adds(b, e);
        else
            gw_buf_addc(b, s[i]);
    }
    gw_buf_addc(b, '"');
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
