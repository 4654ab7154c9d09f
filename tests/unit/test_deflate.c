/*
 * test_deflate.c - unit test for the two-piece zlib streams of
 * engine/pdf/gw_deflate: a stream whose pieces were compressed apart
 * (gw_deflate_first, gw_deflate_rest, gw_deflate_join) inflates with zlib
 * to exactly the data, its checksum included, whatever the cut, the data
 * (text, incompressible bytes, runs) and the compression level.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../engine/pdf/gw_deflate.h"
#include "harness.h"

/* Deterministic test data of three kinds. */
static unsigned char *make(size_t n, int kind)
{
    unsigned char *d = malloc(n ? n : 1);
    unsigned x = 12345;
    static const char words[] = "glyf loca hmtx cmap 仿宋 字体 the quick brown fox ";
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        if (kind == 0) /* text-like: compresses well, many blocks */
            d[i] = (unsigned char)words[(x >> 16) % (sizeof words - 1)];
        else if (kind == 1) /* random: stored blocks */
            d[i] = (unsigned char)(x >> 16);
        else /* long runs */
            d[i] = (unsigned char)((i / 700) % 3);
    }
    return d;
}

/* first + rest + join, then inflate: true when the data comes back. */
static int round_trip(const unsigned char *d, size_t n, size_t cut, int level)
{
    struct gw_deflate *z = gw_deflate_new(level);
    struct gw_buf a = {0}, b = {0};
    int ok = z && gw_deflate_first(z, d, cut, &a) == 0 &&
             gw_deflate_rest(z, d + cut, n - cut, &b) == 0 &&
             gw_deflate_join(
                 &a, &b, gw_deflate_adler32(gw_deflate_adler32(1, d, cut), d + cut, n - cut)) == 0;
    uLongf got = n + 1;
    unsigned char *out = malloc(n + 1);
    /* uncompress checks the zlib header, every block and the Adler-32 trailer */
    ok = ok && uncompress(out, &got, (const Bytef *)a.data, a.len) == Z_OK && got == n &&
         memcmp(out, d, n) == 0;
    free(out);
    gw_buf_free(&a);
    gw_buf_free(&b);
    gw_deflate_free(z);
    return ok;
}

static void test_cuts(void)
{
    for (int kind = 0; kind < 3; kind++) {
        size_t n = 200 * 1000;
        unsigned char *d = make(n, kind);
        int bad = 0, tried = 0;
        /* many cuts, so the first piece ends at every bit offset of its last byte */
        for (size_t cut = 1; cut < n; cut = cut * 3 / 2 + 7, tried++)
            bad += !round_trip(d, n, cut, 4);
        for (size_t cut = 84000; cut < 84000 + 40; cut++, tried++)
            bad += !round_trip(d, n, cut, 4);
        OK(bad == 0, "data kind %d: %d of %d cuts did not round-trip", kind, bad, tried);
        for (int level = 1; level <= 9; level += 4)
            OK(round_trip(d, n, n / 100 * 42, level), "kind %d, level %d", kind, level);
        free(d);
    }
}

static void test_small(void)
{
    unsigned char *d = make(10, 0);
    OK(round_trip(d, 10, 1, 4), "one byte, then nine");
    OK(round_trip(d, 10, 9, 4), "nine bytes, then one");
    OK(round_trip(d, 10, 5, 1), "level 1");
    free(d);
}

/* The joined stream is what libdeflate alone would make, give or take the seam. */
static void test_size(void)
{
    size_t n = 280 * 1000;
    unsigned char *d = make(n, 0);
    struct gw_deflate *z = gw_deflate_new(4);
    struct gw_buf one = {0}, a = {0}, b = {0};
    gw_deflate(z, d, n, &one);
    size_t cut = n / 100 * 42;
    gw_deflate_first(z, d, cut, &a);
    gw_deflate_rest(z, d + cut, n - cut, &b);
    gw_deflate_join(&a, &b, gw_deflate_adler32(1, d, n));
    OK(a.len < one.len + one.len / 50, "two pieces %zu bytes, one %zu", a.len, one.len);
    OK(a.data[0] == one.data[0] && a.data[1] == one.data[1], "the same zlib header");
    gw_buf_free(&one);
    gw_buf_free(&a);
    gw_buf_free(&b);
    gw_deflate_free(z);
    free(d);
}

int main(void)
{
    harness_watchdog(120);
    test_cuts();
    test_small();
    test_size();
    return harness_done();
}
