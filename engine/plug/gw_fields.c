/*
 * gw_fields: checking a plugin table's fields against the documented ones,
 * and the known name nearest to a misspelt field (see gw_fields.h).
 *
 * Owns: the edit distance, the "did you mean" hint, and the two ways a
 * misspelt field is reported: a Lua error at the calling line (out:*, m:*
 * arguments; its callers run inside gw_plug_call) or a diagnostic at the
 * field's line of a plugin file (section plugins, rule sets). May call
 * gw_load (gw_plug_key_line, gw_plug_return_line) and gw_diag; knows no
 * table's fields itself: its callers pass them.
 */
#include "gw_fields.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "gw_plug_int.h"

#define MAX_KEY 64 /* longer keys are compared by their first 64 bytes */

/*
 * Edits from a to b, ignoring ASCII case: letters added, dropped, changed,
 * or two neighbours swapped (the optimal string alignment distance).
 */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    n = n > MAX_KEY ? MAX_KEY : n;
    m = m > MAX_KEY ? MAX_KEY : m;
    int d[MAX_KEY + 1][MAX_KEY + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *gw_fields_nearest(const char *key, const char *const *known)
{
    int limit = strlen(key) <= 4 ? 1 : 2;
    const char *best = NULL;
    int best_d = limit + 1;
    for (int i = 0; known[i]; i++) {
        int d = distance(key, known[i]);
        if (d < best_d) {
            best_d = d;
            best = known[i];
        }
    }
    return best;
}

void gw_fields_hint(const char *key, const char *const *known, char *buf, size_t len)
{
    const char *near = gw_fields_nearest(key, known);
    if (near) {
        snprintf(buf, len, "did you mean '%s'?", near);
        return;
    }
    size_t used = (size_t)snprintf(buf, len, "fields:");
    for (int i = 0; known[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, " %s", known[i]);
}

/* Is key one of known? */
static bool is_known(const char *key, const char *const *known)
{
    for (int i = 0; known[i]; i++)
        if (!strcmp(key, known[i]))
            return true;
    return false;
}

/* Is the key at -2 (the table at idx's) a position of its list part? */
static bool in_list(lua_State *L, int idx)
{
    if (!lua_isinteger(L, -2))
        return false;
    lua_Integer k = lua_tointeger(L, -2);
    return k >= 1 && k <= (lua_Integer)lua_rawlen(L, idx);
}

const char *gw_fields_unknown(lua_State *L, int idx, const char *const *known, bool lists)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return NULL;
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) { /* key value */
        const char *bad = NULL;
        if (lua_type(L, -2) == LUA_TSTRING)
            bad = is_known(lua_tostring(L, -2), known) ? NULL : lua_tostring(L, -2);
        else if (!(lists && in_list(L, idx)))
            bad = "";
        if (bad) {
            lua_pop(L, 2); /* - (a string key stays referenced by the table) */
            return bad;
        }
        lua_pop(L, 1); /* key */
    }
    return NULL;
}

void gw_fields_check(lua_State *L, int idx, const char *const *known, bool lists,
                     const char *what)
{
    const char *key = gw_fields_unknown(L, idx, known, lists);
    if (!key)
        return;
    char hint[256];
    gw_fields_hint(key, known, hint, sizeof hint);
    if (*key)
        luaL_error(L, "%s: unknown field '%s' (%s)", what, key, hint);
    luaL_error(L, "%s: a value without a name (a table of named fields is expected; %s)", what,
               hint);
}

int gw_fields_report(struct gw_plug *p, int idx, const char *const *known, const char *what,
                     const char *file, const char *src)
{
    lua_State *L = p->L;
    if (lua_type(L, idx) != LUA_TTABLE)
        return 0;
    idx = lua_absindex(L, idx);
    int rc = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) { /* key value */
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        if (!key || !is_known(key, known)) {
            char hint[256];
            gw_fields_hint(key ? key : "", known, hint, sizeof hint);
            int line = key ? gw_plug_key_line(src, key) : 0;
            struct gw_span at = {file, line ? line : gw_plug_return_line(src), 0};
            if (key)
                gw_diag_error(p->diag, at, "%s has an unknown field '%s' (%s)", what, key, hint);
            else
                gw_diag_error(p->diag, at, "%s has a value without a name (%s)", what, hint);
            rc = -1;
        }
        lua_pop(L, 1); /* key */
    }
    return rc;
}
