/*
 * fuzz_layout: bytes -> a layout file -> a build of a small document with it.
 *
 * The layouts a document's plugins/ folder brings are untrusted input, and
 * every number in them reaches the page setup, the styles and the PDF
 * writer. This target writes a layout (plugins/layouts/fz.lua, over one of
 * the built-in layouts) from a small grammar of the fuzz bytes and builds
 * one of a few documents with it through the whole pipeline, as
 * fuzz_build does (gw_read -> gw_plug_build beside gw_layout_start ->
 * gw_layout_trace + gw_pdf_write).
 *
 * The grammar: byte 0 picks the document, byte 1 the base layout; then each
 * setting is a byte naming a field (`fields` below, by its index modulo
 * their count) and a byte naming the kind of value (`value()`): NaN,
 * infinities, 1e308, negative and huge integers, zero and the like
 * (`fixed`), or, with a byte more, a small or fractional number, a
 * plausible value for a field, a string, or a list of values. A field may be a table's name
 * (`page`, `styles.body`), so tables get wrong types too.
 *
 * Besides the sanitizers' findings, a build that succeeds must give a
 * display list whose every coordinate, size and thickness is finite and
 * within +-1e7 pt (the checks at entry keep garbage numbers out). The seeds
 * (tests/fuzz/corpus/fuzz_layout) are written by make_seeds.py, which reads
 * `fields` from this file. GW_FUZZ_VERBOSE=1 prints the diagnostics and the
 * layout written.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc/gw_doc.h"
#include "font/gw_font.h"
#include "font/gw_fontset.h"
#include "layout/gw_layout.h"
#include "pdf/gw_pdf.h"
#include "plug/gw_plug.h"
#include "read/gw_read.h"
#include "util/gw_buf.h"
#include "fuzz_common.h"

/* The settings a fuzz input may make (make_seeds.py reads this list). */
static const char *const fields[] = {
    "page.width", "page.height", "page.top", "page.left", "page.text_width", "page.text_height",
    "grid.lines", "grid.chars", "grid.size", "grid.widow", "grid.orphan",
    "page_number.format", "page_number.role", "page_number.size", "page_number.below",
    "page_number.position", "page_number.inset", "page_number.first_page",
    "typeset.kinsoku", "typeset.punctuation", "typeset.trim_line_start",
    "typeset.cjk_latin_spacing", "typeset.avoid_single_char_last_line", "typeset.latin_role",
    "styles.body.size", "styles.body.indent", "styles.body.keep", "styles.body.align",
    "styles.body.role", "styles.body.bold", "styles.heading.size", "styles.heading.keep",
    "styles.heading.indent", "styles.h1.size", "styles.h2.bold", "styles.table_body.size",
    "styles.table_header.size", "styles.table_caption.size", "styles.colophon.size",
    "styles.colophon.indent", "styles.masthead_title.size", "styles.masthead_issue.size",
    "styles.masthead_line.size", "styles.note.size", "styles.image_caption.size",
    "styles.fz.size", "tables.padding", "tables.leading", "tables.thick", "tables.thin",
    "tables.style", "tables.landscape", "tables.widths", "images.max_height", "masthead.top",
    "masthead.title_max", "masthead.title_gap", "masthead.issue_gap", "masthead.body_gap",
    "masthead.rule.thickness", "masthead.rule.gap", "masthead.rule.style", "colophon_even_page",
    "page", "grid", "styles.body", "page_number", "typeset", "masthead.rule",
};
#define NFIELDS ((int)(sizeof fields / sizeof fields[0]))

static const char *const bases[] = {"gbt9704", "yongzhou", "yongzhou/daoxian",
                                    "yongzhou/lengshuitan"};

/* Plausible values, for fuzzing near the edges of what a layout may say. */
static const char *const plausible[] = {
    "210", "297", "37", "28", "156", "225", "22", "28", "16", "2", "14", "7", "1", "0.5", "1.2",
    "1.4", "36", "20", "3", "0.25", "100", "500", "1500", "1501", "19.9", "10", "200", "201",
    "0.05", "0.049", "1000", "999999",
};
static const char *const strings[] = {
    "\"none\"", "\"center\"", "\"outer\"", "\"gb\"", "\"strict\"", "\"basic\"", "\"banjiao\"",
    "\"kaiming\"", "\"— %d —\"", "\"%d%d\"", "\"%s\"", "\"%%\"", "\"第%d页\"", "\"hei\"",
    "\"kai\"", "\"song\"", "\"nofont\"", "\"left\"", "\"right\"", "\"grid\"", "\"double\"",
    "\"star\"", "\"30mm\"", "\"16\"", "\"\"", "\"#E60000\"",
};

/* The documents (byte 0 picks one): header, sections, headings, tables, image, colophon. */
static const char *const docs[] = {
    "标题: 示范县 工作简报\n期号: 2024年第3期\n总期号: 86\n编发: 示范县办公室\n日期: 2024年6月18日\n"
    "报: 市委。\n抄送: 办公室。\n印发: 示范县办公室 2024年6月18日印发\n印数: 60\n"
    "【编者按】\n汛期已至，各地要绷紧防汛这根弦。\n"
    "【工作部署】\n一、总体要求\n（一）工作部署。正文在这里，ABC 2024 年 5.2%。\n"
    "县应急管理局组织开展山洪灾害隐患排查，排查风险点位三十余处，整改问题十二个。\n"
    "表1 主要指标\n| 指标 | 本期 | 上期 |\n|---|---:|---:|\n| 生产总值 | 512.3 | 498.7 |\n"
    "| 财政收入 | 45.6 | 43.2 |\n\n正文。\n",
    "【甲】乙。\n",
    "标题: 长表\n【价格】\n| 品名 | 说明 |\n|---|---|\n| 大米 | "
    "安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动"
    "安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动"
    "安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动安全守底行动 |\n"
    "| 猪肉 | 短 |\n\n" "【县市区动态】\n冷水滩区\u3000区政府正在部署。\n没有结尾标点的段落\n接上。\n",
    "标题: 图片\n【图片】\n![现场检查](photos/inspection-1.jpg)\n正文。\n",
};
#define NDOCS ((int)(sizeof docs / sizeof docs[0]))

/* The fuzz bytes, read one at a time (0 past the end). */
struct bytes {
    const uint8_t *d;
    size_t n, i;
};

static unsigned next(struct bytes *b)
{
    return b->i < b->n ? b->d[b->i++] : 0;
}

/* Values that take no more bytes: kinds 0 to 16 of value(). */
static const char *const fixed[] = {
    "0/0",  "1/0",   "-1/0",  "1e308", "-1e308",          "0",               "-1",   "2^31",
    "true", "false", "{}",    "1e-300", "math.maxinteger", "math.mininteger", "-0.0", "0.001",
    "1e15",
};
#define NFIXED ((unsigned)(sizeof fixed / sizeof fixed[0]))

/* A value for a field, in Lua, by the next byte(s). */
static void value(struct bytes *b, struct gw_buf *out, int depth)
{
    unsigned k = next(b) % (NFIXED + 7);
    if (k < NFIXED) {
        gw_buf_adds(out, fixed[k]);
        return;
    }
    unsigned arg = next(b);
    switch (k - NFIXED) {
    case 0: gw_buf_printf(out, "%u", arg); break;
    case 1: gw_buf_printf(out, "%.2f", (arg << 8 | next(b)) / 100.0); break;
    case 2: gw_buf_printf(out, "-%u.5", arg); break;
    case 3: gw_buf_adds(out, strings[arg % (sizeof strings / sizeof *strings)]); break;
    case 4: /* a list of values (tables.widths), or a number just past a limit */
        if (depth > 0) {
            gw_buf_printf(out, "%u.001", arg % 2 ? 200 : 1500);
            break;
        }
        gw_buf_adds(out, "{ ");
        for (unsigned i = 0; i < arg % 4; i++) {
            value(b, out, depth + 1);
            gw_buf_adds(out, ", ");
        }
        gw_buf_adds(out, "}");
        break;
    default: gw_buf_adds(out, plausible[arg % (sizeof plausible / sizeof *plausible)]);
    }
}

/*
 * The settings as nested table constructors: one `key = value` line each,
 * a table's fields inside `key = { ... }`. A setting whose path runs through
 * a key already set to a value is dropped (Lua cannot hold both).
 */
struct setting {
    const char *path;
    char val[96];
};

static void emit(struct gw_buf *out, const struct setting *s, int n, const char *prefix, int indent)
{
    size_t pl = strlen(prefix);
    bool done[64] = {false};
    for (int i = 0; i < n; i++) {
        if (done[i] || strncmp(s[i].path, prefix, pl))
            continue;
        const char *key = s[i].path + pl;
        size_t kl = strcspn(key, ".");
        bool leaf = key[kl] == '\0';
        for (int j = i; j < n; j++) /* this key's other settings go here too */
            if (!strncmp(s[j].path, s[i].path, pl + kl) &&
                (s[j].path[pl + kl] == '.' || s[j].path[pl + kl] == '\0'))
                done[j] = true;
        gw_buf_printf(out, "%*s%.*s = ", indent, "", (int)kl, key);
        if (leaf) {
            gw_buf_printf(out, "%s,\n", s[i].val);
            continue;
        }
        char sub[128];
        snprintf(sub, sizeof sub, "%.*s.", (int)(pl + kl), s[i].path);
        gw_buf_adds(out, "{\n");
        emit(out, s, n, sub, indent + 3);
        gw_buf_printf(out, "%*s},\n", indent, "");
    }
}

static FILE *devnull;
static struct gw_diag diag; /* the plugin host keeps a pointer to it */
static struct gw_plug_opts po;
static struct gw_plug *plug;
static struct gw_fontset fs;
static bool verbose;
static char dir[256], layout_path[400], outpath[400];
static char docname[4200]; /* images resolve beside it, in examples/ */

static void cleanup(void)
{
    gw_plug_free(plug);
    plug = NULL;
    gw_fontset_fini(&fs);
    gw_font_shutdown();
    unlink(layout_path);
    unlink(outpath);
    char p[400];
    snprintf(p, sizeof p, "%s/plugins/layouts", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/plugins", dir);
    rmdir(p);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    verbose = getenv("GW_FUZZ_VERBOSE") != NULL;
    devnull = fopen("/dev/null", "w");
    gw_diag_init(&diag, verbose ? stderr : devnull);
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/gw-fuzz-layout-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("fuzz_layout: mkdtemp");
        abort();
    }
    static char plugins[4096], fonts[4096], local[512];
    snprintf(plugins, sizeof plugins, "%s/plugins", GW_HOME);
    snprintf(fonts, sizeof fonts, "%s/fonts", GW_HOME);
    snprintf(local, sizeof local, "%s/plugins", dir);
    mkdir(local, 0700);
    snprintf(layout_path, sizeof layout_path, "%s/layouts", local);
    mkdir(layout_path, 0700);
    snprintf(layout_path, sizeof layout_path, "%s/layouts/fz.lua", local);
    snprintf(outpath, sizeof outpath, "%s/out.pdf", dir);
    snprintf(docname, sizeof docname, "%s/examples/fuzz.txt", GW_HOME);
    po.dirs[po.ndirs++] = plugins;
    po.dirs[po.ndirs++] = local; /* the later folder wins, as a document's own plugins/ does */
    po.fonts_dir = fonts;
    gw_fontset_init(&fs, po.fonts_dir);
    plug = gw_plug_new(&po, &diag);
    if (!plug) {
        fprintf(stderr, "fuzz_layout: cannot create the plugin host from %s\n", plugins);
        abort();
    }
    atexit(cleanup);
    return 0;
}

/* Abort unless v is a finite number of sensible size (what a PDF writer may be given). */
static void sane(double v, const char *what, int page)
{
    if (!(v > -1e7 && v < 1e7)) {
        fprintf(stderr, "fuzz_layout: page %d: %s = %g in the display list\n", page, what, v);
        abort();
    }
}

/* Every number of a successful layout's display list is finite and page-sized. */
static void check_dlist(const struct gw_dlist *dl)
{
    if (dl->npages < 1 || !dl->first) {
        fprintf(stderr, "fuzz_layout: layout succeeded with %d pages\n", dl->npages);
        abort();
    }
    sane(dl->page_w, "page width", 0);
    sane(dl->page_h, "page height", 0);
    for (const struct gw_page *p = dl->first; p; p = p->next) {
        for (const struct gw_item *it = p->first; it; it = it->next) {
            sane(it->y, "y", p->number);
            if (it->type == GW_ITEM_TEXT) {
                sane(it->size, "size", p->number);
                for (int i = 0; i < it->n; i++) {
                    sane(it->g[i].x, "glyph x", p->number);
                    sane(it->g[i].w, "glyph advance", p->number);
                }
            } else {
                sane(it->x0, "x0", p->number);
                sane(it->x1, "x1", p->number);
                sane(it->y1, "y1", p->number);
                sane(it->thickness, "thickness", p->number);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bytes b = {data, size, 0};
    int which = (int)(next(&b) % NDOCS);
    const char *base = bases[next(&b) % (sizeof bases / sizeof *bases)];
    struct setting s[64];
    int n = 0;
    while (b.i < b.n && n < 64) {
        s[n].path = fields[next(&b) % NFIELDS];
        struct gw_buf v;
        gw_buf_init(&v);
        value(&b, &v, 0);
        snprintf(s[n].val, sizeof s[n].val, "%s", v.data ? v.data : "nil");
        gw_buf_free(&v);
        bool clash = false; /* a key set to a value, and a field under it (or the other way) */
        for (int j = 0; j < n && !clash; j++) {
            size_t a = strlen(s[j].path), c = strlen(s[n].path);
            size_t m = a < c ? a : c;
            clash = !strncmp(s[j].path, s[n].path, m) && (a == c || s[a < c ? n : j].path[m] == '.');
        }
        n += !clash;
    }
    struct gw_buf lua;
    gw_buf_init(&lua);
    gw_buf_printf(&lua, "-- written by fuzz_layout\nreturn {\n   api = 1,\n   base = \"%s\",\n", base);
    emit(&lua, s, n, "", 3);
    gw_buf_adds(&lua, "}\n");
    FILE *f = fopen(layout_path, "w");
    if (!f || fwrite(lua.data, 1, lua.len, f) != lua.len || fclose(f) != 0) {
        perror("fuzz_layout: writing the layout");
        abort();
    }
    if (verbose)
        fputs(lua.data, stderr);
    gw_buf_free(&lua);

    struct gw_buf text;
    gw_buf_init(&text);
    gw_buf_printf(&text, "版式: fz\n%s", docs[which]);
    gw_diag_init(&diag, diag.out);
    struct gw_doc *doc = gw_doc_new(docname);
    if (gw_read(doc, text.data, text.len, NULL, &diag) < 0) {
        fprintf(stderr, "fuzz_layout: document %d does not read\n", which);
        abort();
    }
    struct gw_build bu;
    struct gw_dlist dl;
    struct gw_arena larena;
    gw_arena_init(&larena);
    if (fuzz_pipeline(plug, doc, &fs, &diag, &bu, &larena, &dl)) {
        check_dlist(&dl);
        gw_layout_trace(&dl, &fs, devnull);
        gw_pdf_write(&dl, &fs, docname, outpath, FUZZ_WORKERS, &diag, NULL);
    }
    gw_arena_free(&larena);
    gw_doc_free(doc);
    gw_buf_free(&text);
    return 0;
}
