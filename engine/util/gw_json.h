/*
 * gw_json: the pieces of JSON output every `--format json` writer shares:
 * strings quoted and escaped (RFC 8259), and keys. The writers themselves
 * (the document tree in doc/gw_doc.c, plugins in plug/gw_list.c, the
 * effective layout in plug/gw_layout_load.c, findings, fonts in cli/) say
 * what they write; docs/cli.md and docs/cli.schema.json document it.
 */
#ifndef GW_JSON_H
#define GW_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * s (len bytes, meant to be UTF-8) as a JSON string: quotes, backslash and
 * controls escaped; any bytes that are not UTF-8 written as U+FFFD, one for
 * each maximal subpart of an ill-formed sequence (Unicode §3.9), so the
 * output is valid JSON whatever the bytes.
 */
void gw_json_str(FILE *out, const char *s, size_t len);
/* The same, appended to a buffer (gongwen serve's replies). */
struct gw_buf;
void gw_json_buf(struct gw_buf *b, const char *s, size_t len);
/* A NUL-terminated string as a JSON string, or null for NULL. */
void gw_json_cstr(FILE *out, const char *s);
/* "key": (a comma first unless first). */
void gw_json_key(FILE *out, const char *key, int first);

#endif /* GW_JSON_H */
