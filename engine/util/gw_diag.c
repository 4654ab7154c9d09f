/*
 * gw_diag: gcc-style diagnostics (see gw_diag.h).
 */
#include "gw_diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "gw_json.h"

void gw_diag_init(struct gw_diag *d, FILE *out)
{
    d->out = out;
    d->errors = d->warnings = 0;
    d->werror = false;
    d->quiet = false;
    d->held = NULL;
    d->held_len = 0;
    d->findings = NULL;
    d->findings_json = false;
    d->nfindings = 0;
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

/* A finding as one JSON object (docs/cli.md, "finding"). */
static void write_json(struct gw_diag *d, const char *level, struct gw_span span, const char *id,
                       const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (!msg)
        return;
    vsnprintf(msg, (size_t)(n > 0 ? n + 1 : 1), fmt, ap);
    FILE *out = d->findings;
    fputs(d->nfindings > 1 ? ",{\"file\":" : "{\"file\":", out);
    gw_json_cstr(out, span.file);
    fprintf(out, ",\"line\":%d,\"col\":%d", span.line, span.col);
    gw_json_key(out, "level", 0);
    gw_json_cstr(out, level);
    gw_json_key(out, "rule", 0);
    gw_json_cstr(out, id);
    gw_json_key(out, "message", 0);
    gw_json_cstr(out, msg);
    fputs("}\n", out);
    free(msg);
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
    static const char *names[] = {"note", "warning", "error"};
    if (id && d->findings) {
        d->nfindings++;
        if (d->findings_json) {
            write_json(d, names[lvl], span, id, fmt, ap);
            return;
        }
    }
    FILE *out = id && d->findings ? d->findings : d->out;
    if (!out || (d->quiet && lvl != GW_ERROR))
        return;
    if (span.file && span.line > 0 && span.col > 0)
        fprintf(out, "%s:%d:%d: ", span.file, span.line, span.col);
    else if (span.file && span.line > 0)
        fprintf(out, "%s:%d: ", span.file, span.line);
    else if (span.file)
        fprintf(out, "%s: ", span.file);
    else
        fprintf(out, "gongwen: ");
    if (id)
        fprintf(out, "%s[%s]: ", names[lvl], id);
    else
        fprintf(out, "%s: ", names[lvl]);
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    fflush(out);
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
