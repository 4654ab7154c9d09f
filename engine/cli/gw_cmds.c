/*
 * gw_cmds: the commands that report rather than build: `gongwen fonts`,
 * `plugins`, `layout`, `check` and `dump`, each as text or, with
 * --format json, one JSON document on stdout (docs/cli.md;
 * docs/cli.schema.json). What they list comes from the stages' public
 * functions; the run's own diagnostics go to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../doc/gw_doc.h"
#include "../font/gw_font.h"
#include "../font/gw_fontset.h"
#include "../plug/gw_plug.h"
#include "../read/gw_read.h"
#include "../util/gw_json.h"
#include "gw_cli.h"
#include "gw_fonts_report.h"

/* One role and its chain of fonts, as text or a JSON object. */
static void print_role(const struct gw_fontset *fs, const struct gw_role *role, bool json,
                       bool first)
{
    if (json) {
        fputs(first ? "{\"role\":" : ",{\"role\":", stdout);
        gw_json_cstr(stdout, role->name);
        gw_json_key(stdout, "wanted", 0);
        const char *w = role->wanted ? role->wanted : "";
        while (*w == ' ' || *w == '\t')
            w++;
        gw_json_cstr(stdout, w);
        fputs(",\"fonts\":[", stdout);
        for (int i = 0; i < role->nchain; i++) {
            const struct gw_font *f = fs->fonts[role->chain[i]];
            fputs(i ? ",{\"family\":" : "{\"family\":", stdout);
            gw_json_cstr(stdout, gw_font_family(f));
            gw_json_key(stdout, "file", 0);
            gw_json_cstr(stdout, gw_font_path(f));
            printf(",\"index\":%u,\"cff\":%s,\"standin\":%s}", gw_font_index(f),
                   gw_font_is_cff(f) ? "true" : "false", i >= role->standin_from ? "true" : "false");
        }
        fputs("]}", stdout);
        return;
    }
    gw_fonts_role(fs, role, stdout);
}

/* The roles whose list names one of family's names (one a line), as text or JSON. */
static int print_family_roles(const struct gw_fontset *fs, const char *family, bool json)
{
    int k = 0;
    for (int r = 0; r < fs->nroles; r++) {
        bool named = false;
        for (const char *p = family; *p && !named;) {
            const char *end = strchr(p, '\n');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            char one[512];
            snprintf(one, sizeof one, "%.*s", (int)len, p);
            named = gw_fontset_role_names(&fs->roles[r], one);
            p += len + (end != NULL);
        }
        if (!named)
            continue;
        if (json) {
            fputs(k ? "," : "", stdout);
            gw_json_cstr(stdout, fs->roles[r].name);
        } else {
            printf(" %s", fs->roles[r].name);
        }
        k++;
    }
    return k;
}

/*
 * --all: every installed family that covers Chinese, with the roles whose
 * list (roles.conf) names it: the roles it could fill.
 */
static void print_families(const struct gw_fontset *fs, bool json)
{
    char **fam = NULL;
    int n = gw_font_list_cjk(&fam);
    if (json)
        fputs(",\"installed\":[", stdout);
    else
        printf("installed CJK families (%d), with the roles whose list in roles.conf names "
               "them:\n", n);
    for (int i = 0; i < n; i++) {
        if (json) {
            fputs(i ? ",{\"names\":[" : "{\"names\":[", stdout);
            for (const char *p = fam[i]; *p;) {
                const char *end = strchr(p, '\n');
                size_t len = end ? (size_t)(end - p) : strlen(p);
                fputs(p == fam[i] ? "" : ",", stdout);
                gw_json_str(stdout, p, len);
                p += len + (end != NULL);
            }
            fputs("],\"roles\":[", stdout);
            print_family_roles(fs, fam[i], true);
            fputs("]}", stdout);
        } else {
            fputs("  ", stdout);
            for (const char *p = fam[i]; *p; p++)
                fputs(*p == '\n' ? ", " : (char[]){*p, 0}, stdout);
            fputs(":", stdout);
            if (!print_family_roles(fs, fam[i], false))
                fputs(" (no role names it)", stdout);
            fputs("\n", stdout);
        }
        free(fam[i]);
    }
    free(fam);
    if (json)
        fputs("]", stdout);
}

int gw_cli_fonts(const struct options *o, struct gw_diag *diag)
{
    struct gw_cli_dirs dirs;
    struct gw_plug_opts po;
    gw_cli_plugin_opts(o, o->ninputs ? o->inputs[0] : NULL, &po, &dirs);
    struct gw_fontset fs;
    if (o->json && o->ninputs) {
        gw_diag_error(diag, gw_span_file(NULL),
                      "fonts --format json lists the roles only; check inputs without it");
        return GW_EXIT_USAGE;
    }
    gw_fontset_init(&fs, dirs.fonts);
    char map[4200];
    snprintf(map, sizeof map, "%s/roles.conf", dirs.fonts);
    int rc = gw_fontset_load_map(&fs, map, diag);
    if (o->json)
        fputs("{\"roles\":[", stdout);
    for (int r = 0; r < fs.nroles; r++)
        print_role(&fs, &fs.roles[r], o->json, r == 0);
    if (o->json)
        fputs("]", stdout);
    if (o->all)
        print_families(&fs, o->json);
    if (o->json)
        fputs("}\n", stdout);
    gw_fontset_fini(&fs);
    if (rc < 0)
        return GW_EXIT_FAILED;
    /* with inputs: every character that no font of its role (or the fallback) covers */
    struct options check = *o;
    check.check_only = 1;
    int failed = 0;
    for (int i = 0; i < o->ninputs; i++)
        failed += gw_cli_build_one(&check, o->inputs[i], "-", diag) != 0;
    return failed ? GW_EXIT_FAILED : GW_EXIT_OK;
}

int gw_cli_plugins(const struct options *o, struct gw_diag *diag)
{
    struct gw_cli_dirs dirs;
    struct gw_plug_opts po;
    gw_cli_plugin_opts(o, o->ninputs ? o->inputs[0] : NULL, &po, &dirs);
    struct gw_plug *p = gw_plug_new(&po, diag);
    if (!p)
        return GW_EXIT_FAILED;
    gw_plug_list(p, stdout, o->json);
    gw_plug_free(p);
    return GW_EXIT_OK;
}

int gw_cli_layout(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs < 1 || o->ninputs > 2) {
        fputs("usage: gongwen layout NAME [INPUT] [--plugin-path DIR] [--format json]\n", stderr);
        return GW_EXIT_USAGE;
    }
    struct gw_cli_dirs dirs;
    struct gw_plug_opts po;
    gw_cli_plugin_opts(o, o->ninputs == 2 ? o->inputs[1] : NULL, &po, &dirs);
    struct gw_plug *p = gw_plug_new(&po, diag);
    if (!p)
        return GW_EXIT_FAILED;
    int rc = gw_plug_layout_dump(p, o->inputs[0], stdout, o->json);
    gw_plug_free(p);
    return rc < 0 ? GW_EXIT_FAILED : GW_EXIT_OK;
}

/*
 * check: the findings go to stdout (one line each, or JSON objects), the
 * run's own diagnostics to stderr; a summary line (or object) ends it.
 */
int gw_cli_check(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs == 0) {
        fputs("usage: gongwen check INPUT... [--format json]\n", stderr);
        return GW_EXIT_USAGE;
    }
    diag->findings = stdout;
    diag->findings_json = o->json;
    if (o->json)
        fputs("{\"findings\":[", stdout);
    int found = 0, failed = 0;
    for (int i = 0; i < o->ninputs; i++) {
        char *src;
        size_t len;
        bool refused = false;
        struct gw_doc *doc = gw_cli_load_doc(o, o->inputs[i], &src, &len, &refused, diag);
        if (!doc) {
            failed++;
            continue;
        }
        failed += refused; /* the rules still run over what was read */
        struct gw_cli_dirs dirs;
        struct gw_fontset fs;
        struct gw_plug *p = gw_cli_host(o, o->inputs[i], &dirs, &fs, diag);
        int n = p ? gw_plug_check(p, doc, &fs) : -1;
        if (n < 0)
            failed++;
        else
            found += n;
        gw_plug_free(p);
        gw_fontset_fini(&fs);
        gw_doc_free(doc);
        free(src);
    }
    if (o->json) {
        printf("],\"summary\":{\"findings\":%d,\"files\":%d,\"failed\":%d}}\n", found,
               o->ninputs, failed);
    } else {
        printf("%d finding%s in %d file%s", found, found == 1 ? "" : "s", o->ninputs,
               o->ninputs == 1 ? "" : "s");
        if (failed)
            printf("; %d could not be checked (see the errors)", failed);
        printf("\n");
    }
    diag->findings = NULL;
    return failed ? GW_EXIT_USAGE : found ? GW_EXIT_FAILED : GW_EXIT_OK;
}

int gw_cli_dump(const struct options *o, struct gw_diag *diag)
{
    int rc = GW_EXIT_OK;
    if (o->json && o->ninputs != 1) {
        fputs("usage: gongwen dump INPUT --format json (one input)\n", stderr);
        return GW_EXIT_USAGE;
    }
    for (int i = 0; i < o->ninputs; i++) {
        size_t len;
        char *src = gw_cli_read_input(o->inputs[i], &len, diag);
        if (!src) {
            rc = GW_EXIT_FAILED;
            continue;
        }
        struct gw_doc *doc = gw_doc_new(gw_cli_input_name(o->inputs[i]));
        struct gw_read_opts ro = {.lossy = o->lossy};
        if (gw_read(doc, src, len, &ro, diag) < 0)
            rc = GW_EXIT_FAILED; /* what was read is still shown, lines in error left out */
        if (o->json)
            gw_doc_dump_json(doc, stdout);
        else
            gw_doc_dump(doc, stdout);
        gw_doc_free(doc);
        free(src);
    }
    return rc;
}
