/*
 * gw_uax14_gen: build-time generator of gw_uax14_table.inc (host tool).
 *
 *   gw_uax14_gen UCD_DIR OUT.inc
 *
 * Reads four files of the Unicode Character Database under UCD_DIR (Debian's
 * unicode-data package installs them in /usr/share/unicode):
 *   LineBreak.txt          Line_Break class of every code point
 *   EastAsianWidth.txt     F, W, H -> GW_UAX14_WIDE
 *   UnicodeData.txt        General_Category Mn/Mc -> GW_UAX14_MARK,
 *                          code points absent from it -> GW_UAX14_CN
 *   emoji/emoji-data.txt   Extended_Pictographic -> GW_UAX14_EXTPICT
 * and writes one sorted, gap-free table of ranges {first, last, class, flags}
 * covering U+0000..U+10FFFF, merged wherever neighbours agree. "# @missing"
 * defaults are honoured. The output is C included by gw_uax14.c only; it is
 * a build product and is never committed. The generator owns nothing else.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCP 0x110000u

/* Must match the GW_UAX14_* flags in gw_uax14.h. */
#define F_WIDE    1u
#define F_EXTPICT 2u
#define F_MARK    4u
#define F_CN      8u

/* Every Line_Break value UAX #14 (Unicode 15.0) defines; emitted as GW_LB_<name>. */
static const char *const lb_names[] = {
    "BK", "CR", "LF", "NL", "SP", "ZW", "ZWJ", "CM", "WJ", "GL", "BA", "BB", "B2", "HY", "CB",
    "CL", "CP", "EX", "IN", "NS", "OP", "QU",  "IS", "NU", "PO", "PR", "SY", "AL", "HL", "ID",
    "EB", "EM", "H2", "H3", "JL", "JV", "JT",  "RI", "AI", "SG", "XX", "SA", "CJ",
};
#define NLB (sizeof lb_names / sizeof *lb_names)

static unsigned char *cls;   /* index into lb_names, per code point */
static unsigned char *flags; /* F_*, per code point */
static char version[32] = "unknown";

/* Print a message and exit: the build must stop rather than ship a wrong table. */
static void die(const char *file, long line, const char *msg)
{
    if (line > 0)
        fprintf(stderr, "gw_uax14_gen: %s:%ld: %s\n", file, line, msg);
    else
        fprintf(stderr, "gw_uax14_gen: %s: %s\n", file, msg);
    exit(1);
}

/* Trim leading and trailing blanks in place; returns the start. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Parse "XXXX" or "XXXX..YYYY" into [*lo, *hi]; 0 on success. */
static int parse_range(const char *s, unsigned long *lo, unsigned long *hi)
{
    char *end;
    *lo = strtoul(s, &end, 16);
    if (end == s)
        return -1;
    *hi = *lo;
    if (end[0] == '.' && end[1] == '.') {
        const char *t = end + 2;
        *hi = strtoul(t, &end, 16);
        if (end == t)
            return -1;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (*end != '\0' || *lo > *hi || *hi >= NCP)
        return -1;
    return 0;
}

/* Index of a Line_Break value name, or -1. */
static int lb_index(const char *name)
{
    for (size_t i = 0; i < NLB; i++)
        if (strcmp(lb_names[i], name) == 0)
            return (int)i;
    return -1;
}

/*
 * Read a "range ; value # comment" file, calling fn for each data line and
 * for each "# @missing: range; value" default (the UCD puts those first, so
 * file order gives explicit values precedence). Keeps the first line's
 * "Name-X.Y.Z.txt" version when want_version is set.
 */
static void read_ranges(const char *path,
                        void (*fn)(const char *file, long line, unsigned long lo, unsigned long hi,
                                   const char *value),
                        int want_version)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(path, 0, "cannot open (is the unicode-data package installed?)");
    char buf[1024];
    long lineno = 0;
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        char *s = buf;
        if (lineno == 1 && want_version) {
            char *dash = strchr(s, '-'), *txt = strstr(s, ".txt");
            if (dash && txt && txt > dash && (size_t)(txt - dash - 1) < sizeof version) {
                memcpy(version, dash + 1, (size_t)(txt - dash - 1));
                version[txt - dash - 1] = '\0';
            }
        }
        if (strncmp(s, "# @missing:", 11) == 0) {
            s += 11;
        } else {
            char *hash = strchr(s, '#');
            if (hash)
                *hash = '\0';
        }
        s = trim(s);
        if (*s == '\0')
            continue;
        char *semi = strchr(s, ';');
        if (!semi)
            die(path, lineno, "expected 'range ; value'");
        *semi = '\0';
        unsigned long lo, hi;
        if (parse_range(trim(s), &lo, &hi) != 0)
            die(path, lineno, "bad code point range");
        fn(path, lineno, lo, hi, trim(semi + 1));
    }
    fclose(f);
}

/* LineBreak.txt: the class. */
static void on_linebreak(const char *file, long line, unsigned long lo, unsigned long hi,
                         const char *value)
{
    int c = lb_index(value);
    if (c < 0)
        die(file, line, "unknown Line_Break value");
    memset(cls + lo, c, hi - lo + 1);
}

/* EastAsianWidth.txt: F, W and H set the wide flag; other values clear it. */
static void on_eaw(const char *file, long line, unsigned long lo, unsigned long hi,
                   const char *value)
{
    int wide = strcmp(value, "F") == 0 || strcmp(value, "W") == 0 || strcmp(value, "H") == 0;
    if (!wide && strcmp(value, "N") != 0 && strcmp(value, "Na") != 0 && strcmp(value, "A") != 0)
        die(file, line, "unknown East_Asian_Width value");
    for (unsigned long cp = lo; cp <= hi; cp++)
        flags[cp] = (unsigned char)(wide ? flags[cp] | F_WIDE : flags[cp] & ~F_WIDE);
}

/* emoji-data.txt: only Extended_Pictographic matters here. */
static void on_emoji(const char *file, long line, unsigned long lo, unsigned long hi,
                     const char *value)
{
    (void)file;
    (void)line;
    if (strcmp(value, "Extended_Pictographic") != 0)
        return;
    for (unsigned long cp = lo; cp <= hi; cp++)
        flags[cp] |= F_EXTPICT;
}

/* Mark [lo, hi] assigned with General_Category gc. */
static void set_gc(unsigned long lo, unsigned long hi, const char *gc)
{
    int mark = strcmp(gc, "Mn") == 0 || strcmp(gc, "Mc") == 0;
    for (unsigned long cp = lo; cp <= hi; cp++) {
        flags[cp] &= (unsigned char)~F_CN;
        if (mark)
            flags[cp] |= F_MARK;
    }
}

/*
 * UnicodeData.txt: "cp;name;gc;...". Ranges are given as a pair of lines
 * whose names end in ", First>" and ", Last>". Everything not listed is Cn.
 */
static void read_unicodedata(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(path, 0, "cannot open (is the unicode-data package installed?)");
    char buf[1024];
    long lineno = 0;
    long first = -1;
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        char *field[3];
        char *s = buf;
        int k;
        for (k = 0; k < 3; k++) {
            field[k] = s;
            char *semi = strchr(s, ';');
            if (!semi)
                break;
            *semi = '\0';
            s = semi + 1;
        }
        if (k < 3)
            die(path, lineno, "expected 'cp;name;gc;...'");
        unsigned long cp, hi;
        if (parse_range(field[0], &cp, &hi) != 0 || cp != hi)
            die(path, lineno, "bad code point");
        size_t nlen = strlen(field[1]);
        if (nlen > 8 && strcmp(field[1] + nlen - 8, ", First>") == 0) {
            first = (long)cp;
            continue;
        }
        if (nlen > 7 && strcmp(field[1] + nlen - 7, ", Last>") == 0) {
            if (first < 0 || (unsigned long)first > cp)
                die(path, lineno, "', Last>' without its ', First>'");
            set_gc((unsigned long)first, cp, field[2]);
            first = -1;
            continue;
        }
        set_gc(cp, cp, field[2]);
    }
    fclose(f);
}

/* Join dir and name into a static buffer. */
static const char *join(const char *dir, const char *name)
{
    static char buf[4096];
    if ((size_t)snprintf(buf, sizeof buf, "%s/%s", dir, name) >= sizeof buf)
        die(dir, 0, "path too long");
    return buf;
}

/* Write the merged range table as C (via a temporary file, so a failed run leaves no output). */
static void write_table(const char *path)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        die(path, 0, "path too long");
    FILE *out = fopen(tmp, "w");
    if (!out)
        die(tmp, 0, "cannot create");
    fprintf(out, "/* Generated by gw_uax14_gen from the Unicode %s data files. Do not edit. */\n",
            version);
    fprintf(out, "#define GW_UAX14_UNICODE_VERSION \"%s\"\n", version);
    fprintf(out, "static const struct gw_uax14_range gw_uax14_table[] = {\n");
    unsigned long nranges = 0;
    unsigned long lo = 0;
    for (unsigned long cp = 1; cp <= NCP; cp++) {
        if (cp < NCP && cls[cp] == cls[lo] && flags[cp] == flags[lo])
            continue;
        fprintf(out, "    {0x%05lX, 0x%05lX, GW_LB_%s, 0x%X},\n", lo, cp - 1, lb_names[cls[lo]],
                flags[lo]);
        nranges++;
        lo = cp;
    }
    fprintf(out, "};\n");
    fprintf(out, "#define GW_UAX14_NRANGES %lu\n", nranges);
    if (ferror(out) | fclose(out)) {
        remove(tmp);
        die(tmp, 0, "write failed");
    }
    if (rename(tmp, path) != 0)
        die(path, 0, "cannot rename the temporary file into place");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gw_uax14_gen UCD_DIR OUT.inc\n");
        return 2;
    }
    cls = malloc(NCP);
    flags = malloc(NCP);
    if (!cls || !flags)
        die("gw_uax14_gen", 0, "out of memory");
    memset(cls, lb_index("XX"), NCP);
    memset(flags, F_CN, NCP);

    read_ranges(join(argv[1], "LineBreak.txt"), on_linebreak, 1);
    read_ranges(join(argv[1], "EastAsianWidth.txt"), on_eaw, 0);
    read_ranges(join(argv[1], "emoji/emoji-data.txt"), on_emoji, 0);
    read_unicodedata(join(argv[1], "UnicodeData.txt"));
    write_table(argv[2]);
    free(cls);
    free(flags);
    return 0;
}
