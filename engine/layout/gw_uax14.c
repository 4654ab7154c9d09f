/*
 * gw_uax14: the Unicode line breaking algorithm, UAX #14 for Unicode 15.0
 * (see gw_uax14.h).
 *
 * Owns the property lookup (binary search in the generated range table
 * gw_uax14_table.inc) and the rules LB1-LB31. The text is scanned once, left
 * to right. LB9 folds a base and its combining marks into one "unit"; the
 * state below keeps the little the rules need about the units to the left of
 * the position being decided (the unit, the one before it, the last non-space
 * unit, the length of the regional-indicator run, where a number is in LB25).
 * The only look-ahead is LB25's "(PR | PO) × (OP | HY) NU", which skips the
 * marks of one character: the whole scan stays linear.
 */
#include "gw_uax14.h"

#include <stdbool.h>

/* One table row: code points lo..hi share a class and flags. */
struct gw_uax14_range {
    uint32_t lo;
    unsigned hi : 21, cls : 6, flags : 5;
};

#include "gw_uax14_table.inc"

_Static_assert(GW_LB_COUNT <= 64, "classes must fit the 6-bit table field");

#define NTABLE (sizeof gw_uax14_table / sizeof *gw_uax14_table)

/* The table row holding cp, or NULL beyond U+10FFFF (the table has no gaps). */
static const struct gw_uax14_range *lookup(uint32_t cp)
{
    /* text runs in one script: the row of the last lookup usually holds the next (all of
     * U+4E00..9FFF is one row), which saves the binary search */
    static _Thread_local const struct gw_uax14_range *last;
    if (last && cp >= last->lo && cp <= last->hi)
        return last;
    size_t lo = 0, hi = NTABLE;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < gw_uax14_table[mid].lo)
            hi = mid;
        else if (cp > gw_uax14_table[mid].hi)
            lo = mid + 1;
        else
            return last = &gw_uax14_table[mid];
    }
    return NULL;
}

enum gw_lb gw_uax14_class(uint32_t cp)
{
    const struct gw_uax14_range *r = lookup(cp);
    return r ? (enum gw_lb)r->cls : GW_LB_XX;
}

unsigned gw_uax14_flags(uint32_t cp)
{
    const struct gw_uax14_range *r = lookup(cp);
    return r ? r->flags : 0;
}

const char *gw_uax14_name(enum gw_lb c)
{
    static const char *const names[GW_LB_COUNT] = {
        "BK", "CR", "LF", "NL", "SP", "ZW", "ZWJ", "CM", "WJ", "GL", "BA", "BB", "B2", "HY", "CB",
        "CL", "CP", "EX", "IN", "NS", "OP", "QU",  "IS", "NU", "PO", "PR", "SY", "AL", "HL", "ID",
        "EB", "EM", "H2", "H3", "JL", "JV", "JT",  "RI", "AI", "SG", "XX", "SA", "CJ",
    };
    return (unsigned)c < GW_LB_COUNT ? names[c] : "??";
}

/* LB1: the class the rules see (AI, SG, XX -> AL; SA -> CM or AL; CJ -> NS), and the flags. */
static enum gw_lb resolve(uint32_t cp, unsigned *flags)
{
    const struct gw_uax14_range *r = lookup(cp);
    if (!r) {
        *flags = 0;
        return GW_LB_AL;
    }
    *flags = r->flags;
    switch ((enum gw_lb)r->cls) {
    case GW_LB_AI:
    case GW_LB_SG:
    case GW_LB_XX:
        return GW_LB_AL;
    case GW_LB_SA:
        return (r->flags & GW_UAX14_MARK) ? GW_LB_CM : GW_LB_AL;
    case GW_LB_CJ:
        return GW_LB_NS;
    default:
        return (enum gw_lb)r->cls;
    }
}

/* Bit set of classes, for the "c is one of ..." tests. */
#define B(c)           (1ull << GW_LB_##c)
#define IN_SET(c, set) ((c) < GW_LB_COUNT && ((1ull << (c)) & (set)) != 0)

/* LB9: classes a following CM or ZWJ cannot attach to. */
#define NO_ATTACH (B(BK) | B(CR) | B(LF) | B(NL) | B(SP) | B(ZW))

/* "No unit" (before the start of text); never a member of any set. */
#define NOTHING GW_LB_COUNT

/* LB25 (Example 7 regex): where the units to the left are inside a number. */
enum num_state {
    NUM_OUT,   /* not in a number */
    NUM_IN,    /* after NU (NU | SY | IS)* */
    NUM_CLOSE, /* after NU (NU | SY | IS)* (CL | CP) */
};

/* What the rules need to know about the text left of the position. */
struct lb_state {
    enum gw_lb raw;   /* resolved class of the character just before (CM, ZWJ kept) */
    enum gw_lb cls;   /* class of the unit just before (LB9/LB10 applied) */
    enum gw_lb prev;  /* class of the unit before that (LB21a) */
    enum gw_lb nonsp; /* class of the last unit that is not SP (LB8, LB14-LB17) */
    unsigned flags;   /* flags of the base character of the unit just before */
    size_t ri;        /* RI units in a row ending just before (LB30a) */
    enum num_state num;
};

/* Start the state with the first character as the first unit. */
static void state_init(struct lb_state *s, uint32_t cp)
{
    s->raw = resolve(cp, &s->flags);
    /* LB10: a mark at the start of text has nothing to attach to */
    s->cls = IN_SET(s->raw, B(CM) | B(ZWJ)) ? GW_LB_AL : s->raw;
    s->prev = NOTHING;
    s->nonsp = s->cls == GW_LB_SP ? NOTHING : s->cls;
    s->ri = s->cls == GW_LB_RI;
    s->num = s->cls == GW_LB_NU ? NUM_IN : NUM_OUT;
}

/* Move the state past a character of resolved class raw and the given flags. */
static void state_push(struct lb_state *s, enum gw_lb raw, unsigned flags)
{
    bool attach = IN_SET(raw, B(CM) | B(ZWJ)) && !IN_SET(s->raw, NO_ATTACH);
    s->raw = raw;
    if (attach)
        return; /* LB9: X CM* is X; the unit is unchanged */
    enum gw_lb c = IN_SET(raw, B(CM) | B(ZWJ)) ? GW_LB_AL : raw; /* LB10 */
    if (c == GW_LB_NU)
        s->num = NUM_IN;
    else if (s->num == NUM_IN && IN_SET(c, B(SY) | B(IS)))
        s->num = NUM_IN;
    else if (s->num == NUM_IN && IN_SET(c, B(CL) | B(CP)))
        s->num = NUM_CLOSE;
    else
        s->num = NUM_OUT;
    s->ri = c == GW_LB_RI ? (s->cls == GW_LB_RI ? s->ri + 1 : 1) : 0;
    if (c != GW_LB_SP)
        s->nonsp = c;
    s->prev = s->cls;
    s->cls = c;
    s->flags = flags;
}

/* LB25 look-ahead: is the character at cps[j] (after any marks of cps[j - 1]) a NU? */
static bool nu_follows(const uint32_t *cps, size_t n, size_t j)
{
    unsigned fl;
    for (; j < n; j++) {
        enum gw_lb c = resolve(cps[j], &fl);
        if (!IN_SET(c, B(CM) | B(ZWJ)))
            return c == GW_LB_NU;
    }
    return false;
}

/*
 * The status of the position between the text summarised by s and the
 * character cps[i] (resolved class raw, flags fl). Rules in UAX #14 order;
 * the first that matches decides.
 */
static enum gw_lb_break decide(const struct lb_state *s, enum gw_lb raw, unsigned fl,
                               const uint32_t *cps, size_t n, size_t i)
{
    enum gw_lb a = s->cls;
    bool after_sp = a == GW_LB_SP;
    enum gw_lb before_sp = after_sp ? s->nonsp : a; /* the X of "X SP*" */

    /* LB4, LB5: hard breaks */
    if (s->raw == GW_LB_BK)
        return GW_LB_MUST;
    if (s->raw == GW_LB_CR && raw == GW_LB_LF)
        return GW_LB_NONE;
    if (IN_SET(s->raw, B(CR) | B(LF) | B(NL)))
        return GW_LB_MUST;
    /* LB6, LB7: no break before hard breaks, spaces, ZW */
    if (IN_SET(raw, B(BK) | B(CR) | B(LF) | B(NL) | B(SP) | B(ZW)))
        return GW_LB_NONE;
    /* LB8: ZW SP* ÷ */
    if (before_sp == GW_LB_ZW)
        return GW_LB_ALLOW;
    /* LB8a: ZWJ × */
    if (s->raw == GW_LB_ZWJ)
        return GW_LB_NONE;
    /* LB9: marks stay with their base */
    if (IN_SET(raw, B(CM) | B(ZWJ)) && !IN_SET(s->raw, NO_ATTACH))
        return GW_LB_NONE;
    /* LB10: an unattached mark is AL */
    enum gw_lb b = IN_SET(raw, B(CM) | B(ZWJ)) ? GW_LB_AL : raw;

    /* LB11: × WJ, WJ × */
    if (a == GW_LB_WJ || b == GW_LB_WJ)
        return GW_LB_NONE;
    /* LB12: GL × */
    if (a == GW_LB_GL)
        return GW_LB_NONE;
    /* LB12a: [^SP BA HY] × GL */
    if (b == GW_LB_GL && !IN_SET(a, B(SP) | B(BA) | B(HY)))
        return GW_LB_NONE;
    /* LB13 as Example 7 tailors it: × EX; [^NU] × (CL | CP | IS | SY) */
    if (b == GW_LB_EX)
        return GW_LB_NONE;
    if (IN_SET(b, B(CL) | B(CP) | B(IS) | B(SY)) && a != GW_LB_NU)
        return GW_LB_NONE;
    /* LB14: OP SP* × */
    if (before_sp == GW_LB_OP)
        return GW_LB_NONE;
    /* LB15: QU SP* × OP */
    if (b == GW_LB_OP && before_sp == GW_LB_QU)
        return GW_LB_NONE;
    /* LB16: (CL | CP) SP* × NS */
    if (b == GW_LB_NS && IN_SET(before_sp, B(CL) | B(CP)))
        return GW_LB_NONE;
    /* LB17: B2 SP* × B2 */
    if (b == GW_LB_B2 && before_sp == GW_LB_B2)
        return GW_LB_NONE;
    /* LB18: SP ÷ */
    if (after_sp)
        return GW_LB_ALLOW;
    /* LB19: × QU, QU × */
    if (a == GW_LB_QU || b == GW_LB_QU)
        return GW_LB_NONE;
    /* LB20: ÷ CB, CB ÷ */
    if (a == GW_LB_CB || b == GW_LB_CB)
        return GW_LB_ALLOW;
    /* LB21: × BA, × HY, × NS, BB × */
    if (IN_SET(b, B(BA) | B(HY) | B(NS)) || a == GW_LB_BB)
        return GW_LB_NONE;
    /* LB21a: HL (HY | BA) × */
    if (IN_SET(a, B(HY) | B(BA)) && s->prev == GW_LB_HL)
        return GW_LB_NONE;
    /* LB21b: SY × HL */
    if (a == GW_LB_SY && b == GW_LB_HL)
        return GW_LB_NONE;
    /* LB22: × IN */
    if (b == GW_LB_IN)
        return GW_LB_NONE;
    /* LB23: (AL | HL) × NU, NU × (AL | HL) */
    if ((IN_SET(a, B(AL) | B(HL)) && b == GW_LB_NU) || (a == GW_LB_NU && IN_SET(b, B(AL) | B(HL))))
        return GW_LB_NONE;
    /* LB23a: PR × (ID | EB | EM), (ID | EB | EM) × PO */
    if ((a == GW_LB_PR && IN_SET(b, B(ID) | B(EB) | B(EM))) ||
        (IN_SET(a, B(ID) | B(EB) | B(EM)) && b == GW_LB_PO))
        return GW_LB_NONE;
    /* LB24: (PR | PO) × (AL | HL), (AL | HL) × (PR | PO) */
    if ((IN_SET(a, B(PR) | B(PO)) && IN_SET(b, B(AL) | B(HL))) ||
        (IN_SET(a, B(AL) | B(HL)) && IN_SET(b, B(PR) | B(PO))))
        return GW_LB_NONE;
    /*
     * LB25, Example 7: do not break within
     * (PR | PO)? (OP | HY)? NU (NU | SY | IS)* (CL | CP)? (PR | PO)?
     */
    if (IN_SET(a, B(PR) | B(PO)) &&
        (b == GW_LB_NU || (IN_SET(b, B(OP) | B(HY)) && nu_follows(cps, n, i + 1))))
        return GW_LB_NONE;
    if (IN_SET(a, B(OP) | B(HY)) && b == GW_LB_NU)
        return GW_LB_NONE;
    if (s->num == NUM_IN && IN_SET(b, B(NU) | B(SY) | B(IS) | B(CL) | B(CP)))
        return GW_LB_NONE;
    if (s->num != NUM_OUT && IN_SET(b, B(PO) | B(PR)))
        return GW_LB_NONE;
    /* LB26: Korean syllable blocks */
    if (a == GW_LB_JL && IN_SET(b, B(JL) | B(JV) | B(H2) | B(H3)))
        return GW_LB_NONE;
    if (IN_SET(a, B(JV) | B(H2)) && IN_SET(b, B(JV) | B(JT)))
        return GW_LB_NONE;
    if (IN_SET(a, B(JT) | B(H3)) && b == GW_LB_JT)
        return GW_LB_NONE;
    /* LB27: a Korean syllable block is an ideograph to PO and PR */
    if (IN_SET(a, B(JL) | B(JV) | B(JT) | B(H2) | B(H3)) && b == GW_LB_PO)
        return GW_LB_NONE;
    if (a == GW_LB_PR && IN_SET(b, B(JL) | B(JV) | B(JT) | B(H2) | B(H3)))
        return GW_LB_NONE;
    /* LB28: (AL | HL) × (AL | HL) */
    if (IN_SET(a, B(AL) | B(HL)) && IN_SET(b, B(AL) | B(HL)))
        return GW_LB_NONE;
    /* LB29: IS × (AL | HL) */
    if (a == GW_LB_IS && IN_SET(b, B(AL) | B(HL)))
        return GW_LB_NONE;
    /* LB30: (AL | HL | NU) × OP, CP × (AL | HL | NU), for OP/CP not East Asian wide */
    if (IN_SET(a, B(AL) | B(HL) | B(NU)) && b == GW_LB_OP && !(fl & GW_UAX14_WIDE))
        return GW_LB_NONE;
    if (a == GW_LB_CP && !(s->flags & GW_UAX14_WIDE) && IN_SET(b, B(AL) | B(HL) | B(NU)))
        return GW_LB_NONE;
    /* LB30a: regional indicators pair up */
    if (a == GW_LB_RI && b == GW_LB_RI && s->ri % 2 == 1)
        return GW_LB_NONE;
    /* LB30b: EB × EM, [Extended_Pictographic & Cn] × EM */
    if (b == GW_LB_EM && (a == GW_LB_EB || (s->flags & (GW_UAX14_EXTPICT | GW_UAX14_CN)) ==
                                               (GW_UAX14_EXTPICT | GW_UAX14_CN)))
        return GW_LB_NONE;
    /* LB31: break everywhere else */
    return GW_LB_ALLOW;
}

void gw_uax14_breaks(const uint32_t *cps, size_t n, uint8_t *out)
{
    out[0] = GW_LB_NONE; /* LB2: never break at the start of text */
    if (n == 0)
        return;
    struct lb_state s;
    state_init(&s, cps[0]);
    for (size_t i = 1; i < n; i++) {
        unsigned fl;
        enum gw_lb raw = resolve(cps[i], &fl);
        out[i] = (uint8_t)decide(&s, raw, fl, cps, n, i);
        state_push(&s, raw, fl);
    }
    out[n] = GW_LB_MUST; /* LB3: always break at the end of text */
}
