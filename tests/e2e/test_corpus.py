"""End to end: the real-shaped corpus (tests/corpus, the real-documents issue).

Every text builds; its `gongwen dump` is the expected tree in
tests/corpus/<name>.dump (written by hand and read line by line); no Han
character of the input is missing from the PDF's text; a red masthead rule
has a title above it and a text without masthead fields has no rule; article
headlines are centred and larger than the body; a closing (署名, 成文日期) is
right-aligned; a table is drawn with rules. `fix` on every text keeps its
tree. The reader's notes name their lines."""
import collections
import glob
import os
import re

from pdfcheck import Checker, han, text

c = Checker()
CORPUS = sorted(glob.glob("tests/corpus/*.txt"))
c.ok(len(CORPUS) >= 15, f"the corpus holds at least 15 texts ({len(CORPUS)})")

KEY = re.compile(r"(?m)^[ \t\u3000]*(?:标题|期号|总期号|编发|日期|版式|报|送|发|抄送|印发|印数|主办|签发"
                 r"|主送|署名|成文日期|附注|题目|副题|正文)[ \t]*[:：]")
LEFT, RIGHT = 79.37, 521.57  # the text block's edges on A4 (28 mm, 156 mm wide), in pt


def trace_items(trace):
    """(kind, fields) for each line of page 1 .. n; text: size, x0, x1, y, colour, text."""
    out = []
    page = 0
    for line in trace.splitlines():
        f = line.split("\t")
        if f[0] == "page":
            page = int(f[1])
        elif f[0] == "text":
            out.append(("text", page, float(f[2]), float(f[5]), float(f[6]), float(f[7]), f[4],
                        f[8]))
        elif f[0] == "rule":
            out.append(("rule", page, float(f[4]), float(f[1]), float(f[2]), float(f[3]), f[5],
                        ""))
    return out


def dump_nodes(dump, kind):
    return [l.split(" ", 2)[2] for l in dump.splitlines() if l.startswith(kind + " ")]


for src in CORPUS:
    name = os.path.basename(src)[:-4]
    pdf = c.path(name + ".pdf")
    rc, _, err = c.run("build", src, "-o", pdf)
    if not c.ok(rc == 0, f"{name}: builds ({err.strip()[-300:]!r})"):
        continue
    c.ok("error" not in err and "warning" not in err, f"{name}: no error or warning ({err!r})")
    # the tree, as written by hand
    rc, dump, err = c.run("dump", src)
    want = open(src[:-4] + ".dump", encoding="utf-8").read()
    if not c.ok(dump == want, f"{name}: dump is {name}.dump"):
        for a, b in zip(dump.splitlines(), want.splitlines()):
            if a != b:
                print(f"  got:  {a}\n  want: {b}")
                break
    # no Han character lost
    # keys (标题：, 期号：…) are marks, not text: only their values count
    src_text = KEY.sub("", open(src, encoding="utf-8").read())
    src_han = collections.Counter(han(src_text))
    pdf_han = collections.Counter(han(text(pdf)[0]))
    lost = src_han - pdf_han
    c.ok(not lost, f"{name}: every Han character of the input is in the PDF (lost {dict(lost)})")
    # the masthead: a red rule has a red title above it; no fields, no rule
    rc, trace, _ = c.run("build", src, "--trace")
    items = trace_items(trace)
    red_rules = [i for i in items if i[0] == "rule" and i[1] == 1 and i[6] == "E60000"]
    red_text = [i for i in items if i[0] == "text" and i[1] == 1 and i[6] == "E60000"]
    fields = dump_nodes(dump, "field")
    masthead = [f for f in fields if f.split(" ")[0] in ("标题", "期号", "编发", "日期", "主办")]
    if masthead:
        c.ok(red_rules and red_text and min(t[5] for t in red_text) < red_rules[0][5],
             f"{name}: the red rule has a title above it")
    else:
        c.ok(not red_rules and not red_text, f"{name}: no masthead fields, no masthead")
    body = [i for i in items if i[0] == "text" and i[2] == 16.0 and i[6] == "000000"]
    # headlines: larger than the body, centred on the text block
    for h in dump_nodes(dump, "headline"):
        first = h[:4]
        lines = [i for i in items if i[0] == "text" and first in i[7] and i[2] > 16.0]
        if c.ok(lines, f"{name}: headline {h!r} is set larger than the 16 pt body"):
            mid = (lines[0][3] + lines[0][4] + lines[0][2]) / 2  # x1 is the last glyph's origin
            c.ok(abs(mid - (LEFT + RIGHT) / 2) < 2, f"{name}: headline {h!r} is centred ({mid})")
    # the closing (GB/T 9704 §7.3.5.2, no seal): the 署名 right-indented 2 字, the date's
    # first character 2 字 right of the 署名's; or, when the date is longer, the date
    # right-indented 2 字 and the 署名 starting 2 字 left of it
    cell = (RIGHT - LEFT) / 28
    spans = {}
    for s in dump_nodes(dump, "signature") + dump_nodes(dump, "date"):
        lines = [i for i in body if i[7] == s]
        if c.ok(lines, f"{name}: closing line {s!r} is set"):
            # x of the first glyph, and the last glyph's origin plus its advance
            spans[s] = (lines[-1][3], lines[-1][4] + lines[-1][2])
    sigs = [spans[s] for s in dump_nodes(dump, "signature") if s in spans]
    dates = [spans[s] for s in dump_nodes(dump, "date") if s in spans]
    if sigs:
        start = min(x0 for x0, _ in sigs)
        c.ok(all(abs(x0 - start) < 0.5 for x0, _ in sigs), f"{name}: joint 署名 lines start together")
        ends = [end for _, end in sigs] + [end for _, end in dates]
        c.ok(abs(max(ends) - (RIGHT - 2 * cell)) < 0.5,
             f"{name}: the 落款 is right-indented 2 字 ({max(ends):.2f})")
        for x0, _ in dates:
            c.ok(abs(x0 - (start + 2 * cell)) < 0.5,
                 f"{name}: the date starts 2 字 right of the 署名 ({x0 - start:.2f} pt)")
    # the 版记 (报 送 发 抄送 印发 印数, and 主送 moved there): at the foot of the last page,
    # below its text, in 4号, the closing thick rule on the text block's bottom edge
    colophon = [f.split(" = ", 1) for f in fields
                if f.split(" ")[0] in ("主送", "报", "送", "发", "抄送", "印发", "印数")]
    if colophon:
        last = max(i[1] for i in items)
        small = [i for i in items if i[0] == "text" and i[1] == last and i[2] == 14.0]
        for key, val in colophon:
            want = val.replace(" ", "")[:6]
            c.ok(any(want in t[7] for t in small), f"{name}: 版记 {key} is set on the last page")
        lines = [t for t in small if any(v.replace(" ", "")[:6] in t[7] for _, v in colophon)]
        text_ys = [i[5] for i in body if i[1] == last]
        c.ok(lines and (not text_ys or min(t[5] for t in lines) > max(text_ys)),
             f"{name}: the 版记 is below the text of its page")
        rules = [i[5] for i in items if i[0] == "rule" and i[1] == last and i[2] > 0.9]
        c.ok(rules and abs(max(rules) - 742.68) < 1,
             f"{name}: the 版记's last rule is on the text block's bottom edge ({rules})")
    # tables have rules below the masthead
    if "table " in dump:
        c.ok(len([i for i in items if i[0] == "rule" and i[6] != "E60000"]) >= 2,
             f"{name}: the table is drawn with rules")
    # fix keeps the tree (its rules may change text, not what a line is)
    fixed = c.path(name + ".fixed.txt")
    rc, _, err = c.run("fix", src, "-o", fixed)
    if c.ok(rc == 0, f"{name}: fix writes ({err.strip()[-200:]!r})"):
        rc, again, _ = c.run("dump", fixed)
        # the paste rules join broken lines: paragraphs may merge, nothing else changes kind
        kinds = lambda d: [l.split()[0]
                           for l in d.splitlines() if not l.startswith("  para ")]
        c.eq(kinds(again), kinds(dump), f"{name}: fix keeps every node's kind")

# the notes: once per guess, with the line and the mark that makes it explicit
rc, _, err = c.run("check", "tests/corpus/speech-lihui.txt")
c.ok("speech-lihui.txt:1:1: note: read as the article headline (write 题目：… to mark it)" in err,
     f"check shows the headline note ({err[:300]!r})")
c.eq(err.count("note: read as the article headline"), 1, "the headline note comes once")
rc, _, err = c.run("build", "examples/yongzhou-2024-01.txt", "-o", c.path("seed.pdf"))
c.ok(err.count("note:") <= 1, f"the seed prints at most one note ({err!r})")

# a refused text: dump still shows what was read, and exits non-zero
bad = c.write("bad.txt", "标题：甲\n标题：乙\n\n一段正文。\n")
rc, out, err = c.run("dump", bad)
c.ok(rc != 0 and "para 4:1 一段正文。" in out and err.count("error") == 1,
     f"dump of a refused text shows the partial tree ({rc}, {out!r}, {err!r})")

# a headline marked on two 题目： lines is one headline broken there, not two articles
two = c.write("two-line.txt", "题目：在市老年学学会第三届理事会\n题目：第二次会议上的讲话\n\n正文一段。\n")
rc, trace, err = c.run("build", two, "--trace")
heads = [i for i in trace_items(trace) if i[0] == "text" and i[2] == 22.0]
c.ok(rc == 0 and [h[7] for h in heads] == ["在市老年学学会第三届理事会", "第二次会议上的讲话"],
     f"two 题目： lines: one headline in the writer's two lines ({heads})")
if len(heads) == 2:
    pitch = 225 / 22 * 72 / 25.4  # one grid line: the text block's 225 mm over 22 lines, in pt
    # (a 22 pt line is centred on its grid line's 16 pt line, but not above the text block)
    c.ok(abs((heads[1][5] - heads[0][5]) - pitch) < 4,
         f"…on consecutive grid lines, no blank line between ({heads[1][5] - heads[0][5]:.2f} pt)")

# pasted heading numbers are headings (as the headings rules take them), figures after the
# mark are not: 1、2月份 and 一，二季度 stay sentences
pasted = c.write("pasted-headings.txt", "各单位：\n一.加强领导\n各单位要加强领导。\n(1)明确责任\n"
                 "要明确责任。\n1、2月份完成。\n一，二季度要完成任务。\n(一)做好准备\n1．落实到人\n")
rc, tree, _ = c.run("dump", pasted)
for want in ("heading 2:1 h1 一.加强领导", "heading 4:1 h4 (1)明确责任", "para 6:1 1、2月份完成。",
             "para 7:1 一，二季度要完成任务。", "heading 8:1 h2 (一)做好准备", "heading 9:1 h3 1．落实到人"):
    c.ok(want in tree, f"pasted numbering: {want!r} ({tree!r})")

# a mark with nothing after it makes no node: a warning at its line (found by fuzz_read)
empty = c.write("empty-marks.txt", "正文：\n题目：\n署名：\n一段。\n")
rc, tree, err = c.run("dump", empty)
c.ok(rc == 0 and tree.strip() == "section 4:1 (implicit)\n  para 4:1 一段。" and
     err.count("marks nothing") == 3 and "empty-marks.txt:2:1: warning: 题目： marks nothing" in err,
     f"empty marks: warnings, no empty nodes ({tree!r} {err!r})")

c.done()
