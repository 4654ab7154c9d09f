/*
 * gw_sandbox: the plugin host's Lua state (see gw_plug_int.h).
 *
 * Sandbox after Redis (allow-listed globals, budgets that pcall cannot
 * swallow) and mpv (registry-held context, a wrapping allocator). Every call
 * into Lua goes through gw_plug_call(), which puts a traceback handler under
 * the function and arms the instruction budget.
 *
 * Owns: the lua_State and its allocator (the memory cap), the instruction
 * budget, gw_plug_call and error reports, the messages a plugin files
 * (gw.warn, gw.log, print), each plugin file's sandbox environment, the
 * hardened string library and the gw table. May call the other rooms'
 * openers and gw.* bindings (gw_plug_int.h) to build that table; it runs no
 * plugin itself.
 */
#include "gw_plug_int.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "../util/gw_buf.h"

#define HOOK_STEP 1000
#define DEFAULT_CPU 100000000L   /* instructions per call (about half a second) */
#define DEFAULT_MEM (256L << 20) /* bytes for the whole Lua state */
#define MAX_REP (16L << 20)      /* string.rep result cap */

struct gw_plug *gw_plug_host(lua_State *L)
{
    return *(struct gw_plug **)lua_getextraspace(L);
}

/* {===================== memory, instructions, calls =================== */

/* The state's allocator: realloc within p->mem_limit bytes for the whole state. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct gw_plug *p = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        p->mem_used -= old;
        return NULL;
    }
    if (nsize > old && p->mem_used + (nsize - old) > p->mem_limit)
        return NULL; /* Lua raises "not enough memory" */
    void *q = realloc(ptr, nsize);
    if (!q)
        return NULL;
    p->mem_used = p->mem_used - old + nsize;
    return q;
}

/* Count hook: raise once the call has spent its instruction budget, and keep raising. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
    struct gw_plug *p = gw_plug_host(L);
    p->spent += HOOK_STEP;
    if (p->spent > p->cpu_budget) {
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1); /* keeps firing: pcall cannot swallow it */
        /* name the line the plugin was running (luaL_error would name the hook) */
        if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
            lua_pushfstring(L, "%s:%d: plugin exceeded its CPU budget", ar->short_src,
                            ar->currentline);
        else
            lua_pushliteral(L, "plugin exceeded its CPU budget");
        lua_error(L);
    }
}

/* Message handler of gw_plug_call: the error message with a traceback. */
static int msg_handler(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* lua_pcall with a traceback handler and the instruction budget armed. */
int gw_plug_call(struct gw_plug *p, int nargs, int nres)
{
    lua_State *L = p->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msg_handler);
    lua_insert(L, base);
    bool nested = lua_gethook(L) != NULL; /* e.g. a rule's function inside out:paragraph */
    if (!nested) {
        p->spent = 0;
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
    }
    int rc = lua_pcall(L, nargs, nres, base);
    if (!nested)
        lua_sethook(L, NULL, 0, 0);
    lua_remove(L, base);
    return rc;
}

/* }===================================================================== */

/* {===================== errors and messages =========================== */

/*
 * Report the error on top of the stack (pops it): "file:line: error: msg
 * while <what> (input:line)" followed by a short traceback.
 */
void gw_plug_report(struct gw_plug *p, int rc)
{
    const char *msg = lua_tostring(p->L, -1);
    if (!msg)
        msg = "unknown error";
    if (rc == LUA_ERRMEM)
        msg = "plugin exceeded its memory budget";
    struct gw_buf first, trace;
    gw_buf_init(&first);
    gw_buf_init(&trace);
    const char *nl = strchr(msg, '\n');
    gw_buf_add(&first, msg, nl ? (size_t)(nl - msg) : strlen(msg));
    if (nl) {
        /* keep a short traceback: at most 6 frames, skipping the C host frames */
        int frames = 0;
        for (const char *s = nl + 1; *s && frames < 7;) {
            const char *e = strchr(s, '\n');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (!memchr(s, '[', n) || frames == 0) {
                gw_buf_add(&trace, "\n    ", 5);
                gw_buf_add(&trace, s, n);
            }
            frames++;
            s = e ? e + 1 : s + n;
        }
    }
    /* split "chunk:line: message"; without a position, name the running plugin's file */
    struct gw_span span = gw_span_file(p->cur_type && p->what[0] ? p->cur_type->file : NULL);
    const char *text = first.data;
    char file[1024];
    int line;
    const char *colon = strstr(first.data, ": ");
    if (colon) {
        const char *lc = colon;
        while (lc > first.data && lc[-1] >= '0' && lc[-1] <= '9')
            lc--;
        if (lc > first.data && lc[-1] == ':' && lc < colon &&
            (size_t)(lc - 1 - first.data) < sizeof file) {
            memcpy(file, first.data, (size_t)(lc - 1 - first.data));
            file[lc - 1 - first.data] = '\0';
            line = atoi(lc);
            span.file = file;
            span.line = line;
            text = colon + 2;
        }
    }
    if (p->cur.file && p->what[0])
        gw_diag_error(p->diag, span, "%s while %s (%s:%d)%s", text, p->what, p->cur.file,
                      p->cur.line, trace.data ? trace.data : "");
    else
        gw_diag_error(p->diag, span, "%s%s", text, trace.data ? trace.data : "");
    gw_buf_free(&first);
    gw_buf_free(&trace);
    lua_pop(p->L, 1);
}

/* gw.warn(message [, p]) : a warning at the current section, or at paragraph p (its line/col) */
static int l_warn(lua_State *L)
{
    struct gw_plug *p = gw_plug_host(L);
    const char *msg = luaL_checkstring(L, 1);
    struct gw_span saved = p->cur;
    gw_plug_take_position(p, 2);
    gw_diag_warning(p->diag, p->cur.file ? p->cur : gw_span_file(NULL), "%s", msg);
    p->cur = saved;
    return 0;
}

/* gw.log(...), print(...) : a note at the current position, the values tab-separated */
static int l_log(lua_State *L)
{
    struct gw_plug *p = gw_plug_host(L);
    struct gw_buf b;
    gw_buf_init(&b);
    for (int i = 1; i <= lua_gettop(L); i++) {
        if (i > 1)
            gw_buf_addc(&b, '\t');
        gw_buf_adds(&b, luaL_tolstring(L, i, NULL));
        lua_pop(L, 1);
    }
    gw_diag_note(p->diag, p->cur.file ? p->cur : gw_span_file(NULL), "%s", b.data ? b.data : "");
    gw_buf_free(&b);
    return 0;
}

/* }===================================================================== */

/* {===================== the sandbox environment ======================= */

/* A read-only proxy for the table at idx (pushed). */
static void push_readonly(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);                     /* proxy */
    lua_newtable(L);                     /* proxy mt */
    lua_pushvalue(L, idx);
    lua_setfield(L, -2, "__index");
    lua_getfield(L, LUA_REGISTRYINDEX, "gw.readonly_newindex");
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);             /* proxy */
}

/* __newindex of a read-only proxy. */
static int l_readonly_newindex(lua_State *L)
{
    return luaL_error(L, "attempt to modify read-only table (field '%s')",
                      luaL_tolstring(L, 2, NULL));
}

/* __index of a plugin's environment: reading an undefined global is an error. */
static int l_undefined_global(lua_State *L)
{
    return luaL_error(L, "undefined global '%s'", luaL_tolstring(L, 2, NULL));
}

/* Push a fresh sandbox environment for one plugin file. */
void gw_plug_push_env(lua_State *L)
{
    static const char *const allowed[] = {
        "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
        "rawset", "select", "setmetatable", "getmetatable", "tonumber", "tostring", "type",
        "xpcall", "_VERSION", NULL};
    static const char *const libs[] = {"string", "table", "math", "utf8", NULL};
    lua_newtable(L); /* env */
    for (int i = 0; allowed[i]; i++) {
        lua_getglobal(L, allowed[i]);
        lua_setfield(L, -2, allowed[i]);
    }
    for (int i = 0; libs[i]; i++) {
        lua_getglobal(L, libs[i]);
        push_readonly(L, -1);
        lua_setfield(L, -3, libs[i]);
        lua_pop(L, 1);
    }
    /* each plugin gets its own read-only view of gw: rawset cannot reach other plugins */
    lua_getfield(L, LUA_REGISTRYINDEX, "gw.api");
    push_readonly(L, -1);
    lua_setfield(L, -3, "gw");
    lua_getfield(L, -1, "log");
    lua_setfield(L, -3, "print");
    lua_pop(L, 1);
    lua_newtable(L); /* env mt */
    lua_pushcfunction(L, l_undefined_global);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
}

/* string.find, match, gmatch and gsub, for plugins: an error naming the bounded gw.* ones. */
static int l_no_lua_patterns(lua_State *L)
{
    return luaL_error(L, "Lua patterns are not available to plugins (they can run unbounded); "
                         "use gw.find, gw.match, gw.gsub or gw.split (PCRE2, bounded)");
}

/* string.rep, refusing a result over MAX_REP bytes (the real one is kept in the registry). */
static int l_bounded_rep(lua_State *L)
{
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 0 && (double)(l + lsep) * (double)n > (double)MAX_REP)
        return luaL_error(L, "string.rep result would exceed %d MiB", (int)(MAX_REP >> 20));
    lua_getfield(L, LUA_REGISTRYINDEX, "gw.string_rep");
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* The gw table, the metatables of the objects plugins get, and the hardened string library. */
static void open_api(lua_State *L)
{
    static const luaL_Reg api[] = {{"find", gw_lua_find},
                                   {"gsub", gw_lua_gsub},
                                   {"log", l_log},
                                   {"match", gw_lua_match},
                                   {"rules", gw_lua_rules},
                                   {"split", gw_lua_split},
                                   {"text_width", gw_lua_text_width},
                                   {"warn", l_warn},
                                   {NULL, NULL}};
    gw_plug_open_text(L);
    lua_pushcfunction(L, l_readonly_newindex);
    lua_setfield(L, LUA_REGISTRYINDEX, "gw.readonly_newindex");
    gw_plug_open_out(L);
    gw_plug_open_masthead(L);
    luaL_newlib(L, api); /* api */
    lua_pushinteger(L, GW_PLUGIN_API);
    lua_setfield(L, -2, "api");
    lua_pushliteral(L, GW_VERSION);
    lua_setfield(L, -2, "version");
    lua_setfield(L, LUA_REGISTRYINDEX, "gw.api"); /* plugins see it through proxies only */
    /* harden the shared string library before any plugin sees it */
    lua_getglobal(L, "string");
    static const char *const unbounded[] = {"find", "match", "gmatch", "gsub", NULL};
    for (int i = 0; unbounded[i]; i++) {
        lua_pushcfunction(L, l_no_lua_patterns);
        lua_setfield(L, -2, unbounded[i]);
    }
    lua_getfield(L, -1, "rep");
    lua_setfield(L, LUA_REGISTRYINDEX, "gw.string_rep");
    lua_pushcfunction(L, l_bounded_rep);
    lua_setfield(L, -2, "rep");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    /* protect the string metatable (getmetatable("").__index is the string library) */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
}

int gw_plug_open_lua(struct gw_plug *p, long cpu_budget, long mem_budget)
{
    p->cpu_budget = cpu_budget > 0 ? cpu_budget : DEFAULT_CPU;
    p->mem_limit = (size_t)(mem_budget > 0 ? mem_budget : DEFAULT_MEM);
    p->L = lua_newstate(l_alloc, p);
    if (!p->L) {
        gw_diag_error(p->diag, gw_span_file(NULL), "cannot create the Lua state");
        return -1;
    }
    *(struct gw_plug **)lua_getextraspace(p->L) = p;
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},     {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *l = libs; l->func; l++) {
        luaL_requiref(p->L, l->name, l->func, 1);
        lua_pop(p->L, 1);
    }
    open_api(p->L);
    return 0;
}

/* }===================================================================== */
