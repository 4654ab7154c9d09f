/*
 * fuzz_common.h: what the whole-pipeline fuzz targets (fuzz_build,
 * fuzz_layout) share: a build as `gongwen build` runs it on two cores.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdbool.h>

#include "doc/gw_doc.h"
#include "doc/gw_feed.h"
#include "font/gw_fontset.h"
#include "layout/gw_layout.h"
#include "plug/gw_plug.h"

#define FUZZ_WORKERS 2 /* threads: layout beside the plugins, then PDF workers */

/*
 * Build doc with plug into b and lay it out into dl (in larena), the layout
 * on a thread of its own beside the plugins. True if both succeeded with no
 * error reported.
 */
static inline bool fuzz_pipeline(struct gw_plug *plug, struct gw_doc *doc, struct gw_fontset *fs,
                                 struct gw_diag *diag, struct gw_build *b, struct gw_arena *larena,
                                 struct gw_dlist *dl)
{
    struct gw_feed *feed = gw_feed_new();
    struct gw_layout_job *job = gw_layout_start(b, feed, fs, larena, diag, FUZZ_WORKERS);
    bool built = gw_plug_build(plug, doc, fs, b, job ? feed : NULL) == 0;
    int laid = job ? gw_layout_finish(job, built, diag, dl) : -1;
    gw_feed_free(feed);
    return built && laid == 0 && diag->errors == 0;
}

#endif /* FUZZ_COMMON_H */
