/*
 * gw_nearest: edit distance between two names and the nearest known name
 * (see gw_nearest.h). Owns nothing else; its callers own the name lists and
 * the words of their hints.
 */
#include "gw_nearest.h"

#include <stdint.h>
#include <string.h>

#include "gw_utf8.h"

#define MAX_NAME 64 /* longer names are compared by their first 64 characters */

/* Decode s into at most MAX_NAME code points, ASCII letters lowered; returns the count. */
static size_t decode(const char *s, int32_t *cp)
{
    size_t len = strlen(s), i = 0, n = 0;
    while (i < len && n < MAX_NAME) {
        int32_t c = gw_utf8_next(s, len, &i);
        cp[n++] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
    return n;
}

int gw_nearest_distance(const char *a, const char *b)
{
    int32_t ca[MAX_NAME], cb[MAX_NAME];
    size_t n = decode(a, ca), m = decode(b, cb);
    int d[MAX_NAME + 1][MAX_NAME + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int best = d[i - 1][j - 1] + (ca[i - 1] != cb[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca[i - 1] == cb[j - 2] && ca[i - 2] == cb[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *gw_nearest(const char *key, const char *const *known)
{
    int limit = gw_utf8_count(key, strlen(key)) <= 4 ? 1 : 2;
    const char *best = NULL;
    int best_d = limit + 1;
    for (int i = 0; known[i]; i++) {
        int d = gw_nearest_distance(key, known[i]);
        if (d < best_d) {
            best_d = d;
            best = known[i];
        }
    }
    return best;
}
