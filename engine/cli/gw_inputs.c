/*
 * gw_inputs: where a run's inputs, plugins and fonts come from (see
 * gw_cli.h): the home folder (an installed binary finds its own by
 * /proc/self/exe), the plugin folders in their documented order
 * (docs/cli.md § Plugin folders), and reading an input file or standard
 * input.
 */
#define _DEFAULT_SOURCE 1 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../font/gw_fontset.h"
#include "../read/gw_read.h"
#include "gw_cli.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *gw_cli_home(void)
{
    static char home[PATH_MAX];
    const char *env = getenv("GONGWEN_HOME");
    if (env && *env)
        return env;
    if (home[0])
        return home;
    /* PREFIX/bin/gongwen -> PREFIX/share/gongwen, if it holds plugins/ */
    char exe[PATH_MAX], try[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(try, sizeof try, "%s/../share/gongwen/plugins", exe);
            if (is_dir(try)) {
                snprintf(try, sizeof try, "%s/../share/gongwen", exe);
                if (realpath(try, home))
                    return home;
            }
        }
    }
    snprintf(home, sizeof home, "%s", GW_HOME); /* the source tree, for a build-tree binary */
    return home;
}

void gw_cli_plugin_opts(const struct options *o, const char *input, struct gw_plug_opts *po,
                        struct gw_cli_dirs *d)
{
    memset(po, 0, sizeof(*po));
    snprintf(d->builtin, sizeof d->builtin, "%s/plugins", gw_cli_home());
    snprintf(d->fonts, sizeof d->fonts, "%s/fonts", gw_cli_home());
    po->dirs[po->ndirs++] = d->builtin;
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/')
        snprintf(d->user, sizeof d->user, "%s/gongwen/plugins", xdg);
    else if (home && *home)
        snprintf(d->user, sizeof d->user, "%s/.local/share/gongwen/plugins", home);
    else
        d->user[0] = '\0';
    if (d->user[0] && is_dir(d->user) && strcmp(d->user, d->builtin) != 0)
        po->dirs[po->ndirs++] = d->user;
    if (input && !gw_cli_is_stdin(input)) {
        const char *slash = strrchr(input, '/');
        snprintf(d->local, sizeof d->local, "%.*splugins", slash ? (int)(slash - input + 1) : 0,
                 input);
        if (is_dir(d->local) && strcmp(d->local, d->builtin) != 0 &&
            strcmp(d->local, d->user) != 0)
            po->dirs[po->ndirs++] = d->local;
    }
    for (int i = 0; i < o->nplugin_paths && po->ndirs < GW_MAX_PLUGIN_DIRS; i++)
        po->dirs[po->ndirs++] = o->plugin_paths[i];
    po->layout = o->layout;
    po->fonts_dir = d->fonts;
    po->workers = o->threads; /* a batch build's share of the cores */
}

bool gw_cli_is_stdin(const char *input)
{
    return input[0] == '-' && input[1] == '\0';
}

const char *gw_cli_input_name(const char *input)
{
    return gw_cli_is_stdin(input) ? "<stdin>" : input;
}

char *gw_cli_read_input(const char *input, size_t *len, struct gw_diag *diag)
{
    char *src = gw_cli_is_stdin(input) ? gw_read_fd(STDIN_FILENO, len) : gw_read_file(input, len);
    struct gw_span at = gw_span_file(gw_cli_input_name(input));
    if (!src && errno == EFBIG)
        gw_diag_error(diag, at, "input is larger than %u MiB", GW_READ_MAX_INPUT / (1024 * 1024));
    else if (!src)
        gw_diag_error(diag, at, "cannot read input: %s", strerror(errno));
    return src;
}

struct gw_doc *gw_cli_load_doc(const struct options *o, const char *input, char **src,
                               size_t *len, bool *refused, struct gw_diag *diag)
{
    *src = gw_cli_read_input(input, len, diag);
    if (!*src)
        return NULL;
    struct gw_doc *doc = gw_doc_new(gw_cli_input_name(input));
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

struct gw_plug *gw_cli_host(const struct options *o, const char *input, struct gw_cli_dirs *dirs,
                            struct gw_fontset *fs, struct gw_diag *diag)
{
    struct gw_plug_opts po;
    gw_cli_plugin_opts(o, input, &po, dirs);
    gw_fontset_init(fs, dirs->fonts);
    return gw_plug_new(&po, diag);
}
