/*
 * gw_haru.h - libharu (and zlib's inflate), loaded while the build runs
 * (PDF module).
 *
 * Linking libharu made every run load it with libpng and zlib before main:
 * about 0.4 ms of the seed's build, on the one core that is busy then,
 * while the PDF stage needs them only some milliseconds later. The CLI
 * calls gw_pdf_preload() first thing, which loads them with dlopen on a
 * thread of its own; every entry point of the module that calls libharu
 * calls gw_haru_load() first, which waits for that load (or does it).
 *
 * The module's files include this header after libharu's, and call
 * libharu's functions by their own names: the macros at the end turn each
 * call into a call through the loaded table. The prototypes are libharu's
 * and zlib's own, from their headers.
 */
#ifndef GW_HARU_H
#define GW_HARU_H

#include <zlib.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

/* Every libharu function the module calls. */
#define GW_HARU_FUNCTIONS(X)                                                                       \
    X(HPDF_AddPage)                                                                                \
    X(HPDF_AddPageLabel)                                                                           \
    X(HPDF_Array_Add)                                                                              \
    X(HPDF_Array_AddNumber)                                                                        \
    X(HPDF_Array_New)                                                                              \
    X(HPDF_Binary_New)                                                                             \
    X(HPDF_CreateOutline)                                                                          \
    X(HPDF_Destination_SetFitH)                                                                    \
    X(HPDF_DictStream_New)                                                                         \
    X(HPDF_Dict_Add)                                                                               \
    X(HPDF_Dict_AddName)                                                                           \
    X(HPDF_Dict_AddNumber)                                                                         \
    X(HPDF_Dict_AddReal)                                                                           \
    X(HPDF_Dict_New)                                                                               \
    X(HPDF_Error_GetCode)                                                                          \
    X(HPDF_FreeMem)                                                                                \
    X(HPDF_GetError)                                                                               \
    X(HPDF_GetMem)                                                                                 \
    X(HPDF_LoadJpegImageFromFile)                                                                  \
    X(HPDF_LoadPngImageFromFile)                                                                   \
    X(HPDF_NewEx)                                                                                  \
    X(HPDF_Outline_SetDestination)                                                                 \
    X(HPDF_Page_CreateDestination)                                                                 \
    X(HPDF_Page_GetLocalFontName)                                                                  \
    X(HPDF_Page_GetXObjectName)                                                                    \
    X(HPDF_Page_SetHeight)                                                                         \
    X(HPDF_Page_SetWidth)                                                                          \
    X(HPDF_SaveToStream)                                                                           \
    X(HPDF_SetCompressionMode)                                                                     \
    X(HPDF_SetError)                                                                               \
    X(HPDF_SetInfoAttr)                                                                            \
    X(HPDF_SetInfoDateAttr)                                                                        \
    X(HPDF_SetPageMode)                                                                            \
    X(HPDF_Stream_Free)                                                                            \
    X(HPDF_Stream_Write)                                                                           \
    X(HPDF_Stream_WriteStr)                                                                        \
    X(HPDF_String_New)                                                                             \
    X(HPDF_Xref_Add)

/* And zlib's, from the zlib libharu brings along (finding a DEFLATE stream's last block). */
#define GW_ZLIB_FUNCTIONS(X)                                                                       \
    X(inflate)                                                                                     \
    X(inflateEnd)                                                                                  \
    X(inflateInit2_)

#define GW_HARU_POINTER(name) __typeof__(name) *name;
struct gw_haru {
    GW_HARU_FUNCTIONS(GW_HARU_POINTER)
    GW_ZLIB_FUNCTIONS(GW_HARU_POINTER)
};
#undef GW_HARU_POINTER

/* The table the calls go through: filled by gw_haru_load. */
extern struct gw_haru gw_haru_api;

/*
 * Load libharu and zlib (once per process; thread-safe: a second caller
 * waits for the first). NULL when loaded, else why not ("cannot load
 * libharu (libhpdf-2.3.0.so): ...").
 */
const char *gw_haru_load(void);

#ifndef GW_HARU_DIRECT /* gw_haru.c itself names the functions */
#define HPDF_AddPage                (gw_haru_api.HPDF_AddPage)
#define HPDF_AddPageLabel           (gw_haru_api.HPDF_AddPageLabel)
#define HPDF_Array_Add              (gw_haru_api.HPDF_Array_Add)
#define HPDF_Array_AddNumber        (gw_haru_api.HPDF_Array_AddNumber)
#define HPDF_Array_New              (gw_haru_api.HPDF_Array_New)
#define HPDF_Binary_New             (gw_haru_api.HPDF_Binary_New)
#define HPDF_CreateOutline          (gw_haru_api.HPDF_CreateOutline)
#define HPDF_Destination_SetFitH    (gw_haru_api.HPDF_Destination_SetFitH)
#define HPDF_DictStream_New         (gw_haru_api.HPDF_DictStream_New)
#define HPDF_Dict_Add               (gw_haru_api.HPDF_Dict_Add)
#define HPDF_Dict_AddName           (gw_haru_api.HPDF_Dict_AddName)
#define HPDF_Dict_AddNumber         (gw_haru_api.HPDF_Dict_AddNumber)
#define HPDF_Dict_AddReal           (gw_haru_api.HPDF_Dict_AddReal)
#define HPDF_Dict_New               (gw_haru_api.HPDF_Dict_New)
#define HPDF_Error_GetCode          (gw_haru_api.HPDF_Error_GetCode)
#define HPDF_FreeMem                (gw_haru_api.HPDF_FreeMem)
#define HPDF_GetError               (gw_haru_api.HPDF_GetError)
#define HPDF_GetMem                 (gw_haru_api.HPDF_GetMem)
#define HPDF_LoadJpegImageFromFile  (gw_haru_api.HPDF_LoadJpegImageFromFile)
#define HPDF_LoadPngImageFromFile   (gw_haru_api.HPDF_LoadPngImageFromFile)
#define HPDF_NewEx                  (gw_haru_api.HPDF_NewEx)
#define HPDF_Outline_SetDestination (gw_haru_api.HPDF_Outline_SetDestination)
#define HPDF_Page_CreateDestination (gw_haru_api.HPDF_Page_CreateDestination)
#define HPDF_Page_GetLocalFontName  (gw_haru_api.HPDF_Page_GetLocalFontName)
#define HPDF_Page_GetXObjectName    (gw_haru_api.HPDF_Page_GetXObjectName)
#define HPDF_Page_SetHeight         (gw_haru_api.HPDF_Page_SetHeight)
#define HPDF_Page_SetWidth          (gw_haru_api.HPDF_Page_SetWidth)
#define HPDF_SaveToStream           (gw_haru_api.HPDF_SaveToStream)
#define HPDF_SetCompressionMode     (gw_haru_api.HPDF_SetCompressionMode)
#define HPDF_SetError               (gw_haru_api.HPDF_SetError)
#define HPDF_SetInfoAttr            (gw_haru_api.HPDF_SetInfoAttr)
#define HPDF_SetInfoDateAttr        (gw_haru_api.HPDF_SetInfoDateAttr)
#define HPDF_SetPageMode            (gw_haru_api.HPDF_SetPageMode)
#define HPDF_Stream_Free            (gw_haru_api.HPDF_Stream_Free)
#define HPDF_Stream_Write           (gw_haru_api.HPDF_Stream_Write)
#define HPDF_Stream_WriteStr        (gw_haru_api.HPDF_Stream_WriteStr)
#define HPDF_String_New             (gw_haru_api.HPDF_String_New)
#define HPDF_Xref_Add               (gw_haru_api.HPDF_Xref_Add)
#define inflate                     (gw_haru_api.inflate)
#define inflateEnd                  (gw_haru_api.inflateEnd)
#undef inflateInit2 /* zlib's macro, which calls inflateInit2_ */
#define inflateInit2(strm, bits)                                                                   \
    (gw_haru_api.inflateInit2_((strm), (bits), ZLIB_VERSION, (int)sizeof(z_stream)))
#endif

#endif /* GW_HARU_H */
