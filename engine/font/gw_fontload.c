/*
 * gw_fontload: opening a build's fonts on a thread of their own (see
 * gw_fontload.h).
 *
 * Owns the font thread: its start, the hand-over of the layout's roles,
 * reading ahead, and joining. May call gw_fontset, gw_font, gw_diag's held
 * sinks and gw_thread_start; nothing of the plugin host.
 */
#include "gw_fontload.h"

#include <stdlib.h>
#include <string.h>

#include "../util/gw_arena.h"
#include "../util/gw_jobs.h"
#include "gw_font.h"

static void open_map(struct gw_fontload *fl)
{
    if (fl->map)
        fl->rc = gw_fontset_load_map(fl->fs, fl->map, fl->diag);
}

static void open_roles(struct gw_fontload *fl)
{
    for (int i = 0; i < fl->n; i++)
        if (gw_fontset_define(fl->fs, fl->role[i], fl->list[i], fl->diag, gw_span_file(fl->file)) <
            0)
            fl->rc = -1;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void *run(void *arg)
{
    struct gw_fontload *fl = arg;
    open_map(fl);
    pthread_mutex_lock(&fl->mu);
    while (!fl->handed)
        pthread_cond_wait(&fl->cv, &fl->mu);
    pthread_mutex_unlock(&fl->mu);
    if (!atomic_load(&fl->stop))
        open_roles(fl);
    /* read before the host goes on (it may open fallbacks into fs from then on) */
    int role = fl->body_role ? gw_fontset_role(fl->fs, fl->body_role) : -1;
    int body = role >= 0 ? gw_fontset_primary(fl->fs, role) : -1;
    const struct gw_font *font = body >= 0 && body < fl->fs->nfonts ? fl->fs->fonts[body] : NULL;
    pthread_mutex_lock(&fl->mu);
    fl->opened = true;
    pthread_cond_broadcast(&fl->cv);
    pthread_mutex_unlock(&fl->mu);
    if (!fl->chars || !font || atomic_load(&fl->stop))
        return NULL;
    uint64_t *seen = calloc(0x10000 / 64, sizeof(*seen));
    uint32_t *cps = malloc(0x10000 * sizeof(*cps));
    size_t ncps = 0;
    if (seen && cps) {
        ncps = fl->chars(fl->chars_ud, seen, cps);
        qsort(cps, ncps, sizeof(*cps), cmp_u32); /* glyph data is mostly in code point order */
        gw_font_warm(font, cps, ncps, &fl->stop);
    }
    free(seen);
    free(cps);
    return NULL;
}

void gw_fontload_start(struct gw_fontload *fl, struct gw_fontset *fs, struct gw_diag *diag,
                       const char *map, int workers, gw_fontload_chars chars, const void *chars_ud)
{
    memset(fl, 0, sizeof(*fl));
    fl->fs = fs;
    fl->real = fl->diag = diag;
    fl->chars = chars;
    fl->chars_ud = chars_ud;
    if (map)
        fl->map = gw_xstrdup(map);
    pthread_mutex_init(&fl->mu, NULL);
    pthread_cond_init(&fl->cv, NULL);
    atomic_init(&fl->stop, false);
    fl->holding = workers > 1 && gw_diag_hold(&fl->held, fl->real) == 0;
    if (fl->holding)
        fl->diag = &fl->held;
    fl->started = fl->holding && gw_thread_start(&fl->thread, run, fl) == 0;
    if (fl->holding && !fl->started) {
        gw_diag_drop(&fl->held);
        fl->holding = false;
        fl->diag = fl->real;
    }
}

void gw_fontload_layout(struct gw_fontload *fl, const char *file, const char *body_role)
{
    fl->file = file ? gw_xstrdup(file) : NULL;
    fl->body_role = body_role ? gw_xstrdup(body_role) : NULL;
}

void gw_fontload_add_role(struct gw_fontload *fl, const char *role, const char *families)
{
    fl->role = gw_xrealloc(fl->role, (size_t)(fl->n + 1) * sizeof(*fl->role));
    fl->list = gw_xrealloc(fl->list, (size_t)(fl->n + 1) * sizeof(*fl->list));
    fl->role[fl->n] = gw_xstrdup(role);
    fl->list[fl->n++] = gw_xstrdup(families);
}

void gw_fontload_hand(struct gw_fontload *fl)
{
    if (!fl->started) {
        open_map(fl); /* and read nothing ahead: nobody would be waiting meanwhile */
        open_roles(fl);
        return;
    }
    pthread_mutex_lock(&fl->mu);
    fl->handed = true;
    pthread_cond_broadcast(&fl->cv);
    pthread_mutex_unlock(&fl->mu);
}

int gw_fontload_finish(struct gw_fontload *fl)
{
    if (fl->started) {
        pthread_mutex_lock(&fl->mu);
        while (!fl->opened)
            pthread_cond_wait(&fl->cv, &fl->mu);
        pthread_mutex_unlock(&fl->mu);
    }
    if (fl->holding) { /* the fonts' messages, before the rule sets' (held by the host) */
        gw_diag_release(&fl->held, fl->real);
        fl->holding = false;
    }
    for (int i = 0; i < fl->n; i++) {
        free(fl->role[i]);
        free(fl->list[i]);
    }
    free(fl->role);
    free(fl->list);
    free(fl->map);
    free(fl->file);
    free(fl->body_role);
    fl->role = fl->list = NULL;
    fl->map = fl->file = fl->body_role = NULL;
    fl->n = 0;
    return fl->rc;
}

void gw_fontload_end(struct gw_fontload *fl)
{
    bool handed = true;
    if (fl->started) {
        atomic_store(&fl->stop, true);
        pthread_mutex_lock(&fl->mu);
        handed = fl->handed;
        fl->handed = true;
        pthread_cond_broadcast(&fl->cv);
        pthread_mutex_unlock(&fl->mu);
        pthread_join(fl->thread, NULL);
        fl->started = false;
    }
    if (fl->holding) { /* a build that failed before it waited for the fonts */
        if (handed)
            gw_diag_release(&fl->held, fl->real);
        else
            gw_diag_drop(&fl->held); /* the layout failed: as in turn, no font was opened */
        fl->holding = false;
    }
    gw_fontload_finish(fl); /* frees what is left */
    pthread_mutex_destroy(&fl->mu);
    pthread_cond_destroy(&fl->cv);
}
