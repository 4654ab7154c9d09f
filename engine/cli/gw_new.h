/*
 * gw_new: `gongwen new KIND`, the starter text for a kind of document.
 */
#ifndef GW_NEW_H
#define GW_NEW_H

#include <stdio.h>

#include "../util/gw_diag.h"

/*
 * Print the starter for kind (通知, 请示, 报告, 函, 纪要, 命令, 简报, or an English
 * alias) to out: plugins/starters/KIND.txt from the last of dirs that has it (the
 * built-in folder first, then --plugin-path folders). Returns the exit code: 0, or 2
 * after reporting an unknown kind or an unreadable file.
 */
int gw_new_print(const char *kind, const char *const *dirs, int ndirs, FILE *out,
                 struct gw_diag *diag);

#endif /* GW_NEW_H */
