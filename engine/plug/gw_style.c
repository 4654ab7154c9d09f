/*
 * gw_style: styles, page setup and the layout's fonts (see gw_plug_int.h).
 *
 * Owns: resolving a style of the layout's `styles` table (its fields
 * checked, its role's font found; answers kept for the build), colours and
 * alignment as plugins write them, the page setup the layout's `page`,
 * `grid`, `page_number` and `typeset` tables make, and handing the
 * layout's `fonts` table to the font thread (gw_fontload.h). May call
 * gw_load (reading fields), gw_fontset and gw_fontload; raises Lua errors
 * for bad styles, colours and roles (its callers run inside gw_plug_call).
 */
#include "gw_plug_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "../font/gw_fontload.h"
#include "../util/gw_buf.h"
#include "../util/gw_utf8.h"

/* {===================== styles ======================================== */

/* The fields a style may have (docs/plugin-api.md § Styles). */
static const char *const style_fields[] = {"role",   "size",  "color", "bold", "italic",
                                           "indent", "align", "keep",  NULL};

bool gw_plug_is_style_field(const char *key)
{
    for (int i = 0; style_fields[i]; i++)
        if (!strcmp(key, style_fields[i]))
            return true;
    return false;
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
    if (p->fonts_pending) /* Lua may ask while the fonts still open; their result is read later */
        gw_fontload_finish(p->fonts_pending);
    int r = gw_fontset_role(p->fs, name);
    if (r < 0 || gw_fontset_primary(p->fs, r) < 0)
        luaL_error(p->L, "font role '%s' has no installed font (see `gongwen fonts`)", name);
    return r;
}

/*
 * Resolve style `name` from the layout's styles table, on top of `base`
 * (a paragraph style for a run). Raises a Lua error for an unknown style.
 */
static struct gw_style resolve_style(struct gw_plug *p, const char *name,
                                     const struct gw_style *base)
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
                          "italic indent align keep)",
                       name, bad);
        }
        lua_pop(L, 1);
    }
    const char *role = gw_plug_str_field(L, -1, "role", NULL);
    if (role)
        s.role = gw_plug_role(p, role);
    s.size = gw_plug_num_field(L, -1, "size", s.size);
    lua_getfield(L, -1, "color");
    if (lua_isstring(L, -1))
        s.color = gw_plug_check_color(L, lua_tostring(L, -1));
    lua_pop(L, 1);
    s.bold = gw_plug_bool_field(L, -1, "bold", s.bold);
    s.italic = gw_plug_bool_field(L, -1, "italic", s.italic);
    s.indent = gw_plug_num_field(L, -1, "indent", s.indent);
    s.align = gw_plug_parse_align(gw_plug_str_field(L, -1, "align", NULL), s.align);
    s.keep = (int)gw_plug_num_field(L, -1, "keep", s.keep);
    lua_pop(L, 3);
    if (s.role < 0)
        s.role = gw_plug_role(p, "fangsong");
    return s;
}

/*
 * gw_plug_style reads the layout's table, checks every field's name and finds
 * the role's fonts: a few thousand instructions, for one of a handful of
 * styles, on every paragraph and styled run. Its answers for this build
 * are kept (the layout does not change during a build); a style that
 * raises an error is not, so the error comes every time.
 */
#define STYLE_MEMO 16

struct style_memo {
    char name[32];
    bool has_base;
    struct gw_style base, style;
};

static bool same_style(const struct gw_style *a, const struct gw_style *b)
{
    return a->role == b->role && a->size == b->size && a->color == b->color && a->bold == b->bold &&
           a->italic == b->italic && a->indent == b->indent && a->align == b->align &&
           a->keep == b->keep;
}

struct gw_style gw_plug_style(struct gw_plug *p, const char *name, const struct gw_style *base)
{
    size_t len = strlen(name);
    for (int i = 0; i < p->nmemo; i++) {
        const struct style_memo *m = &p->memo[i];
        if (!strcmp(m->name, name) && m->has_base == (base != NULL) &&
            (!base || same_style(&m->base, base)))
            return m->style;
    }
    struct gw_style s = resolve_style(p, name, base);
    if (len < sizeof p->memo[0].name &&
        (p->memo || (p->memo = calloc(STYLE_MEMO, sizeof *p->memo)))) {
        struct style_memo *m =
            &p->memo[p->nmemo < STYLE_MEMO ? p->nmemo++ : (int)(len % STYLE_MEMO)];
        memcpy(m->name, name, len + 1);
        m->has_base = base != NULL;
        if (base)
            m->base = *base;
        m->style = s;
    }
    return s;
}

/* }===================================================================== */

/* {===================== page setup ==================================== */

/* Fill the page setup from the merged layout table at idx. */
int gw_plug_read_setup(struct gw_plug *p, int idx, struct gw_page_setup *ps)
{
    lua_State *L = p->L;
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, "page");
    int t = lua_absindex(L, -1);
    ps->page_w = gw_plug_num_field(L, t, "width", 210) * GW_MM;
    ps->page_h = gw_plug_num_field(L, t, "height", 297) * GW_MM;
    ps->top = gw_plug_num_field(L, t, "top", 37) * GW_MM;
    ps->left = gw_plug_num_field(L, t, "left", 28) * GW_MM;
    ps->width = gw_plug_num_field(L, t, "text_width", 156) * GW_MM;
    ps->height = gw_plug_num_field(L, t, "text_height", 225) * GW_MM;
    lua_pop(L, 1);
    lua_getfield(L, idx, "grid");
    t = lua_absindex(L, -1);
    ps->lines = (int)gw_plug_num_field(L, t, "lines", 22);
    ps->chars = (int)gw_plug_num_field(L, t, "chars", 28);
    ps->body_size = gw_plug_num_field(L, t, "size", 16);
    ps->widow = (int)gw_plug_num_field(L, t, "widow", 2);
    ps->orphan = (int)gw_plug_num_field(L, t, "orphan", 2);
    lua_pop(L, 1);
    lua_getfield(L, idx, "page_number");
    t = lua_absindex(L, -1);
    const char *pos = gw_plug_str_field(L, t, "position", "outer");
    ps->num_pos = !strcmp(pos, "none") ? GW_NUM_NONE
                  : !strcmp(pos, "center") ? GW_NUM_CENTER : GW_NUM_OUTER;
    ps->num_format = gw_arena_strdup(&p->doc->arena, gw_plug_str_field(L, t, "format", "— %d —"));
    ps->num_size = gw_plug_num_field(L, t, "size", 14);
    ps->num_below = gw_plug_num_field(L, t, "below", 7) * GW_MM;
    ps->num_inset = gw_plug_num_field(L, t, "inset", 1) * ps->num_size;
    ps->num_first = gw_plug_bool_field(L, t, "first_page", true);
    ps->colophon_even = gw_plug_bool_field(L, idx, "colophon_even_page", false);

    const char *role = gw_plug_str_field(L, t, "role", "song");
    ps->num_role = gw_fontset_role(p->fs, role);
    lua_pop(L, 1);
    if (ps->num_pos != GW_NUM_NONE && gw_fontset_primary(p->fs, ps->num_role) < 0) {
        gw_diag_error(p->diag, gw_span_file(NULL), "page-number font role '%s' has no font", role);
        return -1;
    }
    int n = 0;
    for (const char *c = ps->num_format; *c; c++)
        if (*c == '%')
            n += c[1] == 'd' ? 1 : (c[1] == '%' ? (c++, 0) : 99);
    if (n != 1) {
        gw_diag_error(p->diag, gw_span_file(NULL),
                      "page_number.format must contain one %%d and no other %% directive");
        return -1;
    }
    return 0;
}

/* The layout's `typeset` table: kinsoku, punctuation preset, spacing, Latin role. */
int gw_plug_read_typeset(struct gw_plug *p, int idx, struct gw_page_setup *ps)
{
    lua_State *L = p->L;
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, "typeset");
    int t = lua_absindex(L, -1);
    const char *k = gw_plug_str_field(L, t, "kinsoku", "gb");
    const char *pu = gw_plug_str_field(L, t, "punctuation", "quanjiao");
    ps->kinsoku = !strcmp(k, "basic") ? 0 : !strcmp(k, "strict") ? 2 : 1;
    ps->punct_style = !strcmp(pu, "banjiao") ? 1 : !strcmp(pu, "kaiming") ? 2 : 0;
    ps->trim_start = gw_plug_bool_field(L, t, "trim_line_start", false);
    ps->cjk_latin = gw_plug_num_field(L, t, "cjk_latin_spacing", 0);
    ps->avoid_runt = gw_plug_bool_field(L, t, "avoid_single_char_last_line", true);
    const char *latin = gw_plug_str_field(L, t, "latin_role", NULL);
    ps->latin_role = latin ? gw_fontset_role(p->fs, latin) : -1;
    bool bad = (strcmp(k, "basic") && strcmp(k, "gb") && strcmp(k, "strict")) ||
               (strcmp(pu, "quanjiao") && strcmp(pu, "banjiao") && strcmp(pu, "kaiming"));
    lua_pop(L, 1);
    if (bad) {
        gw_diag_error(p->diag, gw_span_file(NULL),
                      "typeset.kinsoku must be basic, gb or strict and typeset.punctuation "
                      "quanjiao, banjiao or kaiming");
        return -1;
    }
    if (latin && gw_fontset_primary(p->fs, ps->latin_role) < 0) {
        gw_diag_error(p->diag, gw_span_file(NULL), "typeset.latin_role '%s' has no font", latin);
        return -1;
    }
    return 0;
}

/* }===================================================================== */

/* {===================== the layout's fonts ============================ */

/*
 * The fonts a layout names open on their own thread (gw_fontload.h): the
 * role map from the start of the build, the layout's own `fonts` table once
 * read from Lua (font_roles) and handed over.
 */

/* Hand fl the layout's file, its body text's role and its `fonts` table (layout at idx). */
void gw_plug_font_roles(struct gw_plug *p, int idx, struct gw_fontload *fl)
{
    lua_State *L = p->L;
    idx = lua_absindex(L, idx);
    const char *file = gw_plug_str_field(L, idx, "_file", NULL);
    const char *body = NULL;
    lua_getfield(L, idx, "styles");
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "body");
        body = lua_istable(L, -1) ? gw_plug_str_field(L, -1, "role", NULL) : NULL;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    gw_fontload_layout(fl, file, body); /* (the layout table still holds both strings) */
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
                gw_fontload_add_role(fl, lua_tostring(L, -2), list.data ? list.data : "");
                gw_buf_free(&list);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

/*
 * Collect in cps the distinct BMP code points of n's text and its
 * children's, in the first *budget bytes (a long document's first pages
 * hold nearly all the characters it uses).
 */
static void collect_cps(const struct gw_node *n, uint64_t *seen, uint32_t *cps, size_t *ncps,
                        size_t *budget)
{
    for (; n && *budget; n = n->next) {
        *budget = *budget > n->len ? *budget - n->len : 0;
        for (size_t i = 0; n->text && i < n->len;) {
            int32_t cp = gw_utf8_next(n->text, n->len, &i);
            if (cp >= 0 && cp < 0x10000 && !(seen[cp >> 6] >> (cp & 63) & 1)) {
                seen[cp >> 6] |= (uint64_t)1 << (cp & 63);
                cps[(*ncps)++] = (uint32_t)cp;
            }
        }
        collect_cps(n->first, seen, cps, ncps, budget);
    }
}

/* gw_fontload_chars for a document: the characters of its first 256 KiB. */
static size_t doc_chars(const void *ud, uint64_t *seen, uint32_t *cps)
{
    const struct gw_doc *doc = ud;
    size_t ncps = 0, budget = 256 * 1024;
    collect_cps(doc->root, seen, cps, &ncps, &budget);
    return ncps;
}

/* Start opening the fonts of p's fonts folder (and the layout's, once handed) for doc. */
void gw_plug_fonts_start(struct gw_plug *p, const struct gw_doc *doc, struct gw_fontload *fl)
{
    char path[4096];
    const char *map = NULL;
    if (p->fonts_dir) {
        snprintf(path, sizeof path, "%s/roles.conf", p->fonts_dir);
        if (gw_plug_file_exists(path))
            map = path;
    }
    gw_fontload_start(fl, p->fs, p->diag, map, p->workers, doc_chars, doc);
}

/* }===================================================================== */
