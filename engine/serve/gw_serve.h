/*
 * gw_serve: `gongwen serve`, a local web page on which a clerk writes,
 * checks and previews a document (docs/serve.md).
 *
 * The server (libmicrohttpd, loaded with dlopen only by this command) serves
 * the page's files and a small API over one folder, DIR. It never builds in
 * its own process: every build, check and fix runs the gongwen binary itself
 * as a child with the plugin budgets, resource limits and a time limit, at
 * most `jobs` at once, so a hostile plugins/ folder or a damaged image can
 * neither crash the server nor make it grow.
 */
#ifndef GW_SERVE_H
#define GW_SERVE_H

#include <stddef.h>

struct gw_serve_opts {
    const char *dir;    /* the documents' folder (DIR) */
    const char *listen; /* address to bind: NULL = 127.0.0.1 */
    int port;           /* 0: any free port (printed) */
    const char *home;   /* the tree holding plugins/ and the page (engine/serve/page or page) */
    int jobs;           /* children at once (0: the number of cores) */
    int queue;          /* requests that may wait for a child; more get 503 */
    int build_ms;       /* a child's wall-clock limit */
    size_t max_body;    /* request body limit, bytes */
};

/* Run the server until SIGINT/SIGTERM. Returns the exit code (0, or 1 after a message). */
int gw_serve_main(const struct gw_serve_opts *o);

#endif /* GW_SERVE_H */
