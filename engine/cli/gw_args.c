/*
 * gw_args: the command line of `gongwen`: the usage text (every option
 * listed; docs/cli.md and the man page say the same) and parsing argv into
 * struct options (gw_cli.h). Which options a command accepts is checked by
 * the command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_cli.h"

const char gw_cli_usage[] =
    "usage: gongwen build INPUT... [-o OUT.pdf | -o - | -o DIR/] [-j N] [--layout NAME]\n"
    "                     [--plugin-path DIR] [--strict] [--lossy] [--explain] [--trace]\n"
    "                     [--timings]\n"
    "       gongwen watch INPUT [-o OUT.pdf] [--layout NAME] [--plugin-path DIR] [--strict]\n"
    "                                        rebuild whenever the input, its images, plugins,\n"
    "                                        layouts or roles.conf change\n"
    "       gongwen check INPUT... [--format json] [--plugin-path DIR]\n"
    "                                        report what the text rules would change or flag\n"
    "                                        (to stdout, with a summary line)\n"
    "       gongwen fix INPUT [-o OUT | --in-place [--no-backup] | --diff]\n"
    "                                        write the text with the rules applied (to stdout\n"
    "                                        without -o or --in-place; --diff: a unified diff)\n"
    "       gongwen fonts [INPUT...] [--all] [--format json]\n"
    "                                        show the font for each role (fonts/roles.conf);\n"
    "                                        with inputs, list characters no font covers;\n"
    "                                        --all: every installed CJK family and its roles\n"
    "       gongwen plugins [INPUT] [--plugin-path DIR] [--format json]\n"
    "                                        list section types, layouts and rule sets (with\n"
    "                                        INPUT: also ./plugins beside it)\n"
    "       gongwen layout NAME [INPUT] [--plugin-path DIR] [--format json]\n"
    "                                        print the effective layout, value by value, with\n"
    "                                        the file that set each\n"
    "       gongwen dump INPUT... [--lossy] [--format json]\n"
    "                                        print the document tree\n"
    "       gongwen new KIND                 print a starter text: 通知 请示 报告 函 纪要 命令 简报\n"
    "       gongwen serve [DIR] [--port N] [--listen ADDR] [-j N]\n"
    "                                        a local web page to write, check and preview the\n"
    "                                        documents in DIR (default: .; docs/serve.md)\n"
    "       gongwen --help | --version\n"
    "\n"
    "build turns each INPUT (UTF-8 text, see docs/input-format.md; - reads standard input)\n"
    "into a PDF. OUT defaults to INPUT with .pdf (for -, standard output). A failed build\n"
    "leaves any existing output file untouched; an output that is an input, another input's\n"
    "output or not a regular file is refused first.\n"
    "  -o PATH            output file (one input) or folder (several inputs); - is standard\n"
    "                     output (written only once the PDF is whole)\n"
    "  -j N               build N documents at once (default: the number of cores)\n"
    "  --layout NAME      layout from plugins/layouts/ (default: the header's 版式, or gbt9704)\n"
    "  --plugin-path DIR  extra plugin folder (sections/, layouts/, rules/); may repeat;\n"
    "                     its files override built-in files of the same relative path\n"
    "  --strict           treat warnings (e.g. a character no font has) as errors\n"
    "  --lossy            replace invalid UTF-8 with U+FFFD (a warning) instead of failing\n"
    "  --explain          note every change the text rules make\n"
    "  --trace            print the laid-out pages as text instead of writing a PDF\n"
    "  --timings          print the time of each pipeline stage to stderr\n"
    "  --format json      check, dump, fonts, plugins, layout: one JSON document on stdout\n"
    "                     (docs/cli.md, docs/cli.schema.json)\n"
    "  --in-place         fix: rewrite INPUT (keeping INPUT.bak unless --no-backup)\n"
    "  --diff             fix: print a unified diff of the changes; INPUT is untouched\n"
    "  --all              fonts: list the installed CJK families and the roles each could fill\n"
    "  --port N           serve: the port (default 8090; 0: any free one)\n"
    "  --listen ADDR      serve: the address (default 127.0.0.1; any other needs the token)\n"
    "Exit codes: 0 done; 1 failed (check: findings); 2 bad arguments (check: an input could\n"
    "not be read). See man gongwen or docs/cli.md.\n";

/* Set the option a names if it is a flag (an option without a value); false if it is not. */
static bool flag(struct options *o, const char *a)
{
    const struct {
        const char *name;
        int *on;
    } flags[] = {
        {"--strict", &o->strict},     {"--lossy", &o->lossy},       {"--trace", &o->trace},
        {"--timings", &o->timings},   {"--explain", &o->explain},   {"--in-place", &o->in_place},
        {"--no-backup", &o->no_backup}, {"--diff", &o->diff},       {"--all", &o->all},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (!strcmp(a, flags[i].name)) {
            *flags[i].on = 1;
            return true;
        }
    return false;
}

int gw_cli_parse(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->port = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(gw_cli_usage, stdout);
            exit(0);
        } else if (!strcmp(a, "--version")) {
            printf("gongwen %s (plugin API %d)\n", GW_VERSION, GW_PLUGIN_API);
            exit(0);
        } else if (!strcmp(a, "-j") && next) {
            o->jobs = atoi(next);
            i++;
        } else if (!strncmp(a, "-j", 2) && a[2]) {
            o->jobs = atoi(a + 2);
        } else if ((!strcmp(a, "--port") || !strcmp(a, "--listen")) && next) {
            char *end;
            long port = strtol(next, &end, 10);
            if (!strcmp(a, "--listen")) {
                o->listen = next;
            } else if (*end || port < 0 || port > 65535) {
                fprintf(stderr, "gongwen: --port takes a number from 0 to 65535\n");
                return -1;
            } else {
                o->port = (int)port;
            }
            i++;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--layout") || !strcmp(a, "--plugin-path") ||
                   !strcmp(a, "--format")) {
            if (!next) {
                fprintf(stderr, "gongwen: %s needs a value\n", a);
                return -1;
            }
            if (!strcmp(a, "-o")) {
                o->out = next;
            } else if (!strcmp(a, "--layout")) {
                o->layout = next;
            } else if (!strcmp(a, "--format")) {
                if (strcmp(next, "json") && strcmp(next, "text")) {
                    fprintf(stderr, "gongwen: --format %s: the formats are text and json\n",
                            next);
                    return -1;
                }
                o->json = !strcmp(next, "json");
            } else if (o->nplugin_paths < GW_MAX_PLUGIN_DIRS - 3) {
                o->plugin_paths[o->nplugin_paths++] = next;
            }
            i++;
        } else if (flag(o, a)) {
            continue;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "gongwen: unknown option %s (see gongwen --help)\n", a);
            return -1;
        } else if (!o->cmd) {
            o->cmd = a;
        } else if (o->ninputs < GW_CLI_MAX_INPUTS) {
            o->inputs[o->ninputs++] = a;
        } else {
            fprintf(stderr, "gongwen: more than %d inputs\n", GW_CLI_MAX_INPUTS);
            return -1;
        }
    }
    return 0;
}
