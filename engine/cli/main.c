/*
 * gongwen: the command-line front end. Parses arguments and runs the
 * pipeline stages in order (read -> plugins -> layout -> PDF); it holds no
 * logic of its own beyond choosing paths and exit codes. Which outputs a
 * run may write is checked in gw_output.c before anything is built; how
 * they are written, in util/gw_outfile.c.
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
#include "gw_new.h"
#include "gw_output.h"

#define MAX_INPUTS 1024

static const char usage[] =
    "usage: gongwen build INPUT... [-o OUT.pdf | -o DIR/] [--layout NAME] [--plugin-path DIR]\n"
    "                     [--strict] [--lossy] [--trace] [--timings]\n"
    "       gongwen fonts [INPUT...]         show the font for each role (fonts/roles.conf);\n"
    "                                        with inputs, list characters no font covers\n"
    "       gongwen plugins [INPUT] [--plugin-path DIR]  list section types, layouts and rule\n"
    "                                        sets (with INPUT: also ./plugins beside it)\n"
    "       gongwen layout NAME [INPUT] [--plugin-path DIR]  print the effective layout, value\n"
    "                                        by value, with the file that set each\n"
    "       gongwen check INPUT...           report what the text rules would change or flag\n"
    "       gongwen fix INPUT [-o OUT | --in-place [--no-backup]]  write the text with the rules\n"
    "                                        applied (to stdout without -o or --in-place)\n"
    "       gongwen dump INPUT               print the document tree\n"
    "       gongwen new KIND                 print a starter text: 通知 请示 报告 函 纪要 命令 简报\n"
    "       gongwen --help | --version\n"
    "\n"
    "build turns each INPUT (UTF-8 text, see docs/input-format.md) into a PDF. OUT defaults\n"
    "to INPUT with .pdf. A failed build leaves any existing output file untouched; an output\n"
    "that is an input, another input's output or not a regular file is refused first.\n"
    "  -o PATH            output file (one input) or folder (several inputs)\n"
    "  -j N               build N documents at once (default: the number of cores)\n"
    "  --layout NAME      layout from plugins/layouts/ (default: the header's 版式, or gbt9704)\n"
    "  --plugin-path DIR  extra plugin folder (sections/, layouts/, rules/); may repeat;\n"
    "                     its files override built-in files of the same relative path\n"
    "  --strict           treat warnings (e.g. a character no font has) as errors\n"
    "  --lossy            replace invalid UTF-8 with U+FFFD (a warning) instead of failing\n"
    "  --trace            print the laid-out pages as text instead of writing a PDF\n"
    "  --timings          print the time of each pipeline stage to stderr\n"
    "  --explain          note every change the text rules make\n";

struct options {
    const char *cmd;
    const char *inputs[MAX_INPUTS];
    int ninputs;
    const char *out;
    const char *layout;
    const char *plugin_paths[GW_MAX_PLUGIN_DIRS];
    int nplugin_paths;
    int strict, lossy, trace, timings;
    int check_only; /* lay out but write nothing (gongwen fonts INPUT) */
    int explain, in_place, no_backup;
    int jobs; /* -j N: documents built at once (0: the number of cores) */
    int threads; /* threads each build writes its PDF with (0: the number of cores) */
};

/* The installed or source tree holding plugins/ and fonts/. */
static const char *home_dir(void)
{
    const char *env = getenv("GONGWEN_HOME");
    return env && *env ? env : GW_HOME;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *default_output(const char *input)
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
    char *base = default_output(slash ? slash + 1 : input);
    struct gw_buf b;
    gw_buf_init(&b);
    gw_buf_printf(&b, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", base);
    free(base);
    return gw_buf_detach(&b, NULL);
}

static void plugin_opts(const struct options *o, const char *input, struct gw_plug_opts *po,
                        char *local, size_t len, char *builtin, size_t blen, char *fonts,
                        size_t flen)
{
    memset(po, 0, sizeof(*po));
    snprintf(builtin, blen, "%s/plugins", home_dir());
    snprintf(fonts, flen, "%s/fonts", home_dir());
    po->dirs[po->ndirs++] = builtin;
    if (input) {
        const char *slash = strrchr(input, '/');
        snprintf(local, len, "%.*splugins", slash ? (int)(slash - input + 1) : 0, input);
        if (is_dir(local) && strcmp(local, builtin) != 0)
            po->dirs[po->ndirs++] = local;
    }
    for (int i = 0; i < o->nplugin_paths && po->ndirs < GW_MAX_PLUGIN_DIRS; i++)
        po->dirs[po->ndirs++] = o->plugin_paths[i];
    po->layout = o->layout;
    po->fonts_dir = fonts;
    po->workers = o->threads; /* a batch build's share of the cores */
}

/* Read an input file; NULL after reporting (a missing file, or one over the size limit). */
static char *read_input(const char *input, size_t *len, struct gw_diag *diag)
{
    char *src = gw_read_file(input, len);
    if (!src && errno == EFBIG)
        gw_diag_error(diag, gw_span_file(input), "input is larger than %u MiB",
                      GW_READ_MAX_INPUT / (1024 * 1024));
    else if (!src)
        gw_diag_error(diag, gw_span_file(input), "cannot read input: %s", strerror(errno));
    return src;
}

/*
 * Read and parse one input; NULL after reporting. With partial, a text the
 * reader refuses still gives the tree read so far (*refused is set), for
 * check to show.
 */
static struct gw_doc *load_doc_partial(const struct options *o, const char *input, char **src,
                                       size_t *len, bool *refused, struct gw_diag *diag)
{
    *src = read_input(input, len, diag);
    if (!*src)
        return NULL;
    struct gw_doc *doc = gw_doc_new(input);
    struct gw_read_opts ro = {.lossy = o->lossy};
    int rc = gw_read(doc, *src, *len, &ro, diag);
    if (refused)
        *refused = rc < 0;
    if (rc < 0 && (!refused || !doc->root->first)) {
        gw_doc_free(doc);
        free(*src);
        *src = NULL;
        return NULL;
    }
    return doc;
}

static struct gw_doc *load_doc(const struct options *o, const char *input, char **src, size_t *len,
                               struct gw_diag *diag)
{
    return load_doc_partial(o, input, src, len, NULL, diag);
}

/* Build one input into out_path. Returns 0 on success. */
static int build_one(const struct options *o, const char *input, const char *out_path,
                     struct gw_diag *diag)
{
    double t0 = gw_ms_now();
    int rc = -1;
    size_t len;
    char *src;
    int workers = o->threads > 0 ? o->threads : gw_jobs_workers();
    int errors_before = diag->errors;
    struct gw_doc *doc = load_doc(o, input, &src, &len, diag);
    if (!doc)
        return -1;
    free(src);
    double t_read = gw_ms_now();
    char local[4096], builtin[4096], fonts[4096];
    struct gw_plug_opts po;
    plugin_opts(o, input, &po, local, sizeof local, builtin, sizeof builtin, fonts, sizeof fonts);
    struct gw_fontset fs;
    gw_fontset_init(&fs, fonts);
    struct gw_plug *plug = gw_plug_new(&po, diag);
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
    if (o->trace) {
        gw_layout_trace(&dl, &fs, stdout);
        rc = 0;
        goto out;
    }
    if (o->check_only) {
        if (dl.missing_glyphs)
            printf("%s: %ld characters have no font (listed above)\n", input, dl.missing_glyphs);
        else
            printf("%s: every character has a font\n", input);
        rc = dl.missing_glyphs ? 1 : 0;
        goto out;
    }
    struct gw_pdf_stats ps;
    if (gw_pdf_write(&dl, &fs, input, out_path, workers, diag, &ps) < 0)
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
                input, t_read - t0, t_plug - t_read, t_layout - t_plug, t_pdf - t_layout,
                t_pdf - t0, dl.npages, fs.nfonts, fs.open_ms, hits, misses, ps.fonts,
                ps.plan_ms, ps.program_ms,
                ps.fonts ? (fs.open_ms + ps.plan_ms + ps.program_ms) / ps.fonts : 0.0,
                ps.font_bytes / 1024);
out:
    gw_plug_free(plug);
    gw_fontset_fini(&fs);
    gw_arena_free(&larena);
    gw_doc_free(doc);
    if (rc == 0 && !o->trace && !o->check_only)
        printf("%s\n", out_path);
    if (rc != 0 && !o->trace && !o->check_only)
        fprintf(stderr, "gongwen: %s: build failed; %s was not written\n", input, out_path);
    return rc;
}

static int cmd_build(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs == 0) {
        fputs(usage, stderr);
        return 2;
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
                         : default_output(o->inputs[i]);
    int failed = 0, running = 0;
    if (!o->trace &&
        gw_output_check(o->inputs, o->ninputs, (const char *const *)outs, o->ninputs, diag)) {
        fprintf(stderr, "gongwen: nothing was built\n");
        failed = 1;
        goto out_free_outs;
    }
    for (int i = 0; i < o->ninputs; i++) {
        const char *out = outs[i];
        if (jobs == 1) {
            failed += build_one(o, o->inputs[i], out, diag) != 0;
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
            int rc = build_one(o, o->inputs[i], out, diag);
            fflush(NULL);
            _exit(rc == 0 ? 0 : 1);
        }
        if (pid < 0)
            failed += build_one(o, o->inputs[i], out, diag) != 0; /* no fork: build here */
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
    return failed ? 1 : 0;
}

static int cmd_fonts(const struct options *o, struct gw_diag *diag)
{
    char local[4096], builtin[4096], fonts[4096];
    struct gw_plug_opts po;
    plugin_opts(o, o->ninputs ? o->inputs[0] : NULL, &po, local, sizeof local, builtin,
                sizeof builtin, fonts, sizeof fonts);
    struct gw_fontset fs;
    gw_fontset_init(&fs, fonts);
    char map[4200];
    snprintf(map, sizeof map, "%s/roles.conf", fonts);
    int rc = gw_fontset_load_map(&fs, map, diag);
    for (int r = 0; r < fs.nroles; r++) {
        const struct gw_role *role = &fs.roles[r];
        printf("%-9s", role->name);
        if (role->nchain == 0)
            printf(" (no installed font; wanted: %s)\n", role->wanted);
        for (int i = 0; i < role->nchain; i++) {
            const struct gw_font *f = fs.fonts[role->chain[i]];
            printf("%s%s [%s #%u]%s\n", i ? "         " : " ", gw_font_family(f), gw_font_path(f),
                   gw_font_index(f), gw_font_is_cff(f) ? " CFF" : "");
        }
    }
    gw_fontset_fini(&fs);
    if (rc < 0)
        return 1;
    /* with inputs: every character that no font of its role (or the fallback) covers */
    struct options check = *o;
    check.check_only = 1;
    int failed = 0;
    for (int i = 0; i < o->ninputs; i++)
        failed += build_one(&check, o->inputs[i], "-", diag) != 0;
    return failed ? 1 : 0;
}

static int cmd_plugins(const struct options *o, struct gw_diag *diag)
{
    char local[4096], builtin[4096], fonts[4096];
    struct gw_plug_opts po;
    plugin_opts(o, o->ninputs ? o->inputs[0] : NULL, &po, local, sizeof local, builtin,
                sizeof builtin, fonts, sizeof fonts);
    struct gw_plug *p = gw_plug_new(&po, diag);
    if (!p)
        return 1;
    gw_plug_list(p, stdout);
    gw_plug_free(p);
    return 0;
}

static int cmd_layout(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs < 1 || o->ninputs > 2) {
        fputs("usage: gongwen layout NAME [INPUT] [--plugin-path DIR]\n", stderr);
        return 2;
    }
    char local[4096], builtin[4096], fonts[4096];
    struct gw_plug_opts po;
    plugin_opts(o, o->ninputs == 2 ? o->inputs[1] : NULL, &po, local, sizeof local, builtin, sizeof builtin, fonts, sizeof fonts);
    struct gw_plug *p = gw_plug_new(&po, diag);
    if (!p)
        return 1;
    int rc = gw_plug_layout_dump(p, o->inputs[0], stdout);
    gw_plug_free(p);
    return rc < 0 ? 1 : 0;
}

static int cmd_check(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs == 0) {
        fputs("usage: gongwen check INPUT...\n", stderr);
        return 2;
    }
    int found = 0, failed = 0;
    for (int i = 0; i < o->ninputs; i++) {
        char *src;
        size_t len;
        bool refused = false;
        struct gw_doc *doc = load_doc_partial(o, o->inputs[i], &src, &len, &refused, diag);
        if (!doc) {
            failed++;
            continue;
        }
        failed += refused; /* the rules still run over what was read */
        char local[4096], builtin[4096], fonts[4096];
        struct gw_plug_opts po;
        plugin_opts(o, o->inputs[i], &po, local, sizeof local, builtin, sizeof builtin, fonts,
                    sizeof fonts);
        struct gw_fontset fs;
        gw_fontset_init(&fs, fonts);
        struct gw_plug *p = gw_plug_new(&po, diag);
        int n = p ? gw_plug_check(p, doc, &fs) : -1;
        if (n < 0)
            failed++;
        else
            found += n;
        gw_plug_free(p);
        gw_fontset_fini(&fs);
        gw_doc_free(doc);
        free(src);
    }
    return failed ? 2 : found ? 1 : 0;
}

/*
 * Before fix --in-place reads anything: the input must be a regular file
 * this user may write (root too: a read-only file is not rewritten), and
 * INPUT.bak must be a file it may replace. 0, or -1 after reporting.
 */
static int check_in_place(const struct options *o, const char *input, struct stat *st,
                          struct gw_diag *diag)
{
    struct gw_span at = gw_span_file(input);
    if (stat(input, st) != 0) {
        gw_diag_error(diag, at, "cannot read input: %s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        gw_diag_error(diag, at, "cannot fix it in place: it is %s, not a regular file",
                      gw_file_kind(st->st_mode));
        return -1;
    }
    bool writable = geteuid() == 0 ? (st->st_mode & 0222) != 0 : access(input, W_OK) == 0;
    if (!writable) {
        gw_diag_error(diag, at, "cannot fix it in place: %s; nothing written (write the result "
                      "elsewhere with -o)",
                      geteuid() == 0 || errno == EACCES ? "it is read-only" : strerror(errno));
        return -1;
    }
    if (o->no_backup)
        return 0;
    struct gw_buf bak;
    gw_buf_init(&bak);
    gw_buf_printf(&bak, "%s.bak", input);
    const char *bak_path = bak.data;
    int problems = gw_output_check(&input, 1, &bak_path, 1, diag);
    gw_buf_free(&bak);
    return problems ? -1 : 0;
}

/*
 * fix --in-place: the backup first (a whole copy with the original's mode
 * and owner, synced), then the file itself, keeping its inode where a
 * replacement would lose its hard links, attributes or owner
 * (gw_outfile_rewrite). 0, or -1 after reporting.
 */
static int write_in_place(const struct options *o, const char *input, const struct stat *st,
                          const char *src, size_t len, const struct gw_buf *fixed,
                          struct gw_diag *diag)
{
    char why[320];
    struct gw_buf bak;
    gw_buf_init(&bak);
    gw_buf_printf(&bak, "%s.bak", input);
    int rc = 0;
    if (!o->no_backup && gw_outfile_write(bak.data, src, len, st, true, why, sizeof why) < 0) {
        gw_diag_error(diag, gw_span_file(input), "cannot write %s: %s; %s was not changed",
                      bak.data, why, input);
        rc = -1;
    } else if (gw_outfile_rewrite(input, fixed->data ? fixed->data : "", fixed->len, src, len,
                                  why, sizeof why) < 0) {
        gw_diag_error(diag, gw_span_file(input), "cannot write %s: %s%s%s", input, why,
                      o->no_backup ? "" : "; its previous content is in ",
                      o->no_backup ? "" : bak.data);
        rc = -1;
    }
    gw_buf_free(&bak);
    return rc;
}

static int cmd_fix(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs != 1 || (o->out && o->in_place)) {
        fputs("usage: gongwen fix INPUT [-o OUT | --in-place [--no-backup]]\n", stderr);
        return 2;
    }
    const char *input = o->inputs[0];
    struct stat st;
    if (o->out && gw_output_check(&input, 1, &o->out, 1, diag))
        return 1;
    if (o->in_place && check_in_place(o, input, &st, diag) < 0)
        return 1;
    char *src;
    size_t len;
    struct gw_doc *doc = load_doc(o, input, &src, &len, diag);
    if (!doc)
        return 1;
    char local[4096], builtin[4096], fonts[4096];
    struct gw_plug_opts po;
    plugin_opts(o, input, &po, local, sizeof local, builtin, sizeof builtin, fonts, sizeof fonts);
    struct gw_fontset fs;
    gw_fontset_init(&fs, fonts);
    struct gw_plug *p = gw_plug_new(&po, diag);
    struct gw_buf out;
    gw_buf_init(&out);
    int rc = 1;
    if (!p || gw_plug_fix(p, doc, &fs, &out) < 0)
        goto done;
    if (!gw_plug_same_han(src, len, out.data ? out.data : "", out.len)) {
        gw_diag_error(diag, gw_span_file(input),
                      "the rules would change, add or drop Han characters; nothing written "
                      "(see gongwen check)");
        goto done;
    }
    if (!o->out && !o->in_place) {
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        rc = 0;
        goto done;
    }
    if (o->in_place) {
        if (write_in_place(o, input, &st, src, len, &out, diag) < 0)
            goto done;
    } else {
        char why[320];
        if (gw_outfile_write(o->out, out.data ? out.data : "", out.len, NULL, true, why,
                             sizeof why) < 0) {
            gw_diag_error(diag, gw_span_file(input), "cannot write %s: %s", o->out, why);
            goto done;
        }
    }
    printf("%s\n", o->in_place ? input : o->out);
    rc = 0;
done:
    gw_buf_free(&out);
    gw_plug_free(p);
    gw_fontset_fini(&fs);
    gw_doc_free(doc);
    free(src);
    return rc;
}

static int cmd_dump(const struct options *o, struct gw_diag *diag)
{
    int rc = 0;
    for (int i = 0; i < o->ninputs; i++) {
        size_t len;
        char *src = read_input(o->inputs[i], &len, diag);
        if (!src) {
            rc = 1;
            continue;
        }
        struct gw_doc *doc = gw_doc_new(o->inputs[i]);
        struct gw_read_opts ro = {.lossy = o->lossy};
        if (gw_read(doc, src, len, &ro, diag) < 0)
            rc = 1; /* what was read is still shown, lines in error left out */
        gw_doc_dump(doc, stdout);
        gw_doc_free(doc);
        free(src);
    }
    return rc;
}

static int parse_args(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            exit(0);
        } else if (!strcmp(a, "--version")) {
            printf("gongwen %s (plugin API %d)\n", GW_VERSION, GW_PLUGIN_API);
            exit(0);
        } else if (!strcmp(a, "-j") && next) {
            o->jobs = atoi(next);
            i++;
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            o->jobs = atoi(a + 2);
        } else if (!strcmp(a, "-o") || !strcmp(a, "--layout") || !strcmp(a, "--plugin-path")) {
            if (!next) {
                fprintf(stderr, "gongwen: %s needs a value\n", a);
                return -1;
            }
            if (!strcmp(a, "-o"))
                o->out = next;
            else if (!strcmp(a, "--layout"))
                o->layout = next;
            else if (o->nplugin_paths < GW_MAX_PLUGIN_DIRS - 2)
                o->plugin_paths[o->nplugin_paths++] = next;
            i++;
        } else if (!strcmp(a, "--strict")) {
            o->strict = 1;
        } else if (!strcmp(a, "--lossy")) {
            o->lossy = 1;
        } else if (!strcmp(a, "--trace")) {
            o->trace = 1;
        } else if (!strcmp(a, "--timings")) {
            o->timings = 1;
        } else if (!strcmp(a, "--explain")) {
            o->explain = 1;
        } else if (!strcmp(a, "--in-place")) {
            o->in_place = 1;
        } else if (!strcmp(a, "--no-backup")) {
            o->no_backup = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "gongwen: unknown option %s (see gongwen --help)\n", a);
            return -1;
        } else if (!o->cmd) {
            o->cmd = a;
        } else if (o->ninputs < MAX_INPUTS) {
            o->inputs[o->ninputs++] = a;
        } else {
            fprintf(stderr, "gongwen: more than %d inputs\n", MAX_INPUTS);
            return -1;
        }
    }
    return 0;
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
    if (parse_args(argc, argv, &o) < 0)
        return 2;
    struct gw_diag diag;
    gw_diag_init(&diag, stderr);
    diag.werror = o.strict;
    if (!o.cmd) {
        fputs(usage, stderr);
        return 2;
    }
    int rc;
    if (!strcmp(o.cmd, "build") || !strcmp(o.cmd, "fix"))
        gw_outfile_init(); /* temporaries go on SIGINT/SIGTERM; EFBIG instead of SIGXFSZ */
    if (!strcmp(o.cmd, "build"))
        rc = cmd_build(&o, &diag);
    else if (!strcmp(o.cmd, "fonts"))
        rc = cmd_fonts(&o, &diag);
    else if (!strcmp(o.cmd, "plugins"))
        rc = cmd_plugins(&o, &diag);
    else if (!strcmp(o.cmd, "check"))
        rc = cmd_check(&o, &diag);
    else if (!strcmp(o.cmd, "fix"))
        rc = cmd_fix(&o, &diag);
    else if (!strcmp(o.cmd, "layout"))
        rc = cmd_layout(&o, &diag);
    else if (!strcmp(o.cmd, "dump"))
        rc = cmd_dump(&o, &diag);
    else if (!strcmp(o.cmd, "new") && o.ninputs == 1) { /* engine/cli/gw_new.c */
        struct gw_plug_opts po;
        char local[8], builtin[4096], fonts[4096];
        plugin_opts(&o, NULL, &po, local, sizeof local, builtin, sizeof builtin, fonts, sizeof fonts);
        rc = gw_new_print(o.inputs[0], (const char *const *)po.dirs, po.ndirs, stdout, &diag);
    }
    else {
        fprintf(stderr, "gongwen: unknown command '%s' (see gongwen --help)\n", o.cmd);
        rc = 2;
    }
    gw_font_shutdown();
    return rc;
}
