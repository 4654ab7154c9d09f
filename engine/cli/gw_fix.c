/*
 * gw_fix: `gongwen fix`: the text with the rules applied, written to
 * stdout, to -o OUT, in place (a backup first, the file's inode kept), or
 * shown as a unified diff (--diff; the input untouched). The diff itself is
 * gw_diff.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../font/gw_fontset.h"
#include "../plug/gw_plug.h"
#include "../util/gw_buf.h"
#include "../util/gw_diag.h"
#include "../util/gw_outfile.h"
#include "gw_cli.h"
#include "gw_output.h"

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

int gw_cli_fix(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs != 1 || (o->out && o->in_place) || (o->diff && (o->out || o->in_place))) {
        fputs("usage: gongwen fix INPUT [-o OUT | --in-place [--no-backup] | --diff]\n", stderr);
        return GW_EXIT_USAGE;
    }
    const char *input = o->inputs[0];
    struct stat st;
    if (o->in_place && gw_cli_is_stdin(input)) {
        gw_diag_error(diag, gw_span_file(NULL), "standard input (-) cannot be fixed in place");
        return GW_EXIT_USAGE;
    }
    if (o->out && !GW_OUT_IS_STDOUT(o->out) && gw_output_check(&input, 1, &o->out, 1, diag))
        return GW_EXIT_FAILED;
    if (o->in_place && check_in_place(o, input, &st, diag) < 0)
        return GW_EXIT_FAILED;
    char *src;
    size_t len;
    struct gw_doc *doc = gw_cli_load_doc(o, input, &src, &len, NULL, diag);
    if (!doc)
        return GW_EXIT_FAILED;
    struct gw_cli_dirs dirs;
    struct gw_fontset fs;
    struct gw_plug *p = gw_cli_host(o, input, &dirs, &fs, diag);
    struct gw_buf out;
    gw_buf_init(&out);
    int rc = 1;
    if (!p || gw_plug_fix(p, doc, &fs, &out) < 0)
        goto done;
    if (!gw_plug_same_han(src, len, out.data ? out.data : "", out.len)) {
        gw_diag_error(diag, gw_span_file(gw_cli_input_name(input)),
                      "the rules would change, add or drop Han characters; nothing written "
                      "(see gongwen check)");
        goto done;
    }
    if (o->diff) {
        gw_cli_diff(gw_cli_input_name(input), src, len, out.data ? out.data : "", out.len,
                    stdout);
        rc = GW_EXIT_OK;
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
            gw_diag_error(diag, gw_span_file(gw_cli_input_name(input)), "cannot write %s: %s",
                          o->out, why);
            goto done;
        }
    }
    if (!GW_OUT_IS_STDOUT(o->in_place ? input : o->out))
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

