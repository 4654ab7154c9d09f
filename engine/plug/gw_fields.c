/*
 * gw_fields: checking a plugin table's fields against the documented ones,
 * and the known name nearest to a misspelt field (see gw_fields.h).
 *
 * Owns: the "did you mean" hint (the nearest name is util/gw_nearest's),
 * and the two ways a misspelt field is reported: a Lua error at the calling line (out:*, m:*
 * arguments; its callers run inside gw_plug_call) or a diagnostic at the
 * field's line of a plugin file (section plugins, rule sets). May call
 * gw_load (gw_plug_key_line, gw_plug_return_line) and gw_diag; knows no
 * table's fields itself: its callers pass them.
 */
#include "gw_fields.h"

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "../util/gw_nearest.h"
#include "gw_plug_int.h"

void gw_fields_hint(const char *key, const char *const *known, char *buf, size_t len)
{
    const char *near = gw_nearest(key, known);
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
