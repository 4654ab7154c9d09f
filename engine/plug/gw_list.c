/*
 * gw_list: `gongwen plugins` (see gw_plug.h).
 *
 * Owns: listing the section types the host loaded and the layout and rule
 * set files in each plugin folder. May call nothing of the host but its
 * section types and folders; it loads no plugin.
 */
#include "gw_plug_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* List NAME.lua files under dir (and its subfolders, as sub/NAME) with their paths. */
static void list_lua(FILE *out, const char *dir, const char *prefix, int depth)
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
            list_lua(out, path, name, depth + 1);
        } else if (l > 4 && !strcmp(names[i] + l - 4, ".lua")) {
            snprintf(name, sizeof name, "%s%.*s", prefix, (int)(l - 4), names[i]);
            fprintf(out, "  %-22s %s\n", name, path);
        }
        free(names[i]);
    }
}

/* `gongwen plugins`: the section types, then each folder's layouts and rule sets. */
int gw_plug_list(struct gw_plug *p, FILE *out)
{
    fprintf(out, "section types (first match wins, in file-name order):\n");
    for (int i = 0; i < p->ntypes; i++)
        fprintf(out, "  %-12s %-28s %s\n", p->types[i].name,
                p->types[i].pattern ? p->types[i].pattern : "(default)", p->types[i].file);
    const char *subs[] = {"layouts", "rules"};
    for (int s = 0; s < 2; s++) {
        fprintf(out, "%s (a later folder's file overrides an earlier one of the same name):\n",
                subs[s]);
        for (int i = 0; i < p->ndirs; i++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/%s", p->dirs[i], subs[s]);
            list_lua(out, dir, "", 0);
        }
    }
    return 0;
}
