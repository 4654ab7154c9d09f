/*
 * gw_dl: libraries loaded with dlopen when first needed instead of linked,
 * so that a common build never loads them: HarfBuzz (CFF fonts only) and
 * fontconfig (when the font lookup cache cannot answer). Each loader lists the functions it calls
 * with an X-macro, keeps them in a table of pointers typed from the
 * library's own header, and hands their names and the pointers' addresses
 * to gw_dl_load.
 */
#ifndef GW_DL_H
#define GW_DL_H

#include <stddef.h>

/*
 * Open library `lib` and store each function names[i] into the function
 * pointer at slots[i]. NULL when all are found; else why not, in err
 * ("cannot load WHAT (LIB): ..." or "WHAT (LIB) has no NAME"), and slots
 * must not be used. A loaded library stays loaded until the process ends.
 */
const char *gw_dl_load(const char *what, const char *lib, const char *const names[],
                       void *const slots[], size_t n, char *err, size_t errlen);

#endif /* GW_DL_H */
