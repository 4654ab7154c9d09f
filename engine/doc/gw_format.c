/*
 * gw_format: the document formats (see gw_format.h and docs/formats.md).
 *
 * Owns the table of 版式 names, their English aliases and their layouts.
 */
#include "gw_format.h"

#include <string.h>

static const struct gw_format formats[] = {
    {"文件", "document", "wenjian", true},
    {"信函", "letter", "xinhan", true},
    {"命令", "order", "mingling", true},
    {"纪要", "minutes", "jiyao", true},
    {"简报", "bulletin", "gbt9704", false},
};

const struct gw_format *gw_format_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        const struct gw_format *f = &formats[i];
        if ((strlen(f->name) == len && !memcmp(f->name, name, len)) ||
            (strlen(f->alias) == len && !memcmp(f->alias, name, len)))
            return f;
    }
    return NULL;
}

const char *gw_format_list(void)
{
    return "文件 (document), 信函 (letter), 命令 (order), 纪要 (minutes), 简报 (bulletin)";
}
