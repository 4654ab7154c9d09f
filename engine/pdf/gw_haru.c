/*
 * gw_haru.c - libharu and zlib, loaded with dlopen (see gw_haru.h).
 */
#define GW_HARU_DIRECT
#include "gw_haru.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

/*
 * Debian's libhpdf-2.3.0 (its soname). zlib comes with it (a dependency),
 * where dlsym on its handle finds inflate: opening zlib again by name made
 * glibc 2.36 lose 40 bytes, which valgrind reports.
 */
#define GW_HARU_LIBRARY "libhpdf-2.3.0.so"

struct gw_haru gw_haru_api;
static char error[300];
static const char *failed = error; /* NULL once loaded */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* dlsym every function into the table; false (error set) if one is missing. */
static bool lookup(void *lib)
{
#define GW_HARU_LOOKUP(name)                                                                       \
    *(void **)&gw_haru_api.name = dlsym(lib, #name); /* as POSIX's dlsym example does */           \
    if (!gw_haru_api.name) {                                                                       \
        snprintf(error, sizeof error, "libharu (%s) has no %s", GW_HARU_LIBRARY, #name);           \
        return false;                                                                              \
    }
    GW_HARU_FUNCTIONS(GW_HARU_LOOKUP)
    GW_ZLIB_FUNCTIONS(GW_HARU_LOOKUP)
#undef GW_HARU_LOOKUP
    return true;
}

static void load(void)
{
    void *haru = dlopen(GW_HARU_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!haru)
        snprintf(error, sizeof error, "cannot load libharu (%s): %s", GW_HARU_LIBRARY, dlerror());
    else if (lookup(haru))
        failed = NULL; /* the libraries stay loaded until the process ends */
}

const char *gw_haru_load(void)
{
    pthread_once(&once, load);
    return failed;
}
