/*
 * gw_new: `gongwen new KIND` (see gw_new.h and docs/formats.md).
 *
 * Owns the kinds of document a starter exists for, their English aliases,
 * and finding and printing the starter file (plugins/starters/KIND.txt: a
 * text with every field and a // comment line saying what each is for).
 * Calls util, and the reader for reading a file.
 */
#include "gw_new.h"
#include "gw_cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../read/gw_read.h"
#include "../util/gw_buf.h"

static const char *const kinds[][2] = {
    {"通知", "notice"}, {"请示", "request"}, {"报告", "report"}, {"函", "letter"},
    {"纪要", "minutes"}, {"命令", "order"},  {"简报", "bulletin"},
};

int gw_new_print(const char *kind, const char *const *dirs, int ndirs, FILE *out,
                 struct gw_diag *diag)
{
    const char *name = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0] && !name; i++)
        if (!strcmp(kind, kinds[i][0]) || !strcmp(kind, kinds[i][1]))
            name = kinds[i][0];
    if (!name) {
        gw_diag_error(diag, gw_span_file(NULL),
                      "no starter for '%s': write one of 通知 (notice), 请示 (request), 报告 "
                      "(report), 函 (letter), 纪要 (minutes), 命令 (order), 简报 (bulletin)",
                      kind);
        return 2;
    }
    struct gw_buf path;
    gw_buf_init(&path);
    for (int i = ndirs - 1; i >= 0; i--) { /* later folders win */
        path.len = 0;
        gw_buf_printf(&path, "%s/starters/%s.txt", dirs[i], name);
        if (access(path.data, R_OK) == 0)
            break;
    }
    size_t len;
    char *text = gw_read_file(path.data, &len);
    if (!text) {
        gw_diag_error(diag, gw_span_file(path.data), "cannot read the starter: %s",
                      strerror(errno));
        gw_buf_free(&path);
        return 2;
    }
    fwrite(text, 1, len, out);
    free(text);
    gw_buf_free(&path);
    return 0;
}

int gw_cli_new(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs != 1) {
        fprintf(stderr, "gongwen new: name one kind: 通知 请示 报告 函 纪要 命令 简报\n");
        return GW_EXIT_USAGE;
    }
    struct gw_cli_dirs dirs;
    struct gw_plug_opts po;
    gw_cli_plugin_opts(o, NULL, &po, &dirs);
    return gw_new_print(o->inputs[0], (const char *const *)po.dirs, po.ndirs, stdout, diag);
}
