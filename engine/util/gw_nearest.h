/*
 * gw_nearest: the known name nearest to a misspelt one, for "did you mean
 * …?" hints: a plugin's field (plug/gw_fields.c), a layout word
 * (plug/gw_style.c), a header key (read/gw_zone.c).
 */
#ifndef GW_NEAREST_H
#define GW_NEAREST_H

/*
 * Edits from a to b, counted in characters (code points; an invalid byte is
 * one) and ignoring ASCII case: characters added, dropped, changed, or two
 * neighbours swapped (the optimal string alignment distance). Names longer
 * than 64 characters are compared by their first 64.
 */
int gw_nearest_distance(const char *a, const char *b);

/*
 * The name of known (NULL-ended) nearest to key: at most one edit for keys
 * of up to 4 characters, two for longer ones. NULL if none is that near;
 * the first of equally near names wins.
 */
const char *gw_nearest(const char *key, const char *const *known);

#endif /* GW_NEAREST_H */
