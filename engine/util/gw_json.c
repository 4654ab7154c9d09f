/*
 * gw_json: JSON strings and keys (see gw_json.h). Owns nothing but the
 * escaping; the text is valid UTF-8 already (the reader checks it, plugins'
 * strings are checked where they enter).
 */
#include "gw_json.h"

#include <string.h>

void gw_json_str(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
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
