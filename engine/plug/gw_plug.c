/*
 * gw_plug: the plugin host's lifecycle and the build (see gw_plug.h; the
 * host's rooms are listed in gw_plug_int.h).
 *
 * Owns: making and freeing the host (the Lua state, the section types, the
 * protect pattern), choosing the document's layout and each section's
 * type, pushing the header and each section to Lua as tables, and running
 * the build: the fonts, the page setup, the masthead,
 * each section plugin, the colophon. May call every room of the host; the
 * work itself is theirs.
 */
#include "gw_plug_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "../doc/gw_format.h"
#include "../rules/gw_rules.h"
#include "../util/gw_buf.h"
#include "../util/gw_jobs.h"
#include "../util/gw_path.h"

#define DEFAULT_LAYOUT "gbt9704"

/* {===================== the host ====================================== */

struct gw_plug *gw_plug_new(const struct gw_plug_opts *opts, struct gw_diag *diag)
{
    struct gw_plug *p = gw_xcalloc(1, sizeof(*p));
    p->diag = diag;
    for (int i = 0; i < opts->ndirs && i < GW_MAX_PLUGIN_DIRS; i++)
        p->dirs[p->ndirs++] = gw_xstrdup(opts->dirs[i]);
    p->layout_name = opts->layout ? gw_xstrdup(opts->layout) : NULL;
    p->fonts_dir = opts->fonts_dir ? gw_xstrdup(opts->fonts_dir) : NULL;
    p->workers = opts->workers > 0 ? opts->workers : gw_jobs_workers();
    p->layout_ref = LUA_NOREF;
    if (gw_plug_open_lua(p, opts->cpu_budget, opts->mem_budget) < 0) {
        gw_plug_free(p);
        return NULL;
    }
    char err[256];
    p->protect = gw_ruleset_protect_new(err, sizeof err);
    if (p->protect)
        p->caption_label = gw_ruleset_caption_label_new(err, sizeof err);
    if (!p->protect || !p->caption_label) {
        gw_diag_error(diag, gw_span_file(NULL), "internal: protect pattern: %s", err);
        gw_plug_free(p);
        return NULL;
    }
    if (gw_plug_load_sections(p) < 0) {
        gw_plug_free(p);
        return NULL;
    }
    return p;
}

void gw_plug_free(struct gw_plug *p)
{
    if (!p)
        return;
    gw_plug_forget_missing(p);
    if (p->L)
        lua_close(p->L);
    gw_plug_reset_budgets(p);
    for (int i = 0; i < p->ntypes; i++) {
        free(p->types[i].name);
        free(p->types[i].file);
        free(p->types[i].pattern);
        gw_regex_free(p->types[i].re);
        gw_regex_free(p->types[i].lead_in);
    }
    free(p->types);
    gw_regex_free(p->protect);
    gw_regex_free(p->caption_label);
    gw_ruleset_list_free(&p->sets);
    for (int i = 0; i < p->ndirs; i++)
        free(p->dirs[i]);
    free(p->layout_name);
    free(p->fonts_dir);
    free(p);
}

/* }===================================================================== */

/* {===================== the document and its sections ================= */

/* Load the document's layout (--layout, else its 版式, else the default) into p->layout_ref. */
int gw_plug_use_layout(struct gw_plug *p, struct gw_doc *doc)
{
    p->doc = doc;
    p->arena_base = doc->arena.used; /* what plugins make from here counts against their budget */
    p->cur = (struct gw_span){doc->file, 1, 1};
    const struct gw_node *lf = p->layout_name ? NULL : gw_doc_field(doc, "版式");
    const struct gw_format *fmt = lf ? gw_format_find(lf->text, lf->len) : NULL;
    const char *name = p->layout_name ? p->layout_name
                       : fmt          ? fmt->layout
                       : lf           ? lf->text
                                      : DEFAULT_LAYOUT;
    if (lf && !fmt && strspn(lf->text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789-_./") != lf->len) {
        gw_diag_error(p->diag, lf->span, "版式 '%s' is not a format: write one of %s, or a "
                      "layout's name", lf->text, gw_format_list());
        return -1;
    }
    if (gw_plug_load_layout(p, name, 0) < 0) {
        if (lf)
            gw_diag_note(p->diag, lf->span, "layout '%s' chosen here (版式 is one of %s, or a "
                         "layout's name)", name, gw_format_list());
        return -1;
    }
    p->layout_ref = luaL_ref(p->L, LUA_REGISTRYINDEX);
    return 0;
}

/* Undo gw_plug_use_layout and the per-document state. */
void gw_plug_end_document(struct gw_plug *p)
{
    if (p->layout_ref != LUA_NOREF) {
        luaL_unref(p->L, LUA_REGISTRYINDEX, p->layout_ref);
        p->layout_ref = LUA_NOREF;
    }
    p->what[0] = '\0';
    p->live_object = 0;
    gw_plug_reset_budgets(p);
    p->cur_type = NULL;
    p->doc = NULL;
    p->fs = NULL;
    p->out = NULL;
}

/* The section type for a heading: the first (by file name) whose pattern matches, else default. */
const struct gw_section_type *gw_plug_choose_type(struct gw_plug *p, const struct gw_node *sec)
{
    const struct gw_section_type *def = NULL;
    for (int i = 0; i < p->ntypes; i++) {
        const struct gw_section_type *t = &p->types[i];
        if (!t->re) {
            if (!def)
                def = t;
            continue;
        }
        size_t ov[2];
        if (gw_regex_match(t->re, sec->text, sec->len, 0, ov, 1) == GW_RE_MATCH)
            return t;
    }
    return def;
}

/*
 * An image a plugin sets (out:image, out:block): path is relative to the
 * document's folder and must stay inside it (gw_path.h), whoever wrote it,
 * the document (`![](…)`, its sec.paragraphs item) or a plugin. Pushes the
 * path to open and returns it, or raises an error that does not tell
 * whether anything outside the folder exists.
 */
const char *gw_plug_image_path(lua_State *L, const char *path)
{
    struct gw_plug *p = gw_plug_host(L);
    const char *slash = strrchr(p->doc->file, '/');
    char dir[4096], full[8192];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == p->doc->file)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - p->doc->file), p->doc->file);
    switch (gw_path_inside(dir, path, full, sizeof full)) {
    case GW_PATH_OK: break;
    case GW_PATH_MISSING:
        luaL_error(L, "cannot open image %s: %s", full, strerror(errno));
        break;
    case GW_PATH_OUTSIDE:
        luaL_error(L, "image path '%s' must be inside the document's folder (a relative path "
                      "without '..')", path);
        break;
    }
    return lua_pushstring(L, full);
}

/* Fill the item table on the stack for a TABLE node: kind, caption, head, align, rows. */
static void push_table_item(struct gw_plug *p, const struct gw_node *t)
{
    lua_State *L = p->L;
    lua_pushliteral(L, "table");
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, t->text);
    lua_setfield(L, -2, "caption");
    lua_pushstring(L, t->key ? t->key : "");
    lua_setfield(L, -2, "align");
    int head = 0, r = 0;
    lua_newtable(L); /* rows */
    for (const struct gw_node *row = t->first; row; row = row->next) {
        head += row->key != NULL;
        lua_newtable(L);
        lua_newtable(L); /* cols: where each cell starts on the row's line */
        int c = 0;
        for (const struct gw_node *cell = row->first; cell; cell = cell->next) {
            lua_pushstring(L, cell->text);
            lua_rawseti(L, -3, ++c);
            lua_pushinteger(L, cell->span.col);
            lua_rawseti(L, -2, c);
        }
        lua_setfield(L, -2, "cols");
        lua_pushinteger(L, row->first ? row->first->span.line : t->span.line);
        lua_setfield(L, -2, "line");
        lua_rawseti(L, -2, ++r);
    }
    lua_setfield(L, -2, "rows");
    lua_pushinteger(L, head);
    lua_setfield(L, -2, "head");
}

/*
 * Fill the item table on the stack for a text node: kind "paragraph"
 * (abstract = true for 摘要), "heading" (level), "item" (marker) or
 * "footnote", and its text after join rules.
 */
static void push_text_item(struct gw_plug *p, const struct gw_node *n, const struct gw_buf *text)
{
    lua_State *L = p->L;
    const char *kind = n->type == GW_NODE_HEADING    ? "heading"
                       : n->type == GW_NODE_ITEM     ? "item"
                       : n->type == GW_NODE_FOOTNOTE ? "footnote"
                                                     : "paragraph";
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    lua_pushlstring(L, text->data, text->len);
    lua_setfield(L, -2, "text");
    if (n->type == GW_NODE_HEADING) {
        lua_pushinteger(L, n->level);
        lua_setfield(L, -2, "level");
    } else if (n->type == GW_NODE_ITEM) {
        lua_pushstring(L, n->key);
        lua_setfield(L, -2, "marker");
    } else if (n->type == GW_NODE_PARA && n->key) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "abstract");
    }
}

/* Push the `sec` table for a section: heading, line, col, file, paragraphs (after join rules). */
static void push_section(struct gw_plug *p, const struct gw_node *sec, const char **sets, int nsets)
{
    lua_State *L = p->L;
    lua_createtable(L, 0, 5);
    lua_pushstring(L, sec->text);
    lua_setfield(L, -2, "heading");
    lua_pushinteger(L, sec->span.line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, sec->span.col);
    lua_setfield(L, -2, "col");
    lua_pushstring(L, p->doc->file);
    lua_setfield(L, -2, "file");
    lua_pushboolean(L, sec->key != NULL); /* body text outside any 【】 */
    lua_setfield(L, -2, "implicit");
    lua_newtable(L);
    int k = 0;
    struct gw_buf text;
    gw_buf_init(&text);
    const struct gw_node *n = sec->first, *start, *end;
    while (gw_plug_next_paragraph(p, sets, nsets, &n, &text, &start, &end)) {
        lua_createtable(L, 0, 4);
        if (start->type == GW_NODE_TABLE) {
            push_table_item(p, start);
        } else if (start->type == GW_NODE_IMAGE) {
            lua_pushliteral(L, "image");
            lua_setfield(L, -2, "kind");
            lua_pushstring(L, start->text);
            lua_setfield(L, -2, "caption");
            lua_pushstring(L, start->key); /* as written: relative to the document's folder */
            lua_setfield(L, -2, "path");
        } else {
            push_text_item(p, start, &text);
        }
        lua_pushinteger(L, start->span.line);
        lua_setfield(L, -2, "line");
        lua_pushinteger(L, start->span.col);
        lua_setfield(L, -2, "col");
        lua_pushinteger(L, end->span.line);
        lua_setfield(L, -2, "end_line");
        lua_rawseti(L, -2, ++k);
    }
    gw_buf_free(&text);
    lua_setfield(L, -2, "paragraphs");
}

/* Push the header table: layout defaults overridden by the document's fields. */
static void push_header(struct gw_plug *p)
{
    lua_State *L = p->L;
    lua_newtable(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    gw_plug_field(L, -1, "header");
    if (lua_istable(L, -1))
        gw_plug_merge_into(L, -3, -1);
    lua_pop(L, 2);
    const char *sets[16];
    int nsets = gw_plug_header_sets(p, sets);
    for (const struct gw_node *n = p->doc->root->first; n; n = n->next) {
        if (n->type != GW_NODE_FIELD)
            continue;
        size_t len;
        p->cur = n->span;
        char *v = gw_plug_apply_rules(p, sets, nsets, n->text, n->len, &len);
        if (n != gw_doc_field(p->doc, n->key)) { /* a repeated key (签发): one value a line */
            lua_getfield(L, -1, n->key);
            lua_pushliteral(L, "\n");
            lua_pushlstring(L, v, len);
            lua_concat(L, 3);
        } else {
            lua_pushlstring(L, v, len);
        }
        lua_setfield(L, -2, n->key);
        free(v);
    }
}

static const char *header_value(struct gw_plug *p, int hdr, const char *key)
{
    const char *v = gw_plug_str_field(p->L, hdr, key, NULL);
    return v ? gw_arena_strdup(&p->doc->arena, v) : NULL;
}

/* }===================================================================== */

/* {===================== the build ===================================== */

/*
 * A 文件-family document's PDF title and author: its headline and first
 * 署名 (its 标题 is the headline, not a field), unless fields gave them.
 */
static void document_meta(struct gw_plug *p, struct gw_meta *meta)
{
    const struct gw_node *lf = gw_doc_field(p->doc, "版式");
    const struct gw_format *fmt = lf ? gw_format_find(lf->text, lf->len) : NULL;
    if (!fmt || !fmt->document)
        return;
    for (const struct gw_node *n = p->doc->root->first; n; n = n->next) {
        if (n->type == GW_NODE_HEADLINE && !meta->title)
            meta->title = n->text;
        else if (n->type == GW_NODE_SIGNATURE && !meta->author)
            meta->author = n->text;
    }
}

/*
 * The `out` and `m` objects. Each call that gets one (a section's build,
 * draw_masthead, draw_colophon) gets a new one, live until the call
 * returns: a plugin that keeps it and calls it later (in another section's
 * build) gets an error, not blocks in the wrong place or a build that has
 * ended. An object is a userdata holding its serial number.
 */
void gw_plug_push_object(struct gw_plug *p, const char *mt)
{
    uint64_t *serial = lua_newuserdatauv(p->L, sizeof(*serial), 0); /* obj */
    *serial = ++p->objects;
    p->live_object = *serial;
    luaL_setmetatable(p->L, mt);
}

struct gw_plug *gw_plug_check_object(lua_State *L, const char *mt, const char *name)
{
    const uint64_t *serial = luaL_checkudata(L, 1, mt);
    struct gw_plug *p = gw_plug_host(L);
    if (*serial != p->live_object)
        luaL_error(L, "this %s object is used after the call it was given to has returned", name);
    return p;
}

/*
 * Run the layout's function `name`(obj, arg, layout) if it has one, arg
 * being the value on the stack's top (popped).
 */
static int run_layout_with(struct gw_plug *p, const char *name, const char *mt)
{
    lua_State *L = p->L;
    int arg = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    gw_plug_field(L, -1, name);
    lua_remove(L, -2);
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 2);
        return 0;
    }
    gw_plug_push_object(p, mt);
    lua_pushvalue(L, arg);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    snprintf(p->what, sizeof p->what, "running the layout's %s", name);
    int rc = gw_plug_call(p, 3, 0);
    p->live_object = 0;
    lua_remove(L, arg);
    if (rc != LUA_OK) {
        gw_plug_report(p, rc);
        return -1;
    }
    return 0;
}

/* Run a layout function field `name`(obj, header) if the layout has one. */
static int run_layout_fn(struct gw_plug *p, const char *name, const char *mt, int hdr)
{
    lua_pushvalue(p->L, hdr);
    return run_layout_with(p, name, mt);
}

/* {===================== an article's head and close =================== */

/* Push {text=, line=, col=} for a node. */
static void push_line(lua_State *L, const struct gw_node *n, const char *kind)
{
    lua_createtable(L, 0, 4);
    lua_pushstring(L, n->text);
    lua_setfield(L, -2, "text");
    if (kind) {
        lua_pushstring(L, kind);
        lua_setfield(L, -2, "kind");
    }
    lua_pushinteger(L, n->span.line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, n->span.col);
    lua_setfield(L, -2, "col");
}

static bool is_head(const struct gw_node *n)
{
    return n->type == GW_NODE_HEADLINE || n->type == GW_NODE_SUBTITLE ||
           n->type == GW_NODE_SALUTATION;
}

static bool is_close(const struct gw_node *n)
{
    return n->type == GW_NODE_ATTACHMENT || n->type == GW_NODE_SIGNATURE ||
           n->type == GW_NODE_DATE || n->type == GW_NODE_NOTE;
}

/*
 * Push the article head `a` = { headline=, headline_lines={ {text=,line=,col=} },
 * subtitles={ {text=,kind=,line=,col=} }, salutation=, salutation_src={text=,line=,col=},
 * line=, col=, first= } from *np
 * on; *np moves past it. Headline lines one after another are one headline
 * broken where its writer broke it (headline: the first). A headline after
 * anything else, or a second salutation, starts the next head. first: the
 * body has no block yet (the head opens the text, right under the masthead).
 */
static void push_article_head(struct gw_plug *p, const struct gw_node **np)
{
    lua_State *L = p->L;
    const struct gw_node *n = *np;
    lua_createtable(L, 0, 7);
    lua_pushinteger(L, n->span.line);
    lua_setfield(L, -2, "line");
    lua_pushinteger(L, n->span.col);
    lua_setfield(L, -2, "col");
    lua_pushboolean(L, p->tail == &p->out->first);
    lua_setfield(L, -2, "first");
    lua_newtable(L); /* a headline_lines */
    lua_newtable(L); /* a headline_lines subtitles */
    int k = 0, h = 0;
    bool salutation = false;
    for (; n && is_head(n); n = n->next) {
        if (salutation || (n->type == GW_NODE_HEADLINE && k > 0))
            break; /* the salutation ends a head; a headline after its subtitles starts one */
        if (n->type == GW_NODE_SUBTITLE) {
            push_line(L, n, n->key);
            lua_rawseti(L, -2, ++k);
        } else if (n->type == GW_NODE_HEADLINE) {
            push_line(L, n, NULL);
            lua_rawseti(L, -3, ++h);
            if (h == 1) {
                lua_pushstring(L, n->text);
                lua_setfield(L, -4, "headline");
                lua_pushinteger(L, n->span.line);
                lua_setfield(L, -4, "headline_line");
            }
        } else {
            lua_pushstring(L, n->text);
            lua_setfield(L, -4, "salutation");
            push_line(L, n, NULL); /* a.salutation_src: where it was written */
            lua_setfield(L, -4, "salutation_src");
            salutation = true;
        }
    }
    lua_setfield(L, -3, "subtitles");
    lua_setfield(L, -2, "headline_lines");
    *np = n;
}

/* Push the close `c` = { attachments={…}, signatures={…}, date=, note=, line= } from *np on. */
static void push_closing(struct gw_plug *p, const struct gw_node **np)
{
    lua_State *L = p->L;
    const struct gw_node *n = *np;
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, n->span.line);
    lua_setfield(L, -2, "line");
    lua_newtable(L); /* c attachments */
    lua_newtable(L); /* c attachments signatures */
    int na = 0, ns = 0;
    for (; n && is_close(n); n = n->next) {
        if (n->type == GW_NODE_ATTACHMENT) {
            push_line(L, n, n->key);
            lua_rawseti(L, -3, ++na);
        } else if (n->type == GW_NODE_SIGNATURE) {
            push_line(L, n, NULL);
            lua_rawseti(L, -2, ++ns);
        } else {
            lua_pushstring(L, n->text);
            lua_setfield(L, -4, n->type == GW_NODE_DATE ? "date" : "note");
        }
    }
    lua_setfield(L, -3, "signatures");
    lua_setfield(L, -2, "attachments");
    *np = n;
}

/*
 * An article's head or close: the layout's draw_article_head or
 * draw_closing with a new `out`; a layout without one sets the lines as
 * plain paragraphs so that nothing is lost.
 */
static int build_article_part(struct gw_plug *p, const struct gw_node **np, int hdr)
{
    bool head = is_head(*np);
    const char *name = head ? "draw_article_head" : "draw_closing";
    const struct gw_node *start = *np;
    p->cur = start->span;
    p->cur_type = NULL;
    gw_plug_choose_sets(p);
    if (head)
        push_article_head(p, np);
    else
        push_closing(p, np);
    lua_pushvalue(p->L, hdr); /* a.header, c.header: the 文件 layouts' 印章, 签发人… */
    lua_setfield(p->L, -2, "header");
    lua_rawgeti(p->L, LUA_REGISTRYINDEX, p->layout_ref);
    gw_plug_field(p->L, -1, name);
    bool has = lua_isfunction(p->L, -1);
    lua_pop(p->L, 2);
    if (has)
        return run_layout_with(p, name, "gw.out");
    lua_pop(p->L, 1);
    gw_diag_error(p->diag, start->span,
                  "the layout has no %s for this %s (add it to the layout, or write the lines "
                  "as 正文：…)",
                  name, head ? "headline" : "closing");
    return -1;
}

/* }===================================================================== */

int gw_plug_build(struct gw_plug *p, struct gw_doc *doc, struct gw_fontset *fs,
                  struct gw_build *out, struct gw_feed *feed)
{
    lua_State *L = p->L;
    int top = lua_gettop(L);
    int rc = -1;
    memset(out, 0, sizeof(*out));
    p->doc = doc;
    p->fs = fs;
    p->out = out;
    gw_plug_forget_missing(p);
    if (gw_plug_use_layout(p, doc) < 0)
        goto out;
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    if (gw_plug_read_fonts(p, -1) < 0 || gw_plug_read_setup(p, -1, &out->setup) < 0 ||
        gw_plug_read_typeset(p, -1, &out->setup) < 0)
        goto out;
    lua_pop(L, 1);
    p->cur_type = NULL;
    gw_plug_choose_sets(p); /* the layout's rule sets, before the header's */
    push_header(p);
    int hdr = lua_gettop(L);
    out->meta.title = header_value(p, hdr, "标题");
    out->meta.author = header_value(p, hdr, "编发");
    out->meta.subject = header_value(p, hdr, "期号");
    out->meta.date = header_value(p, hdr, "日期");
    document_meta(p, &out->meta);
    p->tail = &out->first;
    p->cur = (struct gw_span){doc->file, 1, 1};
    p->cur_type = NULL;
    gw_plug_choose_sets(p);
    if (run_layout_fn(p, "draw_masthead", "gw.masthead", hdr) < 0)
        goto out;
    rc = 0;
    if (feed) { /* setup and masthead are final: a layout thread may start */
        p->feed = feed;
        p->feeding = true;
        gw_feed_open(feed);
    }
    for (const struct gw_node *sec = doc->root->first; sec;) {
        if (is_head(sec) || is_close(sec)) {
            if (build_article_part(p, &sec, hdr) < 0)
                rc = -1;
            continue;
        }
        if (sec->type != GW_NODE_SECTION) {
            sec = sec->next;
            continue;
        }
        const struct gw_section_type *t = gw_plug_choose_type(p, sec);
        if (!t) {
            gw_diag_error(p->diag, sec->span, "no section plugin for 【%s】 and no default one",
                          sec->text);
            rc = -1;
            sec = sec->next;
            continue;
        }
        p->cur_type = t;
        p->cur = sec->span;
        snprintf(p->what, sizeof p->what, "laying out section 【%s】", sec->text);
        gw_plug_choose_sets(p);
        lua_rawgeti(L, LUA_REGISTRYINDEX, t->ref);
        gw_plug_field(L, -1, "build");
        lua_remove(L, -2);
        push_section(p, sec, p->active, p->nactive);
        gw_plug_push_object(p, "gw.out");
        int lrc = gw_plug_call(p, 2, 0);
        p->live_object = 0;
        if (lrc != LUA_OK) {
            gw_plug_report(p, lrc);
            rc = -1;
        }
        sec = sec->next;
    }
    p->cur_type = NULL;
    gw_plug_choose_sets(p);
    p->cur = (struct gw_span){doc->file, 1, 1};
    if (rc == 0 && run_layout_fn(p, "draw_end", "gw.out", hdr) < 0) /* after the body: 纪要's 出席… */
        rc = -1;
    /* out->last for callers that append */
    for (struct gw_block *b = out->first; b; b = b->next)
        out->last = b;
    p->feeding = false;
    p->tail = &out->colophon;
    p->cur = (struct gw_span){doc->file, 1, 1};
    if (run_layout_fn(p, "draw_colophon", "gw.out", hdr) < 0)
        rc = -1;
out:
    p->tail = NULL;
    p->feeding = false;
    p->feed = NULL;
    if (feed)
        gw_feed_close(feed, rc == 0);
    gw_plug_end_document(p);
    lua_settop(L, top);
    lua_gc(L, LUA_GCCOLLECT);
    return rc;
}

/* }===================================================================== */
