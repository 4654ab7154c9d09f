/*
 * test_pdf_font.c - unit test for engine/font/gw_font and
 * engine/pdf/gw_pdf_font.
 *
 * Part 1 opens the installed CJK fonts (TTF and a TTC face), checks glyph
 * lookup, missing glyphs, advances, error handling for bad files and
 * fontconfig lookup.  Part 2 writes a one-page PDF (path = argv[1]) with
 * one line from each of three fonts, drawn with raw CID text operators
 * the way the engine does; tests/unit/check_pdf_font.sh then verifies it
 * with poppler and qpdf.  Prints timings and "N passed, N failed";
 * exits non-zero on any failure.
 *
 * Build:
 *   gcc -std=c11 -Wall -Wextra -O2 -D_POSIX_C_SOURCE=200809L \
 *       tests/unit/test_pdf_font.c engine/font/gw_font.c \
 *       engine/pdf/gw_pdf_font.c -o test_pdf_font \
 *       $(pkg-config --cflags --libs harfbuzz harfbuzz-subset fontconfig) \
 *       -lhpdf -lz -lm
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "../../engine/font/gw_font.h"
#include "../../engine/pdf/gw_pdf_font.h"

#define SUNG   "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define KAI    "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define WENKAI "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"

static int passed, failed;

/* Count one check; print the failing ones with their location. */
#define CHECK(cond, ...) check((cond), __LINE__, __VA_ARGS__)

static void check(int ok, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Record and report a check result. */
static void check(int ok, int line, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "FAIL (line %d): ", line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Monotonic clock in milliseconds. */
static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Decode UTF-8 s into cps (no validation beyond the lead byte). */
static int utf8_decode(const char *s, uint32_t *cps, int max)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;

    while (*p && n < max) {
        uint32_t c = *p++;
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

        if (extra)
            c &= 0x3F >> extra;
        while (extra-- > 0 && *p)
            c = (c << 6) | (*p++ & 0x3F);
        cps[n++] = c;
    }
    return n;
}

/* libharu error callback: any libharu error fails the test. */
static void hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    (void)user_data;
    check(0, __LINE__, "libharu error 0x%04lX detail %lu", (unsigned long)error_no,
          (unsigned long)detail_no);
}

/* Open a font, failing the check (and returning NULL) if it cannot be. */
static struct gw_font *open_timed(const char *path, unsigned index, double *ms)
{
    char err[256] = "";
    double t0 = now_ms();
    struct gw_font *f = gw_font_open(path, index, err, sizeof err);

    *ms = now_ms() - t0;
    CHECK(f != NULL, "open %s:%u: %s", path, index, err);
    return f;
}

/* Checks that apply to every good CJK font. */
static void check_cjk_font(const char *path, unsigned index)
{
    struct gw_font *f;
    uint32_t gid = 0;
    double ms, adv;

    f = open_timed(path, index, &ms);
    if (!f)
        return;
    printf("  %-60s face %u: open %.3f ms, %u glyphs, upem %u\n"
           "      family \"%s\" psname \"%s\" ascent %.3f descent %.3f\n",
           path, index, ms, gw_font_glyph_count(f), gw_font_upem(f), gw_font_family(f),
           gw_font_psname(f), gw_font_ascent(f), gw_font_descent(f));
    /* speed is scripts/bench's business (a timed test fails on a loaded machine); report only */
    if (ms >= 2.0)
        printf("  note: open %s took %.3f ms (target 2 ms)\n", path, ms);
    CHECK(gw_font_glyph(f, 0x4E2D, &gid) && gid > 0, "%s: no glyph for 中", path);
    adv = gw_font_advance(f, gid);
    CHECK(fabs(adv - 1.0) < 0.02, "%s: advance of 中 = %.4f em", path, adv);
    CHECK(!gw_font_glyph(f, 0x2A6A5, &gid), "%s: has U+2A6A5?", path);
    CHECK(!gw_font_glyph(f, 0x110000, &gid), "%s: accepts U+110000", path);
    CHECK(gw_font_ascent(f) > 0.5 && gw_font_ascent(f) < 1.5, "%s: ascent %.3f", path,
          gw_font_ascent(f));
    CHECK(gw_font_descent(f) < 0 && gw_font_descent(f) > -0.6, "%s: descent %.3f", path,
          gw_font_descent(f));
    CHECK(gw_font_advance(f, gw_font_glyph_count(f)) == 0.0, "%s: advance of out-of-range glyph",
          path);
    CHECK(strcmp(gw_font_path(f), path) == 0 && gw_font_index(f) == index, "%s: path/index", path);
    CHECK(gw_font_family(f)[0] != '\0', "%s: empty family", path);
    CHECK(strspn(gw_font_psname(f),
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(gw_font_psname(f)) &&
              gw_font_psname(f)[0],
          "%s: psname \"%s\" not PDF-safe", path, gw_font_psname(f));
    CHECK(gw_font_hb_face(f) != NULL, "%s: no hb face", path);
    gw_font_free(f);
}

/* Expect gw_font_open to fail on path:index with a message containing
 * `want`. */
static void check_open_fails(const char *path, unsigned index, const char *want)
{
    char err[256] = "";
    struct gw_font *f = gw_font_open(path, index, err, sizeof err);

    CHECK(f == NULL, "open %s:%u should fail", path, index);
    CHECK(err[0] && strstr(err, want),
          "open %s:%u: message \"%s\", "
          "expected \"%s\"",
          path, index, err, want);
    printf("  reject %s:%u -> \"%s\"\n", path, index, err);
    gw_font_free(f);
}

/* Write the first `len` bytes of src into a new temp file; returns path. */
static int copy_prefix(const char *src, long len, char *tmpl)
{
    FILE *in = fopen(src, "rb");
    int fd = mkstemp(tmpl);
    char buf[65536];
    long done = 0;

    if (!in || fd < 0) {
        if (in)
            fclose(in);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    while (done < len) {
        size_t want = (size_t)(len - done < (long)sizeof buf ? len - done : (long)sizeof buf);
        size_t got = fread(buf, 1, want, in);

        if (got == 0 || write(fd, buf, got) != (ssize_t)got)
            break;
        done += (long)got;
    }
    fclose(in);
    close(fd);
    return done == len ? 0 : -1;
}

/* Part 1: font data access. */
static void test_fonts(void)
{
    char path[1024], tmp[] = "/tmp/gw_trunc_XXXXXX", empty[] = "/tmp/gw_empty_XXXXXX";
    unsigned index = 99;
    struct gw_font *f;
    double ms, t0;
    uint32_t gid;
    int i, fd;

    printf("part 1: fonts\n");
    check_cjk_font(SUNG, 0);
    check_cjk_font(KAI, 0);
    check_cjk_font(WENKAI, 0);
    check_cjk_font(ZENHEI, 0);
    check_cjk_font(ZENHEI, 2);

    /* LXGW WenKai has the non-BMP test characters */
    f = open_timed(WENKAI, 0, &ms);
    if (f) {
        static const uint32_t nonbmp[] = {0x20BB7, 0x2B5AF, 0x30EDE};
        volatile double sum = 0;
        uint32_t g = 0;

        for (i = 0; i < 3; i++)
            CHECK(gw_font_glyph(f, nonbmp[i], &gid) && gid > 0, "WenKai: no glyph for U+%X",
                  (unsigned)nonbmp[i]);
        CHECK(gw_font_glyph(f, 'A', &g) && gw_font_advance(f, g) > 0.2 &&
                  gw_font_advance(f, g) < 0.9,
              "WenKai: advance of A");
        t0 = now_ms();
        for (i = 0; i < 1000000; i++)
            sum += gw_font_advance(f, (uint32_t)i % 5000);
        ms = now_ms() - t0;
        printf("  gw_font_advance: %.1f ns/call\n", ms * 1e6 / 1e6);
        if (ms >= 200)
            printf("  note: advance took %.1f ns/call\n", ms);
        t0 = now_ms();
        for (i = 0; i < 1000000; i++)
            gw_font_glyph(f, 0x4E00 + (uint32_t)i % 20000, &g);
        ms = now_ms() - t0;
        printf("  gw_font_glyph: %.1f ns/call\n", ms * 1e6 / 1e6);
        gw_font_free(f);
    }

    /* bad inputs */
    check_open_fails(ZENHEI, 3, "not in collection");
    check_open_fails("/etc/hostname", 0, "not a font file");
    check_open_fails("/nonexistent/font.ttf", 0, "cannot read font file");
    check_open_fails("/tmp", 0, "cannot read font file");
    if (copy_prefix(SUNG, 200000, tmp) == 0) {
        check_open_fails(tmp, 0, "truncated");
        unlink(tmp);
    } else {
        CHECK(0, "cannot make truncated copy");
    }
    if (copy_prefix(SUNG, 100, tmp) == 0) {
        check_open_fails(tmp, 0, "");
        unlink(tmp);
    }
    fd = mkstemp(empty);
    if (fd >= 0) {
        close(fd);
        check_open_fails(empty, 0, "");
        unlink(empty);
    }

    /* fontconfig lookup */
    t0 = now_ms();
    CHECK(gw_font_find("AR PL SungtiL GB", path, sizeof path, &index) == 0 &&
              strstr(path, "gbsn00lp.ttf") && index == 0,
          "find AR PL SungtiL GB -> %s:%u", path, index);
    printf("  gw_font_find (first call, fontconfig init): %.2f ms\n", now_ms() - t0);
    t0 = now_ms();
    CHECK(gw_font_find("文鼎ＰＬ简报宋", path, sizeof path, &index) == 0 &&
              strstr(path, "gbsn00lp.ttf"),
          "find 文鼎ＰＬ简报宋 -> %s", path);
    printf("  gw_font_find (later call): %.2f ms\n", now_ms() - t0);
    CHECK(gw_font_find("LXGW WenKai", path, sizeof path, &index) == 0 &&
              strstr(path, "LXGWWenKai-Regular.ttf"),
          "find LXGW WenKai -> %s (want Regular)", path);
    CHECK(gw_font_find("WenQuanYi Zen Hei Mono", path, sizeof path, &index) == 0 &&
              strstr(path, "wqy-zenhei.ttc") && index == 1,
          "find WenQuanYi Zen Hei Mono -> %s:%u", path, index);
    CHECK(gw_font_find("No Such Font Family", path, sizeof path, &index) == -1,
          "find No Such Font Family should fail");
    CHECK(gw_font_find("Sans", path, sizeof path, &index) == -1 || strstr(path, "Sans"),
          "find Sans returned a substitute %s", path);
    CHECK(gw_font_find("AR PL SungtiL GB", path, 5, &index) == -1,
          "find with short buffer should fail");
}

struct line {
    const char *font;
    unsigned index;
    const char *text;
};

/* Part 2: write argv[1] with one line per font. */
static void test_pdf(const char *out)
{
    static const struct line lines[] = {
        {SUNG, 0, "永州市安全守底行动（2024年）"},
        {WENKAI, 0, "吉𠮷祥𫖯𰻞"},
        {ZENHEI, 0, "文泉驿正黑字体测试ABC"},
    };
    enum { NLINES = sizeof lines / sizeof lines[0] };
    struct gw_font *fonts[NLINES] = {0};
    struct gw_pdf_font *pfs[NLINES] = {0};
    uint32_t cps[NLINES][64];
    uint32_t gids[NLINES][64];
    int ncps[NLINES];
    char err[256];
    HPDF_Doc pdf;
    HPDF_Page page;
    int i, k;
    FILE *fp;

    printf("part 2: PDF %s\n", out);
    pdf = HPDF_New(hpdf_error, NULL);
    CHECK(pdf != NULL, "HPDF_New");
    if (!pdf)
        return;
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);

    for (i = 0; i < NLINES; i++) {
        double t0 = now_ms(), t_open, t_build;

        fonts[i] = gw_font_open(lines[i].font, lines[i].index, err, sizeof err);
        t_open = now_ms() - t0;
        CHECK(fonts[i] != NULL, "open %s: %s", lines[i].font, err);
        if (!fonts[i])
            continue;
        pfs[i] = gw_pdf_font_new(fonts[i]);
        CHECK(pfs[i] != NULL, "gw_pdf_font_new");
        if (!pfs[i])
            continue;
        ncps[i] = utf8_decode(lines[i].text, cps[i], 64);
        for (k = 0; k < ncps[i]; k++) {
            int ok = gw_font_glyph(fonts[i], cps[i][k], &gids[i][k]);

            CHECK(ok, "%s: no glyph for U+%04X", lines[i].font, (unsigned)cps[i][k]);
            if (!ok)
                gids[i][k] = 0;
            gw_pdf_font_use(pfs[i], gids[i][k], &cps[i][k], 1);
        }
        t0 = now_ms();
        CHECK(gw_pdf_font_build(pfs[i], pdf, err, sizeof err) == 0, "build %s: %s", lines[i].font,
              err);
        t_build = now_ms() - t0;
        printf("  %-60s open %.3f ms, subset+build %.2f ms, "
               "%zu glyphs -> subset %zu bytes\n",
               lines[i].font, t_open, t_build, gw_pdf_font_glyphs_used(pfs[i]),
               gw_pdf_font_subset_size(pfs[i]));
        CHECK(gw_pdf_font_build(pfs[i], pdf, err, sizeof err) == -1, "second build should fail");
    }

    for (i = 0; i < NLINES; i++) {
        HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
        const char *name;
        char buf[64];

        if (!pfs[i] || !gw_pdf_font_dict(pfs[i]))
            continue;
        name = HPDF_Page_GetLocalFontName(page, (HPDF_Font)gw_pdf_font_dict(pfs[i]));
        CHECK(name != NULL, "GetLocalFontName");
        if (!name)
            continue;
        snprintf(buf, sizeof buf, "BT /%s 16 Tf 1 0 0 1 72 %d Tm <", name, 760 - 40 * i);
        HPDF_Stream_WriteStr(attr->stream, buf);
        for (k = 0; k < ncps[i]; k++) {
            uint16_t cid = gw_pdf_font_cid(pfs[i], gids[i][k]);

            CHECK(cid != 0, "CID 0 for U+%04X", (unsigned)cps[i][k]);
            snprintf(buf, sizeof buf, "%04X", cid);
            HPDF_Stream_WriteStr(attr->stream, buf);
        }
        HPDF_Stream_WriteStr(attr->stream, "> Tj ET\n");
        CHECK(gw_pdf_font_cid(pfs[i], 1) == 0 || gids[i][0] == 1,
              "unused glyph should map to CID 0");
    }

    CHECK(HPDF_SaveToFile(pdf, out) == HPDF_OK, "HPDF_SaveToFile %s", out);
    HPDF_Free(pdf);
    for (i = 0; i < NLINES; i++) {
        gw_pdf_font_free(pfs[i]);
        gw_font_free(fonts[i]);
    }

    fp = fopen(out, "rb");
    CHECK(fp != NULL, "cannot reopen %s", out);
    if (fp) {
        long size;

        fseek(fp, 0, SEEK_END);
        size = ftell(fp);
        fclose(fp);
        printf("  PDF size: %ld bytes (%.1f KB)\n", size, size / 1024.0);
        CHECK(size <= 40 * 1024, "PDF is %ld bytes (limit 40 KB)", size);
    }
}

/*
 * Part 3: the CFF charset reader on hand-made tables: a CID-keyed font with
 * each charset format, a name-keyed font, and damaged tables (truncated,
 * offsets out of range, unknown formats) that must be refused, not read.
 */
struct cff_table {
    unsigned char b[128];
    size_t n;
};

/* Header, a one-name Name INDEX, a Top DICT INDEX with (ROS) and charset = 64. */
static void cff_start(struct cff_table *t, int cid_keyed)
{
    static const unsigned char head[] = {1, 0, 4, 1, 0, 1, 1, 1, 2, 'A'};
    memset(t, 0, sizeof *t);
    memcpy(t->b, head, sizeof head);
    t->n = sizeof head;
    unsigned char dict[16];
    size_t d = 0;
    if (cid_keyed) { /* ROS: three operands, then 12 30 */
        dict[d++] = 139;
        dict[d++] = 139;
        dict[d++] = 139;
        dict[d++] = 12;
        dict[d++] = 30;
    }
    dict[d++] = 28; /* charset offset 64 as a 16-bit operand, then op 15 */
    dict[d++] = 0;
    dict[d++] = 64;
    dict[d++] = 15;
    unsigned char idx[] = {0, 1, 1, 1, (unsigned char)(1 + d)};
    memcpy(t->b + t->n, idx, sizeof idx);
    t->n += sizeof idx;
    memcpy(t->b + t->n, dict, d);
    t->n += d;
}

static void cff_charset_bytes(struct cff_table *t, const unsigned char *cs, size_t len)
{
    memcpy(t->b + 64, cs, len);
    t->n = 64 + len;
}

static void test_cff(void)
{
    struct cff_table t;
    uint16_t cid[8];
    bool keyed;

    /* format 0: a list of CIDs for glyphs 1.. */
    static const unsigned char f0[] = {0, 0, 10, 0, 20, 0x12, 0x34};
    cff_start(&t, 1);
    cff_charset_bytes(&t, f0, sizeof f0);
    CHECK(gw_pdf_cff_charset(t.b, t.n, 4, &keyed, cid) && keyed && cid[0] == 0 &&
              cid[1] == 10 && cid[2] == 20 && cid[3] == 0x1234,
          "CFF charset format 0: CIDs 0 10 20 4660 (got %u %u %u %u)", cid[0], cid[1], cid[2],
          cid[3]);
    /* format 1: ranges of (first, nLeft as one byte) */
    static const unsigned char f1[] = {1, 0, 100, 2, 1, 0, 0};
    cff_start(&t, 1);
    cff_charset_bytes(&t, f1, sizeof f1);
    CHECK(gw_pdf_cff_charset(t.b, t.n, 5, &keyed, cid) && cid[1] == 100 && cid[3] == 102 &&
              cid[4] == 256,
          "CFF charset format 1: ranges 100..102, 256 (got %u %u %u)", cid[1], cid[3], cid[4]);
    /* format 2: ranges with two-byte nLeft */
    static const unsigned char f2[] = {2, 0x4E, 0x00, 0, 5};
    cff_start(&t, 1);
    cff_charset_bytes(&t, f2, sizeof f2);
    CHECK(gw_pdf_cff_charset(t.b, t.n, 7, &keyed, cid) && cid[1] == 0x4E00 && cid[6] == 0x4E05,
          "CFF charset format 2: 0x4E00..0x4E05 (got %u %u)", cid[1], cid[6]);
    /* a name-keyed font: no ROS, the charset is not needed */
    cff_start(&t, 0);
    cff_charset_bytes(&t, f0, sizeof f0);
    CHECK(gw_pdf_cff_charset(t.b, t.n, 4, &keyed, cid) && !keyed, "a CFF without ROS is name-keyed");

    /* damaged tables are refused */
    cff_start(&t, 1);
    cff_charset_bytes(&t, f0, sizeof f0);
    CHECK(!gw_pdf_cff_charset(t.b, t.n, 9, &keyed, cid), "a charset shorter than the glyphs");
    CHECK(!gw_pdf_cff_charset(t.b, 12, 4, &keyed, cid), "a table cut inside its Top DICT INDEX");
    static const unsigned char f7[] = {7, 0, 1};
    cff_charset_bytes(&t, f7, sizeof f7);
    CHECK(!gw_pdf_cff_charset(t.b, t.n, 3, &keyed, cid), "an unknown charset format");
    t.b[0] = 2;
    CHECK(!gw_pdf_cff_charset(t.b, t.n, 3, &keyed, cid), "CFF version 2 is not CFF");
    cff_start(&t, 1);
    t.b[12] = 4; /* the Top DICT INDEX claims 4-byte offsets past the end */
    CHECK(!gw_pdf_cff_charset(t.b, 14, 3, &keyed, cid), "an INDEX running past the table");
    for (size_t cut = 0; cut < t.n; cut++) /* every truncation: refused or read, never past */
        gw_pdf_cff_charset(t.b, cut, 3, &keyed, cid);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.pdf\n", argv[0]);
        return 2;
    }
    test_fonts();
    test_cff();
    test_pdf(argv[1]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
