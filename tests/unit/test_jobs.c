/*
 * test_jobs.c - unit test for engine/util/gw_jobs: every job runs exactly
 * once, on a worker id below the count asked for, whatever the counts; and
 * gw_thread_start.
 */
#define _GNU_SOURCE 1 /* sched_getaffinity, CPU_EQUAL */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "../../engine/util/gw_jobs.h"
#include "harness.h"

#define NJOBS 5000

struct ctx {
    atomic_int runs[NJOBS];
    int nworkers;
    atomic_int bad_worker;
};

static void job(void *p, int j, int worker)
{
    struct ctx *c = p;
    atomic_fetch_add(&c->runs[j], 1);
    if (worker < 0 || worker >= c->nworkers)
        atomic_fetch_add(&c->bad_worker, 1);
}

/* Clear c's counts for a batch on nworkers workers. */
static void reset(struct ctx *c, int nworkers)
{
    for (int i = 0; i < NJOBS; i++)
        atomic_init(&c->runs[i], 0);
    atomic_init(&c->bad_worker, 0);
    c->nworkers = nworkers;
}

/* How many of the first n jobs ran exactly once. */
static int ran_once(struct ctx *c, int n)
{
    int once = 0;
    for (int i = 0; i < n; i++)
        once += atomic_load(&c->runs[i]) == 1;
    return once;
}

static void run(int njobs, int nworkers)
{
    static struct ctx c;
    reset(&c, nworkers < 1 ? 1 : nworkers);
    gw_jobs_finish(gw_jobs_start(njobs, nworkers - 1, job, &c));
    int once = 0, extra = 0;
    for (int i = 0; i < NJOBS; i++) {
        int r = atomic_load(&c.runs[i]);
        once += i < njobs && r == 1;
        extra += i >= njobs && r != 0;
    }
    OK(once == njobs, "%d jobs on %d workers: %d ran exactly once", njobs, nworkers, once);
    INT_EQ(extra, 0);
    INT_EQ(atomic_load(&c.bad_worker), 0);
}

static void test_counts(void)
{
    run(0, 4);
    run(1, 4);
    run(3, 1);
    run(7, 2);
    run(NJOBS, 2);
    run(NJOBS, GW_JOBS_MAX + 5); /* more than the cap */
    run(NJOBS, 0);               /* nonsense counts still run everything */
}

/* start/finish: jobs run in the background while the caller works, and all finish */
static void test_start_finish(void)
{
    static struct ctx c;
    reset(&c, 3);
    struct gw_jobs *j = gw_jobs_start(NJOBS, 2, job, &c);
    volatile long busy = 0;
    for (long i = 0; i < 100000; i++) /* the caller's own work meanwhile */
        busy += i;
    gw_jobs_finish(j);
    INT_EQ(ran_once(&c, NJOBS), NJOBS);
    INT_EQ(atomic_load(&c.bad_worker), 0);
    reset(&c, 1); /* no background thread: everything runs in finish, as worker 0 */
    gw_jobs_finish(gw_jobs_start(NJOBS, 0, job, &c));
    INT_EQ(ran_once(&c, NJOBS), NJOBS);
    INT_EQ(atomic_load(&c.bad_worker), 0);
}

/* gw_jobs_help: the caller takes jobs in order before finishing; every job still runs once */
static void test_help(void)
{
    static struct ctx c;
    reset(&c, 1);
    struct gw_jobs *j = gw_jobs_start(10, 0, job, &c); /* no thread: only help runs them */
    for (int i = 0; i < 4; i++)
        OK(gw_jobs_help(j), "help %d runs a job", i);
    int ran = 0;
    for (int i = 0; i < 10; i++)
        ran += atomic_load(&c.runs[i]);
    INT_EQ(ran, 4);
    OK(atomic_load(&c.runs[3]) == 1 && atomic_load(&c.runs[4]) == 0, "jobs are taken in order");
    while (gw_jobs_help(j))
        ;
    OK(!gw_jobs_help(j), "help is false once every job is taken");
    gw_jobs_finish(j);
    for (int i = 0; i < 10; i++)
        OK(atomic_load(&c.runs[i]) == 1, "job %d ran once", i);
    /* with threads: the caller helps while they work, and nothing runs twice */
    reset(&c, 3);
    j = gw_jobs_start(NJOBS, 2, job, &c);
    int helped = 0;
    while (gw_jobs_help(j))
        helped++;
    gw_jobs_finish(j);
    INT_EQ(ran_once(&c, NJOBS), NJOBS);
    OK(helped <= NJOBS, "the caller ran %d of the jobs", helped);
    INT_EQ(atomic_load(&c.bad_worker), 0);
}

static void test_workers_env(void)
{
    setenv("GONGWEN_THREADS", "3", 1);
    INT_EQ(gw_jobs_workers(), 3);
    setenv("GONGWEN_THREADS", "0", 1);
    INT_EQ(gw_jobs_workers(), 1);
    setenv("GONGWEN_THREADS", "999", 1);
    INT_EQ(gw_jobs_workers(), GW_JOBS_MAX);
    unsetenv("GONGWEN_THREADS");
    OK(gw_jobs_workers() >= 1, "default workers %d", gw_jobs_workers());
}

/*
 * gw_thread_start: the thread runs fn(arg), and by the time fn runs it may
 * run on every CPU its creator may (it starts away from the creator's CPU,
 * but is not left pinned there).
 */
struct started {
    int arg;
    cpu_set_t mask;
    int got_mask;
};

static void *record(void *p)
{
    struct started *st = p;
    st->arg *= 2;
    st->got_mask = sched_getaffinity(0, sizeof st->mask, &st->mask) == 0;
    return st;
}

static void test_thread_start(void)
{
    cpu_set_t mine;
    OK(sched_getaffinity(0, sizeof mine, &mine) == 0, "creator's affinity");
    for (int i = 0; i < 20; i++) {
        struct started st = {.arg = 21};
        pthread_t t;
        void *ret = NULL;
        INT_EQ(gw_thread_start(&t, record, &st), 0);
        pthread_join(t, &ret);
        OK(ret == &st, "fn's result is the thread's");
        INT_EQ(st.arg, 42);
        OK(st.got_mask && CPU_EQUAL(&st.mask, &mine),
           "the thread may run on every CPU its creator may");
    }
}

int main(void)
{
    harness_watchdog(60);
    test_thread_start();
    test_counts();
    test_start_finish();
    test_help();
    test_workers_env();
    return harness_done();
}
