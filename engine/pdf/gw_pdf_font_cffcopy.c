/*
 * gw_pdf_font_cffcopy.c - second codes for glyphs of a CFF table (PDF module).
 *
 * A compressed punctuation mark is set in a box narrower than its glyph,
 * with its ink moved to where GB/T 15834 puts it. Text selection and
 * extraction see a glyph's box as [origin, origin + /W width], so the mark
 * needs a code of its own whose width is the box and whose outline is
 * shifted inside it. A TrueType font gets one through CIDToGIDMap; a
 * CIDFontType0 has none, so the glyph is copied in the subset's CFF table
 * under a new glyph id and CID (ISO 32000-1 §9.7.4.2), its charstring's
 * first moveto moved by the shift.
 *
 * Owns gw_pdf_cff_copies: the table is rewritten as header, Name INDEX,
 * Top DICT (offsets as 5-byte integers), String and Global Subr INDEXes,
 * charset, FDSelect, CharStrings, FDArray, and the Private DICTs with their
 * local Subrs. Reads untrusted data (our own subset of a font file): every
 * read is bounds-checked, and anything not understood fails with a message
 * rather than a wrong font. Calls only util and the charset reader.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gw_bytes.h"
#include "../util/gw_diag.h"
#include "gw_pdf_font_int.h"

static void put_op(struct gw_buf *b, unsigned op)
{
    if (op >= 1200) {
        gw_buf_addc(b, 12);
        op -= 1200;
    }
    gw_buf_addc(b, (char)op);
}

/* An integer operand in 5 bytes, so a DICT's size does not depend on the offsets it holds. */
static void put_int5(struct gw_buf *b, long v)
{
    unsigned char p[5] = {29, (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    gw_buf_add(b, p, 5);
}

/* An INDEX of n items whose data ends at off[i + 1] (off[0] == 0), data from d. */
static void put_index(struct gw_buf *b, unsigned n, const uint32_t *off, const void *d)
{
    unsigned char h[3] = {(unsigned char)(n >> 8), (unsigned char)n, 4};
    gw_buf_add(b, h, n ? 3 : 2);
    if (!n)
        return;
    for (unsigned i = 0; i <= n; i++) {
        unsigned char o[4];
        uint32_t v = off[i] + 1;
        o[0] = (unsigned char)(v >> 24), o[1] = (unsigned char)(v >> 16);
        o[2] = (unsigned char)(v >> 8), o[3] = (unsigned char)v;
        gw_buf_add(b, o, 4);
    }
    gw_buf_add(b, d, off[n]);
}

/* An INDEX's items: count, and for item i its bytes [data + off(i), data + off(i + 1)). */
struct index {
    unsigned count, off_size;
    size_t offs_at, data, end;
};

static bool read_index(const unsigned char *c, size_t n, size_t pos, struct index *x)
{
    x->end = pos;
    x->offs_at = x->data = 0;
    x->off_size = 1;
    if (!gw_pdf_cff_index(c, n, &x->end, &x->count, &x->offs_at, &x->off_size, &x->data))
        return false;
    for (unsigned i = 0; i < x->count; i++) /* offsets ascending, inside the table */
        if (gw_pdf_cff_offset(c, x->offs_at, x->off_size, i) >
            gw_pdf_cff_offset(c, x->offs_at, x->off_size, i + 1))
            return false;
    return true;
}

static size_t item_at(const unsigned char *c, const struct index *x, unsigned i)
{
    return x->data + gw_pdf_cff_offset(c, x->offs_at, x->off_size, i);
}

/* The FD of each glyph from FDSelect (formats 0 and 3). */
static bool read_fdselect(const unsigned char *c, size_t n, size_t at, unsigned nglyphs,
                          uint8_t *fd)
{
    if (at >= n)
        return false;
    if (c[at] == 0) {
        if (at + 1 + nglyphs > n)
            return false;
        memcpy(fd, c + at + 1, nglyphs);
        return true;
    }
    if (c[at] != 3 || at + 3 > n)
        return false;
    unsigned nr = gw_be16(c + at + 1);
    size_t q = at + 3;
    if (q + (size_t)nr * 3 + 2 > n)
        return false;
    for (unsigned r = 0; r < nr; r++, q += 3) {
        unsigned first = gw_be16(c + q), next = gw_be16(c + q + 3);
        if (first > next || next > nglyphs)
            return false;
        for (unsigned g = first; g < next; g++)
            fd[g] = c[q + 2];
    }
    return true;
}

/* Charstring numbers: the value of the operand at p (end at *next), false if damaged. */
static bool cs_number(const unsigned char *s, size_t len, size_t p, size_t *next, double *v)
{
    unsigned b = s[p];
    if (b == 28 && p + 2 < len) {
        *v = (int16_t)gw_be16(s + p + 1);
        *next = p + 3;
    } else if (b >= 32 && b <= 246) {
        *v = (double)b - 139;
        *next = p + 1;
    } else if (b >= 247 && b <= 250 && p + 1 < len) {
        *v = ((double)b - 247) * 256 + s[p + 1] + 108;
        *next = p + 2;
    } else if (b >= 251 && b <= 254 && p + 1 < len) {
        *v = -((double)b - 251) * 256 - s[p + 1] - 108;
        *next = p + 2;
    } else if (b == 255 && p + 4 < len) {
        *v = (int32_t)gw_be32(s + p + 1) / 65536.0;
        *next = p + 5;
    } else {
        return false;
    }
    return true;
}

static void cs_put(struct gw_buf *b, double v)
{
    if (v == floor(v) && v >= -32768 && v <= 32767) {
        long i = (long)v;
        unsigned char p[3] = {28, (unsigned char)((unsigned long)i >> 8), (unsigned char)i};
        gw_buf_add(b, p, 3);
    } else {
        int32_t f = (int32_t)lround(v * 65536.0);
        unsigned char p[5] = {255, (unsigned char)((uint32_t)f >> 24),
                              (unsigned char)((uint32_t)f >> 16), (unsigned char)((uint32_t)f >> 8),
                              (unsigned char)f};
        gw_buf_add(b, p, 5);
    }
}

/*
 * A Type 2 charstring s moved right by dx, into b: the hints before the
 * first moveto are kept, the moveto (relative to the origin, as the first
 * is) gets dx added. A glyph without a moveto (no outline) is copied as it
 * is. False if the charstring calls a subroutine or is damaged before its
 * first moveto.
 */
static bool cs_shift(const unsigned char *s, size_t len, double dx, struct gw_buf *b)
{
    double st[48];
    int sp = 0, stems = 0;
    bool first = true; /* the first stack-clearing operator may carry the width */
    size_t p = 0, hints = 0; /* s[0, hints): the hints, kept as they are */
    while (p < len) {
        unsigned op = s[p];
        if (op >= 32 || op == 28) {
            size_t next;
            if (sp == 48 || !cs_number(s, len, p, &next, &st[sp++]))
                return false;
            p = next;
            continue;
        }
        if (op == 1 || op == 3 || op == 18 || op == 23 || op == 19 || op == 20) {
            /* stem hints (an odd count: the width first), and hint masks after them */
            stems += (sp - (first && (sp & 1))) / 2;
            first = false;
            sp = 0;
            p++;
            if (op == 19 || op == 20)
                p += (size_t)(stems + 7) / 8;
            hints = p;
            continue;
        }
        if (op == 21 || op == 22 || op == 4) {
            int need = op == 21 ? 2 : 1;
            bool width = first && sp == need + 1;
            if (sp != need && !width)
                return false;
            double x = op == 4 ? 0 : st[sp - need];
            double y = op == 21 ? st[sp - 1] : op == 4 ? st[sp - 1] : 0;
            gw_buf_add(b, s, hints);
            if (width)
                cs_put(b, st[0]);
            cs_put(b, x + dx);
            cs_put(b, y);
            gw_buf_addc(b, 21); /* rmoveto */
            gw_buf_add(b, s + p + 1, len - p - 1);
            return true;
        }
        if (op == 14) { /* endchar before any moveto: no outline to move */
            gw_buf_add(b, s, len);
            return true;
        }
        return false; /* a subroutine call, or an operator not allowed before a moveto */
    }
    return false;
}

/* The parts of the table the copy rewrites. */
struct cff {
    const unsigned char *c;
    size_t n;
    size_t top_at, top_len; /* the Top DICT */
    struct gw_cff_dentry top[GW_CFF_DICT_MAX];
    int ntop;
    size_t names_at, strings_at, gsubrs_end; /* Name INDEX .. end of Global Subr INDEX */
    long charset, charstrings, fdselect, fdarray, cidcount;
    bool cid_keyed;
    struct index cs, fds; /* CharStrings, FDArray */
};

/* A Private DICT (with its local Subrs) written at the end of out; its size. */
static size_t put_private(const struct cff *t, long size, long off, struct gw_buf *out, bool *ok)
{
    struct gw_cff_dentry e[GW_CFF_DICT_MAX];
    const unsigned char *c = t->c;
    if (off < 0 || size < 0 || (size_t)off > t->n || (size_t)size > t->n - (size_t)off) {
        *ok = false;
        return 0;
    }
    int ne = gw_pdf_cff_dict(c + off, (size_t)size, e);
    if (ne < 0) {
        *ok = false;
        return 0;
    }
    size_t start = out->len, subrs = 0, subrs_end = 0;
    for (int i = 0; i < ne; i++) {
        if (e[i].op == 19) { /* Subrs, from the Private DICT's start */
            struct index x;
            if (e[i].nv != 1 || e[i].v[0] < 0 || !read_index(c, t->n, (size_t)off + e[i].v[0], &x)) {
                *ok = false;
                return 0;
            }
            subrs = (size_t)off + (size_t)e[i].v[0];
            subrs_end = x.end;
            continue;
        }
        gw_buf_add(out, c + off + e[i].at, e[i].len);
        put_op(out, e[i].op);
    }
    if (subrs) { /* the Subrs right after the dict */
        put_int5(out, (long)(out->len - start + 6));
        put_op(out, 19);
    }
    size_t dict = out->len - start;
    if (subrs)
        gw_buf_add(out, c + subrs, subrs_end - subrs);
    return dict;
}

/* Read the Top DICT and the INDEXes the copy needs. */
static bool cff_read(struct cff *t, const unsigned char *c, size_t n)
{
    struct index names, tops, strings, gsubrs;
    memset(t, 0, sizeof *t);
    t->c = c;
    t->n = n;
    t->charset = t->charstrings = t->fdselect = t->fdarray = -1;
    if (n < 4 || c[0] != 1 || c[2] < 4 || c[2] >= n)
        return false;
    t->names_at = c[2];
    if (!read_index(c, n, t->names_at, &names) || !read_index(c, n, names.end, &tops) ||
        tops.count != 1 || !read_index(c, n, tops.end, &strings) ||
        !read_index(c, n, strings.end, &gsubrs))
        return false;
    t->strings_at = tops.end;
    t->gsubrs_end = gsubrs.end;
    t->top_at = item_at(c, &tops, 0);
    t->top_len = item_at(c, &tops, 1) - t->top_at;
    t->ntop = gw_pdf_cff_dict(c + t->top_at, t->top_len, t->top);
    if (t->ntop < 0)
        return false;
    for (int i = 0; i < t->ntop; i++) {
        const struct gw_cff_dentry *e = &t->top[i];
        long v = e->nv ? e->v[e->nv - 1] : -1;
        switch (e->op) {
        case 15: t->charset = v; break;
        case 17: t->charstrings = v; break;
        case 1236: t->fdarray = v; break;
        case 1237: t->fdselect = v; break;
        case 1230: t->cid_keyed = true; break;
        case 1234: t->cidcount = v; break;
        default: break;
        }
    }
    if (t->charstrings < 0 || !read_index(c, n, (size_t)t->charstrings, &t->cs) ||
        t->cs.count == 0)
        return false;
    if (t->cid_keyed && (t->fdarray < 0 || t->fdselect < 0 ||
                         !read_index(c, n, (size_t)t->fdarray, &t->fds) || t->fds.count == 0 ||
                         t->fds.count > 255))
        return false;
    return true;
}

/* The Top DICT with the offsets given (every offset 5 bytes: its size does not depend on them). */
static void put_top(const struct cff *t, struct gw_buf *b, long charset, long fdselect,
                    long charstrings, long fdarray, long priv_size, long priv, long cidcount)
{
    bool have_count = false;
    for (int i = 0; i < t->ntop; i++) {
        const struct gw_cff_dentry *e = &t->top[i];
        switch (e->op) {
        case 15: put_int5(b, charset); break;
        case 1237: put_int5(b, fdselect); break;
        case 17: put_int5(b, charstrings); break;
        case 1236: put_int5(b, fdarray); break;
        case 18: put_int5(b, priv_size); put_int5(b, priv); break;
        case 1234: put_int5(b, cidcount); have_count = true; break;
        case 16: continue; /* Encoding: a CIDFontType0 has none (codes are CIDs) */
        default: gw_buf_add(b, t->c + t->top_at + e->at, e->len); break;
        }
        put_op(b, e->op);
    }
    if (t->cid_keyed && !have_count) {
        put_int5(b, cidcount);
        put_op(b, 1234);
    }
}

/* The charset of ids[1..n): a list (format 0) or ranges (format 2), whichever is shorter. */
static void put_charset(struct gw_buf *b, const uint16_t *ids, unsigned n)
{
    unsigned runs = 0;
    for (unsigned g = 1; g < n; g++)
        runs += g == 1 || ids[g] != ids[g - 1] + 1;
    if (4 * runs < 2 * (n - 1)) {
        gw_buf_addc(b, 2);
        for (unsigned g = 1; g < n;) {
            unsigned k = g + 1;
            while (k < n && ids[k] == ids[k - 1] + 1)
                k++;
            unsigned char r[4] = {(unsigned char)(ids[g] >> 8), (unsigned char)ids[g],
                                  (unsigned char)((k - g - 1) >> 8), (unsigned char)(k - g - 1)};
            gw_buf_add(b, r, 4);
            g = k;
        }
        return;
    }
    gw_buf_addc(b, 0);
    for (unsigned g = 1; g < n; g++) {
        unsigned char r[2] = {(unsigned char)(ids[g] >> 8), (unsigned char)ids[g]};
        gw_buf_add(b, r, 2);
    }
}

/* FDSelect format 3: ranges of glyphs with the same FD. */
static void put_fdselect(struct gw_buf *b, const uint8_t *fd, unsigned n)
{
    size_t at = b->len + 1;
    unsigned char h[3] = {3, 0, 0};
    unsigned nr = 0;
    gw_buf_add(b, h, 3);
    for (unsigned g = 0; g < n; g++) {
        if (g > 0 && fd[g] == fd[g - 1])
            continue;
        unsigned char r[3] = {(unsigned char)(g >> 8), (unsigned char)g, fd[g]};
        gw_buf_add(b, r, 3);
        nr++;
    }
    unsigned char s[2] = {(unsigned char)(n >> 8), (unsigned char)n};
    gw_buf_add(b, s, 2);
    b->data[at] = (char)(nr >> 8);
    b->data[at + 1] = (char)nr;
}

/* An FD's dict with its Private DICT at priv (size psize). */
static void put_fd(const struct cff *t, unsigned f, long psize, long priv, struct gw_buf *b)
{
    struct gw_cff_dentry e[GW_CFF_DICT_MAX];
    size_t a = item_at(t->c, &t->fds, f);
    int ne = gw_pdf_cff_dict(t->c + a, item_at(t->c, &t->fds, f + 1) - a, e);
    for (int i = 0; i < ne; i++) {
        if (e[i].op == 18) {
            put_int5(b, psize);
            put_int5(b, priv);
        } else {
            gw_buf_add(b, t->c + a + e[i].at, e[i].len);
        }
        put_op(b, e[i].op);
    }
}

/* The Private DICT operands of FD f (or of the Top DICT, f < 0): false if it has none. */
static bool private_of(const struct cff *t, int f, long *size, long *off)
{
    struct gw_cff_dentry fe[GW_CFF_DICT_MAX];
    const struct gw_cff_dentry *e = t->top;
    int ne = t->ntop;
    if (f >= 0) {
        size_t a = item_at(t->c, &t->fds, (unsigned)f);
        ne = gw_pdf_cff_dict(t->c + a, item_at(t->c, &t->fds, (unsigned)f + 1) - a, fe);
        e = fe;
    }
    for (int i = 0; i < ne; i++)
        if (e[i].op == 18 && e[i].nv == 2) {
            *size = e[i].v[0];
            *off = e[i].v[1];
            return true;
        }
    return false;
}

int gw_pdf_cff_copies(const unsigned char *c, size_t n, const struct gw_cff_copy *cp, size_t ncp,
                      struct gw_buf *out, char *err, size_t errlen)
{
    struct cff *tp = malloc(sizeof *tp); /* (its DICT entries are large for a worker's stack) */
    if (!tp || !cff_read(tp, c, n)) {
        free(tp);
        gw_set_err(err, errlen, "cannot read the subset's CFF table");
        return -1;
    }
    unsigned old = tp->cs.count, total = old + (unsigned)ncp, nfd = tp->cid_keyed ? tp->fds.count : 0;
    if (total > 65535) {
        free(tp);
        gw_set_err(err, errlen, "too many glyphs and width variants for one font");
        return -1;
    }
    uint16_t *ids = malloc((size_t)total * sizeof *ids);
    uint8_t *fd = calloc(total, 1);
    uint32_t *off = malloc(((size_t)total + 1) * sizeof *off);
    uint32_t *doff = calloc((size_t)nfd + 1, sizeof *doff);
    long *psize = calloc((size_t)nfd + 1, sizeof *psize), *pat = calloc((size_t)nfd + 1, sizeof *pat);
    struct gw_buf cs, privs, dicts, top;
    gw_buf_init(&cs);
    gw_buf_init(&privs);
    gw_buf_init(&dicts);
    gw_buf_init(&top);
    int rc = -1;
    bool ok = ids && fd && off && doff && psize && pat &&
              gw_pdf_cff_ids(c, n, tp->charset, old, ids) &&
              (!tp->cid_keyed || read_fdselect(c, n, (size_t)tp->fdselect, old, fd));
    /* the charstrings, then the copies */
    long maxcid = 0;
    off[0] = 0;
    for (unsigned g = 0; ok && g < old; g++) {
        size_t a = item_at(c, &tp->cs, g), e = item_at(c, &tp->cs, g + 1);
        gw_buf_add(&cs, c + a, e - a);
        off[g + 1] = (uint32_t)cs.len;
        maxcid = ids[g] > maxcid ? ids[g] : maxcid;
        ok = !tp->cid_keyed || fd[g] < nfd;
    }
    for (size_t k = 0; ok && k < ncp; k++) {
        unsigned g = cp[k].glyph;
        size_t a, e;
        if (g >= old) { /* (the plan keeps every variant's glyph: a bug) */
            ok = false;
            break;
        }
        a = item_at(c, &tp->cs, g);
        e = item_at(c, &tp->cs, g + 1);
        if (!cs_shift(c + a, e - a, cp[k].dx, &cs)) {
            gw_set_err(err, errlen, "cannot move the outline of glyph %u of the subset", g);
            goto done;
        }
        off[old + k + 1] = (uint32_t)cs.len;
        ids[old + k] = tp->cid_keyed ? (uint16_t)cp[k].cid : ids[g];
        fd[old + k] = fd[g];
        maxcid = tp->cid_keyed && (long)cp[k].cid > maxcid ? (long)cp[k].cid : maxcid;
    }
    /* the Private DICTs (with their Subrs), placed later at the table's end */
    for (int f = tp->cid_keyed ? 0 : -1; ok && f < (int)nfd; f++) {
        long size, at;
        if (private_of(tp, f, &size, &at)) {
            pat[f + 1] = (long)privs.len;
            psize[f + 1] = (long)put_private(tp, size, at, &privs, &ok);
        } else {
            pat[f + 1] = -1;
        }
    }
    if (!ok) {
        gw_set_err(err, errlen, "cannot read the subset's CFF table");
        goto done;
    }
    long cidcount = tp->cidcount > maxcid ? tp->cidcount : maxcid + 1;
    if (tp->cidcount == 0 && cidcount < 8720)
        cidcount = 8720; /* the default when the dict does not say */

    /* where each part goes: every offset is written in 5 bytes, so sizes are known first */
    put_top(tp, &top, 0, 0, 0, 0, 0, 0, 0);
    struct index names;
    read_index(c, n, tp->names_at, &names);
    long at = (long)names.end + 3 + 8 + (long)top.len + (long)(tp->gsubrs_end - tp->strings_at);
    long at_charset = at;
    struct gw_buf tail;
    gw_buf_init(&tail);
    put_charset(&tail, ids, total);
    long at_fdselect = at + (long)tail.len;
    if (tp->cid_keyed)
        put_fdselect(&tail, fd, total);
    long at_cs = at + (long)tail.len;
    put_index(&tail, total, off, cs.data);
    long at_fdarray = at + (long)tail.len;
    for (unsigned f = 0; f < nfd; f++) { /* sized with any offset: 5 bytes each */
        put_fd(tp, f, 0, 0, &dicts);
        doff[f + 1] = (uint32_t)dicts.len;
    }
    long at_privs = at_fdarray + (nfd ? 3 + 4 * ((long)nfd + 1) + (long)dicts.len : 0);
    dicts.len = 0;
    for (unsigned f = 0; f < nfd; f++)
        put_fd(tp, f, psize[f + 1], pat[f + 1] < 0 ? 0 : at_privs + pat[f + 1], &dicts);
    if (nfd)
        put_index(&tail, nfd, doff, dicts.data);
    gw_buf_add(&tail, privs.data, privs.len);

    top.len = 0;
    put_top(tp, &top, at_charset, at_fdselect, at_cs, at_fdarray, psize[0],
            pat[0] < 0 ? 0 : at_privs + pat[0], cidcount);
    size_t start = out->len;
    gw_buf_add(out, c, tp->names_at); /* the header */
    out->data[start + 3] = 4;          /* offsets are 4 bytes */
    gw_buf_add(out, c + tp->names_at, names.end - tp->names_at);
    uint32_t toff[2] = {0, (uint32_t)top.len};
    put_index(out, 1, toff, top.data);
    gw_buf_add(out, c + tp->strings_at, tp->gsubrs_end - tp->strings_at);
    if ((long)(out->len - start) != at) {
        gw_set_err(err, errlen, "internal: CFF head came out %zu bytes, not %ld", out->len - start,
                   at);
        out->len = start;
    } else {
        gw_buf_add(out, tail.data, tail.len);
        rc = 0;
    }
    gw_buf_free(&tail);
done:
    gw_buf_free(&cs);
    gw_buf_free(&privs);
    gw_buf_free(&dicts);
    gw_buf_free(&top);
    free(ids);
    free(fd);
    free(off);
    free(doff);
    free(psize);
    free(pat);
    free(tp);
    return rc;
}
