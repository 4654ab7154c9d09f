/*
 * gw_haru.c - libharu and zlib, loaded with dlopen (see gw_haru.h).
 */
#define GW_HARU_DIRECT
#include "gw_haru.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#define GW_HARU_LIBRARY "libhpdf-2.3.0.so" /* Debian's libhpdf-2.3.0 (its soname) */
#define GW_ZLIB_LIBRARY "libz.so.1"        /* which libharu brings along */

struct gw_haru gw_haru_api;
static char error[300];
static const char *failed = error; /* NULL once loaded */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* dlsym each of a library's functions into the table; false (error set) if one is missing. */
#define GW_HARU_LOOKUP(name)                                                                       \
    *(void **)&gw_haru_api.name = dlsym(lib, #name); /* as POSIX's dlsym example does */           \
    if (!gw_haru_api.name) {                                                                       \
        snprintf(error, sizeof error, "%s has no %s", path, #name);                                \
        return false;                                                                              \
    }

static bool load_haru(void *lib, const char *path)
{
    GW_HARU_FUNCTIONS(GW_HARU_LOOKUP)
    return true;
}

static bool load_zlib(void *lib, const char *path)
{
    GW_ZLIB_FUNCTIONS(GW_HARU_LOOKUP)
    return true;
}
#undef GW_HARU_LOOKUP

static void load(void)
{
    void *haru = dlopen(GW_HARU_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    void *zlib = haru ? dlopen(GW_ZLIB_LIBRARY, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!haru || !zlib)
        snprintf(error, sizeof error, "cannot load %s (%s): %s", haru ? "zlib" : "libharu",
                 haru ? GW_ZLIB_LIBRARY : GW_HARU_LIBRARY, dlerror());
    else if (load_haru(haru, GW_HARU_LIBRARY) && load_zlib(zlib, GW_ZLIB_LIBRARY))
        failed = NULL; /* the libraries stay loaded until the process ends */
}

const char *gw_haru_load(void)
{
    pthread_once(&once, load);
    return failed;
}
