/*
 * gw_blocks: the `out` object a section plugin builds with (out:paragraph,
 * out:heading, out:footnote, out:table, out:image, out:block, out:space,
 * out:rule, out:page_break, out:keep, out:width; docs/plugin-api.md).
 *
 * Owns: turning plugin content into gw_block records in the document's
 * arena (styled runs with **bold** markup and text rules applied, tables,
 * images), appending them where the build points (body or colophon, and the
 * layout thread's feed), and the current position a plugin's `src` option
 * gives. May call gw_style (styles, colours), gw_plug_rules (text and
 * heading rules), gw_load (fields), gw_fields (misspelt fields), gw_image
 * and gw_feed; raises Lua errors for bad arguments, a misspelt field among
 * them (docs/plugin-api.md § The out object lists each call's fields).
 */

#include "gw_plug_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "../util/gw_buf.h"
#include "../util/gw_image.h"
#include "../util/gw_utf8.h"
#include "gw_fields.h"

/* The fields of each table an out:* call takes (docs/plugin-api.md). */
static const char *const para_fields[] = {"style",   "src",          "line",    "col",
                                          "indent",  "hanging",      "right_indent", "balance",
                                          "align",   "same_line",    "seal",    "middle", "keep", NULL};
static const char *const seal_fields[] = {"path", "width", "height", "raise", "right",
                                          "beside", "field", NULL};
static const char *const keep_fields[] = {"squeeze", NULL};
static const char *const piece_fields[] = {"text", "style", "bold", "italic", NULL};
static const char *const table_fields[] = {"rows", "head", "align", "caption", "widths", "src",
                                           "line", "col",  "kind",  "end_line", NULL};
static const char *const pos_fields[] = {"src", "line", "col", NULL};
static const char *const row_fields[] = {"line", "col", "cols", "src", NULL};
static const char *const image_fields[] = {"path", "caption", "src", "line",
                                           "col",  "kind",    "end_line", NULL};
static const char *const rule_fields[] = {"thickness", "color", "lines", NULL};
static const char *const kinds[] = {"paragraph", "table", "image", NULL};

/* Append b where out:* appends now (body or colophon); a body block also goes to the feed. */
static void append_block(struct gw_plug *p, struct gw_block *b)
{
    if (!p->tail)
        return;
    *p->tail = b;
    p->tail = &b->next;
    if (p->feeding)
        gw_feed_push(p->feed, b);
}

/* A new block of type at the current position (kept together inside out:keep). */
static struct gw_block *new_block(struct gw_plug *p, enum gw_block_type type)
{
    struct gw_block *b = gw_arena_alloc(&p->doc->arena, sizeof(*b));
    b->type = type;
    b->src = p->cur;
    b->keep_together = p->keep_depth > 0;
    b->squeeze = p->keep_depth > 0 ? p->keep_squeeze : 0;
    b->text = p->cur_type != NULL; /* a section plugin's, not a head's or close's */
    return b;
}

/*
 * Append runs for text with **bold** markup to the run array; an unbalanced
 * ** stays literal with a warning.
 */
static void add_marked_runs(struct gw_plug *p, const char *text, size_t len,
                            const struct gw_style *st, struct gw_run **runs, int *nruns, int *cap)
{
    int markers = 0;
    for (const char *s = text; (s = strstr(s, "**")) && s < text + len; s += 2)
        markers++;
    bool markup = markers % 2 == 0;
    if (!markup)
        gw_diag_warning(p->diag, p->cur, "unbalanced ** in the paragraph; the asterisks are kept");
    bool bold = false;
    size_t i = 0;
    while (i <= len) {
        const char *m = markup ? strstr(text + i, "**") : NULL;
        size_t end = (m && m < text + len) ? (size_t)(m - text) : len;
        if (end > i) {
            if (*nruns == *cap) {
                *cap *= 2;
                struct gw_run *nr = gw_arena_array(&p->doc->arena, (size_t)*cap, sizeof(*nr));
                memcpy(nr, *runs, sizeof(*nr) * (size_t)*nruns);
                *runs = nr;
            }
            struct gw_run *r = &(*runs)[(*nruns)++];
            r->text = gw_arena_strndup(&p->doc->arena, text + i, end - i);
            r->len = end - i;
            r->role = st->role;
            r->size = st->size;
            r->color = st->color;
            r->bold = st->bold || bold;
            r->italic = st->italic;
            r->src = p->cur;
            r->src.col += (int)gw_utf8_count(text, i);
        }
        if (end == len)
            break;
        bold = !bold;
        i = end + 2;
    }
}

/*
 * Push the text of piece i of content at idx (a string is its only piece; a
 * piece is a string or { text =, style =, bold =, italic = }) and return it;
 * *rs gets its style, resolved on top of st. Raises an error if it is not text.
 */
static const char *push_piece(struct gw_plug *p, int idx, int i, const struct gw_style *st,
                              struct gw_style *rs, size_t *len)
{
    lua_State *L = p->L;
    *rs = *st;
    if (lua_istable(L, idx))
        lua_rawgeti(L, idx, i); /* piece */
    else
        lua_pushvalue(L, idx); /* piece */
    if (lua_istable(L, -1)) {
        char what[64];
        snprintf(what, sizeof what, "paragraph content #%d", i);
        static const char *const from_style[] = {"color", "role", "size", NULL};
        const char *bad = gw_fields_unknown(L, -1, piece_fields, false);
        const char *near = bad && *bad ? gw_nearest(bad, from_style) : NULL;
        if (near)
            luaL_error(L, "%s: unknown field '%s' (a piece's %s comes from its style: "
                          "{ text = ..., style = NAME }, NAME a style with %s = ...)",
                       what, bad, near, near);
        gw_fields_check(L, -1, piece_fields, false, what);
        const char *sn = gw_plug_str_field(L, -1, "style", NULL);
        if (sn)
            *rs = gw_plug_style(p, sn, st);
        gw_plug_field(L, -1, "bold");
        if (lua_isboolean(L, -1))
            rs->bold = lua_toboolean(L, -1);
        lua_pop(L, 1);
        gw_plug_field(L, -1, "italic");
        if (lua_isboolean(L, -1))
            rs->italic = lua_toboolean(L, -1);
        lua_pop(L, 1);
        gw_plug_field(L, -1, "text"); /* piece text */
        lua_remove(L, -2);            /* text */
    }
    const char *text = lua_tolstring(L, -1, len);
    if (!text)
        luaL_error(L, "paragraph content #%d is a %s, not text", i, luaL_typename(L, -1));
    return text;
}

/*
 * Styled runs for content at idx: a string, or an array of strings and
 * { text =, style =, bold =, italic = } pieces; text rules (if rules) and
 * **bold** markup applied.
 */
static struct gw_text make_text(struct gw_plug *p, int idx, const struct gw_style *st, bool rules)
{
    lua_State *L = p->L;
    idx = lua_absindex(L, idx);
    int nsets = rules ? p->nactive : 0;
    struct gw_text t = {0};
    int cap = 4;
    t.runs = gw_arena_array(&p->doc->arena, (size_t)cap, sizeof(*t.runs));
    int n = lua_istable(L, idx) ? (int)lua_rawlen(L, idx) : 1;
    for (int i = 1; i <= n; i++) {
        struct gw_style rs;
        size_t len;
        const char *text = push_piece(p, idx, i, st, &rs, &len);
        if (gw_utf8_check(text, len) != len)
            luaL_error(L, "paragraph content #%d is not valid UTF-8", i);
        size_t olen;
        gw_plug_charge_text(p, len);
        char *norm = gw_plug_apply_rules(p, p->active, nsets, text, len, &olen);
        bool fits = gw_plug_engine_fits(p, olen + sizeof(struct gw_run)); /* 1e6 cells, too */
        if (fits)
            add_marked_runs(p, norm, olen, &rs, &t.runs, &t.nruns, &cap);
        free(norm);
        if (!fits)
            gw_plug_mem_error(L);
        lua_pop(L, 1);
    }
    return t;
}

/*
 * A table's or an image's caption (the value on top of the stack) in style
 * st: its label and the space after it ("表1 ") are its lead-in, which no
 * rule touches (gw_ruleset_caption_label_new). gw_plug_call puts the flag
 * back if an error unwinds past here.
 */
static struct gw_text make_caption(struct gw_plug *p, const struct gw_style *st)
{
    p->in_caption = true;
    struct gw_text t = make_text(p, -1, st, true);
    p->in_caption = false;
    return t;
}

/* A PARA block of the content at idx (as make_text) in style st. */
static struct gw_block *make_para(struct gw_plug *p, int idx, const struct gw_style *st, bool rules)
{
    struct gw_block *b = new_block(p, GW_BLOCK_PARA);
    struct gw_text t = make_text(p, idx, st, rules);
    b->runs = t.runs;
    b->nruns = t.nruns;
    b->indent = st->indent;
    b->hanging = st->hanging;
    b->right_indent = st->right_indent;
    b->balance = st->balance;
    b->align = st->align;
    b->keep_next = st->keep;
    return b;
}

/*
 * A paragraph's own indent, hanging, right_indent, balance, align and keep in
 * opts (at index opts, if it is a table) over its style's; then the check
 * that the indents leave a line at least one 字 (a line of size pt holds
 * chars x grid size / size 字).
 */
static void para_options(struct gw_plug *p, int opts, struct gw_style *st, const char *what)
{
    lua_State *L = p->L;
    if (lua_istable(L, opts)) {
        st->indent = gw_plug_check_num(L, opts, "indent", st->indent, GW_RANGE_INDENT, what);
        st->hanging = gw_plug_check_num(L, opts, "hanging", st->hanging, GW_RANGE_INDENT, what);
        st->right_indent = gw_plug_check_num(L, opts, "right_indent", st->right_indent,
                                             GW_RANGE_INDENT, what);
        gw_plug_field(L, opts, "balance");
        if (!lua_isnil(L, -1) && !lua_isboolean(L, -1))
            luaL_error(L, "%s: balance must be true or false", what);
        st->balance = lua_isboolean(L, -1) ? lua_toboolean(L, -1) : st->balance;
        lua_pop(L, 1);
        gw_plug_field(L, opts, "align");
        st->align = gw_plug_check_align(L, -1, st->align, what);
        lua_pop(L, 1);
        st->keep = (int)gw_plug_check_num(L, opts, "keep", st->keep, GW_RANGE_KEEP, what);
    }
    const struct gw_page_setup *ps = &p->out->setup;
    double holds = ps->chars * ps->body_size / st->size;
    double used = (st->indent > st->hanging ? st->indent : st->hanging) + st->right_indent;
    if (used > holds - 1) {
        char msg[256]; /* (luaL_error has no %g) */
        snprintf(msg, sizeof msg, "%s: indent %g, hanging %g and right_indent %g leave no room: "
                 "a line of %g pt holds %.4g 字, and at least 1 must be left",
                 what, st->indent, st->hanging, st->right_indent, st->size, holds);
        luaL_error(L, "%s", msg);
    }
}

/* The host, for an `out` method (argument 1 must be the out object). */
static struct gw_plug *check_out(lua_State *L)
{
    return gw_plug_check_object(L, "gw.out", "out");
}

/* Apply opts.line / opts.src (a paragraph from sec.paragraphs) to the current position. */
void gw_plug_take_position(struct gw_plug *p, int opts)
{
    lua_State *L = p->L;
    if (!lua_istable(L, opts))
        return;
    gw_plug_field(L, opts, "src");
    int src = lua_istable(L, -1) ? lua_gettop(L) : opts;
    gw_plug_field(L, src, "line");
    if (lua_isinteger(L, -1)) {
        struct gw_range pos = {0, 1e9, true, NULL};
        p->cur.line = (int)gw_plug_check_num(L, -1, NULL, 0, pos, "src.line");
        p->cur.col = (int)gw_plug_check_num(L, src, "col", 1, pos, "src");
    }
    lua_pop(L, 2);
}

/* Do out:* calls append to the 版记 (a layout's draw_colophon)? */
static bool in_colophon(const struct gw_plug *p)
{
    for (struct gw_block *const *t = &p->out->colophon;; t = &(*t)->next) {
        if (t == p->tail)
            return true;
        if (!*t)
            return false;
    }
}

/*
 * The style of a footnote: sn, else "footnote", which a layout without
 * styles.footnote gets as 4号 (14 pt) 仿宋 with a 2-字 first-line indent
 * (docs/plugin-api.md § out:footnote says why).
 */
static struct gw_style footnote_style(struct gw_plug *p, const char *sn)
{
    if (sn || gw_plug_has_style(p, "footnote"))
        return gw_plug_style(p, sn ? sn : "footnote", NULL);
    return (struct gw_style){.role = gw_plug_role(p, "fangsong"), .size = 14, .indent = 2,
                             .align = GW_ALIGN_JUSTIFY};
}

/*
 * out:paragraph / out:heading / out:footnote: content at index 2, options
 * at 3. A heading gets no text rules, keeps with what follows and becomes
 * a bookmark; a footnote is never a heading, balanced or kept with anything.
 */
enum para_kind { PARA_BODY, PARA_HEADING, PARA_FOOTNOTE };

static void para_overlays(struct gw_plug *p, int opts, struct gw_block *b, const char *what);

static int emit_para(lua_State *L, enum para_kind kind)
{
    static const char *const names[] = {"out:paragraph", "out:heading", "out:footnote"};
    struct gw_plug *p = check_out(L);
    bool heading = kind == PARA_HEADING;
    luaL_argexpected(L, lua_isstring(L, 2) || lua_istable(L, 2), 2, "string or table");
    gw_fields_check(L, 3, para_fields, false, names[kind]);
    if (kind == PARA_FOOTNOTE && in_colophon(p))
        return luaL_error(L, "out:footnote: the 版记 has no footnotes (use out:paragraph)");
    struct gw_span saved = p->cur;
    gw_plug_take_position(p, 3);
    const char *sn = lua_istable(L, 3) ? gw_plug_str_field(L, 3, "style", NULL) : NULL;
    struct gw_style st = kind == PARA_FOOTNOTE ? footnote_style(p, sn)
                         : gw_plug_style(p, sn ? sn : heading ? "heading" : "body", NULL);
    para_options(p, 3, &st, names[kind]);
    if (heading && st.keep <= 0)
        st.keep = 2;
    if (kind == PARA_FOOTNOTE) {
        st.keep = 0;
        st.balance = false;
    }
    size_t len, head = 0;
    const char *text =
        kind == PARA_BODY && lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : NULL;
    int level = text ? gw_ruleset_heading(&p->sets, p->active, p->nactive, text, len, &head) : 0;
    if (level) {
        /* { { text = head, style = "hN" }, rest } in place of the string */
        char hs[4] = {'h', (char)('0' + level), 0};
        lua_createtable(L, 2, 0);
        lua_createtable(L, 0, 2);
        lua_pushlstring(L, text, head);
        lua_setfield(L, -2, "text");
        lua_pushstring(L, hs);
        lua_setfield(L, -2, "style");
        lua_rawseti(L, -2, 1);
        if (head < len) {
            lua_pushlstring(L, text + head, len - head);
            lua_rawseti(L, -2, 2);
        }
        lua_replace(L, 2);
        if (head == len && st.keep <= 0)
            st.keep = 2; /* a heading line stays with what follows */
    }
    struct gw_block *b = make_para(p, 2, &st, !heading);
    if (kind == PARA_FOOTNOTE)
        b->type = GW_BLOCK_FOOTNOTE;
    else
        para_overlays(p, 3, b, names[kind]);
    if (heading) {
        struct gw_buf t;
        gw_buf_init(&t);
        for (int i = 0; i < b->nruns; i++)
            gw_buf_add(&t, b->runs[i].text, b->runs[i].len);
        b->outline = gw_arena_strdup(&p->doc->arena, t.data ? t.data : "");
        gw_buf_free(&t);
    }
    append_block(p, b);
    p->cur = saved;
    return 0;
}

/* out:paragraph(content [, {style=, src=}]) */
static int l_out_paragraph(lua_State *L)
{
    return emit_para(L, PARA_BODY);
}

/*
 * out:footnote(content [, {style=, src=, indent=, hanging=, right_indent=, align=}]) : a
 * note at the foot of the page where the block before it ends (layout/gw_foot.c).
 */
static int l_out_footnote(lua_State *L)
{
    return emit_para(L, PARA_FOOTNOTE);
}

/* out:heading(text [, {style=, src=}]) */
static int l_out_heading(lua_State *L)
{
    return emit_para(L, PARA_HEADING);
}



/* Is a cell's text a figure ("2.85", "-0.38", "-11.1%", "1,234")? An empty cell is not. */
static bool numeric_text(const struct gw_text *t)
{
    bool digit = false;
    for (int i = 0; i < t->nruns; i++)
        for (size_t k = 0; k < t->runs[i].len; k++) {
            char ch = t->runs[i].text[k];
            if (ch >= '0' && ch <= '9')
                digit = true;
            else if (!strchr(".,+-% ", ch))
                return false;
        }
    return digit;
}

/* Column c's body cells (below the header rows) are figures, blanks aside, and some are. */
static bool numeric_column(const struct gw_table *t, int c)
{
    bool any = false;
    for (int r = t->head; r < t->nrows; r++) {
        const struct gw_text *cell = &t->cells[r * t->ncols + c];
        if (cell->nruns == 0 || (cell->nruns == 1 && cell->runs[0].len == 0))
            continue;
        if (!numeric_text(cell))
            return false;
        any = true;
    }
    return any;
}
/*
 * out:table{ rows = { {cell, ...}, ... }, head = N, align = "lcr", caption =,
 * widths = { mm, ... } } [, {src =}] : a table; cells are strings or runs.
 * A row shorter than the longest is padded with empty cells, with a warning
 * at the row (docs/plugin-api.md § out:table says why).
 */
static int l_out_table(lua_State *L)
{
    struct gw_plug *p = check_out(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    gw_fields_check(L, 2, table_fields, false, "out:table");
    gw_fields_check(L, 3, pos_fields, false, "out:table");
    struct gw_span saved = p->cur;
    gw_plug_take_position(p, 3);
    gw_plug_take_position(p, 2);
    gw_plug_field(L, 2, "rows");
    if (!lua_istable(L, -1))
        return luaL_error(L, "out:table needs rows = { {cell, ...}, ... }");
    int rows_idx = lua_gettop(L);
    int nrows = (int)lua_rawlen(L, rows_idx), ncols = 0;
    for (int r = 1; r <= nrows; r++) {
        if (lua_rawgeti(L, rows_idx, r) != LUA_TTABLE)
            return luaL_error(L, "table row %d is not a list of cells", r);
        char what[64];
        snprintf(what, sizeof what, "out:table: row %d", r);
        gw_fields_check(L, -1, row_fields, true, what);
        if ((int)lua_rawlen(L, -1) > ncols)
            ncols = (int)lua_rawlen(L, -1);
        lua_pop(L, 1);
    }
    if (nrows == 0 || ncols == 0)
        return luaL_error(L, "out:table: the table has no cells");
    if (ncols > 64)
        return luaL_error(L, "out:table: more than 64 columns");
    struct gw_arena *A = &p->doc->arena;
    struct gw_table *t = gw_arena_alloc(A, sizeof(*t));
    t->nrows = nrows;
    t->ncols = ncols;
    t->head = (int)gw_plug_check_num(L, 2, "head", 0, (struct gw_range){0, 1e9, true, "rows"},
                                     "out:table");
    if (t->head >= nrows)
        t->head = nrows - 1;
    char *align = gw_arena_alloc(A, (size_t)ncols + 1);
    gw_plug_field(L, 2, "align");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
        return luaL_error(L, "out:table: align must be a string of l, c, r or d, one a column");
    lua_pop(L, 1);
    const char *given = gw_plug_str_field(L, 2, "align", "");
    size_t ng = strspn(given, "lcrd");
    if (given[ng] || ng > (size_t)ncols)
        return luaL_error(L, "out:table: align = \"%s\": must be one of l, c, r or d for each "
                             "of the %d columns (l left, c centre, r right, d on the decimal "
                             "point)", given, ncols);
    for (int c = 0; c < ncols; c++)
        align[c] = c < (int)ng ? given[c] : 'l';
    t->align = align;
    struct gw_style body = gw_plug_style(p, "table_body", NULL);
    struct gw_style header = gw_plug_style(p, "table_header", &body);
    t->cells = gw_arena_array(A, (size_t)nrows * (size_t)ncols, sizeof(*t->cells));
    struct gw_span table_at = p->cur;
    for (int r = 1; r <= nrows; r++) {
        lua_rawgeti(L, rows_idx, r);
        int row = lua_gettop(L);
        p->cur = table_at;
        gw_plug_take_position(p, row); /* a row from a section item carries line and cols */
        int have = (int)lua_rawlen(L, row);
        if (have < ncols)
            gw_diag_warning(p->diag, p->cur, "table row %d has %d cell%s where the table has %d "
                            "columns; the missing cells are left empty", r, have,
                            have == 1 ? "" : "s", ncols);
        gw_plug_field(L, row, "cols");
        int cols = lua_istable(L, -1) ? lua_gettop(L) : 0;
        for (int c = 1; c <= ncols; c++) {
            if (cols && lua_rawgeti(L, cols, c) == LUA_TNUMBER)
                p->cur.col = (int)gw_plug_check_num(L, -1, NULL, 1,
                                                    (struct gw_range){0, 1e9, true, NULL}, "cols");
            if (cols)
                lua_pop(L, 1);
            if (lua_rawgeti(L, row, c) == LUA_TNIL) {
                lua_pop(L, 1);
                lua_pushliteral(L, "");
            }
            t->cells[(r - 1) * ncols + c - 1] = make_text(p, -1, r <= t->head ? &header : &body,
                                                          true);
            lua_pop(L, 1);
        }
        lua_pop(L, 2); /* cols, row */
    }
    for (int c = (int)strlen(given); c < ncols; c++)
        if (numeric_column(t, c))
            align[c] = 'd'; /* a column of figures, no alignment given: on the decimal point */
    p->cur = table_at;
    lua_pop(L, 1); /* rows */
    gw_plug_field(L, 2, "caption");
    if (lua_isstring(L, -1) && lua_rawlen(L, -1) > 0) {
        struct gw_style cs = gw_plug_style(p, "table_caption", NULL);
        t->caption = make_caption(p, &cs);
    }
    lua_pop(L, 1);
    /* the layout's table settings */
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    gw_plug_field(L, -1, "tables");
    int ts = lua_istable(L, -1) ? lua_gettop(L) : 0;
    /* fixed widths: the plugin's t.widths, else the layout's tables.widths */
    gw_plug_field(L, 2, "widths");
    if (!lua_istable(L, -1) && ts) {
        lua_pop(L, 1);
        gw_plug_field(L, ts, "widths");
    }
    if (lua_istable(L, -1) && lua_rawlen(L, -1) > 0) {
        t->widths = gw_arena_array(A, (size_t)ncols, sizeof(double));
        for (int c = 0; c < ncols; c++) {
            lua_rawgeti(L, -1, c + 1);
            t->widths[c] = lua_isnil(L, -1) ? 0
                           : gw_plug_check_num(L, -1, NULL, 0, (struct gw_range){0, 1500, false, "mm"},
                                               "out:table: widths[]") * GW_MM;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    t->grid = ts && !strcmp(gw_plug_str_field(L, ts, "style", "three-line"), "grid");
    /* (gw_plug_read_setup checked these; checked again, as a plugin may have changed them) */
    t->pad = (ts ? gw_plug_check_num(L, ts, "padding", 1.2, (struct gw_range){0, 20, false, "mm"},
                                     "tables")
                 : 1.2) * GW_MM;
    t->leading = ts ? gw_plug_check_num(L, ts, "leading", 1.4, (struct gw_range){0.5, 5, false, NULL},
                                        "tables")
                    : 1.4;
    t->thick = ts ? gw_plug_check_num(L, ts, "thick", 1.0, GW_RANGE_RULE, "tables") : 1.0;
    t->thin = ts ? gw_plug_check_num(L, ts, "thin", 0.5, GW_RANGE_RULE, "tables") : 0.5;
    t->landscape = ts && gw_plug_bool_field(L, ts, "landscape", false);
    lua_pop(L, 2);
    struct gw_block *b = new_block(p, GW_BLOCK_TABLE);
    b->table = t;
    append_block(p, b);
    p->cur = saved;
    return 0;
}

/* gw_plug_image_path as a Lua function, for a protected call: the path string -> the full path. */
static int l_image_path(lua_State *L)
{
    gw_plug_image_path(L, luaL_checkstring(L, 1));
    return 1;
}

/* The image file at t.path (relative to the document, inside its folder), probed; else an error. */
static struct gw_image *probe_image(struct gw_plug *p, int t, const char *what,
                                    const struct gw_node *field)
{
    lua_State *L = p->L;
    const char *path = gw_plug_str_field(L, t, "path", NULL);
    if (!path)
        luaL_error(L, "%s needs a path", what);
    if (field) { /* the header field that named it: a missing or damaged file is an error there */
        lua_pushcfunction(L, l_image_path);
        lua_pushstring(L, path);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            const char *msg = lua_tostring(L, -1);
            gw_diag_error(p->diag, field->span, "%s: %s", field->key, msg ? msg : "bad image");
            gw_plug_error_said(L);
        }
    } else {
        gw_plug_image_path(L, path); /* inside the document's folder, or an error */
    }
    path = lua_tostring(L, -1);
    struct gw_image_info info;
    char err[512];
    if (gw_image_probe(path, &info, err, sizeof err) < 0) {
        if (!field)
            luaL_error(L, "%s", err);
        gw_diag_error(p->diag, field->span, "%s: %s", field->key, err);
        gw_plug_error_said(L);
    }
    struct gw_image *img = gw_arena_alloc(&p->doc->arena, sizeof(*img));
    img->path = gw_arena_strdup(&p->doc->arena, path);
    img->png = info.png;
    img->px_w = info.w;
    img->px_h = info.h;
    lua_pop(L, 1); /* the full path */
    return img;
}

/*
 * The header field `key` whose value is path (of a repeated key, the one
 * that names it; else its first), or NULL: where an error in a seal's file
 * is reported.
 */
static const struct gw_node *seal_field(struct gw_plug *p, const char *key, const char *path)
{
    const struct gw_node *first = NULL;
    for (const struct gw_node *n = p->doc->root->first; n; n = n->next)
        if (n->type == GW_NODE_FIELD && !strcmp(n->key, key)) {
            if (strlen(path) == n->len && !memcmp(n->text, path, n->len))
                return n;
            first = first ? first : n;
        }
    return first;
}

/*
 * A paragraph's same_line (set on the line of the paragraph before it: 印发机关
 * left and 印发日期 right), middle (its lines centred in their grid lines, clear
 * of rules on the boundaries: the 版记) and seal = { path =, width = mm | height =
 * mm, raise = mm, right = mm, beside = 字, field = key } (an image over the
 * paragraph's first line, drawn with a multiply blend: GB/T 9704 §7.3.5.1's
 * 印章 over the 署名 and 成文日期, centred on the line's text, its centre
 * `raise` above the line's centre; with `right`, §7.3.5.3's 签名章: its right
 * edge `right` from the text block's, and the line's text ending `beside` 字
 * left of it). `field` names the header key the path came from (印章, 签名章):
 * a missing or damaged file is an error at that field's line and column.
 */
static void para_overlays(struct gw_plug *p, int opts, struct gw_block *b, const char *what)
{
    lua_State *L = p->L;
    if (!lua_istable(L, opts))
        return;
    b->same_line = gw_plug_bool_field(L, opts, "same_line", false);
    b->middle = gw_plug_bool_field(L, opts, "middle", false);
    gw_plug_field(L, opts, "seal");
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1))
            luaL_error(L, "%s: seal must be a table { path =, width =, raise = }", what);
        int t = lua_gettop(L);
        gw_fields_check(L, t, seal_fields, false, "seal");
        const char *key = gw_plug_str_field(L, t, "field", NULL);
        const char *path = gw_plug_str_field(L, t, "path", NULL);
        const struct gw_node *field = key && path ? seal_field(p, key, path) : NULL;
        b->seal = probe_image(p, t, "seal", field);
        b->seal_src = field ? field->span : b->src;
        double mm = 72 / 25.4;
        struct gw_range size = {5, 156, false, "mm"};
        gw_plug_field(L, t, "height");
        bool by_height = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (by_height) /* as wide as its height and shape make it */
            b->seal_w = mm * gw_plug_check_num(L, t, "height", 0, size, "seal") * b->seal->px_w /
                        b->seal->px_h;
        else
            b->seal_w = mm * gw_plug_check_num(L, t, "width", 42, size, "seal");
        b->seal_raise = mm * gw_plug_check_num(L, t, "raise", 0,
                                               (struct gw_range){-100, 100, false, "mm"}, "seal");
        gw_plug_field(L, t, "right");
        b->seal_right = lua_isnil(L, -1) ? -1 : 0;
        lua_pop(L, 1);
        if (b->seal_right == 0) {
            b->seal_right = mm * gw_plug_check_num(L, t, "right", 0,
                                                   (struct gw_range){0, 156, false, "mm"}, "seal");
            /* the text ends `beside` 字 left of the seal: its right indent in 字 of its size */
            const struct gw_page_setup *ps = &p->out->setup;
            double zi = ps->width / ps->chars * (b->nruns ? b->runs[0].size : ps->body_size) /
                        ps->body_size;
            double beside = gw_plug_check_num(L, t, "beside", 0, GW_RANGE_INDENT, "seal");
            b->right_indent = (b->seal_right + b->seal_w) / zi + beside;
        }
    }
    lua_pop(L, 1);
}

/* out:image{ path =, caption = } [, {src =}] : a photo scaled to the text block, caption below */
static int l_out_image(lua_State *L)
{
    struct gw_plug *p = check_out(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    gw_fields_check(L, 2, image_fields, false, "out:image");
    gw_fields_check(L, 3, pos_fields, false, "out:image");
    struct gw_span saved = p->cur;
    gw_plug_take_position(p, 3);
    gw_plug_take_position(p, 2);
    struct gw_image *img = probe_image(p, 2, "out:image", NULL);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->layout_ref);
    gw_plug_field(L, -1, "images");
    img->max_share = lua_istable(L, -1) ? gw_plug_check_num(L, -1, "max_height", 0.5,
                                                            (struct gw_range){0.05, 1, false, NULL},
                                                            "images")
                                        : 0.5;
    lua_pop(L, 2);
    gw_plug_field(L, 2, "caption");
    if (lua_isstring(L, -1) && lua_rawlen(L, -1) > 0) {
        struct gw_style cs = gw_plug_style(p, "image_caption", NULL);
        img->caption = make_caption(p, &cs);
    }
    lua_pop(L, 1);
    struct gw_block *b = new_block(p, GW_BLOCK_IMAGE);
    b->image = img;
    append_block(p, b);
    p->cur = saved;
    return 0;
}

/* out:block(item) : whatever a sec.paragraphs item is (paragraph, table, image), set plainly */
static int l_out_block(lua_State *L)
{
    check_out(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    const char *kind = gw_plug_str_field(L, 2, "kind", "paragraph");
    if (strcmp(kind, "paragraph") && strcmp(kind, "table") && strcmp(kind, "image")) {
        const char *near = gw_nearest(kind, kinds);
        return luaL_error(L, "out:block: kind = \"%s\": must be paragraph, table or image%s%s%s",
                          kind, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    }
    lua_settop(L, 2);
    if (!strcmp(kind, "table"))
        return l_out_table(L);
    if (!strcmp(kind, "image"))
        return l_out_image(L);
    gw_plug_field(L, 2, "text"); /* out item text */
    lua_insert(L, 2);           /* out text item */
    lua_newtable(L);
    lua_pushvalue(L, 3);
    lua_setfield(L, -2, "src"); /* out text item {src=item} */
    lua_remove(L, 3);
    return l_out_paragraph(L);
}

/*
 * out:width(content [, style]) -> 字: how wide content is set on one line in
 * the style (default "body"), in 字 of the style's size (what indent,
 * hanging and right_indent count in), before a line end's compression.
 */
static int l_out_width(lua_State *L)
{
    struct gw_plug *p = check_out(L);
    luaL_argexpected(L, lua_isstring(L, 2) || lua_istable(L, 2), 2, "string or table");
    const char *sn = luaL_optstring(L, 3, "body");
    struct gw_style st = gw_plug_style(p, sn, NULL);
    int n = lua_istable(L, 2) ? (int)lua_rawlen(L, 2) : 1;
    double pt = 0;
    for (int i = 1; i <= n; i++) {
        struct gw_style rs;
        size_t len;
        const char *text = push_piece(p, 2, i, &st, &rs, &len);
        pt += gw_plug_text_width(p, text, len, rs.role, rs.size, true);
        lua_pop(L, 1); /* - */
    }
    const struct gw_page_setup *ps = &p->out->setup;
    lua_pushnumber(L, pt / (ps->width / ps->chars * st.size / ps->body_size));
    return 1;
}

/* out:space([lines]) */
static int l_out_space(lua_State *L)
{
    struct gw_plug *p = check_out(L);
    struct gw_block *b = new_block(p, GW_BLOCK_SPACE);
    b->lines = gw_plug_check_num(L, 2, NULL, 1, (struct gw_range){0, 1000, false, NULL},
                                 "out:space(lines)");
    append_block(p, b);
    return 0;
}

/* out:rule([{thickness=pt, color="#RRGGBB", lines=1}]) ; lines=0: on the line boundary */
static int l_out_rule(lua_State *L)
{
    struct gw_plug *p = check_out(L);
    struct gw_block *b = new_block(p, GW_BLOCK_RULE);
    bool t = lua_istable(L, 2);
    gw_fields_check(L, 2, rule_fields, false, "out:rule");
    b->thickness = t ? gw_plug_check_num(L, 2, "thickness", 1, GW_RANGE_RULE, "out:rule") : 1;
    b->color = t ? gw_plug_check_color(L, gw_plug_str_field(L, 2, "color", "#000000")) : 0;
    b->lines = t ? gw_plug_check_num(L, 2, "lines", 1, (struct gw_range){0, 1, true, NULL},
                                     "out:rule")
                 : 1;
    append_block(p, b);
    return 0;
}

/* out:page_break() */
static int l_out_page_break(lua_State *L)
{
    struct gw_plug *p = check_out(L);
    append_block(p, new_block(p, GW_BLOCK_PAGEBREAK));
    return 0;
}

/*
 * out:keep(function [, { squeeze = share }]) : blocks made inside stay on one
 * page; with squeeze, when they do not fit under the text on its page, the
 * page's lines may be set closer, down to share of the grid's pitch (GB/T
 * 9704 §7.3.5.5: a 落款 kept with the last text), before they move on.
 */
static int l_out_keep(lua_State *L)
{
    struct gw_plug *p = check_out(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    gw_fields_check(L, 3, keep_fields, false, "out:keep");
    double was = p->keep_squeeze;
    if (lua_istable(L, 3))
        p->keep_squeeze = gw_plug_check_num(L, 3, "squeeze", p->keep_depth ? was : 0,
                                            (struct gw_range){0.5, 1, false, NULL}, "out:keep");
    else if (!p->keep_depth)
        p->keep_squeeze = 0;
    p->keep_depth++;
    lua_pushvalue(L, 2);
    int rc = lua_pcall(L, 0, 0, 0);
    p->keep_depth--;
    p->keep_squeeze = was;
    if (rc != LUA_OK)
        return lua_error(L);
    return 0;
}

void gw_plug_open_out(lua_State *L)
{
    static const luaL_Reg out_m[] = {
        {"block", l_out_block},         {"footnote", l_out_footnote},
        {"heading", l_out_heading},     {"image", l_out_image},
        {"keep", l_out_keep},           {"page_break", l_out_page_break},
        {"paragraph", l_out_paragraph}, {"rule", l_out_rule},
        {"space", l_out_space},         {"table", l_out_table},
        {"width", l_out_width},         {NULL, NULL}};
    gw_plug_object_type(L, "gw.out", out_m);
}
