/*
 * gw_list: `gongwen plugins` (see gw_plug.h), as text or JSON.
 *
 * Owns: listing the section types the host loaded and the layout and rule
 * set files in each plugin folder, with columns aligned by display width
 * (a Han character takes two). May call nothing of the host but its
 * section types and folders; it loads no plugin.
 */
#include "gw_plug_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/gw_json.h"
#include "../util/gw_utf8.h"

/* s, then spaces to width columns (at least one space after s). */
static void pad(FILE *out, const char *s, size_t width)
{
    size_t w = gw_utf8_width(s, strlen(s));
    fprintf(out, "%s%*s", s, (int)(w < width ? width - w : 1), "");
}

/*
 * List NAME.lua files under dir (and its subfolders, as sub/NAME) with
 * their paths: a text line each, or (json) an object each, *first false
 * once one is written.
 */
static void list_lua(FILE *out, const char *dir, const char *prefix, int depth, bool json,
                     int folder, bool *first)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 512)
        if (e->d_name[0] != '.')
            names[n++] = gw_xstrdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, gw_plug_cmp_cstr);
    for (int i = 0; i < n; i++) {
        char path[8192], name[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t l = strlen(names[i]);
        struct stat st;
        if (depth < 3 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(name, sizeof name, "%s%s/", prefix, names[i]);
            list_lua(out, path, name, depth + 1, json, folder, first);
        } else if (l > 4 && !strcmp(names[i] + l - 4, ".lua")) {
            snprintf(name, sizeof name, "%s%.*s", prefix, (int)(l - 4), names[i]);
            if (json) {
                fputs(*first ? "{\"name\":" : ",{\"name\":", out);
                gw_json_cstr(out, name);
                gw_json_key(out, "file", 0);
                gw_json_cstr(out, path);
                fprintf(out, ",\"folder\":%d}", folder);
                *first = false;
            } else {
                fputs("  ", out);
                pad(out, name, 23);
                fprintf(out, "%s\n", path);
            }
        }
        free(names[i]);
    }
}

static int list_json(struct gw_plug *p, FILE *out)
{
    fputs("{\"folders\":[", out);
    for (int i = 0; i < p->ndirs; i++) {
        gw_json_cstr(out, p->dirs[i]);
        fputs(i + 1 < p->ndirs ? "," : "", out);
    }
    fputs("],\"section_types\":[", out);
    for (int i = 0; i < p->ntypes; i++) {
        fputs(i ? ",{\"name\":" : "{\"name\":", out);
        gw_json_cstr(out, p->types[i].name);
        gw_json_key(out, "match", 0);
        gw_json_cstr(out, p->types[i].pattern);
        gw_json_key(out, "file", 0);
        gw_json_cstr(out, p->types[i].file);
        fputs("}", out);
    }
    const char *subs[] = {"layouts", "rules"};
    for (int s = 0; s < 2; s++) {
        fprintf(out, "],\"%s\":[", subs[s]);
        bool first = true;
        for (int i = 0; i < p->ndirs; i++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/%s", p->dirs[i], subs[s]);
            list_lua(out, dir, "", 0, true, i, &first);
        }
    }
    fputs("]}\n", out);
    return 0;
}

/* `gongwen plugins`: the section types, then each folder's layouts and rule sets. */
int gw_plug_list(struct gw_plug *p, FILE *out, bool json)
{
    if (json)
        return list_json(p, out);
    size_t wname = 13, wmatch = 29; /* the widest name and pattern, in columns, and a space */
    for (int i = 0; i < p->ntypes; i++) {
        const char *m = p->types[i].pattern ? p->types[i].pattern : "(default)";
        size_t a = gw_utf8_width(p->types[i].name, strlen(p->types[i].name));
        size_t b = gw_utf8_width(m, strlen(m));
        wname = a + 1 > wname ? a + 1 : wname;
        wmatch = b + 1 > wmatch ? b + 1 : wmatch;
    }
    fprintf(out, "section types (first match wins, in file-name order):\n");
    for (int i = 0; i < p->ntypes; i++) {
        fputs("  ", out);
        pad(out, p->types[i].name, wname);
        pad(out, p->types[i].pattern ? p->types[i].pattern : "(default)", wmatch);
        fprintf(out, "%s\n", p->types[i].file);
    }
    const char *subs[] = {"layouts", "rules"};
    for (int s = 0; s < 2; s++) {
        fprintf(out, "%s (a later folder's file overrides an earlier one of the same name):\n",
                subs[s]);
        for (int i = 0; i < p->ndirs; i++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/%s", p->dirs[i], subs[s]);
            list_lua(out, dir, "", 0, false, i, NULL);
        }
    }
    return 0;
}
