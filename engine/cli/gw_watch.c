/*
 * gw_watch: `gongwen watch INPUT [-o OUT]`: build, then build again
 * whenever the input, an image it names, a plugin file (sections/,
 * layouts/, rules/ of every plugin folder) or fonts/roles.conf changes
 * (inotify on their folders, so an editor's save by rename is seen too).
 * Each build runs in a child process: a failed one leaves the last good
 * PDF in place (the writer replaces OUT only with a whole file,
 * util/gw_outfile.c) and the watch goes on. Diagnostics go to stderr as
 * for build, then one status line per build.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../font/gw_hb.h"
#include "../read/gw_read.h"
#include "../util/gw_arena.h"
#include "../util/gw_diag.h"
#include "../util/gw_outfile.h"
#include "gw_cli.h"
#include "gw_output.h"

#define MAX_WATCHES 128
#define EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB)

/* A watched folder and which of its files matter (NULL names: every *.lua file). */
struct folder {
    int wd;
    char path[PATH_MAX];
    const char *names[256]; /* file names in it that matter (in struct watch's names) */
    int nnames;
    bool lua;              /* any NAME.lua matters */
};

struct watch {
    int fd;
    struct folder f[MAX_WATCHES];
    int n;
    char names[256][NAME_MAX + 1]; /* the names of files that matter (images, the input) */
    int nnames;
};

/* Watch dir for name (NULL with lua: every *.lua file in it). */
static void add(struct watch *w, const char *dir, const char *name, bool lua)
{
    struct folder *f = NULL;
    for (int i = 0; i < w->n; i++)
        if (!strcmp(w->f[i].path, dir))
            f = &w->f[i];
    if (!f) {
        if (w->n == MAX_WATCHES)
            return;
        int wd = inotify_add_watch(w->fd, dir, EVENTS);
        if (wd < 0)
            return; /* a folder that is not there (yet): nothing to see */
        f = &w->f[w->n++];
        memset(f, 0, sizeof *f);
        f->wd = wd;
        snprintf(f->path, sizeof f->path, "%s", dir);
    }
    f->lua |= lua;
    if (name && f->nnames < 256 && w->nnames < 256) {
        snprintf(w->names[w->nnames], sizeof w->names[0], "%s", name);
        f->names[f->nnames++] = w->names[w->nnames++];
    }
}

/* Image nodes' paths under n, each watched in its folder (relative to the input's). */
static void add_images(struct watch *w, const struct gw_node *n, const char *base)
{
    for (; n; n = n->next) {
        if (n->type == GW_NODE_IMAGE && n->key && *n->key) {
            char path[PATH_MAX], dir[PATH_MAX];
            if (n->key[0] == '/')
                snprintf(path, sizeof path, "%s", n->key);
            else
                snprintf(path, sizeof path, "%s/%s", base, n->key);
            const char *name = gw_file_dir(path, dir, sizeof dir);
            add(w, dir, name, false);
        }
        add_images(w, n->first, base);
    }
}

/* (Re)make every watch: the input, its images, plugin folders, roles.conf. */
static void watch_all(struct watch *w, const struct options *o, const char *input)
{
    for (int i = 0; i < w->n; i++)
        inotify_rm_watch(w->fd, w->f[i].wd);
    w->n = 0;
    w->nnames = 0;
    char dir[PATH_MAX];
    const char *name = gw_file_dir(input, dir, sizeof dir);
    add(w, dir, name, false);
    /* the images the text names now (a quiet read: the build reports) */
    size_t len;
    char *src = gw_read_file(input, &len);
    if (src) {
        struct gw_diag quiet;
        gw_diag_init(&quiet, NULL);
        struct gw_doc *doc = gw_doc_new(input);
        struct gw_read_opts ro = {.lossy = o->lossy};
        gw_read(doc, src, len, &ro, &quiet);
        add_images(w, doc->root->first, dir);
        gw_doc_free(doc);
        free(src);
    }
    struct gw_cli_dirs dirs;
    struct gw_plug_opts po;
    gw_cli_plugin_opts(o, input, &po, &dirs);
    static const char *const subs[] = {"sections", "layouts", "rules"};
    for (int i = 0; i < po.ndirs; i++)
        for (int s = 0; s < 3; s++) {
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s", po.dirs[i], subs[s]);
            add(w, sub, NULL, true);
            DIR *d = s == 1 ? opendir(sub) : NULL; /* a county's layouts: layouts/yongzhou/ */
            for (struct dirent *e; d && (e = readdir(d));) {
                char deeper[PATH_MAX + NAME_MAX + 2];
                struct stat st;
                snprintf(deeper, sizeof deeper, "%s/%s", sub, e->d_name);
                if (e->d_name[0] != '.' && stat(deeper, &st) == 0 && S_ISDIR(st.st_mode))
                    add(w, deeper, NULL, true);
            }
            if (d)
                closedir(d);
        }
    add(w, dirs.fonts, "roles.conf", false);
}

/* Does event e concern a file the build reads? */
static bool matters(const struct watch *w, const struct inotify_event *e)
{
    for (int i = 0; i < w->n; i++) {
        const struct folder *f = &w->f[i];
        if (f->wd != e->wd)
            continue;
        if (!e->len)
            return false;
        size_t l = strlen(e->name);
        if (f->lua && l > 4 && !strcmp(e->name + l - 4, ".lua"))
            return true;
        for (int k = 0; k < f->nnames; k++)
            if (!strcmp(f->names[k], e->name))
                return true;
    }
    return false;
}

/* Wait for a change that matters; then for the writes to settle (5 ms without one). */
static bool wait_change(struct watch *w)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool seen = false;
    for (;;) {
        struct pollfd p = {.fd = w->fd, .events = POLLIN};
        int r = poll(&p, 1, seen ? 5 : -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            return true; /* settled */
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n <= 0)
            return n < 0 && errno == EINTR ? seen : false;
        for (char *at = buf; at < buf + n;) {
            const struct inotify_event *e = (const struct inotify_event *)at;
            seen |= matters(w, e);
            at += sizeof *e + e->len;
        }
    }
}

/* One build in a child process: its exit code (a crash counts as a failure). */
static int build_child(const struct options *o, const char *input, const char *out)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct gw_diag diag;
        gw_diag_init(&diag, stderr);
        diag.werror = o->strict;
        int rc = gw_cli_build_one(o, input, out, &diag);
        fflush(NULL);
        _exit(rc == 0 ? 0 : 1);
    }
    if (pid < 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int gw_cli_watch(const struct options *o, struct gw_diag *diag)
{
    if (o->ninputs != 1 || gw_cli_is_stdin(o->inputs[0]) || o->trace ||
        (o->out && GW_OUT_IS_STDOUT(o->out))) {
        fputs("usage: gongwen watch INPUT [-o OUT.pdf] [--layout NAME] [--plugin-path DIR] "
              "[--strict]\n",
              stderr);
        return GW_EXIT_USAGE;
    }
    const char *input = o->inputs[0];
    char *out = o->out ? gw_xstrdup(o->out) : gw_cli_default_output(input);
    int rc = GW_EXIT_FAILED;
    struct watch *w = calloc(1, sizeof *w);
    if (!w)
        goto done;
    w->fd = inotify_init1(IN_CLOEXEC);
    if (w->fd < 0) {
        gw_diag_error(diag, gw_span_file(input), "cannot watch it: %s", strerror(errno));
        goto done;
    }
    if (gw_output_check(&input, 1, (const char *const *)&out, 1, diag))
        goto done;
    /*
     * Load HarfBuzz here, once: every build is a child forked from this
     * process and inherits it, instead of each loading it for its CFF faces
     * (the Fandol stand-ins are CFF). Measured by scripts/bench --watch-only.
     */
    (void)gw_hb();
    for (int round = 0;; round++) {
        watch_all(w, o, input); /* before the build: a save during it is seen */
        double t0 = gw_ms_now();
        int b = build_child(o, input, out);
        double ms = gw_ms_now() - t0;
        if (b == 0)
            fprintf(stderr, "gongwen: watch: built %s in %.1f ms\n", out, ms);
        else
            fprintf(stderr, "gongwen: watch: the build failed; %s keeps the last good PDF\n",
                    out);
        if (round == 0)
            fprintf(stderr, "gongwen: watch: watching %s and %d folders (Ctrl-C to stop)\n",
                    input, w->n);
        fflush(stderr);
        if (!wait_change(w))
            break;
    }
    gw_diag_error(diag, gw_span_file(input), "cannot watch it any more: %s", strerror(errno));
done:
    if (w && w->fd >= 0)
        close(w->fd);
    free(w);
    free(out);
    return rc;
}
