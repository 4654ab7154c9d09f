/*
 * gw_diag: the one diagnostics sink.
 *
 * Every stage reports problems here as `file:line:col: error: message`
 * (gcc style). The sink counts errors and warnings; the CLI decides the exit
 * code from the count. Messages go to the stream given at init (stderr in the
 * CLI, a memory stream in tests). Positions are 1-based; col counts code
 * points, not bytes.
 */
#ifndef GW_DIAG_H
#define GW_DIAG_H

#include <stdbool.h>
#include <stdio.h>

/* A position in an input file. file points at storage that outlives the run. */
struct gw_span {
    const char *file;
    int line;
    int col;
};

enum gw_level { GW_NOTE, GW_WARNING, GW_ERROR };

struct gw_diag {
    FILE *out;       /* where messages go */
    int errors;      /* errors reported so far */
    int warnings;    /* warnings reported so far */
    bool werror;     /* --strict: warnings count as errors */
    bool quiet;      /* suppress warnings and notes (errors still count and print) */
    char *held;      /* a held sink's messages (gw_diag_hold) */
    size_t held_len;
    /*
     * Where rule findings (gw_diag_rule) go instead of out (NULL: out):
     * `gongwen check` sends them to stdout, what it found, apart from the
     * run's own diagnostics. findings_json writes each as a JSON object,
     * comma-separated (docs/cli.md); nfindings counts them.
     */
    FILE *findings;
    bool findings_json;
    int nfindings;
};

void gw_diag_init(struct gw_diag *d, FILE *out);
/*
 * A sink that keeps its messages, with like's settings: for work done on
 * another thread (or ahead of its turn) whose messages must come out in the
 * order a one-thread run gives. gw_diag_release passes them and the counts
 * on to `to` and closes the held sink; gw_diag_drop closes it, discarding
 * them. Returns -1 if the sink cannot be made (then report to `like`).
 */
int gw_diag_hold(struct gw_diag *held, const struct gw_diag *like);
void gw_diag_release(struct gw_diag *held, struct gw_diag *to);
void gw_diag_drop(struct gw_diag *held);
/* Report at span (span.file may be NULL for "gongwen:"). */
void gw_diag_report(struct gw_diag *d, enum gw_level lvl, struct gw_span span, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
/* A warning from a named rule: "file:line:col: warning[id]: message". */
void gw_diag_rule(struct gw_diag *d, struct gw_span span, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define gw_diag_error(d, span, ...)   gw_diag_report((d), GW_ERROR, (span), __VA_ARGS__)
#define gw_diag_warning(d, span, ...) gw_diag_report((d), GW_WARNING, (span), __VA_ARGS__)
#define gw_diag_note(d, span, ...)    gw_diag_report((d), GW_NOTE, (span), __VA_ARGS__)
/* Write a printf-style one-line reason into a caller's buffer (err may be NULL). */
void gw_set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A span that names only a file (or nothing). */
struct gw_span gw_span_file(const char *file);
/* Milliseconds on a monotonic clock, for stage timings (--timings, scripts/bench). */
double gw_ms_now(void);

#endif /* GW_DIAG_H */
