/*
 * gw_pdf_font_cff.c - reading a CFF table's charset (PDF module).
 *
 * A PDF reader finds a glyph of a CID-keyed CFF font by CID, through the
 * font's charset (ISO 32000-1 §9.7.4.2), so codes must be CIDs there; a
 * name-keyed CFF font takes the code as the glyph id. This reads just that
 * much of a CFF table: the Top DICT's ROS (CID-keyed?) and charset.
 *
 * Owns gw_pdf_cff_charset (public, for the unit tests),
 * gw_pdf_font_cff_load, and the INDEX and charset readers
 * gw_pdf_font_cffcopy.c shares. The table is untrusted font data: every read is
 * bounds-checked. Calls HarfBuzz (gw_hb) only to fetch the table.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gw_bytes.h"
#include "../util/gw_diag.h"
#include "gw_pdf_font_int.h"

/* Read an INDEX at *pos: its count and where item data starts; *pos moves past it. */
bool gw_pdf_cff_index(const unsigned char *c, size_t n, size_t *pos, unsigned *count,
                      size_t *offs_at, unsigned *off_size, size_t *data)
{
    if (*pos + 2 > n)
        return false;
    *count = gw_be16(c + *pos);
    if (*count == 0) {
        *pos += 2;
        return true;
    }
    if (*pos + 3 > n)
        return false;
    *off_size = c[*pos + 2];
    if (*off_size < 1 || *off_size > 4)
        return false;
    *offs_at = *pos + 3;
    size_t last_at = *offs_at + (size_t)*count * *off_size;
    if (last_at + *off_size > n)
        return false;
    uint32_t last = 0;
    for (unsigned k = 0; k < *off_size; k++)
        last = (last << 8) | c[last_at + k];
    *data = last_at + *off_size - 1; /* offsets count from 1 */
    if (last < 1 || *data + last > n)
        return false;
    *pos = *data + last;
    return true;
}

/* Offset `i` (0..count) of an INDEX, relative to its data start. */
uint32_t gw_pdf_cff_offset(const unsigned char *c, size_t offs_at, unsigned off_size, unsigned i)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < off_size; k++)
        v = (v << 8) | c[offs_at + (size_t)i * off_size + k];
    return v;
}

/* Split a DICT into entries (see gw_pdf_font_int.h). */
int gw_pdf_cff_dict(const unsigned char *d, size_t len, struct gw_cff_dentry *e)
{
    int ne = 0;
    size_t i = 0, start = 0;
    long v[4];
    int nv = 0;
    while (i < len) {
        unsigned b = d[i];
        if (b <= 21) {
            unsigned op = b;
            if (b == 12) {
                if (i + 1 >= len)
                    return -1;
                op = 1200 + d[++i];
            }
            if (ne == GW_CFF_DICT_MAX)
                return -1;
            e[ne] = (struct gw_cff_dentry){op, start, (b == 12 ? i - 1 : i) - start, {0}, nv};
            memcpy(e[ne].v, v, sizeof v);
            ne++;
            nv = 0;
            start = ++i;
            continue;
        }
        long x = 0;
        if (b == 28 && i + 2 < len) {
            x = (int16_t)gw_be16(d + i + 1);
            i += 3;
        } else if (b == 29 && i + 4 < len) {
            x = (int32_t)gw_be32(d + i + 1);
            i += 5;
        } else if (b == 30) { /* a real: its nibbles up to an f */
            i++;
            while (i < len && (d[i] & 0x0F) != 0x0F && (d[i] >> 4) != 0x0F)
                i++;
            if (i >= len)
                return -1;
            i++;
        } else if (b >= 32 && b <= 246) {
            x = (long)b - 139;
            i++;
        } else if (b >= 247 && b <= 250 && i + 1 < len) {
            x = ((long)b - 247) * 256 + d[i + 1] + 108;
            i += 2;
        } else if (b >= 251 && b <= 254 && i + 1 < len) {
            x = -((long)b - 251) * 256 - d[i + 1] - 108;
            i += 2;
        } else {
            return -1;
        }
        if (nv < 4)
            v[nv++] = x;
    }
    return ne;
}

/* The Top DICT operands we need: charset offset (15), CharStrings (17), ROS (12 30). */
static bool cff_top_dict(const unsigned char *d, size_t len, long *charset, long *charstrings,
                         bool *ros)
{
    struct gw_cff_dentry e[GW_CFF_DICT_MAX];
    int ne = gw_pdf_cff_dict(d, len, e);
    *charset = 0;
    *charstrings = -1;
    *ros = false;
    for (int i = 0; i < ne; i++) {
        if (e[i].op == 15 && e[i].nv >= 1)
            *charset = e[i].v[e[i].nv - 1];
        else if (e[i].op == 17 && e[i].nv >= 1)
            *charstrings = e[i].v[e[i].nv - 1];
        else if (e[i].op == 1230)
            *ros = true;
    }
    return ne >= 0;
}

/* Parse a CFF table's charset (see gw_pdf_font.h). */
bool gw_pdf_cff_charset(const unsigned char *c, size_t n, unsigned nglyphs, bool *cid_keyed,
                        uint16_t *cid)
{
    size_t pos, offs_at = 0, data = 0;
    unsigned count = 0, off_size = 0;
    if (n < 4 || c[0] != 1)
        return false; /* CFF version 1 */
    pos = c[2];
    if (!gw_pdf_cff_index(c, n, &pos, &count, &offs_at, &off_size, &data)) /* Name INDEX */
        return false;
    if (!gw_pdf_cff_index(c, n, &pos, &count, &offs_at, &off_size, &data) || count < 1)
        return false; /* Top DICT INDEX: the first font's */
    uint32_t a = gw_pdf_cff_offset(c, offs_at, off_size, 0), b = gw_pdf_cff_offset(c, offs_at, off_size, 1);
    if (a < 1 || b < a || data + b > n)
        return false;
    long cs, chars;
    if (!cff_top_dict(c + data + a, b - a, &cs, &chars, cid_keyed))
        return false;
    if (!*cid_keyed || !cid)
        return true;
    return gw_pdf_cff_ids(c, n, cs, nglyphs, cid);
}

/* The charset at offset cs: each glyph's CID (or SID); formats 0 (list), 1 and 2 (ranges). */
bool gw_pdf_cff_ids(const unsigned char *c, size_t n, long cs, unsigned nglyphs, uint16_t *cid)
{
    if (cs <= 2 || (size_t)cs >= n) {
        for (unsigned g = 0; g < nglyphs; g++) /* no charset of its own: identity */
            cid[g] = (uint16_t)g;
        return true;
    }
    size_t q = (size_t)cs + 1;
    unsigned fmt = c[cs], g = 1;
    cid[0] = 0;
    while (g < nglyphs) {
        if (fmt == 0) {
            if (q + 2 > n)
                return false;
            cid[g++] = (uint16_t)gw_be16(c + q);
            q += 2;
        } else if (fmt == 1 || fmt == 2) {
            size_t rl = fmt == 1 ? 3 : 4;
            if (q + rl > n)
                return false;
            unsigned first = gw_be16(c + q), left = fmt == 1 ? c[q + 2] : gw_be16(c + q + 2);
            q += rl;
            for (unsigned k = 0; k <= left && g < nglyphs; k++)
                cid[g++] = (uint16_t)(first + k);
        } else {
            return false;
        }
    }
    return true;
}

/* Read the charset of face's CFF table into pf (CID-keyed fonts only). */
int gw_pdf_font_cff_load(struct gw_pdf_font *pf, hb_face_t *face, char *err, size_t errlen)
{
    const struct gw_hb *hb = gw_hb();
    unsigned len = 0, nglyphs = gw_font_glyph_count(pf->font);
    hb_blob_t *t = hb->hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    const unsigned char *c = (const unsigned char *)hb->hb_blob_get_data(t, &len);
    bool ok = c && gw_pdf_cff_charset(c, len, nglyphs, &pf->cid_keyed, NULL);
    if (ok && pf->cid_keyed) {
        pf->cid_of_gid = malloc((size_t)nglyphs * sizeof *pf->cid_of_gid);
        ok = pf->cid_of_gid && gw_pdf_cff_charset(c, len, nglyphs, &pf->cid_keyed, pf->cid_of_gid);
    }
    hb->hb_blob_destroy(t);
    if (!ok) {
        gw_set_err(err, errlen, "cannot read the CFF table of %s (damaged font?)",
                gw_font_path(pf->font));
        return -1;
    }
    return 0;
}
