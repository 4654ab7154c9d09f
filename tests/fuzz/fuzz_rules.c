/*
 * fuzz_rules: the PCRE2 wrapper (engine/rules).
 *
 * Input: a selector byte, then the rest.
 *   selector < 0xC0: arbitrary pattern. Flags from the selector's bits
 *     (1 i, 2 x, 4 m, 8 s; 0x10 low match limits). The rest is
 *     "PATTERN\nREPLACEMENT\nSUBJECT" (no second newline: the replacement is
 *     "<$0>"; no newline at all: the pattern is its own subject).
 *   selector >= 0xC0: one of the project's real patterns, chosen by the
 *     selector: every rule of plugins/rules (pattern, join, heading or drop,
 *     with its flags, and its string replacement or suggestion), the `match`
 *     and `lead_in` of every section plugin, the title split of the default
 *     layout and the engine's protected-span pattern. The rest is the subject.
 * The subject must be valid UTF-8 (the reader guarantees it before any rule
 * runs; gw_regex_* skip PCRE2's check), so other subjects are skipped.
 *
 * Each input runs gw_regex_match over every match (as gw.find / gw.split walk
 * them) with gw_regex_expand per match, then gw_regex_replace, then
 * gw_regex_replace_cb twice (keeping every match; then keeping, expanding or
 * inserting by a pattern taken from the selector).
 *
 * Checks besides the sanitizers: results are one of the documented codes,
 * offsets lie inside the subject, replace's count agrees with its result,
 * a replace without matches (or a callback that keeps every match) copies the
 * subject, and (for patterns without \C, which may split a character) offsets
 * fall on character boundaries and the output of a valid replacement is valid
 * UTF-8.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "rules/gw_rules.h"
#include "rules/gw_ruleset.h"
#include "util/gw_buf.h"
#include "util/gw_utf8.h"

#define MAX_REAL 64

struct real {
    char *what; /* "rules/headings.lua heading-1" */
    char *pattern;
    char *flags;
    char *repl;
    struct gw_regex *re;
};

static struct real reals[MAX_REAL];
static int nreals;

/*
 * Patterns that are not plugin data: the title split of layouts/gbt9704.lua;
 * and the engine's own "protected spans" pattern (URLs, e-mail addresses,
 * times, standard numbers), taken from engine/rules/gw_ruleset.c itself
 * (gw_ruleset_protect_pattern) in LLVMFuzzerInitialize, so that no copy of
 * it here can drift from the one the engine runs.
 */
static const char *const inline_patterns[][2] = {
    {"layouts/gbt9704.lua title split", "\\s+"},
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void add_real(const char *what, const char *pattern, const char *flags, const char *repl)
{
    if (nreals == MAX_REAL) {
        fprintf(stderr, "fuzz_rules: more than %d real patterns\n", MAX_REAL);
        abort();
    }
    char err[256];
    struct real *r = &reals[nreals];
    r->re = gw_regex_new(pattern, strlen(pattern), flags, err, sizeof err);
    if (!r->re) {
        fprintf(stderr, "fuzz_rules: %s: /%s/ does not compile: %s\n", what, pattern, err);
        abort();
    }
    r->what = strdup(what);
    r->pattern = strdup(pattern);
    r->flags = dup_or_null(flags);
    r->repl = dup_or_null(repl);
    nreals++;
}

static const char *opt_field(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the string stays alive in the table */
    return s;
}

/* Run the plugin file (trusted: the project's own) and take its patterns. */
static void load_plugin(lua_State *L, const char *sub, const char *name)
{
    char path[4096], what[512];
    snprintf(path, sizeof path, "%s/plugins/%s/%s.lua", GW_HOME, sub, name);
    if (luaL_dofile(L, path) != LUA_OK || !lua_istable(L, -1)) {
        fprintf(stderr, "fuzz_rules: cannot load %s: %s\n", path,
                lua_isstring(L, -1) ? lua_tostring(L, -1) : "not a table");
        abort();
    }
    static const char *const type_fields[] = {"match", "lead_in", NULL};
    for (int f = 0; type_fields[f]; f++) {
        const char *pat = opt_field(L, -1, type_fields[f]);
        if (pat) {
            snprintf(what, sizeof what, "%s/%s.lua %s", sub, name, type_fields[f]);
            add_real(what, pat, NULL, NULL);
        }
    }
    lua_getfield(L, -1, "rules");
    for (int i = 1; lua_istable(L, -1) && i <= (int)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        const char *id = opt_field(L, -1, "id");
        const char *pat = opt_field(L, -1, "pattern");
        const char *join = opt_field(L, -1, "join");
        const char *heading = opt_field(L, -1, "heading");
        const char *drop = opt_field(L, -1, "drop");
        const char *src = join ? join : heading ? heading : drop ? drop : pat;
        /* a string replacement, else the suggestion a flag rule shows (a Lua function is skipped) */
        const char *repl = opt_field(L, -1, "replace");
        if (!repl)
            repl = opt_field(L, -1, "suggest");
        if (src) {
            snprintf(what, sizeof what, "%s/%s.lua %s", sub, name, id ? id : "?");
            add_real(what, src, opt_field(L, -1, "flags"), repl);
        }
        lua_pop(L, 1);
    }
    lua_settop(L, 0);
}

static int lua_file(const struct dirent *e)
{
    size_t l = strlen(e->d_name);
    return l > 4 && !strcmp(e->d_name + l - 4, ".lua");
}

static void load_dir(lua_State *L, const char *sub)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/plugins/%s", GW_HOME, sub);
    struct dirent **list;
    /* sorted, so the selector -> pattern mapping is stable between runs */
    int n = scandir(dir, &list, lua_file, alphasort);
    for (int i = 0; i < n; i++) {
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)strlen(list[i]->d_name) - 4, list[i]->d_name);
        load_plugin(L, sub, name);
        free(list[i]);
    }
    if (n > 0)
        free(list);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    load_dir(L, "rules");
    load_dir(L, "sections");
    lua_close(L);
    for (size_t i = 0; i < sizeof inline_patterns / sizeof inline_patterns[0]; i++)
        add_real(inline_patterns[i][0], inline_patterns[i][1], NULL, NULL);
    add_real("engine/rules/gw_ruleset.c protect", gw_ruleset_protect_pattern(), NULL, NULL);
    if (getenv("GW_FUZZ_VERBOSE"))
        for (int i = 0; i < nreals; i++)
            fprintf(stderr, "real %d: %s /%s/ flags=%s repl=%s\n", i, reals[i].what,
                    reals[i].pattern, reals[i].flags ? reals[i].flags : "",
                    reals[i].repl ? reals[i].repl : "(none)");
    if (nreals < 10) {
        fprintf(stderr, "fuzz_rules: only %d real patterns found under %s/plugins\n", nreals,
                GW_HOME);
        abort();
    }
    return 0;
}

/*
 * Does the pattern call a group as a subroutine ((?1) (?-1) (?+1) (?R) (?&n)
 * (?P>n) \g<n> \g'n')? With PCRE2 10.42's JIT such a call that recurses
 * without consuming text spends about 1.5 s per match before the engine's
 * 1 MiB JIT stack runs out (GW_RE_LIMIT), whatever the match limit: see
 * tests/fuzz/regressions/README.md. Those patterns are skipped unless
 * GW_FUZZ_RECURSION=1, so that the known slow case does not stop every run.
 */
static bool calls_subroutine(const char *p, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (p[i] == '\\' && p[i + 1] == 'g' && (p[i + 2] == '<' || p[i + 2] == '\''))
            return true;
        if (p[i] != '(' || p[i + 1] != '?')
            continue;
        char c = p[i + 2];
        char d = i + 3 < n ? p[i + 3] : '\0';
        if ((c >= '0' && c <= '9') || ((c == '+' || c == '-') && d >= '0' && d <= '9') ||
            c == 'R' || c == '&' || (c == 'P' && d == '>'))
            return true;
    }
    return false;
}

static void fail(const char *what, const char *pat)
{
    fprintf(stderr, "fuzz_rules: %s (pattern /%s/)\n", what, pat);
    abort();
}

static bool boundary(const char *s, size_t len, size_t off)
{
    return off >= len || ((unsigned char)s[off] & 0xC0) != 0x80;
}

struct cb {
    struct gw_regex *re;
    const char *pat;
    const char *s;
    size_t len;
    const char *repl;
    unsigned seed; /* 0: keep every match */
    int calls;
};

/* gw_regex_replace_cb's callback: keep the match, expand repl, or insert a marker. */
static int decide(void *ud, const char *s, const size_t *ov, int groups, struct gw_buf *out)
{
    struct cb *c = ud;
    if (s != c->s || groups != gw_regex_groups(c->re))
        fail("callback got another subject or group count", c->pat);
    if (ov[0] > ov[1] || ov[1] > c->len)
        fail("callback: match offsets outside the subject", c->pat);
    for (int g = 1; g <= groups; g++)
        if (ov[2 * g] != (size_t)-1 && (ov[2 * g] > ov[2 * g + 1] || ov[2 * g + 1] > c->len))
            fail("callback: group offsets outside the subject", c->pat);
    if (!c->seed)
        return 0;
    switch ((c->seed >> (2 * (c->calls++ % 4))) & 3) {
    case 0: return 0;
    case 3: gw_buf_adds(out, "\xE2\x80\xA0"); /* U+2020 */ return 1;
    default: return gw_regex_expand(c->re, s, ov, c->repl, out) < 0 ? -1 : 1;
    }
}

/* Every match from the start, as gw.find/gw.split walk them; then the replacements. */
static void exercise(struct gw_regex *re, const char *pat, bool split_ok, const char *s,
                     size_t len, const char *repl, unsigned seed)
{
    int ng = gw_regex_groups(re);
    if (ng < 0)
        fail("negative group count", pat);
    size_t *ov = malloc(sizeof(size_t) * 2 * (size_t)(ng + 1));
    size_t pos = 0;
    for (int iter = 0; iter < 256 && pos <= len; iter++) {
        int rc = gw_regex_match(re, s, len, pos, ov, ng + 1);
        if (rc != GW_RE_MATCH && rc != GW_RE_NOMATCH && rc != GW_RE_LIMIT && rc != GW_RE_ERROR)
            fail("gw_regex_match returned an undocumented code", pat);
        if (rc != GW_RE_MATCH)
            break;
        for (int g = 0; g <= ng; g++) {
            size_t a = ov[2 * g], b = ov[2 * g + 1];
            if (a == (size_t)-1 && b == (size_t)-1 && g > 0)
                continue;
            if (a > len || b > len || a > b)
                fail("match offsets outside the subject", pat);
            if (!split_ok && (!boundary(s, len, a) || !boundary(s, len, b)))
                fail("match offsets inside a UTF-8 character", pat);
        }
        /* a replacement expanded for this match alone */
        struct gw_buf one;
        gw_buf_init(&one);
        gw_regex_expand(re, s, ov, repl, &one);
        gw_buf_free(&one);
        if (ov[1] > ov[0]) {
            pos = ov[1];
        } else { /* empty match: step one character, as gw.split does */
            pos = ov[0] + 1;
            while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
                pos++;
        }
        if (split_ok && !boundary(s, len, pos))
            break; /* \C: a start inside a character is the caller's fault */
    }
    free(ov);

    struct gw_buf out;
    gw_buf_init(&out);
    int n = -1;
    int rc = gw_regex_replace(re, s, len, repl, &out, &n);
    if (rc == GW_RE_MATCH && n <= 0)
        fail("replace: MATCH with no replacements", pat);
    if (rc == GW_RE_NOMATCH && (n != 0 || out.len != len || (len && memcmp(out.data, s, len))))
        fail("replace: NOMATCH but the output is not the subject", pat);
    if (rc != GW_RE_MATCH && rc != GW_RE_NOMATCH && rc != GW_RE_LIMIT && rc != GW_RE_ERROR)
        fail("gw_regex_replace returned an undocumented code", pat);
    if (rc >= 0 && !split_ok && gw_utf8_check(repl, strlen(repl)) == strlen(repl) &&
        gw_utf8_check(out.data ? out.data : "", out.len) != out.len)
        fail("replace: valid subject and replacement gave invalid UTF-8", pat);
    gw_buf_free(&out);

    /* the callback form: keeping every match must give the subject back */
    for (int pass = 0; pass < 2; pass++) {
        struct cb c = {re, pat, s, len, repl, pass ? seed | 1u : 0, 0};
        gw_buf_init(&out);
        n = -1;
        rc = gw_regex_replace_cb(re, s, len, decide, &c, &out, &n);
        if (rc != GW_RE_MATCH && rc != GW_RE_NOMATCH && rc != GW_RE_LIMIT && rc != GW_RE_ERROR)
            fail("gw_regex_replace_cb returned an undocumented code", pat);
        if (rc >= 0 && (n < 0 || (rc == GW_RE_MATCH) != (n > 0)))
            fail("replace_cb: result and count disagree", pat);
        if (pass == 0 && rc >= 0 &&
            (n != 0 || out.len != len || (len && memcmp(out.data, s, len))))
            fail("replace_cb: keeping every match changed the subject", pat);
        gw_buf_free(&out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned sel = data[0];
    const char *rest = (const char *)data + 1;
    size_t rlen = size - 1;

    if (sel >= 0xC0) {
        if (gw_utf8_check(rest, rlen) != rlen)
            return -1; /* not a subject the engine would ever match */
        struct real *r = &reals[(sel - 0xC0) % (unsigned)nreals];
        const char *repl = r->repl;
        if (!repl)
            repl = gw_regex_groups(r->re) >= 2   ? "$1|$2"
                   : gw_regex_groups(r->re) == 1 ? "[$1]"
                                                 : "<$0>";
        exercise(r->re, r->pattern, false, rest, rlen, repl, sel);
        return 0;
    }

    char flags[5];
    int nf = 0;
    if (sel & 1)
        flags[nf++] = 'i';
    if (sel & 2)
        flags[nf++] = 'x';
    if (sel & 4)
        flags[nf++] = 'm';
    if (sel & 8)
        flags[nf++] = 's';
    flags[nf] = '\0';

    const char *nl1 = memchr(rest, '\n', rlen);
    size_t plen = nl1 ? (size_t)(nl1 - rest) : rlen;
    const char *subj = nl1 ? nl1 + 1 : rest;
    size_t slen = nl1 ? rlen - plen - 1 : rlen;
    char *repl = strdup("<$0>");
    const char *nl2 = nl1 ? memchr(subj, '\n', slen) : NULL;
    if (nl2) {
        free(repl);
        repl = strndup(subj, (size_t)(nl2 - subj)); /* stops at a NUL: repl is a C string */
        slen -= (size_t)(nl2 - subj) + 1;
        subj = nl2 + 1;
    }
    if (gw_utf8_check(subj, slen) != slen) {
        free(repl);
        return -1;
    }
    /* the pattern may hold NUL bytes and invalid UTF-8: gw_regex_new takes a length */
    char *pat = malloc(plen + 1);
    memcpy(pat, rest, plen);
    pat[plen] = '\0';
    static int recursion = -1;
    if (recursion < 0)
        recursion = getenv("GW_FUZZ_RECURSION") && *getenv("GW_FUZZ_RECURSION") == '1';
    if (!recursion && calls_subroutine(pat, plen)) {
        free(pat);
        free(repl);
        return -1;
    }
    char err[256] = "";
    struct gw_regex *re = gw_regex_new(pat, plen, flags, err, sizeof err);
    if (!re) {
        if (!err[0])
            fail("gw_regex_new failed without a message", pat);
    } else {
        if (sel & 0x10)
            gw_regex_set_limits(re, (struct gw_re_limits){1000, 16});
        bool split_ok = memmem(pat, plen, "\\C", 2) != NULL;
        exercise(re, pat, split_ok, subj, slen, repl, sel * 2654435761u);
        gw_regex_free(re);
    }
    free(pat);
    free(repl);
    return 0;
}
