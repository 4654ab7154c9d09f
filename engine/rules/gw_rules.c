/*
 * gw_rules: bounded PCRE2 matching (see gw_rules.h).
 *
 * PCRE2 practice from pcre2api(3)/pcre2jit(3): compile once with
 * PCRE2_UTF|PCRE2_UCP, JIT with PCRE2_JIT_COMPLETE, give JIT a stack larger
 * than the 32 KiB default, and treat PCRE2_ERROR_JIT_STACKLIMIT like a limit
 * error rather than "no match".
 */
#include "gw_rules.h"

#include <ctype.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../util/gw_arena.h"

enum { JIT_PENDING, JIT_BUSY, JIT_READY };

struct gw_regex {
    pcre2_code *code;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    atomic_int jit_state; /* JIT_READY: compiled with JIT, or never will be */
    int groups;
    int need[2];    /* a code unit every match contains (either case of a letter), or -1 */
    unsigned limit; /* the match limit of one match */
    unsigned spent; /* steps charged for slow matches so far (the match budget) */
};

const char *gw_regex_strerror(int code, char *buf, size_t len)
{
    if (pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, len) < 0)
        snprintf(buf, len, "PCRE2 error %d", code);
    return buf;
}

/* This thread's JIT stack, made on first use (NULL: JIT falls back to 32 KiB of machine stack). */
static pcre2_jit_stack *thread_jit_stack(void *unused)
{
    static _Thread_local pcre2_jit_stack *stack;
    (void)unused;
    if (!stack)
        stack = pcre2_jit_stack_create(32 * 1024, 64 * 1024, NULL);
    return stack;
}

struct gw_regex *gw_regex_new(const char *pattern, size_t len, const char *flags, char *err,
                              size_t errlen)
{
    uint32_t opts = PCRE2_UTF | PCRE2_UCP; /* the pattern itself is checked */
    for (const char *f = flags ? flags : ""; *f; f++) {
        switch (*f) {
        case 'i': opts |= PCRE2_CASELESS; break;
        case 'x': opts |= PCRE2_EXTENDED; break;
        case 'm': opts |= PCRE2_MULTILINE; break;
        case 's': opts |= PCRE2_DOTALL; break;
        default:
            snprintf(err, errlen, "unknown regex flag '%c' (use i, x, m, s)", *f);
            return NULL;
        }
    }
    int ecode;
    PCRE2_SIZE eoff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, len, opts, &ecode, &eoff, NULL);
    if (!code) {
        char msg[256];
        snprintf(err, errlen, "%s at offset %zu", gw_regex_strerror(ecode, msg, sizeof msg),
                 (size_t)eoff);
        return NULL;
    }
    struct gw_regex *re = gw_xcalloc(1, sizeof(*re));
    re->code = code;
    re->md = pcre2_match_data_create_from_pattern(code, NULL);
    re->mctx = pcre2_match_context_create(NULL);
    if (!re->md || !re->mctx) {
        gw_regex_free(re);
        snprintf(err, errlen, "out of memory compiling pattern");
        return NULL;
    }
    uint32_t ng = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ng);
    re->groups = (int)ng;
    /*
     * A literal every match must contain: if the subject lacks it, there is no
     * match, and memchr says so far faster than trying every start position
     * (most rules look for ASCII marks that Chinese text rarely holds).
     */
    uint32_t type = 0, cu = 0;
    re->need[0] = re->need[1] = -1;
    if (pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &type) == 0 && type == 1)
        pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &cu);
    else if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 && type == 1)
        pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &cu);
    if (type == 1 && cu < 256) {
        re->need[0] = (int)cu;
        if (isalpha((int)cu)) /* caseless parts match either case */
            re->need[1] = islower((int)cu) ? toupper((int)cu) : tolower((int)cu);
    }
    gw_regex_set_limits(re, (struct gw_re_limits){1000000, 1000});
    /*
     * GW_NO_JIT=1 uses the interpreter: valgrind cannot judge JIT machine code
     * (its SIMD reads past the subject are flagged), so scripts/sanitize sets it.
     */
    const char *nojit = getenv("GW_NO_JIT");
    atomic_init(&re->jit_state, !nojit || !*nojit || *nojit == '0' ? JIT_PENDING : JIT_READY);
    return re;
}

/*
 * JIT compiling is most of a pattern's set-up (about 0.1 ms each, 40
 * patterns for a bulletin) and many patterns never reach the matcher (the
 * required-literal check rejects every paragraph), so it is done when first
 * needed, or ahead of that by another thread. Either way a pattern is
 * compiled before its first match, so it matches exactly as if compiled
 * with the pattern.
 */
void gw_regex_jit(struct gw_regex *re)
{
    int st = atomic_load_explicit(&re->jit_state, memory_order_acquire);
    if (st == JIT_READY)
        return;
    if (st == JIT_PENDING &&
        atomic_compare_exchange_strong_explicit(&re->jit_state, &st, JIT_BUSY, memory_order_acquire,
                                                memory_order_acquire)) {
        if (pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0) {
            /*
             * A small JIT stack: JIT ignores the depth limit, and a recursive
             * pattern's time grows with the square of the stack (fuzzing found
             * (|(?1))b taking seconds at 1 MiB). When it runs out, run() retries
             * in the interpreter, which honours the depth and heap limits.
             * One stack per thread serves every pattern (a stack per pattern
             * cost a 64 KiB mapping each, at start and at exit).
             */
            pcre2_jit_stack_assign(re->mctx, thread_jit_stack, NULL);
        }
        atomic_store_explicit(&re->jit_state, JIT_READY, memory_order_release);
        return;
    }
    while (atomic_load_explicit(&re->jit_state, memory_order_acquire) != JIT_READY)
        sched_yield(); /* another thread is compiling it */
}

void gw_regex_free(struct gw_regex *re)
{
    if (!re)
        return;
    pcre2_match_context_free(re->mctx);
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re);
}

void gw_regex_set_limits(struct gw_regex *re, struct gw_re_limits lim)
{
    re->limit = lim.match;
    pcre2_set_match_limit(re->mctx, lim.match);
    pcre2_set_depth_limit(re->mctx, lim.depth);
    pcre2_set_heap_limit(re->mctx, 20 * 1024); /* KiB, for the interpreter */
}

int gw_regex_groups(const struct gw_regex *re)
{
    return re->groups;
}

static int classify(int rc)
{
    switch (rc) {
    case PCRE2_ERROR_NOMATCH: return GW_RE_NOMATCH;
    case PCRE2_ERROR_MATCHLIMIT:
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_HEAPLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT: return GW_RE_LIMIT;
    default: return GW_RE_ERROR;
    }
}

/* One pcre2_match under match limit `limit`, falling back from JIT to the interpreter. */
static int match_once(struct gw_regex *re, const char *s, size_t len, size_t start,
                      uint32_t opts, unsigned limit)
{
    pcre2_set_match_limit(re->mctx, limit);
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, start, opts | PCRE2_NO_UTF_CHECK, re->md,
                         re->mctx);
    if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
        rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, start,
                         opts | PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, re->md, re->mctx);
    return rc;
}

/*
 * One match, within the pattern's budget. The match limit bounds a single
 * match, but a pattern can stay just under it at every match (one took
 * 32 s on a 380 KB paragraph). So a match first runs with GW_RE_FREE_STEPS
 * (enough for nearly every match), and one that needs more runs again with
 * limits 16 times larger up to the pattern's own; the limit that sufficed
 * is charged to re->spent. Once GW_RE_BUDGET is spent, a match that needs
 * more than the free steps fails with the match limit. The result depends
 * only on PCRE2's step counts, never on time.
 */
static int run(struct gw_regex *re, const char *s, size_t len, size_t start, uint32_t opts)
{
    if (re->need[0] >= 0 && start <= len && !memchr(s + start, re->need[0], len - start) &&
        (re->need[1] < 0 || !memchr(s + start, re->need[1], len - start)))
        return PCRE2_ERROR_NOMATCH;
    gw_regex_jit(re);
    unsigned limit = re->limit < GW_RE_FREE_STEPS ? re->limit : GW_RE_FREE_STEPS;
    int rc = match_once(re, s, len, start, opts, limit);
    while (rc == PCRE2_ERROR_MATCHLIMIT && limit < re->limit && re->spent < GW_RE_BUDGET) {
        limit = re->limit / 16 < limit ? re->limit : limit * 16;
        rc = match_once(re, s, len, start, opts, limit);
        if (rc != PCRE2_ERROR_MATCHLIMIT || limit == re->limit)
            re->spent = GW_RE_BUDGET - re->spent > limit ? re->spent + limit : GW_RE_BUDGET;
    }
    return rc;
}

int gw_regex_match(struct gw_regex *re, const char *s, size_t len, size_t start, size_t *ov,
                   int npairs)
{
    int rc = run(re, s, len, start, 0);
    if (rc < 0)
        return classify(rc);
    PCRE2_SIZE *v = pcre2_get_ovector_pointer(re->md);
    int pairs = re->groups + 1 < npairs ? re->groups + 1 : npairs;
    for (int i = 0; i < 2 * pairs; i++)
        ov[i] = (i < 2 * rc) ? (size_t)v[i] : (size_t)-1;
    return GW_RE_MATCH;
}

/* Expand $N / ${N} / ${name} / $$ in repl for the match ov of s. */
int gw_regex_expand(struct gw_regex *re, const char *s, const size_t *ov, const char *repl,
                    struct gw_buf *out)
{
    for (const char *p = repl; *p; p++) {
        if (*p != '$') {
            gw_buf_addc(out, *p);
            continue;
        }
        p++;
        int group = -1;
        if (*p == '$') {
            gw_buf_addc(out, '$');
            continue;
        } else if (*p >= '0' && *p <= '9') {
            group = *p - '0';
        } else if (*p == '{') {
            const char *e = strchr(p, '}');
            if (!e)
                return GW_RE_ERROR;
            char name[64];
            size_t n = (size_t)(e - p - 1);
            if (n == 0 || n >= sizeof name)
                return GW_RE_ERROR;
            memcpy(name, p + 1, n);
            name[n] = '\0';
            if (name[0] >= '0' && name[0] <= '9')
                group = atoi(name);
            else
                group = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)name);
            if (group < 0)
                return GW_RE_ERROR;
            p = e;
        } else {
            return GW_RE_ERROR;
        }
        if (group > re->groups)
            return GW_RE_ERROR;
        if (ov[2 * group] != (size_t)-1)
            gw_buf_add(out, s + ov[2 * group], ov[2 * group + 1] - ov[2 * group]);
    }
    return 0;
}

struct expand_ud {
    struct gw_regex *re;
    const char *repl;
};

static int expand_fn(void *ud, const char *s, const size_t *ov, int groups, struct gw_buf *out)
{
    (void)groups;
    struct expand_ud *e = ud;
    return gw_regex_expand(e->re, s, ov, e->repl, out) < 0 ? -1 : 1;
}

int gw_regex_replace(struct gw_regex *re, const char *s, size_t len, const char *repl,
                     struct gw_buf *out, int *n)
{
    struct expand_ud e = {re, repl};
    return gw_regex_replace_cb(re, s, len, expand_fn, &e, out, n);
}

int gw_regex_replace_cb(struct gw_regex *re, const char *s, size_t len, gw_regex_fn fn, void *ud,
                        struct gw_buf *out, int *n)
{
    size_t pos = 0, copied = 0, most = out->len + (len > GW_RE_MAX_GROWTH ? len : GW_RE_MAX_GROWTH);
    int count = 0;
    uint32_t opts = 0;
    size_t ovs[2 * 32];
    size_t *ov = re->groups < 31 ? ovs : gw_xmalloc(sizeof(size_t) * 2 * (size_t)(re->groups + 1));
    int rc = GW_RE_NOMATCH;
    while (pos <= len) {
        int m = run(re, s, len, pos, opts);
        if (m == PCRE2_ERROR_NOMATCH) {
            if (opts == 0)
                break;
            /* after an empty match: advance one character and retry */
            if (pos >= len)
                break;
            pos++;
            while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
                pos++;
            opts = 0;
            continue;
        }
        if (m < 0) {
            rc = classify(m);
            goto out;
        }
        PCRE2_SIZE *v = pcre2_get_ovector_pointer(re->md);
        for (int i = 0; i < 2 * (re->groups + 1); i++)
            ov[i] = i < 2 * m ? (size_t)v[i] : (size_t)-1;
        gw_buf_add(out, s + copied, ov[0] - copied);
        int r = fn(ud, s, ov, re->groups, out);
        if (r < 0) {
            rc = GW_RE_ERROR;
            goto out;
        }
        if (r == 0)
            gw_buf_add(out, s + ov[0], ov[1] - ov[0]);
        if (out->len > most + ov[1]) { /* more than GW_RE_MAX_GROWTH longer than the text so far */
            rc = GW_RE_TOOBIG;
            goto out;
        }
        count += r;
        copied = ov[1];
        pos = ov[1];
        opts = (ov[0] == ov[1]) ? (PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED) : 0;
    }
    gw_buf_add(out, s + copied, len - copied);
    rc = count ? GW_RE_MATCH : GW_RE_NOMATCH;
out:
    if (ov != ovs)
        free(ov);
    if (n)
        *n = count;
    return rc;
}
