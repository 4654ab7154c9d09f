/*
 * gw_fontload: opening a build's fonts on a thread of their own.
 *
 * The fonts a layout names are fonts/roles.conf (the role map) and the
 * layout's own `fonts` table (role -> families or files). They are opened
 * in two steps: the role map from the start of the build, while the host
 * loads the layout; then, once the host has read the layout's own roles
 * and handed them over (gw_fontload_hand), those. The thread's messages are
 * held and passed on when the host waits for the fonts
 * (gw_fontload_finish), so they come where a one-thread run puts them.
 *
 * Once the fonts are open the thread goes on to read ahead, in the body
 * text's font, what the document's characters will need (gw_font_warm):
 * the core is otherwise idle while the rule sets and masthead are made, and
 * the layout and the PDF embedder then find the glyph data mapped.
 * (Reading the other fonts' cmap entries and advances too cost more than it
 * saved.)
 *
 * This module does not read the layout: the host (engine/plug/) gives it
 * the roles. With one worker, or no sink to hold messages in, nothing runs
 * on another thread: the fonts open in gw_fontload_hand.
 */
#ifndef GW_FONTLOAD_H
#define GW_FONTLOAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/gw_diag.h"
#include "gw_fontset.h"

/*
 * The characters to read ahead: fills cps with the distinct BMP code points
 * the document uses (seen: a zeroed bit set of 0x10000 bits to mark them;
 * cps has room for 0x10000) and returns how many. Runs on the font thread.
 */
typedef size_t (*gw_fontload_chars)(const void *ud, uint64_t *seen, uint32_t *cps);

struct gw_fontload {
    struct gw_fontset *fs;
    struct gw_diag *real; /* the host's messages */
    struct gw_diag held;  /* the thread's, until gw_fontload_finish */
    bool holding;
    struct gw_diag *diag; /* where the fonts report: &held on the thread, else real */
    char *map;            /* fonts/roles.conf if it exists, else NULL */
    char *file;           /* the layout file, for messages */
    char **role, **list;
    int n;
    int rc;
    gw_fontload_chars chars; /* what to read ahead (or NULL) */
    const void *chars_ud;
    char *body_role; /* the body text's role, whose font is read ahead */
    bool started;    /* on its own thread, not yet joined */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool handed;       /* the layout's roles are in role and list (under mu) */
    bool opened;       /* the fonts are open and rc is final (under mu) */
    _Atomic bool stop; /* the document is built (or failed): stop */
};

/*
 * Start opening the fonts into fs, the role map first (map: its path, or
 * NULL): on a thread of its own with more than one worker (and a sink for
 * its messages), else in gw_fontload_hand. Messages go to diag. chars (may
 * be NULL) says what to read ahead once the fonts are open.
 */
void gw_fontload_start(struct gw_fontload *fl, struct gw_fontset *fs, struct gw_diag *diag,
                       const char *map, int workers, gw_fontload_chars chars, const void *chars_ud);

/* Before gw_fontload_hand: the layout's file (for messages) and its body text's role (or NULL). */
void gw_fontload_layout(struct gw_fontload *fl, const char *file, const char *body_role);

/* Before gw_fontload_hand: role is set by the layout to families (comma-separated). */
void gw_fontload_add_role(struct gw_fontload *fl, const char *role, const char *families);

/* The layout's roles are given: open them too, on the thread or here. */
void gw_fontload_hand(struct gw_fontload *fl);

/* Wait for the fonts (once; later calls only answer); 0, or -1 after reporting. */
int gw_fontload_finish(struct gw_fontload *fl);

/* Stop the thread (reading ahead, or waiting for roles never handed), join it, free the rest. */
void gw_fontload_end(struct gw_fontload *fl);

#endif /* GW_FONTLOAD_H */
