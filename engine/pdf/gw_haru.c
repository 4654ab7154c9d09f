/*
 * gw_haru.c - libharu and zlib, loaded with dlopen (see gw_haru.h).
 */
#define GW_HARU_DIRECT
#include "gw_haru.h"

#include <pthread.h>

#include "../util/gw_dl.h"

/*
 * Debian's libhpdf-2.3.0 (its soname). zlib comes with it (a dependency),
 * where dlsym on its handle finds inflate: opening zlib again by name made
 * glibc 2.36 lose 40 bytes, which valgrind reports.
 */
#define GW_HARU_LIBRARY "libhpdf-2.3.0.so"

struct gw_haru gw_haru_api;
static char error[300];
static const char *failed; /* why the load failed; NULL once loaded */
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define GW_HARU_NAME(name) #name,
#define GW_HARU_SLOT(name) (void *)&gw_haru_api.name,
static void load(void)
{
    static const char *const names[] = {GW_HARU_FUNCTIONS(GW_HARU_NAME)
                                            GW_ZLIB_FUNCTIONS(GW_HARU_NAME)};
    void *const slots[] = {GW_HARU_FUNCTIONS(GW_HARU_SLOT) GW_ZLIB_FUNCTIONS(GW_HARU_SLOT)};
    failed = gw_dl_load("libharu", GW_HARU_LIBRARY, names, slots, sizeof names / sizeof names[0],
                        error, sizeof error);
}
#undef GW_HARU_NAME
#undef GW_HARU_SLOT

const char *gw_haru_load(void)
{
    pthread_once(&once, load);
    return failed;
}
