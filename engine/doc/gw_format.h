/*
 * gw_format: the document formats a 版式 value names (GB/T 9704 §7 and §10,
 * and the 简报), and the layout that sets each.
 *
 * The reader asks whether a header's 版式 is one of the 文件 family (then a
 * header 标题 is the document's headline, not a masthead title); the plugin
 * host turns a format's name into its layout. A 版式 that names no format
 * is taken as a layout's name (a county's own layout).
 */
#ifndef GW_FORMAT_H
#define GW_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

struct gw_format {
    const char *name;    /* the Chinese name: 文件, 信函, 命令, 纪要, 简报 */
    const char *alias;   /* the English alias: document, letter, order, minutes, bulletin */
    const char *layout;  /* the layout that sets it */
    bool document;       /* a 文件-family format: 标题 is the headline, 发文字号 and 落款 apply */
};

/* The format called name (Chinese or English, whole string), or NULL. */
const struct gw_format *gw_format_find(const char *name, size_t len);
/* The formats, for messages: "文件 (document), 信函 (letter), …". */
const char *gw_format_list(void);

#endif /* GW_FORMAT_H */
