/*
 * gw_serve_dir: every access `gongwen serve` makes to DIR. A name from a
 * request is a relative path of plain components (no '..', nothing starting
 * with '.', no control characters, valid UTF-8); each component is opened
 * below DIR's descriptor with O_NOFOLLOW, so neither a '..' nor a symlink
 * leads out. Files are written to a temporary name and renamed over the
 * old one: a failed save leaves the old text whole.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/gw_outfile.h"
#include "../util/gw_utf8.h"
#include "gw_serve_int.h"

#define MAX_NAME 1024
#define MAX_DEPTH 4
#define MAX_LISTED 1000

const char *gw_dir_name_problem(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > MAX_NAME)
        return "a file name must have 1 to 1024 bytes";
    int depth = 0;
    for (const char *c = name; *c;) {
        const char *end = strchr(c, '/');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len == 0)
            return "a file name has an empty part (// or a leading or trailing /)";
        if (c[0] == '.')
            return "a file name part may not start with '.' (no .., no hidden files)";
        if (++depth > MAX_DEPTH)
            return "a file name may have at most 4 folder levels";
        c += len + (end ? 1 : 0);
        if (end && !*c)
            return "a file name may not end with /";
    }
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)name[i];
        if (b < 0x20 || b == 0x7f || b == '\\')
            return "a file name may not hold control characters or '\\'";
        if (gw_utf8_next(name, n, &i) < 0)
            return "a file name must be valid UTF-8";
    }
    return NULL;
}

int gw_dir_parent(struct gw_serve *s, const char *name, const char **leaf)
{
    int fd = fcntl(s->dirfd, F_DUPFD_CLOEXEC, 0);
    const char *c = name;
    char part[MAX_NAME + 1];
    for (const char *end; fd >= 0 && (end = strchr(c, '/')); c = end + 1) {
        size_t len = (size_t)(end - c);
        memcpy(part, c, len);
        part[len] = 0;
        int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
    }
    *leaf = c;
    return fd;
}

int gw_dir_read_at(int dir, const char *leaf, size_t max, struct gw_buf *out)
{
    int fd = openat(dir, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
        close(fd);
        return -1;
    }
    char chunk[65536];
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0 && out->len + (size_t)got <= max)
        gw_buf_add(out, chunk, (size_t)got);
    close(fd);
    return got < 0 ? -1 : 0;
}

int gw_dir_read(struct gw_serve *s, const char *name, size_t max, struct gw_buf *out)
{
    const char *leaf;
    int dir = gw_dir_parent(s, name, &leaf);
    if (dir < 0)
        return -1;
    int rc = gw_dir_read_at(dir, leaf, max, out);
    int e = errno;
    close(dir);
    errno = e;
    return rc;
}

int gw_dir_write(struct gw_serve *s, const char *name, const void *p, size_t n)
{
    const char *leaf;
    int dir = gw_dir_parent(s, name, &leaf);
    if (dir < 0)
        return -1;
    char tmp[64];
    pthread_mutex_lock(&s->lock);
    snprintf(tmp, sizeof tmp, ".gongwen-save-%ld-%lu", (long)getpid(), ++s->serial);
    pthread_mutex_unlock(&s->lock);
    int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = fd < 0 ? -1 : 0, e;
    if (rc == 0 && (e = gw_write_all(fd, p, n)) != 0) {
        errno = e;
        rc = -1;
    }
    if (rc == 0 && fdatasync(fd) < 0)
        rc = -1;
    if (fd >= 0 && close(fd) < 0)
        rc = -1;
    if (rc == 0 && renameat(dir, tmp, dir, leaf) < 0)
        rc = -1;
    if (rc < 0 && fd >= 0) {
        int e = errno;
        unlinkat(dir, tmp, 0);
        errno = e;
    }
    close(dir);
    return rc;
}

static const char *listed_kind(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    if (!strcasecmp(dot, ".txt"))
        return "text";
    if (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"))
        return "image";
    return NULL;
}

/* Add the listed files of folder fd (prefix: its name below DIR) to json; recurse. */
static void list_into(int fd, const char *prefix, int depth, int *count, struct gw_buf *json)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) && *count < MAX_LISTED) {
        if (e->d_name[0] == '.' || gw_dir_name_problem(e->d_name))
            continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        char name[MAX_NAME + 256];
        snprintf(name, sizeof name, "%s%s", prefix, e->d_name);
        if (S_ISDIR(st.st_mode) && depth + 1 < MAX_DEPTH && strcmp(e->d_name, "plugins") != 0) {
            int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                strcat(name, "/");
                list_into(sub, name, depth + 1, count, json);
            }
        } else if (S_ISREG(st.st_mode) && listed_kind(e->d_name)) {
            gw_buf_adds(json, *count ? ",{\"name\":" : "{\"name\":");
            gw_json_buf(json, name, strlen(name));
            gw_buf_printf(json, ",\"kind\":\"%s\",\"size\":%lld}", listed_kind(e->d_name),
                          (long long)st.st_size);
            ++*count;
        }
    }
    closedir(d);
}

void gw_dir_list(struct gw_serve *s, struct gw_buf *json)
{
    int count = 0;
    gw_buf_addc(json, '[');
    int fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* its own offset */
    if (fd >= 0)
        list_into(fd, "", 0, &count, json);
    gw_buf_addc(json, ']');
}

const char *gw_image_kind(const unsigned char *p, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 8 && !memcmp(p, png, 8))
        return "png";
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "jpeg";
    return NULL;
}
