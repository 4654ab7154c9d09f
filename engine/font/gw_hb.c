/*
 * gw_hb.c - HarfBuzz, loaded when a font needs it (see gw_hb.h).
 */
#include "gw_hb.h"

#include <pthread.h>

#include "../util/gw_dl.h"

/* The library with the subsetter; it brings libharfbuzz.so.0, where dlsym finds the rest. */
#define GW_HB_LIBRARY "libharfbuzz-subset.so.0"

static struct gw_hb api;
static const struct gw_hb *loaded;
static char error[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define GW_HB_NAME(name) #name,
#define GW_HB_SLOT(name) (void *)&api.name,
static void load(void)
{
    static const char *const names[] = {GW_HB_FUNCTIONS(GW_HB_NAME)};
    void *const slots[] = {GW_HB_FUNCTIONS(GW_HB_SLOT)};
    if (!gw_dl_load("HarfBuzz", GW_HB_LIBRARY, names, slots, sizeof names / sizeof names[0], error,
                    sizeof error))
        loaded = &api;
}
#undef GW_HB_NAME
#undef GW_HB_SLOT

const struct gw_hb *gw_hb(void)
{
    pthread_once(&once, load);
    return loaded;
}

const char *gw_hb_error(void)
{
    pthread_once(&once, load);
    return error;
}
