/*
 * gw_cli: what the files of the `gongwen` command share: the options of a
 * run (parsed in gw_args.c), where its inputs, plugins and fonts come from
 * (gw_inputs.c), and the commands (build in main.c; fonts, plugins,
 * layout, check and dump in gw_cmds.c; fix in gw_fix.c; watch in
 * gw_watch.c). Nothing outside engine/cli includes it.
 */
#ifndef GW_CLI_H
#define GW_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../doc/gw_doc.h"
#include "../plug/gw_plug.h"
#include "../util/gw_diag.h"

#define GW_CLI_MAX_INPUTS 1024

/* Exit codes (docs/cli.md § Exit codes). */
enum {
    GW_EXIT_OK = 0,      /* done; check: nothing found */
    GW_EXIT_FAILED = 1,  /* a build or command failed; check: findings */
    GW_EXIT_USAGE = 2,   /* bad arguments; check: an input could not be read or checked */
};

struct options {
    const char *cmd;
    const char *inputs[GW_CLI_MAX_INPUTS];
    int ninputs;
    const char *out;
    const char *layout;
    const char *plugin_paths[GW_MAX_PLUGIN_DIRS];
    int nplugin_paths;
    int strict, lossy, trace, timings;
    int check_only; /* lay out but write nothing (gongwen fonts INPUT) */
    int explain, in_place, no_backup;
    int json;     /* --format json */
    int diff;     /* fix --diff */
    int all;      /* fonts --all */
    int jobs;     /* -j N: documents built at once (0: the number of cores) */
    int threads;  /* threads each build writes its PDF with (0: the number of cores) */
    const char *listen; /* serve --listen: the address to bind */
    int port;           /* serve --port (-1: not given) */
};

/* The text of `gongwen --help` (gw_args.c). */
extern const char gw_cli_usage[];
/* Parse argv into o: 0, or -1 after saying why on stderr. */
int gw_cli_parse(int argc, char **argv, struct options *o);

/* {===== gw_inputs.c: the home, plugin folders, reading inputs ===== */

/*
 * The folder holding plugins/ and fonts/: $GONGWEN_HOME, else
 * PREFIX/share/gongwen beside an installed binary (PREFIX/bin/gongwen, by
 * /proc/self/exe), else the source tree the binary was built from.
 */
const char *gw_cli_home(void);

/* Storage for the plugin folders' names of one run (see gw_cli_plugin_opts). */
struct gw_cli_dirs {
    char builtin[4096], user[4096], local[4096], fonts[4096];
};

/*
 * The plugin host's options for input (NULL: none) in the documented order,
 * later folders winning: HOME/plugins, $XDG_DATA_HOME/gongwen/plugins
 * (~/.local/share/gongwen/plugins), plugins/ beside the input, then each
 * --plugin-path.
 */
void gw_cli_plugin_opts(const struct options *o, const char *input, struct gw_plug_opts *po,
                        struct gw_cli_dirs *dirs);

/*
 * The fonts (fs, initialised: the caller finalises it) and the plugin host
 * for input (NULL after reporting) with the folders of gw_cli_plugin_opts.
 */
struct gw_fontset;
struct gw_plug *gw_cli_host(const struct options *o, const char *input, struct gw_cli_dirs *dirs,
                            struct gw_fontset *fs, struct gw_diag *diag);

/* Is input "-" (standard input)? */
bool gw_cli_is_stdin(const char *input);
/* The name diagnostics give input ("<stdin>" for "-"). */
const char *gw_cli_input_name(const char *input);

/* Read an input file (or standard input); NULL after reporting. */
char *gw_cli_read_input(const char *input, size_t *len, struct gw_diag *diag);

/*
 * Read and parse one input; NULL after reporting. With refused non-NULL, a
 * text the reader refuses still gives the tree read so far (*refused set).
 */
struct gw_doc *gw_cli_load_doc(const struct options *o, const char *input, char **src,
                               size_t *len, bool *refused, struct gw_diag *diag);

/* }===== */

/*
 * Write a unified diff from a to b (named name in the header lines) to out
 * (gw_diff.c); the number of hunks (0: the texts are the same).
 */
int gw_cli_diff(const char *name, const char *a, size_t alen, const char *b, size_t blen,
                FILE *out);

/* INPUT with .pdf for its extension (malloc'd; main.c). */
char *gw_cli_default_output(const char *input);

/* The commands: each returns the exit code. */
int gw_cli_build(const struct options *o, struct gw_diag *diag);
int gw_cli_build_one(const struct options *o, const char *input, const char *out_path,
                     struct gw_diag *diag);
int gw_cli_fonts(const struct options *o, struct gw_diag *diag);
int gw_cli_plugins(const struct options *o, struct gw_diag *diag);
int gw_cli_layout(const struct options *o, struct gw_diag *diag);
int gw_cli_check(const struct options *o, struct gw_diag *diag);
int gw_cli_dump(const struct options *o, struct gw_diag *diag);
int gw_cli_fix(const struct options *o, struct gw_diag *diag);
int gw_cli_watch(const struct options *o, struct gw_diag *diag);
int gw_cli_serve(const struct options *o, struct gw_diag *diag);
int gw_cli_new(const struct options *o, struct gw_diag *diag); /* gw_new.c */

#endif /* GW_CLI_H */
