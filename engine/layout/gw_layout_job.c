/*
 * gw_layout_job.c: the layout thread beside the plugin host (layout stage).
 *
 * Owns struct gw_layout_job and the public gw_layout_start and
 * gw_layout_finish. Calls gw_layout_doc (the layout itself) on its thread,
 * gw_feed for the blocks, gw_diag to hold the thread's messages, and
 * gw_prefetch.c for the caller's thread to break paragraphs ahead.
 *
 * gw_layout_start runs gw_layout_doc on its own thread while the plugin host
 * (on the caller's thread) is still making the body: blocks come from the
 * feed, so each is laid out soon after it is made and the two stages
 * overlap. The layout thread breaks and places everything itself until the
 * host is done; then gw_layout_finish makes the caller's thread the helper
 * that breaks paragraphs ahead (gw_prefetch.c's prefetcher, run on the
 * caller's thread and attached late), and joins. The layout thread's
 * messages are kept and given to the caller's diagnostics after the host's,
 * in the order a sequential run gives.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../util/gw_jobs.h"
#include "gw_layout_int.h"

struct gw_layout_job {
    const struct gw_build *b;
    struct gw_feed *feed;
    struct gw_fontset *fs;
    struct gw_arena *arena;
    int workers;
    struct gw_diag diag; /* the layout thread's, held until finish */
    struct gw_dlist out;
    int rc;
    pthread_t thread;
    bool threaded; /* thread runs job_main (else gw_layout_finish runs it) */
    /* attaching the helper */
    pthread_mutex_t mu;
    bool started;                     /* tmpl is set */
    bool body_done;                   /* the body is laid out: too late to help */
    struct gw_layout tmpl;            /* the layout before the body, for breaking ahead */
    atomic_int seq;                   /* the body paragraph being laid out */
    _Atomic(struct gw_prefetch *) pf; /* the helper's, once attached */
    atomic_bool helping;              /* the helper is still in its loop */
};

/* The prefetcher the caller's thread attached to L's job, or NULL. */
struct gw_prefetch *gw_layout_job_attached(struct gw_layout *L)
{
    return L->job ? atomic_load_explicit(&L->job->pf, memory_order_acquire) : NULL;
}

/* Layout thread: tell the helper which body paragraph is being laid out. */
void gw_layout_job_progress(struct gw_layout *L)
{
    if (L->job && L->seq >= 0)
        atomic_store_explicit(&L->job->seq, L->seq, memory_order_relaxed);
}

/* Layout thread, before the body: what a helper needs to break paragraphs. */
void gw_layout_job_body_start(struct gw_layout *L)
{
    struct gw_layout_job *j = L->job;
    pthread_mutex_lock(&j->mu);
    j->tmpl = *L;
    j->started = true;
    pthread_mutex_unlock(&j->mu);
}

/* Layout thread, after the body: stop the helper and free what it broke unused. */
void gw_layout_job_body_end(struct gw_layout *L)
{
    struct gw_layout_job *j = L->job;
    pthread_mutex_lock(&j->mu);
    j->body_done = true;
    struct gw_prefetch *pf = atomic_load(&j->pf);
    pthread_mutex_unlock(&j->mu);
    if (!pf)
        return;
    atomic_store(&pf->stop, true);
    while (atomic_load(&j->helping))
        gw_prefetch_pause();
    atomic_store(&j->pf, NULL);
    gw_prefetch_free(pf);
}

/* Caller's thread, the body complete: break paragraphs ahead until the body is laid out. */
static void job_help(struct gw_layout_job *j)
{
    pthread_mutex_lock(&j->mu);
    if (!j->started || j->body_done) {
        pthread_mutex_unlock(&j->mu);
        return;
    }
    struct gw_prefetch *pf =
        gw_prefetch_new(&j->tmpl, j->b->first, gw_prefetch_body_paras(j->b->first));
    atomic_store(&pf->reached, atomic_load(&j->seq));
    atomic_store(&j->helping, true);
    atomic_store_explicit(&j->pf, pf, memory_order_release);
    pthread_mutex_unlock(&j->mu);
    gw_prefetch_run(pf, atomic_load(&j->seq));
    atomic_store(&j->helping, false);
}

/* The layout thread (or the caller's, if none could start): the whole layout from the feed. */
static void *job_main(void *arg)
{
    struct gw_layout_job *j = arg;
    j->rc = -1;
    if (gw_feed_wait_open(j->feed))
        j->rc = gw_layout_doc(j->b, j->fs, j->arena, &j->diag, j->workers, j->feed, j, &j->out);
    pthread_mutex_lock(&j->mu);
    j->body_done = true; /* also when it never began */
    pthread_mutex_unlock(&j->mu);
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
    j->workers = workers;
    if (gw_diag_hold(&j->diag, diag) < 0) {
        free(j);
        return NULL;
    }
    pthread_mutex_init(&j->mu, NULL);
    atomic_init(&j->seq, 0);
    atomic_init(&j->pf, NULL);
    atomic_init(&j->helping, false);
    gw_feed_on_open(feed, job_open, j);
    return j;
}

int gw_layout_finish(struct gw_layout_job *j, bool built, struct gw_diag *diag,
                     struct gw_dlist *out)
{
    if (j->threaded) {
        if (built)
            job_help(j);
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
    pthread_mutex_destroy(&j->mu);
    free(j);
    return rc;
}
