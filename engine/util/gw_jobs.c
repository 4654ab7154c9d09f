/*
 * gw_jobs: run independent jobs on a few threads (see gw_jobs.h).
 */
#define _GNU_SOURCE 1 /* sched_getcpu, pthread_attr_setaffinity_np */
#include "gw_jobs.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "gw_arena.h"

/*
 * Linux places a new thread on the CPU of the thread that creates it. Ours
 * are created by a thread that keeps working, so the new one waits there
 * until the scheduler balances the load: 0.1-3 ms (1.6 ms mean) on the
 * project's two-core machine, against 0.16 ms when it may only start on
 * another CPU. So a thread starts with the creator's CPU left out of its
 * affinity, and once running takes back the creator's full set; it is never
 * pinned. Where that is not possible (one allowed CPU, or no affinity
 * calls) it is an ordinary pthread_create.
 */
struct start {
    void *(*fn)(void *);
    void *arg;
#ifdef __linux__
    cpu_set_t all; /* the creator's affinity, restored by the new thread */
#endif
};

static void *start_main(void *arg)
{
    struct start st = *(struct start *)arg;
    free(arg);
#ifdef __linux__
    pthread_setaffinity_np(pthread_self(), sizeof st.all, &st.all);
#endif
    return st.fn(st.arg);
}

int gw_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
#ifdef __linux__
    struct start *st = malloc(sizeof *st);
    int cpu = sched_getcpu();
    if (st && cpu >= 0 && pthread_getaffinity_np(pthread_self(), sizeof st->all, &st->all) == 0 &&
        CPU_ISSET(cpu, &st->all) && CPU_COUNT(&st->all) > 1) {
        cpu_set_t other = st->all;
        CPU_CLR(cpu, &other);
        pthread_attr_t attr;
        st->fn = fn;
        st->arg = arg;
        if (pthread_attr_init(&attr) == 0) {
            int rc = pthread_attr_setaffinity_np(&attr, sizeof other, &other) == 0
                         ? pthread_create(t, &attr, start_main, st)
                         : -1;
            pthread_attr_destroy(&attr);
            if (rc == 0)
                return 0;
        }
    }
    free(st);
#endif
    return pthread_create(t, NULL, fn, arg);
}

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
        if (gw_thread_start(&p->threads[p->started], thread_main, &p->workers[p->started]) != 0)
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

int gw_cpus(void)
{
    /* sysconf reads /sys/devices/system/cpu/online each time: 50 us here, asked several times */
    static atomic_int cpus;
    int n = atomic_load_explicit(&cpus, memory_order_relaxed);
    if (n == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c < 1 ? 1 : c > 4096 ? 4096 : (int)c;
        atomic_store_explicit(&cpus, n, memory_order_relaxed);
    }
    return n;
}

int gw_jobs_workers(void)
{
    const char *env = getenv("GONGWEN_THREADS");
    long n = env && *env ? strtol(env, NULL, 10) : gw_cpus();
    if (n < 1)
        n = 1;
    return n > GW_JOBS_MAX ? GW_JOBS_MAX : (int)n;
}
