/*
 * gw_serve_api: the API of `gongwen serve` (docs/serve.md). Files are read
 * and written through gw_serve_dir.c; builds, checks and fixes run as
 * children (gw_serve_child.c) on a temporary copy of the text written into
 * the document's own folder, so that its images and plugins/ resolve as
 * they do for `gongwen build`. Diagnostics name the document, never the
 * temporary copy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/gw_diag.h"
#include "../util/gw_outfile.h"
#include "../util/gw_utf8.h"
#include "gw_serve_int.h"

#define MAX_TEXT (8u << 20)
#define MAX_PDF (200u << 20)

static const char *const kinds[] = {"通知", "请示", "报告", "函", "纪要", "命令", "简报"};

static void reply_json(struct gw_reply *r, int status)
{
    r->status = status;
    r->type = "application/json; charset=utf-8";
}

void gw_reply_json_error(struct gw_reply *r, int status, const char *msg)
{
    reply_json(r, status);
    r->body.len = 0;
    gw_buf_adds(&r->body, "{\"error\":");
    gw_json_buf(&r->body, msg, strlen(msg));
    gw_buf_addc(&r->body, '}');
}

static bool valid_utf8(const char *p, size_t n)
{
    for (size_t i = 0; i < n;)
        if (gw_utf8_next(p, n, &i) < 0)
            return false;
    return true;
}

/* A value passed to a child as an argument: no option, no '..', short, plain. */
static bool plain_arg(const char *v)
{
    if (!v || !*v || v[0] == '-' || strlen(v) > 128 || strstr(v, ".."))
        return false;
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if (*c < 0x20 || *c == 0x7f || *c == '\\')
            return false;
    return valid_utf8(v, strlen(v));
}

/* Replace every occurrence of from in b with to. */
static void replace_all(struct gw_buf *b, const char *from, const char *to)
{
    size_t fl = strlen(from);
    if (!b->len || !fl)
        return;
    struct gw_buf o;
    gw_buf_init(&o);
    const char *p = b->data, *end = b->data + b->len;
    for (const char *hit; (hit = memmem(p, (size_t)(end - p), from, fl)); p = hit + fl) {
        gw_buf_add(&o, p, (size_t)(hit - p));
        gw_buf_adds(&o, to);
    }
    gw_buf_add(&o, p, (size_t)(end - p));
    gw_buf_free(b);
    *b = o;
}

/* The document a request works on: its folder (opened) and its shown name. */
struct doc_at {
    int dirfd;
    char shown[1100];
    char tmp[80], tmp_pdf[80];
};

static bool doc_open(struct gw_serve *s, const struct gw_req *q, struct gw_reply *r,
                     struct doc_at *d)
{
    const char *name = q->arg(q->conn, "name");
    memset(d, 0, sizeof *d);
    d->dirfd = -1;
    if (name && *name) {
        const char *why = gw_dir_name_problem(name);
        if (why) {
            gw_reply_json_error(r, 400, why);
            return false;
        }
        const char *leaf;
        d->dirfd = gw_dir_parent(s, name, &leaf);
        snprintf(d->shown, sizeof d->shown, "%s", name);
    } else {
        d->dirfd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        snprintf(d->shown, sizeof d->shown, "文档.txt");
    }
    if (d->dirfd < 0) {
        gw_reply_json_error(r, 404, "the document's folder is not in DIR");
        return false;
    }
    if (!valid_utf8(q->body, q->body_len)) {
        /* the child would say where; a browser never sends this */
        gw_reply_json_error(r, 400, "the text is not valid UTF-8");
        close(d->dirfd);
        return false;
    }
    pthread_mutex_lock(&s->lock);
    unsigned long n = ++s->serial;
    pthread_mutex_unlock(&s->lock);
    snprintf(d->tmp, sizeof d->tmp, ".gongwen-serve-%ld-%lu.txt", (long)getpid(), n);
    snprintf(d->tmp_pdf, sizeof d->tmp_pdf, ".gongwen-serve-%ld-%lu.pdf", (long)getpid(), n);
    int fd = openat(d->dirfd, d->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int e = fd < 0 ? errno : gw_write_all(fd, q->body, q->body_len);
    bool ok = e == 0;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot write a temporary copy in the document's folder: %s",
                 strerror(e));
        unlinkat(d->dirfd, d->tmp, 0);
        close(d->dirfd);
        gw_reply_json_error(r, 500, msg);
        return false;
    }
    return true;
}

static void doc_close(struct doc_at *d)
{
    unlinkat(d->dirfd, d->tmp, 0);
    unlinkat(d->dirfd, d->tmp_pdf, 0);
    close(d->dirfd);
}

/* The common JSON fields of a child's run; false (r filled) when it did not run. */
static bool child_json(struct gw_child *c, const struct doc_at *d, struct gw_reply *r)
{
    if (c->busy) {
        gw_reply_json_error(r, 503, "busy: every build slot and the queue are full; try again");
        return false;
    }
    if (d)
        replace_all(&c->err, d->tmp, d->shown);
    reply_json(r, 200);
    gw_buf_printf(&r->body, "{\"status\":%d,\"timed_out\":%s,\"log\":", c->status,
                  c->timed_out ? "true" : "false");
    if (c->timed_out)
        gw_buf_adds(&c->err, "gongwen serve: the run passed its time limit and was stopped\n");
    else if (c->status < 0)
        gw_buf_adds(&c->err, "gongwen serve: the run stopped abnormally (a crash); nothing "
                             "was changed\n");
    gw_json_buf(&r->body, c->err.data ? c->err.data : "", c->err.len);
    return true;
}

static void api_build(struct gw_serve *s, const struct gw_req *q, struct gw_reply *r)
{
    struct doc_at d;
    if (!doc_open(s, q, r, &d))
        return;
    const char *layout = q->arg(q->conn, "layout");
    if (layout && *layout && !plain_arg(layout)) {
        doc_close(&d);
        gw_reply_json_error(r, 400, "not a layout name");
        return;
    }
    const char *argv[] = {"build", d.tmp, "-o", d.tmp_pdf, "--layout", layout, NULL};
    if (!layout || !*layout)
        argv[4] = NULL;
    double t0 = gw_ms_now();
    struct gw_child c;
    gw_serve_child(s, d.dirfd, argv, &c);
    double ms = gw_ms_now() - t0;
    if (child_json(&c, &d, r)) {
        struct gw_buf pdf;
        gw_buf_init(&pdf);
        bool have = false;
        if (c.status == 0)
            have = gw_dir_read_at(d.dirfd, d.tmp_pdf, MAX_PDF, &pdf) == 0 && pdf.len > 0;
        gw_buf_printf(&r->body, ",\"ok\":%s,\"ms\":%.1f,\"pdf\":", have ? "true" : "false", ms);
        if (have) {
            gw_buf_addc(&r->body, '"');
            gw_base64(&r->body, (const unsigned char *)pdf.data, pdf.len);
            gw_buf_addc(&r->body, '"');
        } else {
            gw_buf_adds(&r->body, "null");
        }
        gw_buf_addc(&r->body, '}');
        gw_buf_free(&pdf);
    }
    gw_child_free(&c);
    doc_close(&d);
}

/* check (findings) or fix (the fixed text on stdout). */
static void api_rules(struct gw_serve *s, const struct gw_req *q, struct gw_reply *r, bool fix)
{
    struct doc_at d;
    if (!doc_open(s, q, r, &d))
        return;
    const char *argv[] = {fix ? "fix" : "check", d.tmp, NULL};
    struct gw_child c;
    gw_serve_child(s, d.dirfd, argv, &c);
    if (!fix) /* findings go to stdout or stderr, by version: one log */
        gw_buf_add(&c.err, c.out.data, c.out.len);
    if (child_json(&c, &d, r)) {
        gw_buf_adds(&r->body, ",\"text\":");
        if (fix && c.status == 0 && valid_utf8(c.out.data, c.out.len))
            gw_json_buf(&r->body, c.out.data ? c.out.data : "", c.out.len);
        else
            gw_buf_adds(&r->body, "null");
        gw_buf_addc(&r->body, '}');
    }
    gw_child_free(&c);
    doc_close(&d);
}

/* A command without a document: plugins (the layouts) or new KIND. */
static void api_plain(struct gw_serve *s, const char *const argv[], struct gw_reply *r)
{
    int dir = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct gw_child c;
    gw_serve_child(s, dir, argv, &c);
    close(dir);
    if (child_json(&c, NULL, r)) {
        gw_buf_adds(&r->body, ",\"text\":");
        gw_json_buf(&r->body, c.out.data ? c.out.data : "", c.out.len);
        gw_buf_addc(&r->body, '}');
    }
    gw_child_free(&c);
}

static bool has_ext(const char *name, const char *const exts[])
{
    const char *dot = strrchr(name, '.');
    for (int i = 0; dot && exts[i]; i++)
        if (!strcasecmp(dot, exts[i]))
            return true;
    return false;
}

static void api_file(struct gw_serve *s, const struct gw_req *q, struct gw_reply *r)
{
    static const char *const shown_ext[] = {".txt", ".png", ".jpg", ".jpeg", NULL};
    const char *name = q->arg(q->conn, "name");
    const char *why = name ? gw_dir_name_problem(name) : "name= is missing";
    if (!why && !has_ext(name, shown_ext))
        why = "only documents (.txt) and images (.png, .jpg) are opened";
    if (why) {
        gw_reply_json_error(r, 400, why);
        return;
    }
    if (gw_dir_read(s, name, MAX_TEXT, &r->body) < 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot read %s: %s", name,
                 errno == EFBIG ? "larger than 8 MiB" : strerror(errno));
        gw_reply_json_error(r, errno == ENOENT ? 404 : 400, msg);
        return;
    }
    const char *kind = gw_image_kind((const unsigned char *)r->body.data, r->body.len);
    r->status = 200;
    r->type = !kind ? "text/plain; charset=utf-8" : *kind == 'p' ? "image/png" : "image/jpeg";
}

/* save (a .txt, valid UTF-8) or upload (a PNG or JPEG, by content). */
static void api_store(struct gw_serve *s, const struct gw_req *q, struct gw_reply *r, bool image)
{
    static const char *const text_ext[] = {".txt", NULL};
    static const char *const png_ext[] = {".png", NULL};
    static const char *const jpeg_ext[] = {".jpg", ".jpeg", NULL};
    const char *name = q->arg(q->conn, "name");
    const char *why = name ? gw_dir_name_problem(name) : "name= is missing";
    const char *kind = gw_image_kind((const unsigned char *)q->body, q->body_len);
    if (!why && !image && !has_ext(name, text_ext))
        why = "a document is saved as a .txt file";
    if (!why && !image && !valid_utf8(q->body, q->body_len))
        why = "the text is not valid UTF-8";
    if (!why && image && !kind)
        why = "not a PNG or JPEG file (its first bytes say so)";
    if (!why && image && !has_ext(name, *kind == 'p' ? png_ext : jpeg_ext))
        why = *kind == 'p' ? "a PNG file's name must end in .png"
                           : "a JPEG file's name must end in .jpg or .jpeg";
    if (why) {
        gw_reply_json_error(r, image && !kind ? 415 : 400, why);
        return;
    }
    if (gw_dir_write(s, name, q->body, q->body_len) < 0) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot save %s: %s", name, strerror(errno));
        gw_reply_json_error(r, 400, msg);
        return;
    }
    reply_json(r, 200);
    gw_buf_adds(&r->body, "{\"saved\":");
    gw_json_buf(&r->body, name, strlen(name));
    gw_buf_addc(&r->body, '}');
}

static void api_info(struct gw_serve *s, struct gw_reply *r)
{
    reply_json(r, 200);
    gw_buf_adds(&r->body, "{\"dir\":");
    gw_json_buf(&r->body, s->o.dir, strlen(s->o.dir));
    gw_buf_printf(&r->body, ",\"version\":\"%s\",\"kinds\":[", GW_VERSION);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (i)
            gw_buf_addc(&r->body, ',');
        gw_json_buf(&r->body, kinds[i], strlen(kinds[i]));
    }
    gw_buf_adds(&r->body, "],\"files\":");
    gw_dir_list(s, &r->body);
    gw_buf_addc(&r->body, '}');
}

bool gw_serve_api(struct gw_serve *s, const struct gw_req *q, struct gw_reply *r)
{
    static const struct {
        const char *path;
        bool post;
    } routes[] = {{"/api/info", false}, {"/api/file", false},  {"/api/layouts", false},
                  {"/api/new", false},  {"/api/save", true},   {"/api/upload", true},
                  {"/api/build", true}, {"/api/check", true},  {"/api/fix", true}};
    int which = -1;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (!strcmp(q->url, routes[i].path))
            which = (int)i;
    if (which < 0)
        return false;
    bool post = !strcmp(q->method, "POST");
    if (post != routes[which].post && !(!post && !strcmp(q->method, "HEAD"))) {
        gw_reply_json_error(r, 405, routes[which].post ? "use POST" : "use GET");
        return true;
    }
    const char *path = q->url;
    if (!strcmp(path, "/api/info")) {
        api_info(s, r);
    } else if (!strcmp(path, "/api/file")) {
        api_file(s, q, r);
    } else if (!strcmp(path, "/api/layouts")) {
        const char *argv[] = {"plugins", "document.txt", NULL}; /* with DIR's own plugins/ */
        api_plain(s, argv, r);
    } else if (!strcmp(path, "/api/new")) {
        const char *kind = q->arg(q->conn, "kind");
        bool known = false;
        for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
            known |= !strcmp(kind, kinds[i]);
        if (!known) {
            gw_reply_json_error(r, 400, "kind= must be one of 通知 请示 报告 函 纪要 命令 简报");
        } else {
            const char *argv[] = {"new", kind, NULL};
            api_plain(s, argv, r);
        }
    } else if (!strcmp(path, "/api/save") || !strcmp(path, "/api/upload")) {
        api_store(s, q, r, !strcmp(path, "/api/upload"));
    } else if (!strcmp(path, "/api/build")) {
        api_build(s, q, r);
    } else {
        api_rules(s, q, r, !strcmp(path, "/api/fix"));
    }
    return true;
}
