/*
 * gw_rules: PCRE2 text rules, the only module that includes <pcre2.h>.
 *
 * A gw_regex is a pattern compiled once, in UTF + UCP mode, JIT-compiled
 * before its first match when the platform allows (falling back to the
 * interpreter), and always matched under a match limit and a depth limit,
 * so a catastrophic pattern ends with GW_RE_LIMIT instead of hanging. The
 * limit bounds one match; a budget bounds them all: the steps of a
 * pattern's slow matches are counted over its life (one build), and past
 * GW_RE_BUDGET a slow match ends with GW_RE_LIMIT too. A replacement may
 * not make its text more than GW_RE_MAX_GROWTH longer. Subjects must be
 * valid UTF-8 (the reader validated them), so matching skips the UTF check.
 */
#ifndef GW_RULES_H
#define GW_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/gw_buf.h"

struct gw_regex;

enum {
    GW_RE_NOMATCH = 0,
    GW_RE_MATCH = 1,
    GW_RE_LIMIT = -1, /* match/depth/JIT-stack limit hit */
    GW_RE_ERROR = -2, /* any other matcher error */
    GW_RE_TOOBIG = -3, /* a replacement made the text longer than GW_RE_MAX_GROWTH allows */
};

/*
 * A match needing at most GW_RE_FREE_STEPS of PCRE2's match-limit steps
 * (nearly every match: JIT counts a few) is free; a slower one is charged
 * the limit it needed (within 16 times), and a pattern may be charged
 * GW_RE_BUDGET in all (some 100 matches at the default limit, a fraction of
 * a second).
 */
#define GW_RE_FREE_STEPS 256u
#define GW_RE_BUDGET     100000000u

/*
 * The most a replacement may add to a text: GW_RE_MAX_GROWTH bytes or the
 * text's own length, whichever is more (4 MiB holds at least the longest
 * paragraph, GW_MAX_PARA_CHARS characters).
 */
#define GW_RE_MAX_GROWTH (4u << 20)

/* Match limits applied to every match (defaults: 1,000,000 and 1,000). */
struct gw_re_limits {
    unsigned match;
    unsigned depth;
};

/*
 * Compile pattern (len bytes; may contain NUL). flags: "i" caseless, "x"
 * extended, "m" multiline, "s" dotall. On error returns NULL and writes
 * "message at offset N" to err.
 */
struct gw_regex *gw_regex_new(const char *pattern, size_t len, const char *flags, char *err,
                              size_t errlen);
void gw_regex_free(struct gw_regex *re);

/*
 * JIT-compile re now (once; a thread that calls it while another compiles
 * waits for it). Matching does it before a pattern's first match, so a
 * caller only calls this to do it ahead, on another thread.
 */
void gw_regex_jit(struct gw_regex *re);
void gw_regex_set_limits(struct gw_regex *re, struct gw_re_limits lim);
/* Number of capture groups. */
int gw_regex_groups(const struct gw_regex *re);

/*
 * Match at or after byte offset start. On GW_RE_MATCH, ov holds the byte
 * offsets of the match and of its groups, as many as fit in npairs pairs
 * (ov has 2*npairs entries; unset groups are (size_t)-1).
 */
int gw_regex_match(struct gw_regex *re, const char *s, size_t len, size_t start, size_t *ov,
                   int npairs);

/*
 * Replace every match in s with repl, where $0..$9 and ${name} insert groups
 * and $$ is a dollar. Appends the result to out, counts replacements in *n.
 * Returns GW_RE_MATCH/NOMATCH, or GW_RE_LIMIT / GW_RE_ERROR / GW_RE_TOOBIG
 * (out then holds an unspecified prefix).
 */
int gw_regex_replace(struct gw_regex *re, const char *s, size_t len, const char *repl,
                     struct gw_buf *out, int *n);

/*
 * Called for each match by gw_regex_replace_cb with the subject and the
 * match's offsets (2*(groups+1) entries). It appends what replaces the match
 * to out and returns 1, or returns 0 to keep the matched text as it is
 * (the caller copies it), or -1 to stop with GW_RE_ERROR.
 */
typedef int (*gw_regex_fn)(void *ud, const char *s, const size_t *ov, int groups,
                           struct gw_buf *out);

/* Like gw_regex_replace, but each match is decided by fn; *n counts fn's replacements. */
int gw_regex_replace_cb(struct gw_regex *re, const char *s, size_t len, gw_regex_fn fn, void *ud,
                        struct gw_buf *out, int *n);

/* Expand a replacement ($0-$9, ${name}, $$) for the match ov of s; 0 or GW_RE_ERROR. */
int gw_regex_expand(struct gw_regex *re, const char *s, const size_t *ov, const char *repl,
                    struct gw_buf *out);

/* Human-readable message for a PCRE2 error code. */
const char *gw_regex_strerror(int code, char *buf, size_t len);

#endif /* GW_RULES_H */
