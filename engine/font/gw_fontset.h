/*
 * gw_fontset: fonts by role.
 *
 * Layouts and styles name roles (fangsong 仿宋, kai 楷体, hei 黑体, song 宋,
 * xbs 小标宋, latin), never files. A role is an ordered list of family names
 * or font files; the first that resolves is the role's primary font and the
 * rest, followed by the shared "fallback" role, are tried for characters the
 * primary lacks. A list may mark where its stand-ins begin with "|": the
 * fonts after it are free faces used when none of the wanted ones is
 * installed (FandolFang for 仿宋_GB2312), and a build set in one says so.
 * Families resolve first against font files the user dropped into the
 * fonts/ folder, then against the files in the `folders` roles.conf names
 * (fonts fontconfig does not index, as TeX Live's Fandol), then through
 * fontconfig. The default lists live in fonts/roles.conf. The set owns every
 * gw_font it opened.
 */
#ifndef GW_FONTSET_H
#define GW_FONTSET_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/gw_diag.h"
#include "gw_font.h"

#define GW_MAX_FONTS 32
#define GW_MAX_ROLES 24
#define GW_MAX_CHAIN 8

struct gw_role {
    char name[32];          /* "fangsong" */
    char *wanted;           /* the list as written, for `gongwen fonts` */
    int chain[GW_MAX_CHAIN]; /* font indices, primary first */
    int nchain;
    int standin_from;        /* chain position of the first stand-in (after "|"); nchain if none */
};

struct gw_fontset {
    struct gw_font *fonts[GW_MAX_FONTS]; /* opened fonts, deduplicated by file+face */
    int nfonts;
    struct gw_role roles[GW_MAX_ROLES];
    int nroles;
    char *user_dir;                      /* fonts/ drop-in folder, or NULL */
    struct gw_user_font *user;           /* faces found in user_dir, then in the folders */
    int nuser;
    bool user_scanned;
    char **folders;                      /* roles.conf `folders`, searched after user_dir */
    int nfolders;
    int folders_scanned;                 /* how many of them are in `user` */
    double open_ms;                      /* time spent finding and opening fonts */
};

void gw_fontset_init(struct gw_fontset *fs, const char *user_dir);
void gw_fontset_fini(struct gw_fontset *fs);
/*
 * Define (or redefine) role `name` from a comma-separated list of families
 * or file paths; a "|" in the list (in place of a comma) marks the entries
 * after it as stand-ins. Unresolvable entries are skipped (a role may end up
 * with no font: whoever uses it reports that). Returns the role index, or -1
 * if the role table is full. The name `folders` is no role: its entries are
 * folders of font files to find families in (gw_fontset_add_folders), and
 * 0 is returned.
 */
int gw_fontset_define(struct gw_fontset *fs, const char *name, const char *list,
                      struct gw_diag *diag, struct gw_span where);
/*
 * Add folders (comma-separated; absolute, or relative to the fonts/ folder)
 * whose font files are searched by family, full and PostScript name after
 * the fonts/ folder and before fontconfig. A folder that does not exist is
 * skipped, as a family that is not installed is.
 */
void gw_fontset_add_folders(struct gw_fontset *fs, const char *list);
/* Read a role map file ("role = family, family, file.ttf" lines; # comments). */
int gw_fontset_load_map(struct gw_fontset *fs, const char *path, struct gw_diag *diag);
/* Does role's list (as written in roles.conf or a layout) name family? */
bool gw_fontset_role_names(const struct gw_role *role, const char *family);
/* Role index by name, or -1. */
int gw_fontset_role(const struct gw_fontset *fs, const char *name);
/*
 * The font that draws cp in role: the first font of the role's chain, then of
 * the "fallback" role, that has a glyph. Returns the font index and the glyph,
 * or -1 if no font covers cp.
 */
int gw_fontset_pick(const struct gw_fontset *fs, int role, uint32_t cp, uint32_t *gid);
/* The same within the role's own chain only (no "fallback"). */
int gw_fontset_pick_own(const struct gw_fontset *fs, int role, uint32_t cp, uint32_t *gid);
/* The role's primary font index (for metrics), or -1. */
int gw_fontset_primary(const struct gw_fontset *fs, int role);
/* Is the role's primary font one of its stand-ins (none of the wanted fonts is installed)? */
bool gw_fontset_standin(const struct gw_fontset *fs, int role);

#endif /* GW_FONTSET_H */
