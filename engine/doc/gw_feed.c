/*
 * gw_feed: body blocks from the plugin host to a layout thread (see gw_feed.h).
 *
 * The newest block and the count are sequentially consistent atomics; a
 * consumer that must wait announces the count it wants (wake_at) and then
 * looks again, and the producer, having published, looks at wake_at: one of
 * the two sees the other, so a wake-up is never lost. Sleeping and waking
 * happen under the mutex.
 */
#include "gw_feed.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "../util/gw_arena.h"

#define FEED_BATCH 32 /* blocks a waiting consumer lets the producer get ahead */
#define FEED_NAP_NS 200000 /* or how long it sleeps, so little is left when the feed closes */

enum { BUILDING, OPEN, CLOSED_OK, CLOSED_FAILED };

struct gw_feed {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct gw_block *first;          /* producer's; published by count */
    _Atomic(struct gw_block *) last; /* the newest block pushed */
    atomic_long count;               /* blocks pushed */
    atomic_long wake_at;             /* a waiting consumer's count; LONG_MAX when none */
    atomic_int state;
    void (*on_open)(void *); /* called once, by the producer, at opening or close */
    void *on_open_arg;
};

void gw_feed_on_open(struct gw_feed *f, void (*fn)(void *), void *arg)
{
    f->on_open = fn;
    f->on_open_arg = arg;
}

static void call_on_open(struct gw_feed *f)
{
    void (*fn)(void *) = f->on_open;
    f->on_open = NULL;
    if (fn)
        fn(f->on_open_arg);
}

struct gw_feed *gw_feed_new(void)
{
    struct gw_feed *f = gw_xcalloc(1, sizeof(*f));
    pthread_mutex_init(&f->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&f->last, NULL);
    atomic_init(&f->count, 0);
    atomic_init(&f->wake_at, LONG_MAX);
    atomic_init(&f->state, BUILDING);
    return f;
}

void gw_feed_free(struct gw_feed *f)
{
    if (!f)
        return;
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f);
}

static void wake(struct gw_feed *f)
{
    pthread_mutex_lock(&f->mu);
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

void gw_feed_open(struct gw_feed *f)
{
    atomic_store(&f->state, OPEN);
    wake(f);
    call_on_open(f);
}

void gw_feed_push(struct gw_feed *f, struct gw_block *b)
{
    if (!f->first)
        f->first = b;
    atomic_store(&f->last, b);
    long n = atomic_fetch_add(&f->count, 1) + 1;
    if (n >= atomic_load(&f->wake_at))
        wake(f);
}

void gw_feed_close(struct gw_feed *f, bool ok)
{
    atomic_store(&f->state, ok ? CLOSED_OK : CLOSED_FAILED);
    wake(f);
    call_on_open(f);
}

bool gw_feed_wait_open(struct gw_feed *f)
{
    pthread_mutex_lock(&f->mu);
    while (atomic_load(&f->state) == BUILDING)
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
    return atomic_load(&f->state) != CLOSED_FAILED;
}

static bool closed(struct gw_feed *f)
{
    return atomic_load(&f->state) >= CLOSED_OK;
}

const struct gw_block *gw_feed_next(struct gw_feed *f, const struct gw_block *b)
{
    /* b's successor exists once a later block is the newest (for NULL: once any is) */
    if (b != atomic_load(&f->last))
        return b ? b->next : f->first;
    pthread_mutex_lock(&f->mu);
    while (b == atomic_load(&f->last) && !closed(f)) {
        atomic_store(&f->wake_at, atomic_load(&f->count) + FEED_BATCH);
        if (b != atomic_load(&f->last) || closed(f))
            break;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += FEED_NAP_NS;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        if (pthread_cond_timedwait(&f->cv, &f->mu, &until) != 0 && b != atomic_load(&f->last))
            break; /* woke by the clock with blocks to do: take them */
    }
    atomic_store(&f->wake_at, LONG_MAX);
    pthread_mutex_unlock(&f->mu);
    if (b != atomic_load(&f->last))
        return b ? b->next : f->first;
    return NULL; /* closed, and b is the last block (or there is none) */
}

bool gw_feed_wait_closed(struct gw_feed *f)
{
    pthread_mutex_lock(&f->mu);
    while (!closed(f))
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
    return atomic_load(&f->state) == CLOSED_OK;
}
