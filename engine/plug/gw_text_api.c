/*
 * gw_text_api: gw.find, gw.match, gw.gsub and gw.split, the plugins' bounded
 * PCRE2 in place of Lua patterns (docs/plugin-api.md).
 *
 * Owns the regex userdata (gw.regex, freed by its __gc) and the registry's
 * pattern cache: a pattern string is compiled once per Lua state. May call
 * gw_rules (compiling, matching, replacing) and gw_utf8; raises Lua errors
 * for bad patterns, invalid UTF-8 and hit match limits.
 */
#include "gw_plug_int.h"

#include <stdbool.h>

#include <lauxlib.h>
#include <lua.h>

#include "../rules/gw_rules.h"
#include "../util/gw_buf.h"
#include "../util/gw_utf8.h"

static int regex_gc(lua_State *L)
{
    struct gw_regex **re = luaL_checkudata(L, 1, "gw.regex");
    gw_regex_free(*re);
    *re = NULL;
    return 0;
}

/* The compiled pattern for the string at index idx (cached in the registry). */
static struct gw_regex *get_regex(lua_State *L, int idx)
{
    size_t len;
    const char *pat = luaL_checklstring(L, idx, &len);
    lua_getfield(L, LUA_REGISTRYINDEX, "gw.recache"); /* cache */
    lua_pushvalue(L, idx);                           /* cache pat */
    if (lua_rawget(L, -2) == LUA_TUSERDATA) {         /* cache ud */
        struct gw_regex *re = *(struct gw_regex **)lua_touserdata(L, -1);
        lua_pop(L, 2);
        return re;
    }
    lua_pop(L, 1); /* cache */
    char err[256];
    struct gw_regex *re = gw_regex_new(pat, len, NULL, err, sizeof err);
    if (!re)
        luaL_error(L, "bad pattern /%s/: %s", pat, err);
    struct gw_regex **ud = lua_newuserdatauv(L, sizeof(*ud), 0); /* cache ud */
    *ud = re;
    luaL_setmetatable(L, "gw.regex");
    lua_pushvalue(L, idx); /* cache ud pat */
    lua_pushvalue(L, -2);  /* cache ud pat ud */
    lua_rawset(L, -4);     /* cache ud */
    lua_pop(L, 2);
    return re;
}

/* Argument idx as a string that must be valid UTF-8 (matching skips PCRE2's check). */
const char *gw_plug_check_utf8(lua_State *L, int idx, size_t *len)
{
    const char *s = luaL_checklstring(L, idx, len);
    if (gw_utf8_check(s, *len) != *len)
        luaL_argerror(L, idx, "not valid UTF-8 (was a character cut in half?)");
    return s;
}

/* Raise the error for a failed match (rc < 0) of pattern pat. */
static int match_error(lua_State *L, int rc, const char *pat)
{
    if (rc == GW_RE_LIMIT)
        return luaL_error(L, "pattern /%s/ hit its match limit (catastrophic backtracking?)", pat);
    if (rc == GW_RE_TOOBIG)
        return luaL_error(L, "pattern /%s/: the replacements make the text too long", pat);
    return luaL_error(L, "pattern /%s/ failed to match", pat);
}

/* gw.find (find) and gw.match: the match at or after init (a byte position), or nil. */
static int l_find_impl(lua_State *L, bool find)
{
    size_t len;
    const char *s = gw_plug_check_utf8(L, 1, &len);
    struct gw_regex *re = get_regex(L, 2);
    lua_Integer init = luaL_optinteger(L, 3, 1);
    if (init < 1)
        init = 1;
    if ((size_t)init > len + 1) {
        luaL_pushfail(L);
        return 1;
    }
    if ((size_t)init <= len && ((unsigned char)s[init - 1] & 0xC0) == 0x80)
        return luaL_argerror(L, 3, "init is inside a UTF-8 character");
    int ng = gw_regex_groups(re);
    size_t ovs[2 * 32];
    size_t *ov = ng < 31 ? ovs : lua_newuserdatauv(L, sizeof(size_t) * 2 * (size_t)(ng + 1), 0);
    int rc = gw_regex_match(re, s, len, (size_t)init - 1, ov, ng + 1);
    if (rc < 0)
        return match_error(L, rc, lua_tostring(L, 2));
    if (rc == GW_RE_NOMATCH) {
        luaL_pushfail(L);
        return 1;
    }
    int nret = 0;
    if (find) {
        lua_pushinteger(L, (lua_Integer)ov[0] + 1);
        lua_pushinteger(L, (lua_Integer)ov[1]);
        nret = 2;
    }
    luaL_checkstack(L, ng + 1, "too many captures");
    if (ng == 0 && !find) {
        lua_pushlstring(L, s + ov[0], ov[1] - ov[0]);
        return 1;
    }
    for (int g = 1; g <= ng; g++) {
        if (ov[2 * g] == (size_t)-1)
            luaL_pushfail(L);
        else
            lua_pushlstring(L, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
    return nret + ng;
}

/* gw.find(s, pattern [, init]) -> start, end, captures... | nil */
int gw_lua_find(lua_State *L)
{
    return l_find_impl(L, true);
}

/* gw.match(s, pattern [, init]) -> captures... (the whole match if none) | nil */
int gw_lua_match(lua_State *L)
{
    return l_find_impl(L, false);
}

/* gw.gsub's replacement of one match: repl expanded, within the plugins' memory budget. */
struct gsub_ud {
    struct gw_plug *p;
    struct gw_regex *re;
    const char *repl;
    bool over; /* the result would not fit in the memory budget */
};

static int gsub_fn(void *ud, const char *s, const size_t *ov, int groups, struct gw_buf *out)
{
    struct gsub_ud *g = ud;
    (void)groups;
    if (gw_regex_expand(g->re, s, ov, g->repl, out) < 0)
        return -1;
    g->over = gw_plug_mem_over(g->p, out->len); /* ("" matches at every character) */
    return g->over ? -1 : 1;
}

/* gw.gsub(s, pattern, repl) -> string, count   ($0-$9, ${name}, $$ in repl) */
int gw_lua_gsub(lua_State *L)
{
    size_t len;
    const char *s = gw_plug_check_utf8(L, 1, &len);
    struct gw_regex *re = get_regex(L, 2);
    const char *repl = luaL_checkstring(L, 3);
    struct gw_buf out;
    gw_buf_init(&out);
    int n = 0;
    struct gsub_ud g = {gw_plug_host(L), re, repl, false};
    int rc = gw_regex_replace_cb(re, s, len, gsub_fn, &g, &out, &n);
    if (rc < 0) {
        gw_buf_free(&out);
        if (g.over)
            return luaL_error(L, "plugin exceeded its memory budget");
        if (rc == GW_RE_ERROR)
            return luaL_error(L, "bad replacement '%s' for pattern /%s/", repl,
                              lua_tostring(L, 2));
        return match_error(L, rc, lua_tostring(L, 2));
    }
    lua_pushlstring(L, out.data ? out.data : "", out.len);
    gw_buf_free(&out);
    lua_pushinteger(L, n);
    return 2;
}

/* gw.split(s, pattern) -> { pieces } */
int gw_lua_split(lua_State *L)
{
    size_t len;
    const char *s = gw_plug_check_utf8(L, 1, &len);
    struct gw_regex *re = get_regex(L, 2);
    int ng = gw_regex_groups(re);
    size_t *ov = lua_newuserdatauv(L, sizeof(size_t) * 2 * (size_t)(ng + 1), 0);
    lua_newtable(L);
    size_t pos = 0, from = 0;
    int k = 0;
    while (pos <= len) {
        int rc = gw_regex_match(re, s, len, pos, ov, ng + 1);
        if (rc < 0)
            return match_error(L, rc, lua_tostring(L, 2));
        if (rc == GW_RE_NOMATCH)
            break;
        if (ov[1] == ov[0]) { /* empty match: step one character */
            pos = ov[0] + 1;
            while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
                pos++;
            continue;
        }
        lua_pushlstring(L, s + from, ov[0] - from);
        lua_rawseti(L, -2, ++k);
        from = pos = ov[1];
    }
    lua_pushlstring(L, s + from, len - from);
    lua_rawseti(L, -2, ++k);
    return 1;
}

void gw_plug_open_text(lua_State *L)
{
    luaL_newmetatable(L, "gw.regex");
    lua_pushcfunction(L, regex_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "gw.recache");
}
