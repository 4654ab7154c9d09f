/*
 * gw_read_int.h: what the reader's files share (private to engine/read).
 *
 * gw_read.c owns the bytes (UTF-8, lines), header keys, 【】 lines, pipe
 * tables and images; gw_shape.c says what shape one line has (an issue
 * line, a date, a numbered heading, a list marker...); gw_zone.c decides
 * where the masthead ends and what each body line is (headline, subtitle,
 * salutation, closing...), reporting each guess once as a note; gw_tail.c
 * reads the 版记 lines that end a text.
 */
#ifndef GW_READ_INT_H
#define GW_READ_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "../doc/gw_doc.h"
#include "../util/gw_diag.h"

/* One non-blank input line, trimmed, as an arena copy. */
struct gw_line {
    const char *s; /* trimmed text, NUL-terminated */
    size_t len;    /* bytes */
    int chars;     /* code points */
    int lineno;
    int col;           /* 1-based code-point column of s */
    bool blank_before; /* a blank line (or the start of the text) comes before it */
};

struct gw_reader {
    struct gw_doc *doc;
    struct gw_diag *diag;
    struct gw_line *lines; /* every non-blank line */
    int nlines;
    int width;                /* the longest body line, in characters (what "short" is against) */
    struct gw_node *section;  /* the section being filled, NULL between sections */
    struct gw_node *table;    /* the table whose rows are being read, or NULL */
    struct gw_node *prev;     /* the section's child before its last one (for unlinking) */
    const char *caption;      /* a pending 【表】 caption for the next table */
    size_t caption_len;
    int bare_cells;           /* cells of the bare pipe table being read (0: it has outer pipes) */
    struct gw_node *pending_headline;   /* a header 标题 under a 文件-family 版式: the body's start */
    struct gw_node *pending_salutation; /* a header 主送: put after the first article's head */
    struct gw_node *closing[16];        /* header 附件, 署名, 成文日期, 附注: put at the end */
    int nclosing;
    int failed;
};

/* --- gw_read.c ------------------------------------------------------------ */

struct gw_span gw_read_at(struct gw_reader *r, int line, int col);
/* Trim blanks at both ends of (s, len); *col advances to the first kept character. */
void gw_read_trim(const char **s, size_t *len, int *col);
/* A FIELD node (an error, once, if the key is there already). */
struct gw_node *gw_read_add_field(struct gw_reader *r, const char *key, const char *val,
                                  size_t len, int line, int col);
/* "key: value" with a known key (canonical, into *key); the value's start and column. */
bool gw_read_key_line(const struct gw_line *ln, const char **key, struct gw_line *value);
/*
 * A "key: value" line whose key (copied into key, keylen bytes with its NUL;
 * its column into *col) is no known key but one edit from one of two
 * characters or more (two edits for keys over 4 characters): that known
 * key's canonical name (and *value as gw_read_key_line gives it), else NULL.
 */
const char *gw_read_near_key(const struct gw_line *ln, char *key, size_t keylen, int *col,
                             struct gw_line *value);
void gw_read_section_line(struct gw_reader *r, const struct gw_line *ln);
void gw_read_table_line(struct gw_reader *r, const struct gw_line *ln, bool bare);
bool gw_read_image_line(struct gw_reader *r, const struct gw_line *ln);
/* A node of the given type at ln (text = the whole line). */
struct gw_node *gw_read_node(struct gw_reader *r, enum gw_node_type type, const struct gw_line *ln);
/* Append to the current section, opening an implicit one at ln if there is none. */
void gw_read_section_append(struct gw_reader *r, struct gw_node *n, const struct gw_line *ln);

/* --- gw_shape.c: the shape of one line ------------------------------------ */

/* "第3期", "2024 年第 1 期", "[2019]第013期", "1886 期 / 第2版", "…总第3307期". */
bool gw_shape_issue(const char *s, size_t len);
/* "（总第13期）": the number's bytes in *num. */
bool gw_shape_total_issue(const char *s, size_t len, const char **num, size_t *nlen);
/* "第37期（总第412期）": the issue part's length and the total's number. */
bool gw_shape_issue_with_total(const char *s, size_t len, size_t *issue_len, const char **num,
                               size_t *nlen);
/* A whole-line date: 2024年2月29日, 二○一○年五月十一日, 2014-07-14, 2018-09-14编印, (…). */
bool gw_shape_date(const char *s, size_t len);
/* A date with a time in brackets: (2019年7月22日11时). */
bool gw_shape_time(const char *s, size_t len);
/* "issuer   date": the issuer's length (trimmed) and where the date starts. */
bool gw_shape_issuer_date(const char *s, size_t len, size_t *issuer_len, size_t *date_at);
/* "隆尧县气象局签发:张纪峰": where 签发 starts and where the signer's name starts. */
bool gw_shape_signer(const char *s, size_t len, size_t *at, size_t *name_at);
/* "XX县委党史研究室编", "…编印": an issuer line. */
bool gw_shape_issuer(const char *s, size_t len);
/* A bulletin's name: ends in 简报, 专报, 通讯, 周报, 日报, 动态, 通报, ... */
bool gw_shape_publication(const char *s, size_t len);
/* Does the line end in a 文种 (通知, 通报, 决定, 意见, 报告, 请示, 函, 批复, 方案...)? */
bool gw_shape_doc_kind(const char *s, size_t len);
/* "冷 溶": an author's name (2 to 4 Han characters, spaced or not). */
bool gw_shape_author(const char *s, size_t len);
/* A numbered heading alone on its line, as plugins/rules/headings.lua says: its level or 0. */
int gw_shape_heading(const char *s, size_t len);
/* A run-in heading (headings.lua's *-run-in rules): "1.加强研究。围绕…". */
bool gw_shape_run_in(const char *s, size_t len);
/* A list marker at the line's start (◆ ● ■ ▲ · - 1.): its length in bytes, or 0. */
size_t gw_shape_item(const char *s, size_t len);
/* Does the line hold a sentence mark (。！？；)? */
bool gw_shape_has_stop(const char *s, size_t len);
/* Does the line end a sentence (。！？…” and closing brackets)? */
bool gw_shape_ends_sentence(const char *s, size_t len);
/* Does the line end in a colon (： or :)? */
bool gw_shape_ends_colon(const char *s, size_t len);
/* "— 2 —", "- 3 -": a page number left by a PDF copy. */
bool gw_shape_page_number(const char *s, size_t len);
/* Cells of a bare pipe row "a | b | c" (no outer pipes), or 0. */
int gw_shape_bare_row(const char *s, size_t len);
/* Does s start with the prefix p (UTF-8)? */
bool gw_shape_starts(const char *s, size_t len, const char *p);

/* --- gw_zone.c: the masthead and the body -------------------------------- */

/* Read the masthead (fields) from the first lines; returns the first body line. */
int gw_zone_header(struct gw_reader *r);
/* Read lines [from, nlines) into the body nodes. */
void gw_zone_body(struct gw_reader *r, int from);

/* --- gw_tail.c: the 版记 at the end of a text ------------------------------ */

/* The first line of the 版记 block that ends lines [from, nlines), or nlines if none. */
int gw_tail_find(struct gw_reader *r, int from);
/* Read lines [at, nlines) (from gw_tail_find) into 版记 fields, with one note. */
void gw_tail_read(struct gw_reader *r, int at);

#endif /* GW_READ_INT_H */
