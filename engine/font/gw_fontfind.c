/*
 * gw_fontfind.c - family name -> installed font file, through fontconfig
 * and a lookup cache (the gw_font_find part of gw_font.h).
 *
 * fc.FcInit() parses ~40 configuration files and loads the font caches: about
 * 8 ms, more than the rest of opening four fonts. Most builds ask for the
 * same few families, so the answers (including "not installed") are kept
 * in a small text file, $XDG_CACHE_HOME/gongwen/fontconfig.cache, and
 * fontconfig is not started at all while it is valid.
 *
 * Validity is fontconfig's own rule for its caches: the file records the
 * modification time of every font directory, every configuration file and
 * folder, and the FONTCONFIG_* environment; a font installed or removed
 * changes a directory's time, and then the file is ignored and rewritten.
 * An answer whose font file has gone is looked up again. GONGWEN_FONT_CACHE
 * names another cache file, or turns the cache off with "off".  fontconfig
 * itself is loaded (dlopen) only when the cache cannot answer.
 *
 * The file is never trusted: it is read only whole (util/gw_cache's seal)
 * and only if every line is as cache_save writes it (cache_load), and an
 * answer is used only once its face carries the family's name
 * (gw_fontset.c, gw_font_find_again).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "../util/gw_buf.h"
#include "../util/gw_cache.h"
#include "../util/gw_dl.h"
#include "gw_font.h"

#define CACHE_MAGIC       "gongwen-font-cache 3" /* bump when the choice of face changes */
#define CACHE_MAX_ANSWERS 4096

/* ---- fontconfig ------------------------------------------------------- */

/*
 * fontconfig is loaded with dlopen on the first lookup the cache cannot
 * answer: linking it (with expat and FreeType, which it needs for
 * scanning fonts) loaded them in every run, before main, though the cache
 * answers nearly every run.  These are the functions gongwen calls, with
 * fontconfig's own prototypes.
 */
#define GW_FC_FUNCTIONS(X)                                                                         \
    X(FcInitLoadConfig)                                                                            \
    X(FcConfigBuildFonts)                                                                          \
    X(FcConfigSetCurrent)                                                                          \
    X(FcConfigDestroy)                                                                             \
    X(FcFini)                                                                                      \
    X(FcConfigGetCurrent)                                                                          \
    X(FcConfigGetConfigDirs)                                                                       \
    X(FcConfigGetFontDirs)                                                                         \
    X(FcConfigGetConfigFiles)                                                                      \
    X(FcStrListNext)                                                                               \
    X(FcStrListDone)                                                                               \
    X(FcPatternCreate)                                                                             \
    X(FcPatternAddString)                                                                          \
    X(FcObjectSetBuild)                                                                            \
    X(FcFontList)                                                                                  \
    X(FcPatternGetString)                                                                          \
    X(FcPatternGetInteger)                                                                         \
    X(FcFontSetDestroy)                                                                            \
    X(FcObjectSetDestroy)                                                                          \
    X(FcPatternDestroy)
#define GW_FC_LIBRARY "libfontconfig.so.1"

#define GW_FC_POINTER(name) __typeof__(name) *name;
static struct {
    GW_FC_FUNCTIONS(GW_FC_POINTER)
} fc;
#undef GW_FC_POINTER

static bool fc_started, fc_ready;

/* Load fontconfig's functions; false (with a message on stderr) if it cannot be loaded. */
static bool fc_load(void)
{
#define GW_FC_NAME(name) #name,
#define GW_FC_SLOT(name) (void *)&fc.name,
    static const char *const names[] = {GW_FC_FUNCTIONS(GW_FC_NAME)};
    void *const slots[] = {GW_FC_FUNCTIONS(GW_FC_SLOT)};
#undef GW_FC_NAME
#undef GW_FC_SLOT
    char err[300];
    if (gw_dl_load("fontconfig", GW_FC_LIBRARY, names, slots, sizeof names / sizeof names[0], err,
                   sizeof err)) {
        fprintf(stderr, "gongwen: fonts cannot be looked up: %s\n", err);
        return false;
    }
    return true;
}

static void stamps_of(FcConfig *cfg, struct gw_buf *b);

/*
 * The stamps of fontconfig's configuration taken before it scans the font
 * folders (see stamps): what FcInit does, in two steps.
 */
static struct gw_buf before_scan;

/* One-time fontconfig initialisation (library, config, font cache). */
static void fc_init(void)
{
    if (fc_started)
        return;
    fc_started = true;
    if (!fc_load())
        return;
    FcConfig *cfg = fc.FcInitLoadConfig();
    if (!cfg)
        return;
    stamps_of(cfg, &before_scan);
    fc_ready = fc.FcConfigBuildFonts(cfg) == FcTrue && fc.FcConfigSetCurrent(cfg) == FcTrue;
    fc.FcConfigDestroy(cfg); /* the current configuration holds its own reference */
}

/*
 * Does the face's style name say it is bold, heavy, light or slanted? Its
 * weight does not always: FandolHei-Bold's OS/2 weight is 400, so
 * fontconfig gives both FandolHei faces weight 80 and only the style tells
 * them apart.
 */
static bool style_not_regular(FcPattern *p)
{
    static const char *const words[] = {"bold", "black", "heavy", "light", "thin", "italic",
                                        "oblique", "semi", "demi", "extra", "ultra"};
    FcChar8 *style;
    for (int i = 0; fc.FcPatternGetString(p, FC_STYLE, i, &style) == FcResultMatch; i++) {
        char low[128];
        size_t n = 0;
        for (; style[n] && n + 1 < sizeof low; n++)
            low[n] = (char)((style[n] >= 'A' && style[n] <= 'Z') ? style[n] + 32 : style[n]);
        low[n] = '\0';
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            if (strstr(low, words[w]))
                return true;
    }
    return false;
}

/*
 * Rank one listed face of the wanted family: lower is better.  Weight
 * distance from Regular dominates; a style named bold or light when the
 * weight says Regular, italic, non-normal width, non-glyf formats (CFF
 * works, but a TrueType face of the same family is preferred) and
 * variable-font named instances are pushed back.
 */
static long face_score(FcPattern *p)
{
    int weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
    int width = FC_WIDTH_NORMAL, index = 0;
    FcChar8 *fmt = NULL;
    long score = 0;

    if (style_not_regular(p))
        score += 50;

    fc.FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
    fc.FcPatternGetInteger(p, FC_SLANT, 0, &slant);
    fc.FcPatternGetInteger(p, FC_WIDTH, 0, &width);
    fc.FcPatternGetInteger(p, FC_INDEX, 0, &index);
    if (fc.FcPatternGetString(p, FC_FONTFORMAT, 0, &fmt) != FcResultMatch ||
        strcmp((const char *)fmt, "TrueType") != 0)
        score += 1000000;
    if (index > 0xFFFF)
        score += 100000;
    if (slant != FC_SLANT_ROMAN)
        score += 10000;
    score += 10L * labs((long)width - FC_WIDTH_NORMAL);
    score += labs((long)weight - FC_WEIGHT_REGULAR);
    return score;
}

/*
 * Ask fontconfig for the faces whose `object` (FC_FAMILY, FC_POSTSCRIPT_NAME,
 * FC_FULLNAME) is `name`. Uses FcFontList, which only returns fonts that
 * really carry the name (no substitution), then picks the most regular face.
 * Ties go to the smaller path/index so the result is deterministic.
 * Returns 0 with the file in path (a malloc'd string), or -1.
 */
static int fc_find_by(const char *object, const char *family, char **path, unsigned *index)
{
    FcPattern *pat = NULL, *best = NULL;
    FcObjectSet *os = NULL;
    FcFontSet *fs = NULL;
    long best_score = 0;
    FcChar8 *file = NULL;
    int best_index = 0, rc = -1;

    fc_init();
    if (!fc_ready)
        return -1;
    pat = fc.FcPatternCreate();
    if (!pat)
        goto out;
    if (!fc.FcPatternAddString(pat, object, (const FcChar8 *)family))
        goto free_pattern;
    os = fc.FcObjectSetBuild(FC_FAMILY, FC_FILE, FC_INDEX, FC_WEIGHT, FC_SLANT, FC_WIDTH,
                             FC_FONTFORMAT, FC_STYLE, (char *)NULL);
    if (!os)
        goto free_pattern;
    fs = fc.FcFontList(NULL, pat, os);
    if (!fs)
        goto free_objectset;
    for (int i = 0; i < fs->nfont; i++) {
        FcPattern *p = fs->fonts[i];
        FcChar8 *f1 = NULL, *f2 = NULL;
        int i1 = 0, i2 = 0;
        if (fc.FcPatternGetString(p, FC_FILE, 0, &f1) != FcResultMatch)
            continue;
        fc.FcPatternGetInteger(p, FC_INDEX, 0, &i1);
        long s = face_score(p);
        if (best) {
            fc.FcPatternGetString(best, FC_FILE, 0, &f2);
            fc.FcPatternGetInteger(best, FC_INDEX, 0, &i2);
            if (s > best_score)
                continue;
            if (s == best_score) {
                int c = strcmp((const char *)f1, (const char *)f2);
                if (c > 0 || (c == 0 && i1 >= i2))
                    continue;
            }
        }
        best = p;
        best_score = s;
    }
    if (best) {
        fc.FcPatternGetString(best, FC_FILE, 0, &file);
        fc.FcPatternGetInteger(best, FC_INDEX, 0, &best_index);
        *path = strdup((const char *)file);
        *index = (unsigned)best_index & 0xFFFFu;
        rc = *path ? 0 : -1;
    }
    fc.FcFontSetDestroy(fs);
free_objectset:
    fc.FcObjectSetDestroy(os);
free_pattern:
    fc.FcPatternDestroy(pat);
out:
    return rc;
}

/* A family name first; else a face's PostScript name ("FandolSong-Bold") or full name. */
static int fc_find(const char *name, char **path, unsigned *index)
{
    return fc_find_by(FC_FAMILY, name, path, index) == 0 ||
                   fc_find_by(FC_POSTSCRIPT_NAME, name, path, index) == 0 ||
                   fc_find_by(FC_FULLNAME, name, path, index) == 0
               ? 0
               : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int gw_font_list_cjk(char ***families)
{
    *families = NULL;
    fc_init();
    if (!fc_ready)
        return 0;
    FcPattern *pat = fc.FcPatternCreate();
    FcObjectSet *os = fc.FcObjectSetBuild(FC_FAMILY, (char *)NULL);
    FcFontSet *fs = NULL;
    if (pat && os && fc.FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"zh-cn"))
        fs = fc.FcFontList(NULL, pat, os);
    char **out = NULL;
    int n = 0, cap = 0;
    for (int i = 0; fs && i < fs->nfont; i++) {
        /* every name of the family, "AR PL UKai CN\nAR PL UKai" */
        struct gw_buf names;
        gw_buf_init(&names);
        FcChar8 *name;
        for (int k = 0; fc.FcPatternGetString(fs->fonts[i], FC_FAMILY, k, &name) == FcResultMatch;
             k++)
            gw_buf_printf(&names, "%s%s", k ? "\n" : "", (const char *)name);
        if (!names.len)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **grown = realloc(out, (size_t)cap * sizeof *out);
            if (!grown) {
                gw_buf_free(&names);
                break;
            }
            out = grown;
        }
        out[n++] = gw_buf_detach(&names, NULL);
    }
    if (n)
        qsort(out, (size_t)n, sizeof *out, cmp_str);
    int kept = 0; /* the same name from several faces once */
    for (int i = 0; i < n; i++) {
        if (kept && !strcmp(out[kept - 1], out[i]))
            free(out[i]);
        else
            out[kept++] = out[i];
    }
    if (fs)
        fc.FcFontSetDestroy(fs);
    if (os)
        fc.FcObjectSetDestroy(os);
    if (pat)
        fc.FcPatternDestroy(pat);
    *families = out;
    return kept;
}

/* ---- the lookup cache ------------------------------------------------- */

struct answer {
    char *family;
    char *path; /* NULL: not installed */
    unsigned index;
};

static struct {
    bool loaded;  /* the file was read (or found missing/stale) */
    bool enabled; /* there is a cache file to use */
    char file[PATH_MAX];
    struct answer *a;
    int n, cap;
    int hits, misses;
    struct gw_buf stamps; /* this process's stamps, made once (fontconfig's set-up is fixed) */
} cache;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The environment fontconfig reads its configuration from. */
static void env_line(struct gw_buf *b)
{
    const char *vars[] = {"FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"};
    gw_buf_adds(b, "e");
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        gw_buf_printf(b, "\t%s", v ? v : "");
    }
    gw_buf_addc(b, '\n');
}

/* "s <sec> <nsec> <path>" for one file or folder ("s - - <path>" if absent). */
static void stamp(struct gw_buf *b, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        gw_buf_printf(b, "s %lld %ld %s\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                      path);
    else
        gw_buf_printf(b, "s - - %s\n", path);
}

/* The stamps of configuration cfg: its configuration folders, font folders and files. */
static void stamps_of(FcConfig *cfg, struct gw_buf *b)
{
    FcStrList *lists[3] = {fc.FcConfigGetConfigDirs(cfg), fc.FcConfigGetFontDirs(cfg),
                           fc.FcConfigGetConfigFiles(cfg)};
    char last_dir[PATH_MAX] = "";
    for (int i = 0; i < 3; i++) {
        FcChar8 *s;
        if (!lists[i])
            continue;
        while ((s = fc.FcStrListNext(lists[i]))) {
            stamp(b, (const char *)s);
            if (i == 2) { /* a configuration file's folder: conf.d gains files */
                char dir[PATH_MAX];
                snprintf(dir, sizeof dir, "%s", (const char *)s);
                char *slash = strrchr(dir, '/');
                if (slash && slash != dir) {
                    *slash = '\0';
                    if (strcmp(dir, last_dir) != 0)
                        stamp(b, dir);
                    snprintf(last_dir, sizeof last_dir, "%s", dir);
                }
            }
        }
        fc.FcStrListDone(lists[i]);
    }
}

/*
 * The stamps of fontconfig's current configuration (starts fontconfig): the
 * folders as it found them after its scan (every folder under a font folder
 * too), and any stamp taken before the scan that no longer reads the same.
 * Such a line contradicts its twin, so a font installed or removed while
 * fontconfig scanned leaves a cache that will not hold, never one that
 * records what the scan missed as the answer for the new folder's time.
 */
static void stamps(struct gw_buf *b)
{
    fc_init();
    FcConfig *cfg = fc_ready ? fc.FcConfigGetCurrent() : NULL;
    if (!cfg)
        return;
    stamps_of(cfg, b);
    size_t after = b->len;
    for (const char *l = before_scan.data; l && *l;) {
        const char *end = strchr(l, '\n');
        size_t n = (size_t)(end - l) + 1;
        bool same = false;
        for (const char *m = b->data; m < b->data + after && !same;) {
            const char *mend = strchr(m, '\n');
            same = (size_t)(mend - m) + 1 == n && !memcmp(m, l, n);
            m = mend + 1;
        }
        if (!same)
            gw_buf_add(b, l, n);
        l = end + 1;
    }
}

/* Does the stamp line (without "s ") still hold? */
static bool stamp_holds(const char *line)
{
    char sec[32], nsec[32];
    int used = 0;
    if (sscanf(line, "%31s %31s %n", sec, nsec, &used) != 2 || used == 0)
        return false;
    const char *path = line + used;
    struct stat st;
    if (!strcmp(sec, "-"))
        return stat(path, &st) != 0 && errno == ENOENT;
    return stat(path, &st) == 0 && strtoll(sec, NULL, 10) == (long long)st.st_mtim.tv_sec &&
           strtol(nsec, NULL, 10) == st.st_mtim.tv_nsec;
}

static void add_answer(const char *family, const char *path, unsigned index)
{
    if (cache.n == cache.cap) {
        int cap = cache.cap ? cache.cap * 2 : 32;
        struct answer *a = realloc(cache.a, (size_t)cap * sizeof *a);
        if (!a)
            return;
        cache.a = a;
        cache.cap = cap;
    }
    char *f = strdup(family), *p = path ? strdup(path) : NULL;
    if (!f || (path && !p)) {
        free(f);
        free(p);
        return;
    }
    cache.a[cache.n++] = (struct answer){f, p, index};
}

static void drop_answers(void)
{
    for (int i = 0; i < cache.n; i++) {
        free(cache.a[i].family);
        free(cache.a[i].path);
    }
    cache.n = 0;
}

/* Where the cache lives; false when it is off. */
static bool cache_file(char *out, size_t len)
{
    const char *set = getenv("GONGWEN_FONT_CACHE");
    if (set && (!*set || !strcmp(set, "off") || !strcmp(set, "0")))
        return false;
    if (set)
        return snprintf(out, len, "%s", set) < (int)len;
    return gw_cache_path("fontconfig.cache", out, len);
}

/* A family name the cache can hold (its lines are tab- and newline-separated): no control
 * characters. */
static bool cacheable(const char *family)
{
    for (; *family; family++)
        if ((unsigned char)*family < 0x20 || *family == 0x7f)
            return false;
    return true;
}

/* A path the cache may name: absolute, no control characters. */
static bool clean_path(const char *p)
{
    if (p[0] != '/')
        return false;
    for (; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

/* A decimal number in [lo, hi], the whole of s. */
static bool number_in(const char *s, long lo, long hi, long *v)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (end == s || *end || errno || n < lo || n > hi ||
        (s[0] != '-' && !(s[0] >= '0' && s[0] <= '9')))
        return false;
    *v = n;
    return true;
}

/* Is the stamp line "<sec> <nsec> <path>" (after "s ") well formed, and does it still hold? */
static bool stamp_line_holds(char *line)
{
    char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp2 || !clean_path(sp2 + 1))
        return false;
    *sp1 = *sp2 = '\0';
    long v;
    bool absent = !strcmp(line, "-") && !strcmp(sp1 + 1, "-");
    bool timed = number_in(line, LONG_MIN, LONG_MAX, &v) && number_in(sp1 + 1, 0, 999999999, &v);
    *sp1 = *sp2 = ' ';
    return (absent || timed) && stamp_holds(line);
}

/* One answer line "<index> <family>\t<path>" (after "f "), index -1 meaning not installed. */
static bool answer_line(char *line)
{
    char *sp = strchr(line, ' '), *tab = strchr(line, '\t');
    if (!sp || !tab || sp > tab || tab == sp + 1)
        return false;
    *sp = *tab = '\0';
    const char *family = sp + 1, *path = tab + 1;
    long idx;
    if (!number_in(line, -1, 0xFFFF, &idx) || !*family || !cacheable(family) ||
        (idx < 0 ? *path != '\0' : !clean_path(path)))
        return false;
    for (int i = 0; i < cache.n; i++)
        if (!strcmp(cache.a[i].family, family))
            return false; /* each family once */
    if (cache.n == CACHE_MAX_ANSWERS)
        return false;
    add_answer(family, idx < 0 ? NULL : path, idx < 0 ? 0 : (unsigned)idx);
    return true;
}

/*
 * Read the cache file. Its answers count only if the file is whole (sealed,
 * gw_cache_read) and every line is what cache_save writes, in its order:
 * the magic line with this version, the environment line (the same as now),
 * one or more stamps (each still holding), the answers. Anything else (a
 * torn, foreign or hand-made file) is ignored, and rewritten with the first
 * answer fontconfig gives.
 */
static void cache_load(void)
{
    cache.loaded = true;
    cache.enabled = cache_file(cache.file, sizeof cache.file);
    if (!cache.enabled)
        return;
    struct gw_buf text, env;
    gw_buf_init(&text);
    gw_buf_init(&env);
    env_line(&env);
    bool ok = gw_cache_read(cache.file, &text) == 0;
    int nstamps = 0, part = 0; /* 0 magic, 1 environment, 2 stamps, 3 answers */
    for (char *line = text.data; ok && line && *line;) {
        char *end = strchr(line, '\n');
        if (!end) {
            ok = false;
            break;
        }
        *end = '\0';
        if (part == 0) {
            ok = !strcmp(line, CACHE_MAGIC " " GW_VERSION);
            part = 1;
        } else if (part == 1) {
            ok = !strncmp(line, env.data, env.len - 1) && env.len - 1 == (size_t)(end - line);
            part = 2;
        } else if (part == 2 && !strncmp(line, "s ", 2)) {
            ok = stamp_line_holds(line + 2);
            nstamps++;
        } else if (nstamps > 0 && !strncmp(line, "f ", 2)) {
            ok = answer_line(line + 2);
            part = 3;
        } else {
            ok = false;
        }
        line = end + 1;
    }
    if (!ok || nstamps == 0)
        drop_answers();
    gw_buf_free(&text);
    gw_buf_free(&env);
}

/* Write every answer with fresh stamps, atomically (parallel builds may race). */
static void cache_save(void)
{
    if (!cache.enabled)
        return;
    struct gw_buf b;
    gw_buf_init(&b);
    gw_buf_adds(&b, CACHE_MAGIC " " GW_VERSION "\n");
    env_line(&b);
    if (!cache.stamps.len) /* a cold start writes the file once per new answer */
        stamps(&cache.stamps);
    gw_buf_add(&b, cache.stamps.data, cache.stamps.len);
    for (int i = 0; i < cache.n; i++)
        gw_buf_printf(&b, "f %d %s\t%s\n", cache.a[i].path ? (int)cache.a[i].index : -1,
                      cache.a[i].family, cache.a[i].path ? cache.a[i].path : "");
    gw_cache_write(cache.file, b.data, b.len); /* a cache that cannot be written is just not used */
    gw_buf_free(&b);
}

/* Copy an answer out: 0, or -1 when there is none or it does not fit. */
static int give(const char *found, unsigned idx, char *path, size_t pathlen, unsigned *index)
{
    if (!found || strlen(found) >= pathlen)
        return -1;
    strcpy(path, found);
    if (index)
        *index = idx;
    return 0;
}

/* Ask fontconfig (under cache_lock), and keep its answer in place of any cached one. */
static int ask(const char *family, char *path, size_t pathlen, unsigned *index)
{
    char *found = NULL;
    unsigned idx = 0;
    int r = fc_find(family, &found, &idx);
    cache.misses++;
    int rc = give(r == 0 ? found : NULL, idx, path, pathlen, index);
    if (fc_ready && cacheable(family) && (r != 0 || clean_path(found))) {
        for (int i = 0; i < cache.n; i++)
            if (!strcmp(cache.a[i].family, family)) { /* a stale answer: replace it */
                free(cache.a[i].family);
                free(cache.a[i].path);
                cache.a[i] = cache.a[--cache.n];
                break;
            }
        add_answer(family, r == 0 ? found : NULL, idx);
        cache_save();
    }
    free(found);
    return rc;
}

/* gw_font_find, or with fresh set gw_font_find_again. */
static int find(const char *family, char *path, size_t pathlen, unsigned *index, bool fresh)
{
    if (!family || !*family || !path || pathlen == 0)
        return -1;
    pthread_mutex_lock(&cache_lock);
    if (!cache.loaded)
        cache_load();
    int rc = -1;
    bool known = false;
    for (int i = 0; i < cache.n && !known && !fresh; i++) {
        const struct answer *a = &cache.a[i];
        if (strcmp(a->family, family) != 0)
            continue;
        if (a->path && access(a->path, R_OK) != 0)
            break; /* the file went away: ask fontconfig again */
        known = true;
        rc = give(a->path, a->index, path, pathlen, index);
    }
    if (known)
        cache.hits++;
    else
        rc = ask(family, path, pathlen, index);
    pthread_mutex_unlock(&cache_lock);
    return rc;
}

int gw_font_find(const char *family, char *path, size_t pathlen, unsigned *index)
{
    return find(family, path, pathlen, index, false);
}

int gw_font_find_again(const char *family, char *path, size_t pathlen, unsigned *index)
{
    return find(family, path, pathlen, index, true);
}

void gw_font_find_stats(int *hits, int *misses)
{
    pthread_mutex_lock(&cache_lock);
    if (hits)
        *hits = cache.hits;
    if (misses)
        *misses = cache.misses;
    pthread_mutex_unlock(&cache_lock);
}

/* Release fontconfig's process-wide state and the cache (at exit, after all lookups). */
void gw_font_shutdown(void)
{
    pthread_mutex_lock(&cache_lock);
    drop_answers();
    free(cache.a);
    cache.a = NULL;
    gw_buf_free(&cache.stamps);
    gw_buf_free(&before_scan);
    cache.cap = 0;
    cache.loaded = false;
    if (fc_ready)
        fc.FcFini();
    fc_ready = fc_started = false;
    pthread_mutex_unlock(&cache_lock);
}
