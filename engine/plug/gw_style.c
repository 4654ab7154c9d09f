/*
 * gw_style: styles, page setup, the layout's fonts and checked numbers
 * (see gw_plug_int.h).
 *
 * Owns: checking every number a layout or a plugin gives where it enters
 * the engine (type, finite, range: docs/layouts.md § Limits), a layout's
 * values reported at the file and line that set them; resolving a style of
 * the layout's `styles` table (its fields checked, its role's font found;
 * answers kept for the build), colours and alignment as plugins write them,
 * the page setup the layout's `page`, `grid`, `page_number` and `typeset`
 * tables make, and opening the fonts a layout names (fonts/roles.conf,
 * then its `fonts` table). Words a value must be one of (align, kinsoku,
 * page_number.position …) are checked too, a misspelt one naming the
 * nearest (gw_fields). May call gw_load (reading fields), gw_fields,
 * gw_read_file (a layout's text, for the line of a bad value) and gw_fontset;
 * raises Lua errors for bad styles, colours, roles and plugin arguments
 * (its callers run inside gw_plug_call).
 */
#include "gw_plug_int.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "../read/gw_read.h"
#include "../util/gw_buf.h"
#include "../util/gw_utf8.h"
#include "gw_fields.h"

/* {===================== checked numbers =============================== */

/*
 * NaN, infinities and absurd sizes must never reach the layout or the PDF
 * writer (a NaN font size looped forever; 1e308 overflowed a cast), so
 * every number is checked where it enters: a layout's when the page setup
 * is read (gw_plug_read_setup, reported at the layout file and line that
 * set it), a plugin's when it calls out:* or m:* (a Lua error at its line).
 */

/* The value at idx as messages show it: 12.5, nan, inf, "30mm", true, a table. */
static void show_value(lua_State *L, int idx, char *buf, size_t len)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            snprintf(buf, len, "%lld", (long long)lua_tointeger(L, idx));
        else if (isnan(lua_tonumber(L, idx)))
            snprintf(buf, len, "nan"); /* (printf may say -nan for 0/0) */
        else
            snprintf(buf, len, "%.6g", lua_tonumber(L, idx));
        break;
    case LUA_TSTRING: {
        size_t n, cut;
        const char *str = lua_tolstring(L, idx, &n);
        for (cut = n < 40 ? n : 40; cut < n && cut > 0 && ((unsigned char)str[cut] & 0xC0) == 0x80;)
            cut--; /* not inside a character */
        snprintf(buf, len, "\"%.*s%s\"", (int)cut, str, cut < n ? "…" : "");
        break;
    }
    case LUA_TBOOLEAN: snprintf(buf, len, "%s", lua_toboolean(L, idx) ? "true" : "false"); break;
    default: snprintf(buf, len, "a %s", luaL_typename(L, idx));
    }
}

/* Is the value at idx a number r allows? Then *v is it. */
static bool num_in(lua_State *L, int idx, struct gw_range r, double *v)
{
    if (lua_type(L, idx) != LUA_TNUMBER)
        return false;
    double x = lua_tonumber(L, idx);
    if (!(x >= r.lo && x <= r.hi) || (r.whole && x != floor(x)))
        return false; /* (NaN fails the first test) */
    *v = x;
    return true;
}

/* What r allows, as messages say it: "a whole number from 1 to 200 (lines)". */
static void show_range(struct gw_range r, char *buf, size_t len)
{
    snprintf(buf, len, "a %snumber from %g to %g%s%s%s", r.whole ? "whole " : "", r.lo, r.hi,
             r.unit ? " (" : "", r.unit ? r.unit : "", r.unit ? ")" : "");
}

double gw_plug_check_num(lua_State *L, int idx, const char *key, double def, struct gw_range r,
                         const char *what)
{
    if (key)
        gw_plug_field(L, idx, key); /* value (raw: no plugin metamethod runs) */
    else
        lua_pushvalue(L, idx); /* value */
    double v = def;
    if (!lua_isnil(L, -1) && !num_in(L, -1, r, &v)) {
        char val[96], want[96];
        show_value(L, -1, val, sizeof val);
        show_range(r, want, sizeof want);
        if (key)
            luaL_error(L, "%s: %s = %s: must be %s", what, key, val, want);
        luaL_error(L, "%s = %s: must be %s", what, val, want);
    }
    lua_pop(L, 1); /* - */
    return v;
}

/* }===================================================================== */

/* {===================== styles ======================================== */

/* The fields a style may have (docs/plugin-api.md § Styles; gw_fields.h). */
const char *const gw_style_fields[] = {
    "role",    "size",         "color",   "bold",  "italic", "indent",
    "hanging", "right_indent", "balance", "align", "keep",   NULL};

bool gw_plug_is_style_field(const char *key)
{
    for (int i = 0; gw_style_fields[i]; i++)
        if (!strcmp(key, gw_style_fields[i]))
            return true;
    return false;
}

bool gw_plug_has_style(struct gw_plug *p, const char *name)
{
    lua_State *L = p->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref); /* layout */
    gw_plug_field(L, -1, "styles");                   /* layout styles */
    gw_plug_field(L, -1, name);                       /* layout styles style */
    bool has = lua_istable(L, -1);
    lua_pop(L, 3); /* - */
    return has;
}

/* "#RRGGBB" -> 0xRRGGBB; false for anything else. */
static bool color_value(const char *s, uint32_t *out)
{
    if (!s || s[0] != '#' || strlen(s) != 7 || strspn(s + 1, "0123456789abcdefABCDEF") != 6)
        return false;
    *out = (uint32_t)strtoul(s + 1, NULL, 16);
    return true;
}

/* A colour argument or field; raises a Lua error for anything but "#RRGGBB". */
uint32_t gw_plug_check_color(lua_State *L, const char *s)
{
    uint32_t c = 0;
    if (!color_value(s, &c))
        luaL_error(L, "bad colour '%s' (write \"#RRGGBB\")", s ? s : "nil");
    return c;
}

/* The words an `align` may be (docs/plugin-api.md § Styles). */
static const char *const align_words[] = {"justify", "left", "center", "centre", "right", NULL};

enum gw_align gw_plug_check_align(lua_State *L, int idx, enum gw_align def, const char *what)
{
    if (lua_isnil(L, idx))
        return def;
    const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : NULL;
    bool known = false;
    for (int i = 0; s && align_words[i]; i++)
        known |= !strcmp(s, align_words[i]);
    if (!known) {
        char val[96], hint[128] = "";
        show_value(L, idx, val, sizeof val);
        const char *near = s ? gw_nearest(s, align_words) : NULL;
        if (near)
            snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
        luaL_error(L, "%s: align = %s: must be justify, left, center (or centre) or right%s",
                   what, val, hint);
    }
    return gw_plug_parse_align(s, def);
}

/* An `align` value: left, center (centre), right, else justify; def when absent. */
enum gw_align gw_plug_parse_align(const char *s, enum gw_align def)
{
    if (!s)
        return def;
    if (!strcmp(s, "left"))
        return GW_ALIGN_LEFT;
    if (!strcmp(s, "center") || !strcmp(s, "centre"))
        return GW_ALIGN_CENTER;
    if (!strcmp(s, "right"))
        return GW_ALIGN_RIGHT;
    return GW_ALIGN_JUSTIFY;
}

/* The role index for a role name, with an error (raised in Lua) if it has no font. */
int gw_plug_role(struct gw_plug *p, const char *name)
{
    int r = gw_fontset_role(p->fs, name);
    if (r < 0 || gw_fontset_primary(p->fs, r) < 0)
        luaL_error(p->L, "font role '%s' has no installed font (see `gongwen fonts`)", name);
    return r;
}

/*
 * Resolve style `name` from the layout's styles table, on top of `base`
 * (a paragraph style for a run). Raises a Lua error for an unknown style.
 */
struct gw_style gw_plug_style(struct gw_plug *p, const char *name, const struct gw_style *base)
{
    lua_State *L = p->L;
    struct gw_style s = base ? *base
                          : (struct gw_style){.size = p->out->setup.body_size,
                                           .align = GW_ALIGN_JUSTIFY};
    if (!base)
        s.role = -1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    lua_getfield(L, -1, "styles");
    lua_getfield(L, -1, name);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 3);
        luaL_error(L, "unknown style '%s' (the layout defines no styles.%s)", name, name);
    }
    lua_pushnil(L);
    while (lua_next(L, -2)) { /* a misspelt field would silently do nothing */
        if (lua_type(L, -2) != LUA_TSTRING || !gw_plug_is_style_field(lua_tostring(L, -2))) {
            const char *bad = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
            luaL_error(L, "style '%s' has an unknown field '%s' (fields: role size color bold "
                          "italic indent hanging right_indent balance align keep)",
                       name, bad);
        }
        lua_pop(L, 1);
    }
    const char *role = gw_plug_str_field(L, -1, "role", NULL);
    if (role)
        s.role = gw_plug_role(p, role);
    /* checked here too: a plugin may have changed the layout table since it was read */
    char what[64];
    snprintf(what, sizeof what, "styles.%.50s", name);
    s.size = gw_plug_check_num(L, -1, "size", s.size, GW_RANGE_SIZE, what);
    lua_getfield(L, -1, "color");
    if (lua_isstring(L, -1))
        s.color = gw_plug_check_color(L, lua_tostring(L, -1));
    lua_pop(L, 1);
    s.bold = gw_plug_bool_field(L, -1, "bold", s.bold);
    s.italic = gw_plug_bool_field(L, -1, "italic", s.italic);
    s.indent = gw_plug_check_num(L, -1, "indent", s.indent, GW_RANGE_INDENT, what);
    s.hanging = gw_plug_check_num(L, -1, "hanging", s.hanging, GW_RANGE_INDENT, what);
    s.right_indent = gw_plug_check_num(L, -1, "right_indent", s.right_indent, GW_RANGE_INDENT,
                                       what);
    gw_plug_field(L, -1, "balance");
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
        luaL_error(L, "%s: balance must be true or false", what);
    s.balance = lua_isboolean(L, -1) ? lua_toboolean(L, -1) : s.balance;
    lua_pop(L, 1);
    gw_plug_field(L, -1, "align");
    s.align = gw_plug_check_align(L, -1, s.align, what);
    lua_pop(L, 1);
    s.keep = (int)gw_plug_check_num(L, -1, "keep", s.keep, GW_RANGE_KEEP, what);
    lua_pop(L, 3);
    if (s.role < 0)
        s.role = gw_plug_role(p, "fangsong");
    return s;
}

/* }===================================================================== */

/* {===================== page setup ==================================== */

/*
 * The merged layout's values, checked as they are read: a bad one is
 * reported at the file that set it (the layout's `_from` map, made by
 * gw_layout_load.c) and the line of its key there, so a county layout's
 * mistake is blamed on the county's file, not on the base layout.
 */
struct lcheck {
    struct gw_plug *p;
    int layout; /* stack index of the merged layout table */
    int errors;
};

/* Lengths of the page (mm), its margins and text block, and the grid. */
#define R_PAGE   ((struct gw_range){20, 1500, false, "mm"})
#define R_MARGIN ((struct gw_range){0, 1500, false, "mm"})
#define R_BLOCK  ((struct gw_range){10, 1500, false, "mm"})
#define R_GRID   ((struct gw_range){1, 200, true, NULL})
#define R_WIDOW  ((struct gw_range){0, 20, true, "lines"})
#define R_GAP    ((struct gw_range){0, 200, false, "mm"})

/*
 * The line of a layout file's text where the dotted path's value is set:
 * each key is looked for as `key =` after the one before it (so
 * "page.left" finds the `left` inside `page = { ... }`), else the last key
 * anywhere; 0 if neither is found.
 */
static int path_line(const char *src, const char *path)
{
    const char *from = src, *hit = NULL;
    for (int pass = 0; pass < 2 && !hit; pass++) {
        const char *k = pass ? (strrchr(path, '.') ? strrchr(path, '.') + 1 : path) : path;
        for (from = src; *k;) {
            char key[64];
            size_t kl = strcspn(k, ".");
            snprintf(key, sizeof key, "%.*s", (int)(kl < 63 ? kl : 63), k);
            k += kl + (k[kl] == '.');
            const char *q = from;
            for (; (q = strstr(q, key)); q++) {
                const char *e = q + strlen(key);
                while (*e == ' ' || *e == '\t')
                    e++;
                bool whole = (q == src || !(isalnum((unsigned char)q[-1]) || q[-1] == '_')) &&
                             !(isalnum((unsigned char)q[strlen(key)]) || q[strlen(key)] == '_');
                if (whole && e[0] == '=' && e[1] != '=')
                    break;
            }
            hit = q;
            if (!q)
                break;
            from = q + 1;
        }
    }
    int line = hit ? 1 : 0;
    for (const char *c = src; hit && c < hit; c++)
        line += *c == '\n';
    return line;
}

/* The layout file that set path (else the layout's own file), in the document's arena. */
static const char *set_by(struct lcheck *c, const char *path)
{
    lua_State *L = c->p->L;
    const char *file = NULL;
    if (lua_getfield(L, c->layout, "_from") == LUA_TTABLE) { /* from */
        lua_getfield(L, -1, path);                         /* from file */
        file = lua_type(L, -1) == LUA_TSTRING ? gw_arena_strdup(&c->p->doc->arena,
                                                                lua_tostring(L, -1))
                                              : NULL;
        lua_pop(L, 1); /* from */
    }
    lua_pop(L, 1); /* - */
    if (!file) {
        const char *own = gw_plug_str_field(L, c->layout, "_file", NULL);
        file = own ? gw_arena_strdup(&c->p->doc->arena, own) : NULL;
    }
    return file;
}

/* Report a bad layout value at the file and line that set path. */
static void lerror(struct lcheck *c, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct gw_span at = {set_by(c, path), 0, 0};
    size_t len;
    char *src = at.file ? gw_read_file(at.file, &len) : NULL;
    if (src)
        at.line = path_line(src, path);
    free(src);
    gw_diag_error(c->p->diag, at, "%s", msg);
    c->errors++;
}

/*
 * Of values that are wrong only together, the one to blame: the first the
 * layout being built set itself (its `_file`), else the first.
 */
static int blame(struct lcheck *c, const char *const *paths, int n)
{
    const char *own = gw_plug_str_field(c->p->L, c->layout, "_file", NULL);
    for (int i = 0; own && i < n; i++) {
        const char *f = set_by(c, paths[i]);
        if (f && !strcmp(f, own))
            return i;
    }
    return 0;
}

/* The field of the table at t (0: there is none) that path ends with, pushed. */
static void push_field(struct lcheck *c, int t, const char *path)
{
    const char *dot = strrchr(path, '.');
    if (t)
        lua_getfield(c->p->L, t, dot ? dot + 1 : path);
    else
        lua_pushnil(c->p->L);
}

/* The table at path (a field of the table at t), pushed; its index, or 0 if it is not one. */
static int ltable(struct lcheck *c, int t, const char *path)
{
    lua_State *L = c->p->L;
    push_field(c, t, path);
    if (lua_istable(L, -1))
        return lua_gettop(L);
    if (!lua_isnil(L, -1)) {
        char val[96];
        show_value(L, -1, val, sizeof val);
        lerror(c, path, "%s = %s: must be a table of fields", path, val);
    }
    return 0;
}

/* The number at path (a field of the table at t) if r allows it, else def (reported). */
static double lnum(struct lcheck *c, int t, const char *path, double def, struct gw_range r)
{
    lua_State *L = c->p->L;
    double v = def;
    push_field(c, t, path);
    if (!lua_isnil(L, -1) && !num_in(L, -1, r, &v)) {
        char val[96], want[96];
        show_value(L, -1, val, sizeof val);
        show_range(r, want, sizeof want);
        bool text = lua_type(L, -1) == LUA_TSTRING;
        lerror(c, path, "%s = %s: must be %s%s", path, val, want,
               text ? "; write the number alone, without quotes or a unit" : "");
        v = def;
    }
    lua_pop(L, 1);
    return v;
}

/* The boolean at path (a field of the table at t), else def (reported unless absent). */
static bool lbool(struct lcheck *c, int t, const char *path, bool def)
{
    lua_State *L = c->p->L;
    push_field(c, t, path);
    bool v = lua_isboolean(L, -1) ? lua_toboolean(L, -1) : def;
    if (!lua_isnil(L, -1) && !lua_isboolean(L, -1)) {
        char val[96];
        show_value(L, -1, val, sizeof val);
        lerror(c, path, "%s = %s: must be true or false", path, val);
    }
    lua_pop(L, 1);
    return v;
}

/* The string at path (a field of the table at t; it stays there), else def (reported). */
static const char *lstr(struct lcheck *c, int t, const char *path, const char *def)
{
    lua_State *L = c->p->L;
    push_field(c, t, path);
    const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : def;
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING) {
        char val[96];
        show_value(L, -1, val, sizeof val);
        lerror(c, path, "%s = %s: must be a string", path, val);
    }
    lua_pop(L, 1); /* (still referenced by the table) */
    return v;
}

/*
 * The word at path (a field of the table at t) if words (NULL-ended) has it,
 * else def (reported, naming the words and the nearest). shown: the words
 * as the message lists them.
 */
static const char *lenum(struct lcheck *c, int t, const char *path, const char *def,
                         const char *const *words, const char *shown)
{
    const char *v = lstr(c, t, path, NULL);
    if (!v)
        return def;
    for (int i = 0; words[i]; i++)
        if (!strcmp(v, words[i]))
            return v;
    const char *near = gw_nearest(v, words);
    lerror(c, path, "%s = \"%.40s\": must be %s%s%s%s", path, v, shown,
           near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    return def;
}

/* The colour at path (a field of the table at t): "#RRGGBB", else reported. */
static void lcolor(struct lcheck *c, int t, const char *path)
{
    const char *v = lstr(c, t, path, NULL);
    uint32_t rgb;
    if (v && !color_value(v, &rgb))
        lerror(c, path, "%s = \"%.40s\": must be a colour written \"#RRGGBB\" (red: "
                        "\"#E60000\")", path, v);
}

/*
 * The text block lies on the page: v[0] + v[1] <= v[2] for paths
 * page.left, page.text_width, page.width (and top, text_height, height).
 */
static void check_fits(struct lcheck *c, const char *const path[3], const double v[3])
{
    if (v[0] + v[1] <= v[2] + 1e-6)
        return;
    int b = blame(c, path, 3);
    if (b == 2)
        lerror(c, path[2], "%s = %g: must be at least %g mm here (%s + %s = %g)", path[2], v[2],
               v[0] + v[1], path[0], path[1], v[0] + v[1]);
    else
        lerror(c, path[b], "%s = %g: must be at most %g mm here, for the text block to fit "
                           "on the page (%s = %g, %s = %g)",
               path[b], v[b], v[2] - v[1 - b], path[1 - b], v[1 - b], path[2], v[2]);
}

/*
 * The grid's characters fit their cells: a line is at least the grid size
 * high, and a character's cell at least 0.9 of it wide (GB/T 9704 has 0.99:
 * 156 mm for 28 characters of 16 pt); a denser grid overprints its text.
 * The value to blame is the first of the three the layout set itself.
 */
static void check_grid(struct lcheck *c, const struct gw_page_setup *ps)
{
    static const struct {
        const char *path[3]; /* the count, grid.size, the block's length */
        double share;        /* of the size a line or cell needs */
        const char *things, *extent;
    } dims[2] = {{{"grid.lines", "grid.size", "page.text_height"}, 1.0, "lines", "high"},
                 {{"grid.chars", "grid.size", "page.text_width"}, 0.9, "characters", "wide"}};
    for (int i = 0; i < 2; i++) {
        double block = i ? ps->width : ps->height;
        int n = i ? ps->chars : ps->lines;
        double need = ps->body_size * dims[i].share; /* pt a line or cell needs */
        if (block / n >= need - 1e-6)
            continue;
        int max = (int)floor(block / need + 1e-6);
        switch (blame(c, dims[i].path, 3)) {
        case 0:
            lerror(c, dims[i].path[0], "%s = %d: must be at most %d here, for %s of %g pt to fit "
                                       "a text block %g mm %s (%s)", dims[i].path[0], n, max,
                   dims[i].things, ps->body_size, block / GW_MM, dims[i].extent, dims[i].path[2]);
            break;
        case 1:
            lerror(c, dims[i].path[1], "grid.size = %g: must be at most %.4g pt here, for %d %s "
                                       "to fit a text block %g mm %s", ps->body_size,
                   block / n / dims[i].share, n, dims[i].things, block / GW_MM, dims[i].extent);
            break;
        default:
            lerror(c, dims[i].path[2], "%s = %g: must be at least %.4g mm here, for %d %s of "
                                       "%g pt", dims[i].path[2], block / GW_MM,
                   need * n / GW_MM, n, dims[i].things, ps->body_size);
        }
    }
}

/* One style's fields (the table at t is styles.NAME). */
static void check_style(struct lcheck *c, int t, const char *name)
{
    char path[128];
    int n = snprintf(path, sizeof path, "styles.%.60s.", name);
    char *field = path + n; /* path is "styles.NAME." + the field */
    size_t room = sizeof path - (size_t)n;
    snprintf(field, room, "size");
    lnum(c, t, path, 16, GW_RANGE_SIZE);
    snprintf(field, room, "indent");
    lnum(c, t, path, 0, GW_RANGE_INDENT);
    snprintf(field, room, "hanging");
    lnum(c, t, path, 0, GW_RANGE_INDENT);
    snprintf(field, room, "right_indent");
    lnum(c, t, path, 0, GW_RANGE_INDENT);
    snprintf(field, room, "balance");
    lbool(c, t, path, false);
    snprintf(field, room, "keep");
    lnum(c, t, path, 0, GW_RANGE_KEEP);
    snprintf(field, room, "bold");
    lbool(c, t, path, false);
    snprintf(field, room, "italic");
    lbool(c, t, path, false);
    snprintf(field, room, "role");
    lstr(c, t, path, NULL);
    snprintf(field, room, "align");
    lenum(c, t, path, NULL, align_words, "justify, left, center (or centre) or right");
    snprintf(field, room, "color");
    lcolor(c, t, path);
    lua_State *L = c->p->L;
    for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1)) { /* key value */
        if (lua_type(L, -2) != LUA_TSTRING || gw_plug_is_style_field(lua_tostring(L, -2)))
            continue;
        char hint[256];
        gw_fields_hint(lua_tostring(L, -2), gw_style_fields, hint, sizeof hint);
        snprintf(field, room, "%s", lua_tostring(L, -2));
        lerror(c, path, "styles.%s has an unknown field '%s' (%s)", name, field, hint);
    }
}

/*
 * What the engine does not read itself but plugins pass on to it: the
 * styles, tables, images and the masthead distances of gbt9704's
 * draw_masthead, checked here so that a bad value is blamed on the file
 * that set it rather than on the plugin that uses it.
 */
static void check_passed_on(struct lcheck *c, const struct gw_page_setup *ps)
{
    lua_State *L = c->p->L;
    int styles = ltable(c, c->layout, "styles");
    for (lua_pushnil(L); styles && lua_next(L, styles); lua_pop(L, 1)) { /* styles name style */
        if (lua_type(L, -2) != LUA_TSTRING)
            continue;
        if (lua_istable(L, -1)) {
            check_style(c, lua_gettop(L), lua_tostring(L, -2));
            continue;
        }
        char path[128], val[96];
        snprintf(path, sizeof path, "styles.%.60s", lua_tostring(L, -2));
        show_value(L, -1, val, sizeof val);
        lerror(c, path, "%s = %s: must be a table of fields", path, val);
    }
    lua_pop(L, 1); /* - */
    int t = ltable(c, c->layout, "tables");
    static const char *const table_styles[] = {"three-line", "grid", NULL};
    lenum(c, t, "tables.style", NULL, table_styles, "three-line or grid");
    lnum(c, t, "tables.padding", 1.2, (struct gw_range){0, 20, false, "mm"});
    lnum(c, t, "tables.leading", 1.4, (struct gw_range){0.5, 5, false, "× the font size"});
    lnum(c, t, "tables.thick", 1, GW_RANGE_RULE);
    lnum(c, t, "tables.thin", 0.5, GW_RANGE_RULE);
    lbool(c, t, "tables.landscape", false);
    int w = ltable(c, t, "tables.widths");
    for (int i = 1; w && i <= (int)lua_rawlen(L, w) && i <= 64; i++) {
        lua_rawgeti(L, w, i);
        double v;
        if (!num_in(L, -1, (struct gw_range){0, 1500, false, NULL}, &v)) {
            char val[96];
            show_value(L, -1, val, sizeof val);
            lerror(c, "tables.widths", "tables.widths[%d] = %s: must be a number from 0 to 1500 "
                                       "(mm; 0: from the content)", i, val);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    t = ltable(c, c->layout, "images");
    lnum(c, t, "images.max_height", 0.5, (struct gw_range){0.05, 1, false, "of the text block"});
    lua_pop(L, 1);
    t = ltable(c, c->layout, "masthead");
    double block = ps->height / GW_MM;
    lnum(c, t, "masthead.top", 20, (struct gw_range){0, block, false, "mm"});
    lnum(c, t, "masthead.title_max", 36, GW_RANGE_SIZE);
    static const char *const gaps[] = {"masthead.title_gap", "masthead.issue_gap",
                                       "masthead.line_gap", "masthead.rule_gap",
                                       "masthead.body_gap"};
    for (int i = 0; i < 5; i++)
        lnum(c, t, gaps[i], 0, (struct gw_range){0, block, false, "mm"});
    int rule = ltable(c, t, "masthead.rule");
    lnum(c, rule, "masthead.rule.thickness", 2.25, GW_RANGE_RULE);
    lnum(c, rule, "masthead.rule.thin", 0.75, GW_RANGE_RULE);
    lnum(c, rule, "masthead.rule.gap", 0.6, (struct gw_range){0, 20, false, "mm"});
    lcolor(c, rule, "masthead.rule.color");
    static const char *const rule_styles[] = {"single", "double", "star", NULL};
    lenum(c, rule, "masthead.rule.style", NULL, rule_styles, "single, double or star");
    lua_pop(L, 2);
    lbool(c, c->layout, "colophon_even_page", false);
    lbool(c, c->layout, "first_page_text", false);
}

/* Fill the page setup from the merged layout table at idx. */
int gw_plug_read_setup(struct gw_plug *p, int idx, struct gw_page_setup *ps)
{
    lua_State *L = p->L;
    struct lcheck c = {.p = p, .layout = lua_absindex(L, idx)};
    int top = lua_gettop(L);
    int t = ltable(&c, c.layout, "page");
    double h[3], v[3]; /* (in this order, for the order of the messages) */
    h[2] = lnum(&c, t, "page.width", 210, R_PAGE);
    v[2] = lnum(&c, t, "page.height", 297, R_PAGE);
    v[0] = lnum(&c, t, "page.top", 37, R_MARGIN);
    h[0] = lnum(&c, t, "page.left", 28, R_MARGIN);
    h[1] = lnum(&c, t, "page.text_width", 156, R_BLOCK);
    v[1] = lnum(&c, t, "page.text_height", 225, R_BLOCK);
    static const char *const hpath[3] = {"page.left", "page.text_width", "page.width"};
    static const char *const vpath[3] = {"page.top", "page.text_height", "page.height"};
    check_fits(&c, hpath, h);
    check_fits(&c, vpath, v);
    ps->left = h[0] * GW_MM;
    ps->width = h[1] * GW_MM;
    ps->page_w = h[2] * GW_MM;
    ps->top = v[0] * GW_MM;
    ps->height = v[1] * GW_MM;
    ps->page_h = v[2] * GW_MM;
    lua_pop(L, 1);
    t = ltable(&c, c.layout, "grid");
    ps->lines = (int)lnum(&c, t, "grid.lines", 22, R_GRID);
    ps->chars = (int)lnum(&c, t, "grid.chars", 28, R_GRID);
    ps->body_size = lnum(&c, t, "grid.size", 16, GW_RANGE_SIZE);
    ps->widow = (int)lnum(&c, t, "grid.widow", 2, R_WIDOW);
    ps->orphan = (int)lnum(&c, t, "grid.orphan", 2, R_WIDOW);
    lua_pop(L, 1);
    if (!c.errors)
        check_grid(&c, ps);
    t = ltable(&c, c.layout, "page_number");
    static const char *const positions[] = {"outer", "center", "centre", "none", NULL};
    const char *pos = lenum(&c, t, "page_number.position", "outer", positions,
                            "outer, center (or centre) or none");
    ps->num_pos = !strcmp(pos, "none")                               ? GW_NUM_NONE
                  : !strcmp(pos, "center") || !strcmp(pos, "centre") ? GW_NUM_CENTER
                                                                     : GW_NUM_OUTER;
    ps->num_format = gw_arena_strdup(&p->doc->arena, lstr(&c, t, "page_number.format", "— %d —"));
    ps->num_size = lnum(&c, t, "page_number.size", 14, GW_RANGE_SIZE);
    ps->num_below = lnum(&c, t, "page_number.below", 7, R_GAP) * GW_MM;
    ps->num_inset = lnum(&c, t, "page_number.inset", 1, (struct gw_range){0, 20, false, "字"}) *
                    ps->num_size;
    ps->num_first = lbool(&c, t, "page_number.first_page", true);
    ps->colophon_even = lbool(&c, c.layout, "colophon_even_page", false);
    ps->first_page_text = lbool(&c, c.layout, "first_page_text", false);
    const char *role = lstr(&c, t, "page_number.role", "song");
    ps->num_role = gw_fontset_role(p->fs, role);
    double room = ps->page_h - (ps->top + ps->height) - ps->num_size; /* for the number's top */
    if (ps->num_pos != GW_NUM_NONE && ps->num_below > room + 1e-6) {
        static const char *const npath[2] = {"page_number.below", "page_number.size"};
        if (blame(&c, npath, 2) == 0)
            lerror(&c, npath[0], "page_number.below = %g: must be at most %g mm here, for the "
                                 "page numbers to end on the page",
                   ps->num_below / GW_MM, room > 0 ? room / GW_MM : 0);
        else
            lerror(&c, npath[1], "page_number.size = %g: must be at most %g pt here, for the "
                                 "page numbers to end on the page",
                   ps->num_size, ps->page_h - (ps->top + ps->height) - ps->num_below);
    }
    if (ps->num_pos != GW_NUM_NONE && gw_fontset_primary(p->fs, ps->num_role) < 0)
        lerror(&c, "page_number.role", "page-number font role '%s' has no font", role);
    int n = 0;
    for (const char *f = ps->num_format; *f; f++)
        if (*f == '%')
            n += f[1] == 'd' ? 1 : (f[1] == '%' ? (f++, 0) : 99);
    if (n != 1)
        lerror(&c, "page_number.format",
               "page_number.format must contain one %%d and no other %% directive");
    lua_pop(L, 1);
    check_passed_on(&c, ps);
    lua_settop(L, top);
    return c.errors ? -1 : 0;
}

/* The layout's `typeset` table: kinsoku, punctuation preset, spacing, grid setting, Latin role. */
int gw_plug_read_typeset(struct gw_plug *p, int idx, struct gw_page_setup *ps)
{
    lua_State *L = p->L;
    struct lcheck c = {.p = p, .layout = lua_absindex(L, idx)};
    int t = ltable(&c, c.layout, "typeset");
    static const char *const kinsokus[] = {"basic", "gb", "strict", NULL};
    static const char *const puncts[] = {"quanjiao", "banjiao", "kaiming", NULL};
    const char *k = lenum(&c, t, "typeset.kinsoku", "gb", kinsokus, "basic, gb or strict");
    const char *pu = lenum(&c, t, "typeset.punctuation", "quanjiao", puncts,
                           "quanjiao, banjiao or kaiming");
    ps->kinsoku = !strcmp(k, "basic") ? 0 : !strcmp(k, "strict") ? 2 : 1;
    ps->punct_style = !strcmp(pu, "banjiao") ? 1 : !strcmp(pu, "kaiming") ? 2 : 0;
    ps->trim_start = lbool(&c, t, "typeset.trim_line_start", false);
    ps->cjk_latin = lnum(&c, t, "typeset.cjk_latin_spacing", 0, (struct gw_range){0, 1, false, "em"});
    ps->avoid_runt = lbool(&c, t, "typeset.avoid_single_char_last_line", true);
    ps->grid = lbool(&c, t, "typeset.grid", false);
    /* latin_role: a role's name, or false for the run's own */
    const char *latin = NULL;
    push_field(&c, t, "typeset.latin_role");
    if (lua_type(L, -1) == LUA_TSTRING)
        latin = lua_tostring(L, -1);
    else if (!lua_isnil(L, -1) && !(lua_isboolean(L, -1) && !lua_toboolean(L, -1)))
        lerror(&c, "typeset.latin_role", "typeset.latin_role must be a font role's name or false");
    lua_pop(L, 1);
    ps->latin_role = latin ? gw_fontset_role(p->fs, latin) : -1;
    if (latin && gw_fontset_primary(p->fs, ps->latin_role) < 0)
        lerror(&c, "typeset.latin_role", "typeset.latin_role '%s' has no font", latin);
    lua_pop(L, 1);
    return c.errors ? -1 : 0;
}

/* }===================================================================== */

/* {===================== the layout's fonts ============================ */

/*
 * Open the fonts a layout names (layout at idx): fonts/roles.conf (the role
 * map) if p's fonts folder has one, then the layout's own `fonts` table
 * (role -> families or files), reported at the layout's file. 0, or -1
 * after reporting.
 */
int gw_plug_read_fonts(struct gw_plug *p, int idx)
{
    lua_State *L = p->L;
    idx = lua_absindex(L, idx);
    int rc = 0;
    if (p->fonts_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/roles.conf", p->fonts_dir);
        if (gw_plug_file_exists(path))
            rc = gw_fontset_load_map(p->fs, path, p->diag);
    }
    struct gw_span where = gw_span_file(gw_plug_str_field(L, idx, "_file", NULL));
    lua_getfield(L, idx, "fonts");
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
                struct gw_buf list;
                gw_buf_init(&list);
                for (int i = 1; i <= (int)lua_rawlen(L, -1); i++) {
                    lua_rawgeti(L, -1, i);
                    if (lua_isstring(L, -1)) {
                        if (list.len)
                            gw_buf_addc(&list, ',');
                        gw_buf_adds(&list, lua_tostring(L, -1));
                    }
                    lua_pop(L, 1);
                }
                if (gw_fontset_define(p->fs, lua_tostring(L, -2), list.data ? list.data : "",
                                      p->diag, where) < 0)
                    rc = -1;
                gw_buf_free(&list);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return rc;
}

/* }===================================================================== */
