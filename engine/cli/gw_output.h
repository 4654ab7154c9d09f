/*
 * gw_output: which files a run may write, checked before anything is built.
 *
 * An output may not be an input of the run (the same file: device and
 * inode, its symbolic links followed, so a hard or symbolic link to an
 * input is caught too), may not exist as anything but a regular file (a
 * FIFO, a device, a folder), and may not be the output of another input
 * (a/x.txt and b/x.txt built into one folder). Each problem is reported at
 * the input whose output it is, naming the output and the other input.
 * How an output is then written (a temporary nobody sees, permissions,
 * signals) is util/gw_outfile's.
 */
#ifndef GW_OUTPUT_H
#define GW_OUTPUT_H

#include "../util/gw_diag.h"

/*
 * Check outs[i], the output of inputs[i], for i < n, against each other and
 * against every one of the run's ninputs inputs. Returns the number of
 * problems reported (0: every output may be written).
 */
int gw_output_check(const char *const *inputs, int ninputs, const char *const *outs, int n,
                    struct gw_diag *diag);

#endif /* GW_OUTPUT_H */
