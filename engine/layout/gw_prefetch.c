/*
 * gw_prefetch.c: breaking body paragraphs ahead on a worker (layout stage).
 *
 * Breaking a paragraph into lines (its atoms, break opportunities and line
 * choice) is most of layout, and depends only on the paragraph and the page
 * setup; placing lines on pages is the sequential part. So while the main
 * thread places, one worker breaks the body paragraphs ahead of it, at most
 * PREFETCH_AHEAD paragraphs ahead (bounded memory). Each paragraph goes to
 * whichever thread claims it first; the main thread takes the worker's
 * result or, if the worker has not started it, breaks it itself. The worker
 * breaks as the lookahead does (no warnings); a paragraph with a character
 * no font has is broken again by the main thread, so its warnings come out
 * in document order. Results are the same whoever breaks, so the output is
 * too (tested against GONGWEN_THREADS=1).
 *
 * Owns struct gw_prefetch (gw_layout_int.h): its worker and the state of
 * each paragraph's slot. Calls gw_para.c to break, and gw_layout_job.c for
 * a prefetcher that the layout thread's job attached late.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "../util/gw_jobs.h"
#include "gw_layout_int.h"

#define PREFETCH_AHEAD 64

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE, SLOT_USED };

/* Wait a little for another thread (the helper ahead, or one finishing a slot). */
void gw_prefetch_pause(void)
{
    struct timespec ts = {0, 20000}; /* 20 µs */
    nanosleep(&ts, NULL);
}

/* Break paragraph i (claimed: SLOT_BUSY) with view v, and publish the result. */
static void prefetch_break(struct gw_prefetch *pf, struct gw_layout *v, int i)
{
    v->missing_ahead = 0;
    gw_para_break_in(v, pf->blk[i], &pf->res[i], v->ps->width);
    if (v->missing_ahead) { /* leave it to the main thread, which warns */
        gw_para_free(&pf->res[i]);
        atomic_store(&pf->state[i], SLOT_USED);
    } else {
        atomic_store(&pf->state[i], SLOT_DONE);
    }
}

/* Claim paragraph i if no thread has: true if this one is to break it. */
static bool prefetch_claim(struct gw_prefetch *pf, int i)
{
    int expect = SLOT_FREE;
    return atomic_compare_exchange_strong(&pf->state[i], &expect, SLOT_BUSY);
}

/* The helper's loop: break paragraphs from `from` on, ahead of the placing thread. */
void gw_prefetch_run(struct gw_prefetch *pf, int from)
{
    for (int i = from; i < pf->n && !atomic_load(&pf->stop); i++) {
        while (i > atomic_load(&pf->reached) + PREFETCH_AHEAD && !atomic_load(&pf->stop))
            gw_prefetch_pause();
        if (prefetch_claim(pf, i)) /* else the placing thread took it */
            prefetch_break(pf, &pf->shadow, i);
    }
}

/* The worker thread: the helper's loop from the first paragraph. */
static void *prefetch_main(void *arg)
{
    gw_prefetch_run(arg, 0);
    return NULL;
}

/* Free a stopped prefetcher, with what it broke that was never used. */
void gw_prefetch_free(struct gw_prefetch *pf)
{
    for (int i = 0; i < pf->n; i++)
        if (atomic_load(&pf->state[i]) == SLOT_DONE)
            gw_para_free(&pf->res[i]);
    free(pf->blk);
    free(pf->res);
    free((void *)pf->state);
    free(pf);
}

/* How many paragraphs the body from first holds. */
int gw_prefetch_body_paras(const struct gw_block *first)
{
    int n = 0;
    for (const struct gw_block *b = first; b; b = b->next)
        n += b->type == GW_BLOCK_PARA;
    return n;
}

/* A prefetcher for the n body paragraphs from first, breaking with a view made from L. */
struct gw_prefetch *gw_prefetch_new(const struct gw_layout *L, const struct gw_block *first, int n)
{
    struct gw_prefetch *pf = gw_xcalloc(1, sizeof(*pf));
    pf->blk = gw_xcalloc((size_t)n, sizeof(*pf->blk));
    pf->res = gw_xcalloc((size_t)n, sizeof(*pf->res));
    pf->state = gw_xcalloc((size_t)n, sizeof(*pf->state));
    for (const struct gw_block *b = first; b; b = b->next)
        if (b->type == GW_BLOCK_PARA)
            pf->blk[pf->n++] = b;
    for (int i = 0; i < n; i++)
        atomic_init(&pf->state[i], SLOT_FREE);
    atomic_init(&pf->reached, 0);
    atomic_init(&pf->stop, false);
    pf->shadow = *L;
    pf->shadow.lookahead = 1;
    pf->shadow.diag = NULL; /* never used in lookahead mode */
    pf->shadow.pf = NULL;
    pf->shadow.job = NULL;
    pf->shadow.feed = NULL;
    pf->mine = pf->shadow;
    return pf;
}

/* Start breaking b's body paragraphs ahead (no-op with one core or few paragraphs). */
void gw_prefetch_start(struct gw_layout *L, const struct gw_block *first, int workers)
{
    int n = gw_prefetch_body_paras(first);
    if (workers < 2 || n < 8)
        return;
    struct gw_prefetch *pf = gw_prefetch_new(L, first, n);
    if (gw_thread_start(&pf->thread, prefetch_main, pf) != 0) {
        gw_prefetch_free(pf); /* break everything on this thread */
        return;
    }
    L->pf = pf;
}

/* Stop the worker and free what it broke that was never used. */
void gw_prefetch_stop(struct gw_layout *L)
{
    struct gw_prefetch *pf = L->pf;
    if (!pf)
        return;
    atomic_store(&pf->stop, true);
    pthread_join(pf->thread, NULL);
    gw_prefetch_free(pf);
    L->pf = NULL;
}

/*
 * The helper's result for blk, body paragraph seq (-1: not one), moved into
 * p; false if this thread must break it.
 */
bool gw_prefetch_take(struct gw_layout *L, const struct gw_block *blk, int seq, struct gw_para *p)
{
    struct gw_prefetch *pf = L->pf ? L->pf : gw_layout_job_attached(L);
    if (!pf || L->lookahead || seq < 0 || seq >= pf->n || pf->blk[seq] != blk)
        return false;
    int i = seq;
    if (i > atomic_load(&pf->reached))
        atomic_store(&pf->reached, i);
    int expect = SLOT_FREE;
    if (atomic_compare_exchange_strong(&pf->state[i], &expect, SLOT_USED))
        return false; /* not started: break it here */
    /* while the worker finishes this one, break the farthest free one in the window */
    int st, far = pf->n - 1 < i + PREFETCH_AHEAD ? pf->n - 1 : i + PREFETCH_AHEAD;
    while ((st = atomic_load(&pf->state[i])) == SLOT_BUSY) {
        while (far > i && atomic_load(&pf->state[far]) != SLOT_FREE)
            far--;
        if (far > i && prefetch_claim(pf, far))
            prefetch_break(pf, &pf->mine, far);
        else
            sched_yield();
    }
    if (st != SLOT_DONE)
        return false;
    *p = pf->res[i];
    atomic_store(&pf->state[i], SLOT_USED);
    return true;
}
