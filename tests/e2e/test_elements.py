"""End to end: the layout features the official-text elements need (issue 20 part 3),
built through a small test section plugin and layout (tests/e2e/elements/plugins):
right_indent, hanging, balanced lines, out:width, the 落款 of GB/T 9704 §7.3.5.2,
footnotes at the foot of their page, large sizes on the grid, and the errors a bad
value gets. Measured in mm from the PDFs (pdftotext -bbox-layout, the content
streams' rules) and in pt from the laid-out pages (--trace)."""
import os
from collections import Counter

from pdfcheck import MM, Checker, han, lines, rules, text

c = Checker()
PLUGINS = os.path.abspath("tests/e2e/elements/plugins")
LEFT, RIGHT, TOP = 28.0, 184.0, 37.0  # mm: the text block
CELL = 156.0 / 28                      # mm: one 字 of 16 pt
PITCH = 225.0 / 22                     # mm: one grid line
HEADER = "标题: 要素 测试\n期号: 第1期\n编发: 测试专班\n日期: 2024年3月1日\n\n【要素】\n"
BODY = "为认真贯彻落实上级关于安全生产工作的决策部署，切实做好当前安全生产和防汛抗旱各项工作，确保人民群众生命财产安全。"


def build(name, paras, *extra, plugins=PLUGINS, layout="elements"):
    """Build a 要素 section of paras; (rc, stderr, pdf, trace rows)."""
    src = c.write(name + ".txt", HEADER + "\n".join(paras) + "\n")
    pdf = c.path(name + ".pdf")
    args = ["build", src, "--layout", layout, "--plugin-path", plugins, *extra]
    rc, out, err = c.run(*args, "-o", pdf)
    rc2, trace, _ = c.run(*args, "--trace")
    return rc, err, pdf, trace_items(trace) if rc == 0 and rc2 == 0 else []


def trace_items(trace):
    """Text items as dicts: page, size, x0 and x1 (pt; x1 after the last glyph), top and
    bottom of the em box (pt from the page top), text; rules as kind 'rule'."""
    items, page = [], 0
    for row in trace.splitlines():
        f = row.split("\t")
        if f[0] == "page":
            page = int(f[1])
        elif f[0] == "text":
            size, x0, xl, y = float(f[2]), float(f[5]), float(f[6]), float(f[7])
            items.append({"kind": "text", "page": page, "size": size, "x0": x0,
                          "x1": xl + size, "top": y - 0.88 * size, "bottom": y + 0.12 * size,
                          "text": f[8]})
        elif f[0] == "rule":
            items.append({"kind": "rule", "page": page, "x0": float(f[1]), "x1": float(f[2]),
                          "y": float(f[3]), "w": float(f[4])})
    return items


def body_items(items, page=None):
    """Text inside the text block (no masthead, no page numbers)."""
    return [i for i in items if i["kind"] == "text" and (page is None or i["page"] == page)
            and i["top"] >= TOP * MM - 0.1 + 240 * (i["page"] == 1) and i["bottom"] <= 262 * MM]


def line_of(pdf, start, page=None):
    """The first PDF text line (mm: x0, y0, x1, y1, text) starting with start."""
    for p, ls in enumerate(lines(pdf), 1):
        for x0, y0, x1, y1, t in ls:
            if t.startswith(start) and (page is None or p == page):
                return x0 / MM, y0 / MM, x1 / MM, y1 / MM, t
    return None


def near(a, b, tol, what):
    return c.ok(a is not None and abs(a - b) <= tol, f"{what}: {a} mm, expected {b:.2f} ± {tol}")


def no_overlap(items, what):
    """Text on different lines never overlaps: em boxes of different baselines are apart."""
    bad = []
    ts = [i for i in items if i["kind"] == "text"]
    for a in ts:
        for b in ts:
            if a is b or a["page"] != b["page"] or abs(a["top"] - b["top"]) < 0.01:
                continue
            if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and \
                    a["top"] < b["bottom"] - 0.01 and b["top"] < a["bottom"] - 0.01:
                bad.append((a["text"][:8], b["text"][:8], a["page"]))
    return c.ok(not bad, f"{what}: lines overlap {bad[:3]}")


def notes_at_foot(items, what):
    """On every page with notes: a short thin rule, the body above it, the notes below it
    and ending on the last grid line."""
    pages = sorted({i["page"] for i in items if i["kind"] == "text" and i["size"] == 14
                    and i["bottom"] <= 262 * MM})
    good = True
    for p in pages:
        notes = [i for i in body_items(items, p) if i["size"] == 14]
        body = [i for i in body_items(items, p) if i["size"] != 14]
        rule = [r for r in items if r["kind"] == "rule" and r["page"] == p and
                abs((r["x1"] - r["x0"]) - 156 * MM / 4) < 0.5]
        good &= c.ok(len(rule) == 1 and rule[0]["w"] <= 0.6 and abs(rule[0]["x0"] - LEFT * MM) < 0.01,
                     f"{what} p{p}: one thin rule a quarter of the text width at the left")
        if not rule:
            continue
        y = rule[0]["y"]
        good &= c.ok(all(b["bottom"] < y for b in body), f"{what} p{p}: the body ends above the rule")
        good &= c.ok(all(n["top"] > y for n in notes), f"{what} p{p}: the notes are below the rule")
        last = max(n["top"] for n in notes)
        good &= near(last / MM, TOP + 21 * PITCH, 0.05, f"{what} p{p}: the last note line's top")
    return good


# {===== right_indent, with every alignment =====
long = BODY * 2
rc, err, pdf, items = build("right", [
    "RI:3:right:短句右对齐",
    "RI:2.5:center:居中的短句",
    "RI:4:justify:" + long,
    "RI:3:left:左对齐" + long,
    "RI:0.5:right:半字右缩进",
])
c.ok(rc == 0 and err == "", f"right_indent builds ({err.strip()[:200]})")
ln = line_of(pdf, "短句右对齐")
near(ln and ln[2], RIGHT - 3 * CELL, 0.3, "right, right_indent 3: the line's right edge")
ln = line_of(pdf, "半字右缩进")
near(ln and ln[2], RIGHT - 0.5 * CELL, 0.3, "right, right_indent 0.5 (fractional)")
ln = line_of(pdf, "居中的短句")
near(ln and (ln[0] + ln[2]) / 2, (LEFT + RIGHT - 2.5 * CELL) / 2, 0.3,
     "center, right_indent 2.5: the line's centre")
ls = lines(pdf)[0]
names = [l[4] for l in ls]
centre = next(k for k, t in enumerate(names) if t.startswith("居中"))
left_at = next(k for k, t in enumerate(names) if t.startswith("左对齐"))
half_at = next(k for k, t in enumerate(names) if t.startswith("半字"))
jl = [round(l[2] / MM, 2) for l in ls[centre + 1:left_at]]
c.ok(len(jl) >= 3 and all(abs(e - (RIGHT - 4 * CELL)) < 0.3 for e in jl[:-1]) and
     jl[-1] <= RIGHT - 4 * CELL + 0.3, f"justify, right_indent 4: lines end 4 字 in ({jl})")
ll = [round(l[2] / MM, 2) for l in ls[left_at:half_at]]
c.ok(len(ll) >= 3 and all(e <= RIGHT - 3 * CELL + 0.3 for e in ll) and
     max(ll) > RIGHT - 4 * CELL, f"left, right_indent 3: no line ends past 3 字 from the edge ({ll})")
c.ok(han(text(pdf)[0]).count("贯彻落实") == 4, "right_indent: no text lost")
# }=====

# {===== hanging indent: 附件说明 =====
rc, err, pdf, items = build("hanging", [
    "ATT:附件：1.永州市安全生产重点工作任务分工表（含各县市区和市直有关部门的具体责任分工及完成时限）",
    "ATT:2.防汛抗旱应急预案",
    "HG:2:（1）列表项的文字较长，换行以后的各行都从第二个字的位置开始排，与第一行的项目文字对齐，形成悬挂缩进的效果。",
])
c.ok(rc == 0 and err == "", f"hanging builds ({err.strip()[:200]})")
first = line_of(pdf, "附件：1.")
near(first and first[0], LEFT + 2 * CELL, 0.3, "附件说明: the first line at 2 字")
ls = lines(pdf)[0]
i = [l[4] for l in ls].index(first[4]) if first else -1
near(ls[i + 1][0] / MM if i >= 0 else None, LEFT + 5 * CELL, 0.3,
     "附件说明: the wrapped line under the first item's text (2 + 3 字 for 附件：)")
second = line_of(pdf, "2.防汛")
near(second and second[0], LEFT + 5 * CELL, 0.3, "附件说明: the next item under the first's text")
hl = line_of(pdf, "（1）列表项")
j = [l[4] for l in ls].index(hl[4]) if hl else -1
near(hl and hl[0], LEFT, 0.3, "hanging 2: the first line at indent 0")
near(ls[j + 1][0] / MM if j >= 0 else None, LEFT + 2 * CELL, 0.3,
     "hanging 2: the second line starts 2 字 in")
# }=====

# {===== balanced headlines, out:width, the 落款 =====
two = "关于进一步加强全市安全生产工作和防汛抗旱工作的通知"  # 25 characters: 20 + 5 unbalanced
three = "关于印发永州市二〇二四年度安全生产和防汛抗旱工作要点及重点任务分工方案和考核办法的通知"
latin = "关于做好WenQuanYi开源字体与RCEP协定相关工作的补充说明"
word = "在市老年学学会第三届理事会第二次会议上的讲话"  # even: 第三届理 / 事会
rc, err, pdf, items = build("balance", [
    "H:" + two, "HP:" + two, "H:" + three, "H:" + latin, "H:" + word, "H:短标题",
    "W:永州市", "W:2024年6月18日",
])
c.ok(rc == 0, f"balance builds ({err.strip()[:200]})")


def headline_lines(start):
    """The 22 pt lines (text, width in pt) of the headline starting with start: items on
    one baseline joined (a character from a fallback font is an item of its own)."""
    rows = {}
    for t in items:
        if t["kind"] == "text" and t["size"] == 22:
            r = rows.setdefault((t["page"], round(t["top"], 2)), [t["x0"], t["x1"], ""])
            r[0], r[1], r[2] = min(r[0], t["x0"]), max(r[1], t["x1"]), r[2] + t["text"]
    out = []
    for key in sorted(rows):
        x0, x1, t = rows[key]
        if not out and not t.startswith(start[:4]):
            continue
        out.append((t, x1 - x0))
        if "".join(o[0] for o in out).endswith(start[-4:]):
            return out
    return out


# even lines first, then a break between two Han characters moves up to 2 characters to a
# word boundary the characters show (after 的 和 与 及 暨, before 关于 第 暨): within 3 字
for name, s, n, spread in (("2-line", two, 2, 2), ("3-line", three, 3, 3), ("Latin", latin, 2, 2),
                           ("word-break", word, 2, 4)):
    hl = headline_lines(s)
    widths = [h[1] for h in hl]
    c.ok(len(hl) == n and "".join(h[0] for h in hl) == s and
         max(widths) - min(widths) <= spread * 22 / 16 * CELL * MM + 0.01,
         f"balanced {name} headline: {n} lines within {spread} characters in width ({hl})")
c.ok([h[0] for h in headline_lines(three)][1].endswith("及"),
     "a break inside 重点 moves after 及 (" + str(headline_lines(three)) + ")")
c.ok([h[0] for h in headline_lines(word)] == ["在市老年学学会第三届理事会", "第二次会议上的讲话"],
     f"not 第三届理 / 事会: the break moves before 第 ({headline_lines(word)})")
plain = [t["text"] for t in items if t["kind"] == "text" and t["size"] == 22][2:4]
c.ok([len(p) for p in plain] == [20, 5], f"the same headline unbalanced: 20 + 5 ({plain})")
c.ok([len(h[0]) for h in headline_lines(two)] == [12, 13], "balanced: 12 + 13 (上短下长, a 梯形)")
c.ok(any("WenQuanYi" in t["text"] for t in items if t["kind"] == "text"),
     "balance never breaks inside a Latin word")
c.ok("note: width\t永州市\t3.0\t48.0" in err, f"out:width and gw.text_width in a build ({err[:300]})")
w = [l for l in err.splitlines() if "2024年6月18日" in l]
c.ok(w and 6 < float(w[0].split("\t")[2]) < 7, f"out:width of a date in 字 ({w})")
# a 22 pt headline on the 16 pt grid: one grid line each, no overlap
tops = [t["top"] for t in items if t["kind"] == "text" and t["size"] == 22]
c.ok(all(abs((b - a) / MM - PITCH) < 0.05 for a, b in zip(tops[:2], tops[1:2])),
     "22 pt lines: one grid line apart")
no_overlap(items, "headlines")

for name, sig, date in (("short date", "永州市人民政府办公室", "2024年6月18日"),
                        ("long date", "某局", "2024年12月31日")):
    rc, err, pdf, items = build("sig-" + name.split()[0], [BODY, "SIG:" + sig, "DATE:" + date])
    s, d = line_of(pdf, sig), line_of(pdf, date)
    c.ok(rc == 0 and s and d, f"落款 ({name}) builds ({err.strip()[:200]})")
    if not (s and d):
        continue
    c.ok(d[1] > s[1], f"落款 ({name}): the date under the 署名")
    if name == "short date":
        near(s[2], RIGHT - 2 * CELL, 0.3, "落款: 署名 right-indented 2 字")
        near(d[0], s[0] + 2 * CELL, 0.3, "落款: the date's first character 2 字 right of the 署名's")
    else:
        near(d[2], RIGHT - 2 * CELL, 0.3, "落款, longer date: the date right-indented 2 字")
        near(s[0], d[0] - 2 * CELL, 0.3, "落款, longer date: the 署名 2 字 left of the date")
# }=====

# {===== larger sizes: whole grid lines =====
rc, err, pdf, items = build("big", ["BIG:三十六磅的标题行文字较长需要换行排成两行文字的测试内容", BODY,
                                    "HP:二号标题", "结尾。"])
big = [t for t in items if t["kind"] == "text" and t["size"] == 36 and t["page"] == 1][-2:]
after = [t for t in items if t["kind"] == "text" and t["text"].startswith("为认真")]
c.ok(rc == 0 and len(big) == 2 and abs((big[1]["top"] - big[0]["top"]) / MM - 2 * PITCH) < 0.05,
     f"36 pt lines take two grid lines each ({[round(b['top'] / MM, 2) for b in big]})")
c.ok(after and after[0]["top"] >= big[-1]["bottom"] and
     abs(((after[0]["top"] / MM - TOP) / PITCH) - round((after[0]["top"] / MM - TOP) / PITCH)) < 0.01,
     "the body after them starts on the next free grid line")
no_overlap(items, "36 pt")
ts = [t for t in body_items(items, 1)]
for k, t in enumerate(ts):
    if t["size"] in (22, 36) and 0 < k < len(ts) - 1 and ts[k - 1]["size"] == 16 \
            and ts[k + 1]["size"] == 16:
        above, below = t["top"] - ts[k - 1]["bottom"], ts[k + 1]["top"] - t["bottom"]
        c.ok(abs(above - below) < 0.1 and above > 5,
             f"a {t['size']:g} pt line has as much room above as below ({above:.2f}, {below:.2f})")
c.ok(sum(1 for t in ts if t["size"] == 22) == 1, "the 22 pt line is measured")
# }=====

# {===== footnotes =====
note = "①本通知所称“重点行业”，指道路交通、消防、燃气、危险化学品、建筑施工和矿山等行业领域。"
rc, err, pdf, items = build("note", [BODY, "NOTE:" + note, BODY, BODY])
c.ok(rc == 0 and err == "", f"a footnote builds ({err.strip()[:200]})")
notes_at_foot(items, "one note")
no_overlap(items, "one note")
c.ok(han(text(pdf)[0]).count(han(note)) == 1, "the note's text is all there")
ln = line_of(pdf, "①本通知")
near(ln and ln[0], LEFT + 2 * 14 / 16 * CELL, 0.3, "the note: 14 pt, first line 2 字 in")
rl = [r for r in rules(pdf)[0] if r[3] <= 0.6]
c.ok(len(rl) == 1 and abs((rl[0][1] - rl[0][0]) / MM - 39) < 0.2 and abs(rl[0][0] / MM - LEFT) < 0.1,
     f"the PDF has the note's rule: 39 mm from the left edge ({rl})")

# a note whose anchor ends on a page's last line: the anchor's end moves on with it
one = [f"第{i}行。" for i in range(1, 20)]
rc, err, pdf, items = build("lastline", ["PB:"] + one + [BODY + BODY[:10], "NOTE:" + note, "结尾。"])
anchor = [t for t in body_items(items) if t["text"].startswith("为认真")]
c.ok(rc == 0 and anchor and anchor[0]["page"] == 3,
     f"a 3-line anchor ending on the last line moves whole with its note "
     f"({[(a['page'], round(a['top'] / MM)) for a in anchor]})")
notes_at_foot(items, "last line")
c.ok(all(t["page"] == 3 for t in items if t["kind"] == "text" and t["size"] == 14
         and t["bottom"] < 262 * MM), "its note is on the anchor's page")
no_overlap(items, "last line")
five = one[:17] + [BODY * 2 + "。", "NOTE:" + note]
rc, err, pdf, items = build("lastline5", ["PB:"] + five)
parts = [t["page"] for t in body_items(items) if t["size"] == 16 and not t["text"].startswith("第")]
c.ok(rc == 0 and parts.count(2) >= 2 and parts.count(3) == 2,
     f"a 5-line anchor: its last 2 lines (the widow minimum) move on with the note ({parts})")
notes_at_foot(items, "5-line anchor")

# the last page's notes sit just above the 版记, which keeps the text block's bottom
HEADER_SAVED = HEADER
HEADER = HEADER.replace("\n\n【", "\n报: 市委办公室，市政府办公室。\n印数: 30\n\n【")
rc, err, pdf, items = build("colophon", [BODY, "NOTE:" + note, BODY])
HEADER = HEADER_SAVED
last = max(i["page"] for i in items)
colo = [r for r in items if r["kind"] == "rule" and r["page"] == last and 0.9 < r["w"] < 1]
notes = [t for t in items if t["kind"] == "text" and t["size"] == 14 and
         (t["text"].startswith("①") or t["text"].startswith("施工"))]
c.ok(rc == 0 and len(colo) == 2 and abs(colo[-1]["y"] - 262 * MM) < 0.1,
     f"the 版记 ends on the text block's bottom edge ({rc}, {err.strip()[:200]})")
c.ok(colo and notes and max(n["bottom"] for n in notes) < colo[0]["y"] and
     all(n["page"] == last for n in notes), "the notes sit above the 版记 on its page")
no_overlap(items, "notes and 版记")

# several notes stack in order; 100 notes after one paragraph; a 500-line note
rc, err, pdf, items = build("many", [BODY] + [f"NOTE:注{i}：短注释{i}。" for i in range(1, 101)]
                            + ["尾段。" + BODY])
seq = [t["text"] for t in items if t["kind"] == "text" and t["size"] == 14 and "短注释" in t["text"]]
c.ok(rc == 0 and seq == [f"注{i}：短注释{i}。" for i in range(1, 101)],
     f"100 notes: all set, in order ({len(seq)})")
notes_at_foot(items, "100 notes")
no_overlap(items, "100 notes")
big_note = "长注" + "本注释很长，用于测试跨页脚注的排版是否会丢失文字。" * 450
paras = [BODY, "NOTE:" + big_note] + [f"第{i}段。" + BODY for i in range(30)]
rc, err, pdf, items = build("longnote", paras)
# every Han character is there as often as in the source (counted one by one: where a page
# breaks the note, pdftotext reads the next page's body before the note's rest, which may
# fall inside a phrase)
got = Counter(han(text(pdf)[0]))
lost = {h: n - got[h] for h, n in Counter(han("".join(paras))).items() if got[h] < n}
c.ok(rc == 0 and not lost and got["注"] >= 450,
     f"a 500-line note: nothing lost ({rc}, {err.strip()[:200]}, {lost})")
c.ok(len({i["page"] for i in items}) > 10, "the long note runs on over the following pages")
notes_at_foot(items, "long note")
no_overlap(items, "long note")
body_pages = sorted({t["page"] for t in body_items(items) if t["text"].startswith("第0段")})
note_pages = {t["page"] for t in body_items(items) if t["size"] == 14}
c.ok(body_pages == [2] and 2 in note_pages,
     f"the body goes on beside a long note (at most half of a page carried over): {body_pages}")
# }=====

# {===== random indents, alignments and balance: no crash, no loss, inside the measure =====
import random
rng = random.Random(20)
alphabet = "安全生产防汛抗旱工作通知要求各县市区，。、；：“”（）《》——……" + "ABCxyz2024 "
paras, want = [], []
for k in range(60):
    ri = rng.choice([0, 0.5, 2, 7.25, 13])
    ind, hg = rng.choice([0, 2, 4.5]), rng.choice([0, 3, 6])
    if max(ind, hg) + ri > 26:
        ri = 0
    t = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 160))).strip() or "空"
    paras.append(f"RND:{ri}:{hg}:{ind}:{rng.choice(['true', 'false'])}:"
                 f"{rng.choice(['left', 'right', 'center', 'justify'])}:{t}")
    want.append((ri, ind, hg, t))
    if k % 7 == 3:
        paras.append(f"NOTE:注{k}" + t)
rc, err, pdf, items = build("random", paras)
c.ok(rc == 0 and err == "", f"60 random paragraphs build ({err.strip()[:200]})")
src_han = han("".join(w[3] for w in want)) * 1
got = han(text(pdf)[0])
c.ok(all(got.count(h) >= src_han.count(h) for h in set(src_han)), "random paragraphs: no Han lost")
# (grid setting, docs/typesetting.md: a closing mark whose box starts on the right edge hangs
# in the margin, its box one cell out, its glyph origin near the box's left edge (the glyph
# may be moved within its box to put its ink where GB/T 15834 sets it); anything else keeps
# inside, with 8.5 pt to spare)
hangs = [t for t in body_items(items) if t["text"][-1] in "、。，；：？！”’）〕】》〉」』" and
         abs(t["x1"] - t["size"] - RIGHT * MM) < 0.25 * t["size"]]
out = [t for t in body_items(items) if t["x0"] < LEFT * MM - 8.5 or
       (t["x1"] > RIGHT * MM + 8.5 and t not in hangs)]
c.ok(not out, f"random paragraphs: every line inside the text block ({[o['text'][:6] for o in out][:3]})")
c.ok(hangs, "random paragraphs: some lines end with a hanging mark (the check above sees them)")
no_overlap(items, "random paragraphs")
# }=====

# {===== bad values: errors at the file and line =====
bad = c.path("bad")
c.write("bad/layouts/bad.lua", "return {\n   api = 1,\n   base = \"gbt9704\",\n   styles = {\n"
        "      headline = { size = 22, balance = true },\n"
        "      signature = { right_indent = -1 },\n"
        "      attach = { hanging = 0/0 },\n   },\n}\n")
c.write("bad/layouts/badtype.lua", "return {\n   api = 1,\n   base = \"gbt9704\",\n"
        "   styles = {\n      headline = { size = 22, balance = \"yes\" },\n   },\n}\n")
rc, err, pdf, _ = build("badlayout", [BODY], plugins=bad, layout="bad")
for line, msg in ((6, "styles.signature.right_indent = -1: must be a number from 0 to 20"),
                  (7, "styles.attach.hanging = nan: must be a number from 0 to 20")):
    c.ok(rc == 1 and f"bad/layouts/bad.lua:{line}: error: {msg}" in err,
         f"layout value: {msg} ({err.strip()[:300]})")
rc, err, pdf, _ = build("badtype", [BODY], plugins=bad, layout="badtype")
msg = "layout field 'styles.headline.balance' must be true or false, not a string"
c.ok(rc == 1 and f"bad/layouts/badtype.lua:5: error: {msg}" in err,
     f"layout value: {msg} ({err.strip()[:300]})")
plug = "elements/plugins/sections/elements.lua:"
for tag, msg in (("BAD:right_indent:nan", "out:paragraph: right_indent = nan: must be a number"),
                 ("BAD:hanging:neg", "out:paragraph: hanging = -1: must be a number"),
                 ("BAD:right_indent:str", 'out:paragraph: right_indent = "2": must be a number'),
                 ("BAD:balance:num", "out:paragraph: balance must be true or false"),
                 ("BAD:align:num", "out:paragraph: align = 1: must be justify, left, center (or centre) or right"),
                 ("BADROOM:", "leave no room: a line of 22 pt holds 20.36 字"),
                 ("BADNOTE:", "out:footnote: right_indent = nan")):
    rc, err, pdf, _ = build("badopt", [BODY, tag])
    c.ok(rc == 1 and plug in err and msg in err and "badopt.txt:8)" in err,
         f"{tag}: {msg} at the plugin line and the document line ({err.strip()[:300]})")
c.write("colo/layouts/colo.lua", "return {\n   api = 1,\n   base = \"gbt9704\",\n"
        "   draw_colophon = function(out, h)\n      out:footnote(\"注\")\n   end,\n}\n")
rc, err, pdf, _ = build("colo", [BODY], plugins=c.path("colo"), layout="colo")
c.ok(rc == 1 and "colo/layouts/colo.lua:5: error: out:footnote: the 版记 has no footnotes" in err,
     f"out:footnote in the 版记 is an error ({err.strip()[:300]})")
# }=====

c.done()
