/*
 * gw_output: the output paths of a run, checked before anything is built
 * (see gw_output.h). It only looks (stat); it writes nothing.
 */
#include "gw_output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/gw_arena.h"
#include "../util/gw_outfile.h"

int gw_output_check(const char *const *inputs, int ninputs, const char *const *outs, int n,
                    struct gw_diag *diag)
{
    int problems = 0;
    struct gw_file_id *in = gw_xcalloc((size_t)ninputs + 1, sizeof *in);
    struct gw_file_id *out = gw_xcalloc((size_t)n + 1, sizeof *out);
    bool *in_ok = gw_xcalloc((size_t)ninputs + 1, sizeof *in_ok);
    bool *out_ok = gw_xcalloc((size_t)n + 1, sizeof *out_ok);
    for (int j = 0; j < ninputs; j++) /* a missing input is the build's to report */
        in_ok[j] = gw_file_id(inputs[j], &in[j]) == 1;
    char target[GW_OUT_PATH_MAX];
    for (int i = 0; i < n; i++) {
        struct gw_span at = gw_span_file(inputs[i]);
        int e = gw_out_target(outs[i], target, sizeof target);
        if (e) {
            gw_diag_error(diag, at, "cannot write %s: %s", outs[i], strerror(e));
            problems++;
            continue;
        }
        struct stat st;
        if (stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
            gw_diag_error(diag, at, "cannot write %s: it is %s, not a regular file", outs[i],
                          gw_file_kind(st.st_mode));
            problems++;
            continue;
        }
        int exists = gw_file_id(target, &out[i]);
        if (exists < 0)
            continue; /* its folder is missing or closed: the write will say so */
        out_ok[i] = true;
        for (int j = 0; exists && j < ninputs; j++) {
            if (!in_ok[j] || !gw_file_id_same(&in[j], &out[i]))
                continue;
            if (j == i)
                gw_diag_error(diag, at, "cannot write %s: it is the input file itself", outs[i]);
            else
                gw_diag_error(diag, at, "cannot write %s: it is the input %s of this run", outs[i],
                              inputs[j]);
            problems++;
            out_ok[i] = false;
            break;
        }
        for (int k = 0; out_ok[i] && k < i; k++)
            if (out_ok[k] && gw_file_id_same(&out[k], &out[i])) {
                gw_diag_error(diag, at,
                              "cannot write %s: it is also the output of %s; give the two inputs "
                              "different names or build them into different folders",
                              outs[i], inputs[k]);
                problems++;
                break;
            }
    }
    free(in);
    free(out);
    free(in_ok);
    free(out_ok);
    return problems;
}
