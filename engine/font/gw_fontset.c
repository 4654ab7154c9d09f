/*
 * gw_fontset: role -> font resolution (see gw_fontset.h).
 */
#include "gw_fontset.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/gw_arena.h"
#include "../util/gw_buf.h"
#include "../util/gw_diag.h"

/* One face found in the fonts/ folder (tier 0) or a roles.conf folder (tier 1), kept open. */
struct gw_user_font {
    struct gw_font *font; /* tier 1: opened for its names only (gw_font_open_names) */
    int tier;
    int slot; /* its index in fs->fonts once a role uses it, else -1 */
};

void gw_fontset_init(struct gw_fontset *fs, const char *user_dir)
{
    memset(fs, 0, sizeof(*fs));
    fs->user_dir = user_dir ? gw_xstrdup(user_dir) : NULL;
}

void gw_fontset_fini(struct gw_fontset *fs)
{
    for (int i = 0; i < fs->nfonts; i++)
        gw_font_free(fs->fonts[i]);
    for (int i = 0; i < fs->nroles; i++)
        free(fs->roles[i].wanted);
    for (int i = 0; i < fs->nuser; i++)
        if (fs->user[i].slot < 0)
            gw_font_free(fs->user[i].font);
    free(fs->user);
    for (int i = 0; i < fs->nfolders; i++)
        free(fs->folders[i]);
    free(fs->folders);
    free(fs->user_dir);
    memset(fs, 0, sizeof(*fs));
}

static bool has_font_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return false;
    char ext[8] = {0};
    for (int i = 0; i < 7 && dot[i + 1]; i++)
        ext[i] = (char)tolower((unsigned char)dot[i + 1]);
    return !strcmp(ext, "ttf") || !strcmp(ext, "ttc") || !strcmp(ext, "otf");
}

/* The warning at a font file no role can use. */
static void unreadable(struct gw_diag *diag, const char *path, const char *why)
{
    gw_diag_warning(diag, gw_span_file(path),
                    "this font file cannot be read, so no role uses it (%s); replace it with a "
                    "good copy, or take it out of the fonts folder",
                    why);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Open every face of every font file in dir (in the order of their names,
 * so the choice among equals does not depend on the file system) as faces
 * of `tier`: wholly in the fonts/ folder, for their names only in the
 * folders roles.conf names (a folder of CFF fonts then costs no HarfBuzz;
 * the face a role takes is opened wholly then). A file that cannot be read
 * is said once, as a warning at the file: a font dropped in for a role
 * would otherwise be passed over without a word.
 */
static void scan_dir(struct gw_fontset *fs, const char *dir, int tier, struct gw_diag *diag)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !has_font_ext(e->d_name))
            continue;
        names = gw_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = gw_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t k = 0; k < n; k++) {
        struct gw_buf path;
        gw_buf_init(&path);
        gw_buf_printf(&path, "%s/%s", dir, names[k]);
        unsigned nfaces = 1;
        for (unsigned idx = 0; idx < nfaces && idx < 16; idx++) {
            char err[256];
            struct gw_font *f = tier ? gw_font_open_names(path.data, idx, err, sizeof err)
                                     : gw_font_open(path.data, idx, err, sizeof err);
            if (!f) {
                if (idx == 0)
                    unreadable(diag, path.data, err);
                break;
            }
            nfaces = gw_font_face_count(f);
            fs->user = gw_xrealloc(fs->user, (size_t)(fs->nuser + 1) * sizeof(*fs->user));
            fs->user[fs->nuser++] = (struct gw_user_font){f, tier, -1};
        }
        gw_buf_free(&path);
        free(names[k]);
    }
    free(names);
}

/* Scan the fonts/ folder (tier 0) once, and the folders added since the last scan (tier 1). */
static void scan_pending(struct gw_fontset *fs, struct gw_diag *diag)
{
    if (!fs->user_scanned) {
        fs->user_scanned = true;
        if (fs->user_dir)
            scan_dir(fs, fs->user_dir, 0, diag);
    }
    for (; fs->folders_scanned < fs->nfolders; fs->folders_scanned++)
        scan_dir(fs, fs->folders[fs->folders_scanned], 1, diag);
}

/*
 * The scanned face of `tier` that `name` names best: a face's own full or
 * PostScript name before a family name, then the face nearest upright
 * Regular (so "FandolHei" is FandolHei-Regular, not -Bold), then the first
 * scanned. Its index in fs->user, or -1.
 */
static int best_scanned(const struct gw_fontset *fs, const char *name, int tier)
{
    int best = -1, best_kind = 0, best_dist = 0;
    for (int i = 0; i < fs->nuser; i++) {
        if (fs->user[i].tier != tier)
            continue;
        int kind = gw_font_name_match(fs->user[i].font, name);
        int dist = gw_font_style_distance(fs->user[i].font);
        if (kind && (best < 0 || kind > best_kind || (kind == best_kind && dist < best_dist))) {
            best = i;
            best_kind = kind;
            best_dist = dist;
        }
    }
    return best;
}

/*
 * The next entry of the list at *p (up to one of seps), without the spaces
 * around it: its start, its length in *len (0 for an empty entry) and the
 * separator that ended it in *sep ('\0' at the end). *p moves past it.
 */
static const char *next_entry(const char **p, const char *seps, size_t *len, char *sep)
{
    const char *s = *p, *e = s + strcspn(s, seps);
    *sep = *e;
    *p = *e ? e + 1 : e;
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    *len = (size_t)(e - s);
    return s;
}

void gw_fontset_add_folders(struct gw_fontset *fs, const char *list)
{
    const char *p = list;
    while (*p) {
        size_t n;
        char sep;
        const char *at = next_entry(&p, ",", &n, &sep);
        if (n == 0)
            continue;
        struct gw_buf dir;
        gw_buf_init(&dir);
        if (*at != '/' && fs->user_dir)
            gw_buf_printf(&dir, "%s/", fs->user_dir);
        gw_buf_add(&dir, at, n);
        fs->folders = gw_xrealloc(fs->folders, (size_t)(fs->nfolders + 1) * sizeof(char *));
        fs->folders[fs->nfolders++] = gw_buf_detach(&dir, NULL);
    }
}

/* Why the last open_font failed (for the error a named file deserves). */
static char last_err[256];

/* Open (or reuse) the font at path/index; returns its index or -1. */
static int open_font(struct gw_fontset *fs, const char *path, unsigned index)
{
    for (int i = 0; i < fs->nfonts; i++)
        if (gw_font_index(fs->fonts[i]) == index && !strcmp(gw_font_path(fs->fonts[i]), path))
            return i;
    if (fs->nfonts == GW_MAX_FONTS)
        return -1;
    for (int i = 0; i < fs->nuser; i++) { /* a face of the fonts/ folder is open already */
        struct gw_user_font *u = &fs->user[i];
        if (u->tier == 0 && u->slot < 0 && gw_font_index(u->font) == index &&
            !strcmp(gw_font_path(u->font), path)) {
            u->slot = fs->nfonts;
            fs->fonts[fs->nfonts] = u->font;
            return fs->nfonts++;
        }
    }
    struct gw_font *f = gw_font_open(path, index, last_err, sizeof last_err);
    if (!f)
        return -1;
    fs->fonts[fs->nfonts] = f;
    return fs->nfonts++;
}

static int resolve_entry(struct gw_fontset *fs, const char *entry, struct gw_diag *diag);

/*
 * Open the installed family `family` (gw_font_find). The lookup cache's
 * answer is trusted only once the face opens and carries that name
 * (gw_font_name_match, fontconfig's own test); else fontconfig is asked
 * again, bypassing the cache, and its answer is the one used.
 */
static int open_found(struct gw_fontset *fs, const char *family)
{
    char path[4096], again[4096];
    unsigned index = 0, index2 = 0;
    if (gw_font_find(family, path, sizeof path, &index) != 0)
        return -1;
    int r = open_font(fs, path, index);
    if (r >= 0 && gw_font_name_match(fs->fonts[r], family))
        return r;
    if (gw_font_find_again(family, again, sizeof again, &index2) != 0)
        return -1;
    if (r >= 0 && index2 == index && !strcmp(again, path))
        return r; /* fontconfig agrees: the face carries the name in a form not read here */
    return open_font(fs, again, index2);
}

/* Resolve one entry (timed, for --timings). */
static int resolve(struct gw_fontset *fs, const char *entry, struct gw_diag *diag)
{
    double t0 = gw_ms_now();
    int r = resolve_entry(fs, entry, diag);
    fs->open_ms += gw_ms_now() - t0;
    return r;
}

/* Resolve one entry: a file (absolute or relative to the fonts/ folder) or a family. */
static int resolve_entry(struct gw_fontset *fs, const char *entry, struct gw_diag *diag)
{
    if (has_font_ext(entry)) {
        last_err[0] = '\0';
        if (entry[0] == '/')
            return open_font(fs, entry, 0);
        if (!fs->user_dir)
            return -1;
        struct gw_buf p;
        gw_buf_init(&p);
        gw_buf_printf(&p, "%s/%s", fs->user_dir, entry);
        int r = open_font(fs, p.data, 0);
        gw_buf_free(&p);
        return r;
    }
    scan_pending(fs, diag);
    for (int tier = 0; tier < 2; tier++) {
        int u = best_scanned(fs, entry, tier);
        if (u < 0)
            continue;
        const char *path = gw_font_path(fs->user[u].font);
        int r = open_font(fs, path, gw_font_index(fs->user[u].font));
        if (r < 0 && tier == 1 && last_err[0]) { /* its names read, the rest does not */
            unreadable(diag, path, last_err);
            last_err[0] = '\0';
        }
        return r;
    }
    return open_found(fs, entry);
}

int gw_fontset_role(const struct gw_fontset *fs, const char *name)
{
    for (int i = 0; i < fs->nroles; i++)
        if (!strcmp(fs->roles[i].name, name))
            return i;
    return -1;
}

int gw_fontset_define(struct gw_fontset *fs, const char *name, const char *list,
                      struct gw_diag *diag, struct gw_span where)
{
    if (!strcmp(name, "folders")) {
        gw_fontset_add_folders(fs, list);
        return 0;
    }
    int r = gw_fontset_role(fs, name);
    if (r < 0) {
        if (fs->nroles == GW_MAX_ROLES || strlen(name) >= sizeof fs->roles[0].name) {
            gw_diag_error(diag, where, "too many font roles, or role name too long: %s", name);
            return -1;
        }
        r = fs->nroles++;
        snprintf(fs->roles[r].name, sizeof fs->roles[r].name, "%s", name);
    }
    struct gw_role *role = &fs->roles[r];
    free(role->wanted);
    role->wanted = gw_xstrdup(list);
    role->nchain = 0;
    role->standin_from = -1;
    const char *p = list;
    while (*p) {
        size_t n;
        char sep;
        const char *at = next_entry(&p, ",|", &n, &sep);
        if (n > 0) {
            char entry[512];
            snprintf(entry, sizeof entry, "%.*s", (int)n, at);
            int f = resolve(fs, entry, diag);
            if (f < 0 && has_font_ext(entry)) {
                /* a file named outright must be there and readable: say so */
                gw_diag_error(diag, where,
                              "font file %s for role '%s': %s; put a good copy there, or take "
                              "it out of this list",
                              entry, name, last_err[0] ? last_err : "not found");
                last_err[0] = '\0';
                return -1;
            }
            bool dup = false;
            for (int k = 0; k < role->nchain; k++)
                dup |= role->chain[k] == f;
            if (f >= 0 && !dup && role->nchain < GW_MAX_CHAIN)
                role->chain[role->nchain++] = f;
        }
        if (sep == '|' && role->standin_from < 0)
            role->standin_from = role->nchain; /* the entries after it are stand-ins */
    }
    if (role->standin_from < 0)
        role->standin_from = role->nchain;
    return r;
}

int gw_fontset_load_map(struct gw_fontset *fs, const char *path, struct gw_diag *diag)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        gw_diag_error(diag, gw_span_file(path), "cannot read the font role map");
        return -1;
    }
    char line[2048];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '#' || *s == '\0')
            continue;
        s[strcspn(s, "\r\n")] = '\0';
        char *eq = strchr(s, '=');
        struct gw_span where = {path, lineno, 1};
        if (!eq) {
            gw_diag_error(diag, where, "expected 'role = family, family, ...'");
            rc = -1;
            continue;
        }
        char *end = eq;
        while (end > s && isspace((unsigned char)end[-1]))
            end--;
        *end = '\0';
        if (gw_fontset_define(fs, s, eq + 1, diag, where) < 0)
            rc = -1;
    }
    fclose(f);
    return rc;
}

int gw_fontset_primary(const struct gw_fontset *fs, int role)
{
    if (role < 0 || role >= fs->nroles || fs->roles[role].nchain == 0)
        return -1;
    return fs->roles[role].chain[0];
}

bool gw_fontset_standin(const struct gw_fontset *fs, int role)
{
    return role >= 0 && role < fs->nroles && fs->roles[role].nchain > 0 &&
           fs->roles[role].standin_from == 0;
}

int gw_fontset_pick_own(const struct gw_fontset *fs, int role, uint32_t cp, uint32_t *gid)
{
    if (role >= 0 && role < fs->nroles) {
        const struct gw_role *r = &fs->roles[role];
        for (int i = 0; i < r->nchain; i++)
            if (gw_font_glyph(fs->fonts[r->chain[i]], cp, gid))
                return r->chain[i];
    }
    return -1;
}

int gw_fontset_pick(const struct gw_fontset *fs, int role, uint32_t cp, uint32_t *gid)
{
    int f = gw_fontset_pick_own(fs, role, cp, gid);
    if (f >= 0)
        return f;
    int fb = gw_fontset_role(fs, "fallback");
    return fb >= 0 && fb != role ? gw_fontset_pick_own(fs, fb, cp, gid) : -1;
}

bool gw_fontset_role_names(const struct gw_role *role, const char *family)
{
    size_t flen = strlen(family);
    for (const char *p = role->wanted; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == flen && !memcmp(p, family, len))
            return true;
        p = end ? end + 1 : p + strlen(p);
    }
    return false;
}
