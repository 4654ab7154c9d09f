/*
 * gw_plug: the Lua plugin host, the only module that includes Lua.
 *
 * It loads the layout (plugins/layouts/NAME.lua, following `base` to the
 * layouts it extends), the rule sets it names (plugins/rules/) and every
 * section plugin (plugins/sections/NAME.lua), each in its own sandboxed
 * environment; then it runs the layout's masthead and each section's plugin
 * over the document tree and returns a gw_build for the layout stage.
 *
 * Plugin search: the built-in folder, then ./plugins beside the input, then
 * each --plugin-path folder; a later folder's file overrides an earlier
 * folder's file of the same relative path. Sandbox: no io/os/package/debug,
 * no load/require/dofile, text chunks only, Lua patterns replaced by bounded
 * PCRE2 calls, no __gc; plugin tables read raw; CPU budgets per call, per
 * plugin file and for all plugins over a document (instructions, with a
 * time backstop); one memory budget for Lua's heap and what the engine makes
 * for plugins; images only inside the document's folder.
 * API reference: docs/plugin-api.md.
 */
#ifndef GW_PLUG_H
#define GW_PLUG_H

#include <stdbool.h>
#include <stdio.h>

#include "../doc/gw_block.h"
#include "../doc/gw_doc.h"
#include "../doc/gw_feed.h"
#include "../font/gw_fontset.h"
#include "../util/gw_buf.h"
#include "../util/gw_diag.h"

#define GW_PLUGIN_API 1
#define GW_MAX_PLUGIN_DIRS 16

struct gw_plug;

struct gw_plug_opts {
    const char *dirs[GW_MAX_PLUGIN_DIRS]; /* plugin folders, lowest precedence first */
    int ndirs;
    const char *layout;                   /* --layout NAME, or NULL (header 版式, then "gbt9704") */
    const char *fonts_dir;                /* fonts/ folder: roles.conf and user font files */
    long cpu_budget;                      /* instructions per plugin call (0: default); a
                                             plugin may spend 2 calls' worth on a document,
                                             all plugins 4 (and more for a long document) */
    long mem_budget;                      /* bytes for all plugins together (0: default) */
    int workers; /* threads a build may use (0: gw_jobs_workers()); 1: fonts open in turn */
};

/* Create the host. Returns NULL after reporting to diag. */
struct gw_plug *gw_plug_new(const struct gw_plug_opts *opts, struct gw_diag *diag);
void gw_plug_free(struct gw_plug *p);

/*
 * Run the plugins over doc: load the layout (chosen by opts, then the header
 * field 版式), resolve its fonts into fs, draw the masthead and build every
 * section. Fills *out with memory from doc's arena. With a feed (else NULL),
 * a layout on another thread may read *out as it grows: the feed is opened
 * after the masthead, gets every body block as it is appended and is closed
 * at the end, failed or not. Returns 0, or -1 after reporting errors.
 */
int gw_plug_build(struct gw_plug *p, struct gw_doc *doc, struct gw_fontset *fs,
                  struct gw_build *out, struct gw_feed *feed);

/*
 * `gongwen check`: report what every text rule would change or flags, for the
 * header and each section's paragraphs, as file:line:col warnings. Returns the
 * number of findings, or -1 after errors.
 */
int gw_plug_check(struct gw_plug *p, struct gw_doc *doc, struct gw_fontset *fs);

/*
 * `gongwen fix`: the document's text with drop, join and text rules applied
 * (header lines, then each section's paragraphs one per line), into out.
 * Returns 0 or -1.
 */
int gw_plug_fix(struct gw_plug *p, struct gw_doc *doc, struct gw_fontset *fs, struct gw_buf *out);

/* Do a and b hold the same Han characters in the same order? (fix's safety check) */
int gw_plug_same_han(const char *a, size_t alen, const char *b, size_t blen);

/* `build --explain`: note every change the text rules make. */
void gw_plug_explain(struct gw_plug *p, bool on);

/*
 * `gongwen layout NAME`: print the effective layout after inheritance, with
 * provenance (json: one object, docs/cli.md).
 */
int gw_plug_layout_dump(struct gw_plug *p, const char *name, FILE *out, bool json);

/*
 * `gongwen plugins`: list section types, layouts and rule sets with their
 * files (json: one object, docs/cli.md).
 */
int gw_plug_list(struct gw_plug *p, FILE *out, bool json);

#endif /* GW_PLUG_H */
