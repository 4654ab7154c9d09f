/*
 * gw_outfile: writing a file the user named (see gw_outfile.h for the
 * rules). Owns the temporary files (anonymous with O_TMPFILE, or locked
 * dot-files), their removal on a signal and after a killed run, the
 * replacement of the target, and rewriting a file in place. It may call
 * libc only, and reports nothing itself: reasons go back in a buffer.
 */
#define _GNU_SOURCE 1 /* O_TMPFILE, mkostemp, flock, fallocate, flistxattr */
#include "gw_outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "gw_diag.h"

/* {===================== temporaries a signal removes ==================== */

/*
 * The named temporaries of this process, for the signal handler: a slot is
 * claimed, filled, then marked NAMED, and the handler reads only NAMED
 * slots (lock-free atomics are async-signal-safe). A build has one output
 * at a time, fix two at the most.
 */
#define SLOTS 8
enum { SLOT_FREE, SLOT_CLAIMED, SLOT_NAMED };

static struct {
    atomic_int state;
    char name[GW_OUT_PATH_MAX];
} slots[SLOTS];

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
static struct timespec started; /* a dot-file older than this is a killed run's */
static mode_t cmask;            /* the umask, read once */
static bool cmask_known;

/* Remove the temporaries, then die of the signal (it is blocked in here, so it waits). */
static void on_signal(int sig)
{
    for (int i = 0; i < SLOTS; i++)
        if (atomic_load(&slots[i].state) == SLOT_NAMED)
            unlink(slots[i].name);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void note_start(void)
{
    if (!started.tv_sec)
        clock_gettime(CLOCK_REALTIME, &started);
    if (!cmask_known) {
        cmask = umask(0);
        umask(cmask);
        cmask_known = true;
    }
}

void gw_outfile_init(void)
{
    note_start();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaddset(&sa.sa_mask, caught[i]); /* one handler at a time */
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
        struct sigaction old;
        if (sigaction(caught[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(caught[i], &sa, NULL); /* nohup's SIGHUP stays ignored */
    }
    signal(SIGXFSZ, SIG_IGN); /* over the size limit: EFBIG, reported */
}

/* Put name on the handler's list: its slot, or -1 if every slot is taken. */
static int slot_name(const char *name)
{
    for (int i = 0; i < SLOTS; i++) {
        int expect = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_CLAIMED)) {
            snprintf(slots[i].name, sizeof slots[i].name, "%s", name);
            atomic_store(&slots[i].state, SLOT_NAMED);
            return i;
        }
    }
    return -1;
}

static void slot_free(int slot)
{
    if (slot >= 0)
        atomic_store(&slots[slot].state, SLOT_FREE);
}

/* }====================================================================== */

/* {===================== paths ========================================== */

int gw_out_target(const char *path, char *target, size_t len)
{
    char cur[GW_OUT_PATH_MAX], link[GW_OUT_PATH_MAX], next[GW_OUT_PATH_MAX];
    if (snprintf(cur, sizeof cur, "%s", path) >= (int)sizeof cur)
        return ENAMETOOLONG;
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            break; /* the file, a new one, or a folder problem the open will meet */
        if (hops == 40)
            return ELOOP;
        ssize_t n = readlink(cur, link, sizeof link);
        if (n < 0)
            return errno;
        if ((size_t)n >= sizeof link)
            return ENAMETOOLONG;
        link[n] = '\0';
        const char *slash = strrchr(cur, '/');
        int dirlen = link[0] == '/' || !slash ? 0 : (int)(slash - cur + 1);
        if (snprintf(next, sizeof next, "%.*s%s", dirlen, cur, link) >= (int)sizeof next)
            return ENAMETOOLONG;
        memcpy(cur, next, sizeof cur);
    }
    if (strlen(cur) >= len)
        return ENAMETOOLONG;
    memcpy(target, cur, strlen(cur) + 1);
    return 0;
}

const char *gw_file_dir(const char *target, char *dir, size_t len)
{
    const char *slash = strrchr(target, '/');
    if (!slash) {
        snprintf(dir, len, ".");
        return target;
    }
    snprintf(dir, len, "%.*s", slash == target ? 1 : (int)(slash - target), target);
    return slash + 1;
}

int gw_file_id(const char *target, struct gw_file_id *id)
{
    memset(id, 0, sizeof *id);
    struct stat st;
    if (stat(target, &st) == 0) {
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        return 1;
    }
    if (errno != ENOENT)
        return -1;
    char dir[GW_OUT_PATH_MAX];
    const char *base = gw_file_dir(target, dir, sizeof dir);
    if (stat(dir, &st) != 0)
        return -1;
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    snprintf(id->name, sizeof id->name, "%s", base);
    return 0;
}

bool gw_file_id_same(const struct gw_file_id *a, const struct gw_file_id *b)
{
    return a->dev == b->dev && a->ino == b->ino && strcmp(a->name, b->name) == 0;
}

const char *gw_file_kind(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR:
        return "a folder";
    case S_IFIFO:
        return "a FIFO (named pipe)";
    case S_IFCHR:
        return "a character device";
    case S_IFBLK:
        return "a block device";
    case S_IFSOCK:
        return "a socket";
    case S_IFLNK:
        return "a symbolic link";
    default:
        return "not a regular file";
    }
}

const char *gw_out_strerror(int err)
{
    if (err == EFBIG)
        return "File too large (over the file-size limit, ulimit -f, or the file system's)";
    return strerror(err);
}

/* }====================================================================== */

/* {===================== temporaries and replacement ===================== */

/* Linking an O_TMPFILE file needs /proc (AT_EMPTY_PATH would need a capability). */
static bool proc_fd_ok(void)
{
    static atomic_int known; /* 0 not asked, 1 yes, 2 no */
    if (!atomic_load(&known))
        atomic_store(&known, access("/proc/self/fd", X_OK) == 0 ? 1 : 2);
    return atomic_load(&known) == 1;
}

static bool older(struct timespec a, struct timespec b)
{
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/*
 * Remove the dot-files ".<base>.tmpXXXXXX" in dir that a killed run left:
 * regular files of this user, last written before this process started,
 * and not locked (a live writer holds its lock until the rename).
 */
static void sweep(const char *dir, const char *base)
{
    char prefix[300];
    int n = snprintf(prefix, sizeof prefix, ".%s.tmp", base);
    DIR *d = n < (int)sizeof prefix ? opendir(dir) : NULL;
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (strncmp(e->d_name, prefix, (size_t)n) != 0 || strlen(e->d_name) != (size_t)n + 6)
            continue;
        struct stat st, now;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
            st.st_uid != geteuid() || !older(st.st_mtim, started))
            continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (fstat(fd, &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev &&
            flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dirfd(d), e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

/* Give the new file like's owner and group (where allowed) and mode. */
static void take_after(struct gw_outfile *f, const struct stat *like)
{
    struct stat now;
    if (fstat(f->fd, &now) == 0 && (now.st_uid != like->st_uid || now.st_gid != like->st_gid))
        f->kept_owner = fchown(f->fd, like->st_uid, like->st_gid) == 0;
    fchmod(f->fd, like->st_mode & 07777); /* after fchown, which clears set-id bits */
}

int gw_outfile_open(struct gw_outfile *f, const char *path, const struct stat *like, char *err,
                    size_t errlen)
{
    f->fd = -1;
    f->slot = -1;
    f->anonymous = false;
    f->kept_owner = true;
    f->to_stdout = false;
    f->tmp[0] = '\0';
    note_start();
    if (GW_OUT_IS_STDOUT(path)) { /* gathered unseen, copied to stdout once whole */
        FILE *t = tmpfile();
        f->fd = t ? dup(fileno(t)) : -1;
        int e = errno;
        if (t)
            fclose(t);
        if (f->fd < 0) {
            gw_set_err(err, errlen, "no temporary file for standard output: %s", strerror(e));
            return -1;
        }
        f->to_stdout = true;
        snprintf(f->target, sizeof f->target, "-");
        return 0;
    }
    int e = gw_out_target(path, f->target, sizeof f->target);
    if (e) {
        gw_set_err(err, errlen, "%s", strerror(e));
        return -1;
    }
    struct stat old;
    if (stat(f->target, &old) == 0) {
        if (!S_ISREG(old.st_mode)) {
            gw_set_err(err, errlen, "it is %s, not a regular file", gw_file_kind(old.st_mode));
            return -1;
        }
        if (!like)
            like = &old;
    }
    char dir[GW_OUT_PATH_MAX];
    const char *base = gw_file_dir(f->target, dir, sizeof dir);
    if (!*base) {
        gw_set_err(err, errlen, "%s", strerror(EISDIR));
        return -1;
    }
    if (!getenv("GW_NO_TMPFILE") && proc_fd_ok()) {
        f->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
        if (f->fd >= 0) {
            f->anonymous = true;
            flock(f->fd, LOCK_EX | LOCK_NB); /* for the moment it has a name */
        } else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
            gw_set_err(err, errlen, "%s", strerror(errno));
            return -1;
        }
    }
    if (f->fd < 0) { /* no O_TMPFILE here: a locked dot-file */
        sweep(dir, base);
        if (snprintf(f->tmp, sizeof f->tmp, "%s/.%s.tmpXXXXXX", dir, base) >= (int)sizeof f->tmp) {
            f->tmp[0] = '\0';
            gw_set_err(err, errlen, "%s", strerror(ENAMETOOLONG));
            return -1;
        }
        /* made and listed with the signals held, so that none comes between */
        sigset_t set, was;
        sigemptyset(&set);
        for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
            sigaddset(&set, caught[i]);
        pthread_sigmask(SIG_BLOCK, &set, &was);
        f->fd = mkostemp(f->tmp, O_CLOEXEC);
        e = errno;
        if (f->fd >= 0)
            f->slot = slot_name(f->tmp);
        pthread_sigmask(SIG_SETMASK, &was, NULL);
        if (f->fd < 0) {
            f->tmp[0] = '\0';
            gw_set_err(err, errlen, "%s", strerror(e));
            return -1;
        }
        flock(f->fd, LOCK_EX | LOCK_NB);
        if (!like)
            fchmod(f->fd, 0666 & ~cmask); /* mkstemp makes 0600 */
    }
    if (like)
        take_after(f, like);
    return 0;
}

/* A random-enough suffix of six letters and digits (splitmix64 of time, pid and a count). */
static void suffix(char out[7])
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static atomic_uint count;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 40) ^
                 atomic_fetch_add(&count, 1) * 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    x ^= x >> 31;
    for (int i = 0; i < 6; i++, x /= 62)
        out[i] = chars[x % 62];
    out[6] = '\0';
}

/* Give an O_TMPFILE file its dot-file name, on the handler's list first: 0 or errno. */
static int link_anonymous(struct gw_outfile *f)
{
    char dir[GW_OUT_PATH_MAX], proc[64], sfx[7];
    const char *base = gw_file_dir(f->target, dir, sizeof dir);
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
    for (int tries = 0; tries < 100; tries++) {
        suffix(sfx);
        if (snprintf(f->tmp, sizeof f->tmp, "%s/.%s.tmp%s", dir, base, sfx) >= (int)sizeof f->tmp) {
            f->tmp[0] = '\0';
            return ENAMETOOLONG;
        }
        f->slot = slot_name(f->tmp);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp, AT_SYMLINK_FOLLOW) == 0)
            return 0;
        int e = errno;
        slot_free(f->slot);
        f->slot = -1;
        f->tmp[0] = '\0';
        if (e != EEXIST)
            return e;
    }
    return EEXIST;
}

/* fsync a file's folder, so that a rename in it survives a crash. */
static int sync_dir(const char *target)
{
    char dir[GW_OUT_PATH_MAX];
    gw_file_dir(target, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int e = fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
    close(fd);
    return e;
}

/* Copy the whole of fd (from its start) to standard output: 0, or an errno value. */
static int copy_to_stdout(int fd)
{
    if (lseek(fd, 0, SEEK_SET) != 0)
        return errno;
    char buf[64 * 1024];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return 0;
        int e = gw_write_all(STDOUT_FILENO, buf, (size_t)n);
        if (e)
            return e;
    }
}

int gw_outfile_commit(struct gw_outfile *f, bool durable, char *err, size_t errlen)
{
    int e = 0;
    if (f->to_stdout) {
        e = copy_to_stdout(f->fd);
        close(f->fd);
        f->fd = -1;
        if (e)
            gw_set_err(err, errlen, "%s", gw_out_strerror(e));
        return e ? -1 : 0;
    }
    if (durable && fsync(f->fd) != 0)
        e = errno;
    if (!e && f->anonymous)
        e = link_anonymous(f);
    if (close(f->fd) != 0 && !e)
        e = errno; /* a network file system may report a failed write only here */
    f->fd = -1;
    struct stat now;
    if (!e && lstat(f->target, &now) == 0 && !S_ISREG(now.st_mode)) {
        gw_set_err(err, errlen, "it is now %s, not a regular file", gw_file_kind(now.st_mode));
        e = -1;
    }
    if (!e && rename(f->tmp, f->target) != 0)
        e = errno;
    if (!e && durable)
        e = sync_dir(f->target);
    if (e && f->tmp[0])
        unlink(f->tmp);
    if (e > 0)
        gw_set_err(err, errlen, "%s", gw_out_strerror(e));
    slot_free(f->slot);
    f->slot = -1;
    f->tmp[0] = '\0';
    return e ? -1 : 0;
}

void gw_outfile_discard(struct gw_outfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp[0])
        unlink(f->tmp);
    f->tmp[0] = '\0';
    slot_free(f->slot);
    f->slot = -1;
}

int gw_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno != EINTR)
            return errno;
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        }
    }
    return 0;
}

int gw_outfile_write(const char *path, const void *data, size_t len, const struct stat *like,
                     bool durable, char *err, size_t errlen)
{
    struct gw_outfile f;
    if (gw_outfile_open(&f, path, like, err, errlen) < 0)
        return -1;
    int e = gw_write_all(f.fd, data, len);
    if (e) {
        gw_outfile_discard(&f);
        gw_set_err(err, errlen, "%s", gw_out_strerror(e));
        return -1;
    }
    return gw_outfile_commit(&f, durable, err, errlen);
}

/* }====================================================================== */

/* {===================== rewriting a file in place ======================= */

static int pwrite_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    off_t at = 0;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, at);
        if (n < 0 && errno != EINTR)
            return errno;
        if (n > 0) {
            p += n;
            at += n;
            len -= (size_t)n;
        }
    }
    return 0;
}

/* fd's content becomes data: written over the old, cut to length, synced. 0 or errno. */
static int overwrite(int fd, const void *data, size_t len)
{
    int e = pwrite_all(fd, data, len);
    if (!e && ftruncate(fd, (off_t)len) != 0)
        e = errno;
    if (!e && fsync(fd) != 0)
        e = errno;
    return e;
}

int gw_outfile_rewrite(const char *path, const void *data, size_t len, const void *old,
                       size_t oldlen, char *err, size_t errlen)
{
    char target[GW_OUT_PATH_MAX];
    int e = gw_out_target(path, target, sizeof target);
    int fd = e ? -1 : open(target, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        gw_set_err(err, errlen, "%s", strerror(e ? e : errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        gw_set_err(err, errlen, "it is %s, not a regular file", gw_file_kind(st.st_mode));
        close(fd);
        return -1;
    }
    /* replaced whole when that loses nothing: one link, no ACL or other attributes, the owner */
    ssize_t attrs = flistxattr(fd, NULL, 0);
    if (st.st_nlink == 1 && attrs <= 0) {
        struct gw_outfile f;
        if (gw_outfile_open(&f, target, &st, NULL, 0) == 0) {
            if (f.kept_owner) {
                close(fd);
                e = gw_write_all(f.fd, data, len);
                if (!e)
                    return gw_outfile_commit(&f, true, err, errlen);
                gw_outfile_discard(&f);
                gw_set_err(err, errlen, "%s", gw_out_strerror(e));
                return -1;
            }
            gw_outfile_discard(&f);
        } /* else (e.g. a folder this user may not write): in place */
    }
    /* in place, the same inode: reserve the room first, so the write cannot run out of it */
    if (len > oldlen && fallocate(fd, FALLOC_FL_KEEP_SIZE, (off_t)oldlen, (off_t)(len - oldlen)) &&
        errno != EOPNOTSUPP && errno != ENOSYS) {
        gw_set_err(err, errlen, "%s", gw_out_strerror(errno));
        close(fd);
        return -1;
    }
    e = overwrite(fd, data, len);
    if (e) {
        int back = overwrite(fd, old, oldlen);
        gw_set_err(err, errlen, "%s%s", gw_out_strerror(e),
                   back ? ", and putting its previous content back failed too" : "");
    }
    close(fd);
    return e ? -1 : 0;
}

/* }====================================================================== */
