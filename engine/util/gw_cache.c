/*
 * gw_cache: files in gongwen's cache folder (see gw_cache.h): where they
 * live, and writing and reading them whole and sealed.
 */
#include "gw_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gw_outfile.h"

bool gw_cache_path(const char *name, char *out, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/')
        return snprintf(out, len, "%s/gongwen/%s", xdg, name) < (int)len;
    if (home && *home)
        return snprintf(out, len, "%s/.cache/gongwen/%s", home, name) < (int)len;
    return false;
}

/* Make the folder holding path, and up to two folders above it. */
static void make_dirs(const char *path, int depth)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = '\0';
    if (mkdir(dir, 0755) != 0 && errno == ENOENT && depth > 0) {
        make_dirs(dir, depth - 1);
        mkdir(dir, 0755);
    }
}

/* 64-bit FNV-1a of data[0..len). */
static uint64_t fnv1a(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* The seal line of data[0..len): "end <len> <hash>\n". */
static int seal(char *out, size_t cap, const void *data, size_t len)
{
    return snprintf(out, cap, "end %zu %016" PRIx64 "\n", len, fnv1a(data, len));
}

int gw_cache_write(const char *path, const void *data, size_t len)
{
    char tmp[4200], line[64];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
        return -1;
    int sl = seal(line, sizeof line, data, len);
    make_dirs(path, 2);
    int fd = mkstemp(tmp); /* a name no other process or thread writes */
    if (fd < 0)
        return -1;
    bool ok = gw_write_all(fd, data, len) == 0 && gw_write_all(fd, line, (size_t)sl) == 0;
    ok = (close(fd) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Is data[0..len) whole: does its last line seal what comes before it? */
static bool sealed(const char *data, size_t len, size_t *body)
{
    if (len < 2 || data[len - 1] != '\n')
        return false;
    size_t start = len - 1;
    while (start > 0 && data[start - 1] != '\n')
        start--;
    char want[64];
    int n = seal(want, sizeof want, data, start);
    if ((size_t)n != len - start || memcmp(want, data + start, (size_t)n) != 0)
        return false;
    *body = start;
    return true;
}

int gw_cache_read(const char *path, struct gw_buf *out)
{
    out->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
              (uintmax_t)st.st_size <= GW_CACHE_MAX;
    if (ok) {
        gw_buf_grow(out, (size_t)st.st_size + 1);
        while (out->len <= GW_CACHE_MAX) { /* to the end, even if it grew since fstat */
            ssize_t got = read(fd, out->data + out->len, out->cap - out->len - 1);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                ok = got == 0;
                break;
            }
            out->len += (size_t)got;
            if (out->cap - out->len < 2)
                gw_buf_grow(out, 4096);
        }
        ok = ok && out->len <= GW_CACHE_MAX;
    }
    close(fd);
    size_t body = 0;
    ok = ok && memchr(out->data, '\0', out->len) == NULL && sealed(out->data, out->len, &body);
    out->len = ok ? body : 0;
    if (out->data)
        out->data[out->len] = '\0';
    return ok ? 0 : -1;
}
