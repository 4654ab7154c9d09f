/*
 * gw_sandbox: the plugin host's Lua state (see gw_plug_int.h).
 *
 * Sandbox after Redis (allow-listed globals, budgets that pcall cannot
 * swallow) and mpv (registry-held context, a wrapping allocator). Every call
 * into Lua goes through gw_plug_call(), which puts a traceback handler under
 * the function and arms the budgets. The panic handler reports a Lua error
 * no call caught (there should be none: the engine reads plugin tables raw).
 *
 * Owns: the lua_State and its allocator (the memory budget, with what the
 * engine makes for plugins), the CPU budgets (a call's, a plugin file's and
 * all plugins' over a document; instructions, allocations, caught errors
 * and a time backstop), gw_plug_call and error reports, the messages a
 * plugin files (gw.warn, gw.log, print), each plugin file's sandbox
 * environment (with its own pcall, xpcall and setmetatable), the hardened
 * string library and the gw table. May call the other rooms' openers and
 * gw.* bindings (gw_plug_int.h) to build that table; it runs no plugin
 * itself.
 */
#include "gw_plug_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "../util/gw_buf.h"

#define HOOK_STEP 100            /* instructions between two ticks of the count hook */
#define DEFAULT_CPU 100000000L   /* instructions per call (about half a second) */
#define PLUGIN_CALLS 2           /* a plugin file's budget for a document, in calls' budgets */
#define TOTAL_CALLS 4            /* all plugins' budget for a document, in calls' budgets */
#define DEFAULT_MEM (256L << 20) /* bytes for the whole Lua state */
#define MAX_REP (16L << 20)      /* string.rep result cap */
/*
 * What the engine makes for a plugin counts against the memory budget at
 * ENGINE_WEIGHT times its size in the document's arena: a byte of text in a
 * run becomes some 40 to 180 bytes of line breaking and display list in the
 * layout (a 16 MB paragraph takes 2 to 3 GB, 1e6 table cells 1.9 GB), which a
 * plugin could otherwise make from a few bytes of Lua (string.rep).
 */
#define ENGINE_WEIGHT 64
/*
 * Plugins may make DOC_SHARE times as much as the document itself holds
 * (its tree in the arena) before the budget counts it: a section plugin
 * that sets every paragraph it is given makes some 1.5 to 3 times the
 * paragraph's node. The documents' CPU budgets grow by CPU_PER_BYTE for each
 * byte of the tree, so that a long document's plugins have time for it.
 */
#define DOC_SHARE 4
#define CPU_PER_BYTE 8
/*
 * Lua may allocate MEM_RESERVE bytes past the budget: the count hook raises
 * the memory error (at the plugin's line) once the budget is spent, and the
 * error's message and traceback need memory of their own.
 */
#define MEM_RESERVE (4L << 20)
/*
 * Work a plugin makes the C side do counts as instructions: an allocation
 * ALLOC_COST plus a byte in ALLOC_BYTES (string.rep, .., table growth, the
 * garbage collector behind them); an error it catches ERROR_COST plus
 * FRAME_COST for every call on the stack it was raised on (a stack
 * overflow caught by pcall unwinds a million calls, built in about half a
 * second, the time of 100 million simple instructions, while the hook
 * counted a few million).
 */
#define ALLOC_COST 8
#define ALLOC_BYTES 16
#define ERROR_COST 10000L
#define FRAME_COST 100L
/*
 * Time is bounded too, as a backstop: some instructions and library calls
 * work on a long string or table in C (comparing two 100 MB strings,
 * table.sort, table.insert at the front, utf8.len, gw.find) for far longer
 * than the one instruction the hook counts. A plugin's own time (the hook
 * reads the clock at each tick and at each call, so a loop of such calls
 * is seen after the first) may be TIME_CALL seconds a call and TIME_DOC for
 * all plugins over a document, by the coarse monotonic clock (a few
 * nanoseconds to read, a few milliseconds fine). The time out:* spends
 * setting text is the engine's and is left out; what it costs is counted
 * as instructions by the text instead, TEXT_BYTES a unit (so that a
 * document's size, not the machine's speed, decides whether its plugins fit).
 * The limits are generous, for a backstop against hangs, not a budget: the
 * clock is the wall's (the thread's CPU clock costs microseconds to read
 * here), and filling the 256 MiB of memory with small strings, which must
 * end in the memory error, takes 4 s, 11 s in the sanitizers' build on a
 * busy machine (mostly the garbage collector's time). The instruction
 * budgets end ordinary loops well before.
 */
#define TIME_CALL 30.0
#define TIME_DOC 60.0
#define TEXT_BYTES 4

struct gw_plug *gw_plug_host(lua_State *L)
{
    return *(struct gw_plug **)lua_getextraspace(L);
}

/* {===================== memory, instructions, calls =================== */

/* What one plugin file has spent in this document. */
struct cpu_account {
    char *file; /* the chunk name of its functions ("@plugins/sections/x.lua") */
    long spent;
    bool said;  /* its budget for the document is spent, and an error said so */
};

/* Count n instructions (or their equivalent) to the call, the running plugin and the document. */
static void charge(struct gw_plug *p, long n)
{
    p->spent += n;
    p->spent_total += n;
    if (p->account >= 0)
        p->accounts[p->account].spent += n;
}

/* The time in seconds (coarse: cheap enough to read at every call a plugin makes). */
static double clock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * An out method's time is the engine's: engine_since marks one running. An
 * error raised in it ends it (every handler, the sandbox's pcall and
 * gw_plug_call say so), or a plugin could make its own time the engine's.
 */
static void engine_begin(struct gw_plug *p)
{
    p->engine_since = clock_now();
}

static void engine_end(struct gw_plug *p)
{
    if (p->engine_since > 0)
        p->engine_time += clock_now() - p->engine_since;
    p->engine_since = 0;
}

/* Charge counted instructions, and the plugin's own time since the last tick. */
static void charge_time(struct gw_plug *p, long counted)
{
    engine_end(p);
    double t = clock_now();
    double own = t - p->tick_time - p->engine_time;
    p->tick_time = t;
    p->engine_time = 0;
    if (own > 0) {
        p->call_secs += own;
        p->doc_secs += own;
    }
    charge(p, counted);
}

void gw_plug_charge_text(struct gw_plug *p, size_t bytes)
{
    if (p->calls > 0)
        charge(p, (long)(bytes / TEXT_BYTES));
}

/* The engine memory made for plugins in this build, weighted, and the document's own size. */
static size_t engine_made(const struct gw_plug *p, size_t *allowed)
{
    *allowed = 0;
    if (!p->doc || !p->out)
        return 0;
    *allowed = p->arena_base * ENGINE_WEIGHT * DOC_SHARE;
    return (p->doc->arena.used - p->arena_base) * ENGINE_WEIGHT;
}

bool gw_plug_mem_over(const struct gw_plug *p, size_t more)
{
    size_t allowed, made = engine_made(p, &allowed);
    return p->mem_used + made + more > p->mem_limit + allowed;
}

/* Has the engine made more for plugins than the whole budget? (It is not freed before the end.) */
static bool engine_over(const struct gw_plug *p)
{
    size_t allowed, made = engine_made(p, &allowed);
    return made > p->mem_limit + allowed;
}

static const char MSG_CALL[] = "plugin exceeded its CPU budget";
static const char MSG_PLUGIN[] = "plugin exceeded its CPU budget for the document";
static const char MSG_TOTAL[] = "plugin exceeded the CPU budget all plugins share for the document";
static const char MSG_MEM[] = "plugin exceeded its memory budget";

/* Which budget of the document's (not a call's) account a has spent, as a message, or NULL. */
static const char *document_spent(const struct gw_plug *p, int a)
{
    long more = p->doc ? (long)p->arena_base * CPU_PER_BYTE : 0;
    if (a >= 0 && p->accounts[a].spent > p->cpu_plugin_budget + more)
        return MSG_PLUGIN;
    if (p->spent_total > p->cpu_total_budget + 2 * more || p->doc_secs > TIME_DOC)
        return MSG_TOTAL;
    if (engine_over(p))
        return MSG_MEM;
    return NULL;
}

/* Which budget the running plugin has spent, as a message, or NULL. */
static const char *over_budget(const struct gw_plug *p)
{
    if (p->calls == 0)
        return NULL;
    if (p->spent > p->cpu_budget || p->call_secs > TIME_CALL)
        return MSG_CALL;
    const char *msg = document_spent(p, p->account);
    return msg ? msg : gw_plug_mem_over(p, 0) ? MSG_MEM : NULL;
}

/*
 * About to raise msg: if it is a budget of the document's, the error that
 * says so is on its way, and later calls of that plugin (every plugin's,
 * for the shared budgets and memory) are not run (gw_plug_call).
 */
static void say_spent(struct gw_plug *p, const char *msg)
{
    if (msg == MSG_PLUGIN && p->account >= 0)
        p->accounts[p->account].said = true;
    else if (msg == MSG_TOTAL || msg == MSG_MEM)
        p->doc_said = true;
}


/* Write into buf the plugin line running now ("file:line"), or "". */
static void plugin_line(lua_State *L, char *buf, size_t len)
{
    lua_Debug ar;
    buf[0] = '\0';
    for (int level = 0; level < 8 && lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(buf, len, "%s:%d", ar.short_src, ar.currentline);
            return;
        }
    }
}

/* Note in p->oom_where where an allocation was refused (Lua's memory error has no position). */
static void note_position(struct gw_plug *p, lua_State *L)
{
    plugin_line(L, p->oom_where, sizeof p->oom_where);
}

size_t gw_plug_mem_room(struct gw_plug *p)
{
    size_t allowed, made = engine_made(p, &allowed), used = p->mem_used + made;
    return used < p->mem_limit + allowed ? p->mem_limit + allowed - used : 0;
}

bool gw_plug_engine_fits(struct gw_plug *p, size_t engine_bytes)
{
    return !gw_plug_mem_over(p, engine_bytes * ENGINE_WEIGHT);
}

int gw_plug_mem_error(lua_State *L)
{
    say_spent(gw_plug_host(L), MSG_MEM);
    return luaL_error(L, "%s", MSG_MEM);
}

void gw_plug_check_mem(lua_State *L, size_t engine_bytes)
{
    if (!gw_plug_engine_fits(gw_plug_host(L), engine_bytes))
        gw_plug_mem_error(L);
}

/*
 * The state's allocator: realloc within the memory budget while a plugin
 * runs (the engine's own pushes between calls are bounded by the document
 * and by what the plugins made within it). Growth while a plugin runs is
 * charged to its CPU budget. A refusal notes the plugin line for the report
 * (Lua raises a memory error without a position).
 */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct gw_plug *p = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        p->mem_used -= old;
        return NULL;
    }
    if (nsize > old && p->calls > 0) {
        size_t allowed, made = engine_made(p, &allowed);
        if (p->mem_used + made + (nsize - old) > p->mem_limit + allowed + MEM_RESERVE) {
            note_position(p, p->L);
            return NULL; /* Lua raises "not enough memory" */
        }
        charge(p, ALLOC_COST + (long)((nsize - old) / ALLOC_BYTES));
    }
    void *q = realloc(ptr, nsize);
    if (!q)
        return NULL;
    p->mem_used = p->mem_used - old + nsize;
    return q;
}

/* Set the count hook to fire every n instructions (1: at once, and again). */
static void budget_hook(lua_State *L, lua_Debug *ar);
static void arm(struct gw_plug *p, int n)
{
    if (p->hook_step != n)
        lua_sethook(p->L, budget_hook, LUA_MASKCOUNT | LUA_MASKCALL, n);
    p->hook_step = n;
}

static int msg_handler(lua_State *L);
static int caught(lua_State *L);
static int caught_then_handler(lua_State *L);

/* Is the call the hook sees (ar) one of the message handlers, an error being raised? */
static bool handling_error(lua_State *L, lua_Debug *ar)
{
    if (!lua_getinfo(L, "f", ar))
        return false;
    lua_CFunction f = lua_tocfunction(L, -1);
    lua_pop(L, 1);
    return f == msg_handler || f == caught || f == caught_then_handler;
}

/*
 * Count and call hook: charge the instructions since the last tick and the
 * time since the last event; once a budget is spent, raise, and keep
 * raising at every instruction (pcall cannot swallow it) until gw_plug_call
 * returns.
 */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
    struct gw_plug *p = gw_plug_host(L);
    bool tick = ar->event == LUA_HOOKCOUNT;
    charge_time(p, tick ? p->hook_step : 0);
    const char *msg = over_budget(p);
    if (!msg) {
        if (tick)
            arm(p, HOOK_STEP); /* a nested call's budget spent, not this one's: back to ticks */
        return;
    }
    if (!tick && handling_error(L, ar))
        return; /* the error on its way names the plugin line; the budget's comes next */
    arm(p, 1);
    say_spent(p, msg);
    /* name the line the plugin was running (luaL_error would name the hook; a call, the callee) */
    char at[sizeof p->oom_where];
    plugin_line(L, at, sizeof at);
    lua_pushfstring(L, "%s%s%s", at, *at ? ": " : "", msg);
    lua_error(L);
}

/* The error value of gw_plug_error_said: the error was reported where the input has it. */
static const char said_key = 0;

int gw_plug_error_said(lua_State *L)
{
    lua_pushlightuserdata(L, (void *)&said_key);
    return lua_error(L);
}

/* Message handler of gw_plug_call: the error message with a traceback. */
static int msg_handler(lua_State *L)
{
    engine_end(gw_plug_host(L));
    if (lua_touserdata(L, 1) == &said_key)
        return 1; /* reported already */
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* The account of the plugin file whose function is at idx (made on first use), or -1. */
static int account_of(struct gw_plug *p, int idx)
{
    lua_Debug ar;
    lua_pushvalue(p->L, idx);
    if (!lua_getinfo(p->L, ">S", &ar) || ar.source[0] != '@')
        return p->account; /* a C function: whoever called it pays */
    for (int i = 0; i < p->naccounts; i++)
        if (!strcmp(p->accounts[i].file, ar.source))
            return i;
    p->accounts = gw_xrealloc(p->accounts, (size_t)(p->naccounts + 1) * sizeof(*p->accounts));
    p->accounts[p->naccounts] = (struct cpu_account){.file = gw_xstrdup(ar.source)};
    return p->naccounts++;
}

/* lua_pcall with a traceback handler and the CPU budgets armed. */
int gw_plug_call(struct gw_plug *p, int nargs, int nres)
{
    lua_State *L = p->L;
    int base = lua_gettop(L) - nargs;
    int account = account_of(p, base);
    if ((account >= 0 && p->accounts[account].said) || p->doc_said) {
        lua_settop(L, base - 1); /* said once; this call is not run */
        lua_pushnil(L);
        return GW_PLUG_SPENT;
    }
    int saved = p->account;
    bool saved_caption = p->in_caption; /* a caption whose making an error cut short ends here */
    /* a nested call's times are its own (a rule's function inside out:paragraph) */
    double saved_tick = p->tick_time, saved_engine = p->engine_time, saved_since = p->engine_since;
    p->account = account;
    if (p->calls++ == 0) {
        p->spent = 0;
        p->call_secs = 0;
    }
    p->tick_time = clock_now();
    p->engine_time = 0;
    p->engine_since = 0;
    arm(p, over_budget(p) ? 1 : HOOK_STEP); /* a spent budget: the first instruction raises */
    lua_pushcfunction(L, msg_handler);
    lua_insert(L, base);
    p->oom_where[0] = '\0';
    int rc = lua_pcall(L, nargs, nres, base);
    lua_remove(L, base);
    charge_time(p, HOOK_STEP / 2); /* since the last tick (instructions: half a tick, on average) */
    p->tick_time = saved_tick;
    p->in_caption = saved_caption;
    p->engine_time = saved_engine;
    p->engine_since = saved_since;
    if (rc != LUA_OK) {
        p->failed_file = account >= 0 ? p->accounts[account].file + 1 : NULL; /* for the report */
        /* the error fails the build: a budget of the document's it spent needs no more errors */
        say_spent(p, document_spent(p, account));
    }
    p->account = saved;
    if (--p->calls == 0) {
        lua_sethook(L, NULL, 0, 0);
        p->hook_step = 0;
    } else {
        arm(p, over_budget(p) ? 1 : HOOK_STEP);
    }
    return rc;
}

void gw_plug_reset_budgets(struct gw_plug *p)
{
    p->doc_said = false;
    p->doc_secs = 0;
    p->failed_file = NULL;
    for (int i = 0; i < p->naccounts; i++)
        free(p->accounts[i].file);
    free(p->accounts);
    p->accounts = NULL;
    p->naccounts = 0;
    p->spent_total = 0;
}

/*
 * pcall and xpcall for plugins. As Lua's, except: an error caught costs
 * CPU budget (ERROR_COST, and FRAME_COST for each call on the stack where it
 * was raised), so that a loop catching stack overflows ends; and once a
 * budget is spent, errors are not caught at all.
 */

/* The number of calls on L's stack. */
static int stack_depth(lua_State *L)
{
    lua_Debug ar;
    int lo = 1, hi = 1;
    while (lua_getstack(L, hi, &ar)) { /* find an upper bound, then bisect */
        lo = hi;
        hi *= 2;
    }
    while (lo < hi - 1) {
        int m = (lo + hi) / 2;
        if (lua_getstack(L, m, &ar))
            lo = m;
        else
            hi = m;
    }
    return lo;
}

/* Message handler of a plugin's pcall: charge the depth the error unwinds; the error as is. */
static int caught(lua_State *L)
{
    engine_end(gw_plug_host(L));
    charge(gw_plug_host(L), FRAME_COST * stack_depth(L));
    return 1;
}

/* xpcall's: charge as caught(), then the plugin's handler (upvalue 1). */
static int caught_then_handler(lua_State *L)
{
    engine_end(gw_plug_host(L));
    charge(gw_plug_host(L), FRAME_COST * stack_depth(L));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* Finish a plugin's pcall/xpcall: status and results, or the error raised again. */
static int finish_pcall(lua_State *L, int rc, int handler)
{
    struct gw_plug *p = gw_plug_host(L);
    if (rc != LUA_OK) {
        engine_end(p); /* a memory error calls no handler */
        charge(p, ERROR_COST);
        const char *msg = over_budget(p);
        if (msg) { /* a spent budget is not the plugin's to catch */
            say_spent(p, msg);
            return luaL_error(L, "%s", msg);
        }
    }
    lua_pushboolean(L, rc == LUA_OK);
    lua_replace(L, handler);
    return lua_gettop(L) - handler + 1;
}

/* pcall(f, ...) */
static int l_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushcfunction(L, caught);
    lua_insert(L, 1); /* caught f args */
    return finish_pcall(L, lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 1), 1);
}

/* xpcall(f, msgh, ...) */
static int l_xpcall(lua_State *L)
{
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, caught_then_handler, 1);
    lua_replace(L, 2); /* f handler args */
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_replace(L, 1);
    lua_replace(L, 2); /* handler f args */
    return finish_pcall(L, lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 1), 1);
}

/*
 * An out method whose time is the engine's (upvalue 1: the method). The
 * method runs in this function's own frame, so its errors still name the
 * plugin line that called it.
 */
static int engine_timed(lua_State *L)
{
    struct gw_plug *p = gw_plug_host(L);
    lua_CFunction method = lua_tocfunction(L, lua_upvalueindex(1));
    engine_begin(p);
    int n = method(L);
    engine_end(p);
    return n;
}

/* Time the out methods as the engine's, except out:keep (it runs the plugin's function). */
static void time_out_methods(lua_State *L)
{
    luaL_getmetatable(L, "gw.out");
    lua_getfield(L, -1, "__index"); /* mt methods */
    lua_pushnil(L);
    while (lua_next(L, -2)) { /* mt methods name method */
        if (lua_tocfunction(L, -1) && strcmp(lua_tostring(L, -2), "keep") != 0) {
            lua_pushcclosure(L, engine_timed, 1);
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4); /* (changing an existing key's value keeps lua_next going) */
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 2);
}

/*
 * setmetatable for plugins: no __gc. A finalizer would run when the
 * collector decides, outside any call of the plugin's (in lua_gc, in
 * lua_close) and so outside its budgets, with whatever the engine is doing
 * then. (__close runs inside the plugin's call; __mode runs no code.)
 */
static int l_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        bool gc = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (gc)
            return luaL_error(L, "__gc metamethods are not available to plugins (a finalizer "
                                 "would run outside the plugin's calls)");
    }
    lua_pushvalue(L, lua_upvalueindex(1)); /* the real setmetatable */
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/*
 * Lua raised an error with no protected call to catch it: an engine bug
 * (every plugin runs in gw_plug_call, and the engine reads plugin tables raw)
 * or memory exhausted. Say so and stop, rather than abort with nothing said.
 */
static int l_panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "gongwen: error: Lua error outside a plugin call: %s\n",
            msg ? msg : "(not a string)");
    fflush(NULL);
    _Exit(1);
}

/* }===================================================================== */

/* {===================== errors and messages =========================== */

/*
 * Report the error on top of the stack (pops it): "file:line: error: msg
 * while <what> (input:line)" followed by a short traceback.
 */
void gw_plug_report(struct gw_plug *p, int rc)
{
    if (rc == GW_PLUG_SPENT || lua_touserdata(p->L, -1) == &said_key) {
        lua_pop(p->L, 1);
        return;
    }
    const char *msg = lua_tostring(p->L, -1);
    if (!msg)
        msg = "unknown error";
    char oom[sizeof p->oom_where + 64];
    if (rc == LUA_ERRMEM) {
        p->doc_said = true; /* the plugins' memory is the document's: no more calls */
        snprintf(oom, sizeof oom, "%s%splugin exceeded its memory budget", p->oom_where,
                 p->oom_where[0] ? ": " : "");
        msg = oom;
    }
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
    struct gw_span span = gw_span_file(p->cur_type && p->what[0] ? p->cur_type->file
                                                                  : p->failed_file);
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
        "assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget", "rawlen", "rawset",
        "select", "getmetatable", "tonumber", "tostring", "type", "_VERSION", NULL};
    /* the sandbox's own, made by open_api */
    static const char *const wrapped[] = {"pcall", "xpcall", "setmetatable", NULL};
    static const char *const libs[] = {"string", "table", "math", "utf8", NULL};
    lua_newtable(L); /* env */
    for (int i = 0; allowed[i]; i++) {
        lua_getglobal(L, allowed[i]);
        lua_setfield(L, -2, allowed[i]);
    }
    for (int i = 0; wrapped[i]; i++) {
        lua_getfield(L, LUA_REGISTRYINDEX, "gw.sandbox");
        lua_getfield(L, -1, wrapped[i]);
        lua_setfield(L, -3, wrapped[i]);
        lua_pop(L, 1);
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
    lua_createtable(L, 0, 3); /* the sandbox's pcall, xpcall and setmetatable */
    lua_pushcfunction(L, l_pcall);
    lua_setfield(L, -2, "pcall");
    lua_pushcfunction(L, l_xpcall);
    lua_setfield(L, -2, "xpcall");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, l_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    lua_setfield(L, LUA_REGISTRYINDEX, "gw.sandbox");
    gw_plug_open_text(L);
    lua_pushcfunction(L, l_readonly_newindex);
    lua_setfield(L, LUA_REGISTRYINDEX, "gw.readonly_newindex");
    gw_plug_open_out(L);
    time_out_methods(L);
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
    p->cpu_plugin_budget = PLUGIN_CALLS * p->cpu_budget;
    p->cpu_total_budget = TOTAL_CALLS * p->cpu_budget;
    p->account = -1;
    p->mem_limit = (size_t)(mem_budget > 0 ? mem_budget : DEFAULT_MEM);
    p->L = lua_newstate(l_alloc, p);
    if (!p->L) {
        gw_diag_error(p->diag, gw_span_file(NULL), "cannot create the Lua state");
        return -1;
    }
    lua_atpanic(p->L, l_panic);
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

void gw_plug_object_type(lua_State *L, const char *name, const luaL_Reg *methods)
{
    luaL_newmetatable(L, name);
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}
