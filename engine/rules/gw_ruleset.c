/*
 * gw_ruleset: applying rule sets to text (see gw_ruleset.h).
 *
 * Owns running rules: protected spans, deciding each match of a text rule
 * by the mode (apply, explain, check, fix), and the drop, join and heading
 * tests. May call gw_rules (matching), gw_diag, gw_buf and gw_utf8; a
 * replacement function only through the host's gw_rule_call. Never Lua.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "gw_ruleset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gw_arena.h"
#include "../util/gw_utf8.h"

#define MAX_PROTECT 64

/* {===================== the rule sets ================================= */

const struct gw_ruleset *gw_ruleset_find(const struct gw_ruleset_list *l, const char *name)
{
    for (int i = 0; i < l->n; i++) /* active sets are named by the set's own string */
        if (l->sets[i]->name == name)
            return l->sets[i];
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->sets[i]->name, name))
            return l->sets[i];
    return NULL;
}

void gw_ruleset_add(struct gw_ruleset_list *l, const struct gw_ruleset *rs)
{
    struct gw_ruleset *copy = gw_xmalloc(sizeof(*copy));
    *copy = *rs;
    l->sets = gw_xrealloc(l->sets, (size_t)(l->n + 1) * sizeof(*l->sets));
    l->sets[l->n++] = copy;
}

void gw_rule_clear(struct gw_rule *ru)
{
    free(ru->id);
    free(ru->message);
    free(ru->repl);
    free(ru->suggest);
    free(ru->needs);
    gw_regex_free(ru->re);
    memset(ru, 0, sizeof(*ru));
}

void gw_ruleset_list_free(struct gw_ruleset_list *l)
{
    for (int i = 0; i < l->n; i++) {
        struct gw_ruleset *rs = l->sets[i];
        for (int r = 0; r < rs->n; r++)
            gw_rule_clear(&rs->rules[r]);
        free(rs->rules);
        free(rs->name);
        free(rs->file);
        free(rs);
    }
    free(l->sets);
    l->sets = NULL;
    l->n = 0;
}

/* }===================================================================== */

/* {===================== protected spans =============================== */

/* What rules never touch; may_protect() must admit every text this can match. */
static const char protect_pattern[] =
    "(?:https?|ftp)://[!-~]+|www\\.[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+[!-~]*"
    "|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+"
    "|(?<![\\d:])\\d{1,2}:\\d{2}(?::\\d{2})?(?![\\d:])"
    "|(?<![A-Za-z])(?:ISO|IEC|GB|JGJ|HJ|DB|YY|QB)(?:/[TZ])?\\s?\\d[\\d.]*(?:[:：—–-]\\d{4})?";

struct gw_regex *gw_ruleset_protect_new(char *err, size_t errlen)
{
    return gw_regex_new(protect_pattern, strlen(protect_pattern), NULL, err, errlen);
}

/*
 * A caption's label and the space after it ("表1 ", "图2-3 ", "附表1　"): the
 * space parts the number from the title, so the spacing rules (a typed
 * space between a digit and a Han character) must not take it.
 */
static const char caption_label_pattern[] =
    "^(?:续|附)?[表图][ \\t]?[0-9\\x{FF10}-\\x{FF19}]+"
    "(?:[-.\\x{FF0D}\\x{FF0E}][0-9\\x{FF10}-\\x{FF19}]+)*[ \\t\\x{3000}]+(?=\\S)";

struct gw_regex *gw_ruleset_caption_label_new(char *err, size_t errlen)
{
    return gw_regex_new(caption_label_pattern, strlen(caption_label_pattern), NULL, err, errlen);
}

const char *gw_ruleset_caption_label_pattern(void)
{
    return caption_label_pattern;
}

const char *gw_ruleset_protect_pattern(void)
{
    return protect_pattern;
}

/*
 * Can the protect pattern (above) match s at all? Each of its kinds needs
 * ':' (URLs, times), '@' (e-mail), "www." or an ASCII capital (standard
 * numbers); most Chinese paragraphs have none, and this byte scan is far
 * cheaper than trying the pattern at every position.
 */
static bool may_protect(const char *s, size_t len)
{
    /* 1: the byte is enough; 2: only as the start of "www." (one table load a byte) */
    static const unsigned char hint[256] = {
        [':'] = 1, ['@'] = 1, ['w'] = 2, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
        ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
        ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
        ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    };
    for (size_t i = 0; i < len; i++) {
        unsigned h = hint[(unsigned char)s[i]];
        if (h == 1 || (h == 2 && i + 3 < len && !memcmp(s + i, "www.", 4)))
            return true;
    }
    return false;
}

/* Spans of s that text rules leave alone: URLs, e-mail, times, standard numbers, lead-ins. */
static int protected_spans(const struct gw_ruleset_env *env, const char *s, size_t len,
                           size_t *spans)
{
    int n = 0;
    size_t pos = 0, ov[2 * 32];
    /* a section type's lead-in ("冷水滩区 区政府…"): its space is part of the input format */
    struct gw_regex *li = env->lead_in;
    if (li && gw_regex_match(li, s, len, 0, ov, 3) == GW_RE_MATCH && ov[0] == 0) {
        /* just the lead-in and its space: where group 2 (the rest) starts, if there is one */
        spans[0] = 0;
        spans[1] = gw_regex_groups(li) >= 2 && ov[4] != (size_t)-1 ? ov[4] : ov[1];
        n = 1;
    }
    if (!may_protect(s, len))
        return n;
    while (n < MAX_PROTECT && pos < len &&
           gw_regex_match(env->protect, s, len, pos, ov, 1) == GW_RE_MATCH) {
        spans[2 * n] = ov[0];
        spans[2 * n + 1] = ov[1];
        n++;
        pos = ov[1] > pos ? ov[1] : pos + 1;
    }
    return n;
}

/* }===================================================================== */

/* {===================== text rules ==================================== */

/* One rule running over one text (the gw_regex_replace_cb callback's state). */
struct rule_run {
    const struct gw_ruleset_env *env;
    const struct gw_ruleset *rs;
    const struct gw_rule *ru;
    size_t len;                   /* the length of the text being matched */
    size_t prot[2 * MAX_PROTECT]; /* protected byte spans [start, end) */
    int nprot;
    bool call_failed;             /* the host's replacement function failed (it reported why) */
    bool too_long;                /* the text would grow past env->max_len */
    size_t pos_at, pos_chars;     /* text_pos: characters before byte pos_at, counted so far */
};

/*
 * The position of byte offset `at` of the text being processed (env->cur is
 * its start). Matches come in order, so the characters are counted on from
 * the last match, not from the start: counting from the start made `check`
 * quadratic (a 2 MB line with 100,000 findings took 49 s).
 */
static struct gw_span text_pos(struct rule_run *r, const char *s, size_t at)
{
    struct gw_span sp = *r->env->cur;
    if (sp.col > 0) {
        if (at < r->pos_at)
            r->pos_at = r->pos_chars = 0;
        r->pos_chars += gw_utf8_count(s + r->pos_at, at - r->pos_at);
        r->pos_at = at;
        sp.col += (int)r->pos_chars;
    }
    return sp;
}

/* gw_regex_replace_cb callback: decide one match of one rule according to env->mode. */
static int on_rule_match(void *ud, const char *s, const size_t *ov, int groups, struct gw_buf *out)
{
    struct rule_run *r = ud;
    const struct gw_ruleset_env *env = r->env;
    const struct gw_rule *ru = r->ru;
    if (ru->protect)
        for (int i = 0; i < r->nprot; i++)
            if (ov[0] < r->prot[2 * i + 1] && ov[1] > r->prot[2 * i])
                return 0; /* inside a URL, a time, a standard number, a lead-in */
    struct gw_buf rep;
    gw_buf_init(&rep);
    int rc = 1;
    if (ru->fn != GW_RULE_NO_FN)
        rc = env->call(env->ud, r->rs, ru, s, ov, groups, &rep);
    else if (ru->repl || ru->suggest)
        rc = gw_regex_expand(ru->re, s, ov, ru->repl ? ru->repl : ru->suggest, &rep) < 0 ? -1 : 1;
    if (rc < 0) {
        r->call_failed = ru->fn != GW_RULE_NO_FN;
        gw_buf_free(&rep);
        return -1;
    }
    /* where the match is: only check and explain report it */
    bool reports = env->mode == GW_RULES_CHECK || env->mode == GW_RULES_EXPLAIN;
    struct gw_span at = reports ? text_pos(r, s, ov[0]) : *env->cur;
    int mlen = (int)(ov[1] - ov[0]);
    if (env->mode == GW_RULES_CHECK) {
        /* show the change with a character of context on each side: “2 月” → “2月” */
        size_t b = ov[0], e = ov[1], slen = r->len;
        if (b > 0)
            do
                b--;
            while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80);
        if (e < slen)
            gw_utf8_next(s, slen, &e);
        int pre = (int)(ov[0] - b), post = (int)(e - ov[1]);
        (*env->findings)++;
        if (rc == 1 && (ru->repl || ru->fn != GW_RULE_NO_FN || ru->suggest))
            gw_diag_rule(env->diag, at, ru->id, "%s (suggest: “%.*s” → “%.*s%s%.*s”)",
                         ru->message ? ru->message : "", (int)(e - b), s + b, pre, s + b,
                         rep.data ? rep.data : "", post, s + ov[1]);
        else
            gw_diag_rule(env->diag, at, ru->id, "%s (“%.*s”)", ru->message ? ru->message : "",
                         mlen, s + ov[0]);
        gw_buf_free(&rep);
        return 0;
    }
    if (rc == 0 || ru->flag) {
        gw_buf_free(&rep);
        return 0;
    }
    if (out->len + rep.len > env->max_len) { /* e.g. a long string for every match */
        r->too_long = true;
        gw_buf_free(&rep);
        return -1;
    }
    if (env->mode == GW_RULES_EXPLAIN)
        gw_diag_note(env->diag, at, "rule %s changed “%.*s” to “%s”", ru->id, mlen, s + ov[0],
                     rep.data ? rep.data : "");
    gw_buf_add(out, rep.data, rep.len);
    gw_buf_free(&rep);
    return 1;
}

/* A rule whose `needs` hint says it cannot match s: none of its strings is there. */
static bool cannot_match(const struct gw_rule *ru, const char *s, size_t len)
{
    if (!ru->needs)
        return false;
    for (const char *n = ru->needs; *n; n += strlen(n) + 1)
        if (memmem(s, len, n, strlen(n)))
            return false;
    return true;
}

char *gw_ruleset_apply(const struct gw_ruleset_env *env, const char *const *sets, int nsets,
                       const char *s, size_t len, size_t *outlen)
{
    char *cur = gw_xmalloc(len + 1);
    memcpy(cur, s, len);
    cur[len] = '\0';
    struct rule_run r = {.env = env};
    bool stale = true; /* protected spans are found again only after the text changed */
    for (int i = 0; i < nsets; i++) {
        const struct gw_ruleset *rs = gw_ruleset_find(env->sets, sets[i]);
        for (int k = 0; rs && k < rs->n; k++) {
            const struct gw_rule *ru = &rs->rules[k];
            if (ru->join || ru->level || ru->drop || (ru->flag && env->mode != GW_RULES_CHECK) ||
                (ru->adds_han && env->mode == GW_RULES_FIX) || cannot_match(ru, cur, len))
                continue;
            r.rs = rs;
            r.ru = ru;
            if (stale) {
                r.nprot = protected_spans(env, cur, len, r.prot);
                stale = false;
            }
            struct gw_buf out;
            gw_buf_init(&out);
            int n = 0;
            r.len = len;
            r.call_failed = r.too_long = false;
            r.pos_at = r.pos_chars = 0;
            int rc = gw_regex_replace_cb(ru->re, cur, len, on_rule_match, &r, &out, &n);
            if (rc < 0 && r.call_failed) { /* said by the host; the rule is skipped here */
                gw_buf_free(&out);
                continue;
            }
            if (rc < 0 && r.too_long) {
                struct gw_span where = {rs->file, ru->line, 0};
                gw_diag_error(env->diag, where, "rule %s: plugin exceeded its memory budget "
                              "(on the text at %s:%d; the rule was skipped there)", ru->id,
                              env->cur->file ? env->cur->file : "?", env->cur->line);
                gw_buf_free(&out);
                continue;
            }
            if (rc < 0) {
                struct gw_span where = {rs->file, ru->line, 0};
                gw_diag_error(env->diag, where,
                              "rule %s %s on the text at %s:%d; the rule was skipped there", ru->id,
                              rc == GW_RE_LIMIT ? "hit its match limit (catastrophic pattern?)"
                              : rc == GW_RE_TOOBIG
                                  ? "made the text too long (a replacement may add at most 4 MiB, "
                                    "or as much as the text holds)"
                                  : "failed",
                              env->cur->file ? env->cur->file : "?", env->cur->line);
                gw_buf_free(&out);
                continue;
            }
            if (n > 0 && env->mode != GW_RULES_CHECK) {
                free(cur);
                cur = gw_buf_detach(&out, &len);
                stale = true;
            } else {
                gw_buf_free(&out);
            }
        }
    }
    *outlen = len;
    return cur;
}

/* }===================================================================== */

/* {===================== drop, heading and join rules ================== */

const struct gw_rule *gw_ruleset_drops(const struct gw_ruleset_list *l, const char *const *sets,
                                       int nsets, const char *s, size_t len)
{
    for (int i = 0; i < nsets; i++) {
        const struct gw_ruleset *rs = gw_ruleset_find(l, sets[i]);
        for (int k = 0; rs && k < rs->n; k++) {
            size_t ov[2];
            const struct gw_rule *ru = &rs->rules[k];
            if (ru->drop && gw_regex_match(ru->re, s, len, 0, ov, 1) == GW_RE_MATCH && ov[0] == 0 &&
                ov[1] == len)
                return ru;
        }
    }
    return NULL;
}

int gw_ruleset_heading(const struct gw_ruleset_list *l, const char *const *sets, int nsets,
                       const char *s, size_t len, size_t *head)
{
    for (int i = 0; i < nsets; i++) {
        const struct gw_ruleset *rs = gw_ruleset_find(l, sets[i]);
        for (int r = 0; rs && r < rs->n; r++) {
            const struct gw_rule *ru = &rs->rules[r];
            size_t ov[4];
            if (!ru->level || gw_regex_groups(ru->re) < 1)
                continue;
            if (gw_regex_match(ru->re, s, len, 0, ov, 2) == GW_RE_MATCH && ov[2] == 0 &&
                ov[3] != (size_t)-1) {
                *head = ov[3];
                return ru->level;
            }
        }
    }
    return 0;
}

const struct gw_rule *gw_ruleset_join(const struct gw_ruleset_list *l, const char *const *sets,
                                      int nsets, const char *s, size_t len)
{
    size_t head;
    if (gw_ruleset_heading(l, sets, nsets, s, len, &head) && head == len)
        return NULL; /* a heading on its own line is complete */
    for (int i = 0; i < nsets; i++) {
        const struct gw_ruleset *rs = gw_ruleset_find(l, sets[i]);
        for (int r = 0; rs && r < rs->n; r++) {
            if (!rs->rules[r].join)
                continue;
            size_t ov[2];
            if (gw_regex_match(rs->rules[r].re, s, len, 0, ov, 1) == GW_RE_MATCH)
                return &rs->rules[r];
        }
    }
    return NULL;
}

/* }===================================================================== */
