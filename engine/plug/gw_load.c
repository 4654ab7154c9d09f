/*
 * gw_load: finding and loading plugin files (see gw_plug_int.h).
 *
 * A plugin file is sub/NAME.lua in the highest-precedence plugin folder
 * that has it, loaded from source as a text chunk and run in a sandbox of
 * its own (gw_plug_push_env); it returns a table. This file makes the
 * host's section types (sections/) and rule sets (rules/) from those
 * tables, and reads their fields.
 *
 * Owns: plugin search, loading and running a plugin file, section types,
 * rule sets as read from Lua (struct gw_ruleset, gw_ruleset.h; their
 * patterns compiled with gw_rules), and the rule sets a build reported
 * missing. May call gw_sandbox (gw_plug_call, gw_plug_report,
 * gw_plug_push_env), gw_rules, gw_ruleset and gw_diag.
 */
#include "gw_plug_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>

#include "../read/gw_read.h"
#include "../rules/gw_rules.h"
#include "../util/gw_buf.h"
#include "gw_fields.h"

/* {===================== plugin files ================================== */

/* Is path a regular file? */
bool gw_plug_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The highest-precedence file sub/name.lua, written into path. */
bool gw_plug_find_file(struct gw_plug *p, const char *sub, const char *name, char *path, size_t len)
{
    for (int i = p->ndirs - 1; i >= 0; i--) {
        snprintf(path, len, "%s/%s/%s.lua", p->dirs[i], sub, name);
        if (gw_plug_file_exists(path))
            return true;
    }
    return false;
}

/*
 * Load and run one plugin file in a fresh sandbox; on success the returned
 * table is on the stack. Returns 0, or -1 after reporting.
 */
int gw_plug_load_file(struct gw_plug *p, const char *path, char **text)
{
    lua_State *L = p->L;
    size_t len;
    char *src = gw_read_file(path, &len);
    if (!src) {
        gw_diag_error(p->diag, gw_span_file(path), "cannot read plugin: %s", strerror(errno));
        return -1;
    }
    char chunk[1100];
    snprintf(chunk, sizeof chunk, "@%s", path);
    p->calls++; /* compiling is the plugin's: its memory counts */
    int rc = luaL_loadbufferx(L, src, len, chunk, "t"); /* source only: bytecode is not verified */
    p->calls--;
    if (rc != LUA_OK) {
        free(src);
        p->what[0] = '\0';
        gw_plug_report(p, rc);
        return -1;
    }
    gw_plug_push_env(L);
    lua_setupvalue(L, -2, 1); /* _ENV */
    char saved_what[sizeof p->what];
    memcpy(saved_what, p->what, sizeof saved_what);
    struct gw_span saved = p->cur;
    p->cur.file = NULL;
    p->what[0] = '\0';
    rc = gw_plug_call(p, 0, 1);
    if (rc != LUA_OK)
        gw_plug_report(p, rc);
    p->cur = saved;
    memcpy(p->what, saved_what, sizeof saved_what);
    if (rc != LUA_OK)
        goto fail;
    if (!lua_istable(L, -1)) {
        struct gw_span at = {path, gw_plug_return_line(src), 0};
        gw_diag_error(p->diag, at, "plugin must return a table, not a %s", luaL_typename(L, -1));
        lua_pop(L, 1);
        goto fail;
    }
    gw_plug_field(L, -1, "api");
    lua_Integer api = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : GW_PLUGIN_API;
    lua_pop(L, 1);
    if (api > GW_PLUGIN_API) {
        gw_diag_error(p->diag, gw_span_file(path),
                      "plugin needs plugin API %lld; this gongwen provides API %d", (long long)api,
                      GW_PLUGIN_API);
        lua_pop(L, 1);
        goto fail;
    }
    if (text)
        *text = src; /* the caller reads line numbers from it */
    else
        free(src);
    return 0;
fail:
    free(src);
    return -1;
}

/* }===================================================================== */

/* {===================== fields of plugin tables ======================= */

/* The 1-based line where `key =` first appears in a plugin file's text (0 if not found). */
int gw_plug_key_line(const char *src, const char *key)
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

/* The line where a plugin file's table starts (its first line-initial `return`), else 1. */
int gw_plug_return_line(const char *src)
{
    int line = 1;
    for (const char *c = src; c && *c; c++) {
        if ((c == src || c[-1] == '\n') && !strncmp(c, "return", 6))
            return line;
        line += *c == '\n';
    }
    return 1;
}

/*
 * The engine reads every plugin table raw: a field is t[key] as stored, and no
 * metamethod of the plugin's runs (it could raise outside a protected call,
 * loop, or answer differently each time). Not a table: nil.
 */
int gw_plug_field(lua_State *L, int idx, const char *key)
{
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushnil(L);
        return LUA_TNIL;
    }
    idx = lua_absindex(L, idx);
    lua_pushstring(L, key);
    return lua_rawget(L, idx); /* value */
}

double gw_plug_num_field(lua_State *L, int idx, const char *key, double def)
{
    gw_plug_field(L, idx, key);
    double v = lua_isnumber(L, -1) ? lua_tonumber(L, -1) : def;
    lua_pop(L, 1);
    return v;
}

bool gw_plug_bool_field(lua_State *L, int idx, const char *key, bool def)
{
    gw_plug_field(L, idx, key);
    bool v = lua_isboolean(L, -1) ? lua_toboolean(L, -1) : def;
    lua_pop(L, 1);
    return v;
}

const char *gw_plug_str_field(lua_State *L, int idx, const char *key, const char *def)
{
    gw_plug_field(L, idx, key);
    /* strings only: a number's string would live only on the stack, popped here */
    const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : def;
    lua_pop(L, 1); /* still referenced by the table */
    return v;
}

char *gw_plug_opt_string(lua_State *L, int idx, const char *key)
{
    const char *s = gw_plug_str_field(L, idx, key, NULL);
    return s ? gw_xstrdup(s) : NULL;
}

/* }===================================================================== */

/* {===================== section types ================================= */

/* strcmp for qsort over an array of strings. */
int gw_plug_cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The fields of the section plugin's table on the stack that the engine
 * reads, checked for type (a `match = 5` would otherwise make it a default
 * section type), and every field against the documented ones (a misspelt
 * `mtach =` would too). Returns 0, or -1 after reporting at the field's line.
 */
static int check_section_fields(struct gw_plug *p, const char *path, const char *text)
{
    static const struct {
        const char *key;
        int type;
        const char *what;
    } fields[] = {{"name", LUA_TSTRING, "a string"},
                  {"match", LUA_TSTRING, "a string"},
                  {"lead_in", LUA_TSTRING, "a string"},
                  {"rules", LUA_TTABLE, "a list of rule set names"},
                  {"build", LUA_TFUNCTION, "a function"}};
    lua_State *L = p->L;
    int rc = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        int t = gw_plug_field(L, -1, fields[i].key);
        bool ok = t == LUA_TNIL || t == fields[i].type;
        for (int k = 1; ok && t == LUA_TTABLE && k <= (int)lua_rawlen(L, -1); k++) {
            ok = lua_rawgeti(L, -1, k) == LUA_TSTRING;
            lua_pop(L, 1);
        }
        if (!ok) {
            struct gw_span at = {path, gw_plug_key_line(text, fields[i].key), 0};
            gw_diag_error(p->diag, at, "section plugin field '%s' must be %s, not a %s",
                          fields[i].key, fields[i].what,
                          t == LUA_TTABLE ? "list with other values" : lua_typename(L, t));
            rc = -1;
        }
        lua_pop(L, 1);
    }
    static const char *const known[] = {"api",     "name",          "match", "rules",
                                        "lead_in", "documentation", "build", NULL};
    if (gw_fields_report(p, -1, known, "section plugin", path, text) < 0)
        rc = -1;
    return rc;
}

/* Load every section plugin: sections/NAME.lua across the plugin folders, later folders winning. */
int gw_plug_load_sections(struct gw_plug *p)
{
    char **names = NULL;
    int nnames = 0, rc = 0;
    for (int i = 0; i < p->ndirs; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/sections", p->dirs[i]);
        DIR *d = opendir(dir);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (l < 5 || strcmp(e->d_name + l - 4, ".lua") != 0 || e->d_name[0] == '.')
                continue;
            bool dup = false;
            for (int k = 0; k < nnames; k++)
                dup |= !strncmp(names[k], e->d_name, l - 4) && names[k][l - 4] == '\0';
            if (dup)
                continue;
            names = gw_xrealloc(names, (size_t)(nnames + 1) * sizeof(*names));
            names[nnames] = gw_xmalloc(l - 3);
            memcpy(names[nnames], e->d_name, l - 4);
            names[nnames++][l - 4] = '\0';
        }
        closedir(d);
    }
    qsort(names, (size_t)nnames, sizeof(*names), gw_plug_cmp_cstr);
    lua_State *L = p->L;
    for (int i = 0; i < nnames; i++) {
        char path[4096], *text = NULL;
        gw_plug_find_file(p, "sections", names[i], path, sizeof path);
        if (gw_plug_load_file(p, path, &text) < 0) {
            rc = -1;
            continue;
        }
        if (check_section_fields(p, path, text) < 0)
            rc = -1;
        struct gw_section_type t = {.file = gw_xstrdup(path)};
        t.name = gw_plug_opt_string(L, -1, "name");
        if (!t.name)
            t.name = gw_xstrdup(names[i]);
        t.pattern = gw_plug_opt_string(L, -1, "match");
        char err[256];
        char *lead = gw_plug_opt_string(L, -1, "lead_in");
        if (lead && !(t.lead_in = gw_regex_new(lead, strlen(lead), NULL, err, sizeof err))) {
            struct gw_span at = {path, gw_plug_key_line(text, "lead_in"), 0};
            gw_diag_error(p->diag, at, "bad lead_in pattern: %s", err);
            rc = -1;
        }
        free(lead);
        bool no_build = gw_plug_field(L, -1, "build") == LUA_TNIL; /* (else checked above) */
        lua_pop(L, 1);
        if (no_build) {
            int line = gw_plug_key_line(text, "build");
            struct gw_span at = {path, line ? line : gw_plug_return_line(text), 0};
            gw_diag_error(p->diag, at, "section plugin has no build function");
            rc = -1;
        }
        if (t.pattern && !(t.re = gw_regex_new(t.pattern, strlen(t.pattern), NULL, err, sizeof err))) {
            struct gw_span at = {path, gw_plug_key_line(text, "match"), 0};
            gw_diag_error(p->diag, at, "bad match pattern: %s", err);
            rc = -1;
        }
        free(text);
        t.ref = luaL_ref(L, LUA_REGISTRYINDEX);
        p->types = gw_xrealloc(p->types, (size_t)(p->ntypes + 1) * sizeof(*p->types));
        p->types[p->ntypes++] = t;
    }
    for (int i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* }===================================================================== */

/* {===================== rule sets ===================================== */

/* The 1-based line of the first occurrence of needle in src (0 if absent). */
static int line_of(const char *src, const char *needle)
{
    const char *q = src && needle && *needle ? strstr(src, needle) : NULL;
    if (!q)
        return 0;
    int line = 1;
    for (const char *c = src; c < q; c++)
        line += *c == '\n';
    return line;
}

/* Forget which rule sets were reported missing: each build reports its own. */
void gw_plug_forget_missing(struct gw_plug *p)
{
    for (int i = 0; i < p->nmissing; i++)
        free(p->missing[i]);
    free(p->missing);
    p->missing = NULL;
    p->nmissing = 0;
}

/*
 * A rule's `needs` (a string, or a list of 1-8 strings): packed NUL-ended,
 * ended by an empty string; NULL when absent. *bad on a malformed value.
 */
static char *needs_field(lua_State *L, int idx, bool *bad)
{
    gw_plug_field(L, idx, "needs");
    struct gw_buf b;
    gw_buf_init(&b);
    int n = 0;
    if (lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const char *v = lua_tolstring(L, -1, &len);
        *bad = len == 0 || strlen(v) != len;
        gw_buf_add(&b, v, len + 1);
        n = 1;
    } else if (lua_istable(L, -1)) {
        n = (int)lua_rawlen(L, -1);
        *bad = n < 1 || n > 8;
        for (int i = 1; i <= n && !*bad; i++) {
            lua_rawgeti(L, -1, i);
            size_t len = 0;
            const char *v = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
            *bad = !v || len == 0 || strlen(v) != len;
            if (v)
                gw_buf_add(&b, v, len + 1);
            lua_pop(L, 1);
        }
    } else if (!lua_isnil(L, -1)) {
        *bad = true;
    }
    lua_pop(L, 1);
    if (n == 0 || *bad) {
        gw_buf_free(&b);
        return NULL;
    }
    gw_buf_addc(&b, '\0');
    return gw_buf_detach(&b, NULL);
}

/* The fields a rule may have (docs/rules.md). */
static const char *const rule_fields[] = {"id",      "message", "pattern",  "replace", "flag",
                                          "suggest", "join",    "drop",     "heading", "level",
                                          "flags",   "protect", "adds_han", "needs",   NULL};

/* Load rule set `name` (once). Returns 0 or -1. */
int gw_plug_load_ruleset(struct gw_plug *p, const char *name)
{
    if (gw_ruleset_find(&p->sets, name))
        return 0;
    char path[4096];
    if (!gw_plug_find_file(p, "rules", name, path, sizeof path)) {
        for (int i = 0; i < p->nmissing; i++)
            if (!strcmp(p->missing[i], name))
                return -1; /* said once: each section asking again adds nothing */
        p->missing = gw_xrealloc(p->missing, (size_t)(p->nmissing + 1) * sizeof(*p->missing));
        p->missing[p->nmissing++] = gw_xstrdup(name);
        gw_diag_error(p->diag, gw_span_file(NULL), "no rule set named '%s' (looked for rules/%s.lua)",
                      name, name);
        return -1;
    }
    lua_State *L = p->L;
    char *src_text = NULL;
    if (gw_plug_load_file(p, path, &src_text) < 0)
        return -1;
    struct gw_ruleset rs = {.name = gw_xstrdup(name), .file = gw_xstrdup(path)};
    static const char *const set_fields[] = {"api", "name", "description", "documentation",
                                             "rules", NULL};
    int rc = gw_fields_report(p, -1, set_fields, "rule set", path, src_text);
    gw_plug_field(L, -1, "rules");
    int nr = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
    rs.rules = gw_xcalloc((size_t)nr + 1, sizeof(*rs.rules));
    for (int i = 1; i <= nr; i++) {
        lua_rawgeti(L, -1, i);
        char what[64];
        snprintf(what, sizeof what, "rule #%d", i);
        if (gw_fields_report(p, -1, rule_fields, what, path, src_text) < 0)
            rc = -1;
        struct gw_rule *ru = &rs.rules[rs.n];
        ru->id = gw_plug_opt_string(L, -1, "id");
        ru->message = gw_plug_opt_string(L, -1, "message");
        char *pat = gw_plug_opt_string(L, -1, "pattern");
        char *join = gw_plug_opt_string(L, -1, "join");
        char *heading = gw_plug_opt_string(L, -1, "heading");
        char *drop = gw_plug_opt_string(L, -1, "drop");
        char *flags = gw_plug_opt_string(L, -1, "flags");
        ru->repl = gw_plug_opt_string(L, -1, "replace");
        ru->suggest = gw_plug_opt_string(L, -1, "suggest");
        bool bad_needs = false;
        ru->needs = needs_field(L, -1, &bad_needs);
        ru->fn = GW_RULE_NO_FN;
        gw_plug_field(L, -1, "replace");
        if (lua_isfunction(L, -1))
            ru->fn = luaL_ref(L, LUA_REGISTRYINDEX);
        else
            lua_pop(L, 1);
        ru->flag = gw_plug_bool_field(L, -1, "flag", false);
        ru->protect = gw_plug_bool_field(L, -1, "protect", true);
        ru->adds_han = gw_plug_bool_field(L, -1, "adds_han", false);
        ru->join = join != NULL;
        ru->drop = drop != NULL;
        double level = heading ? gw_plug_num_field(L, -1, "level", 0) : 0;
        ru->level = level >= 1 && level <= 4 ? (int)level : heading ? -1 : 0; /* NaN: -1 */
        char quoted[160];
        snprintf(quoted, sizeof quoted, "\"%s\"", ru->id ? ru->id : "");
        ru->line = line_of(src_text, quoted);
        const char *src = join ? join : heading ? heading : drop ? drop : pat;
        char err[256];
        bool text_rule = pat && (ru->repl || ru->fn != GW_RULE_NO_FN || ru->flag);
        struct gw_span at = {path, ru->line, 0};
        if (bad_needs) {
            gw_diag_error(p->diag, at,
                          "rule %s: needs is a string or a list of 1-8 strings, none empty",
                          ru->id ? ru->id : "?");
            rc = -1;
        } else if (!ru->id || !src || (!ru->join && !heading && !drop && !text_rule) ||
                   (heading && (ru->level < 1 || ru->level > 4))) {
            gw_diag_error(p->diag, at,
                          "rule #%d needs an id and one of: pattern + replace (a string or a "
                          "function), pattern + flag = true, join, drop, or heading + level (1-4)",
                          i);
            rc = -1;
        } else if (!(ru->re = gw_regex_new(src, strlen(src), flags, err, sizeof err))) {
            gw_diag_error(p->diag, at, "rule %s: bad pattern: %s", ru->id, err);
            rc = -1;
        } else {
            rs.n++;
        }
        if (!ru->re)
            gw_rule_clear(ru);
        free(pat);
        free(join);
        free(heading);
        free(drop);
        free(flags);
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    free(src_text);
    gw_ruleset_add(&p->sets, &rs);
    return rc;
}

/* Rule-set names listed in the table field `key` of the table at idx, loaded. */
int gw_plug_collect_sets(struct gw_plug *p, int idx, const char *key, const char **names, int max)
{
    lua_State *L = p->L;
    int n = 0;
    gw_plug_field(L, idx, key);
    if (lua_istable(L, -1)) {
        for (int i = 1; i <= (int)lua_rawlen(L, -1) && n < max; i++) {
            lua_rawgeti(L, -1, i);
            if (lua_isstring(L, -1)) {
                const char *name = lua_tostring(L, -1);
                if (gw_plug_load_ruleset(p, name) == 0)
                    names[n++] = gw_ruleset_find(&p->sets, name)->name;
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return n;
}

/* }===================================================================== */
