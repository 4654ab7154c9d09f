/*
 * gw_uax14: the Unicode line breaking algorithm (UAX #14, Unicode 15.0).
 *
 * Owns the Line_Break property lookup (a range table generated at build time
 * by gw_uax14_gen from the Debian unicode-data files, never committed) and
 * the pair rules LB1-LB31, with LB25 in the regex form of UAX #14 §8.2
 * Example 7 (the tailoring LineBreakTest.txt is written for).
 *
 * It knows nothing of widths, fonts or Chinese kinsoku: gw_break layers its
 * GB/T 15834 rules on top of the opportunities found here.
 */
#ifndef GW_UAX14_H
#define GW_UAX14_H

#include <stddef.h>
#include <stdint.h>

/* Line_Break property values (UAX #14 Table 1), as stored in the table. */
enum gw_lb {
    GW_LB_BK, GW_LB_CR, GW_LB_LF, GW_LB_NL, GW_LB_SP, GW_LB_ZW, GW_LB_ZWJ, GW_LB_CM,
    GW_LB_WJ, GW_LB_GL, GW_LB_BA, GW_LB_BB, GW_LB_B2, GW_LB_HY, GW_LB_CB, GW_LB_CL,
    GW_LB_CP, GW_LB_EX, GW_LB_IN, GW_LB_NS, GW_LB_OP, GW_LB_QU, GW_LB_IS, GW_LB_NU,
    GW_LB_PO, GW_LB_PR, GW_LB_SY, GW_LB_AL, GW_LB_HL, GW_LB_ID, GW_LB_EB, GW_LB_EM,
    GW_LB_H2, GW_LB_H3, GW_LB_JL, GW_LB_JV, GW_LB_JT, GW_LB_RI, GW_LB_AI, GW_LB_SG,
    GW_LB_XX, GW_LB_SA, GW_LB_CJ,
    GW_LB_COUNT
};

/* Break status of a position, as written by gw_uax14_breaks(). */
enum gw_lb_break {
    GW_LB_NONE,  /* x: no break here */
    GW_LB_ALLOW, /* ÷: a break opportunity */
    GW_LB_MUST,  /* !: mandatory break (after BK, CR, LF, NL; end of text) */
};

/* Per-code-point flags from the table (gw_uax14_flags()). */
enum {
    GW_UAX14_WIDE = 1,   /* East_Asian_Width F, W or H (LB30) */
    GW_UAX14_EXTPICT = 2, /* Extended_Pictographic (LB30b) */
    GW_UAX14_MARK = 4,   /* General_Category Mn or Mc (LB1: SA -> CM) */
    GW_UAX14_CN = 8,     /* General_Category Cn, unassigned (LB30b) */
};

/* The raw Line_Break class of cp (before LB1 resolution); XX beyond U+10FFFF. */
enum gw_lb gw_uax14_class(uint32_t cp);
/* The GW_UAX14_* flags of cp (0 beyond U+10FFFF). */
unsigned gw_uax14_flags(uint32_t cp);
/* The two-letter name of a class ("AL"), or "??" for an out-of-range value. */
const char *gw_uax14_name(enum gw_lb c);

/*
 * Break opportunities for cps[0..n). out must hold n + 1 entries (enum
 * gw_lb_break): out[i], 0 < i < n, is the status of the position before
 * cps[i]; out[0] is GW_LB_NONE (LB2) and out[n] is GW_LB_MUST (LB3: always
 * break at the end of text). With n == 0 only out[0] = GW_LB_NONE is written.
 * Linear time, no allocation.
 */
void gw_uax14_breaks(const uint32_t *cps, size_t n, uint8_t *out);

#endif /* GW_UAX14_H */
