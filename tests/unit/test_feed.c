/*
 * test_feed.c - unit test for engine/doc/gw_feed: a consumer thread sees
 * every pushed block once, in order, whether it runs ahead of the producer
 * (and sleeps) or behind it; keep-with-next peeks at the next block; a
 * failed build wakes a waiting consumer; a sleeping consumer takes a few
 * blocks without waiting for a whole batch or the close; the opening hook
 * runs once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../../engine/doc/gw_feed.h"
#include "harness.h"

#define NBLOCKS 3000

struct run {
    struct gw_feed *f;
    struct gw_block blocks[NBLOCKS];
    int n;           /* blocks the producer makes */
    int pause_every; /* the producer (0) or consumer (1) sleeps now and then */
    int slow;        /* which side is slow: 0 producer, 1 consumer */
    bool ok;         /* how the producer closes */
    /* the consumer's findings */
    bool opened;
    int seen, out_of_order, peeks_wrong;
    bool closed_ok;
};

static void nap(void)
{
    struct timespec ts = {0, 50000}; /* 50 µs */
    nanosleep(&ts, NULL);
}

static void *consume(void *arg)
{
    struct run *r = arg;
    r->opened = gw_feed_wait_open(r->f);
    if (!r->opened)
        return NULL;
    for (const struct gw_block *b = gw_feed_next(r->f, NULL); b; b = gw_feed_next(r->f, b)) {
        if (b != &r->blocks[r->seen])
            r->out_of_order++;
        r->seen++;
        if (r->seen % 7 == 0) { /* a keep-with-next look at the following block */
            const struct gw_block *next = gw_feed_next(r->f, b);
            int at = (int)(b - r->blocks);
            if (next != (at + 1 < r->n ? &r->blocks[at + 1] : NULL))
                r->peeks_wrong++;
        }
        if (r->slow == 1 && r->pause_every && r->seen % r->pause_every == 0)
            nap();
    }
    r->closed_ok = gw_feed_wait_closed(r->f);
    return NULL;
}

static void produce(struct run *r)
{
    gw_feed_open(r->f);
    for (int i = 0; i < r->n; i++) {
        if (i > 0)
            r->blocks[i - 1].next = &r->blocks[i]; /* appended, then pushed */
        gw_feed_push(r->f, &r->blocks[i]);
        if (r->slow == 0 && r->pause_every && i % r->pause_every == 0)
            nap();
    }
    gw_feed_close(r->f, r->ok);
}

static void check(int n, int pause_every, int slow, bool ok)
{
    static struct run r;
    r = (struct run){.n = n, .pause_every = pause_every, .slow = slow, .ok = ok};
    r.f = gw_feed_new();
    pthread_t t;
    INT_EQ(pthread_create(&t, NULL, consume, &r), 0);
    produce(&r);
    pthread_join(t, NULL);
    OK(r.opened, "n %d: the consumer saw the opening", n);
    OK(r.seen == n, "n %d pause %d slow %d: %d of %d blocks seen", n, pause_every, slow, r.seen, n);
    INT_EQ(r.out_of_order, 0);
    INT_EQ(r.peeks_wrong, 0);
    OK(r.closed_ok == ok, "n %d: closed %s", n, ok ? "ok" : "failed");
    gw_feed_free(r.f);
}

/* A build that fails before the body: a consumer waiting for the opening is released. */
static void test_failed_before_open(void)
{
    static struct run r;
    r = (struct run){0};
    r.f = gw_feed_new();
    pthread_t t;
    INT_EQ(pthread_create(&t, NULL, consume, &r), 0);
    nap();
    gw_feed_close(r.f, false);
    pthread_join(t, NULL);
    OK(!r.opened, "a failed build does not open the feed");
    INT_EQ(r.seen, 0);
    gw_feed_free(r.f);
}

/*
 * A producer that pushes three blocks and then works on (does not close):
 * the consumer takes them after a short nap, not when a whole batch is
 * ahead or the feed closes, so little is left to lay out at the end. The
 * producer gives it two seconds (a nap is 0.2 ms).
 */
static void *take_three(void *arg)
{
    struct run *r = arg;
    r->opened = gw_feed_wait_open(r->f);
    for (const struct gw_block *b = gw_feed_next(r->f, NULL); b; b = gw_feed_next(r->f, b))
        __atomic_store_n(&r->seen, r->seen + 1, __ATOMIC_RELEASE);
    return NULL;
}

static void test_few_blocks_taken(void)
{
    static struct run r;
    r = (struct run){.n = 3};
    r.f = gw_feed_new();
    pthread_t t;
    INT_EQ(pthread_create(&t, NULL, take_three, &r), 0);
    gw_feed_open(r.f);
    for (int i = 0; i < 20; i++) /* let the consumer fall asleep on an empty feed */
        nap();
    for (int i = 0; i < 3; i++) {
        if (i > 0)
            r.blocks[i - 1].next = &r.blocks[i];
        gw_feed_push(r.f, &r.blocks[i]);
    }
    int waited = 0;
    while (__atomic_load_n(&r.seen, __ATOMIC_ACQUIRE) < 3 && waited < 40000) { /* 2 s */
        nap();
        waited++;
    }
    int seen = __atomic_load_n(&r.seen, __ATOMIC_ACQUIRE);
    OK(seen == 3, "three blocks taken before the feed closes (%d seen)", seen);
    gw_feed_close(r.f, true);
    pthread_join(t, NULL);
    gw_feed_free(r.f);
}

/* gw_feed_on_open: called once, on the producer's thread, at the opening or at a close without one.
 */
struct opened_calls {
    int calls;
    pthread_t thread;
};

static void on_open(void *arg)
{
    struct opened_calls *c = arg;
    c->calls++;
    c->thread = pthread_self();
}

static void test_on_open(void)
{
    struct opened_calls c = {0};
    struct gw_feed *f = gw_feed_new();
    gw_feed_on_open(f, on_open, &c);
    INT_EQ(c.calls, 0);
    gw_feed_open(f);
    OK(c.calls == 1 && pthread_equal(c.thread, pthread_self()),
       "called at the opening, on the producer's thread (%d calls)", c.calls);
    static struct gw_block b;
    gw_feed_push(f, &b);
    gw_feed_close(f, true);
    OK(c.calls == 1, "not again at the close (%d calls)", c.calls);
    gw_feed_free(f);

    struct opened_calls failed = {0};
    f = gw_feed_new();
    gw_feed_on_open(f, on_open, &failed);
    gw_feed_close(f, false);
    OK(failed.calls == 1, "a close without an opening calls it (%d calls)", failed.calls);
    OK(!gw_feed_wait_open(f), "and the consumer it starts learns the build failed");
    gw_feed_free(f);
}

int main(void)
{
    harness_watchdog(60);
    test_on_open();
    test_few_blocks_taken();
    check(0, 0, 0, true); /* an empty body */
    check(1, 0, 0, true);
    check(NBLOCKS, 0, 0, true);      /* both at full speed */
    check(NBLOCKS, 10, 0, true);     /* slow producer: the consumer sleeps and is woken */
    check(NBLOCKS, 10, 1, true);     /* slow consumer: the producer runs ahead */
    check(NBLOCKS / 2, 3, 0, false); /* a build that fails after its body */
    test_failed_before_open();
    return harness_done();
}
