/*
 * gw_read: input text -> document tree.
 *
 * The first pipeline stage. It validates the bytes (UTF-8, no NUL), splits
 * lines (LF, CRLF or CR), and builds a gw_doc: header fields, then 【】
 * sections of one-line paragraphs. It keeps inline markup (**bold**) as text;
 * the plugin host interprets it. It applies no text rules. Format:
 * docs/input-format.md.
 */
#ifndef GW_READ_H
#define GW_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "../doc/gw_doc.h"
#include "../util/gw_diag.h"

#define GW_READ_MAX_INPUT (64u * 1024 * 1024) /* documented limit: 64 MiB of text */

struct gw_read_opts {
    bool lossy; /* replace invalid UTF-8 with U+FFFD and warn, instead of failing */
};

/*
 * Parse src[0..len) (the contents of doc->file) into doc. Returns 0, or -1
 * after reporting errors to diag (the document is then incomplete).
 */
int gw_read(struct gw_doc *doc, const char *src, size_t len, const struct gw_read_opts *opts,
            struct gw_diag *diag);
/* 附件, 附件1, 附件12 (the name inside 【】): an attachment's body, its title after 】. */
bool gw_read_is_attachment_name(const char *name, size_t len);
/* Whether a line is a numbered table caption ("表1 …", "表 …") that the reader
   takes from just above a table. */
bool gw_read_is_table_caption(const char *text);
/* Canonical header key for a name ("title" -> "标题"), or NULL if unknown. */
const char *gw_read_canonical_key(const char *name, size_t len);
/* Read a whole file into a malloc'd NUL-terminated buffer; NULL + errno on failure. */
char *gw_read_file(const char *path, size_t *len);
/* The same from an open descriptor (standard input for "-"), read to its end; fd stays open. */
char *gw_read_fd(int fd, size_t *len);

#endif /* GW_READ_H */
