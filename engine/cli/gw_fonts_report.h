/*
 * gw_fonts_report: what the gongwen command says about fonts.
 *
 * The role list `gongwen fonts` prints (each role's fonts, primary first,
 * marked CFF and stand-in), and the one note a build prints when a role it
 * set text in has fallen back to a stand-in (roles.conf's "|": FandolFang
 * for want of 仿宋_GB2312). Reads the gw_fontset and the display list only.
 */
#ifndef GW_FONTS_REPORT_H
#define GW_FONTS_REPORT_H

#include <stdio.h>

#include "../font/gw_fontset.h"
#include "../layout/gw_layout.h"
#include "../util/gw_diag.h"

/* Print a role and its fonts to out, as `gongwen fonts` does (stand-ins marked). */
void gw_fonts_role(const struct gw_fontset *fs, const struct gw_role *role, FILE *out);

/*
 * If text of dl is set in the primary font of a role that has fallen back
 * to a stand-in, one note at input naming each such role and its font.
 */
void gw_fonts_note_standins(const struct gw_fontset *fs, const struct gw_dlist *dl,
                            const char *input, struct gw_diag *diag);

#endif /* GW_FONTS_REPORT_H */
