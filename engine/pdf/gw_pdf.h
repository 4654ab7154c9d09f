/*
 * gw_pdf: display list -> PDF file, the only module that includes libharu.
 *
 * libharu owns the document, pages, graphics and the file; the
 * engine owns its fonts (gw_pdf_font: subset TrueType, Identity-H, a correct
 * ToUnicode CMap) and writes text operators itself. The file is written to a
 * temporary file in the target folder that replaces the target only when
 * complete, so a failed run never leaves a partial file or clobbers a good one
 * (util/gw_outfile.h). Errors are sentences naming the input, never bare
 * libharu codes.
 */
#ifndef GW_PDF_H
#define GW_PDF_H

#include "../font/gw_fontset.h"
#include "../layout/gw_layout.h"
#include "../util/gw_diag.h"

/* What writing cost, for --timings. */
struct gw_pdf_stats {
    int fonts;        /* fonts embedded */
    double plan_ms;    /* planning their subsets (CIDs, widths, ToUnicode), main thread */
    double program_ms; /* making and compressing the subsets, summed over the workers */
    long font_bytes;  /* their subset programs, uncompressed */
};

/*
 * The most pages a PDF written by gongwen holds: libharu keeps every page in
 * one array of the page tree, and its arrays hold at most 32767 entries. A
 * longer document is an error before anything is written.
 */
#define GW_PDF_MAX_PAGES 32767

/*
 * Write dl, laid out from input (named in messages), to path. Returns 0, or
 * -1 after reporting to diag (path untouched). Font subsets and page
 * contents are made and compressed on `workers` threads (0:
 * gw_jobs_workers()). stats may be NULL.
 */
int gw_pdf_write(const struct gw_dlist *dl, const struct gw_fontset *fs, const char *input,
                 const char *path, int workers, struct gw_diag *diag,
                 struct gw_pdf_stats *stats);

#endif /* GW_PDF_H */
