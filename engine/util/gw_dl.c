/*
 * gw_dl: libraries loaded when first needed (see gw_dl.h).
 */
#include "gw_dl.h"

#include <dlfcn.h>
#include <stdio.h>

const char *gw_dl_load(const char *what, const char *lib, const char *const names[],
                       void *const slots[], size_t n, char *err, size_t errlen)
{
    void *handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(err, errlen, "cannot load %s (%s): %s", what, lib, dlerror());
        return err;
    }
    for (size_t i = 0; i < n; i++) {
        /* a data pointer stored into a function pointer, as POSIX's dlsym example does */
        *(void **)slots[i] = dlsym(handle, names[i]);
        if (!*(void **)slots[i]) {
            snprintf(err, errlen, "%s (%s) has no %s", what, lib, names[i]);
            return err;
        }
    }
    return NULL;
}
