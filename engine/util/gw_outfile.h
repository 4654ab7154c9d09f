/*
 * gw_outfile: writing a file the user named, so that nothing else is
 * touched and nothing half-made is ever seen.
 *
 * What it does not do: decide which paths a run may write (engine/cli/
 * gw_output.c checks those against the run's inputs before anything is
 * built), or report (it returns a reason; the caller names the input).
 *
 * The rules, for every output of every command:
 *
 * - Symbolic links are followed: a link to a file replaces that file (the
 *   link stays a link); a dangling link creates its target.
 * - An existing output must be a regular file: a FIFO, a device or a folder
 *   is never replaced (gongwen build -o /dev/null, as root, would otherwise
 *   replace /dev/null).
 * - A replaced file keeps its permissions and, where the process may set
 *   them, its owner and group; a new file gets 0666 less the umask.
 * - The new content goes to a temporary file in the target's folder, which
 *   replaces the target with one rename once it is whole: a failed write
 *   leaves the old file as it was. The temporary has no name while it is
 *   written (O_TMPFILE; linked by /proc/self/fd as ".NAME.tmpXXXXXX" just
 *   before the rename), so even kill -9 leaves nothing a user sees (but for
 *   the microseconds between that link and the rename). Where
 *   the folder's file system has no O_TMPFILE (or GW_NO_TMPFILE is set, for
 *   the tests) it is a locked dot-file ".NAME.tmpXXXXXX" from the start; one
 *   left by a killed process (older than this process and not locked) is
 *   removed by the next write of the same NAME.
 * - SIGINT, SIGTERM and SIGHUP remove a named temporary, then end the
 *   process as the signal would have (gw_outfile_init). SIGXFSZ is ignored,
 *   so a write over the file-size limit fails with EFBIG instead of killing
 *   the process.
 * - The path "-" is standard output: the content is gathered in an unnamed
 *   temporary and copied to standard output only once it is whole, so a
 *   failed build writes nothing there (a file named "-" is written as
 *   "./-").
 */
#ifndef GW_OUTFILE_H
#define GW_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#define GW_OUT_PATH_MAX 4096

/* path's folder into dir ("." for a bare name); returns its last component. */
const char *gw_file_dir(const char *path, char *dir, size_t len);

/* Is path the name of standard output ("-")? */
#define GW_OUT_IS_STDOUT(path) ((path)[0] == '-' && (path)[1] == '\0')

/*
 * Install the signal handlers (leaving alone a signal the parent process
 * ignores) and note the start time. Call once, before any thread starts,
 * in a process that will write outputs.
 */
void gw_outfile_init(void);

/*
 * The file a write to path lands on: path with its last component's
 * symbolic links followed (a chain, or a dangling one) into target.
 * 0, or an errno value (ELOOP, ENAMETOOLONG, EACCES...).
 */
int gw_out_target(const char *path, char *target, size_t len);

/*
 * A file's identity, to compare two paths: an existing file's device and
 * inode (name ""), or for a file not yet made its folder's and its name.
 */
struct gw_file_id {
    dev_t dev;
    ino_t ino;
    char name[256];
};

/* The identity of target (see gw_out_target): 1 it exists, 0 it does not, -1 on error (errno). */
int gw_file_id(const char *target, struct gw_file_id *id);
bool gw_file_id_same(const struct gw_file_id *a, const struct gw_file_id *b);

/* What a file that is not a regular one is, for a message: "a FIFO", "a folder", ... */
const char *gw_file_kind(mode_t mode);

/* strerror, with a word on the file-size limit for EFBIG. */
const char *gw_out_strerror(int err);

/* An output file being written (see the rules above). */
struct gw_outfile {
    int fd;                       /* the new content goes here (-1 once closed) */
    int slot;                     /* its name in the signal handler's list, or -1 */
    bool anonymous;               /* O_TMPFILE: no name until committed */
    bool kept_owner;              /* the owner and group asked for are the new file's */
    bool to_stdout;               /* path "-": the commit copies the content to stdout */
    char target[GW_OUT_PATH_MAX]; /* the file replaced: the path, its symlinks followed */
    char tmp[GW_OUT_PATH_MAX];    /* the temporary's name ("" while anonymous) */
};

/*
 * Start a file that will replace path. like: the mode, owner and group the
 * new file gets (NULL: those of the file replaced, or for a new file 0666
 * less the umask). 0, or -1 with the reason in err (an existing target that
 * is not a regular file; a folder that cannot be written).
 */
int gw_outfile_open(struct gw_outfile *f, const char *path, const struct stat *like, char *err,
                    size_t errlen);

/*
 * Put the whole of f->fd's content in place of the target (durable: fsync
 * first, so a crash afterwards keeps it). 0, or -1 with the reason in err,
 * the temporary removed and the target untouched. Either way f is closed.
 * Any thread may commit.
 */
int gw_outfile_commit(struct gw_outfile *f, bool durable, char *err, size_t errlen);

/* Drop the new file: the target is untouched. */
void gw_outfile_discard(struct gw_outfile *f);

/* Write all of data to fd: 0, or an errno value. */
int gw_write_all(int fd, const void *data, size_t len);

/*
 * A whole file at once (open, write, commit): 0, or -1 with the reason in
 * err. like and durable as for gw_outfile_open and gw_outfile_commit.
 */
int gw_outfile_write(const char *path, const void *data, size_t len, const struct stat *like,
                     bool durable, char *err, size_t errlen);

/*
 * Replace the content of the existing regular file path (old: its content
 * now, oldlen bytes) by data, keeping the file itself: its inode, mode,
 * owner, hard links and extended attributes (ACLs). When nothing of those
 * would be lost (one link, no extended attributes, the owner kept) it is
 * replaced atomically as gw_outfile_write does; otherwise it is written in
 * place: space is reserved first, and a failed write puts old back. Durable
 * either way. 0, or -1 with the reason in err.
 */
int gw_outfile_rewrite(const char *path, const void *data, size_t len, const void *old,
                       size_t oldlen, char *err, size_t errlen);

#endif /* GW_OUTFILE_H */
