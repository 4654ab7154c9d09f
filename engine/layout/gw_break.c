/*
 * gw_break: line breaking for Chinese text (see gw_break.h).
 *
 * The breaker is first-fit with look-ahead by shrink: a line ends at the
 * furthest legal break where the line, after every allowed compression,
 * still fits the measure (clreq "push in" before "push out"). Code-point sets
 * follow format-spec §4.2 (GB/T 15834 §5.1 and clreq's prohibition tables).
 */
#include "gw_break.h"

#include <math.h>
#include <stdlib.h>

#include "../util/gw_arena.h"
#include "gw_break_int.h"
#include "gw_uax14.h"

#define EPS GW_BREAK_EPS

/* Closing marks and 点号: never at a line start (all styles). */
static const uint32_t no_start_set[] = {
    0x3001, 0x3002, 0xFF0C, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0x201D, 0x2019, 0xFF09, 0x3015,
    0x3011, 0x300B, 0x3009, 0x300D, 0x300F, 0x3017, 0xFF3D, 0xFF5D, 0x00B7, 0xFF5E, 0x002D,
    0x002F, 0x203C, 0x2047, 0x0025, 0x0029, 0x005D, 0x007D, 0x002C, 0x002E, 0x003B, 0x003A,
    0x003F, 0x0021, 0x2030, 0x2103, 0x00B0, 0x30FB, 0xFF0E, 0x2013, 0x3005, 0x301E, 0x301F,
};
/* Opening marks: never at a line end (all styles). */
static const uint32_t no_end_set[] = {
    0x201C, 0x2018, 0xFF08, 0x3014, 0x3010, 0x300A, 0x3008, 0x300C, 0x300E, 0x3016,
    0xFF3B, 0xFF5B, 0x0028, 0x005B, 0x007B, 0xFFE5, 0x0024, 0x00A3, 0x00A5, 0x301D,
};

static bool in_set(const uint32_t *set, size_t n, uint32_t cp)
{
    if (cp >= 0x3400 && cp < 0xF900)
        return false; /* ideographs (nearly every character): the sets hold none */
    for (size_t i = 0; i < n; i++)
        if (set[i] == cp)
            return true;
    return false;
}

bool gw_break_no_start(uint32_t cp, enum gw_kinsoku k)
{
    if (in_set(no_start_set, sizeof no_start_set / sizeof *no_start_set, cp))
        return true;
    if (k == GW_KINSOKU_STRICT && (cp == 0x2014 || cp == 0x2026 || cp == 0x2E3A))
        return true;
    return false;
}

bool gw_break_no_end(uint32_t cp, enum gw_kinsoku k)
{
    if (in_set(no_end_set, sizeof no_end_set / sizeof *no_end_set, cp))
        return true;
    return k != GW_KINSOKU_BASIC && cp == '/';
}

enum gw_punct gw_break_punct_class(uint32_t cp)
{
    static const uint32_t close[] = {0x3001, 0x3002, 0xFF0C, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
                                     0x201D, 0x2019, 0xFF09, 0x3015, 0x3011, 0x300B, 0x3009,
                                     0x300D, 0x300F, 0x3017, 0xFF3D, 0xFF5D, 0xFF0E};
    static const uint32_t open[] = {0x201C, 0x2018, 0xFF08, 0x3014, 0x3010, 0x300A,
                                    0x3008, 0x300C, 0x300E, 0x3016, 0xFF3B, 0xFF5B};
    if (in_set(close, sizeof close / sizeof *close, cp))
        return GW_PUNCT_CLOSE;
    if (in_set(open, sizeof open / sizeof *open, cp))
        return GW_PUNCT_OPEN;
    return GW_PUNCT_NONE;
}

enum gw_punct gw_break_punct_from_ink(uint32_t cp, double ink0, double ink1, double adv)
{
    enum gw_punct table = gw_break_punct_class(cp);
    if (table == GW_PUNCT_NONE || adv <= 0)
        return table;
    double centre = (ink0 + ink1) / 2 / adv;
    if (ink1 <= adv * 0.55 && centre < 0.4)
        return GW_PUNCT_CLOSE;
    if (ink0 >= adv * 0.45 && centre > 0.6)
        return GW_PUNCT_OPEN;
    if (ink1 - ink0 <= adv * 0.5)
        return GW_PUNCT_MIDDLE;
    return GW_PUNCT_NONE; /* ink fills the box: nothing to take away */
}

/* Characters that glue into one unbreakable Latin word or number. */
static bool is_wordish(uint32_t cp)
{
    return (cp > 0x20 && cp < 0x7F && cp != '(' && cp != '[' && cp != '{') || cp == 0x2030 ||
           cp == 0x2103 || cp == 0x00B0 || (cp >= 0xFF10 && cp <= 0xFF19) || cp == 0x00B7;
}

static bool is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/*
 * What stays with the number before it: any Han character (a unit or a
 * measure word: 2024年, 29日, 18种, 36处, 5个, 3.5万), and 〕 (〔2024〕).
 */
static bool is_number_suffix(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3015;
}

/* May a line end between atoms a[j-1] and a[j]? */
static bool can_break(const struct gw_atom *a, int j, enum gw_kinsoku k)
{
    uint32_t prev = a[j - 1].cp, cur = a[j].cp;
    if (a[j].flags & GW_ATOM_SPACE)
        return false; /* break after a space, not before */
    if (a[j - 1].flags & GW_ATOM_SPACE)
        return !gw_break_no_start(cur, k);
    if (gw_break_no_start(cur, k) || gw_break_no_end(prev, k))
        return false;
    if ((prev == 0x2014 || prev == 0x2026 || prev == 0x2E3A) && prev == cur)
        return false; /* —— and …… are one unit */
    if (is_wordish(prev) && is_wordish(cur))
        return false;
    if (is_digit(prev) && is_number_suffix(cur))
        return false;
    return true;
}

/* Is atom i part of a URL or an e-mail address (a run of Latin text with "://", "@" or "www.")? */
static void mark_urls(const struct gw_atom *a, int n, bool *url)
{
    int i = 0;
    while (i < n) {
        if (a[i].cp <= ' ' || a[i].cp >= 0x80) {
            i++;
            continue;
        }
        int j = i;
        bool is_url = false;
        while (j < n && a[j].cp > ' ' && a[j].cp < 0x80) {
            is_url |= a[j].cp == '@' ||
                      (j + 2 < n && a[j].cp == ':' && a[j + 1].cp == '/' && a[j + 2].cp == '/');
            j++;
        }
        is_url |= j - i > 4 && (a[i].cp == 'w' || a[i].cp == 'W') && a[i + 1].cp == a[i].cp &&
                  a[i + 2].cp == a[i].cp && a[i + 3].cp == '.';
        for (int k = i; k < j; k++)
            url[k] = is_url;
        i = j;
    }
}

/*
 * Every break opportunity of the paragraph, once: brk[j] says whether a line
 * may end before atom j. Between two Latin or other non-CJK characters UAX #14
 * decides (gw_uax14); wherever a CJK character, a full-width mark, a number
 * unit (2024年) or a Chinese kinsoku character is involved, the Chinese rules
 * of can_break do; URLs and e-mail addresses are one unit (docs/typesetting.md).
 */
/*
 * UAX #14 where it decides (lb[j] for the positions with latin[j]), run only
 * over the stretches of text that hold such positions. A stretch starts at
 * an ideograph (class ID): the algorithm's state after an ID is the same
 * whatever came before, except the class before it, which only LB21a reads
 * and only after HY or BA; so each stretch gives exactly what a run over the
 * whole paragraph gives. It ends three characters past the next ideograph
 * (LB25 looks ahead). Chinese paragraphs are mostly ideographs, so most of
 * the text is never looked at.
 */
static void latin_breaks(const uint32_t *cps, int n, const bool *latin, uint8_t *lb)
{
    uint8_t *seg = NULL;
    int p = 0;
    while (p < n) {
        int r = p + 1; /* the next ideograph */
        while (r < n && gw_uax14_class(cps[r]) != GW_LB_ID)
            r++;
        bool any = false;
        for (int j = p + 1; j < r && !any; j++)
            any = latin[j];
        if (any) {
            int q = r + 3 < n ? r + 3 : n;
            if (!seg)
                seg = gw_xmalloc((size_t)n + 1);
            gw_uax14_breaks(cps + p, (size_t)(q - p), seg);
            for (int j = p + 1; j < r; j++)
                if (latin[j])
                    lb[j] = seg[j - p];
        }
        p = r;
    }
    free(seg);
}

static uint8_t *compute_breaks(const struct gw_atom *a, int n, enum gw_kinsoku k)
{
    uint8_t *brk = gw_xcalloc((size_t)n + 1, 1);
    uint32_t *cps = gw_xmalloc(((size_t)n + 1) * sizeof(*cps));
    uint8_t *lb = gw_xcalloc((size_t)n + 1, 1);
    bool *url = gw_xcalloc((size_t)n + 1, sizeof(*url));
    bool *latin = gw_xcalloc((size_t)n + 1, sizeof(*latin));
    for (int i = 0; i < n; i++)
        cps[i] = a[i].cp;
    /* between two Latin (non-CJK, non-space) characters UAX #14 decides */
    for (int j = 1; j < n; j++)
        latin[j] = !(a[j - 1].flags & GW_ATOM_WIDE) && !(a[j].flags & GW_ATOM_WIDE) &&
                   a[j - 1].cp < 0x2E80 && a[j].cp < 0x2E80 && !gw_break_no_start(a[j].cp, k) &&
                   !gw_break_no_end(a[j - 1].cp, k) && !(a[j - 1].flags & GW_ATOM_SPACE) &&
                   !(a[j].flags & GW_ATOM_SPACE);
    latin_breaks(cps, n, latin, lb);
    mark_urls(a, n, url);
    for (int j = 1; j < n; j++) {
        if (url[j - 1] && url[j])
            brk[j] = 0;
        else if (latin[j])
            brk[j] = lb[j] != GW_LB_NONE;
        else
            brk[j] = can_break(a, j, k);
    }
    free(cps);
    free(lb);
    free(url);
    free(latin);
    return brk;
}


static bool is_latin_or_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

static bool is_han(const struct gw_atom *a)
{
    return (a->flags & GW_ATOM_WIDE) && a->punct == GW_PUNCT_NONE && a->cp >= 0x2E80;
}

/* Cut one mark to half width on the side(s) its blank is. */
static void halve(const struct gw_atom *a, struct prep *p, int i)
{
    p->w[i] -= a[i].em / 2;
    if (a[i].punct == GW_PUNCT_OPEN)
        p->cutl[i] = a[i].em / 2;
    else if (a[i].punct == GW_PUNCT_MIDDLE)
        p->cutl[i] = a[i].em / 4;
}

/*
 * opts.pairs_only: a mark with no mark beside it gives nothing inside a line
 * (GB/T 15834 compresses adjacent marks only); a closing one still loses its
 * blank half at a line end (moved to glue, which the line end drops); an
 * opening one keeps its shrink only when line starts are trimmed (opts.trim_start).
 */
static void keep_lone_marks(const struct gw_atom *a, int n, const struct gw_break_opts *o,
                            struct prep *p)
{
    for (int i = 0; i < n; i++) {
        if (a[i].punct == GW_PUNCT_NONE || p->shrink[i] <= 0 ||
            (i > 0 && a[i - 1].punct != GW_PUNCT_NONE) ||
            (i + 1 < n && a[i + 1].punct != GW_PUNCT_NONE))
            continue;
        if (a[i].punct == GW_PUNCT_OPEN) {
            if (!o->trim_start)
                p->shrink[i] = 0;
            continue;
        }
        p->glue[i] += p->shrink[i];
        p->shrink[i] = 0;
    }
}

static void prepare(const struct gw_atom *a, int n, const struct gw_break_opts *o, struct prep *p)
{
    p->w = gw_xcalloc((size_t)n * 5 + 1, sizeof(double));
    p->cutl = p->w + n;
    p->shrink = p->w + 2 * n;
    p->glue = p->w + 3 * n;
    p->pad = p->w + 4 * n;
    if (o->grid) {
        gw_grid_prepare(a, n, o, p);
        return;
    }
    for (int i = 0; i < n; i++)
        p->w[i] = a[i].adv;
    if (o->punct != GW_PUNCT_QUANJIAO) {
        /* banjiao / kaiming: marks are half width from the start */
        for (int i = 0; i < n; i++) {
            bool keep = o->punct == GW_PUNCT_KAIMING &&
                        (a[i].cp == 0x3002 || a[i].cp == 0xFF1F || a[i].cp == 0xFF01 ||
                         a[i].cp == 0xFF0E);
            if (a[i].punct != GW_PUNCT_NONE && !keep)
                halve(a, p, i);
        }
    } else {
        /* quanjiao: of two adjacent marks, one loses its blank between them */
        for (int i = 0; i + 1 < n; i++) {
            if (a[i].punct == GW_PUNCT_NONE || a[i + 1].punct == GW_PUNCT_NONE)
                continue;
            if (a[i].punct != GW_PUNCT_OPEN && p->w[i] >= a[i].adv - EPS)
                halve(a, p, i);
            else if (a[i + 1].punct != GW_PUNCT_CLOSE)
                halve(a, p, i + 1);
        }
    }
    for (int i = 0; i < n; i++)
        if (a[i].punct != GW_PUNCT_NONE && p->w[i] >= a[i].adv - EPS)
            p->shrink[i] = a[i].em / 2;
    if (o->pairs_only && o->punct == GW_PUNCT_QUANJIAO)
        keep_lone_marks(a, n, o, p);
    if (o->cjk_latin > 0) {
        for (int i = 0; i + 1 < n; i++) {
            if ((is_han(&a[i]) && is_latin_or_digit(a[i + 1].cp)) ||
                (is_latin_or_digit(a[i].cp) && is_han(&a[i + 1]))) {
                p->glue[i] = o->cjk_latin * a[i].em;
                p->w[i] += p->glue[i];
            }
        }
    }
}


/*
 * What the line end removes from atom i: the blank half of a closing or
 * centred mark, and any CJK-Latin gap after it.
 */
static double end_cut(const struct gw_atom *a, const struct prep *p, int i)
{
    if (i < 0 || p->grid)
        return 0; /* on the grid a mark keeps its cell at a line end (or hangs) */
    double cut = p->glue[i];
    if (a[i].punct == GW_PUNCT_CLOSE || a[i].punct == GW_PUNCT_MIDDLE)
        cut += p->shrink[i];
    return cut;
}

/* What a line start removes from atom i when trimming is on: an opening mark's blank half. */
static double start_cut(const struct gw_atom *a, const struct prep *p, const struct gw_break_opts *o,
                        int i)
{
    return o->trim_start && !o->grid && a[i].punct == GW_PUNCT_OPEN ? p->shrink[i] : 0;
}

/*
 * Width of the unbreakable unit starting at atom i (up to the next legal
 * break): a URL, a long number, a Latin word.
 */
static double unit_width(int n, const struct prep *p, const uint8_t *brk, int i)
{
    double w = 0;
    for (int j = i; j < n; j++) {
        w += p->w[j];
        if (j + 1 < n && brk[j + 1])
            break;
    }
    return w;
}

/* Does the unbreakable unit at atom i look like a URL or an e-mail address (has / or @)? */
static bool url_like(const struct gw_atom *a, int n, const uint8_t *brk, int i)
{
    for (int j = i; j < n; j++) {
        if (a[j].cp == '/' || a[j].cp == '@')
            return true;
        if (j + 1 < n && brk[j + 1])
            break;
    }
    return false;
}

/* The furthest split after / . - _ ? & = in (unit, fits], or `otherwise`. */
static int split_unit_at_mark(const struct gw_atom *a, int unit, int fits, int otherwise)
{
    for (int j = fits; j > unit + 1; j--) {
        uint32_t c = a[j - 1].cp;
        if (c == '/' || c == '.' || c == '-' || c == '_' || c == '?' || c == '&' || c == '=')
            return j;
    }
    return otherwise;
}

/*
 * Where to split a unit too long for any line, given the furthest point that
 * fits: after a URL's / . - _ ? & = if there is one past the unit's start,
 * else at that point.
 */
static int split_long_unit(const struct gw_atom *a, int unit, int fits)
{
    return split_unit_at_mark(a, unit, fits, fits);
}


struct gw_breaker *gw_breaker_new(const struct gw_atom *a, int n, const struct gw_break_opts *o)
{
    struct gw_breaker *b = gw_xcalloc(1, sizeof(*b));
    b->a = a;
    b->n = n;
    b->o = *o;
    b->o.grid = o->grid && o->punct == GW_PUNCT_QUANJIAO && o->cell_per_em > 0;
    prepare(a, n, &b->o, &b->p);
    b->brk = compute_breaks(a, n, o->kinsoku);
    return b;
}

void gw_breaker_free(struct gw_breaker *b)
{
    if (!b)
        return;
    free(b->p.w);
    free(b->brk);
    free(b);
}

/* Characters of atoms [s, e) that are not marks or spaces. */
static int content_count(const struct gw_atom *a, int s, int e)
{
    int c = 0;
    for (int i = s; i < e; i++)
        c += a[i].punct == GW_PUNCT_NONE && !(a[i].flags & GW_ATOM_SPACE) &&
             gw_break_punct_class(a[i].cp) == GW_PUNCT_NONE && !gw_break_no_start(a[i].cp, 0);
    return c;
}

/*
 * 单字不成行 (clreq §orphan; format-spec §4.7): if the paragraph's last line
 * holds a single character (with its marks), end the line before it earlier,
 * at the latest legal break that gives the last line two characters and
 * still fits; the shortened line is then stretched a little.
 */
static void avoid_runt(struct gw_breaker *b, struct gw_line *ln, int count, const double *W)
{
    const struct gw_atom *a = b->a;
    if (count < 2)
        return;
    struct gw_line *prev = &ln[count - 2], *last = &ln[count - 1];
    if (content_count(a, last->start, last->end) > 1)
        return;
    double avail = b->o.width - last->indent;
    int limit = prev->start + (prev->end - prev->start) / 2; /* never halve the line above */
    for (int j = last->start - 1; j > limit; j--) {
        if (!b->brk[j])
            continue;
        if (content_count(a, j, last->end) < 2)
            continue;
        int li = gw_break_last_ink(a, j, last->end);
        if (W[li + 1] - W[j] - end_cut(a, &b->p, li) > avail + EPS)
            return; /* the last line would no longer fit */
        prev->end = j;
        last->start = j;
        return;
    }
}

double gw_breaker_min_width(const struct gw_breaker *b)
{
    double widest = 0, w = 0;
    for (int i = 0; i < b->n; i++) {
        if (i > 0 && b->brk[i])
            w = 0;
        if (!(b->a[i].flags & GW_ATOM_SPACE))
            w += b->p.w[i];
        if (w > widest)
            widest = w;
    }
    return widest;
}

/* Prefix sums (malloc'd): W[i] = width of atoms [0, i), then S = W + n + 1, their shrink. */
static double *prefix_sums(const struct gw_breaker *b)
{
    int n = b->n;
    double *W = gw_xmalloc((size_t)(n + 1) * 2 * sizeof(double));
    double *S = W + n + 1;
    W[0] = S[0] = 0;
    for (int i = 0; i < n; i++) {
        W[i + 1] = W[i] + b->p.w[i];
        S[i + 1] = S[i] + b->p.shrink[i];
    }
    return W;
}

/*
 * The natural width of a line of atoms [start, j) (its end mark's blank and
 * an opening mark's trimmed half taken off), and in *shr what compression
 * inside it may still take away.
 */
static double line_width(const struct gw_breaker *b, const double *W, const double *S, int start,
                         int j, double *shr)
{
    const struct gw_atom *a = b->a;
    int li = gw_break_last_ink(a, start, j);
    double nat = W[li + 1] - W[start] - end_cut(a, &b->p, li) - start_cut(a, &b->p, &b->o, start);
    /* a line-start bracket stays whole (lines start on the margin) */
    *shr = li > start ? S[li] - S[start + 1] +
                            (a[start].punct == GW_PUNCT_CLOSE ? b->p.shrink[start] : 0)
                      : 0;
    if (b->o.grid) /* a closing mark in the column past the measure hangs */
        *shr += gw_grid_hang(a, &b->o, start, li);
    return nat;
}

int gw_breaker_lines(struct gw_breaker *b, struct gw_line **lines)
{
    const struct gw_atom *a = b->a;
    const struct gw_break_opts *o = &b->o;
    int n = b->n;
    struct prep p = b->p;
    *lines = NULL;
    if (n <= 0)
        return 0;
    double *W = prefix_sums(b), *S = W + n + 1;
    int cap = 16, count = 0;
    struct gw_line *out = gw_xmalloc((size_t)cap * sizeof(*out));
    int start = 0;
    while (start < n) {
        double indent = count == 0 ? o->indent : o->rest_indent;
        double avail = o->width - indent;
        int best = -1, fallback = -1;
        for (int j = start + 1; j <= n; j++) {
            double shr, nat = line_width(b, W, S, start, j, &shr);
            if (nat - shr > avail + EPS) {
                if (nat - shr - a[j - 1].em > avail)
                    break; /* widths only grow from here */
                continue;
            }
            fallback = j;
            if (j == n || b->brk[j])
                best = j;
        }
        if (best < 0)
            best = fallback > start ? fallback : start + 1; /* nothing legal fits: force */
        else if (fallback > best && best < n && is_wordish(a[best].cp)) {
            /*
             * A Latin unit (URL, e-mail) that does not fit here: one longer
             * than a full line must be split anyway, so start it here; one
             * that would leave this line under three quarters full is split
             * after / . - _ ? & = if it has such a point.
             */
            int li = gw_break_last_ink(a, start, best);
            double nat = W[li + 1] - W[start] - end_cut(a, &p, li);
            if (unit_width(n, &p, b->brk, best) > o->width)
                best = split_long_unit(a, best, fallback);
            else if (nat < 0.75 * avail && url_like(a, n, b->brk, best))
                best = split_unit_at_mark(a, best, fallback, best);
        }
        if (count == cap) {
            cap *= 2;
            out = gw_xrealloc(out, (size_t)cap * sizeof(*out));
        }
        out[count++] = (struct gw_line){start, best, indent, best == n};
        start = best;
    }
    if (o->avoid_runt)
        avoid_runt(b, out, count, W);
    free(W);
    *lines = out;
    return count;
}

#define BALANCE_MAX_ATOMS 4000 /* larger paragraphs keep first fit at the balanced measure */
#define BALANCE_MAX_LINES 24

/*
 * The n lines at the measure b has that leave the least squared room at
 * their ends (every line, the last too, so they come out of one length),
 * over legal breaks only: a dynamic programme over break positions
 * (Knuth-Plass's shape without its penalties). Returns 0 and *lines, or -1
 * if no such breaking fits (first fit forced a break; keep its lines).
 */
static int balance_dp(struct gw_breaker *b, int n, struct gw_line **lines)
{
    int N = b->n;
    double *W = prefix_sums(b), *S = W + N + 1;
    /* cost[k * (N + 1) + j]: atoms [0, j) in k lines; from[...]: where the k-th line starts */
    size_t cells = (size_t)(n + 1) * (size_t)(N + 1);
    double *cost = gw_xmalloc(cells * sizeof(double));
    int *from = gw_xmalloc(cells * sizeof(int));
    for (size_t c = 0; c < cells; c++)
        cost[c] = HUGE_VAL;
    cost[0] = 0;
    for (int k = 1; k <= n; k++) {
        double avail = b->o.width - (k == 1 ? b->o.indent : b->o.rest_indent);
        for (int s = k - 1; s < N; s++) {
            double base = cost[(size_t)(k - 1) * (N + 1) + s];
            if (base == HUGE_VAL)
                continue;
            for (int j = s + 1; j <= N; j++) {
                if (j < N && !b->brk[j])
                    continue;
                double shr, nat = line_width(b, W, S, s, j, &shr);
                if (nat - shr > avail + EPS) {
                    if (nat - shr - b->a[j - 1].em > avail)
                        break; /* widths only grow from here */
                    continue;
                }
                double room = avail - nat, c = base + room * room;
                size_t at = (size_t)k * (N + 1) + j;
                if (c < cost[at]) {
                    cost[at] = c;
                    from[at] = s;
                }
            }
        }
    }
    int rc = -1;
    if (cost[(size_t)n * (N + 1) + N] < HUGE_VAL) {
        struct gw_line *out = gw_xmalloc((size_t)n * sizeof(*out));
        for (int k = n, j = N; k > 0; k--) {
            int s = from[(size_t)k * (N + 1) + j];
            out[k - 1] = (struct gw_line){s, j, k == 1 ? b->o.indent : b->o.rest_indent, j == N};
            j = s;
        }
        *lines = out;
        rc = 0;
    }
    free(W);
    free(cost);
    free(from);
    return rc;
}

/*
 * Whether a break before atom j of a title falls between words, as far as
 * a few characters tell without a dictionary: anywhere but between two Han
 * characters; after 的 和 与 及 暨 (joining words) or before 关(于) 第 暨 (a
 * phrase's start).
 */
static bool word_boundary(const struct gw_atom *a, int n, int j)
{
    static const uint32_t after[] = {0x7684 /*的*/, 0x548C /*和*/, 0x4E0E /*与*/, 0x53CA /*及*/,
                                     0x66A8 /*暨*/};
    static const uint32_t before[] = {0x5173 /*关*/, 0x7B2C /*第*/, 0x66A8 /*暨*/};
    if (!is_han(&a[j - 1]) || !is_han(&a[j]))
        return true;
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++)
        if (a[j - 1].cp == after[i])
            return true;
    for (size_t i = 0; i < sizeof before / sizeof before[0]; i++)
        if (a[j].cp == before[i] && (a[j].cp != 0x5173 || (j + 1 < n && a[j + 1].cp == 0x4E8E /*于*/)))
            return true;
    return false;
}

/*
 * Balanced lines are even, but an even break may fall inside a word
 * ("第三届理 / 事会"). Move each break that falls between two Han
 * characters to a word boundary at most two characters away, when both
 * lines it parts still fit the full measure and differ by at most 4 字
 * (nearer first, earlier first). Failing that, to a 关于 up to four
 * characters away, the lines differing by up to 8 字: the organ's name
 * over "关于…的函" is the common shape of a 文件 title, and better than
 * "关于商 / 请协助".
 * Returns the measure the lines now need (the balanced one, or wider).
 */
static double move_to_word_breaks(struct gw_breaker *b, struct gw_line *ln, int m, double full)
{
    double widest = b->o.width;
    double *W = prefix_sums(b), *S = W + b->n + 1;
    for (int k = 0; k + 1 < m; k++) {
        int j = ln[k].end;
        if (word_boundary(b->a, b->n, j))
            continue;
        for (int d = 1; d <= 4; d++) {
            int cand[2] = {j - d, j + d}, moved = 0;
            for (int c = 0; c < 2 && !moved; c++) {
                int t = cand[c];
                if (t <= ln[k].start || t >= ln[k + 1].end || !b->brk[t] ||
                    !word_boundary(b->a, b->n, t))
                    continue;
                bool guanyu = t + 1 < b->n && b->a[t].cp == 0x5173 /*关*/ &&
                              b->a[t + 1].cp == 0x4E8E /*于*/;
                if (d > 2 && !guanyu)
                    continue;
                double shr, w1 = line_width(b, W, S, ln[k].start, t, &shr) - shr;
                double w2 = line_width(b, W, S, t, ln[k + 1].end, &shr) - shr;
                if (w1 > full - ln[k].indent + EPS || w2 > full - ln[k + 1].indent + EPS ||
                    fabs(w1 - w2) > (d > 2 ? 8 : 4) * b->a[t].em + EPS)
                    continue; /* (a 梯形 stays a 梯形: at most 4 字 between the two) */
                ln[k].end = ln[k + 1].start = t;
                widest = fmax(widest, fmax(w1 + ln[k].indent, w2 + ln[k + 1].indent));
                moved = 1;
            }
            if (moved)
                break;
        }
    }
    free(W);
    return widest;
}

/*
 * Balanced lines: count the lines at the full measure, then search for the
 * narrowest measure (to 0.05 pt) that still gives no more lines. First fit
 * never needs more lines at a wider measure, so the search is a bisection.
 * The narrowest line a measure may come down to is the widest unbreakable
 * unit. At that measure the breaks are then chosen to make the lines as
 * even as possible (balance_dp); first fit's lines at it are kept for a
 * paragraph too long for that.
 */
int gw_breaker_balance(struct gw_breaker *b, struct gw_line **lines)
{
    int n = gw_breaker_lines(b, lines);
    if (n < 2)
        return n;
    double full = b->o.width;
    double lo = gw_breaker_min_width(b) + fmax(b->o.indent, b->o.rest_indent), hi = full;
    if (lo > hi)
        lo = hi;
    while (hi - lo > 0.05) {
        double mid = (lo + hi) / 2;
        struct gw_line *try;
        b->o.width = mid;
        int m = gw_breaker_lines(b, &try);
        free(try);
        if (m <= n)
            hi = mid;
        else
            lo = mid;
    }
    b->o.width = hi;
    struct gw_line *best;
    int m = gw_breaker_lines(b, &best);
    if (m > n) { /* (a measure never gives more lines than a wider one; kept safe) */
        free(best);
        b->o.width = full;
        return n;
    }
    free(*lines);
    *lines = best;
    struct gw_line *even;
    if (m <= BALANCE_MAX_LINES && b->n <= BALANCE_MAX_ATOMS && balance_dp(b, m, &even) == 0) {
        free(*lines);
        *lines = even;
    }
    b->o.width = move_to_word_breaks(b, *lines, m, full);
    return m;
}

double gw_breaker_width(const struct gw_breaker *b)
{
    return b->o.width;
}

/*
 * Stretch between characters, never inside —— or ……, and inside a Latin
 * word or number only when the line has no other gap (clreq stretch order:
 * Western words keep their letter spacing).
 */
void gw_break_stretch(const struct gw_atom *a, int s, int li, double diff, double *gap)
{
    int gaps = 0;
    for (int pass = 0; pass < 2 && gaps == 0; pass++) {
        for (int i = s; i < li; i++) {
            bool unit = (a[i].cp == 0x2014 || a[i].cp == 0x2026) && a[i + 1].cp == a[i].cp;
            bool word = is_wordish(a[i].cp) && is_wordish(a[i + 1].cp);
            if (!unit && (pass == 1 || !word))
                gap[i - s] = 1, gaps++;
        }
    }
    for (int i = s; i < li; i++)
        gap[i - s] = gaps ? gap[i - s] * diff / gaps : 0;
}

double gw_breaker_place(struct gw_breaker *b, const struct gw_line *ln, double *x, double *w)
{
    const struct gw_atom *a = b->a;
    const struct gw_break_opts *o = &b->o;
    struct prep p = b->p;
    if (o->grid)
        return gw_grid_place(b, ln, x, w);
    int s = ln->start, e = ln->end;
    int li = gw_break_last_ink(a, s, e);
    for (int i = s; i < e; i++) {
        w[i - s] = p.w[i];
        x[i - s] = 0;
    }
    double startcut = start_cut(a, &p, o, s);
    if (startcut > 0 && s < e) {
        w[0] -= startcut;
        x[0] = 0; /* set below: drawn startcut left of the margin, ink on it */
    }
    double endshift = 0;
    if (li >= s) {
        w[li - s] -= end_cut(a, &p, li);
        if (a[li].punct == GW_PUNCT_MIDDLE)
            endshift = end_cut(a, &p, li) / 2;
    }
    for (int i = li + 1; i < e; i++)
        w[i - s] = 0; /* trailing spaces vanish */
    double nat = 0;
    for (int i = s; i < e; i++)
        nat += w[i - s];
    double avail = o->width - ln->indent;
    double diff = avail - nat;
    double *gap = gw_xcalloc((size_t)(e - s) + 1, sizeof(double));
    bool shrink = diff < -EPS; /* the breaker counted on compression: always honour it */
    if (shrink) {
        double total = 0;
        for (int i = s; i < li; i++)
            if (i > s || a[i].punct == GW_PUNCT_CLOSE)
                total += p.shrink[i];
        double r = total > 0 ? -diff / total : 0;
        if (r > 1)
            r = 1;
        for (int i = s; i < li; i++) {
            if (i == s && a[i].punct != GW_PUNCT_CLOSE)
                continue; /* keep a line-start bracket whole: lines start on the margin */
            double cut = p.shrink[i] * r;
            w[i - s] -= cut;
            if (a[i].punct == GW_PUNCT_OPEN)
                x[i - s] = -cut; /* remembered below as extra left shift */
            else if (a[i].punct == GW_PUNCT_MIDDLE)
                x[i - s] = -cut / 2;
        }
    } else if (o->justify && !ln->last && diff > EPS) {
        gw_break_stretch(a, s, li, diff, gap);
    }
    double pen = 0;
    for (int i = s; i < e; i++) {
        double extra = shrink ? x[i - s] : 0;
        x[i - s] = pen - p.cutl[i] + extra - (i == li ? endshift : 0) - (i == s ? startcut : 0);
        pen += w[i - s] + gap[i - s];
    }
    free(gap);
    return pen;
}
