/*
 * gw_cache: files in gongwen's cache folder, $XDG_CACHE_HOME/gongwen or
 * ~/.cache/gongwen: answers kept between runs (font lookups). A cache file
 * is only ever a shortcut: whoever reads one checks it still holds, and a
 * missing or unwritable cache just costs the time.
 */
#ifndef GW_CACHE_H
#define GW_CACHE_H

#include <stdbool.h>
#include <stddef.h>

/* The path of cache file `name` (which may contain one '/'); false if there is no home for it. */
bool gw_cache_path(const char *name, char *out, size_t len);

/*
 * Replace the file at path with data[0..len), making its folder (and that
 * folder's parent) if needed: written to a temporary name, then renamed, so
 * a reader sees the old file or the new one whole. 0, or -1 (nothing written).
 */
int gw_cache_write(const char *path, const void *data, size_t len);

#endif /* GW_CACHE_H */
