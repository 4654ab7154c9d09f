/*
 * gw_masthead: the `m` object a layout's draw_masthead places the masthead
 * with (m:text, m:rule, m:fit, m:body_from, m:pitch), and gw.text_width
 * (docs/plugin-api.md).
 *
 * Owns: measuring text in a role's fonts and the placed items (gw_placed)
 * of the page setup, in millimetres from the text block's corner. May call
 * gw_style (styles, roles, colours, alignment), gw_load (fields),
 * gw_fields (misspelt fields) and gw_fontset; raises Lua errors for bad
 * arguments.
 */
#include "gw_plug_int.h"

#include <math.h>

#include <lauxlib.h>
#include <lua.h>

#include "../util/gw_utf8.h"
#include "gw_fields.h"

/* The fields m:text and m:rule take (docs/layouts.md § draw_masthead). */
static const char *const text_fields[] = {"text", "style", "role", "size",  "color", "bold",
                                          "italic", "align", "top", "left", "width", NULL};
static const char *const rule_fields[] = {"top", "thickness", "color", "left", "width", NULL};

/*
 * The width in points of s in role's fonts at size (gw_plug_int.h). With
 * grid, characters are measured as layout/gw_atoms.c sets them in a line:
 * Latin letters and digits in the layout's Latin role if it has one, a
 * full-width character (advance of 0.9 em or more) scaled to the grid's
 * cell, controls and zero-width marks taking no room; no compression or
 * justification (those depend on where the line ends).
 */
double gw_plug_text_width(struct gw_plug *p, const char *s, size_t len, int role, double size,
                          bool grid)
{
    const struct gw_page_setup *ps = grid ? &p->out->setup : NULL; /* (no setup in check) */
    double scale = grid ? ps->width / ps->chars / ps->body_size : 1;
    double w = 0;
    size_t i = 0;
    while (i < len) {
        int32_t cp = gw_utf8_next(s, len, &i);
        if (cp < 0)
            continue;
        if (grid && cp == '\t')
            cp = ' ';
        if (grid && (cp < 0x20 || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 ||
                     cp == 0xFEFF || (cp >= 0x202A && cp <= 0x202E)))
            continue;
        uint32_t gid;
        int f = -1;
        if (ps && ps->latin_role >= 0 && cp < 0x250 && cp > 0x20)
            f = gw_fontset_pick_own(p->fs, ps->latin_role, (uint32_t)cp, &gid);
        if (f < 0)
            f = gw_fontset_pick(p->fs, role, (uint32_t)cp, &gid);
        double adv = f >= 0 ? gw_font_advance(p->fs->fonts[f], gid) : 1;
        if (grid && cp == 0x3000)
            adv = 1; /* the ideographic space: one cell */
        w += adv * size * (adv >= 0.9 && cp != ' ' ? scale : 1);
    }
    return w;
}

/* gw.text_width(text, role, size) -> pt */
int gw_lua_text_width(lua_State *L)
{
    struct gw_plug *p = gw_plug_host(L);
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    if (!p->fs)
        return luaL_error(L, "gw.text_width is only available while building");
    int role = gw_plug_role(p, luaL_checkstring(L, 2)); /* (waits for the fonts) */
    luaL_checknumber(L, 3);
    double size = gw_plug_check_num(L, 3, NULL, 0, GW_RANGE_SIZE, "gw.text_width(size)");
    lua_pushnumber(L, gw_plug_text_width(p, s, len, role, size, false));
    return 1;
}

/* The host, for an `m` method (argument 1 must be the masthead object). */
static struct gw_plug *check_m(lua_State *L)
{
    return gw_plug_check_object(L, "gw.masthead", "m");
}

/* Append pl to the end of the page setup's placed items. */
static void add_placed(struct gw_plug *p, struct gw_placed *pl)
{
    struct gw_placed **t = &p->out->setup.placed;
    while (*t)
        t = &(*t)->next;
    *t = pl;
}

/*
 * The box of a masthead item: left, top (mm from the text block's corner)
 * and width (mm), each checked to keep the item's corner on the page.
 */
static void place(lua_State *L, const struct gw_page_setup *ps, struct gw_placed *pl,
                  const char *what)
{
    double x = gw_plug_check_num(L, 2, "left", 0,
                                 (struct gw_range){-ps->left / GW_MM, (ps->page_w - ps->left) / GW_MM,
                                                   false, "mm from the text block's left edge"},
                                 what);
    double y = gw_plug_check_num(L, 2, "top", 0,
                                 (struct gw_range){-ps->top / GW_MM, (ps->page_h - ps->top) / GW_MM,
                                                   false, "mm from the text block's top"},
                                 what);
    double w = gw_plug_check_num(L, 2, "width", ps->width / GW_MM,
                                 (struct gw_range){0, ps->page_w / GW_MM, false, "mm"}, what);
    pl->x = ps->left + x * GW_MM;
    pl->y = ps->top + y * GW_MM;
    pl->width = w * GW_MM;
}

/*
 * A masthead line wider than its box would run off the page and lose its
 * characters: an error naming the header field it shows (the first whose
 * value it holds), else the document.
 */
static void check_fits(lua_State *L, struct gw_plug *p, const struct gw_placed *pl)
{
    const struct gw_run *r = &pl->run;
    double w = gw_plug_text_width(p, r->text, r->len, r->role, r->size, false);
    if (w <= pl->width + 0.5)
        return;
    const struct gw_node *field = NULL;
    for (const struct gw_node *n = p->doc->root->first; n && !field; n = n->next)
        if (n->type == GW_NODE_FIELD && n->len && strstr(r->text, n->text))
            field = n;
    gw_diag_error(p->diag, field ? field->span : p->cur,
                  "the masthead line%s%s is %.0f mm wide at %g pt, but its box is %.0f mm: "
                  "shorten it%s",
                  field ? " " : "", field ? field->key : "", w / GW_MM, r->size,
                  pl->width / GW_MM,
                  field && !strcmp(field->key, "标题") ? " (a space splits the title into lines)"
                                                       : "");
    gw_plug_error_said(L);
}

/* m:text{text=, style= | role=, size=, color=, align=, top=mm, left=mm, width=mm} */
static int l_m_text(lua_State *L)
{
    struct gw_plug *p = check_m(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    gw_fields_check(L, 2, text_fields, false, "m:text");
    const struct gw_page_setup *ps = &p->out->setup;
    const char *sn = gw_plug_str_field(L, 2, "style", NULL);
    struct gw_style st = sn ? gw_plug_style(p, sn, NULL)
                         : (struct gw_style){.role = -1, .size = ps->body_size};
    const char *role = gw_plug_str_field(L, 2, "role", NULL);
    if (role)
        st.role = gw_plug_role(p, role);
    if (st.role < 0)
        st.role = gw_plug_role(p, "fangsong");
    st.size = gw_plug_check_num(L, 2, "size", st.size, GW_RANGE_SIZE, "m:text");
    const char *color = gw_plug_str_field(L, 2, "color", NULL);
    if (color)
        st.color = gw_plug_check_color(L, color);
    size_t len;
    gw_plug_field(L, 2, "text");
    const char *text = lua_tolstring(L, -1, &len);
    if (!text)
        return luaL_error(L, "m:text needs a text field");
    gw_plug_check_mem(L, len + sizeof(struct gw_placed));
    struct gw_placed *pl = gw_arena_alloc(&p->doc->arena, sizeof(*pl));
    if (len > GW_MAX_PARA_CHARS && gw_utf8_count(text, len) > GW_MAX_PARA_CHARS)
        return luaL_error(L, "m:text: the text is longer than %d characters", GW_MAX_PARA_CHARS);
    pl->run = (struct gw_run){gw_arena_strndup(&p->doc->arena, text, len), len, st.role, st.size,
                              st.color, gw_plug_bool_field(L, 2, "bold", st.bold),
                              gw_plug_bool_field(L, 2, "italic", st.italic), p->cur};
    lua_pop(L, 1);
    place(L, ps, pl, "m:text");
    check_fits(L, p, pl);
    gw_plug_field(L, 2, "align");
    pl->align = gw_plug_check_align(L, -1, GW_ALIGN_CENTER, "m:text");
    lua_pop(L, 1); /* justify: spread over the box (分散对齐, gw_placed.c) */
    add_placed(p, pl);
    return 0;
}

/* m:rule{top=mm, thickness=pt, color=, left=mm, width=mm} */
static int l_m_rule(lua_State *L)
{
    struct gw_plug *p = check_m(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    gw_fields_check(L, 2, rule_fields, false, "m:rule");
    const struct gw_page_setup *ps = &p->out->setup;
    struct gw_placed *pl = gw_arena_alloc(&p->doc->arena, sizeof(*pl));
    pl->is_rule = true;
    place(L, ps, pl, "m:rule");
    pl->thickness = gw_plug_check_num(L, 2, "thickness", 1, GW_RANGE_RULE, "m:rule");
    pl->color = gw_plug_check_color(L, gw_plug_str_field(L, 2, "color", "#000000"));
    add_placed(p, pl);
    return 0;
}

/* m:fit(text, role, max_size [, width_mm]) -> the largest size <= max_size that fits */
static int l_m_fit(lua_State *L)
{
    struct gw_plug *p = check_m(L);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    int role = gw_plug_role(p, luaL_checkstring(L, 3));
    luaL_checknumber(L, 4);
    double max = gw_plug_check_num(L, 4, NULL, 0, GW_RANGE_SIZE, "m:fit(max_size)");
    double width = gw_plug_check_num(L, 5, NULL, p->out->setup.width / GW_MM,
                                     (struct gw_range){1, p->out->setup.page_w / GW_MM, false, "mm"},
                                     "m:fit(width)") *
                   GW_MM;
    double w = gw_plug_text_width(p, s, len, role, max, false);
    double fit = w <= width || w <= 0 ? max : floor(max * width / w * 10) / 10;
    lua_pushnumber(L, fit < 1 ? 1 : fit); /* (the smallest size m:text takes) */
    return 1;
}

/* m:body_from(mm): the body starts on the first grid line at or below mm from the block top */
static int l_m_body_from(lua_State *L)
{
    struct gw_plug *p = check_m(L);
    struct gw_page_setup *ps = &p->out->setup;
    double pitch = ps->height / ps->lines;
    double mm = luaL_checknumber(L, 2);
    if (!(mm >= -1 && mm * GW_MM <= ps->height)) /* (and NaN) */
        return luaL_argerror(L, 2, "outside the text block");
    int line = (int)ceil(mm * GW_MM / pitch - 1e-6);
    if (line < 0 || line >= ps->lines)
        return luaL_argerror(L, 2, "outside the text block");
    ps->first_line = line;
    return 0;
}

/* m:pitch() -> grid line pitch in mm */
static int l_m_pitch(lua_State *L)
{
    struct gw_plug *p = check_m(L);
    lua_pushnumber(L, p->out->setup.height / p->out->setup.lines / GW_MM);
    return 1;
}

void gw_plug_open_masthead(lua_State *L)
{
    static const luaL_Reg mast_m[] = {{"body_from", l_m_body_from}, {"fit", l_m_fit},
                                      {"pitch", l_m_pitch},         {"rule", l_m_rule},
                                      {"text", l_m_text},           {NULL, NULL}};
    gw_plug_object_type(L, "gw.masthead", mast_m);
}
