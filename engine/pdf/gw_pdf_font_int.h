/*
 * gw_pdf_font_int.h - what the font embedding's files share (private to
 * engine/pdf; the public API is gw_pdf_font.h).
 *
 * struct gw_pdf_font itself, and the functions the steps of
 * gw_pdf_font_plan, _emit, _emit_streams, _program and _fill call in the
 * other files, grouped by the file that owns them:
 *
 *   gw_pdf_font.c          the record of glyphs used, planning, the steps
 *   gw_pdf_font_cff.c      reading a CFF table's charset (CID-keyed fonts)
 *   gw_pdf_font_cffcopy.c  moved copies of glyphs appended to a CFF subset (width variants)
 *   gw_pdf_font_subset.c   the subset's plan and program (gw_ttf_subset, hb-subset)
 *   gw_pdf_font_widths.c   /DW and the /W array
 *   gw_pdf_font_cmap.c     the ToUnicode CMap
 *   gw_pdf_font_obj.c      the PDF objects (libharu's object layer)
 *   gw_pdf_font_pack.c     compressing the program and CMap, filling the streams
 */
#ifndef GW_PDF_FONT_INT_H
#define GW_PDF_FONT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "../font/gw_hb.h"
#include "../util/gw_buf.h"
#include "gw_pdf_font.h"
#include "gw_ttf_subset.h"

/* A glyph drawn, and the text it stands for. */
struct gw_pdf_glyph {
    uint32_t gid;   /* glyph id in the original font */
    uint32_t cid;   /* glyph id in the subset (after build) */
    uint32_t text;  /* first code point in pf->text */
    uint32_t ntext; /* number of code points */
};

/* A glyph drawn with an advance other than its own, or moved in its box (a mark). */
struct gw_pdf_variant {
    uint32_t gid;   /* glyph id in the original font */
    int width;      /* advance in 1000-unit glyph space */
    int shift;      /* outline moved right, 1000 units */
    uint32_t cid;   /* its own CID (after build), a moved copy of the glyph in the subset */
};

/* One embedded font of one document (gw_pdf_font.h). */
struct gw_pdf_font {
    const struct gw_font *font;
    struct gw_pdf_variant *variants;
    size_t nvariants, capvariants;
    /*
     * per original gid: glyph index + 1, 0 = unused; in blocks of 256 made
     * when one of their glyphs is first used (a table for every glyph of a
     * CJK font was 120 KB of fresh memory, each page of it faulted in twice:
     * read as the zero page, then copied on write)
     */
    uint32_t *slot[65536 / 256];
    struct gw_pdf_glyph *glyphs;
    size_t nglyphs, capglyphs;
    uint32_t *text;
    size_t ntext, captext;
    int bad; /* USE_OK, or why a use() failed (gw_pdf_font.c) */
    uint32_t bad_gid;
    bool cff;             /* PostScript outlines: CIDFontType0 with a bare CFF program */
    bool cid_keyed;       /* a CID-keyed CFF: codes are the font's own CIDs */
    uint16_t *cid_of_gid; /* its charset, glyph -> CID (cid_keyed only) */
    /* set by gw_pdf_font_plan */
    bool planned;
    hb_subset_plan_t *plan;   /* CFF: hb-subset's plan, until the program is made */
    struct gw_ttf_subset ttf; /* TrueType: our own plan (ttf.old == NULL: none) */
    uint32_t (*pairs)[2];     /* TrueType: {code point, CID} for the subset's cmap */
    size_t npairs;
    struct gw_buf cmap, w;    /* ToUnicode CMap and /W array text */
    long dw10;                /* /DW in tenths of units */
    char basefont[HPDF_LIMIT_MAX_NAME_LEN + 1];
    /* set by gw_pdf_font_emit */
    HPDF_Dict type0;
    HPDF_Dict descriptor;     /* the FontDescriptor, which gets the program's stream */
    HPDF_Dict fontfile;       /* FontFile2 or FontFile3, filled by gw_pdf_font_fill */
    HPDF_Dict tounicode;      /* the ToUnicode stream, filled by gw_pdf_font_fill */
    /* set by gw_pdf_font_plan */
    struct gw_buf program; /* the subset program, until it is compressed */
    size_t cut;          /* its second piece starts here (0: one piece) */
    /* set by gw_pdf_font_program */
    unsigned long adler; /* Adler-32 of the whole program */
    struct gw_buf rest;  /* the second piece, compressed (empty if that failed) */
    struct gw_buf packed;     /* the subset, Flate-compressed */
    struct gw_buf packed_cmap; /* the ToUnicode CMap, Flate-compressed */
    size_t subset_size;
    char err[160];            /* why gw_pdf_font_program failed */
};

/* The slot of gid (glyph index + 1), 0 if unused; gid < 65536. */
static inline uint32_t gw_pdf_font_slot(const struct gw_pdf_font *pf, uint32_t gid)
{
    const uint32_t *b = pf->slot[gid >> 8];
    return b ? b[gid & 255] : 0;
}

/* --- gw_pdf_font_cff.c --- */

/* Read the charset of face's CFF table into pf (CID-keyed fonts only). */
int gw_pdf_font_cff_load(struct gw_pdf_font *pf, hb_face_t *face, char *err, size_t errlen);
/* Read an INDEX at *pos (count, where its offsets and data are); *pos moves past it. */
bool gw_pdf_cff_index(const unsigned char *c, size_t n, size_t *pos, unsigned *count,
                      size_t *offs_at, unsigned *off_size, size_t *data);
/* Offset i (0..count) of an INDEX, from its data start (plus one, as stored). */
uint32_t gw_pdf_cff_offset(const unsigned char *c, size_t offs_at, unsigned off_size, unsigned i);
/* One DICT entry: operator, its operand bytes, and its (first four) operands as numbers. */
struct gw_cff_dentry {
    unsigned op;    /* 0..21, or 1200 + second byte for escaped operators */
    size_t at, len; /* operand bytes in the dict */
    long v[4];
    int nv;
};
#define GW_CFF_DICT_MAX 64 /* entries a DICT may have */
/* Split DICT d[0..len) into entries e[0..GW_CFF_DICT_MAX); how many, or -1 if damaged. */
int gw_pdf_cff_dict(const unsigned char *d, size_t len, struct gw_cff_dentry *e);
/* The charset at offset cs: each of nglyphs glyphs' CID (SID in a name-keyed font). */
bool gw_pdf_cff_ids(const unsigned char *c, size_t n, long cs, unsigned nglyphs, uint16_t *cid);

/* --- gw_pdf_font_cffcopy.c --- */

/* A glyph of a CFF table to copy under a new id, its outline moved right by dx font units. */
struct gw_cff_copy {
    uint32_t glyph; /* its glyph id in the table */
    uint32_t cid;   /* the copy's CID (CID-keyed fonts; otherwise its glyph id is the code) */
    double dx;
};
/*
 * The CFF table c[0..n) with the copies appended as glyphs n.., in order,
 * into out. 0, or -1 with a message.
 */
int gw_pdf_cff_copies(const unsigned char *c, size_t n, const struct gw_cff_copy *cp, size_t ncp,
                      struct gw_buf *out, char *err, size_t errlen);

/* --- gw_pdf_font_subset.c: plan (fixes every glyph's CID), then the program --- */

/* TrueType: gw_ttf_subset's plan in pf->ttf, and the subset cmap's pairs. 0 or -1. */
int gw_pdf_font_subset_ttf(struct gw_pdf_font *pf, char *err, size_t errlen);
/* CFF: hb-subset's plan (for pf->plan), or NULL with a message. */
hb_subset_plan_t *gw_pdf_font_subset_cff(struct gw_pdf_font *pf, char *err, size_t errlen);
/* The subset program into pf->program from the plan; 0, or -1 (pf->err says why). */
int gw_pdf_font_subset_program(struct gw_pdf_font *pf);

/* --- gw_pdf_font_widths.c, gw_pdf_font_cmap.c (glyphs sorted by CID) --- */

/* /DW (tenths of units) and the /W array's text; -1 when out of memory. */
int gw_pdf_font_widths_make(const struct gw_pdf_font *pf, long *dw10, struct gw_buf *w);
/* The ToUnicode CMap's text; -1 when out of memory. */
int gw_pdf_font_cmap_make(const struct gw_pdf_font *pf, struct gw_buf *b);

/* --- gw_pdf_font_obj.c (libharu objects, owned by the document) --- */

/* FontDescriptor, CIDFont and Type0 in pdf; the Type0 dict, or NULL. */
HPDF_Dict gw_pdf_font_obj_new(struct gw_pdf_font *pf, HPDF_Doc pdf);
/* The program and ToUnicode streams, empty, linked into the font; 0 or -1. */
int gw_pdf_font_obj_streams(struct gw_pdf_font *pf, HPDF_Doc pdf);

#endif /* GW_PDF_FONT_INT_H */
