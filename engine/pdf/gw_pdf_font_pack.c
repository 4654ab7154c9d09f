/*
 * gw_pdf_font_pack.c - compressing a font's program and CMap (PDF module).
 *
 * Owns steps 4 and 5 of embedding (see gw_pdf_font.h): compressing the
 * subset program and the ToUnicode CMap, a long program in two pieces that
 * two jobs compress at once (gw_pdf_font_program and _program_rest; they
 * touch only the gw_pdf_font, so they run on worker threads), and putting
 * the result into the streams gw_pdf_font_obj.c made. Calls gw_deflate
 * and libharu.
 */
#include <hpdf.h>
#include <hpdf_objects.h>

#include "../util/gw_diag.h"
#include "gw_deflate.h"
#include "gw_pdf_font_int.h"

/*
 * Compress the subset program (its first piece, if it is long: see
 * gw_pdf_font_program_rest). Touches only pf, so different fonts may be
 * done on different threads.
 */
int gw_pdf_font_program(struct gw_pdf_font *pf, struct gw_deflate *z)
{
    if (!pf)
        return -1;
    const char *why = !pf->planned ? "font not planned" : !z ? "out of memory" : NULL;
    if (why) {
        gw_set_err(pf->err, sizeof pf->err, "%s", why);
        return -1;
    }
    size_t len = pf->program.len;
    const char *data = pf->program.data;
    int rc = pf->cut ? gw_deflate_first(z, data, pf->cut, &pf->packed)
                     : gw_deflate(z, data, len, &pf->packed);
    if (rc == 0)
        rc = gw_deflate(z, pf->cmap.data, pf->cmap.len, &pf->packed_cmap);
    if (pf->cut) /* the joined stream's checksum; a whole one has its own */
        pf->adler = gw_deflate_adler32(1, data, len);
    if (rc != 0) {
        gw_set_err(pf->err, sizeof pf->err, "out of memory");
        pf->subset_size = 0;
    }
    return rc;
}

/* Compress the second piece of a long program (see gw_pdf_font_program), if there is one. */
int gw_pdf_font_program_rest(struct gw_pdf_font *pf, struct gw_deflate *z)
{
    if (!pf || !pf->planned || !pf->cut)
        return 0; /* nothing to do; a failure is the first piece's to report */
    size_t len = pf->program.len;
    const char *data = pf->program.data;
    /* on failure rest stays empty, which gw_pdf_font_fill reports */
    return z && gw_deflate_rest(z, data + pf->cut, len - pf->cut, &pf->rest) == 0 ? 0 : -1;
}

/* Why gw_pdf_font_program failed. */
const char *gw_pdf_font_error(const struct gw_pdf_font *pf)
{
    return pf ? pf->err : "";
}

/* Put the compressed font program into its stream. */
int gw_pdf_font_fill(struct gw_pdf_font *pf, char *err, size_t errlen)
{
    if (!pf || !pf->fontfile || !pf->subset_size) {
        gw_set_err(err, errlen, "font not emitted or not programmed");
        return -1;
    }
    if (pf->cut) { /* join the pieces (once) */
        if (!pf->rest.len || gw_deflate_join(&pf->packed, &pf->rest, pf->adler) != 0) {
            gw_set_err(err, errlen, "cannot compress the font program (out of memory)");
            return -1;
        }
        pf->cut = 0;
        gw_buf_free(&pf->rest);
    }
    gw_buf_free(&pf->program);
    if (gw_pdf_put_deflated(pf->fontfile, pf->packed.data, pf->packed.len) != HPDF_OK ||
        gw_pdf_put_deflated(pf->tounicode, pf->packed_cmap.data, pf->packed_cmap.len) != HPDF_OK ||
        (!pf->cff && /* Length1: TrueType programs only */
         HPDF_Dict_AddNumber(pf->fontfile, "Length1", (HPDF_INT32)pf->subset_size) != HPDF_OK)) {
        gw_set_err(err, errlen, "cannot write the font program (out of memory)");
        return -1;
    }
    return 0; /* packed and packed_cmap are read when the document is saved */
}
