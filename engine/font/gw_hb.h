/*
 * gw_hb.h - HarfBuzz, loaded when a font needs it (font module).
 *
 * gongwen reads TrueType fonts itself (gw_sfnt.c, gw_ttf_subset.c).
 * HarfBuzz is needed only for CFF-flavoured OpenType fonts: their glyph
 * extents and their subsets.  Linking it made every run load HarfBuzz,
 * GLib, graphite2 and FreeType, about 0.6 ms before main on the project's
 * machine; gw_hb() loads libharfbuzz-subset.so.0 (with libharfbuzz) with
 * dlopen the first time a CFF font is opened instead.
 *
 * Call through the table: gw_hb()->hb_face_create(blob, 0).  The
 * prototypes are HarfBuzz's own, from its headers.
 */
#ifndef GW_HB_H
#define GW_HB_H

#include <stddef.h>

#include <hb-subset.h>
#include <hb.h>

/* Every HarfBuzz function gongwen calls. */
#define GW_HB_FUNCTIONS(X)                                                                         \
    X(hb_blob_create_or_fail)                                                                      \
    X(hb_blob_destroy)                                                                             \
    X(hb_blob_get_data)                                                                            \
    X(hb_face_create)                                                                              \
    X(hb_face_destroy)                                                                             \
    X(hb_face_get_glyph_count)                                                                     \
    X(hb_face_get_table_tags)                                                                      \
    X(hb_face_reference_table)                                                                     \
    X(hb_font_create)                                                                              \
    X(hb_font_destroy)                                                                             \
    X(hb_font_get_empty)                                                                           \
    X(hb_font_get_glyph_extents)                                                                   \
    X(hb_font_make_immutable)                                                                      \
    X(hb_font_set_scale)                                                                           \
    X(hb_map_get)                                                                                  \
    X(hb_map_get_population)                                                                       \
    X(hb_set_add)                                                                                  \
    X(hb_set_allocation_successful)                                                                \
    X(hb_subset_input_create_or_fail)                                                              \
    X(hb_subset_input_destroy)                                                                     \
    X(hb_subset_input_glyph_set)                                                                   \
    X(hb_subset_input_set)                                                                         \
    X(hb_subset_input_set_flags)                                                                   \
    X(hb_subset_input_unicode_set)                                                                 \
    X(hb_subset_plan_create_or_fail)                                                               \
    X(hb_subset_plan_destroy)                                                                      \
    X(hb_subset_plan_execute_or_fail)                                                              \
    X(hb_subset_plan_old_to_new_glyph_mapping)

#define GW_HB_POINTER(name) __typeof__(name) *name;
struct gw_hb {
    GW_HB_FUNCTIONS(GW_HB_POINTER)
};
#undef GW_HB_POINTER

/*
 * The loaded functions, or NULL if HarfBuzz cannot be loaded (why is then
 * in gw_hb_error()).  Thread-safe; loads once per process.
 */
const struct gw_hb *gw_hb(void);

/* Why gw_hb() returned NULL ("" if it did not). */
const char *gw_hb_error(void);

#endif /* GW_HB_H */
