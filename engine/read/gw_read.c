/*
 * gw_read: the reader (see gw_read.h and docs/input-format.md).
 *
 * Owns the bytes and the explicit syntax: the UTF-8 check, splitting lines,
 * header keys, 【】 lines, pipe tables and images. What a line is when it
 * carries no mark (the masthead, a headline, a closing...) is decided in
 * gw_zone.c from the shapes in gw_shape.c.
 */
#include "gw_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/gw_buf.h"
#include "../util/gw_nearest.h"
#include "../util/gw_utf8.h"
#include "gw_read_int.h"


/*
 * Header keys: canonical Chinese name first, then accepted aliases. 主送,
 * 附件, 署名, 成文日期 and 附注 are keys too, but they make body nodes
 * (gw_zone.c), not fields; 题目, 副题 and 正文 mark body lines only; 标题
 * is the headline under a 文件-family 版式 (gw_zone.c). 签发, 发文机关,
 * 签名章 and 印章 may repeat (joint documents, GB/T 9704 §7.2.4, §7.2.6,
 * §7.3.5.1, §7.3.5.3: one value a line, the 主办机关's first).
 */
static const char *const key_table[][4] = {
    {"主办", "organizer", NULL},
    {"签发", "signer", "签发人", NULL},
    {"主送", "addressee", NULL},
    {"附件", "attachment", NULL},
    {"署名", "signature", NULL},
    {"成文日期", "signed", NULL},
    {"附注", "note", NULL},
    {"题目", "headline", NULL},
    {"副题", "subtitle", NULL},
    {"正文", "text", NULL},
    {"标题", "title", NULL},
    {"期号", "issue", NULL},
    {"总期号", "total-issue", "总期", NULL},
    {"编发", "issuer", "编发单位", NULL},
    {"日期", "date", NULL},
    {"版式", "layout", NULL},
    {"报", "report-to", NULL},
    {"送", "send-to", NULL},
    {"发", "distribute-to", NULL},
    {"抄送", "cc", NULL},
    {"印发", "printed-by", NULL},
    {"印数", "copies", NULL},
    /* the 文件 formats (docs/formats.md): 版头, 落款 and 版记 fields */
    {"份号", "copy-number", NULL},
    {"密级", "classification", NULL},
    {"紧急程度", "urgency", NULL},
    {"发文机关标志", "issuer-mark", NULL},
    {"发文机关", "issuing-organ", NULL},
    {"发文字号", "doc-number", "令号", NULL},
    {"印章", "seal", NULL},
    {"签名章", "signature-seal", NULL},
    {"印发机关", "printing-office", NULL},
    {"印发日期", "printing-date", NULL},
    {"出席", "present", NULL},
    {"请假", "on-leave", NULL},
    {"列席", "attending", NULL},
};

const char *gw_read_canonical_key(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof key_table / sizeof key_table[0]; i++)
        for (int k = 0; k < 4 && key_table[i][k]; k++)
            if (strlen(key_table[i][k]) == len && strncmp(key_table[i][k], name, len) == 0)
                return key_table[i][0];
    return NULL;
}

char *gw_read_file(const char *path, size_t *len)
{
    /*
     * open, fstat and one read of the file's size and a byte more (a short
     * read is the end), instead of stdio: a build reads some 30 files
     * (plugins and their compiled chunks), and stdio's buffer and extra
     * read were a fifth of their cost. Reads go on while the file grows.
     */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *s = gw_read_fd(fd, len);
    int e = errno;
    close(fd);
    errno = e;
    return s;
}

char *gw_read_fd(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : errno;
        return NULL;
    }
    struct gw_buf b;
    gw_buf_init(&b);
    size_t want = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
    for (;;) {
        if (b.len + want > GW_READ_MAX_INPUT + 1)
            want = GW_READ_MAX_INPUT + 1 - b.len;
        gw_buf_grow(&b, want);
        ssize_t n = read(fd, b.data + b.len, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            gw_buf_free(&b);
            errno = EIO;
            return NULL;
        }
        b.len += (size_t)n;
        if (b.len > GW_READ_MAX_INPUT) {
            gw_buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        if (n == 0 || (S_ISREG(st.st_mode) && (size_t)n < want))
            break; /* the end */
        want = 65536;
    }
    b.data[b.len] = '\0'; /* gw_buf_grow left room for it */
    return gw_buf_detach(&b, len);
}

/* Is cp white space for trimming (ASCII blanks, ideographic space, BOM/ZWNBSP)? */
static bool is_blank(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xFEFF || cp == 0xA0;
}

void gw_read_trim(const char **sp, size_t *lenp, int *col)
{
    const char *s = *sp;
    size_t len = *lenp, i = 0;
    while (i < len) {
        size_t j = i;
        if (!is_blank(gw_utf8_next(s, len, &j)))
            break;
        i = j;
        (*col)++;
    }
    s += i;
    len -= i;
    /* trailing: step back over blanks, one character at a time (the line is valid UTF-8) */
    size_t end = len;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
            start--;
        size_t k = start;
        if (!is_blank(gw_utf8_next(s, end, &k)) || k != end)
            break;
        end = start;
    }
    *sp = s;
    *lenp = end;
}

/* A gw_line of (s, len) at lineno:col, trimmed. */
static struct gw_line sub_line(const char *s, size_t len, int lineno, int col)
{
    struct gw_line l = {.s = s, .len = len, .lineno = lineno, .col = col};
    gw_read_trim(&l.s, &l.len, &l.col);
    return l;
}

/*
 * Position tracking shared by every diagnostic the reader makes before the
 * tree exists: LF, CRLF and lone CR each end a line, a leading BOM takes no
 * column, and columns count code points (an invalid byte counts as one).
 */
struct cursor {
    size_t i; /* byte offset */
    int line, col;
};

static void cursor_init(struct cursor *c, const char *src, size_t len)
{
    c->i = (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    c->line = 1;
    c->col = 1;
}

/* Step over one character (or one invalid byte, or one line break). */
static void cursor_step(struct cursor *c, const char *src, size_t len)
{
    if (src[c->i] == '\r' || src[c->i] == '\n') {
        c->i += (src[c->i] == '\r' && c->i + 1 < len && src[c->i + 1] == '\n') ? 2 : 1;
        c->line++;
        c->col = 1;
        return;
    }
    gw_utf8_next(src, len, &c->i);
    c->col++;
}

/* The position of byte offset `at`. */
static struct cursor cursor_at(const char *src, size_t len, size_t at)
{
    struct cursor c;
    cursor_init(&c, src, len);
    while (c.i < at && c.i < len)
        cursor_step(&c, src, len);
    return c;
}

struct gw_span gw_read_at(struct gw_reader *r, int line, int col)
{
    struct gw_span s = {r->doc->file, line, col};
    return s;
}

struct gw_node *gw_read_add_field(struct gw_reader *r, const char *key, const char *val,
                                  size_t len, int line, int col)
{
    const struct gw_node *was = gw_doc_field(r->doc, key);
    bool repeats = !strcmp(key, "签发") || !strcmp(key, "发文机关") || !strcmp(key, "签名章") ||
                   !strcmp(key, "印章");
    if (was && !repeats) { /* these repeat for a joint document */
        gw_diag_error(r->diag, gw_read_at(r, line, col),
                      "header field %s given twice (line %d and here); keep one of the two lines",
                      key, was->span.line);
        r->failed = 1;
        return NULL;
    }
    struct gw_node *n = gw_node_new(r->doc, GW_NODE_FIELD, gw_read_at(r, line, col), val, len);
    n->key = key;
    /* fields come before the body: after the last field, else first */
    struct gw_node *root = r->doc->root, *after = NULL;
    for (struct gw_node *f = root->first; f && f->type == GW_NODE_FIELD; f = f->next)
        after = f;
    n->parent = root;
    if (!after) {
        n->next = root->first;
        root->first = n;
    } else {
        n->next = after->next;
        after->next = n;
    }
    if (!n->next)
        root->last = n;
    return n;
}

/*
 * The key part of "key: value" (ASCII or full-width colon in the first 64
 * bytes), trimmed, with its column; *v is where the value starts. False if
 * the line has no colon there.
 */
static bool key_part(const struct gw_line *ln, const char **k, size_t *klen, int *kcol,
                     const char **v)
{
    const char *colon = NULL;
    size_t clen = 0;
    const char *a = memchr(ln->s, ':', ln->len < 64 ? ln->len : 64);
    const char *f = strstr(ln->s, "：");
    if (f && (size_t)(f - ln->s) >= 64)
        f = NULL;
    if (a && (!f || a < f))
        colon = a, clen = 1;
    else if (f)
        colon = f, clen = strlen("：");
    if (!colon)
        return false;
    *k = ln->s;
    *klen = (size_t)(colon - ln->s);
    *kcol = ln->col;
    gw_read_trim(k, klen, kcol);
    *v = colon + clen;
    return true;
}

/* "key: value" (ASCII or full-width colon) with a key of key_table. */
bool gw_read_key_line(const struct gw_line *ln, const char **key, struct gw_line *value)
{
    const char *k, *v;
    size_t klen;
    int kcol;
    if (!key_part(ln, &k, &klen, &kcol, &v))
        return false;
    *key = gw_read_canonical_key(k, klen);
    if (!*key)
        return false;
    int vcol = ln->col + (int)gw_utf8_count(ln->s, (size_t)(v - ln->s));
    *value = sub_line(v, ln->len - (size_t)(v - ln->s), ln->lineno, vcol);
    value->chars = (int)gw_utf8_count(value->s, value->len);
    return true;
}

const char *gw_read_near_key(const struct gw_line *ln, char *key, size_t keylen, int *col,
                             struct gw_line *value)
{
    const char *k, *v;
    size_t klen;
    if (!key_part(ln, &k, &klen, col, &v) || klen == 0 || klen >= keylen ||
        gw_read_canonical_key(k, klen))
        return NULL;
    size_t chars = gw_utf8_count(k, klen);
    if (chars > 8 || memchr(k, ' ', klen) || memchr(k, '\t', klen))
        return NULL; /* a sentence with a colon, not a key */
    memcpy(key, k, klen);
    key[klen] = '\0';
    /* names of one character (报, 送, 发) are one edit from every two-character word */
    const char *names[sizeof key_table / sizeof key_table[0] * 4 + 1];
    size_t n = 0;
    for (size_t i = 0; i < sizeof key_table / sizeof key_table[0]; i++)
        for (int j = 0; j < 4 && key_table[i][j]; j++)
            if (gw_utf8_count(key_table[i][j], strlen(key_table[i][j])) >= 2)
                names[n++] = key_table[i][j];
    names[n] = NULL;
    const char *near = gw_nearest(key, names);
    if (!near)
        return NULL;
    int vcol = ln->col + (int)gw_utf8_count(ln->s, (size_t)(v - ln->s));
    *value = sub_line(v, ln->len - (size_t)(v - ln->s), ln->lineno, vcol);
    value->chars = (int)gw_utf8_count(value->s, value->len);
    return gw_read_canonical_key(near, strlen(near));
}

struct gw_node *gw_read_node(struct gw_reader *r, enum gw_node_type type, const struct gw_line *ln)
{
    return gw_node_new(r->doc, type, gw_read_at(r, ln->lineno, ln->col), ln->s, ln->len);
}

/* "【heading】rest": a new section; rest (if any) is its first paragraph. */
void gw_read_section_line(struct gw_reader *r, const struct gw_line *ln)
{
    const char *close = strstr(ln->s, "】");
    struct gw_span sp = gw_read_at(r, ln->lineno, ln->col);
    if (!close || (size_t)(close - ln->s) > ln->len) {
        gw_diag_error(r->diag, sp, "section heading has no closing 】 (write 【heading】, or "
                                   "正文：… to make the line a paragraph)");
        r->failed = 1;
        return;
    }
    size_t open = strlen("【");
    struct gw_line h = sub_line(ln->s + open, (size_t)(close - ln->s) - open, ln->lineno,
                                ln->col + 1);
    if (h.len == 0) {
        gw_diag_error(r->diag, sp, "empty section heading 【】 (write a heading between the "
                                   "brackets, or delete them)");
        r->failed = 1;
        return;
    }
    const char *inner = strstr(ln->s + open, "【");
    if (inner && inner < close) {
        gw_diag_error(r->diag, sp, "nested 【 in a section heading (close the heading with 】 "
                                   "before the next 【)");
        r->failed = 1;
        return;
    }
    r->section = gw_node_new(r->doc, GW_NODE_SECTION, gw_read_at(r, ln->lineno, h.col), h.s, h.len);
    gw_node_append(r->doc->root, r->section);
    r->doc->nsections++;
    r->prev = NULL;
    const char *rest = close + strlen("】");
    int rcol = ln->col + (int)gw_utf8_count(ln->s, (size_t)(rest - ln->s));
    struct gw_line p = sub_line(rest, ln->len - (size_t)(rest - ln->s), ln->lineno, rcol);
    if (p.len) {
        gw_node_append(r->section, gw_read_node(r, GW_NODE_PARA, &p));
        r->doc->nparas++;
    }
}

void gw_read_section_append(struct gw_reader *r, struct gw_node *n, const struct gw_line *ln)
{
    if (!r->section) {
        r->section = gw_node_new(r->doc, GW_NODE_SECTION, gw_read_at(r, ln->lineno, ln->col), "", 0);
        r->section->key = "implicit";
        gw_node_append(r->doc->root, r->section);
        r->doc->nsections++;
        r->prev = NULL;
    }
    r->prev = r->section->last;
    gw_node_append(r->section, n);
    if (n->type == GW_NODE_PARA)
        r->doc->nparas++;
}

/* Is the trimmed cell text an alignment cell like ---, :---, ---:, :---:, ---. (decimal)? */
static bool align_cell(const char *s, size_t len, char *align)
{
    if (len == 0)
        return false;
    bool left = s[0] == ':', right = s[len - 1] == ':', dot = s[len - 1] == '.';
    size_t dashes = 0;
    for (size_t i = left; i < len - (right || dot); i++) {
        if (s[i] != '-')
            return false;
        dashes++;
    }
    if (dashes == 0)
        return false;
    *align = dot ? 'd' : left && right ? 'c' : right ? 'r' : 'l';
    return true;
}

/*
 * "| a | b |" : a table row (bare: "a | b", no outer pipes, gw_zone.c). A first row of alignment cells (|---|:---:|)
 * after one or more rows makes those rows the header and sets each column's
 * alignment. A caption is the pending 【表】 line, or a paragraph "表1 …"
 * just above the table.
 */
bool gw_read_is_table_caption(const char *text)
{
    size_t n = strlen("表");
    return strncmp(text, "表", n) == 0 && ((text[n] >= '0' && text[n] <= '9') || text[n] == ' ');
}

void gw_read_table_line(struct gw_reader *r, const struct gw_line *ln, bool bare)
{
    struct gw_doc *doc = r->doc;
    if (!r->table) {
        struct gw_node *t = gw_node_new(doc, GW_NODE_TABLE, gw_read_at(r, ln->lineno, ln->col), "", 0);
        struct gw_node *last = r->section ? r->section->last : NULL;
        if (r->caption) {
            t->text = gw_arena_strndup(&doc->arena, r->caption, r->caption_len);
            t->len = r->caption_len;
            r->caption = NULL;
        } else if (last && last->type == GW_NODE_PARA && !last->key &&
                   last->span.line >= ln->lineno - 2 &&
                   (gw_read_is_table_caption(last->text) ||
                    (bare && last->len >= strlen("表") &&
                     !strcmp(last->text + last->len - strlen("表"), "表") &&
                     !gw_shape_has_stop(last->text, last->len)))) {
            /* "表1 …" (or, above a bare table, "…统计表") is its caption: out of the paragraphs */
            t->text = last->text;
            t->len = last->len;
            if (r->prev) {
                r->prev->next = NULL;
                r->section->last = r->prev;
            } else {
                r->section->first = r->section->last = NULL;
            }
            doc->nparas--;
        }
        t->bare = bare;
        gw_read_section_append(r, t, ln);
        r->table = t;
    }
    /* split on | (a leading and a trailing | are the row's edges) */
    const char *s = ln->s, *end = ln->s + ln->len;
    if (s < end && *s == '|')
        s++;
    if (end > s && end[-1] == '|')
        end--;
    struct gw_node *row = gw_node_new(doc, GW_NODE_ROW, gw_read_at(r, ln->lineno, ln->col), "", 0);
    char align[64];
    int ncells = 0, naligns = 0;
    for (const char *c = s; c <= end;) {
        const char *bar = memchr(c, '|', (size_t)(end - c));
        const char *ce = bar ? bar : end;
        int col = ln->col + (int)gw_utf8_count(ln->s, (size_t)(c - ln->s));
        struct gw_line cell = sub_line(c, (size_t)(ce - c), ln->lineno, col);
        gw_node_append(row, gw_node_new(doc, GW_NODE_CELL, gw_read_at(r, ln->lineno, cell.col),
                                        cell.s, cell.len));
        if (naligns < 63 && align_cell(cell.s, cell.len, &align[naligns]))
            naligns++;
        ncells++;
        if (!bar)
            break;
        c = bar + 1;
    }
    if (naligns == ncells && ncells > 0 && r->table->first && !r->table->key) {
        align[naligns] = '\0';
        r->table->key = gw_arena_strdup(&doc->arena, align);
        for (struct gw_node *h = r->table->first; h; h = h->next)
            h->key = "head";
        return;
    }
    if (ncells > r->table->ncols)
        r->table->ncols = ncells;
    if (bare && r->table->first && r->table->first == r->table->last)
        r->table->first->key = "head"; /* a bare table's first row is its header */
    gw_node_append(r->table, row);
}

/* "![caption](path)" alone on a line: an image. */
bool gw_read_image_line(struct gw_reader *r, const struct gw_line *ln)
{
    if (ln->len < 5 || strncmp(ln->s, "![", 2) != 0 || ln->s[ln->len - 1] != ')')
        return false;
    const char *close = strstr(ln->s, "](");
    if (!close || close >= ln->s + ln->len - 2)
        return false;
    const char *path = close + 2;
    size_t plen = (size_t)(ln->s + ln->len - 1 - path);
    if (plen == 0)
        return false;
    struct gw_node *img = gw_node_new(r->doc, GW_NODE_IMAGE, gw_read_at(r, ln->lineno, ln->col),
                                      ln->s + 2, (size_t)(close - ln->s - 2));
    img->key = gw_arena_strndup(&r->doc->arena, path, plen);
    gw_read_section_append(r, img, ln);
    return true;
}

/* Report the first invalid byte of src with its line, column and offset. */
static void report_bad_utf8(struct gw_reader *r, const char *src, size_t len, size_t bad)
{
    struct cursor c = cursor_at(src, len, bad);
    gw_diag_error(r->diag, gw_read_at(r, c.line, c.col),
                  "invalid UTF-8 (byte 0x%02X at offset %zu); save the file as UTF-8 or use --lossy",
                  (unsigned char)src[bad], bad);
}

/* Copy src replacing invalid sequences with U+FFFD; warn once per line. */
static char *make_lossy(struct gw_reader *r, const char *src, size_t len, size_t *outlen)
{
    struct gw_buf b;
    gw_buf_init(&b);
    struct cursor c;
    cursor_init(&c, src, len);
    gw_buf_add(&b, src, c.i); /* the BOM, if any */
    int warned_line = 0;
    while (c.i < len) {
        size_t at0 = c.i, j = c.i;
        if (gw_utf8_next(src, len, &j) < 0) {
            if (warned_line != c.line) {
                gw_diag_warning(r->diag, gw_read_at(r, c.line, c.col),
                                "invalid UTF-8 byte 0x%02X at offset %zu replaced with U+FFFD",
                                (unsigned char)src[at0], at0);
                warned_line = c.line;
            }
            gw_buf_add_utf8(&b, 0xFFFD);
            cursor_step(&c, src, len);
            continue;
        }
        cursor_step(&c, src, len);
        gw_buf_add(&b, src + at0, c.i - at0);
    }
    return gw_buf_detach(&b, outlen);
}

/* Split src into its non-blank lines (r->lines), each an arena copy, trimmed. */
static void split_lines(struct gw_reader *r, const char *src, size_t len)
{
    struct gw_doc *doc = r->doc;
    size_t pos = 0, cap = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* byte-order mark */
    int lineno = 0;
    bool blank = true;
    bool gap = false; /* a blank line since the last line of any kind (for comments) */
    while (pos < len) {
        size_t start = pos;
        { /* to the first LF or CR: memchr, as lines are long and CRs rare */
            const char *nl = memchr(src + pos, '\n', len - pos);
            const char *cr = memchr(src + pos, '\r', (nl ? (size_t)(nl - src) : len) - pos);
            pos = cr ? (size_t)(cr - src) : nl ? (size_t)(nl - src) : len;
        }
        struct gw_line ln = sub_line(src + start, pos - start, ++lineno, 1);
        if (pos < len && src[pos] == '\r' && pos + 1 < len && src[pos + 1] == '\n')
            pos += 2;
        else if (pos < len)
            pos++;
        if (ln.len == 0) {
            blank = gap = true;
            continue;
        }
        if (ln.len >= 2 && ln.s[0] == '/' && ln.s[1] == '/') {
            /* a comment line (gongwen new's starters): neither text nor blank; kept for fix */
            gw_doc_add_comment(r->doc, ln.lineno, gap, ln.s, ln.len);
            gap = false;
            continue;
        }
        size_t chars = gw_utf8_count(ln.s, ln.len);
        if (chars > GW_MAX_PARA_CHARS) { /* the layout's memory grows with a paragraph */
            gw_diag_error(r->diag, gw_read_at(r, ln.lineno, ln.col),
                          "the line holds %zu characters; a paragraph may hold at most %d "
                          "(break it into paragraphs)",
                          chars, GW_MAX_PARA_CHARS);
            r->failed = 1;
            continue;
        }
        ln.chars = (int)chars;
        ln.blank_before = blank;
        blank = gap = false;
        /* a NUL-terminated arena copy for the str* helpers */
        ln.s = gw_arena_strndup(&doc->arena, ln.s, ln.len);
        if ((size_t)r->nlines == cap) {
            cap = cap ? 2 * cap : 64;
            struct gw_line *more = gw_arena_array(&doc->arena, cap, sizeof(*more));
            if (r->nlines)
                memcpy(more, r->lines, (size_t)r->nlines * sizeof(*more));
            r->lines = more;
        }
        r->lines[r->nlines++] = ln;
    }
}

int gw_read(struct gw_doc *doc, const char *src, size_t len, const struct gw_read_opts *opts,
            struct gw_diag *diag)
{
    struct gw_reader r = {.doc = doc, .diag = diag};
    char *owned = NULL;
    if (len > GW_READ_MAX_INPUT) {
        gw_diag_error(diag, gw_span_file(doc->file), "input is larger than %u MiB",
                      GW_READ_MAX_INPUT / (1024 * 1024));
        return -1;
    }
    size_t bad = gw_utf8_check(src, len);
    if (bad < len) {
        if (!opts || !opts->lossy) {
            report_bad_utf8(&r, src, len, bad);
            return -1;
        }
        owned = make_lossy(&r, src, len, &len);
        src = owned;
    }
    /* NUL bytes: an error at their position (they cannot appear in text). */
    const char *nul = memchr(src, '\0', len);
    if (nul) {
        struct cursor c = cursor_at(src, len, (size_t)(nul - src));
        gw_diag_error(diag, gw_read_at(&r, c.line, c.col), "NUL byte in the input (offset %zu)",
                      (size_t)(nul - src));
        free(owned);
        return -1;
    }
    split_lines(&r, src, len);
    int from = gw_zone_header(&r), nlines = r.nlines;
    int tail = gw_tail_find(&r, from);
    r.nlines = tail; /* the body, and its closing, end where the 版记 starts */
    gw_zone_body(&r, from);
    r.nlines = nlines;
    gw_tail_read(&r, tail);
    free(owned);
    return r.failed ? -1 : 0;
}
