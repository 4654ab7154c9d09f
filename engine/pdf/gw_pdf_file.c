/*
 * gw_pdf_file: the output file (PDF module).
 *
 * Owns how a PDF reaches the disk: a temporary file beside the target,
 * libharu's output stream gathered into 64 KB writes, and the rename that
 * replaces the target only once the file is whole (on a thread of its own
 * while the CLI frees the build, or here and now), so a failed build never
 * leaves a partial file or clobbers a good one.
 */
#include <errno.h>
#include <pthread.h>
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
#include "../util/gw_jobs.h"
#include "gw_deflate.h"
#include "gw_pdf_int.h"

int gw_pdf_temp_file(const char *path, char *tmp, size_t len)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    snprintf(tmp, len, "%.*s.%s.tmpXXXXXX", dirlen, path, slash ? slash + 1 : path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; a PDF is an ordinary file */
    return fd;
}

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
        close(fd);
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
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    pdf->stream = NULL;
    free(o);
    return rc;
}

struct gw_pdf_pending {
    pthread_t thread;
    bool started; /* on its thread, not yet joined */
    int err;      /* errno of a failed rename, else 0 */
    char *path, *tmp;
};

static void *rename_main(void *arg)
{
    struct gw_pdf_pending *p = arg;
    p->err = rename(p->tmp, p->path) == 0 ? 0 : errno;
    return NULL;
}

struct gw_pdf_pending *gw_pdf_replace_output(const char *tmp, const char *path, bool on_thread)
{
    struct gw_pdf_pending *p = gw_xcalloc(1, sizeof *p);
    p->path = gw_xstrdup(path);
    p->tmp = gw_xstrdup(tmp);
    p->started = on_thread && gw_thread_start(&p->thread, rename_main, p) == 0;
    if (!p->started)
        rename_main(p);
    return p;
}

int gw_pdf_finish(struct gw_pdf_pending *p, struct gw_diag *diag)
{
    if (p->started)
        pthread_join(p->thread, NULL);
    int rc = 0;
    if (p->err) {
        gw_diag_error(diag, gw_span_file(p->path), "cannot replace the output file: %s",
                      strerror(p->err));
        unlink(p->tmp);
        rc = -1;
    }
    free(p->path);
    free(p->tmp);
    free(p);
    return rc;
}
