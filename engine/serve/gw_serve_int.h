/*
 * gw_serve_int.h: what the parts of `gongwen serve` share. gw_serve.c owns
 * the HTTP side (libmicrohttpd, the request checks, routing, the page's
 * files), gw_serve_api.c the API handlers, gw_serve_child.c the children
 * that build, check and fix, gw_serve_dir.c every access to DIR.
 */
#ifndef GW_SERVE_INT_H
#define GW_SERVE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "../util/gw_buf.h"
#include "../util/gw_json.h"
#include "gw_serve.h"

struct gw_serve {
    struct gw_serve_opts o;
    char exe[4096];  /* this binary, run as the children */
    char page[4096]; /* the page's files */
    int dirfd;       /* DIR, opened once; every path is resolved below it */
    int port;        /* the bound port */
    bool open;       /* listening beyond the loopback: a token is required */
    char token[33];  /* hex, when open */
    /* the children: at most o.jobs running, at most o.queue waiting */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int running, waiting;
    unsigned long serial; /* names of temporary files */
};

/* One request as the API handlers see it. */
struct gw_req {
    const char *method, *url;
    const char *(*arg)(void *conn, const char *key); /* query argument or NULL */
    void *conn;
    const char *body;
    size_t body_len;
};

/* A reply the HTTP side sends: status, content type, body (owned). */
struct gw_reply {
    int status;
    const char *type;
    struct gw_buf body;
    const char *disposition; /* Content-Disposition, or NULL */
};

void gw_reply_json_error(struct gw_reply *r, int status, const char *msg);
void gw_base64(struct gw_buf *b, const unsigned char *p, size_t n);

/* API (gw_serve_api.c): fills r; false when the URL is no API route. */
bool gw_serve_api(struct gw_serve *s, const struct gw_req *q, struct gw_reply *r);

/* Children (gw_serve_child.c). */
struct gw_child {
    int status;     /* exit status, or -1 when killed or not started */
    bool timed_out; /* killed at the time limit */
    bool busy;      /* refused: every slot and the queue were full (503) */
    struct gw_buf out, err; /* what it wrote, each bounded */
};
/* Run this binary with argv (argv[0] is set here) in folder dirfd. 0 when it ran (see c->status). */
int gw_serve_child(struct gw_serve *s, int dirfd, const char *const argv[], struct gw_child *c);
void gw_child_free(struct gw_child *c);

/* DIR (gw_serve_dir.c). Names are paths relative to DIR: plain components, no
 * '..', no leading '.', no symlinks; every component opened with O_NOFOLLOW. */
const char *gw_dir_name_problem(const char *name); /* NULL if acceptable, else why not */
/* The folder holding name (opened, caller closes) and the name's last component. */
int gw_dir_parent(struct gw_serve *s, const char *name, const char **leaf);
int gw_dir_read(struct gw_serve *s, const char *name, size_t max, struct gw_buf *out);
/* A regular file leaf in folder dir (not followed if a symlink), at most max bytes. */
int gw_dir_read_at(int dir, const char *leaf, size_t max, struct gw_buf *out);
int gw_dir_write(struct gw_serve *s, const char *name, const void *p, size_t n);
void gw_dir_list(struct gw_serve *s, struct gw_buf *json);
/* An image's kind from its first bytes: "png", "jpeg" or NULL. */
const char *gw_image_kind(const unsigned char *p, size_t n);

#endif /* GW_SERVE_INT_H */
