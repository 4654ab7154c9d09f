/*
 * gw_jobs: run independent jobs on a few threads (see gw_jobs.h).
 */
#include "gw_jobs.h"

#include "gw_arena.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct worker {
    struct gw_jobs *pool;
    int id;
};

struct gw_jobs {
    gw_job_fn fn;
    void *ctx;
    int njobs;
    atomic_int next; /* the next job to take */
    pthread_t threads[GW_JOBS_MAX];
    struct worker workers[GW_JOBS_MAX];
    int started;
};

static void work(struct gw_jobs *p, int id)
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

struct gw_jobs *gw_jobs_start(int njobs, int background, gw_job_fn fn, void *ctx)
{
    struct gw_jobs *p = gw_xcalloc(1, sizeof(*p));
    p->fn = fn;
    p->ctx = ctx;
    p->njobs = njobs;
    atomic_init(&p->next, 0);
    if (background > GW_JOBS_MAX - 1)
        background = GW_JOBS_MAX - 1;
    if (background > njobs)
        background = njobs;
    for (int i = 0; i < background; i++) {
        p->workers[p->started] = (struct worker){p, p->started + 1};
        if (pthread_create(&p->threads[p->started], NULL, thread_main,
                           &p->workers[p->started]) != 0)
            break; /* fewer threads: the jobs still all run */
        p->started++;
    }
    return p;
}

bool gw_jobs_help(struct gw_jobs *p)
{
    int job = atomic_fetch_add(&p->next, 1);
    if (job >= p->njobs)
        return false;
    p->fn(p->ctx, job, 0);
    return true;
}

void gw_jobs_finish(struct gw_jobs *p)
{
    work(p, 0);
    for (int i = 0; i < p->started; i++)
        pthread_join(p->threads[i], NULL);
    free(p);
}

int gw_jobs_workers(void)
{
    const char *env = getenv("GONGWEN_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > GW_JOBS_MAX ? GW_JOBS_MAX : (int)n;
}
