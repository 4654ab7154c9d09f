/*
 * harness.h - a tiny cmark-style unit-test harness (header only).
 *
 *   OK(cond, fmt, ...)   passes when cond is true; fmt is a printf message
 *   INT_EQ(a, b)         integer equality (compared as long long)
 *   STR_EQ(a, b)         string equality (NULL equals only NULL)
 *   DBL_NEAR(a, b, eps)  |a - b| <= eps
 *
 * Every check counts a pass or a failure; a failure prints
 * "file:line: FAIL: ..." with the expressions and values. harness_done()
 * prints exactly one line "N passed, N failed" and returns the exit code
 * for main (0 only when nothing failed). harness_watchdog(secs) makes a
 * hanging test (an engine infinite loop) fail instead of blocking ctest.
 * Each test file has one `static void test_<topic>(void)` per topic, called
 * from main.
 */
#ifndef GW_TEST_HARNESS_H
#define GW_TEST_HARNESS_H

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int harness_passed, harness_failed;

static inline void harness_fail_head(const char *file, int line)
{
    harness_failed++;
    fprintf(stderr, "%s:%d: FAIL: ", file, line);
}

__attribute__((format(printf, 4, 5))) static inline int
harness_ok(const char *file, int line, int cond, const char *fmt, ...)
{
    if (cond) {
        harness_passed++;
        return 1;
    }
    harness_fail_head(file, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 0;
}

static inline int harness_int_eq(const char *file, int line, long long a, long long b,
                                 const char *ea, const char *eb)
{
    if (a == b) {
        harness_passed++;
        return 1;
    }
    harness_fail_head(file, line);
    fprintf(stderr, "%s == %s: got %lld, expected %lld\n", ea, eb, a, b);
    return 0;
}

static inline int harness_str_eq(const char *file, int line, const char *a, const char *b,
                                 const char *ea, const char *eb)
{
    if ((!a && !b) || (a && b && strcmp(a, b) == 0)) {
        harness_passed++;
        return 1;
    }
    harness_fail_head(file, line);
    fprintf(stderr, "%s == %s: got %s%s%s, expected %s%s%s\n", ea, eb, a ? "\"" : "",
            a ? a : "NULL", a ? "\"" : "", b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
    return 0;
}

static inline int harness_dbl_near(const char *file, int line, double a, double b, double eps,
                                   const char *ea, const char *eb)
{
    if (fabs(a - b) <= eps) {
        harness_passed++;
        return 1;
    }
    harness_fail_head(file, line);
    fprintf(stderr, "%s ~= %s: got %.6f, expected %.6f (eps %g)\n", ea, eb, a, b, eps);
    return 0;
}

/* OK(cond, fmt, ...): the message is required (say what was expected). */
#define OK(cond, ...)      harness_ok(__FILE__, __LINE__, !!(cond), __VA_ARGS__)
#define INT_EQ(a, b)       harness_int_eq(__FILE__, __LINE__, (long long)(a), (long long)(b), #a, #b)
#define STR_EQ(a, b)       harness_str_eq(__FILE__, __LINE__, (a), (b), #a, #b)
#define DBL_NEAR(a, b, e)  harness_dbl_near(__FILE__, __LINE__, (a), (b), (e), #a, #b)

static inline void harness_alarm(int sig)
{
    static const char msg[] = "harness: watchdog expired: a test hangs\n";
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    (void)sig;
    _exit(3);
}

/* Fail the whole run (exit 3) if it is still running after seconds. */
static inline void harness_watchdog(unsigned seconds)
{
    signal(SIGALRM, harness_alarm);
    alarm(seconds);
}

/*
 * Write len bytes to a new temporary file named from tmpl (a mkstemp
 * template, filled in); 0, or -1 if it cannot be written. The caller
 * unlinks it.
 */
static inline int harness_temp_file(char *tmpl, const void *data, size_t len)
{
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, (const char *)data + done, len - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    return close(fd) == 0 && done == len ? 0 : -1;
}

/* Print "N passed, N failed" and return main's exit code. */
static inline int harness_done(void)
{
    printf("%d passed, %d failed\n", harness_passed, harness_failed);
    fflush(stdout);
    return harness_failed ? 1 : 0;
}

#endif /* GW_TEST_HARNESS_H */
