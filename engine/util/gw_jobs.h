/*
 * gw_jobs: run independent jobs on a few threads.
 *
 * The PDF stage's heavy work (font subsets, compressing page contents) is a
 * list of independent jobs; gw_jobs_start spreads them over background
 * threads, and gw_jobs_finish makes the calling thread work too (as worker
 * 0) and returns when all are done, so with no background thread nothing
 * is started. Jobs are taken in index order, so put the long ones first.
 * A batch owns its threads from start to finish.
 */
#ifndef GW_JOBS_H
#define GW_JOBS_H

#include <pthread.h>
#include <stdbool.h>

/* One job: `job` in 0..njobs-1, `worker` in 0..nworkers-1 (for per-worker scratch). */
typedef void (*gw_job_fn)(void *ctx, int job, int worker);

/*
 * Run fn for every job, in two halves so the caller can do other work
 * meanwhile: gw_jobs_start begins the jobs on `background` new threads
 * (worker ids 1..background; fewer if threads cannot start; with 0, nothing
 * runs yet), gw_jobs_finish makes the caller worker 0 until every job is
 * done, then joins the threads and frees the batch. Every started batch
 * must be finished.
 */
struct gw_jobs;
struct gw_jobs *gw_jobs_start(int njobs, int background, gw_job_fn fn, void *ctx);
void gw_jobs_finish(struct gw_jobs *jobs);
/*
 * Before finishing: run the next job not yet taken on this thread (as
 * worker 0, so only the thread that will finish the batch may call it).
 * False when every job has been taken. For a caller that needs job i done:
 * jobs are taken in order, so helping until i is taken, then waiting for
 * whoever took it, never waits on a job nobody runs.
 */
bool gw_jobs_help(struct gw_jobs *jobs);

/* The number of online CPUs (asked of the system once). */
int gw_cpus(void);

/*
 * How many workers a build should use: GONGWEN_THREADS if set (1 = no
 * threads), else the number of online CPUs, at most GW_JOBS_MAX.
 */
int gw_jobs_workers(void);

#define GW_JOBS_MAX 8

/*
 * pthread_create for gongwen's threads, which are created by a thread that
 * keeps working: the new thread starts on another CPU if one is allowed
 * (then may run anywhere the creator may), so it starts at once instead
 * of waiting for the scheduler to move it. 0 or an error number.
 */
int gw_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif /* GW_JOBS_H */
