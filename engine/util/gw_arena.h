/*
 * gw_arena: the document's memory.
 *
 * Everything a run creates for one document (tree nodes, strings, layout
 * boxes, display-list items) is carved from one arena and released at once by
 * gw_arena_free. Nothing in an arena is freed one by one. Allocation failure
 * is fatal (message + abort), the policy cmark uses: the engine cannot make
 * progress without memory, and a half-built document is worse than none.
 */
#ifndef GW_ARENA_H
#define GW_ARENA_H

#include <stddef.h>

struct gw_arena_block;

struct gw_arena {
    struct gw_arena_block *head; /* newest block; older ones chained behind */
    size_t used;                 /* bytes handed out, for --timings */
};

void gw_arena_init(struct gw_arena *a);
void gw_arena_free(struct gw_arena *a);
/* n bytes, 16-byte aligned, zeroed. */
void *gw_arena_alloc(struct gw_arena *a, size_t n);
/* Overflow-checked array allocation: count * size bytes, zeroed. */
void *gw_arena_array(struct gw_arena *a, size_t count, size_t size);
/* A NUL-terminated copy of s[0..len). */
char *gw_arena_strndup(struct gw_arena *a, const char *s, size_t len);
char *gw_arena_strdup(struct gw_arena *a, const char *s);

/* Heap helpers with the same abort-on-OOM policy, for long-lived objects. */
void *gw_xmalloc(size_t n);
void *gw_xcalloc(size_t count, size_t size);
void *gw_xrealloc(void *p, size_t n);
char *gw_xstrdup(const char *s);

#endif /* GW_ARENA_H */
