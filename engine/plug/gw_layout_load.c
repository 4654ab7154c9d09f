/*
 * gw_layout_load: layouts (plugins/layouts/NAME.lua) and their inheritance
 * (see gw_plug_int.h).
 *
 * Owns: loading a layout and the chain of bases it names, laying each
 * derived layout over its base (with the misspelt-key check and the `_from`
 * provenance map), and `gongwen layout NAME`, which prints the result. May
 * call gw_load (finding and loading the files) and gw_style (the fields a
 * style may have); reading the effective layout (styles, page setup, fonts)
 * is gw_style's.
 */
#include "gw_plug_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

/* Merge table at src into table at dst, recursively for nested tables (src wins). */
void gw_plug_merge_into(lua_State *L, int dst, int src)
{
    dst = lua_absindex(L, dst);
    src = lua_absindex(L, src);
    lua_pushnil(L);
    while (lua_next(L, src)) { /* key value */
        if (lua_istable(L, -1)) {
            lua_pushvalue(L, -2);
            if (lua_rawget(L, dst) == LUA_TTABLE) { /* key value dstval */
                gw_plug_merge_into(L, -1, -2);
                lua_pop(L, 2);
                continue;
            }
            lua_pop(L, 1);
            lua_newtable(L); /* key value copy */
            gw_plug_merge_into(L, -1, -2);
            lua_pushvalue(L, -3);
            lua_insert(L, -2);
            lua_rawset(L, dst);
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, dst);
    }
}

/*
 * Layout inheritance. A layout names its `base`; the effective layout is the
 * base's with the derived layout's values laid over it:
 *   - maps merge key by key, recursively; lists (and every other value)
 *     replace the base's value whole;
 *   - a derived layout may only set keys its base has (a misspelt key is an
 *     error at its file:line), except inside the open maps `styles`, `fonts`
 *     and `header`, where it may add entries;
 *   - `_from` records, for every value, the file that set it (for
 *     `gongwen layout NAME`).
 */
struct overlay {
    struct gw_plug *p;
    const char *file; /* the layout file being laid over */
    char *src;        /* its text, for the line of a misspelt key */
    int from;         /* stack index of the provenance table */
    bool strict;      /* false for the root layout: every key is new */
};

/* Is the value at idx a list (a table with a [1])? A list replaces its base's whole. */
static bool is_list(lua_State *L, int idx)
{
    return lua_istable(L, idx) && lua_rawlen(L, idx) > 0;
}

/* The 1-based line where `key =` first appears in the layout's text (0 if not found). */
static int key_line(const char *src, const char *key)
{
    size_t kl = strlen(key);
    for (const char *q = src; src && (q = strstr(q, key)); q += kl) {
        bool start = q == src || !(q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z') ||
                                   (q[-1] >= 'A' && q[-1] <= 'Z') || (q[-1] >= '0' && q[-1] <= '9'));
        const char *e = q + kl;
        while (*e == ' ' || *e == '\t')
            e++;
        if (start && e[0] == '=' && e[1] != '=') {
            int line = 1;
            for (const char *c = src; c < q; c++)
                line += *c == '\n';
            return line;
        }
    }
    return 0;
}

/* Record in the provenance map that o->file set the value at path. */
static void record(struct overlay *o, const char *path)
{
    lua_pushstring(o->p->L, o->file);
    lua_setfield(o->p->L, o->from, path);
}

/* Record every leaf under the table at idx (a copied map) as set by o->file. */
static void record_all(struct overlay *o, int idx, const char *prefix)
{
    lua_State *L = o->p->L;
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx) || is_list(L, idx)) {
        record(o, prefix);
        return;
    }
    bool any = false;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            char path[512];
            snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", lua_tostring(L, -2));
            record_all(o, -1, path);
            any = true;
        }
        lua_pop(L, 1);
    }
    if (!any)
        record(o, prefix); /* an empty map is a value of its own */
}

/* Deep copy of the value at idx (tables copied, everything else as is), pushed. */
static void push_copy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx)) {
        lua_pushvalue(L, idx);
        return;
    }
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        push_copy(L, -2);
        lua_rawset(L, -5);
        lua_pop(L, 1);
    }
}

/* May a derived layout add `key` where its base has none? (prefix: the enclosing path) */
static bool may_add(const char *prefix, const char *key, bool open)
{
    if (open)
        return true;
    return !strncmp(prefix, "styles.", 7) && !strchr(prefix + 7, '.') &&
           gw_plug_is_style_field(key);
}

/* Lay the map at src over the map at dst. Returns 0, or -1 after reporting misspelt keys. */
static int overlay(struct overlay *o, int dst, int src, const char *prefix, bool open)
{
    lua_State *L = o->p->L;
    dst = lua_absindex(L, dst);
    src = lua_absindex(L, src);
    int rc = 0;
    lua_pushnil(L);
    while (lua_next(L, src)) { /* key value */
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            continue;
        }
        const char *key = lua_tostring(L, -2);
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
        bool meta = !*prefix && (!strcmp(key, "base") || !strcmp(key, "name") ||
                                 !strcmp(key, "description") || !strcmp(key, "api") ||
                                 !strcmp(key, "_file") || !strcmp(key, "documentation"));
        lua_pushvalue(L, -2);
        int t = lua_rawget(L, dst); /* key value dstval */
        if (t == LUA_TNIL && o->strict && !meta && !may_add(prefix, key, open)) {
            struct gw_span at = {o->file, key_line(o->src, key), 0};
            gw_diag_error(o->p->diag, at,
                          "layout sets '%s', which its base layout does not have (misspelt?)",
                          path);
            rc = -1;
        } else if (t == LUA_TTABLE && lua_istable(L, -2) && !is_list(L, -1) &&
                   !is_list(L, -2)) {
            bool child_open = !*prefix && (!strcmp(key, "styles") || !strcmp(key, "fonts") ||
                                           !strcmp(key, "header"));
            if (overlay(o, -1, -2, path, child_open) < 0)
                rc = -1;
        } else {
            lua_pushvalue(L, -3);
            push_copy(L, -3); /* key value dstval key copy */
            lua_rawset(L, dst);
            record_all(o, -2, path);
        }
        lua_pop(L, 2);
    }
    return rc;
}

/*
 * Load layout `name` and its bases; leaves the effective table on the stack
 * (with `_from`, the provenance map). Returns 0 or -1.
 */
int gw_plug_load_layout(struct gw_plug *p, const char *name, int depth)
{
    lua_State *L = p->L;
    char path[4096];
    if (depth > 8) {
        gw_diag_error(p->diag, gw_span_file(NULL), "layout '%s': base chain deeper than 8", name);
        return -1;
    }
    bool ok = *name && name[0] != '/' && !strstr(name, "..");
    for (const char *c = name; *c; c++)
        ok &= (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_' || *c == '/' || *c == '.';
    if (!ok) {
        gw_diag_error(p->diag, gw_span_file(NULL),
                      "bad layout name '%s' (letters, digits, - _ . and / only)", name);
        return -1;
    }
    if (!gw_plug_find_file(p, "layouts", name, path, sizeof path)) {
        gw_diag_error(p->diag, gw_span_file(NULL),
                      "no layout named '%s' (looked for layouts/%s.lua in the plugin folders)",
                      name, name);
        return -1;
    }
    char *text = NULL;
    if (gw_plug_load_file(p, path, &text) < 0) /* layout */
        return -1;
    lua_pushstring(L, path);
    lua_setfield(L, -2, "_file");
    char *base = gw_plug_opt_string(L, -1, "base");
    bool derived = base != NULL;
    int rc = 0;
    if (base) {
        rc = gw_plug_load_layout(p, base, depth + 1); /* layout effective-base */
        free(base);
        if (rc < 0) {
            free(text);
            lua_pop(L, 1);
            return -1;
        }
    } else {
        lua_newtable(L); /* layout {} */
        lua_newtable(L);
        lua_setfield(L, -2, "_from");
    }
    struct overlay o = {.p = p, .file = path, .src = text, .strict = derived};
    lua_getfield(L, -1, "_from"); /* layout result from */
    o.from = lua_gettop(L);
    rc = overlay(&o, -2, -3, "", false);
    lua_pop(L, 1);
    free(o.src);
    lua_remove(L, -2); /* result */
    return rc;
}

/* Print one value of the effective layout as Lua-ish text. */
static void dump_value(lua_State *L, int idx, FILE *out)
{
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: fprintf(out, "\"%s\"", lua_tostring(L, idx)); break;
    case LUA_TNUMBER: fprintf(out, "%s", lua_tostring(L, idx)); break;
    case LUA_TBOOLEAN: fputs(lua_toboolean(L, idx) ? "true" : "false", out); break;
    case LUA_TTABLE: {
        fputs("{ ", out);
        int n = (int)lua_rawlen(L, idx);
        for (int i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, i);
            dump_value(L, -1, out);
            fputs(i < n ? ", " : " ", out);
            lua_pop(L, 1);
        }
        fputs("}", out);
        break;
    }
    default: fprintf(out, "<%s>", luaL_typename(L, idx));
    }
}

/* Every leaf of the map at idx, sorted, with the file that set it (provenance map at from). */
static void dump_map(lua_State *L, int idx, int from, const char *prefix, FILE *out)
{
    idx = lua_absindex(L, idx);
    char *keys[256];
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (n < 256 && lua_type(L, -2) == LUA_TSTRING && lua_tostring(L, -2)[0] != '_')
            keys[n++] = gw_xstrdup(lua_tostring(L, -2));
        lua_pop(L, 1);
    }
    qsort(keys, (size_t)n, sizeof *keys, gw_plug_cmp_cstr);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", keys[i]);
        free(keys[i]);
        lua_getfield(L, idx, path + (*prefix ? strlen(prefix) + 1 : 0)); /* value */
        if (lua_istable(L, -1) && !is_list(L, -1)) {
            lua_pushnil(L);
            if (lua_next(L, -2)) { /* a non-empty map: its leaves */
                lua_pop(L, 2);
                dump_map(L, -1, from, path, out);
                lua_pop(L, 1);
                continue;
            }
        }
        fprintf(out, "%s = ", path);
        dump_value(L, -1, out);
        lua_getfield(L, from, path);
        fprintf(out, "    -- %s\n", lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
        lua_pop(L, 2);
    }
}

/* `gongwen layout NAME` (gw_plug.h). */
int gw_plug_layout_dump(struct gw_plug *p, const char *name, FILE *out)
{
    lua_State *L = p->L;
    int top = lua_gettop(L);
    if (gw_plug_load_layout(p, name, 0) < 0) {
        lua_settop(L, top);
        return -1;
    }
    lua_getfield(L, -1, "_from");
    fprintf(out, "-- effective layout '%s': each value, then the file that set it\n", name);
    dump_map(L, -2, lua_gettop(L), "", out);
    lua_settop(L, top);
    return 0;
}
