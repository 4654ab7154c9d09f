/*
 * gw_layout_job.c: the layout thread beside the plugin host (layout stage).
 *
 * Owns struct gw_layout_job and the public gw_layout_start and
 * gw_layout_finish. Calls gw_layout_doc (the layout itself) on its thread,
 * gw_feed for the blocks and gw_diag to hold the thread's messages.
 *
 * gw_layout_start runs gw_layout_doc on its own thread while the plugin host
 * (on the caller's thread) is still making the body: blocks come from the
 * feed, so each is laid out soon after it is made and the two stages
 * overlap. The layout thread breaks and places everything itself;
 * gw_layout_finish joins it once the host is done. The layout thread's
 * messages are kept and given to the caller's diagnostics after the host's,
 * in the order a sequential run gives.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../util/gw_jobs.h"
#include "gw_layout_int.h"

struct gw_layout_job {
    const struct gw_build *b;
    struct gw_feed *feed;
    struct gw_fontset *fs;
    struct gw_arena *arena;
    struct gw_diag diag; /* the layout thread's, held until finish */
    struct gw_dlist out;
    int rc;
    pthread_t thread;
    bool threaded; /* thread runs job_main (else gw_layout_finish runs it) */
};

/* The layout thread (or the caller's, if none could start): the whole layout from the feed. */
static void *job_main(void *arg)
{
    struct gw_layout_job *j = arg;
    j->rc = -1;
    if (gw_feed_wait_open(j->feed))
        j->rc = gw_layout_doc(j->b, j->fs, j->arena, &j->diag, j->feed, &j->out);
    return NULL;
}

/* The feed opened: lay the body out on a thread of its own, as it comes. */
static void job_open(void *arg)
{
    struct gw_layout_job *j = arg;
    j->threaded = gw_thread_start(&j->thread, job_main, j) == 0;
}

struct gw_layout_job *gw_layout_start(const struct gw_build *b, struct gw_feed *feed,
                                      struct gw_fontset *fs, struct gw_arena *arena,
                                      const struct gw_diag *diag, int workers)
{
    if (workers < 2)
        return NULL;
    struct gw_layout_job *j = gw_xcalloc(1, sizeof(*j));
    j->b = b;
    j->feed = feed;
    j->fs = fs;
    j->arena = arena;
    if (gw_diag_hold(&j->diag, diag) < 0) {
        free(j);
        return NULL;
    }
    gw_feed_on_open(feed, job_open, j);
    return j;
}

int gw_layout_finish(struct gw_layout_job *j, bool built, struct gw_diag *diag,
                     struct gw_dlist *out)
{
    if (j->threaded) {
        pthread_join(j->thread, NULL);
    } else {
        job_main(j); /* no thread could start: the whole body here, the feed closed */
    }
    int rc = -1;
    if (built) {
        gw_diag_release(&j->diag, diag);
        *out = j->out;
        rc = j->rc;
    } else {
        gw_diag_drop(&j->diag);
    }
    free(j);
    return rc;
}
