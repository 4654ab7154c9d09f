/*
 * gw_cache: files in gongwen's cache folder, $XDG_CACHE_HOME/gongwen or
 * ~/.cache/gongwen: answers kept between runs (font lookups). A cache file
 * is only ever a shortcut: whoever reads one checks it still holds, and a
 * missing, unwritable, torn or foreign cache just costs the time.
 *
 * Every file written here is sealed: its last line is "end <n> <hash>\n",
 * the length of everything before that line and its 64-bit FNV-1a hash. A
 * reader gets the contents back only when the seal matches, so a file cut
 * short, appended to, written by something else or edited by hand is never
 * read as a cache (the seal is a check against accidents, not a signature).
 */
#ifndef GW_CACHE_H
#define GW_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "gw_buf.h"

/* The largest cache file gw_cache_read accepts. */
#define GW_CACHE_MAX (1u << 20)

/* The path of cache file `name` (which may contain one '/'); false if there is no home for it. */
bool gw_cache_path(const char *name, char *out, size_t len);

/*
 * Replace the file at path with data[0..len) and its seal, making its
 * folder (and that folder's parent) if needed: written to a temporary file
 * of a unique name in the same folder, then renamed, so a reader sees the
 * old file or the new one whole, whatever other processes or threads write
 * at the same time. 0, or -1 (nothing written).
 */
int gw_cache_write(const char *path, const void *data, size_t len);

/*
 * Read the sealed file at path into out (initialised by the caller, the
 * seal line removed, NUL-terminated): 0, or -1 when there is no such file
 * or it is not a regular file, larger than GW_CACHE_MAX, holds a NUL byte,
 * or its seal does not match (out is then empty).
 */
int gw_cache_read(const char *path, struct gw_buf *out);

#endif /* GW_CACHE_H */
