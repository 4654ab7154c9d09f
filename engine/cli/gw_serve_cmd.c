/*
 * gw_serve_cmd: `gongwen serve [DIR]`: the command line's side of the web
 * page (engine/serve, docs/serve.md): its folder, address and limits.
 */
#include <stdio.h>

#include "../serve/gw_serve.h"
#include "gw_cli.h"

int gw_cli_serve(const struct options *o, struct gw_diag *diag)
{
    (void)diag;
    if (o->ninputs > 1) {
        fprintf(stderr, "gongwen serve: one folder at most\n");
        return GW_EXIT_USAGE;
    }
    struct gw_serve_opts so = {
        .dir = o->ninputs ? o->inputs[0] : ".",
        .listen = o->listen,
        .port = o->port >= 0 ? o->port : 8090,
        .home = gw_cli_home(),
        .jobs = o->jobs,
        .queue = 64,
        .build_ms = 20000,
        .max_body = 8u << 20,
    };
    return gw_serve_main(&so);
}
