/*
 * gw_read: the reader (see gw_read.h and docs/input-format.md).
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
#include "../util/gw_utf8.h"


/* Header keys: canonical Chinese name first, then accepted aliases. */
static const char *const key_table[][4] = {
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
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        close(fd);
        errno = e;
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
            close(fd);
            gw_buf_free(&b);
            errno = EIO;
            return NULL;
        }
        b.len += (size_t)n;
        if (b.len > GW_READ_MAX_INPUT) {
            close(fd);
            gw_buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        if (n == 0 || (S_ISREG(st.st_mode) && (size_t)n < want))
            break; /* the end */
        want = 65536;
    }
    close(fd);
    b.data[b.len] = '\0'; /* gw_buf_grow left room for it */
    return gw_buf_detach(&b, len);
}

/* Is cp white space for trimming (ASCII blanks, ideographic space, BOM/ZWNBSP)? */
static bool is_blank(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xFEFF || cp == 0xA0;
}

struct line {
    const char *s; /* trimmed text */
    size_t len;
    int lineno;
    int col; /* 1-based code-point column of s */
};

/* Trim blanks at both ends; col becomes the column of the first kept char. */
static void trim(struct line *ln)
{
    size_t i = 0;
    int col = 1;
    while (i < ln->len) {
        size_t j = i;
        if (!is_blank(gw_utf8_next(ln->s, ln->len, &j)))
            break;
        i = j;
        col++;
    }
    ln->s += i;
    ln->len -= i;
    ln->col = col;
    /* trailing: step back over blanks, one character at a time (the line is valid UTF-8) */
    size_t end = ln->len;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && ((unsigned char)ln->s[start] & 0xC0) == 0x80)
            start--;
        size_t k = start;
        if (!is_blank(gw_utf8_next(ln->s, end, &k)) || k != end)
            break;
        end = start;
    }
    ln->len = end;
}

/* Looks like "2024年2月29日" (spaces allowed): the bare date line. */
static bool looks_like_date(const char *s, size_t len)
{
    return strstr(s, "年") && strstr(s, "月") && strstr(s, "日") && len < 40 &&
           strspn(s, "0123456789 ") > 0;
}

/* Looks like "2024 年第 1 期" / "第3期": the bare issue line. */
static bool looks_like_issue(const char *s, size_t len)
{
    const char *q = strstr(s, "期");
    return q && (size_t)(q - s) + strlen("期") == len && len < 60 && strstr(s, "第");
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

struct reader {
    struct gw_doc *doc;
    struct gw_diag *diag;
    struct gw_node *section; /* current section, NULL in the header */
    struct gw_node *table;   /* the table whose rows are being read, or NULL */
    struct gw_node *prev;    /* the section's child before its last one (for unlinking) */
    const char *caption;     /* a pending 【表】 caption for the next table */
    size_t caption_len;
    int failed;
};

static struct gw_span at(struct reader *r, int line, int col)
{
    struct gw_span s = {r->doc->file, line, col};
    return s;
}

static struct gw_node *add_field(struct reader *r, const char *key, const char *val, size_t len,
                                 int line, int col)
{
    if (gw_doc_field(r->doc, key)) {
        gw_diag_error(r->diag, at(r, line, col), "header field %s given twice", key);
        r->failed = 1;
        return NULL;
    }
    struct gw_node *n = gw_node_new(r->doc, GW_NODE_FIELD, at(r, line, col), val, len);
    n->key = key;
    gw_node_append(r->doc->root, n);
    return n;
}

/* A header line: "key: value" (ASCII or full-width colon) or a bare line. */
static void header_line(struct reader *r, struct line *ln)
{
    const char *colon = NULL;
    size_t clen = 0;
    const char *a = memchr(ln->s, ':', ln->len);
    const char *f = strstr(ln->s, "：");
    if (f && (size_t)(f - ln->s) >= ln->len)
        f = NULL;
    if (a && (!f || a < f))
        colon = a, clen = 1;
    else if (f)
        colon = f, clen = strlen("：");
    if (colon) {
        struct line k = {ln->s, (size_t)(colon - ln->s), ln->lineno, ln->col};
        trim(&k);
        const char *key = gw_read_canonical_key(k.s, k.len);
        if (key) {
            struct line v = {colon + clen, ln->len - (size_t)(colon + clen - ln->s), ln->lineno, 0};
            trim(&v);
            int col = ln->col + (int)gw_utf8_count(ln->s, (size_t)(v.s - ln->s));
            struct gw_node *n = add_field(r, key, v.s, v.len, ln->lineno, col);
            if (n)
                n->prefix = gw_arena_strndup(&r->doc->arena, ln->s, (size_t)(v.s - ln->s));
            return;
        }
    }
    const char *key;
    if (looks_like_issue(ln->s, ln->len) && !gw_doc_field(r->doc, "期号"))
        key = "期号";
    else if (looks_like_date(ln->s, ln->len) && !gw_doc_field(r->doc, "日期"))
        key = "日期";
    else if (!gw_doc_field(r->doc, "标题"))
        key = "标题";
    else if (!gw_doc_field(r->doc, "编发"))
        key = "编发";
    else {
        gw_diag_error(r->diag, at(r, ln->lineno, ln->col),
                      "text before the first 【section】 heading, and the header already has "
                      "its title, issue, issuer and date");
        r->failed = 1;
        return;
    }
    add_field(r, key, ln->s, ln->len, ln->lineno, ln->col);
}

/* "【heading】rest": a new section; rest (if any) is its first paragraph. */
static void section_line(struct reader *r, struct line *ln)
{
    const char *close = strstr(ln->s, "】");
    if (!close || (size_t)(close - ln->s) > ln->len) {
        gw_diag_error(r->diag, at(r, ln->lineno, ln->col), "section heading has no closing 】");
        r->failed = 1;
        return;
    }
    size_t open = strlen("【");
    struct line h = {ln->s + open, (size_t)(close - ln->s) - open, ln->lineno, 0};
    trim(&h);
    if (h.len == 0) {
        gw_diag_error(r->diag, at(r, ln->lineno, ln->col), "empty section heading 【】");
        r->failed = 1;
        return;
    }
    const char *inner = strstr(ln->s + open, "【");
    if (inner && inner < close) {
        gw_diag_error(r->diag, at(r, ln->lineno, ln->col), "nested 【 in a section heading");
        r->failed = 1;
        return;
    }
    int hcol = ln->col + 1 + (int)gw_utf8_count(ln->s + open, (size_t)(h.s - ln->s) - open);
    r->section = gw_node_new(r->doc, GW_NODE_SECTION, at(r, ln->lineno, hcol), h.s, h.len);
    gw_node_append(r->doc->root, r->section);
    r->doc->nsections++;
    const char *rest = close + strlen("】");
    struct line p = {rest, ln->len - (size_t)(rest - ln->s), ln->lineno, 0};
    trim(&p);
    if (p.len) {
        int pcol = ln->col + (int)gw_utf8_count(ln->s, (size_t)(p.s - ln->s));
        gw_node_append(r->section,
                       gw_node_new(r->doc, GW_NODE_PARA, at(r, ln->lineno, pcol), p.s, p.len));
        r->doc->nparas++;
    }
}

/* Append a child to the current section, remembering the one before it. */
static void section_append(struct reader *r, struct gw_node *n)
{
    r->prev = r->section->last;
    gw_node_append(r->section, n);
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
 * "| a | b |" : a table row. A first row of alignment cells (|---|:---:|)
 * after one or more rows makes those rows the header and sets each column's
 * alignment. A caption is the pending 【表】 line, or a paragraph "表1 …"
 * just above the table.
 */
bool gw_read_is_table_caption(const char *text)
{
    size_t n = strlen("表");
    return strncmp(text, "表", n) == 0 && ((text[n] >= '0' && text[n] <= '9') || text[n] == ' ');
}

static void table_line(struct reader *r, struct line *ln)
{
    struct gw_doc *doc = r->doc;
    if (!r->table) {
        struct gw_node *t = gw_node_new(doc, GW_NODE_TABLE, at(r, ln->lineno, ln->col), "", 0);
        struct gw_node *last = r->section->last;
        if (r->caption) {
            t->text = gw_arena_strndup(&doc->arena, r->caption, r->caption_len);
            t->len = r->caption_len;
            r->caption = NULL;
        } else if (last && last->type == GW_NODE_PARA && last->span.line >= ln->lineno - 2 &&
                   gw_read_is_table_caption(last->text)) {
            /* "表1 …" above the table is its caption: take it out of the paragraphs */
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
        section_append(r, t);
        r->table = t;
    }
    /* split on | (a leading and a trailing | are the row's edges) */
    const char *s = ln->s, *end = ln->s + ln->len;
    if (s < end && *s == '|')
        s++;
    if (end > s && end[-1] == '|')
        end--;
    struct gw_node *row = gw_node_new(doc, GW_NODE_ROW, at(r, ln->lineno, ln->col), "", 0);
    char align[64];
    int ncells = 0, naligns = 0;
    for (const char *c = s; c <= end;) {
        const char *bar = memchr(c, '|', (size_t)(end - c));
        const char *ce = bar ? bar : end;
        struct line cell = {c, (size_t)(ce - c), ln->lineno, 0};
        trim(&cell);
        int col = ln->col + (int)gw_utf8_count(ln->s, (size_t)(cell.s - ln->s));
        gw_node_append(row, gw_node_new(doc, GW_NODE_CELL, at(r, ln->lineno, col), cell.s,
                                        cell.len));
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
    gw_node_append(r->table, row);
}

/* "![caption](path)" alone on a line: an image. */
static bool image_line(struct reader *r, struct line *ln)
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
    struct gw_node *img = gw_node_new(r->doc, GW_NODE_IMAGE, at(r, ln->lineno, ln->col), ln->s + 2,
                                      (size_t)(close - ln->s - 2));
    img->key = gw_arena_strndup(&r->doc->arena, path, plen);
    section_append(r, img);
    return true;
}

/* Report the first invalid byte of src with its line, column and offset. */
static void report_bad_utf8(struct reader *r, const char *src, size_t len, size_t bad)
{
    struct cursor c = cursor_at(src, len, bad);
    gw_diag_error(r->diag, at(r, c.line, c.col),
                  "invalid UTF-8 (byte 0x%02X at offset %zu); save the file as UTF-8 or use --lossy",
                  (unsigned char)src[bad], bad);
}

/* Copy src replacing invalid sequences with U+FFFD; warn once per line. */
static char *make_lossy(struct reader *r, const char *src, size_t len, size_t *outlen)
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
                gw_diag_warning(r->diag, at(r, c.line, c.col),
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

int gw_read(struct gw_doc *doc, const char *src, size_t len, const struct gw_read_opts *opts,
            struct gw_diag *diag)
{
    struct reader r = {.doc = doc, .diag = diag};
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
        gw_diag_error(diag, at(&r, c.line, c.col), "NUL byte in the input (offset %zu)",
                      (size_t)(nul - src));
        free(owned);
        return -1;
    }
    size_t pos = 0;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* byte-order mark */
    int lineno = 0;
    while (pos < len) {
        size_t start = pos;
        { /* to the first LF or CR: memchr, as lines are long and CRs rare */
            const char *nl = memchr(src + pos, '\n', len - pos);
            const char *cr = memchr(src + pos, '\r', (nl ? (size_t)(nl - src) : len) - pos);
            pos = cr ? (size_t)(cr - src) : nl ? (size_t)(nl - src) : len;
        }
        struct line ln = {src + start, pos - start, ++lineno, 1};
        if (pos < len && src[pos] == '\r' && pos + 1 < len && src[pos + 1] == '\n')
            pos += 2;
        else if (pos < len)
            pos++;
        trim(&ln);
        if (ln.len == 0) {
            r.table = NULL; /* a blank line ends a table */
            continue;
        }
        if (ln.len > GW_MAX_PARA_CHARS) {
            size_t chars = gw_utf8_count(ln.s, ln.len);
            if (chars > GW_MAX_PARA_CHARS) { /* the layout's memory grows with a paragraph */
                gw_diag_error(diag, at(&r, ln.lineno, ln.col),
                              "the line holds %zu characters; a paragraph may hold at most %d "
                              "(break it into paragraphs)",
                              chars, GW_MAX_PARA_CHARS);
                r.failed = 1;
                continue;
            }
        }
        /* strip the text to a NUL-terminated arena copy for the str* helpers */
        char *copy = gw_arena_strndup(&doc->arena, ln.s, ln.len);
        ln.s = copy;
        if (r.section && ln.s[0] == '|') {
            table_line(&r, &ln);
            continue;
        }
        r.table = NULL;
        if (r.section && strncmp(ln.s, "【表】", strlen("【表】")) == 0) {
            /* 【表】caption: not a section, the caption of the table that follows */
            struct line c = {ln.s + strlen("【表】"), ln.len - strlen("【表】"), ln.lineno, 0};
            trim(&c);
            r.caption = c.s;
            r.caption_len = c.len;
        } else if (strncmp(ln.s, "【", strlen("【")) == 0) {
            section_line(&r, &ln);
            r.prev = NULL;
        } else if (!r.section) {
            header_line(&r, &ln);
        } else if (!image_line(&r, &ln)) {
            struct gw_span sp = at(&r, ln.lineno, ln.col);
            section_append(&r, gw_node_new(doc, GW_NODE_PARA, sp, ln.s, ln.len));
            doc->nparas++;
        }
    }
    if (!r.failed && doc->nsections == 0)
        gw_diag_warning(diag, gw_span_file(doc->file),
                        "no 【section】 heading found; the document has no body");
    free(owned);
    return r.failed ? -1 : 0;
}
