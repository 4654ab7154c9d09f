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

#include <math.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "../util/gw_json.h"
#include "gw_fields.h"

/* Merge table at src into table at dst, recursively for nested tables (src wins). */
void gw_plug_merge_into(lua_State *L, int dst, int src)
{
    luaL_checkstack(L, 8, "layout tables"); /* a level of tables (at most MAX_DEPTH) */
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
    luaL_checkstack(L, 8, "layout tables"); /* a level of tables (at most MAX_DEPTH) */
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
    luaL_checkstack(L, 8, "layout tables"); /* a level of tables (at most MAX_DEPTH) */
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

/* "did you mean 'x'?" for key, x the nearest string key of the table at t; else "". */
static void nearest_key(lua_State *L, int t, const char *key, char *buf, size_t len)
{
    const char *keys[65];
    int n = 0;
    *buf = '\0';
    lua_pushnil(L);
    while (lua_next(L, t)) { /* key value (the keys stay referenced by the table) */
        if (n < 64 && lua_type(L, -2) == LUA_TSTRING && lua_tostring(L, -2)[0] != '_')
            keys[n++] = lua_tostring(L, -2);
        lua_pop(L, 1);
    }
    keys[n] = NULL;
    const char *near = gw_nearest(key, keys);
    if (near)
        snprintf(buf, len, "did you mean '%.40s'?", near);
}

/* Lay the map at src over the map at dst. Returns 0, or -1 after reporting misspelt keys. */
static int overlay(struct overlay *o, int dst, int src, const char *prefix, bool open)
{
    lua_State *L = o->p->L;
    luaL_checkstack(L, 8, "layout tables"); /* a level of tables (at most MAX_DEPTH) */
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
            struct gw_span at = {o->file, gw_plug_key_line(o->src, key), 0};
            char near[80];
            nearest_key(L, dst, key, near, sizeof near);
            const char *field = strncmp(prefix, "styles.", 7) ? NULL
                                : gw_nearest(key, gw_style_fields);
            if (field) /* a style may have fields its base's style does not set */
                snprintf(near, sizeof near, "did you mean '%s'?", field);
            gw_diag_error(o->p->diag, at,
                          "layout sets '%s', which its base layout does not have (%s)", path,
                          *near ? near : "misspelt?");
            rc = -1;
        } else if (t == LUA_TTABLE && lua_istable(L, -2) && !is_list(L, -1) &&
                   !is_list(L, -2)) {
            bool child_open = !*prefix && (!strcmp(key, "styles") || !strcmp(key, "fonts") ||
                                           !strcmp(key, "header") || !strcmp(key, "format"));
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
 * The shape of a layout file (docs/layouts.md § The layout file), checked as
 * each file loads, before anything reads it: a field of the wrong type is an
 * error at its line naming what it must be, so that nothing later (the page
 * setup, the styles, the overlay) meets a value it cannot use. The check
 * also bounds how deep and how large the tables are: the overlay, the copy
 * and `gongwen layout` walk them recursively.
 */
enum want {
    W_ANY,
    W_STRING,
    W_NUMBER,
    W_INTEGER,
    W_BOOL,
    W_TABLE,
    W_FUNCTION,
    W_STRINGS,         /* a list of strings */
    W_NUMBERS,         /* a list of numbers */
    W_STRING_OR_FALSE, /* typeset.latin_role */
};

static const char *const want_names[] = {
    [W_ANY] = "anything",          [W_STRING] = "a string",
    [W_NUMBER] = "a number",       [W_INTEGER] = "an integer",
    [W_BOOL] = "true or false",    [W_TABLE] = "a table",
    [W_FUNCTION] = "a function",   [W_STRINGS] = "a list of strings",
    [W_NUMBERS] = "a list of numbers", [W_STRING_OR_FALSE] = "a string or false",
};

struct field {
    const char *key;
    enum want want;
    const struct field *sub; /* a fixed map: its fields */
    enum want each;          /* an open map: what each entry must be (W_ANY: unchecked) */
    const struct field *each_sub;
};

#define FIELD(k, w) {k, w, NULL, W_ANY, NULL}          /* a value of one type */
#define MAP(k, sub) {k, W_TABLE, sub, W_ANY, NULL}      /* a map of the fields sub */
#define OPEN(k, each, sub) {k, W_TABLE, NULL, each, sub} /* a map of entries alike */
#define NUM(k) FIELD(k, W_NUMBER)
#define STR(k) FIELD(k, W_STRING)
#define BOOL(k) FIELD(k, W_BOOL)

static const struct field page_fields[] = {NUM("width"), NUM("height"),     NUM("top"),
                                           NUM("left"),  NUM("text_width"), NUM("text_height"),
                                           {NULL}};
static const struct field grid_fields[] = {NUM("lines"), NUM("chars"), NUM("size"),
                                           NUM("widow"), NUM("orphan"), {NULL}};
static const struct field number_fields[] = {STR("format"),   STR("role"),       NUM("size"),
                                             NUM("below"),    STR("position"),   NUM("inset"),
                                             BOOL("first_page"), {NULL}};
static const struct field typeset_fields[] = {
    STR("kinsoku"), STR("punctuation"), BOOL("trim_line_start"), NUM("cjk_latin_spacing"),
    BOOL("avoid_single_char_last_line"), FIELD("latin_role", W_STRING_OR_FALSE), BOOL("grid"),
    {NULL}};
static const struct field table_fields[] = {
    STR("style"), NUM("padding"),    NUM("leading"), NUM("thick"), NUM("thin"),
    BOOL("landscape"), FIELD("widths", W_NUMBERS), {NULL}};
static const struct field image_fields[] = {NUM("max_height"), {NULL}};
static const struct field style_fields[] = {
    STR("role"),         NUM("size"),     STR("color"), BOOL("bold"), BOOL("italic"),
    NUM("indent"),       NUM("hanging"),  NUM("right_indent"),        BOOL("balance"),
    STR("align"),        NUM("keep"),     {NULL}};
static const struct field layout_fields[] = {
    FIELD("api", W_INTEGER), STR("base"), STR("name"), STR("description"), STR("documentation"),
    MAP("page", page_fields), MAP("grid", grid_fields), MAP("page_number", number_fields),
    MAP("typeset", typeset_fields), MAP("tables", table_fields), MAP("images", image_fields),
    OPEN("styles", W_TABLE, style_fields), OPEN("fonts", W_STRINGS, NULL),
    OPEN("header", W_STRING, NULL), FIELD("masthead", W_TABLE), FIELD("rules", W_STRINGS),
    FIELD("header_rules", W_STRINGS), BOOL("colophon_even_page"), FIELD("format", W_TABLE),
    BOOL("first_page_text"),
    FIELD("draw_masthead", W_FUNCTION), FIELD("draw_colophon", W_FUNCTION),
    FIELD("draw_end", W_FUNCTION), {NULL}};

#define MAX_DEPTH 16       /* tables inside tables, from the layout's own */
#define MAX_VALUES 100000L /* values in one layout file, counted along every path */

/* A list of n values each of type t (lua_type), nothing else in the table? */
static bool is_list_of(lua_State *L, int idx, int t)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return false;
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), keys = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        bool ok = lua_rawgeti(L, idx, i) == t;
        lua_pop(L, 1);
        if (!ok)
            return false;
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        keys++;
        lua_pop(L, 1);
    }
    return keys == n;
}

static bool fits(lua_State *L, int idx, enum want w)
{
    idx = lua_absindex(L, idx);
    switch (w) {
    case W_ANY: return true;
    case W_STRING: return lua_type(L, idx) == LUA_TSTRING;
    case W_NUMBER: return lua_type(L, idx) == LUA_TNUMBER;
    case W_INTEGER: return lua_isinteger(L, idx);
    case W_BOOL: return lua_type(L, idx) == LUA_TBOOLEAN;
    case W_TABLE: return lua_type(L, idx) == LUA_TTABLE;
    case W_FUNCTION: return lua_type(L, idx) == LUA_TFUNCTION;
    case W_STRINGS: return is_list_of(L, idx, LUA_TSTRING);
    case W_NUMBERS: return is_list_of(L, idx, LUA_TNUMBER);
    case W_STRING_OR_FALSE:
        return lua_type(L, idx) == LUA_TSTRING ||
               (lua_type(L, idx) == LUA_TBOOLEAN && !lua_toboolean(L, idx));
    }
    return false;
}

/*
 * For a number written as text ("30mm"): what the number means and how to
 * write it, e.g. ": lengths are numbers in mm (write left = 30)"; else "".
 */
static void unit_hint(lua_State *L, int idx, const char *key, enum want w, char *buf, size_t len)
{
    static const struct {
        const char *key, *says;
    } units[] = {{"width", "lengths are numbers in mm"},  {"height", "lengths are numbers in mm"},
                 {"top", "lengths are numbers in mm"},    {"left", "lengths are numbers in mm"},
                 {"text_width", "lengths are numbers in mm"},
                 {"text_height", "lengths are numbers in mm"},
                 {"below", "lengths are numbers in mm"},  {"padding", "lengths are numbers in mm"},
                 {"size", "font sizes are numbers in pt"}, {"thick", "rule widths are numbers in pt"},
                 {"thin", "rule widths are numbers in pt"}, {"indent", "indents are numbers in 字"},
                 {"hanging", "indents are numbers in 字"}, {"right_indent", "indents are numbers in 字"},
                 {"inset", "the inset is a number in 字"}};
    *buf = '\0';
    if ((w != W_NUMBER && w != W_INTEGER) || lua_type(L, idx) != LUA_TSTRING)
        return;
    const char *says = "numbers are written without quotes or a unit";
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(key, units[i].key))
            says = units[i].says;
    char *end;
    const char *text = lua_tostring(L, idx);
    double v = strtod(text, &end);
    if (end != text && isfinite(v))
        snprintf(buf, len, ": %s (write %s = %g)", says, key, v);
    else
        snprintf(buf, len, ": %s", says);
}

/* Report field `path` (its last part written as `key =` in the file) as not what it must be. */
static void bad_field(struct overlay *o, const char *path, const char *key, enum want w, int idx)
{
    struct gw_span at = {o->file, gw_plug_key_line(o->src, key), 0};
    char hint[160];
    unit_hint(o->p->L, idx, key, w, hint, sizeof hint);
    gw_diag_error(o->p->diag, at, "layout field '%s' must be %s, not a %s%s", path, want_names[w],
                  luaL_typename(o->p->L, idx), hint);
}

/* Report the keys of the map at idx (at path prefix) that fields does not list. */
static int unknown_fields(struct overlay *o, int idx, const char *prefix, const struct field *fields)
{
    const char *known[32];
    int n = 0;
    for (const struct field *f = fields; f->key && n < 31; f++)
        known[n++] = f->key;
    known[n] = NULL;
    char what[128];
    snprintf(what, sizeof what, "layout field '%.100s'", prefix);
    return gw_fields_report(o->p, idx, known, what, o->file, o->src);
}

/* Check the string-keyed fields of the map at idx against fields (fixed) or each (open). */
static int check_map(struct overlay *o, int idx, const char *prefix, const struct field *fields,
                     enum want each, const struct field *each_sub)
{
    lua_State *L = o->p->L;
    int rc = 0;
    idx = lua_absindex(L, idx);
    for (const struct field *f = fields; f && f->key; f++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", f->key);
        int t = gw_plug_field(L, idx, f->key); /* value */
        if (t != LUA_TNIL && !fits(L, -1, f->want)) {
            bad_field(o, path, f->key, f->want, -1);
            rc = -1;
        } else if (t == LUA_TTABLE && (f->sub || f->each != W_ANY) &&
                   check_map(o, -1, path, f->sub, f->each, f->each_sub) < 0) {
            rc = -1;
        }
        lua_pop(L, 1);
    }
    if (fields && !o->strict && *prefix && unknown_fields(o, idx, prefix, fields) < 0)
        rc = -1; /* (a derived layout's are the overlay's: keys its base lacks) */
    if (each == W_ANY)
        return rc;
    lua_pushnil(L);
    while (lua_next(L, idx)) { /* key value */
        if (lua_type(L, -2) == LUA_TSTRING) {
            const char *key = lua_tostring(L, -2);
            char path[512];
            snprintf(path, sizeof path, "%s.%s", prefix, key);
            if (!fits(L, -1, each)) {
                bad_field(o, path, key, each, -1);
                rc = -1;
            } else if (each_sub && check_map(o, -1, path, each_sub, W_ANY, NULL) < 0) {
                rc = -1;
            }
        }
        lua_pop(L, 1);
    }
    return rc;
}

/* Tables under the value at idx, along every path: -1 deeper than MAX_DEPTH, else 0 (*count grows). */
static int measure(lua_State *L, int idx, int depth, long *count)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return 0;
    if (depth >= MAX_DEPTH)
        return -1;
    luaL_checkstack(L, 3, "layout tables");
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (++*count > MAX_VALUES || measure(L, -1, depth + 1, count) < 0) {
            lua_pop(L, 2);
            return -1;
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* Check the layout file's table at idx (o->file, its text o->src). Returns 0, or -1 after reporting. */
static int check_shape(struct overlay *o, int idx)
{
    lua_State *L = o->p->L;
    idx = lua_absindex(L, idx);
    int rc = 0;
    long count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) { /* key value */
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        struct gw_span at = {o->file, key ? gw_plug_key_line(o->src, key) : gw_plug_return_line(o->src), 0};
        if (key && key[0] == '_') {
            gw_diag_error(o->p->diag, at, "layout field '%s' is reserved for the engine "
                                          "(names that start with _)", key);
            rc = -1;
        } else if (measure(L, -1, 0, &count) < 0) {
            if (count > MAX_VALUES)
                gw_diag_error(o->p->diag, at, "layout holds more than %ld values", MAX_VALUES);
            else
                gw_diag_error(o->p->diag, at,
                              "layout field '%s' nests tables more than %d deep (does a table "
                              "hold itself?)", key ? key : "?", MAX_DEPTH);
            lua_pop(L, 2);
            return -1;
        }
        lua_pop(L, 1);
    }
    if (check_map(o, idx, "", layout_fields, W_ANY, NULL) < 0)
        rc = -1;
    bool styles = gw_plug_field(L, idx, "styles") != LUA_TNIL;
    lua_pop(L, 1);
    if (!o->strict && !styles && rc == 0) {
        struct gw_span at = {o->file, gw_plug_return_line(o->src), 0};
        gw_diag_error(o->p->diag, at, "layout has no 'base' (a string: the layout it extends, "
                                      "such as \"gbt9704\") and no 'styles' (a table) of its own");
        rc = -1;
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
    struct overlay o = {.p = p, .file = path, .src = text,
                        .strict = gw_plug_field(L, -1, "base") != LUA_TNIL};
    lua_pop(L, 1);
    if (check_shape(&o, -1) < 0) {
        free(text);
        lua_pop(L, 1);
        return -1;
    }
    lua_pushliteral(L, "_file");
    lua_pushstring(L, path);
    lua_rawset(L, -3); /* the engine writes plugin tables raw, too */
    char *base = gw_plug_opt_string(L, -1, "base");
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
    gw_plug_field(L, -1, "_from"); /* layout result from */
    o.from = lua_gettop(L);
    rc = overlay(&o, -2, -3, "", false);
    lua_pop(L, 1);
    free(o.src);
    lua_remove(L, -2); /* result */
    return rc;
}

/*
 * Print one value of the effective layout as Lua-ish text, or as JSON (a
 * list as an array; a function or another value JSON has no word for as
 * null: the entry's "type" names it).
 */
static void dump_value(lua_State *L, int idx, FILE *out, bool json)
{
    luaL_checkstack(L, 8, "layout tables"); /* a level of tables (at most MAX_DEPTH) */
    switch (lua_type(L, idx)) {
    case LUA_TSTRING:
        if (json) {
            size_t len;
            const char *v = lua_tolstring(L, idx, &len);
            gw_json_str(out, v, len);
        } else {
            fprintf(out, "\"%s\"", lua_tostring(L, idx));
        }
        break;
    case LUA_TNUMBER: /* JSON has no word for nan or inf */
        if (json && !lua_isinteger(L, idx) && !isfinite(lua_tonumber(L, idx)))
            fputs("null", out);
        else
            fprintf(out, "%s", lua_tostring(L, idx));
        break;
    case LUA_TBOOLEAN: fputs(lua_toboolean(L, idx) ? "true" : "false", out); break;
    case LUA_TTABLE: {
        fputs(json ? "[" : "{ ", out);
        int n = (int)lua_rawlen(L, idx);
        for (int i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, i);
            dump_value(L, -1, out, json);
            fputs(i < n ? (json ? "," : ", ") : (json ? "" : " "), out);
            lua_pop(L, 1);
        }
        fputs(json ? "]" : "}", out);
        break;
    }
    default:
        if (json)
            fputs("null", out);
        else
            fprintf(out, "<%s>", luaL_typename(L, idx));
    }
}

/* Every leaf of the map at idx, sorted, with the file that set it (provenance map at from). */
static void dump_map(lua_State *L, int idx, int from, const char *prefix, FILE *out, bool json,
                     bool *first)
{
    luaL_checkstack(L, 8, "layout tables"); /* a level of tables (at most MAX_DEPTH) */
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
        gw_plug_field(L, idx, path + (*prefix ? strlen(prefix) + 1 : 0)); /* value */
        if (lua_istable(L, -1) && !is_list(L, -1)) {
            lua_pushnil(L);
            if (lua_next(L, -2)) { /* a non-empty map: its leaves */
                lua_pop(L, 2);
                dump_map(L, -1, from, path, out, json, first);
                lua_pop(L, 1);
                continue;
            }
        }
        if (json) {
            fputs(*first ? "{\"path\":" : ",{\"path\":", out);
            *first = false;
            gw_json_cstr(out, path);
            gw_json_key(out, "type", 0);
            gw_json_cstr(out, luaL_typename(L, -1));
            gw_json_key(out, "value", 0);
        } else {
            fprintf(out, "%s = ", path);
        }
        dump_value(L, -1, out, json);
        gw_plug_field(L, from, path);
        const char *file = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
        if (json) {
            gw_json_key(out, "file", 0);
            gw_json_cstr(out, file);
            fputs("}", out);
        } else {
            fprintf(out, "    -- %s\n", file ? file : "?");
        }
        lua_pop(L, 2);
    }
}

/* `gongwen layout NAME` (gw_plug.h). */
int gw_plug_layout_dump(struct gw_plug *p, const char *name, FILE *out, bool json)
{
    lua_State *L = p->L;
    int top = lua_gettop(L);
    if (gw_plug_load_layout(p, name, 0) < 0) {
        lua_settop(L, top);
        return -1;
    }
    gw_plug_field(L, -1, "_from");
    bool first = true;
    if (json) {
        fputs("{\"layout\":", out);
        gw_json_cstr(out, name);
        fputs(",\"values\":[", out);
    } else {
        fprintf(out, "-- effective layout '%s': each value, then the file that set it\n", name);
    }
    dump_map(L, -2, lua_gettop(L), "", out, json, &first);
    if (json)
        fputs("]}\n", out);
    lua_settop(L, top);
    return 0;
}
