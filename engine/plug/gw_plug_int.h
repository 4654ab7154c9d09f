/*
 * gw_plug_int: what the files of the plugin host share (private to
 * engine/plug/; the module's interface is gw_plug.h).
 *
 * The host is one struct gw_plug, made by gw_plug_new and used by every
 * file below. Its rooms, and what each owns:
 *   gw_plug.c        lifecycle (new/free) and the build: choosing a
 *                    section's type, pushing the header and sections to Lua,
 *                    running the layout's functions and the section plugins
 *   gw_sandbox.c     the Lua state: allocator, budgets, gw_plug_call, error
 *                    reports, the sandbox environment and the gw table
 *   gw_text_api.c    gw.find, gw.match, gw.gsub, gw.split (bounded PCRE2)
 *   gw_load.c        finding and loading plugin files; section types and
 *                    rule sets made from their Lua tables; reading fields
 *   gw_plug_rules.c  running rule sets for the host: a rule's Lua function,
 *                    the sets in force, drop and join over a section, gw.rules
 *   gw_layout_load.c layout inheritance and overlay, `gongwen layout NAME`
 *   gw_style.c       styles, colours, page setup and the layout's fonts
 *   gw_blocks.c      the `out` object (out:paragraph, out:table, ...)
 *   gw_masthead.c    the `m` object (m:text, m:rule, ...) and gw.text_width
 *   gw_check.c       `gongwen check`, `gongwen fix`, `build --explain`
 *   gw_list.c        `gongwen plugins`
 * Only engine/plug/ includes Lua; rule sets run in engine/rules/
 * (gw_ruleset.h), fonts in engine/font/ (gw_fontset.h).
 *
 * Naming: gw_plug_* are the host's functions shared between its files,
 * gw_lua_* the C functions Lua calls as gw.<name>; everything else is
 * static to its file.
 */
#ifndef GW_PLUG_INT_H
#define GW_PLUG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "../rules/gw_ruleset.h"
#include "gw_plug.h"

#define GW_MM (72.0 / 25.4) /* points in a millimetre */

struct cpu_account;

/* A section plugin (plugins/sections/NAME.lua). */
struct gw_section_type {
    char *name;
    char *file;
    char *pattern;            /* heading pattern as written */
    struct gw_regex *re;      /* NULL for the default section type */
    struct gw_regex *lead_in; /* the plugin's lead-in pattern (its `lead_in`), or NULL */
    int ref;                  /* registry ref of the plugin table */
};

/* A resolved style (docs/plugin-api.md § Styles). */
struct gw_style {
    int role;
    double size;
    uint32_t color;
    bool bold;
    bool italic;
    double indent;       /* first line's start, 字 */
    double hanging;      /* the other lines' start, 字 */
    double right_indent; /* where every line ends, 字 from the right edge */
    bool balance;        /* lines of equal length */
    enum gw_align align;
    int keep;
};

struct gw_plug {
    lua_State *L;
    struct gw_diag *diag;
    char *dirs[GW_MAX_PLUGIN_DIRS];
    int ndirs;
    char *layout_name;
    char *fonts_dir;
    int workers; /* threads a build may use */
    /* budgets (gw_sandbox.c): CPU in instructions and their equivalents, memory in bytes */
    long cpu_budget;                 /* a call's (the outermost call, with what it calls) */
    long cpu_plugin_budget;          /* a plugin file's, over a document's calls */
    long cpu_total_budget;           /* all plugins', over a document's calls */
    long spent;                      /* by the call in progress */
    long spent_total;                /* by every plugin, this document */
    struct cpu_account *accounts;    /* spent by each plugin file, this document */
    int naccounts;
    int account;                     /* the running plugin's account, or -1 */
    int calls;                       /* gw_plug_call nesting */
    int hook_step;                   /* the count hook's interval now */
    double tick_time;                /* CPU time at the running call's last tick */
    double engine_time;              /* of it since, the engine's (out:*) */
    double engine_since;             /* when the out:* method running began (0: none) */
    double call_secs;                /* the plugins' own time in the call in progress */
    double doc_secs;                 /* and in this document */
    bool doc_said;                   /* a shared budget (or memory) is spent and an error said so */
    size_t mem_used, mem_limit;      /* Lua's heap, and the plugins' memory budget */
    size_t arena_base;               /* the document arena's size before any plugin ran on it */
    char oom_where[300];             /* "file:line" of the last allocation refused, or "" */
    const char *failed_file;         /* the plugin file of the last call that failed */
    uint64_t live_object;            /* the out or m object in use (0: none) */
    uint64_t objects;                /* out and m objects made so far */
    struct gw_section_type *types;
    int ntypes;
    struct gw_ruleset_list sets; /* the rule sets loaded so far */
    char **missing;              /* rule set names this build has reported as not found */
    int nmissing;
    /* the build in progress */
    struct gw_doc *doc;
    struct gw_fontset *fs;
    struct gw_build *out;
    struct gw_block **tail;            /* where out:* appends (body or colophon) */
    struct gw_feed *feed;              /* gets body blocks as they are appended (or NULL) */
    bool feeding;                      /* appending to the body, not the colophon */
    struct gw_span cur;                /* document position being processed */
    char what[256];                    /* "laying out section 【…】", for messages */
    const struct gw_section_type *cur_type;
    enum gw_rule_mode mode;   /* how text rules run */
    int findings;             /* rule matches reported in check mode */
    struct gw_regex *protect; /* spans no text rule may touch */
    struct gw_regex *caption_label; /* a caption's "表1 ", kept whole (gw_ruleset.h) */
    bool in_caption;          /* the text being made is a caption: its label is its lead-in */
    const char *active[16];   /* rule sets applied to the current section's text */
    int nactive;
    int layout_ref;           /* merged layout table */
    int keep_depth;           /* inside out:keep() */
    double keep_squeeze;      /* the out:keep's squeeze (0: none) */
};

/* --- gw_plug.c: the build --- */

/* The section type for a heading: the first (by file name) whose pattern matches, else default. */
const struct gw_section_type *gw_plug_choose_type(struct gw_plug *p, const struct gw_node *sec);

/* Load the document's layout (--layout, else its 版式, else the default) into p->layout_ref. */
int gw_plug_use_layout(struct gw_plug *p, struct gw_doc *doc);

/* Undo gw_plug_use_layout and the per-document state (and the budgets spent on it). */
void gw_plug_end_document(struct gw_plug *p);

/*
 * The file to open for image path (out:image): relative to the document's
 * folder and inside it, else a Lua error ("image path '…' must be inside
 * the document's folder"). The string returned is pushed on L's stack.
 */
const char *gw_plug_image_path(lua_State *L, const char *path);

/* Push a new `out` or `m` object (metatable mt); it is the live one until the next. */
void gw_plug_push_object(struct gw_plug *p, const char *mt);

/*
 * The host, for a method of the `out` or `m` object at index 1 (metatable
 * mt, named name in messages); raises an error if that object is not live.
 */
struct gw_plug *gw_plug_check_object(lua_State *L, const char *mt, const char *name);

/* --- gw_sandbox.c: the Lua state --- */

/*
 * Make p->L with the budgets (0: the defaults), its libraries and the gw
 * API, all before any plugin runs. Returns 0, or -1 after reporting.
 */
int gw_plug_open_lua(struct gw_plug *p, long cpu_budget, long mem_budget);

/*
 * Register the metatable `name` of an engine object whose methods are `methods`
 * (its __index), locked against getmetatable/setmetatable (gw_sandbox.c).
 */
void gw_plug_object_type(lua_State *L, const char *name, const luaL_Reg *methods);

/* The host of a Lua state made by gw_plug_open_lua. */
struct gw_plug *gw_plug_host(lua_State *L);

/* What gw_plug_call returns for a call it did not run: a budget it needed was spent, as said. */
#define GW_PLUG_SPENT (-1)

/*
 * lua_pcall with a traceback handler and the CPU budgets armed, the
 * function's plugin file paying for what it runs (nested calls: a rule's
 * function inside out:paragraph, the inner plugin). A call whose plugin has
 * spent its budget for the document, after an error said so, is not run:
 * GW_PLUG_SPENT (gw_plug_report says nothing more about it).
 */
int gw_plug_call(struct gw_plug *p, int nargs, int nres);

/* Charge the running plugin for bytes of text out:* sets (rules, runs): the engine's work for it. */
void gw_plug_charge_text(struct gw_plug *p, size_t bytes);

/* A new document: every plugin's CPU spent so far is forgotten. */
void gw_plug_reset_budgets(struct gw_plug *p);

/*
 * Would `more` bytes more go over the plugins' memory budget? It holds Lua's
 * heap and the engine memory made for plugins in this build (the blocks,
 * runs, cells and text out:* and m:* put in the document's arena), the
 * latter counted at ENGINE_WEIGHT times its size, for what the layout will
 * make of it, less the document's own size: plugins may set as much as the
 * document holds, and the budget more.
 */
bool gw_plug_mem_over(const struct gw_plug *p, size_t more);

/* The bytes left in the plugins' memory budget (for a text the engine makes for them). */
size_t gw_plug_mem_room(struct gw_plug *p);

/* Would engine_bytes more in the document's arena for a plugin fit in the memory budget? */
bool gw_plug_engine_fits(struct gw_plug *p, size_t engine_bytes);

/* Raise "plugin exceeded its memory budget" (at the plugin's line); no more calls this document. */
int gw_plug_mem_error(lua_State *L);

/* Before the engine makes engine_bytes in the document's arena: gw_plug_mem_error unless they fit. */
void gw_plug_check_mem(lua_State *L, size_t engine_bytes);

/* Raise an error already reported through the diag sink at the input's own position (a
   user's mistake found inside a plugin call): gw_plug_report says nothing more. */
int gw_plug_error_said(lua_State *L);

/*
 * Report the error on top of the stack (pops it): "file:line: error: msg
 * while <what> (input:line)" followed by a short traceback.
 */
void gw_plug_report(struct gw_plug *p, int rc);

/* Push a fresh sandbox environment for one plugin file. */
void gw_plug_push_env(lua_State *L);

/* --- gw_text_api.c: gw.find, gw.match, gw.gsub, gw.split --- */

/* Make the regex userdata's metatable and the pattern cache (once, from gw_plug_open_lua). */
void gw_plug_open_text(lua_State *L);

/* Argument idx as a string that must be valid UTF-8 (matching skips PCRE2's check). */
const char *gw_plug_check_utf8(lua_State *L, int idx, size_t *len);

int gw_lua_find(lua_State *L);
int gw_lua_match(lua_State *L);
int gw_lua_gsub(lua_State *L);
int gw_lua_split(lua_State *L);

/* --- gw_load.c: plugin files, section types, rule sets --- */

bool gw_plug_file_exists(const char *path);

/* The highest-precedence file sub/name.lua, written into path. */
bool gw_plug_find_file(struct gw_plug *p, const char *sub, const char *name, char *path,
                       size_t len);

/*
 * Load and run one plugin file in a fresh sandbox; on success the returned
 * table is on the stack (and, if text, its source in *text, malloc'd).
 * Returns 0, or -1 after reporting.
 */
int gw_plug_load_file(struct gw_plug *p, const char *path, char **text);

/*
 * Push field key of the table at idx, read raw (no metamethod of a plugin's
 * runs); nil when idx holds no table. Returns the value's type. The engine
 * reads every plugin and layout table with this and the getters below.
 */
int gw_plug_field(lua_State *L, int idx, const char *key);

/* Field key of the table at idx, or def: a number, a boolean, a string (no number's string). */
double gw_plug_num_field(lua_State *L, int idx, const char *key, double def);
bool gw_plug_bool_field(lua_State *L, int idx, const char *key, bool def);
const char *gw_plug_str_field(lua_State *L, int idx, const char *key, const char *def);

/* The 1-based line where `key =` first appears in a plugin file's text (0 if not found). */
int gw_plug_key_line(const char *src, const char *key);

/* The line of a plugin file's first line-initial `return` (where its table starts), else 1. */
int gw_plug_return_line(const char *src);

/* String field key of the table at idx, malloc'd, or NULL. */
char *gw_plug_opt_string(lua_State *L, int idx, const char *key);

/* strcmp for qsort over an array of strings. */
int gw_plug_cmp_cstr(const void *a, const void *b);

/* Load every section plugin: sections/NAME.lua across the plugin folders, later folders winning. */
int gw_plug_load_sections(struct gw_plug *p);

/* Load rule set `name` (once). Returns 0 or -1. */
int gw_plug_load_ruleset(struct gw_plug *p, const char *name);

/* Rule-set names listed in the table field `key` of the table at idx, loaded. */
int gw_plug_collect_sets(struct gw_plug *p, int idx, const char *key, const char **names, int max);

/* Forget which rule sets were reported missing: each build reports its own. */
void gw_plug_forget_missing(struct gw_plug *p);

/* --- gw_plug_rules.c: running rule sets for the host --- */

/*
 * Run the text rules of the named sets over s (p->cur is where s starts in
 * the input), by p->mode (gw_ruleset_apply). Returns a malloc'd string.
 */
char *gw_plug_apply_rules(struct gw_plug *p, const char *const *sets, int nsets, const char *s,
                          size_t len, size_t *outlen);

/*
 * Choose the rule sets for what is built next: the current section plugin's
 * `rules` if it has that field, else the layout's. Called once per section.
 */
void gw_plug_choose_sets(struct gw_plug *p);

/* The header rule sets of the layout (after gw_plug_use_layout). */
int gw_plug_header_sets(struct gw_plug *p, const char **sets);

/* n, or the first node after it that is not a paragraph a drop rule matches. */
const struct gw_node *gw_plug_skip_dropped(struct gw_plug *p, const char *const *sets, int nsets,
                                           const struct gw_node *n);

/* Whether a join rule may carry n on into the next paragraph (a paragraph, an item, a
 * footnote; not an attachment's title after 】 on its heading's line). */
bool gw_plug_joins(const struct gw_node *n);
/*
 * The next paragraph of a section as the rules see it: paragraphs a drop rule
 * matches are skipped, and one a join rule says continues is joined with the
 * next. *np walks the section's nodes; text gets the paragraph, *first and
 * *last its first and last input nodes. Returns false at the section's end.
 */
bool gw_plug_next_paragraph(struct gw_plug *p, const char *const *sets, int nsets,
                            const struct gw_node **np, struct gw_buf *text,
                            const struct gw_node **first, const struct gw_node **last);

int gw_lua_rules(lua_State *L);

/* --- gw_layout_load.c: layouts --- */

/* Merge table at src into table at dst, recursively for nested tables (src wins). */
void gw_plug_merge_into(lua_State *L, int dst, int src);

/*
 * Load layout `name` and its bases; leaves the effective table on the stack
 * (with `_from`, the provenance map). Returns 0 or -1.
 */
int gw_plug_load_layout(struct gw_plug *p, const char *name, int depth);

/* --- gw_style.c: styles, page setup, the layout's fonts, checked numbers --- */

/*
 * The values a number may take (docs/layouts.md § Limits): finite, from lo
 * to hi, a whole number if whole; unit names it in messages ("mm", or NULL).
 */
struct gw_range {
    double lo, hi;
    bool whole;
    const char *unit;
};

#define GW_RANGE_SIZE  ((struct gw_range){1, 200, false, "pt"}) /* font sizes */
#define GW_RANGE_RULE  ((struct gw_range){0, 20, false, "pt"})  /* rule thicknesses */
#define GW_RANGE_INDENT ((struct gw_range){0, 20, false, "字"}) /* indents (style, out:*) */
#define GW_RANGE_KEEP  ((struct gw_range){0, 100, true, "lines"})

/*
 * A number a plugin passes: field key of the table at idx, or (key NULL)
 * argument idx itself; def when it is nil. Anything else (another type, NaN,
 * out of r) raises a Lua error naming what ("out:rule"), the field and r.
 */
double gw_plug_check_num(lua_State *L, int idx, const char *key, double def,
                         struct gw_range r, const char *what);

/* Is key a field a style may have? */
bool gw_plug_is_style_field(const char *key);

/* Does the layout define styles.NAME? */
bool gw_plug_has_style(struct gw_plug *p, const char *name);

/* A colour argument or field; raises a Lua error for anything but "#RRGGBB". */
uint32_t gw_plug_check_color(lua_State *L, const char *s);

/* "left", "center" ("centre"), "right", else justify; def for NULL. */
enum gw_align gw_plug_parse_align(const char *s, enum gw_align def);

/* The role index for a role name, with an error (raised in Lua) if it has no font. */
int gw_plug_role(struct gw_plug *p, const char *name);

/*
 * Resolve style `name` from the layout's styles table, on top of `base`
 * (a paragraph style for a run). Raises a Lua error for an unknown style.
 */
struct gw_style gw_plug_style(struct gw_plug *p, const char *name, const struct gw_style *base);

/* Fill the page setup from the merged layout table at idx. */
int gw_plug_read_setup(struct gw_plug *p, int idx, struct gw_page_setup *ps);

/* The layout's `typeset` table: kinsoku, punctuation preset, spacing, Latin role. */
int gw_plug_read_typeset(struct gw_plug *p, int idx, struct gw_page_setup *ps);

/* Open the fonts a layout names: fonts/roles.conf, then its `fonts` table (layout at idx). */
int gw_plug_read_fonts(struct gw_plug *p, int idx);

/* --- gw_blocks.c: the `out` object --- */

/* Make the `out` object's metatable (once, from gw_plug_open_lua). */
void gw_plug_open_out(lua_State *L);

/* Apply opts.line / opts.src (a paragraph from sec.paragraphs) to the current position. */
void gw_plug_take_position(struct gw_plug *p, int opts);

/* --- gw_masthead.c: the `m` object --- */

/* Make the `m` object's metatable (once, from gw_plug_open_lua). */
void gw_plug_open_masthead(lua_State *L);

int gw_lua_text_width(lua_State *L);

/*
 * The width in points of s in role's fonts at size, a character no font has
 * counting 1 em; grid: full-width characters take the grid's cells, as the
 * layout sets body text (else every character its natural advance, as
 * m:text sets it).
 */
double gw_plug_text_width(struct gw_plug *p, const char *s, size_t len, int role, double size,
                          bool grid);

/* --- gw_style.c: checked alignment --- */

/* The align value at idx (def if nil); a Lua error naming what for any but the four. */
enum gw_align gw_plug_check_align(lua_State *L, int idx, enum gw_align def, const char *what);

#endif /* GW_PLUG_INT_H */
