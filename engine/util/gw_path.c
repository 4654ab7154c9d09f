/*
 * gw_path: a path a document or a plugin names, kept inside a folder (see
 * gw_path.h).
 *
 * Owns the check only; opening the file is the caller's. May call libc.
 */
#define _DEFAULT_SOURCE 1 /* realpath, lstat */
#include "gw_path.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Is path real (a resolved path) inside folder root (also resolved)? */
static bool under(const char *root, const char *real)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return real[0] == '/';
    return !strncmp(real, root, n) && (real[n] == '\0' || real[n] == '/');
}

/* Does rel have a part ".." (between slashes or at an end)? */
static bool has_dotdot(const char *rel)
{
    for (const char *s = rel; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return true;
        s += n;
        s += *s == '/';
    }
    return false;
}

enum gw_path_status gw_path_inside(const char *dir, const char *rel, char *out, size_t outlen)
{
    bool here = !strcmp(dir, ".");
    int n = snprintf(out, outlen, "%s%s%s", here ? "" : dir, here ? "" : "/", rel);
    if (!*rel || rel[0] == '/' || has_dotdot(rel) || n < 0 || (size_t)n >= outlen) {
        if (outlen)
            out[0] = '\0';
        return GW_PATH_OUTSIDE;
    }
    char root[PATH_MAX], real[PATH_MAX];
    if (!realpath(dir, root))
        return GW_PATH_MISSING;
    /*
     * Each prefix of the joined path in turn, so that a part missing inside
     * the folder is told apart from a link out of it without asking whether
     * anything outside exists.
     */
    size_t start = here ? 0 : strlen(dir) + 1;
    for (size_t i = start; i <= (size_t)n; i++) {
        if (i < (size_t)n && out[i] != '/')
            continue;
        if (i == start || out[i - 1] == '/')
            continue; /* an empty part: "a//b" */
        char saved = out[i];
        out[i] = '\0';
        bool resolved = realpath(out, real) != NULL;
        int err = errno;
        struct stat st;
        bool link = !resolved && lstat(out, &st) == 0 && S_ISLNK(st.st_mode);
        out[i] = saved;
        if (!resolved && !link) {
            errno = err;
            return GW_PATH_MISSING;
        }
        if (link || !under(root, real))
            return GW_PATH_OUTSIDE; /* a link out of the folder, or one that leads nowhere */
    }
    return GW_PATH_OK;
}
