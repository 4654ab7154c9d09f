/*
 * fuzz_build: bytes -> the whole pipeline, as `gongwen build --lossy` runs it
 * (engine/cli/main.c build_one): gw_read -> gw_plug_build beside gw_layout_start ->
 * gw_layout_trace + gw_pdf_write, with the built-in plugins and fonts of the
 * source tree (GW_HOME) and the PDF written to a private folder in /dev/shm.
 *
 * The input is read with lossy on, so invalid UTF-8 still reaches the later
 * stages (as U+FFFD); the header field 版式 lets the fuzzer pick any built-in
 * layout. The input is named examples/fuzz.txt (it need not exist), so image
 * references such as ![](photos/inspection-1.jpg) find the example images.
 * The plugin host and the font set are created once and reused for
 * every input, as gw_plug_build allows (it reloads the layout each time and
 * the font set caches opened fonts): that keeps one input at a few ms instead
 * of re-creating Lua and re-opening fonts. Set GW_FUZZ_FRESH=1 to create both
 * per input, e.g. to check that a reproducer does not depend on that state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc/gw_doc.h"
#include "font/gw_font.h"
#include "font/gw_fontset.h"
#include "layout/gw_layout.h"
#include "pdf/gw_pdf.h"
#include "plug/gw_plug.h"
#include "read/gw_read.h"
#include "fuzz_common.h"

static FILE *devnull;
static struct gw_diag diag; /* the plugin host keeps a pointer to it */
static struct gw_plug_opts po;
static struct gw_plug *plug;
static struct gw_fontset fs;
static bool fresh;
static char outdir[256], outpath[300];
static char docname[4200]; /* the input's name: images resolve beside it, in examples/ */

static void cleanup(void)
{
    gw_plug_free(plug);
    plug = NULL;
    gw_fontset_fini(&fs);
    gw_font_shutdown();
    unlink(outpath);
    rmdir(outdir);
}

static void setup_host(void)
{
    gw_fontset_init(&fs, po.fonts_dir);
    plug = gw_plug_new(&po, &diag);
    if (!plug) {
        fprintf(stderr, "fuzz_build: cannot create the plugin host from %s\n", po.dirs[0]);
        abort();
    }
}

static void teardown_host(void)
{
    gw_plug_free(plug);
    plug = NULL;
    gw_fontset_fini(&fs);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    gw_diag_init(&diag, getenv("GW_FUZZ_VERBOSE") ? stderr : devnull);
    static char plugins[4096], fonts[4096];
    snprintf(plugins, sizeof plugins, "%s/plugins", GW_HOME);
    snprintf(fonts, sizeof fonts, "%s/fonts", GW_HOME);
    po.dirs[po.ndirs++] = plugins;
    po.fonts_dir = fonts;
    snprintf(docname, sizeof docname, "%s/examples/fuzz.txt", GW_HOME);
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(outdir, sizeof outdir, "%s/gw-fuzz-build-XXXXXX", base);
    if (!mkdtemp(outdir)) {
        perror("fuzz_build: mkdtemp");
        abort();
    }
    snprintf(outpath, sizeof outpath, "%s/out.pdf", outdir);
    fresh = getenv("GW_FUZZ_FRESH") && *getenv("GW_FUZZ_FRESH") == '1';
    if (!fresh)
        setup_host();
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gw_diag_init(&diag, diag.out);
    struct gw_doc *doc = gw_doc_new(docname);
    struct gw_read_opts ro = {.lossy = true};
    if (gw_read(doc, (const char *)data, size, &ro, &diag) < 0) {
        gw_doc_free(doc);
        return 0;
    }
    if (fresh)
        setup_host();
    struct gw_build b;
    struct gw_dlist dl;
    struct gw_arena larena;
    gw_arena_init(&larena);
    if (fuzz_pipeline(plug, doc, &fs, &diag, &b, &larena, &dl)) {
        if (dl.npages < 1 || !dl.first) {
            fprintf(stderr, "fuzz_build: layout succeeded with %d pages\n", dl.npages);
            abort();
        }
        gw_layout_trace(&dl, &fs, devnull);
        gw_pdf_write(&dl, &fs, docname, outpath, FUZZ_WORKERS, &diag, NULL);
    }
    if (fresh)
        teardown_host();
    gw_arena_free(&larena);
    gw_doc_free(doc);
    return 0;
}
