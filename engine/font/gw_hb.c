/*
 * gw_hb.c - HarfBuzz, loaded when a font needs it (see gw_hb.h).
 */
#include "gw_hb.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* The library with the subsetter; it brings libharfbuzz.so.0, where dlsym finds the rest. */
#define GW_HB_LIBRARY "libharfbuzz-subset.so.0"

static struct gw_hb api;
static const struct gw_hb *loaded;
static char error[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *lib = dlopen(GW_HB_LIBRARY, RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        snprintf(error, sizeof error, "cannot load HarfBuzz (%s), which CFF fonts need: %s",
                 GW_HB_LIBRARY, dlerror());
        return;
    }
    /* a data pointer stored into a function pointer, as POSIX's dlsym example does */
#define GW_HB_LOOKUP(name)                                                                         \
    *(void **)&api.name = dlsym(lib, #name);                                                       \
    if (!api.name) {                                                                               \
        snprintf(error, sizeof error, "HarfBuzz (%s) has no %s", GW_HB_LIBRARY, #name);            \
        return;                                                                                    \
    }
    GW_HB_FUNCTIONS(GW_HB_LOOKUP)
#undef GW_HB_LOOKUP
    loaded = &api; /* the library stays loaded until the process ends */
}

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
