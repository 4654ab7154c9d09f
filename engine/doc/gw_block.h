/*
 * gw_block: what section plugins produce and the layout consumes.
 *
 * The plugin host turns each section into a chain of blocks (paragraphs made
 * of styled runs, footnotes, vertical space, rules, page breaks) with concrete fonts
 * (role indices into the gw_fontset), sizes and colours. It also fills the
 * page setup (geometry, grid, page numbers) and the items the layout's
 * masthead placed on page 1. Everything here lives in the document arena.
 */
#ifndef GW_BLOCK_H
#define GW_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/gw_diag.h"

/* A styled stretch of text: UTF-8 without markup. */
struct gw_run {
    const char *text;
    size_t len;
    int role;           /* font role index (gw_fontset) */
    double size;        /* pt */
    uint32_t color;     /* 0xRRGGBB */
    bool bold;          /* synthetic bold (fill + stroke) */
    bool italic;        /* synthetic italic (12° shear) */
    struct gw_span src; /* input position of the text */
};

enum gw_align { GW_ALIGN_JUSTIFY, GW_ALIGN_LEFT, GW_ALIGN_CENTER, GW_ALIGN_RIGHT };

/* The text of one table cell (or a caption): styled runs. */
struct gw_text {
    struct gw_run *runs;
    int nruns;
};

struct gw_table {
    int nrows, ncols;
    int head;                  /* header rows (repeated on every page the table spans) */
    const char *align;         /* per column: 'l', 'c' or 'r' */
    struct gw_text *cells;     /* nrows * ncols, row by row */
    struct gw_text caption;    /* above the table; nruns 0 for none */
    bool grid;                 /* a full grid; else a three-line table (三线表) */
    double pad;                /* cell padding, pt */
    double leading;            /* line height as a multiple of the cell font size */
    double thick, thin;        /* rule widths, pt */
    double *widths;            /* fixed column widths in pt (0 = from content), or NULL */
    bool landscape;            /* the layout allows landscape pages for a table too wide */
};

struct gw_image {
    const char *path;          /* file to embed (PNG or JPEG) */
    int png;                   /* 1 PNG, 0 JPEG */
    int px_w, px_h;            /* pixel size */
    double max_share;          /* at most this share of the text block's height */
    struct gw_text caption;    /* below the image, centred */
};

enum gw_block_type {
    GW_BLOCK_TABLE,     /* a table (rows split only if taller than a page; the header repeats) */
    GW_BLOCK_IMAGE,     /* an image with its caption, moved to a new page together */
    GW_BLOCK_PARA,      /* runs, broken into lines on the grid */
    GW_BLOCK_SPACE,     /* `lines` empty grid lines (dropped at a page top) */
    GW_BLOCK_RULE,      /* a horizontal rule: centred in a grid line (lines 1) or on the
                           boundary above the next line (lines 0) */
    GW_BLOCK_PAGEBREAK, /* continue on a new page */
    GW_BLOCK_FOOTNOTE,  /* runs set at the foot of the page where the block before it ends,
                           under a short rule (layout/gw_foot.c) */
};

struct gw_block {
    enum gw_block_type type;
    struct gw_span src;
    struct gw_run *runs; /* PARA, FOOTNOTE */
    int nruns;
    double indent;       /* PARA, FOOTNOTE: first line's start, in 字 of the block's size */
    double hanging;      /* PARA, FOOTNOTE: the other lines' start, in 字 (0: the left edge) */
    double right_indent; /* PARA, FOOTNOTE: every line's end, 字 from the right edge */
    bool balance;        /* PARA: its n lines as equal as possible (the narrowest measure) */
    enum gw_align align; /* PARA, FOOTNOTE */
    int keep_next;       /* lines of the following block that must share this block's page */
    bool keep_together;  /* the block's lines may not split across pages */
    double squeeze;      /* kept blocks that do not fit under the text on its page may have
                            the page's lines set closer, down to this share of the grid's
                            pitch (GB/T 9704 §7.3.5.5; layout/gw_squeeze.c); 0: never */
    double lines;        /* SPACE: grid lines; RULE: 1 or 0 (see GW_BLOCK_RULE) */
    double thickness;    /* RULE: pt */
    uint32_t color;      /* RULE */
    const char *outline; /* non-NULL: a bookmark with this title points here */
    struct gw_table *table; /* TABLE */
    struct gw_image *image; /* IMAGE */
    bool text;           /* made by a section plugin: the text proper (not a head or close) */
    bool same_line;      /* PARA: set on the last line of the paragraph before (no new line) */
    bool middle;         /* PARA: lines centred in their grid lines (else on the line's top) */
    struct gw_image *seal; /* PARA: an image over its first line (a 印章), multiply-blended */
    double seal_w;       /* PARA: the seal's width, pt */
    double seal_raise;   /* PARA: its centre this far above the first line's centre, pt */
    double seal_right;   /* PARA: < 0: the seal centred on the line's text; else its right
                            edge this far left of the text block's, pt (a 签名章) */
    struct gw_span seal_src; /* PARA: where the seal's file was named (an error in it) */
    struct gw_block *next;
};

/* Something the masthead put at a fixed place on page 1. */
struct gw_placed {
    bool is_rule;
    double x, y;         /* pt from the page's top-left; text: em-box top of the line */
    double width;        /* RULE: length; TEXT: box width for alignment */
    double thickness;    /* RULE */
    uint32_t color;
    enum gw_align align; /* TEXT: within [x, x + width] */
    struct gw_run run;   /* TEXT */
    struct gw_placed *next;
};

enum gw_number_pos { GW_NUM_OUTER, GW_NUM_CENTER, GW_NUM_NONE };

struct gw_page_setup {
    double page_w, page_h;       /* pt */
    double left, top;            /* text block origin, pt from the page's top-left */
    double width, height;        /* text block size, pt */
    int lines, chars;            /* the grid: lines per page, characters per line */
    double body_size;            /* pt: the grid cell is width/chars wide for this size */
    int widow, orphan;           /* minimum lines of a paragraph at a page top / bottom */
    /* page numbers */
    enum gw_number_pos num_pos;
    const char *num_format;      /* printf format with one %d, e.g. "— %d —" */
    int num_role;
    double num_size;
    double num_below;            /* pt between the text block bottom and the number's top */
    double num_inset;            /* pt from the text block edge (outer position) */
    bool num_first;              /* number page 1 too */
    bool colophon_even;          /* the 版记 goes on an even page (a blank page before it if needed) */
    bool first_page_text;        /* page 1 must show some of the text proper (GB/T 9704 §7.3.2) */
    /* typesetting (gw_break options) */
    int kinsoku;                 /* enum gw_kinsoku */
    int punct_style;             /* enum gw_punct_style */
    bool trim_start;             /* opening marks at a line start lose their blank half */
    double cjk_latin;            /* Han-Latin gap, em */
    bool avoid_runt;             /* 单字不成行 */
    bool grid;                   /* grid setting: full-width characters on the grid's columns */
    int latin_role;              /* role for Latin letters and digits, or -1: the run's own */
    /* page 1 */
    struct gw_placed *placed;    /* masthead items */
    int first_line;              /* grid line (0-based) where the body starts on page 1 */
};

struct gw_meta {
    const char *title, *author, *subject, *date;
};

/* The whole input to the layout stage. */
struct gw_build {
    struct gw_page_setup setup;
    struct gw_meta meta;
    struct gw_block *first, *last; /* body blocks in order */
    struct gw_block *colophon;     /* 版记 blocks, set at the bottom of the last page */
};

#endif /* GW_BLOCK_H */
