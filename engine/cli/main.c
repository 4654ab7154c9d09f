/*
 * gongwen: the command-line front end. Dispatches a command (the options
 * are parsed in gw_args.c) and runs a build's stages in order (read ->
 * plugins -> layout -> PDF); it holds no logic of its own beyond choosing
 * paths and exit codes. Which outputs a run may write is checked in
 * gw_output.c before anything is built; how they are written, in
 * util/gw_outfile.c. The other commands are in gw_cmds.c, gw_fix.c and
 * gw_watch.c.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../doc/gw_doc.h"
#include "../font/gw_font.h"
#include "../font/gw_fontset.h"
#include "../layout/gw_layout.h"
#include "../pdf/gw_pdf.h"
#include "../plug/gw_plug.h"
#include "../read/gw_read.h"
#include "../util/gw_arena.h"
#include "../util/gw_buf.h"
#include "../util/gw_diag.h"
#include "../util/gw_jobs.h"
#include "../util/gw_outfile.h"
#include "gw_cli.h"
#include "gw_fonts_report.h"
#include "gw_output.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *gw_cli_default_output(const char *input)
{
    struct gw_buf b;
    gw_buf_init(&b);
    const char *slash = strrchr(input, '/');
    const char *dot = strrchr(input, '.');
    if (dot && (!slash || dot > slash) && dot != input && dot[-1] != '/')
        gw_buf_add(&b, input, (size_t)(dot - input));
    else
        gw_buf_adds(&b, input);
    gw_buf_adds(&b, ".pdf");
    return gw_buf_detach(&b, NULL);
}

static char *output_in_dir(const char *dir, const char *input)
{
    const char *slash = strrchr(input, '/');
    char *base = gw_cli_default_output(slash ? slash + 1 : input);
    struct gw_buf b;
    gw_buf_init(&b);
    gw_buf_printf(&b, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", base);
    free(base);
    return gw_buf_detach(&b, NULL);
}

/* Build one input into out_path. Returns 0 on success. */
int gw_cli_build_one(const struct options *o, const char *input, const char *out_path,
                     struct gw_diag *diag)
{
    double t0 = gw_ms_now();
    int rc = -1;
    size_t len;
    char *src;
    int workers = o->threads > 0 ? o->threads : gw_jobs_workers();
    int errors_before = diag->errors;
    struct gw_doc *doc = gw_cli_load_doc(o, input, &src, &len, NULL, diag);
    if (!doc)
        return -1;
    free(src);
    double t_read = gw_ms_now();
    struct gw_cli_dirs dirs;
    struct gw_fontset fs;
    struct gw_plug *plug = gw_cli_host(o, input, &dirs, &fs, diag);
    if (plug)
        gw_plug_explain(plug, o->explain);
    struct gw_build b;
    struct gw_dlist dl;
    double t_plug = 0, t_layout = 0, t_pdf = 0;
    /*
     * With two cores, layout runs beside the plugins, taking each body block
     * as it is made; "layout" in --timings is then what remains after them.
     */
    struct gw_arena larena; /* the display list: layout allocates while the plugins do */
    gw_arena_init(&larena);
    struct gw_feed *feed = plug ? gw_feed_new() : NULL;
    struct gw_layout_job *job =
        feed ? gw_layout_start(&b, feed, &fs, &larena, diag, workers) : NULL;
    bool built = plug && gw_plug_build(plug, doc, &fs, &b, job ? feed : NULL) == 0;
    t_plug = gw_ms_now();
    int laid = job     ? gw_layout_finish(job, built, diag, &dl)
               : built ? gw_layout_run(&b, &fs, &larena, diag, &dl)
                       : -1;
    gw_feed_free(feed);
    if (!built || laid < 0)
        goto out;
    t_layout = gw_ms_now();
    if (diag->errors > errors_before)
        goto out; /* --strict warnings, or errors a stage reported but survived */
    if (!o->check_only)
        gw_fonts_note_standins(&fs, &dl, input, diag);
    if (o->trace) {
        gw_layout_trace(&dl, &fs, stdout);
        rc = 0;
        goto out;
    }
    if (o->check_only) {
        if (dl.missing_glyphs)
            printf("%s: %ld characters have no font (listed above)\n", gw_cli_input_name(input),
                   dl.missing_glyphs);
        else
            printf("%s: every character has a font\n", gw_cli_input_name(input));
        rc = dl.missing_glyphs ? 1 : 0;
        goto out;
    }
    struct gw_pdf_stats ps;
    if (gw_pdf_write(&dl, &fs, gw_cli_input_name(input), out_path, workers, diag, &ps) < 0)
        goto out;
    t_pdf = gw_ms_now();
    rc = 0;
    int hits = 0, misses = 0;
    gw_font_find_stats(&hits, &misses);
    if (o->timings)
        fprintf(stderr,
                "timings %s: read %.2f ms, plugins %.2f ms, layout %.2f ms, pdf %.2f ms, "
                "total %.2f ms, %d pages; fonts: %d opened in %.2f ms (%d lookups cached, %d "
                "asked fontconfig), %d embedded: plan %.2f ms, subset+compress %.2f ms on "
                "workers; set-up %.2f ms per font; %ld KB of subsets\n",
                gw_cli_input_name(input), t_read - t0, t_plug - t_read, t_layout - t_plug, t_pdf - t_layout,
                t_pdf - t0, dl.npages, fs.nfonts, fs.open_ms, hits, misses, ps.fonts,
                ps.plan_ms, ps.program_ms,
                ps.fonts ? (fs.open_ms + ps.plan_ms + ps.program_ms) / ps.fonts : 0.0,
                ps.font_bytes / 1024);
out:
    gw_plug_free(plug);
    gw_fontset_fini(&fs);
    gw_arena_free(&larena);
    gw_doc_free(doc);
    const char *shown = GW_OUT_IS_STDOUT(out_path) ? "standard output" : out_path;
    if (rc == 0 && !o->trace && !o->check_only && !GW_OUT_IS_STDOUT(out_path))
        printf("%s\n", out_path); /* with -o -, stdout is the PDF */
    if (rc != 0 && !o->trace && !o->check_only)
        fprintf(stderr, "gongwen: %s: build failed; %s was not written\n",
                gw_cli_input_name(input), shown);
    return rc;
}

int gw_cli_build(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs == 0) {
        fputs(gw_cli_usage, stderr);
        return GW_EXIT_USAGE;
    }
    if (o->ninputs > 1 && o->out && !is_dir(o->out)) {
        gw_diag_error(diag, gw_span_file(o->out), "several inputs need -o to name a folder");
        return 1;
    }
    if (o->ninputs == 1 && o->out && is_dir(o->out)) {
        gw_diag_error(diag, gw_span_file(o->out),
                      "-o names a folder; give a file name (or build several inputs)");
        return 1;
    }
    int nstdout = 0;
    for (int i = 0; i < o->ninputs; i++)
        nstdout += gw_cli_is_stdin(o->inputs[i]);
    if (nstdout > 1) {
        gw_diag_error(diag, gw_span_file(NULL), "standard input (-) can be read only once");
        return GW_EXIT_USAGE;
    }
    const char *to = o->out ? o->out : o->ninputs == 1 && nstdout ? "-" : NULL;
    if (to && GW_OUT_IS_STDOUT(to) && !o->trace && isatty(STDOUT_FILENO)) {
        gw_diag_error(diag, gw_span_file(NULL),
                      "will not write a PDF to a terminal; give -o OUT.pdf (or pipe the output)");
        return GW_EXIT_FAILED;
    }
    if (o->ninputs > 1 && nstdout && !o->out) {
        gw_diag_error(diag, gw_span_file(NULL),
                      "standard input (-) among several inputs needs -o to name a folder");
        return GW_EXIT_USAGE;
    }
    int jobs = o->jobs > 0 ? o->jobs : gw_cpus();
    if (jobs < 1 || o->ninputs == 1 || o->trace)
        jobs = 1;
    struct options one = *o; /* each of `jobs` parallel builds gets its share of the cores */
    if (jobs > 1) {
        one.threads = gw_jobs_workers() / jobs;
        if (one.threads < 1)
            one.threads = 1;
        o = &one;
    }
    /* every output is checked before anything is built (engine/cli/gw_output.h) */
    char **outs = gw_xcalloc((size_t)o->ninputs, sizeof *outs);
    for (int i = 0; i < o->ninputs; i++)
        outs[i] = o->out ? (o->ninputs > 1 ? output_in_dir(o->out, o->inputs[i])
                                           : gw_xstrdup(o->out))
                  : gw_cli_is_stdin(o->inputs[i]) ? gw_xstrdup("-")
                                                  : gw_cli_default_output(o->inputs[i]);
    int failed = 0, running = 0;
    if (!o->trace && !(o->ninputs == 1 && GW_OUT_IS_STDOUT(outs[0])) &&
        gw_output_check(o->inputs, o->ninputs, (const char *const *)outs, o->ninputs, diag)) {
        fprintf(stderr, "gongwen: nothing was built\n");
        failed = 1;
        goto out_free_outs;
    }
    for (int i = 0; i < o->ninputs; i++) {
        const char *out = outs[i];
        if (jobs == 1) {
            failed += gw_cli_build_one(o, o->inputs[i], out, diag) != 0;
            continue;
        }
        /* one process per document, at most `jobs` at a time: nothing is shared */
        if (running == jobs) {
            int st;
            if (wait(&st) > 0) {
                running--;
                failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
            }
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            int rc = gw_cli_build_one(o, o->inputs[i], out, diag);
            fflush(NULL);
            _exit(rc == 0 ? 0 : 1);
        }
        if (pid < 0)
            failed += gw_cli_build_one(o, o->inputs[i], out, diag) != 0; /* no fork: build here */
        else
            running++;
    }
    int st;
    while (running > 0 && wait(&st) > 0) {
        running--;
        failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    }
out_free_outs:
    for (int i = 0; i < o->ninputs; i++)
        free(outs[i]);
    free(outs);
    return failed ? GW_EXIT_FAILED : GW_EXIT_OK;
}

int main(int argc, char **argv)
{
    /*
     * A build is one short process: buffers of 128 KB and more (font
     * programs, compressed streams, libharu's pool) came from mmap and went
     * back with munmap, so the next one faulted fresh zeroed pages in again
     * (about 2.5 us a page here). Keep them in the heap, reused, and never
     * trim it: the process ends soon. Seed: 1031 -> 949 page faults, 0.3-0.8
     * ms; 969 pages 4 ms; peak RSS unchanged.
     */
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    struct options o;
    if (gw_cli_parse(argc, argv, &o) < 0)
        return GW_EXIT_USAGE;
    struct gw_diag diag;
    gw_diag_init(&diag, stderr);
    diag.werror = o.strict;
    if (!o.cmd) {
        fputs(gw_cli_usage, stderr);
        return GW_EXIT_USAGE;
    }
    int rc;
    if (!strcmp(o.cmd, "build") || !strcmp(o.cmd, "fix") || !strcmp(o.cmd, "watch"))
        gw_outfile_init(); /* temporaries go on SIGINT/SIGTERM; EFBIG instead of SIGXFSZ */
    static const struct {
        const char *name;
        int (*run)(const struct options *, struct gw_diag *);
    } cmds[] = {
        {"build", gw_cli_build}, {"watch", gw_cli_watch},   {"check", gw_cli_check},
        {"fix", gw_cli_fix},     {"fonts", gw_cli_fonts},   {"plugins", gw_cli_plugins},
        {"layout", gw_cli_layout}, {"dump", gw_cli_dump},       {"serve", gw_cli_serve},
        {"new", gw_cli_new},
    };
    size_t k = 0;
    while (k < sizeof cmds / sizeof cmds[0] && strcmp(o.cmd, cmds[k].name))
        k++;
    if (k < sizeof cmds / sizeof cmds[0]) {
        rc = cmds[k].run(&o, &diag);
    } else {
        fprintf(stderr, "gongwen: unknown command '%s' (see gongwen --help)\n", o.cmd);
        rc = GW_EXIT_USAGE;
    }
    gw_font_shutdown();
    return rc;
}
