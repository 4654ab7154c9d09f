/*
 * gw_serve: the HTTP side of `gongwen serve` (see gw_serve.h). It loads
 * libmicrohttpd with dlopen (a build never maps it), binds 127.0.0.1 unless
 * told otherwise, and checks every request before anything else is done:
 *   - the Host header must name this server (localhost or an IP literal, and
 *     its port): a DNS-rebound name is refused;
 *   - an Origin header, when sent, must be this server's own;
 *   - API POSTs must carry `X-Gongwen: 1` (a cross-site form cannot);
 *   - on any address but the loopback, the token printed at start, in the
 *     URL (`?token=`) or the `X-Gongwen-Token` header;
 *   - a body larger than the limit (8 MiB) is refused before it is read.
 * The page's files are read once at start; pdf.js comes from Debian's
 * libjs-pdf. The API is gw_serve_api.c.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/gw_dl.h"
#include "../util/gw_jobs.h"
#include "gw_serve_int.h"

#define GW_MHD_FUNCTIONS(X)                                                                        \
    X(MHD_start_daemon)                                                                            \
    X(MHD_stop_daemon)                                                                             \
    X(MHD_lookup_connection_value)                                                                 \
    X(MHD_create_response_from_buffer)                                                             \
    X(MHD_add_response_header)                                                                     \
    X(MHD_queue_response)                                                                          \
    X(MHD_destroy_response)
#define GW_MHD_LIBRARY "libmicrohttpd.so.12"
#define GW_PDFJS_DIR "/usr/share/javascript/pdf/build"

#define GW_MHD_POINTER(name) __typeof__(name) *name;
static struct {
    GW_MHD_FUNCTIONS(GW_MHD_POINTER)
} mhd;
#undef GW_MHD_POINTER

/* The files the page is made of, read at start. */
static struct page_file {
    const char *url, *dir, *name, *type;
    char *data;
    size_t len;
} page_files[] = {
    {"/", NULL, "index.html", "text/html; charset=utf-8", NULL, 0},
    {"/app.js", NULL, "app.js", "text/javascript; charset=utf-8", NULL, 0},
    {"/app.css", NULL, "app.css", "text/css; charset=utf-8", NULL, 0},
    {"/pdfjs/pdf.js", GW_PDFJS_DIR, "pdf.js", "text/javascript; charset=utf-8", NULL, 0},
    {"/pdfjs/pdf.worker.js", GW_PDFJS_DIR, "pdf.worker.js", "text/javascript; charset=utf-8",
     NULL, 0},
};
#define NPAGE_FILES (sizeof page_files / sizeof page_files[0])

/* One request's state across the handler's calls. */
struct conn {
    struct gw_buf body;
    int refused; /* status of a refusal already sent */
};

static bool load_mhd(void)
{
#define GW_MHD_NAME(name) #name,
#define GW_MHD_SLOT(name) (void *)&mhd.name,
    static const char *const names[] = {GW_MHD_FUNCTIONS(GW_MHD_NAME)};
    void *const slots[] = {GW_MHD_FUNCTIONS(GW_MHD_SLOT)};
#undef GW_MHD_NAME
#undef GW_MHD_SLOT
    char err[300];
    if (gw_dl_load("libmicrohttpd", GW_MHD_LIBRARY, names, slots, sizeof names / sizeof names[0],
                   err, sizeof err)) {
        fprintf(stderr, "gongwen serve: %s (install the Debian package libmicrohttpd12)\n", err);
        return false;
    }
    return true;
}

static void add_common_headers(struct MHD_Response *resp)
{
    mhd.MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    mhd.MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    mhd.MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    mhd.MHD_add_response_header(resp, "Cache-Control", "no-store");
    mhd.MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; "
                                "worker-src 'self' blob:; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
}

static enum MHD_Result send_reply(struct MHD_Connection *c, struct gw_reply *r)
{
    size_t len = r->body.len;
    char *data = gw_buf_detach(&r->body, NULL);
    struct MHD_Response *resp = mhd.MHD_create_response_from_buffer(
        len, data ? data : "", data ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    mhd.MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "text/plain");
    if (r->disposition)
        mhd.MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    add_common_headers(resp);
    enum MHD_Result ok = mhd.MHD_queue_response(c, (unsigned)r->status, resp);
    mhd.MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg)
{
    struct gw_reply r = {0};
    gw_buf_init(&r.body);
    gw_reply_json_error(&r, status, msg);
    return send_reply(c, &r);
}

static bool loopback_name(const char *h, size_t n)
{
    return (n == 9 && !memcmp(h, "localhost", 9)) || (n == 9 && !memcmp(h, "127.0.0.1", 9)) ||
           (n == 5 && !memcmp(h, "[::1]", 5));
}

/* Is host (a Host header value) this server? Its name part is checked, then its port. */
static bool host_is_ours(const struct gw_serve *s, const char *host)
{
    if (!host || !*host || strlen(host) > 100)
        return false;
    const char *colon;
    size_t n;
    if (host[0] == '[') {
        const char *end = strchr(host, ']');
        if (!end)
            return false;
        n = (size_t)(end - host) + 1;
        colon = end[1] == ':' ? end + 1 : NULL;
        if (end[1] && !colon)
            return false;
    } else {
        colon = strchr(host, ':');
        n = colon ? (size_t)(colon - host) : strlen(host);
    }
    long port = colon ? strtol(colon + 1, NULL, 10) : 80;
    if (port != s->port)
        return false;
    if (loopback_name(host, n))
        return true;
    if (!s->open)
        return false;
    char name[64];
    unsigned char addr[16];
    if (n >= sizeof name)
        return false;
    if (host[0] == '[') { /* an IPv6 literal */
        memcpy(name, host + 1, n - 2);
        name[n - 2] = 0;
        return inet_pton(AF_INET6, name, addr) == 1;
    }
    memcpy(name, host, n);
    name[n] = 0;
    return inet_pton(AF_INET, name, addr) == 1; /* never a DNS name */
}

static bool same_secret(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (!a || strlen(a) != n)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* Why a request is refused, or NULL; *status gets the HTTP status. */
static const char *guard(struct gw_serve *s, struct MHD_Connection *c, const char *url,
                         const char *method, int *status)
{
    const char *host = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    *status = 403;
    if (!host_is_ours(s, host))
        return "the Host header does not name this server (a page on another site cannot "
               "use it)";
    const char *origin = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (origin && (strncmp(origin, "http://", 7) != 0 || strcmp(origin + 7, host) != 0))
        return "the request comes from another site (Origin)";
    if (s->open) {
        const char *t = mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
        if (!t)
            t = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Gongwen-Token");
        if (!same_secret(t, s->token))
            return "the token is missing or wrong (open the address printed at start)";
    }
    if (strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "POST")) {
        *status = 405;
        return "only GET and POST are served";
    }
    if (!strcmp(method, "POST")) {
        const char *mark = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Gongwen");
        if (strncmp(url, "/api/", 5) != 0 || !mark || strcmp(mark, "1") != 0)
            return "a POST must come from the page (X-Gongwen header)";
    }
    const char *len = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (len && strtoull(len, NULL, 10) > s->o.max_body) {
        *status = 413;
        return "the request is larger than the limit (8 MiB, images included)";
    }
    return NULL;
}

static const char *arg_of(void *conn, const char *key)
{
    return mhd.MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    (void)version;
    struct gw_serve *s = cls;
    struct conn *k = *state;
    if (!k) { /* the headers are in: check them before any body is read */
        k = calloc(1, sizeof *k);
        if (!k)
            return MHD_NO;
        gw_buf_init(&k->body);
        *state = k;
        int status;
        const char *why = guard(s, c, url, method, &status);
        if (why) {
            k->refused = status;
            return send_error(c, status, why);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!k->refused && k->body.len + *upload_size > s->o.max_body)
            k->refused = 413; /* no Content-Length: dropped as it comes, refused at the end */
        if (!k->refused)
            gw_buf_add(&k->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (k->refused == 413 && k->body.len)
        return send_error(c, 413, "the request is larger than the limit (8 MiB)");
    if (k->refused)
        return MHD_YES; /* already answered */
    struct gw_reply r = {0};
    gw_buf_init(&r.body);
    struct gw_req q = {method, url, arg_of, c, k->body.data ? k->body.data : "", k->body.len};
    if (gw_serve_api(s, &q, &r))
        return send_reply(c, &r);
    for (size_t i = 0; i < NPAGE_FILES; i++) {
        if (strcmp(url, page_files[i].url) != 0)
            continue;
        if (strcmp(method, "GET") && strcmp(method, "HEAD"))
            return send_error(c, 405, "use GET");
        if (!page_files[i].data)
            return send_error(c, 404, "pdf.js is not installed (Debian package libjs-pdf)");
        r.status = 200;
        r.type = page_files[i].type;
        gw_buf_add(&r.body, page_files[i].data, page_files[i].len);
        return send_reply(c, &r);
    }
    gw_buf_free(&r.body);
    return send_error(c, 404, "no such page");
}

static void on_done(void *cls, struct MHD_Connection *c, void **state,
                    enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    struct conn *k = *state;
    if (k) {
        gw_buf_free(&k->body);
        free(k);
        *state = NULL;
    }
}

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct gw_buf b;
    gw_buf_init(&b);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        gw_buf_add(&b, chunk, got);
    fclose(f);
    return gw_buf_detach(&b, len);
}

static bool load_page(struct gw_serve *s)
{
    for (size_t i = 0; i < NPAGE_FILES; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", page_files[i].dir ? page_files[i].dir : s->page,
                 page_files[i].name);
        page_files[i].data = read_whole(path, &page_files[i].len);
        if (!page_files[i].data && !page_files[i].dir) {
            fprintf(stderr, "gongwen serve: cannot read the page's file %s: %s\n", path,
                    strerror(errno));
            return false;
        }
        if (!page_files[i].data)
            fprintf(stderr, "gongwen serve: warning: %s is missing: the preview needs pdf.js "
                            "(Debian package libjs-pdf)\n", path);
    }
    return true;
}

/* The address to bind: 127.0.0.1 by default, or --listen's IPv4/IPv6 literal. */
static int bind_address(const struct gw_serve_opts *o, struct sockaddr_storage *ss, bool *v6,
                        bool *loop)
{
    const char *a = o->listen ? o->listen : "127.0.0.1";
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, a, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)o->port);
        *v6 = false;
        *loop = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
        return 0;
    }
    if (inet_pton(AF_INET6, a, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)o->port);
        *v6 = true;
        *loop = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        return 0;
    }
    fprintf(stderr, "gongwen serve: --listen takes an IP address (e.g. 127.0.0.1 or 0.0.0.0), "
                    "not '%s'\n", a);
    return -1;
}

int gw_serve_main(const struct gw_serve_opts *opts)
{
    static struct gw_serve s; /* lives as long as the daemon */
    s.o = *opts;
    /*
     * A server lives long: give memory back (main() keeps it for a short
     * build), and keep to two malloc arenas however many connections run.
     */
    mallopt(M_MMAP_THRESHOLD, 256 << 10);
    mallopt(M_TRIM_THRESHOLD, 256 << 10);
    mallopt(M_ARENA_MAX, 2);
    if (s.o.jobs <= 0)
        s.o.jobs = gw_jobs_workers();
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.freed, NULL);
    struct sockaddr_storage ss;
    bool v6, loop;
    if (bind_address(&s.o, &ss, &v6, &loop) < 0)
        return 2;
    s.open = !loop;
    s.dirfd = open(s.o.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s.dirfd < 0) {
        fprintf(stderr, "gongwen serve: cannot open the folder %s: %s\n", s.o.dir, strerror(errno));
        return 1;
    }
    ssize_t n = readlink("/proc/self/exe", s.exe, sizeof s.exe - 1);
    if (n <= 0) {
        fprintf(stderr, "gongwen serve: cannot find its own binary: %s\n", strerror(errno));
        return 1;
    }
    s.exe[n] = 0;
    /* the source tree's engine/serve/page, or an install's share/gongwen/page */
    snprintf(s.page, sizeof s.page, "%s/engine/serve/page", s.o.home);
    if (access(s.page, R_OK) != 0)
        snprintf(s.page, sizeof s.page, "%s/page", s.o.home);
    if (!load_page(&s) || !load_mhd())
        return 1;
    if (s.open) {
        unsigned char raw[16];
        if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
            fprintf(stderr, "gongwen serve: no random token: %s\n", strerror(errno));
            return 1;
        }
        for (int i = 0; i < 16; i++)
            snprintf(s.token + 2 * i, 3, "%02x", raw[i]);
    }
    signal(SIGPIPE, SIG_IGN);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* the daemon's threads inherit it */
    /* the socket is bound here, so the port (0: any) is known before a request comes */
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    socklen_t sl = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 128) < 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
        fprintf(stderr, "gongwen serve: cannot listen on %s port %d: %s\n",
                s.o.listen ? s.o.listen : "127.0.0.1", s.o.port, strerror(errno));
        return 1;
    }
    s.port = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                      : ((struct sockaddr_in *)&ss)->sin_port);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = mhd.MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &s, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned)128,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "gongwen serve: the HTTP server did not start\n");
        return 1;
    }
    char shown[80];
    if (v6)
        snprintf(shown, sizeof shown, "[%s]", loop ? "::1" : s.o.listen);
    else
        snprintf(shown, sizeof shown, "%s", s.o.listen ? s.o.listen : "127.0.0.1");
    if (s.open)
        printf("gongwen serve: open http://%s:%d/?token=%s (folder %s; the token is needed on "
               "this address)\n", !strcmp(shown, "0.0.0.0") ? "127.0.0.1" : shown, s.port,
               s.token, s.o.dir);
    else
        printf("gongwen serve: open http://%s:%d/ (folder %s)\n", shown, s.port, s.o.dir);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    mhd.MHD_stop_daemon(d);
    close(s.dirfd);
    return 0;
}
