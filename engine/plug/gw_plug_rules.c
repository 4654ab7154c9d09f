/*
 * gw_plug_rules: running rule sets for the plugin host (see gw_plug_int.h).
 *
 * The rules themselves run in engine/rules/ (gw_ruleset.h), which cannot
 * call Lua; this file is the host's side of them. Owns: the callback that
 * runs a rule's Lua replacement function, applying text rules by the
 * host's mode and position, which rule sets are in force (a section
 * plugin's own, else the layout's; the header's), the paragraphs of a
 * section after drop and join rules, and gw.rules. May call gw_ruleset,
 * gw_sandbox (gw_plug_call, gw_plug_report) and gw_load (loading sets).
 */
#include "gw_plug_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "../read/gw_read.h"
#include "../util/gw_buf.h"
#include "../util/gw_utf8.h"

/* What a Lua replacement function returns for a match (appended to out); 1, 0 (keep) or -1. */
static int call_replace_fn(void *ud, const struct gw_ruleset *rs, const struct gw_rule *ru,
                           const char *s, const size_t *ov, int groups, struct gw_buf *out)
{
    struct gw_plug *p = ud;
    lua_State *L = p->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, ru->fn); /* fn */
    lua_createtable(L, groups, 1);             /* fn m */
    for (int g = 0; g <= groups; g++) {
        if (ov[2 * g] == (size_t)-1)
            lua_pushboolean(L, 0);
        else
            lua_pushlstring(L, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
        lua_rawseti(L, -2, g);
    }
    char saved[sizeof p->what];
    memcpy(saved, p->what, sizeof saved);
    snprintf(p->what, sizeof p->what, "running rule %s", ru->id);
    int rc = gw_plug_call(p, 1, 1); /* result */
    memcpy(p->what, saved, sizeof saved);
    if (rc != LUA_OK) {
        gw_plug_report(p, rc);
        return -1;
    }
    size_t len;
    const char *res = lua_isstring(L, -1) ? lua_tolstring(L, -1, &len) : NULL;
    if (res && gw_utf8_check(res, len) != len) {
        struct gw_span where = {rs->file, ru->line, 0};
        gw_diag_error(p->diag, where, "rule %s: its function returned invalid UTF-8", ru->id);
        res = NULL;
    }
    if (res)
        gw_buf_add(out, res, len);
    lua_pop(L, 1);
    return res ? 1 : 0;
}

/*
 * Run the text rules of the named sets over s (p->cur is where s starts in
 * the input), by p->mode (gw_ruleset_apply). Returns a malloc'd string.
 */
char *gw_plug_apply_rules(struct gw_plug *p, const char *const *sets, int nsets, const char *s,
                          size_t len, size_t *outlen)
{
    struct gw_ruleset_env env = {
        .sets = &p->sets,
        .mode = p->mode,
        .cur = &p->cur,
        .protect = p->protect,
        .lead_in = p->in_caption ? p->caption_label
                   : p->cur_type ? p->cur_type->lead_in
                                 : NULL,
        .diag = p->diag,
        .findings = &p->findings,
        .call = call_replace_fn,
        .ud = p,
        .max_len = gw_plug_mem_room(p),
    };
    return gw_ruleset_apply(&env, sets, nsets, s, len, outlen);
}

/*
 * Choose the rule sets for what is built next: the current section plugin's
 * `rules` if it has that field, else the layout's. Called once per section.
 */
void gw_plug_choose_sets(struct gw_plug *p)
{
    lua_State *L = p->L;
    p->nactive = 0;
    if (p->cur_type) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, p->cur_type->ref);
        gw_plug_field(L, -1, "rules");
        bool has = lua_istable(L, -1);
        lua_pop(L, 1);
        if (has)
            p->nactive = gw_plug_collect_sets(p, -1, "rules", p->active, 16);
        lua_pop(L, 1);
        if (has)
            return;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    p->nactive = gw_plug_collect_sets(p, -1, "rules", p->active, 16);
    lua_pop(L, 1);
}

/* The header rule sets of the layout (after gw_plug_use_layout). */
int gw_plug_header_sets(struct gw_plug *p, const char **sets)
{
    lua_rawgeti(p->L, LUA_REGISTRYINDEX, p->layout_ref);
    int n = gw_plug_collect_sets(p, -1, "header_rules", sets, 16);
    lua_pop(p->L, 1);
    return n;
}

/* n, or the first node after it that is not a paragraph a drop rule matches. */
const struct gw_node *gw_plug_skip_dropped(struct gw_plug *p, const char *const *sets, int nsets,
                                           const struct gw_node *n)
{
    while (n && n->type == GW_NODE_PARA &&
           gw_ruleset_drops(&p->sets, sets, nsets, n->text, n->len))
        n = n->next;
    return n;
}

/*
 * Whether a join rule may carry n on into the next paragraph: a paragraph,
 * an item or a footnote broken by a PDF copy. Only paragraphs are pulled in.
 */
bool gw_plug_joins(const struct gw_node *n)
{
    /* an attachment's title, after 】 on its heading's line (【附件1】title): whole */
    const struct gw_node *sec = n->parent;
    if (sec && sec->type == GW_NODE_SECTION && !sec->key && n->span.line == sec->span.line &&
        gw_read_is_attachment_name(sec->text, sec->len))
        return false;
    return n->type == GW_NODE_PARA || n->type == GW_NODE_ITEM || n->type == GW_NODE_FOOTNOTE;
}

/*
 * The next paragraph of a section as the rules see it: paragraphs a drop rule
 * matches are skipped, and one a join rule says continues is joined with the
 * next. *np walks the section's nodes; text gets the paragraph, *first and
 * *last its first and last input nodes. Returns false at the section's end.
 */
bool gw_plug_next_paragraph(struct gw_plug *p, const char *const *sets, int nsets,
                            const struct gw_node **np, struct gw_buf *text,
                            const struct gw_node **first, const struct gw_node **last)
{
    const struct gw_node *n = gw_plug_skip_dropped(p, sets, nsets, *np);
    if (!n) {
        *np = NULL;
        return false;
    }
    text->len = 0;
    gw_buf_add(text, n->text, n->len);
    *first = n;
    if (!gw_plug_joins(n)) { /* a table, an image, a heading: an item of its own */
        *last = n;
        *np = n->next;
        return true;
    }
    while (gw_ruleset_join(&p->sets, sets, nsets, text->data, text->len)) {
        const struct gw_node *m = gw_plug_skip_dropped(p, sets, nsets, n->next);
        if (!m || m->type != GW_NODE_PARA)
            break;
        n = m;
        gw_buf_add(text, n->text, n->len);
    }
    *last = n;
    *np = n->next;
    return true;
}

/* gw.rules(text, {set, ...}) -> text after the sets' text rules */
int gw_lua_rules(lua_State *L)
{
    struct gw_plug *p = gw_plug_host(L);
    size_t len;
    const char *s = gw_plug_check_utf8(L, 1, &len);
    luaL_checktype(L, 2, LUA_TTABLE);
    const char *sets[16];
    int n = 0;
    for (int i = 1; i <= (int)lua_rawlen(L, 2) && n < 16; i++) {
        lua_rawgeti(L, 2, i);
        const char *name = luaL_checkstring(L, -1);
        if (gw_plug_load_ruleset(p, name) < 0)
            return luaL_error(L, "no usable rule set '%s'", name);
        sets[n++] = gw_ruleset_find(&p->sets, name)->name;
        lua_pop(L, 1);
    }
    size_t olen;
    char *out = gw_plug_apply_rules(p, sets, n, s, len, &olen);
    lua_pushlstring(L, out, olen);
    free(out);
    return 1;
}
