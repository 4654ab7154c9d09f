/*
 * gw_pdf_file: the output file (PDF module).
 *
 * Owns how a PDF reaches the disk: libharu's output stream gathered into
 * 64 KB writes to the new file, and the commit that replaces the target
 * only once the file is whole, so a failed build never leaves a partial
 * file or clobbers a good one. The file itself (a temporary nobody sees,
 * symlinks, permissions, signals) is util/gw_outfile's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_streams.h>

#include "../util/gw_arena.h"
#include "../util/gw_outfile.h"
#include "gw_deflate.h"
#include "gw_pdf_int.h"

/*
 * The output file as a libharu stream. libharu writes a PDF a few bytes at
 * a time (a name, a number), and its own file writer makes an fwrite call
 * for each; this one gathers them in a 64 KB buffer.
 */
struct out_file {
    int fd;
    int err; /* errno of the first failed write */
    size_t len;
    unsigned char buf[64 * 1024];
};

static void out_flush(struct out_file *o)
{
    size_t done = 0;
    while (!o->err && done < o->len) {
        ssize_t n = write(o->fd, o->buf + done, o->len - done);
        if (n < 0 && errno != EINTR)
            o->err = errno;
        else if (n > 0)
            done += (size_t)n;
    }
    o->len = 0;
}

static HPDF_STATUS out_write(HPDF_Stream s, const HPDF_BYTE *p, HPDF_UINT n)
{
    struct out_file *o = s->attr;
    while (n > 0 && !o->err) {
        if (o->len == sizeof o->buf)
            out_flush(o);
        size_t k = sizeof o->buf - o->len < n ? sizeof o->buf - o->len : n;
        memcpy(o->buf + o->len, p, k);
        o->len += k;
        p += k;
        n -= (HPDF_UINT)k;
    }
    return o->err ? HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)o->err) : HPDF_OK;
}

int gw_pdf_save_to(HPDF_Doc pdf, int fd)
{
    struct out_file *o = malloc(sizeof *o);
    HPDF_Stream st = o ? gw_pdf_stream_new(pdf->mmgr, &pdf->error, o) : NULL;
    if (!st) {
        free(o);
        return ENOMEM;
    }
    o->fd = fd;
    o->err = 0;
    o->len = 0;
    st->write_fn = out_write;
    pdf->stream = st; /* where HPDF_SaveToStream writes */
    int rc = HPDF_SaveToStream(pdf) == HPDF_OK ? 0 : -1;
    out_flush(o);
    if (o->err)
        rc = o->err;
    pdf->stream = NULL;
    free(o);
    return rc;
}

int gw_pdf_replace_output(struct gw_outfile *out, const char *input, const char *path,
                          struct gw_diag *diag)
{
    char err[256];
    if (gw_outfile_commit(out, false, err, sizeof err) == 0)
        return 0;
    gw_diag_error(diag, gw_span_file(input), "cannot write %s: %s", path, err);
    return -1;
}
