/*
 * gw_fields: the named fields a plugin table may have, and the known name
 * nearest to a misspelt one ("did you mean 'match'?"). Private to plug/.
 *
 * A misspelt field is otherwise read as absent and silently does nothing
 * (`mtach =` made a section plugin the default for every section), so the
 * tables plugins give the engine are checked against their documented
 * fields (docs/plugin-api.md): a section plugin's and a rule set's when the
 * file loads (reported at the field's line), out:* and m:* arguments when
 * the call is made (a Lua error at the calling line).
 */
#ifndef GW_FIELDS_H
#define GW_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include <lua.h>

#include "../util/gw_nearest.h" /* gw_nearest: the nearest known name */

struct gw_plug;

/*
 * What to tell the user about key: "did you mean 'x'?" when a known name is
 * near, else "fields: a b c", into buf.
 */
void gw_fields_hint(const char *key, const char *const *known, char *buf, size_t len);

/*
 * The first field of the table at idx that known does not list ("" for a
 * positional value, unless lists allows the list part), or NULL.
 */
const char *gw_fields_unknown(lua_State *L, int idx, const char *const *known, bool lists);

/*
 * Raise a Lua error for the first field of the table at idx that known does
 * not list: "WHAT: unknown field 'k' (did you mean 'x'?)". With lists, the
 * table's list part (t[1] .. t[#t]) is allowed too (a table row's cells);
 * else a positional value is an error as well. Nothing if idx is no table.
 */
void gw_fields_check(lua_State *L, int idx, const char *const *known, bool lists,
                     const char *what);

/*
 * Report every field of the table at idx that known does not list, as an
 * error at its line in file (its text src): "WHAT has an unknown field 'k'
 * (did you mean 'x'?)". Returns 0, or -1 after reporting.
 */
int gw_fields_report(struct gw_plug *p, int idx, const char *const *known, const char *what,
                     const char *file, const char *src);

/* The fields a style may have, NULL-ended (defined in gw_style.c). */
extern const char *const gw_style_fields[];

#endif /* GW_FIELDS_H */
