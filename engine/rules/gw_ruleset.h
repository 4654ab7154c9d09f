/*
 * gw_ruleset: applying rule sets to text.
 *
 * A rule set (plugins/rules/NAME.lua) is a list of rules, each a compiled
 * pattern (gw_rules.h) with what to do about a match: replace it (a string
 * with $N, or a replacement function of the plugin's), flag it for
 * `gongwen check`, drop a paragraph it matches whole, join a paragraph it
 * matches with the next, or mark a numbered heading. This module runs them:
 * text rules over a text (keeping protected spans: URLs, e-mail, times,
 * standard numbers, a section's lead-in), and the drop, join and heading
 * tests over one paragraph.
 *
 * It does not read rule sets (engine/plug/ makes them from the plugins' Lua
 * tables) and cannot call Lua: a rule's replacement function is only a
 * handle, which it passes to the host's callback (struct gw_ruleset_env).
 */
#ifndef GW_RULESET_H
#define GW_RULESET_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/gw_buf.h"
#include "../util/gw_diag.h"
#include "gw_rules.h"

/* A rule's fn when it has no replacement function (a host's handle is never negative). */
#define GW_RULE_NO_FN (-1)

struct gw_rule {
    char *id;
    char *message;
    int line;      /* where the rule's id is written in its set's file */
    struct gw_regex *re;
    char *repl;    /* text rules: replacement with $N; NULL otherwise */
    int fn;        /* text rules: the host's handle of a replacement function, or GW_RULE_NO_FN */
    char *suggest; /* flag rules: what to suggest ($N expanded), may be NULL */
    bool flag;     /* reported by `gongwen check`, never changed */
    bool drop;     /* a paragraph matching re entirely is dropped (page numbers left by PDF copy) */
    bool join;     /* paragraph-join rule: a paragraph matching re continues in the next */
    bool protect;  /* matches inside URLs, e-mail, times, standard numbers, lead-ins are kept */
    bool adds_han; /* its replacements add Han characters (年月日): build applies it, fix does not */
    int level;     /* heading rule (1-4): group 1 is the heading, group 2 any text after it */
    char *needs;   /* text rules: strings one of which every match holds, each NUL-ended,
                      the list ended by an empty one; NULL: no hint */
};

struct gw_ruleset {
    char *name;
    char *file;
    struct gw_rule *rules;
    int n;
};

/*
 * The rule sets loaded so far. Each set has storage of its own that never
 * moves: a replacement function may load another set (gw.rules) while a set
 * of the list is running, and the running set must stay where it is.
 */
struct gw_ruleset_list {
    struct gw_ruleset **sets;
    int n;
};

enum gw_rule_mode {
    GW_RULES_APPLY,   /* change the text silently (build) */
    GW_RULES_EXPLAIN, /* change it and note each change (build --explain) */
    GW_RULES_CHECK,   /* report every rule's matches on the text as given; change nothing */
    GW_RULES_FIX,     /* like APPLY, but never a rule that adds Han characters (gongwen fix) */
};

/*
 * The host's side of a replacement function: what rule ru of set rs
 * replaces the match ov of s with (2*(groups+1) offsets), appended to out.
 * Returns 1, 0 (keep the match as it is) or -1 (an error, reported).
 */
typedef int (*gw_rule_call)(void *ud, const struct gw_ruleset *rs, const struct gw_rule *ru,
                            const char *s, const size_t *ov, int groups, struct gw_buf *out);

/* What applying text rules needs from the host. */
struct gw_ruleset_env {
    const struct gw_ruleset_list *sets; /* every set loaded (a replacement function may add one) */
    enum gw_rule_mode mode;
    const struct gw_span *cur;  /* where the text starts in the input (read at each match) */
    struct gw_regex *protect;   /* spans no text rule may touch (gw_ruleset_protect_new) */
    struct gw_regex *lead_in;   /* the section type's lead-in pattern (a caption's label), or
                                   NULL */
    struct gw_diag *diag;
    int *findings;              /* counts the matches CHECK reports */
    gw_rule_call call;          /* runs a rule's replacement function */
    void *ud;                   /* for call */
    size_t max_len;             /* the longest text the rules may make (a rule that would make
                                   more is an error, and skipped) */
};

/* The set named name (by its own string first, then by value), or NULL. */
const struct gw_ruleset *gw_ruleset_find(const struct gw_ruleset_list *l, const char *name);

/* Add a copy of rs (taking the memory it points to) to the list; sets already there stay put. */
void gw_ruleset_add(struct gw_ruleset_list *l, const struct gw_ruleset *rs);

/* Free what a rule holds (not its replacement function: that is the host's) and zero it. */
void gw_rule_clear(struct gw_rule *ru);

/* Free every set of the list and its rules (not the replacement functions: they are the host's). */
void gw_ruleset_list_free(struct gw_ruleset_list *l);

/*
 * The pattern of what text rules never touch (URLs, e-mail, times, standard
 * numbers), compiled. NULL with a message in err on failure.
 */
struct gw_regex *gw_ruleset_protect_new(char *err, size_t errlen);

/* That pattern's source (for tests/fuzz/fuzz_rules.c, which fuzzes it with the plugins' own). */
const char *gw_ruleset_protect_pattern(void);

/*
 * The label that starts a table's or an image's caption, with the space after
 * it ("表1 " in "表1 主要站点降雨量"), compiled: the host passes it as the
 * caption's lead_in, so no rule takes that space. NULL with a message in err.
 */
struct gw_regex *gw_ruleset_caption_label_new(char *err, size_t errlen);

/* That pattern's source (for the fuzzer, as gw_ruleset_protect_pattern). */
const char *gw_ruleset_caption_label_pattern(void);

/*
 * Run the text rules of the named sets over s (env->cur is where s starts in
 * the input). APPLY and EXPLAIN change the text rule by rule; CHECK runs every
 * rule on the text as given and reports what each would change or flags.
 * Returns a malloc'd string of *outlen bytes.
 */
char *gw_ruleset_apply(const struct gw_ruleset_env *env, const char *const *sets, int nsets,
                       const char *s, size_t len, size_t *outlen);

/* The drop rule that removes paragraph text s (a page number left by a PDF copy), or NULL. */
const struct gw_rule *gw_ruleset_drops(const struct gw_ruleset_list *l, const char *const *sets,
                                       int nsets, const char *s, size_t len);

/*
 * The numbered-heading level of paragraph text s (一、 （一） 1. （1）) by the
 * sets' heading rules: 0 if none matches, else 1-4 with the heading's length
 * in *head (the rest of the paragraph, if any, follows it).
 */
int gw_ruleset_heading(const struct gw_ruleset_list *l, const char *const *sets, int nsets,
                       const char *s, size_t len, size_t *head);

/* The join rule that says paragraph text s continues in the next one, or NULL. */
const struct gw_rule *gw_ruleset_join(const struct gw_ruleset_list *l, const char *const *sets,
                                      int nsets, const char *s, size_t len);

#endif /* GW_RULESET_H */
