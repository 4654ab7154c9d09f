/*
 * gw_diag: gcc-style diagnostics (see gw_diag.h).
 */
#include "gw_diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

void gw_diag_init(struct gw_diag *d, FILE *out)
{
    d->out = out;
    d->errors = d->warnings = 0;
    d->werror = false;
    d->quiet = false;
    d->held = NULL;
    d->held_len = 0;
}

int gw_diag_hold(struct gw_diag *held, const struct gw_diag *like)
{
    gw_diag_init(held, NULL);
    held->out = open_memstream(&held->held, &held->held_len);
    if (!held->out)
        return -1;
    held->werror = like->werror;
    held->quiet = like->quiet;
    return 0;
}

void gw_diag_drop(struct gw_diag *held)
{
    if (held->out)
        fclose(held->out);
    free(held->held);
    gw_diag_init(held, NULL);
}

void gw_diag_release(struct gw_diag *held, struct gw_diag *to)
{
    if (held->out)
        fclose(held->out);
    held->out = NULL;
    if (to->out && held->held_len) {
        fwrite(held->held, 1, held->held_len, to->out);
        fflush(to->out);
    }
    to->errors += held->errors;
    to->warnings += held->warnings;
    gw_diag_drop(held);
}

struct gw_span gw_span_file(const char *file)
{
    struct gw_span s = {file, 0, 0};
    return s;
}

static void vreport(struct gw_diag *d, enum gw_level lvl, struct gw_span span, const char *id,
                    const char *fmt, va_list ap);

void gw_diag_report(struct gw_diag *d, enum gw_level lvl, struct gw_span span, const char *fmt,
                    ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, lvl, span, NULL, fmt, ap);
    va_end(ap);
}

void gw_diag_rule(struct gw_diag *d, struct gw_span span, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, GW_WARNING, span, id, fmt, ap);
    va_end(ap);
}

static void vreport(struct gw_diag *d, enum gw_level lvl, struct gw_span span, const char *id,
                    const char *fmt, va_list ap)
{
    if (lvl == GW_WARNING && d->werror)
        lvl = GW_ERROR;
    if (lvl == GW_ERROR)
        d->errors++;
    else if (lvl == GW_WARNING)
        d->warnings++;
    if (!d->out || (d->quiet && lvl != GW_ERROR))
        return;
    static const char *names[] = {"note", "warning", "error"};
    if (span.file && span.line > 0 && span.col > 0)
        fprintf(d->out, "%s:%d:%d: ", span.file, span.line, span.col);
    else if (span.file && span.line > 0)
        fprintf(d->out, "%s:%d: ", span.file, span.line);
    else if (span.file)
        fprintf(d->out, "%s: ", span.file);
    else
        fprintf(d->out, "gongwen: ");
    if (id)
        fprintf(d->out, "%s[%s]: ", names[lvl], id);
    else
        fprintf(d->out, "%s: ", names[lvl]);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    fflush(d->out);
}

void gw_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

double gw_ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
