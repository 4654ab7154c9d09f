/*
 * gw_arena: bump allocator for per-document memory (see gw_arena.h).
 */
#include "gw_arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN (64 * 1024)

struct gw_arena_block {
    struct gw_arena_block *prev; /* older block */
    size_t size;                 /* usable bytes in data */
    size_t pos;                  /* next free offset */
    _Alignas(16) unsigned char data[];
};

static void oom(size_t n)
{
    fprintf(stderr, "gongwen: out of memory (requested %zu bytes)\n", n);
    abort();
}

void *gw_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *gw_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *gw_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *gw_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = gw_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

void gw_arena_init(struct gw_arena *a)
{
    a->head = NULL;
    a->used = 0;
}

void gw_arena_free(struct gw_arena *a)
{
    struct gw_arena_block *b = a->head;
    while (b) {
        struct gw_arena_block *prev = b->prev;
        free(b);
        b = prev;
    }
    a->head = NULL;
    a->used = 0;
}

void *gw_arena_alloc(struct gw_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct gw_arena_block *b = a->head;
    if (!b || b->size - b->pos < n) {
        size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
        if (size > SIZE_MAX - sizeof(*b))
            oom(n);
        b = malloc(sizeof(*b) + size);
        if (!b)
            oom(n);
        b->prev = a->head;
        b->size = size;
        b->pos = 0;
        a->head = b;
    }
    void *p = b->data + b->pos;
    b->pos += n;
    a->used += n;
    memset(p, 0, n);
    return p;
}

void *gw_arena_array(struct gw_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        oom(SIZE_MAX);
    return gw_arena_alloc(a, count * size);
}

char *gw_arena_strndup(struct gw_arena *a, const char *s, size_t len)
{
    char *d = gw_arena_alloc(a, len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *gw_arena_strdup(struct gw_arena *a, const char *s)
{
    return gw_arena_strndup(a, s, strlen(s));
}
