/*
 * gw_cache: files in gongwen's cache folder (see gw_cache.h).
 */
#include "gw_cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int gw_cache_write(const char *path, const void *data, size_t len)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof tmp)
        return -1;
    make_dirs(path, 2);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}
