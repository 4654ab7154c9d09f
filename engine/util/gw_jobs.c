/*
 * gw_jobs: run independent jobs on a few threads (see gw_jobs.h).
 */
#include "gw_jobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct pool {
    gw_job_fn fn;
    void *ctx;
    int njobs;
    atomic_int next; /* the next job to take */
};

struct worker {
    struct pool *pool;
    int id;
};

static void work(struct pool *p, int id)
{
    for (;;) {
        int job = atomic_fetch_add(&p->next, 1);
        if (job >= p->njobs)
            return;
        p->fn(p->ctx, job, id);
    }
}

static void *thread_main(void *arg)
{
    struct worker *w = arg;
    work(w->pool, w->id);
    return NULL;
}

void gw_jobs_run(int njobs, int nworkers, gw_job_fn fn, void *ctx)
{
    struct pool p = {.fn = fn, .ctx = ctx, .njobs = njobs};
    atomic_init(&p.next, 0);
    if (nworkers > GW_JOBS_MAX)
        nworkers = GW_JOBS_MAX;
    if (nworkers > njobs)
        nworkers = njobs;
    pthread_t threads[GW_JOBS_MAX];
    struct worker workers[GW_JOBS_MAX];
    int started = 0;
    for (int i = 1; i < nworkers; i++) {
        workers[started] = (struct worker){&p, started + 1};
        if (pthread_create(&threads[started], NULL, thread_main, &workers[started]) != 0)
            break; /* fewer threads: the jobs still all run */
        started++;
    }
    work(&p, 0);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}

int gw_jobs_workers(void)
{
    const char *env = getenv("GONGWEN_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > GW_JOBS_MAX ? GW_JOBS_MAX : (int)n;
}
