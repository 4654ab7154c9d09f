/*
 * gw_path: a path a document or a plugin names, kept inside a folder.
 *
 * A document's images (`![](photos/x.jpg)`) and a plugin's (out:image) are
 * files beside the document. A plugins folder beside a document loads by
 * itself, so what it names is untrusted: it must not reach, or learn about,
 * files outside that folder. gw_path_inside accepts a relative path with no
 * `..` part whose every prefix, symbolic links followed, stays inside the
 * folder; it answers the same for every path outside, whether or not it
 * exists.
 */
#ifndef GW_PATH_H
#define GW_PATH_H

#include <stddef.h>

enum gw_path_status {
    GW_PATH_OK = 0,       /* inside the folder; out holds the path */
    GW_PATH_OUTSIDE = -1, /* absolute, with a `..` part, or leading out of the folder */
    GW_PATH_MISSING = -2, /* inside the folder as far as it exists; errno says why not further */
};

/*
 * Check path rel against folder dir (a folder that exists; "." for the
 * current one) and write into out the path to open: dir/rel, or rel alone
 * when dir is ".". A symbolic link whose target cannot be resolved counts as
 * leading outside. out gets the joined path for GW_PATH_MISSING too (for its
 * message), and "" when it does not fit (GW_PATH_OUTSIDE).
 */
enum gw_path_status gw_path_inside(const char *dir, const char *rel, char *out, size_t outlen);

#endif /* GW_PATH_H */
