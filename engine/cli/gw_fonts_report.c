/*
 * gw_fonts_report.c: the role list of `gongwen fonts`, and the note on
 * stand-in fonts after a build (see gw_fonts_report.h).
 */
#include "gw_fonts_report.h"

#include <stdbool.h>
#include <string.h>

#include "../util/gw_buf.h"

/* "FandolSong Bold", "FandolFang": the family, and the style unless it is the plain one. */
static void face_name(const struct gw_font *f, struct gw_buf *b)
{
    static const char *const plain[] = {"Regular", "Book", "Normal", "Roman", "Medium"};
    const char *style = gw_font_style(f);
    bool is_plain = !*style;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        is_plain |= !strcmp(style, plain[i]);
    gw_buf_adds(b, gw_font_family(f));
    if (!is_plain)
        gw_buf_printf(b, " %s", style);
}

void gw_fonts_role(const struct gw_fontset *fs, const struct gw_role *role, FILE *out)
{
    {
        fprintf(out, "%-9s", role->name);
        if (role->nchain == 0)
            fprintf(out, " (no installed font; wanted: %s)\n", role->wanted);
        for (int i = 0; i < role->nchain; i++) {
            const struct gw_font *f = fs->fonts[role->chain[i]];
            struct gw_buf name;
            gw_buf_init(&name);
            face_name(f, &name);
            fprintf(out, "%s%s [%s #%u]%s%s\n", i ? "         " : " ", name.data, gw_font_path(f),
                    gw_font_index(f), gw_font_is_cff(f) ? " CFF" : "",
                    i >= role->standin_from ? " (stand-in)" : "");
            gw_buf_free(&name);
        }
    }
}

void gw_fonts_note_standins(const struct gw_fontset *fs, const struct gw_dlist *dl,
                            const char *input, struct gw_diag *diag)
{
    bool used[GW_MAX_FONTS] = {false};
    for (const struct gw_page *p = dl->first; p; p = p->next)
        for (const struct gw_item *it = p->first; it; it = it->next)
            if (it->type == GW_ITEM_TEXT && it->font >= 0 && it->font < GW_MAX_FONTS)
                used[it->font] = true;
    struct gw_buf list;
    gw_buf_init(&list);
    for (int r = 0; r < fs->nroles; r++) {
        int f = gw_fontset_primary(fs, r);
        if (f < 0 || !used[f] || !gw_fontset_standin(fs, r))
            continue;
        gw_buf_printf(&list, "%s%s in ", list.len ? ", " : "", fs->roles[r].name);
        face_name(fs->fonts[f], &list);
    }
    if (list.len)
        gw_diag_note(diag, gw_span_file(input),
                     "set in stand-in fonts, since none of the wanted fonts is installed: %s "
                     "(gongwen fonts shows the wanted ones; docs/fonts.md says how to add yours)",
                     list.data);
    gw_buf_free(&list);
}
