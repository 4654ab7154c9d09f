/*
 * gw_jobs: run independent jobs on a few threads.
 *
 * The PDF stage's heavy work (font subsets, compressing page contents) is a
 * list of independent jobs; gw_jobs_run spreads them over worker threads
 * and returns when all are done. The calling thread works too (as worker
 * 0), so with one worker nothing is started. Jobs are taken in index
 * order, so put the long ones first. Owns nothing between calls.
 */
#ifndef GW_JOBS_H
#define GW_JOBS_H

/* One job: `job` in 0..njobs-1, `worker` in 0..nworkers-1 (for per-worker scratch). */
typedef void (*gw_job_fn)(void *ctx, int job, int worker);

/* Run fn for every job on up to nworkers threads (fewer if threads cannot start). */
void gw_jobs_run(int njobs, int nworkers, gw_job_fn fn, void *ctx);

/*
 * How many workers a build should use: GONGWEN_THREADS if set (1 = no
 * threads), else the number of online CPUs, at most GW_JOBS_MAX.
 */
int gw_jobs_workers(void);

#define GW_JOBS_MAX 8

#endif /* GW_JOBS_H */
