/*
 * gw_serve_child: the children of `gongwen serve`. Every build, check and
 * fix runs this binary again, in the document's folder, with:
 *   - a wall-clock limit (the child is killed at it) and a CPU limit;
 *   - an address-space and a file-size limit;
 *   - its output read into bounded buffers (the rest is read and dropped);
 *   - at most `jobs` children at once; `queue` more requests may wait for a
 *     slot, and a request finding the queue full is refused (503).
 * A child that crashes or hangs costs the server nothing but the slot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../util/gw_diag.h"
#include "gw_serve_int.h"

#define MAX_OUT (24u << 20) /* a child's stdout kept (a fixed text, a listing) */
#define MAX_ERR (1u << 20)  /* its stderr kept (diagnostics) */
#define CHILD_AS (2048ul << 20)
/* sanitizer builds reserve terabytes of shadow memory: no address-space limit there */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GW_LIMIT_AS 0
#else
#define GW_LIMIT_AS 1
#endif
#define CHILD_FSIZE (256ul << 20)
#define QUEUE_WAIT_S 30

/* Take a slot; false when the queue is full or the wait passed QUEUE_WAIT_S. */
static bool take_slot(struct gw_serve *s)
{
    pthread_mutex_lock(&s->lock);
    bool ok = true;
    if (s->running >= s->o.jobs) {
        if (s->waiting >= s->o.queue) {
            ok = false;
        } else {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += QUEUE_WAIT_S;
            s->waiting++;
            while (s->running >= s->o.jobs && ok)
                ok = pthread_cond_timedwait(&s->freed, &s->lock, &until) != ETIMEDOUT;
            s->waiting--;
        }
    }
    if (ok)
        s->running++;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static void give_slot(struct gw_serve *s)
{
    pthread_mutex_lock(&s->lock);
    s->running--;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void exec_child(struct gw_serve *s, int dirfd, const char *const argv[], int out, int err,
                       int seconds)
{
    struct rlimit as = {CHILD_AS, CHILD_AS}, fsz = {CHILD_FSIZE, CHILD_FSIZE};
    struct rlimit cpu = {(rlim_t)seconds, (rlim_t)seconds + 1}, core = {0, 0};
    int devnull = open("/dev/null", O_RDONLY);
    if (fchdir(dirfd) < 0 || devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 ||
        dup2(err, 2) < 0)
        _exit(127);
    if (GW_LIMIT_AS)
        setrlimit(RLIMIT_AS, &as);
    setrlimit(RLIMIT_FSIZE, &fsz);
    setrlimit(RLIMIT_CPU, &cpu);
    setrlimit(RLIMIT_CORE, &core);
    close_range(3, ~0u, 0);
    execv(s->exe, (char *const *)argv);
    _exit(127);
}

/* Read both pipes until they close or the deadline passes; false at the deadline. */
static bool drain(int out, int err, double deadline, struct gw_child *c)
{
    struct pollfd p[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
    struct gw_buf *into[2] = {&c->out, &c->err};
    size_t cap[2] = {MAX_OUT, MAX_ERR};
    int open_ = 2;
    char chunk[65536];
    while (open_ > 0) {
        double left = deadline - gw_ms_now();
        if (left <= 0)
            return false;
        int n = poll(p, 2, (int)left + 1);
        if (n < 0 && errno != EINTR)
            return false;
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !p[i].revents)
                continue;
            ssize_t got = read(p[i].fd, chunk, sizeof chunk);
            if (got > 0 && into[i]->len + (size_t)got <= cap[i])
                gw_buf_add(into[i], chunk, (size_t)got);
            else if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
                p[i].fd = -1;
                open_--;
            }
        }
    }
    return true;
}

int gw_serve_child(struct gw_serve *s, int dirfd, const char *const argv_in[], struct gw_child *c)
{
    memset(c, 0, sizeof *c);
    gw_buf_init(&c->out);
    gw_buf_init(&c->err);
    c->status = -1;
    if (!take_slot(s)) {
        c->busy = true;
        return -1;
    }
    const char *argv[32];
    int n = 0;
    argv[n++] = "gongwen";
    for (int i = 0; argv_in[i] && n < 31; i++)
        argv[n++] = argv_in[i];
    argv[n] = NULL;
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) < 0) {
        give_slot(s);
        return -1;
    }
    if (pipe2(pe, O_CLOEXEC) < 0) {
        close(po[0]);
        close(po[1]);
        give_slot(s);
        return -1;
    }
    int seconds = (s->o.build_ms + 999) / 1000;
    pid_t pid = fork();
    if (pid == 0)
        exec_child(s, dirfd, argv, po[1], pe[1], seconds);
    close(po[1]);
    close(pe[1]);
    if (pid > 0) {
        if (!drain(po[0], pe[0], gw_ms_now() + s->o.build_ms, c)) {
            kill(pid, SIGKILL);
            c->timed_out = true;
        }
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (!c->timed_out)
            c->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    close(po[0]);
    close(pe[0]);
    give_slot(s);
    return pid > 0 ? 0 : -1;
}

void gw_child_free(struct gw_child *c)
{
    gw_buf_free(&c->out);
    gw_buf_free(&c->err);
}
