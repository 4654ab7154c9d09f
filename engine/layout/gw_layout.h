/*
 * gw_layout: blocks -> pages (the display list).
 *
 * Takes the plugin host's gw_build (page setup, masthead items, body
 * blocks), picks a font for every character through the font roles, breaks
 * paragraphs into lines (gw_break), puts every line on the page grid, breaks
 * pages (headings keep with what follows; widows and orphans avoided), and
 * adds page numbers. The result is a display list that a backend (PDF, or the
 * trace backend used by tests) draws. Uses no Lua, libharu or PCRE2.
 */
#ifndef GW_LAYOUT_H
#define GW_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../doc/gw_block.h"
#include "../doc/gw_feed.h"
#include "../font/gw_fontset.h"
#include "../util/gw_arena.h"
#include "../util/gw_diag.h"

struct gw_glyph {
    uint32_t gid; /* glyph in the item's font */
    uint32_t cp;  /* the character it stands for (for ToUnicode) */
    double x;     /* glyph origin, pt from the page's left edge */
    double w;     /* advance as set (compressed marks are narrower than the glyph), pt */
    double bx;    /* left edge of the box it is set in, pt: the box, [bx, bx + w], is what
                     text selection sees; a mark's ink may sit anywhere in it (x != bx) */
};

enum gw_item_type { GW_ITEM_TEXT, GW_ITEM_RULE, GW_ITEM_IMAGE };

struct gw_item {
    enum gw_item_type type;
    int font;            /* TEXT: font index in the gw_fontset */
    double size;         /* TEXT: pt */
    bool bold;           /* TEXT: synthetic bold */
    bool italic;         /* TEXT: synthetic italic */
    uint32_t color;      /* 0xRRGGBB */
    double y;            /* TEXT: baseline; RULE: centre line; pt from the page top */
    struct gw_glyph *g;  /* TEXT */
    int n;               /* TEXT: glyph count */
    double x0, x1;       /* RULE: extent, pt from the page's left edge; IMAGE: left, right */
    double y1;           /* RULE: a vertical rule's lower end (y is its top); IMAGE: bottom */
    bool vertical;       /* RULE: from (x0, y) down to (x0, y1) */
    bool rotated;        /* in a landscape frame: x, y are in the frame (GW_LANDSCAPE_*) */
    double thickness;    /* RULE: pt */
    const char *path;    /* IMAGE: the file */
    int png;             /* IMAGE: 1 PNG, 0 JPEG */
    bool multiply;       /* IMAGE: drawn with a multiply blend (a seal over text) */
    struct gw_span src;  /* input position (TEXT) */
    struct gw_item *next;
};

/*
 * A landscape frame (GB/T 9704 §8): a table too wide for the text block is
 * set on its own pages in a frame as wide as the text block is high, turned
 * so that the table's head faces the page's left edge (the binding side of an
 * odd page, the cut side of an even one). Rotated items have frame
 * coordinates: x from 0 to the block's height, y from 0 to its width.
 */
struct gw_page {
    int number;           /* 1-based */
    bool landscape;       /* holds a landscape frame */
    bool unnumbered;      /* carries no page number (a blank page before an even-page 版记) */
    struct gw_item *first, *last;
    struct gw_page *next;
};

struct gw_outline {
    const char *title;
    int page;             /* 1-based */
    double y;             /* pt from the page top */
    struct gw_outline *next;
};

struct gw_dlist {
    double page_w, page_h;
    double left, top, width, height; /* the text block (a landscape frame is placed on it) */
    struct gw_page *first, *last;
    int npages;
    struct gw_outline *outlines, *outlines_last;
    struct gw_meta meta;
    long missing_glyphs; /* characters drawn with .notdef because no font has them */
};

/* Lay out b into out (arena-owned), on this thread. Returns 0, or -1 after reporting to diag. */
int gw_layout_run(const struct gw_build *b, struct gw_fontset *fs, struct gw_arena *arena,
                  struct gw_diag *diag, struct gw_dlist *out);
/*
 * Layout beside the plugin host, on a thread of its own (needs workers >= 2;
 * else NULL, and the caller lays out with gw_layout_run afterwards).
 * gw_layout_start is called before gw_plug_build with the same build and
 * feed; the thread starts when the feed opens (gw_feed_on_open) and lays
 * out each body block soon after the host makes it (if it cannot start,
 * gw_layout_finish lays everything out). arena must not be the one the host fills
 * (the two threads allocate at once). diag only lends its settings: the
 * layout's messages are kept until gw_layout_finish.
 */
struct gw_layout_job;
struct gw_layout_job *gw_layout_start(const struct gw_build *b, struct gw_feed *feed,
                                      struct gw_fontset *fs, struct gw_arena *arena,
                                      const struct gw_diag *diag, int workers);
/*
 * After gw_plug_build has returned: built says whether it succeeded. Joins
 * the layout thread, and then (built) reports its messages to diag
 * and fills out, returning what gw_layout_run would; or (not built) drops
 * everything and returns -1. Frees the job.
 */
int gw_layout_finish(struct gw_layout_job *job, bool built, struct gw_diag *diag,
                     struct gw_dlist *out);
/* Write the display list as tab-separated lines (the trace backend). */
void gw_layout_trace(const struct gw_dlist *dl, const struct gw_fontset *fs, FILE *out);

#endif /* GW_LAYOUT_H */
