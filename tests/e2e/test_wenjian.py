"""End to end: the GB/T 9704 文件 format (issue 23), measured in mm from the PDFs of
examples/wenjian with PyMuPDF (python3-fitz): the 版头 (份号/密级/紧急程度, the red 标志
35 mm below the 版心 top, the 发文字号 2 lines below it, 签发人, the red rule 4 mm below),
the title (2号, centred, 2 lines below the rule), 主送 flush left, 附件说明 (2 字 in, later
items under the first item's name), the 落款 with 印章 (date 4 字 from the right, 署名
centred over it, the seal over both, drawn with a multiply blend) and without (§7.3.5.2),
附注, attachments on new pages ("附件1" on line 1, the title on line 3), the 版记 (rules
0.35/0.25/0.35 mm, the last on the 版心 bottom, 1 字 indents, text clear of the rules) on
an even page, and page numbers ("— N —", odd right, even left, 1 字 in, 7 mm below).
Also: the header keys fill the document model (dump), and a bad 版式 is an error at its
line:col. And the pieces added later: a joint 标志 (§7.2.4: the names stacked, the 主办机关
first, 文件 to their right, centred on the stack), the 签名章 (§7.3.5.3: 4 字 from the right,
the 职务 2 字 left of it and centred on it, the date a blank line below; a damaged file an
error at its field), and a 落款 that falls just over a page's end (§7.3.5.5: that page's
lines set closer, never below 0.85 of the grid's pitch, else the last lines go with it)."""
import sys

try:
    import fitz
except ImportError:  # Debian's python3-fitz, when python3 is another build of 3.11
    sys.path.append("/usr/lib/python3/dist-packages/")
    import fitz

from pdfcheck import Checker

c = Checker()
MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28.0, 184.0, 37.0, 262.0  # the 版心, mm
PITCH = 225 / 22  # a grid line, mm
ZI = 156 / 28  # one 字 of 3号 on the grid, mm
ZI4 = ZI * 14 / 16  # one 字 of 4号
ASCENT = 0.88  # em-box top above the baseline (layout/gw_layout_int.h)
RED = 0xE60000


def near(a, b, tol, what):
    return c.ok(a is not None and abs(a - b) <= tol, f"{what}: {a if a is None else round(a, 2)} "
                f"mm, want {round(b, 2)} ± {tol}")


def spans(page):
    """Every text span: text, size, colour, left/right/top (em box)/bottom in mm."""
    out = []
    for b in page.get_text("dict")["blocks"]:
        for ln in b.get("lines", []):
            for s in ln["spans"]:
                if not s["text"].strip():
                    continue
                top = (s["origin"][1] - ASCENT * s["size"]) / MM
                out.append({"text": s["text"].strip(), "size": s["size"], "color": s["color"],
                            "x0": s["bbox"][0] / MM, "x1": s["bbox"][2] / MM, "top": top,
                            "bottom": top + s["size"] / MM})
    return out


def find(page, start):
    """The first span whose text starts with start, or None."""
    return next((s for s in spans(page) if s["text"].startswith(start)), None)


def rules(page):
    """Horizontal lines: (y, x0, x1, width) in mm (width in mm too), colour as int."""
    out = []
    for d in page.get_drawings():
        for it in d["items"]:
            if it[0] == "l" and abs(it[1].y - it[2].y) < 0.01:
                col = d.get("color") or (0, 0, 0)
                rgb = (round(col[0] * 255) << 16) | (round(col[1] * 255) << 8) | round(col[2] * 255)
                out.append({"y": it[1].y / MM, "x0": it[1].x / MM, "x1": it[2].x / MM,
                            "w": d["width"] / MM, "color": rgb})
    return sorted(out, key=lambda r: r["y"])


def build(name):
    pdf = c.path(name + ".pdf")
    rc, out, err = c.run("build", f"examples/wenjian/{name}.txt", "-o", pdf)
    c.ok(rc == 0, f"{name} builds ({err.strip()[:300]})")
    return fitz.open(pdf)


def masthead(doc, name, signer=False):
    """The 版头 of page 1; returns the red rule's y (mm)."""
    p = doc[0]
    mark = next((s for s in spans(p) if s["color"] == RED), None)
    c.ok(mark is not None, f"{name}: a red 标志")
    near(mark and mark["top"], TOP + 35, 1.0, f"{name}: 标志 top")
    c.ok(mark and mark["x0"] >= LEFT - 0.5 and mark["x1"] <= RIGHT + 0.5, f"{name}: 标志 in 156 mm")
    if not signer:
        near(mark and (mark["x0"] + mark["x1"]) / 2, (LEFT + RIGHT) / 2, 1.0, f"{name}: 标志 centred")
    num = next(s for s in spans(p) if "〔" in s["text"])
    near(num["top"] - (mark["top"] + mark["size"] / MM), 2 * PITCH, 1.5,
         f"{name}: 发文字号 2 lines below the 标志")
    red = [r for r in rules(p) if r["color"] == RED]
    c.ok(len(red) == 1, f"{name}: one red rule ({len(red)})")
    r = red[0]
    near(r["y"] - num["bottom"], 4, 0.7, f"{name}: red rule 4 mm below the 发文字号")
    near(r["x0"], LEFT, 0.3, f"{name}: red rule starts at the 版心's left")
    near(r["x1"] - r["x0"], 156, 0.3, f"{name}: red rule 156 mm")
    if signer:
        near(num["x0"], LEFT + 16 / MM, 0.7, f"{name}: 发文字号 1 字 in from the left")
        label = find(p, "签发人")
        c.ok(label is not None, f"{name}: 签发人：")
        names = [s for s in spans(p) if abs(s["top"] - num["top"]) < 0.5 and s is not num]
        near(max(s["x1"] for s in names), RIGHT - 16 / MM, 0.7, f"{name}: 签发人 1 字 from the right")
        c.ok(all(abs(s["top"] - num["top"]) < 0.5 for s in names), f"{name}: 签发人 on the 字号's line")
    else:
        near((num["x0"] + num["x1"]) / 2, (LEFT + RIGHT) / 2, 1.0, f"{name}: 发文字号 centred")
    # the title: 2号, centred, 2 lines below the rule; 主送 1 line below, flush left
    title = [s for s in spans(p) if abs(s["size"] - 22) < 0.1]
    c.ok(len(title) >= 1, f"{name}: a 22 pt title")
    for t in title:
        near((t["x0"] + t["x1"]) / 2, (LEFT + RIGHT) / 2, 1.0, f"{name}: title line centred")
    gap = (title[0]["top"] - r["y"]) / PITCH
    c.ok(2 <= gap <= 3.2, f"{name}: title 2 blank lines below the rule ({gap:.2f} lines)")
    sal = next(s for s in spans(p) if s["text"].endswith("：") and s["top"] > title[-1]["top"])
    near(sal["x0"], LEFT, 0.3, f"{name}: 主送 flush left")
    c.ok(sal["top"] - title[-1]["bottom"] > PITCH * 0.9, f"{name}: 主送 1 line below the title")
    return r["y"]


def page_numbers(doc, name, colophon_page):
    for i, p in enumerate(doc):
        n = i + 1
        num = find(p, "—")
        if n == colophon_page and n % 2 == 0 and i > 0 and not spans(doc[i - 1]):
            c.ok(num is None, f"{name}: no number on the 版记 page after a blank one")
            continue
        if not c.ok(num is not None and num["text"].replace(" ", "") == f"—{n}—",
                    f"{name}: page {n} numbered — {n} —"):
            continue
        near(num["top"], BOTTOM + 7, 1.0, f"{name}: page {n}'s number 7 mm below the 版心")
        if n % 2:
            near(num["x1"], RIGHT - 14 / MM, 0.8, f"{name}: odd page {n}'s number right, 1 字 in")
        else:
            near(num["x0"], LEFT + 14 / MM, 0.8, f"{name}: even page {n}'s number left, 1 字 in")


def colophon(doc, name, want):
    """The 版记 on the last page: rules, indents, clear space, an even page."""
    last = doc[-1]
    c.ok(len(doc) % 2 == 0, f"{name}: the 版记 is on an even page ({len(doc)})")
    rs = [r for r in rules(last) if r["color"] == 0 and r["x1"] - r["x0"] > 150 and r["y"] > 180]
    c.eq(len(rs), want, f"{name}: 版记 rules")
    if not rs:
        return
    near(rs[-1]["y"], BOTTOM, 0.3, f"{name}: the last 版记 rule on the 版心 bottom")
    near(rs[0]["w"], 0.35, 0.02, f"{name}: first 版记 rule 0.35 mm")
    near(rs[-1]["w"], 0.35, 0.02, f"{name}: last 版记 rule 0.35 mm")
    for r in rs[1:-1]:
        near(r["w"], 0.25, 0.02, f"{name}: inner 版记 rule 0.25 mm")
    texts = [s for s in spans(last) if s["top"] > rs[0]["y"] - 0.5 and s["bottom"] < BOTTOM + 1]
    for s in texts:
        clear = min(abs(s["top"] - r["y"]) for r in rs), min(abs(s["bottom"] - r["y"]) for r in rs)
        c.ok(min(clear) >= 1.0, f"{name}: 版记 text {s['text'][:6]} clear of the rules ({min(clear):.2f} mm)")
    cc = next(s for s in texts if s["text"].startswith("抄送"))
    near(cc["x0"], LEFT + ZI4, 0.5, f"{name}: 抄送 1 字 in")
    c.ok(cc["text"].endswith("。") or any(s["text"].endswith("。") for s in texts if s is not cc),
         f"{name}: 抄送 ends in 。")
    more = [s for s in texts if s["top"] > cc["top"] + 1 and s["top"] < cc["top"] + PITCH * 1.5
            and not s["text"].endswith("印发") and s["x0"] < 100]
    for s in more:
        if s["top"] < rs[1]["y"] if len(rs) > 2 else True:
            near(s["x0"], LEFT + 4 * ZI4, 0.6, f"{name}: 抄送's wrapped names after the colon")
    date = next(s for s in texts if s["text"].endswith("印发"))
    near(date["x1"], RIGHT - ZI4, 0.6, f"{name}: 印发日期 1 字 from the right")
    office = next(s for s in texts if abs(s["top"] - date["top"]) < 0.3 and s is not date)
    near(office["x0"], LEFT + ZI4, 0.5, f"{name}: 印发机关 1 字 in, on the 印发日期's line")


def closing(doc, name, sealed):
    """The 落款 (and the seal) on whichever page holds the date."""
    for i, p in enumerate(doc):
        date = next((s for s in spans(p) if s["text"].startswith("2024年") and s["text"].endswith("日")
                     and s["x1"] > 120), None)
        if date:
            break
    c.ok(date is not None, f"{name}: the 成文日期")
    sig = max((s for s in spans(p) if s["bottom"] <= date["top"] + 0.5 and s["x1"] > 120),
              key=lambda s: s["top"])
    if sealed:
        near(date["x1"], RIGHT - 4 * ZI, 0.7, f"{name}: sealed: 成文日期 4 字 from the right")
        near((sig["x0"] + sig["x1"]) / 2, (date["x0"] + date["x1"]) / 2, 0.7,
             f"{name}: sealed: 署名 centred over the date")
        imgs = p.get_image_info()
        c.ok(len(imgs) == 1, f"{name}: one seal image on the date's page")
        x0, y0, x1, y1 = (v / MM for v in imgs[0]["bbox"])
        near((x0 + x1) / 2, (date["x0"] + date["x1"]) / 2, 0.7, f"{name}: the seal centred on the date")
        cy = (y0 + y1) / 2
        dy = (date["top"] + date["bottom"]) / 2 - cy
        c.ok(0 < dy < 10, f"{name}: the date slightly below the seal's centre ({dy:.1f} mm)")
        c.ok(y0 < sig["top"] and y1 > date["bottom"], f"{name}: the seal covers 署名 and date")
        above = [s for s in spans(p) if s["bottom"] < y0 + 1 and s["bottom"] < sig["top"]]
        c.ok(above and y0 - max(s["bottom"] for s in above) <= PITCH,
             f"{name}: the seal's top within one line of the text above")
        xref = [x for x in range(1, doc.xref_length()) if "/Multiply" in (doc.xref_object(x) or "")]
        c.ok(xref, f"{name}: the seal drawn with a multiply blend")
    else:
        # §7.3.5.2: 署名 2 字 from the right, the date starting 2 字 right of it; a date that
        # would then come within 2 字 of the right is 2 字 from it and the 署名 moves left
        near(max(sig["x1"], date["x1"]), RIGHT - 2 * ZI, 0.7, f"{name}: unsealed: 落款 2 字 from the right")
        near(date["x0"] - sig["x0"], 2 * ZI, 0.7, f"{name}: unsealed: date starts 2 字 right of 署名")
        c.ok(date["x1"] <= RIGHT - 2 * ZI + 0.5, f"{name}: unsealed: date at least 2 字 from the right")
        c.ok(not p.get_image_info(), f"{name}: unsealed: no image")
    return p, date


# --- the 通知: sealed, 份号/密级/紧急程度, two 附件, 附注, 版记 ----------------------------
doc = build("tongzhi")
p1 = doc[0]
for k, (text, line) in enumerate([("000123", 0), ("秘密★1年", 1), ("特急", 2)]):
    s = find(p1, text)
    c.ok(s is not None, f"通知: {text} on page 1")
    near(s and s["x0"], LEFT, 0.3, f"通知: {text} flush left")
    near(s and s["top"], TOP + line * PITCH, 1.0, f"通知: {text} on line {line + 1}")
masthead(doc, "通知")
att = [s for p in doc for s in spans(p) if s["text"].startswith("附件：") or s["text"].startswith("2.")]
first = next(s for s in att if s["text"].startswith("附件："))
near(first["x0"], LEFT + 2 * ZI, 0.5, "通知: 附件说明 2 字 in")
second = next(s for s in att if s["text"].startswith("2."))
near(second["x0"], LEFT + 5 * ZI, 0.6, "通知: the second 附件 under the first's number")
page, date = closing(doc, "通知", sealed=True)
note = find(page, "（此件公开发布）")
c.ok(note is not None and note["top"] > date["top"], "通知: 附注 in （） after the date")
near(note and note["x0"], LEFT + 2 * ZI, 0.5, "通知: 附注 2 字 in")
labels = [(i, find(p, f"附件{n}")) for n in (1, 2) for i, p in enumerate(doc) if find(p, f"附件{n}")
          and find(p, f"附件{n}")["text"] == f"附件{n}"]
c.eq(len(labels), 2, "通知: two attachment pages")
prev = -1
for i, lab in labels:
    c.ok(i > prev and i > 0, f"通知: {lab['text']} starts page {i + 1}")
    prev = i
    near(lab["x0"], LEFT, 0.3, f"通知: {lab['text']} flush left")
    near(lab["top"], TOP, 0.5, f"通知: {lab['text']} on line 1")
    title = next(s for s in spans(doc[i]) if abs(s["size"] - 22) < 0.1)
    # a 22 pt line is centred where a body line (on its grid line's top) would be centred
    near((title["top"] + title["bottom"]) / 2, TOP + 2 * PITCH + 8 / MM, 1.0,
         f"通知: {lab['text']}'s title on line 3")
    near((title["x0"] + title["x1"]) / 2, (LEFT + RIGHT) / 2, 1.0, f"通知: {lab['text']}'s title centred")
colophon(doc, "通知", 3)
page_numbers(doc, "通知", len(doc))

# --- the 请示: 签发人, unsealed ---------------------------------------------------------------
doc = build("qingshi")
masthead(doc, "请示", signer=True)
closing(doc, "请示", sealed=False)
page_numbers(doc, "请示", 0)

# --- the 报告: sealed, 版记 ---------------------------------------------------------------------
doc = build("baogao")
masthead(doc, "报告")
closing(doc, "报告", sealed=True)
colophon(doc, "报告", 3)
page_numbers(doc, "报告", len(doc))

# --- the 函 (信函 format, §10.1) ------------------------------------------------------------------
doc = build("han")
p1 = doc[0]
# a balanced title never parts a word: the organ's name over 关于…的函, not "关于商 / 请协助"
title = [s["text"] for s in spans(p1) if abs(s["size"] - 22) < 0.5]
c.eq(title, ["示范县人民政府办公室", "关于商请协助开展防汛联合演练的函"], "函: title lines")
mark = next(s for s in spans(p1) if s["color"] == RED)
near(mark["top"], 30, 1.0, "函: 标志 top 30 mm from the page top")
red = [r for r in rules(p1) if r["color"] == RED]
c.eq(len(red), 4, "函: two red double rules")
for r in red:
    near(r["x1"] - r["x0"], 170, 0.3, "函: red rule 170 mm")
    near((r["x0"] + r["x1"]) / 2, 105, 0.3, "函: red rule centred on the page")
c.ok(red[0]["w"] > red[1]["w"] and red[2]["w"] < red[3]["w"], "函: thick over thin, then thin over thick")
near(red[0]["y"] - mark["bottom"], 4, 0.7, "函: the first double rule 4 mm below the 标志")
near(red[3]["y"], 297 - 20, 0.8, "函: the second double rule 20 mm above the page bottom")
num = next(s for s in spans(p1) if "〔" in s["text"])
copy = find(p1, "000045")
near(num["x1"], RIGHT, 0.5, "函: 发文字号 flush right")
near(copy["x0"], LEFT, 0.3, "函: 份号 flush left")
c.ok(abs(num["top"] - copy["top"]) < 0.3 and num["top"] > red[1]["y"], "函: 份号 and 字号 under the rule")
c.ok(find(p1, "—") is None, "函: no page number on page 1")
c.ok(not any(s["text"].endswith("印发") for s in spans(doc[-1])), "函: no 印发 line in the 版记")
closing(doc, "函", sealed=True)

# --- the 命令 (§10.2) -------------------------------------------------------------------------------
doc = build("mingling")
p1 = doc[0]
mark = next(s for s in spans(p1) if s["color"] == RED)
near(mark["top"], TOP + 20, 1.0, "命令: 标志 20 mm below the 版心 top")
c.ok(mark["text"].endswith("令"), "命令: 标志 ends in 令")
num = find(p1, "第3号")
near((num["x0"] + num["x1"]) / 2, (LEFT + RIGHT) / 2, 1.0, "命令: 令号 centred")
near(num["top"] - mark["bottom"], 2 * PITCH, 1.5, "命令: 令号 2 lines below the 标志")
body = find(p1, "《")
near(body["top"] - num["bottom"], 2 * PITCH, 1.5, "命令: body 2 lines below the 令号")
c.ok(not [r for r in rules(p1) if r["color"] == RED], "命令: no red rule")
sig, date = find(p1, "县长"), find(p1, "2024年4月1日")
# 县长　张　伟: the full-width spaces that pad the name stay (spacing), and split the spans
sig_end = max(s["x1"] for s in spans(p1) if abs(s["top"] - sig["top"]) < 0.3)
near(sig_end, RIGHT - 4 * ZI, 0.7, "命令: 职务 and name 4 字 from the right")
near(date["x1"], RIGHT - 4 * ZI, 0.7, "命令: date 4 字 from the right")

# --- the 纪要 (§10.3) -------------------------------------------------------------------------------
doc = build("jiyao")
mark = next(s for s in spans(doc[0]) if s["color"] == RED)
near(mark["top"], TOP + 35, 1.0, "纪要: 标志 35 mm below the 版心 top")
c.ok(mark["text"].endswith("纪要"), "纪要: 标志 ends in 纪要")
allspans = [(i, s) for i, p in enumerate(doc) for s in spans(p)]
for label in ("出席：", "请假：", "列席："):
    i, lab = next((i, s) for i, s in allspans if s["text"].startswith(label))
    near(lab["x0"], LEFT + 2 * ZI, 0.5, f"纪要: {label} 2 字 in")
    raw = [sp for b in doc[i].get_text("dict")["blocks"] for ln in b.get("lines", [])
           for sp in ln["spans"] if sp["text"].strip()]
    fonts = {sp["font"] for sp in raw if abs((sp["origin"][1] - ASCENT * sp["size"]) / MM - lab["top"]) < 0.3}
    c.ok(len(fonts) == 2, f"纪要: {label} label and names in two fonts ({fonts})")
# the line after 出席's first: its first span starts a name (where the names wrap depends on
# the faces and the grid, so it is found as the first span below the label, not by a name)
i0, lab0 = next((i, s) for i, s in allspans if s["text"].startswith("出席："))
wrapped = min((s for i, s in allspans if i == i0 and 3 < s["top"] - lab0["top"] < 12),
              key=lambda s: (s["top"], s["x0"]))
near(wrapped["x0"], LEFT + 5 * ZI, 0.6, "纪要: wrapped names after the colon")

# --- gongwen new: every starter builds, warnings and all -----------------------------------------
import shutil
shutil.copy("examples/wenjian/seal.png", c.path("seal.png"))
for kind in ("通知", "请示", "报告", "函", "纪要", "命令", "简报", "notice"):
    rc, out, err = c.run("new", kind)
    if not c.ok(rc == 0 and "//" in out, f"gongwen new {kind} ({err.strip()[:200]})"):
        continue
    # every header field is explained in a comment line
    head = out.split("\n\n", 1)[0].splitlines()
    comments = " ".join(ln for ln in head if ln.startswith("//"))
    keys = [ln.split(":")[0] for ln in head if not ln.startswith("//") and ":" in ln]
    c.ok(keys and all(k in comments for k in keys),
         f"{kind}: a comment for every field ({[k for k in keys if k not in comments]})")
    src = c.write(f"new-{kind}.txt", out)
    rc, _, err = c.run("build", "--strict", src, "-o", c.path(f"new-{kind}.pdf"))
    c.ok(rc == 0 and not err.strip(), f"the {kind} starter builds with --strict ({err.strip()[:300]})")
    # fix keeps every line: the comments, and an attachment's title apart from its body
    rc, fixed, err = c.run("fix", src)
    c.ok(rc == 0 and fixed == out,
         f"{kind}: fix writes the starter back as it is, comments and blank lines in place "
         f"({err.strip()[:200]})")
rc, out, err = c.run("new", "公告")
c.ok(rc == 2 and "no starter for '公告'" in err, f"an unknown kind is refused ({err.strip()[:200]})")

# --- the model: header keys fill the same nodes as body marks ----------------------------------
rc, out, err = c.run("dump", "examples/wenjian/tongzhi.txt")
for want in ("headline 7:5 示范县人民政府关于做好2024年汛期安全防范工作的通知",
             "salutation 8:5 各乡镇人民政府，县直有关单位", "signature 11:5 示范县人民政府",
             "date 12:7 2024年3月1日", "note 14:5 此件公开发布", "field 6:7 发文字号 = 示政发〔2024〕5号",
             "field 13:5 印章 = seal.png"):
    c.ok(want in out, f"dump shows {want}")
c.ok(out.index("date 12:7") < out.index("section 27:2 附件1"), "the close comes before 【附件1】")
# the English aliases and the formats' names
src = c.write("en.txt", "layout: document\nissuer-mark: 示范县人民政府文件\ndoc-number: 示政发〔2024〕1号\n"
              "title: 关于测试的通知\naddressee: 各单位\nsignature: 示范县人民政府\nsigned: 2024年1月2日\n\n"
              "正文。\n")
rc, out, err = c.run("dump", src)
c.ok("headline 4:8 关于测试的通知" in out and "field 3:13 发文字号" in out, f"English aliases ({out[:200]})")
rc, out, err = c.run("build", src, "-o", c.path("en.pdf"))
c.ok(rc == 0, f"版式 document builds the 文件 layout ({err.strip()[:200]})")
bad = c.write("bad.txt", "版式: 公函\n\n正文。\n")
rc, out, err = c.run("build", bad, "-o", c.path("bad.pdf"))
c.ok(rc != 0 and f"{bad}:1:5: error: 版式 '公函' is not a format" in err, f"unknown 版式 at 1:5 ({err[:200]})")
# a joint 请示: two 签发人 stack, the 字号 on the last name's line; the 落款's lines stay together
src = c.write("joint.txt", "版式: 文件\n发文机关标志: 示范县人民政府 示范县财政局 文件\n"
              "发文字号: 示政〔2024〕12号\n签发人: 李　明\n签发人: 王　芳\n标题: 关于申请资金的请示\n"
              "主送: 示范市人民政府\n署名: 示范县人民政府\n署名: 示范县财政局\n成文日期: 2024年4月8日\n\n"
              "正文内容。\n")
rc, out, err = c.run("build", src, "-o", c.path("joint.pdf"))
c.ok(rc == 0, f"a joint 请示 builds ({err[:200]})")
doc = fitz.open(c.path("joint.pdf"))
p1 = doc[0]
first, second, num = find(p1, "李"), find(p1, "王"), find(p1, "示政")
near(second["top"] - first["top"], PITCH, 0.5, "joint: the second 签发人 a line below the first")
near(second["x0"], first["x0"], 0.3, "joint: the names line up")
near(num["top"], second["top"], 0.3, "joint: the 发文字号 on the last name's line")
red = [r for r in rules(p1) if r["color"] == RED]
near(red[0]["y"] - num["bottom"], 4, 0.7, "joint: the red rule 4 mm below the 发文字号")
where = {t: [i for i, pg in enumerate(doc) if find(pg, t)] for t in ("示范县人民政府", "示范县财政局", "2024年4月8日")}
pages_of = {tuple(v[-1:]) for v in where.values()}
c.ok(len(pages_of) == 1, f"joint: both 署名 and the date on one page ({where})")

# 首页必须显示正文: a 主送 that fills page 1 is an error at its line
names = "，".join(f"示范县第{i}乡镇人民政府" for i in range(1, 60))
src = c.write("long.txt", "版式: 文件\n发文机关标志: 示范县人民政府文件\n发文字号: 示政发〔2024〕5号\n"
              f"标题: 关于测试的通知\n主送: {names}\n\n正文内容。\n")
rc, out, err = c.run("build", src, "-o", c.path("long.pdf"))
c.ok(rc != 0 and f"{src}:5:5: error: page 1 shows none of the text" in err, f"page 1 without text ({err[:200]})")
rc, out, err = c.run("build", "--layout", "gbt9704", src, "-o", c.path("long-jb.pdf"))
c.ok(rc == 0, f"the 简报 layout does not ask for it ({err[:200]})")

# gongwen fix writes a 文件 back as it was: the header in its order, 【附件1】title on one line
for name in ("tongzhi", "han", "mingling", "baogao"):
    rc, out, err = c.run("fix", f"examples/wenjian/{name}.txt")
    with open(f"examples/wenjian/{name}.txt", encoding="utf-8") as f:
        c.ok(rc == 0 and out == f.read(), f"fix {name}.txt gives it back unchanged ({err[:200]})")

# the wenhao rules: a 发文字号 with [ ] or （ ）, 第 or a leading zero, a 成文日期 in Chinese numerals
src = c.write("rules.txt", "版式: 文件\n发文机关标志: 示范县人民政府文件\n发文字号: 示政发[2024]5号\n"
              "标题: 关于测试的通知\n署名: 示范县人民政府\n成文日期: 二〇二四年三月一日\n\n"
              "正文引用示政发〔2024〕第5号和示政发〔2024〕05号文件。\n")
rc, out, err = c.run("check", src)
for want in ("3:7: warning[wenhao-year-brackets]", "6:7: warning[date-chinese-numerals]",
             "8:8: warning[wenhao-di]", "8:21: warning[wenhao-leading-zero]"):
    c.ok(f"{src}:{want}" in out, f"check flags {want} on stdout ({out[:400]})")
rc, out, err = c.run("check", "examples/wenjian/tongzhi.txt")
c.ok("wenhao" not in err and "date-chinese" not in err, f"a correct 通知 is not flagged ({err[:300]})")

def build_text(name, text, what):
    """Build text (written as name.txt) and open its PDF: the document, or None."""
    src = c.write(name + ".txt", text)
    rc, out, err = c.run("build", src, "-o", c.path(name + ".pdf"))
    if c.ok(rc == 0, f"{what} builds ({err[-200:]})"):
        return fitz.open(c.path(name + ".pdf"))


# --- §7.2.4: joint 标志 ----------------------------------------------------------------------------
def ink_spans(page):
    """spans(), each span's x0/x1 those of its first and last character that is not a space
    (a spread line's span may run on over the space after it)."""
    out = []
    for b in page.get_text("rawdict")["blocks"]:
        for ln in b.get("lines", []):
            for s in ln["spans"]:
                ch = [ch for ch in s["chars"] if ch["c"].strip()]
                if not ch:
                    continue
                top = (s["origin"][1] - ASCENT * s["size"]) / MM
                out.append({"text": "".join(ch["c"] for ch in ch), "size": s["size"],
                            "color": s["color"], "x0": ch[0]["bbox"][0] / MM,
                            "x1": ch[-1]["bbox"][2] / MM, "top": top, "bottom": top + s["size"] / MM})
    return out


def joint_mark(doc, name, names):
    """The names stacked from 35 mm down, 主办机关 first, spread to one width; 文件 right of
    them, vertically centred on the stack; all within 156 mm and centred; the 发文字号 2
    lines below the stack."""
    p = doc[0]
    red = sorted((s for s in ink_spans(p) if s["color"] == RED), key=lambda s: (s["top"], s["x0"]))
    word = next((s for s in red if s["text"] == "文件"), None)
    stack = [s for s in red if s is not word]
    c.eq([s["text"] for s in stack], names, f"{name}: the names stacked in order")
    if not c.ok(word is not None and len(stack) == len(names), f"{name}: 文件 apart from the names"):
        return
    near(stack[0]["top"], TOP + 35, 1.0, f"{name}: the 标志's top 35 mm below the 版心 top")
    for a, b in zip(stack, stack[1:]):
        c.ok(b["top"] >= a["bottom"] - 0.2, f"{name}: {b['text'][:3]} under {a['text'][:3]}")
        near(b["x0"], a["x0"], 0.5, f"{name}: the names start together")
        near(b["x1"], a["x1"], 1.0, f"{name}: the names end together (spread)")
    c.ok(word["x0"] >= max(s["x1"] for s in stack) - 0.5, f"{name}: 文件 to the right of the names")
    mid = (stack[0]["top"] + stack[-1]["bottom"]) / 2
    near((word["top"] + word["bottom"]) / 2, mid, 1.0, f"{name}: 文件 centred on the stack")
    x0, x1 = min(s["x0"] for s in red), max(s["x1"] for s in red)
    c.ok(x0 >= LEFT - 0.5 and x1 <= RIGHT + 0.5, f"{name}: the 标志 within 156 mm ({x0:.1f}-{x1:.1f})")
    near((x0 + x1) / 2, (LEFT + RIGHT) / 2, 1.0, f"{name}: the 标志 centred")
    num = next(s for s in spans(p) if "〔" in s["text"])
    near(num["top"] - stack[-1]["bottom"], 2 * PITCH, 1.5, f"{name}: 发文字号 2 lines below the stack")
    rule = [r for r in rules(p) if r["color"] == RED]
    c.ok(len(rule) == 1, f"{name}: one red rule")
    near(rule[0]["y"] - num["bottom"], 4, 0.7, f"{name}: red rule 4 mm below the 发文字号")
    return stack, word


doc = build("lianhe")  # two 发文机关 lines
joint_mark(doc, "联合通知", ["示范县人民政府", "示范县应急管理局"])
page, date = closing(doc, "联合通知", sealed=False)
c.ok(find(page, "示范县人民政府") is not None and find(page, "示范县应急管理局") is not None,
     "联合通知: both 署名 on the date's page")
colophon(doc, "联合通知", 3)
doc = build("lianhe3")  # 发文机关标志: A B C 文件
stack, word = joint_mark(doc, "三机关联合通知", ["示范县人民政府", "示范县应急管理局", "示范县水利局"])
near((word["top"] + word["bottom"]) / 2, (stack[1]["top"] + stack[1]["bottom"]) / 2, 1.0,
     "三机关联合通知: 文件 beside the middle name")
rc, text, err = c.run("build", "examples/wenjian/lianhe3.txt", "-o", c.path("lianhe3b.pdf"))
import subprocess
txt = subprocess.run(["pdftotext", "-l", "1", c.path("lianhe3b.pdf"), "-"], capture_output=True,
                     text=True).stdout
c.ok("示范县人民政府\n" in txt and "示范县水利局\n" in txt, f"joint names extract without spaces ({txt[:80]!r})")
# long names shrink so that the whole 标志 keeps within 156 mm
doc = build_text("joint-long", "版式: 文件\n发文机关: 示范县人民政府办公室综合事务中心\n"
                 "发文机关: 示范县应急管理局防汛抗旱指挥部办公室\n发文字号: 示政联〔2024〕9号\n"
                 "标题: 关于测试的通知\n主送: 各单位\n署名: 示范县人民政府\n成文日期: 2024年5月6日\n\n"
                 "正文内容。\n", "a joint 标志 of long names")
red = [s for s in spans(doc[0]) if s["color"] == RED]
c.ok(all(s["size"] < 42 for s in red), f"long joint names shrink ({[round(s['size'], 1) for s in red]})")
joint_mark(doc, "长名称联合", ["示范县人民政府办公室综合事务中心", "示范县应急管理局防汛抗旱指挥部办公室"])
# one 发文机关 stays the plain 标志 (发文机关 + 文件 on one line)
one = build_text("one-organ", "版式: 文件\n发文机关: 示范县人民政府\n发文字号: 示政〔2024〕9号\n"
                 "标题: 关于测试的通知\n署名: 示范县人民政府\n成文日期: 2024年5月6日\n\n正文内容。\n",
                 "one 发文机关")
red = [s["text"] for s in spans(one[0]) if s["color"] == RED]
c.eq(red, ["示范县人民政府文件"], "one 发文机关: 标志 on one line")

# --- §7.3.5.3: 签名章 ---------------------------------------------------------------------------------
def signed(doc, name, titles):
    """Each 职务 2 字 left of its 签名章, centred on it; the seals 4 字 from the right; the date
    a blank line below the last, 4 字 from the right; 2 blank lines above the first."""
    p = doc[-1]
    imgs = sorted((tuple(v / MM for v in i["bbox"]) for i in p.get_image_info()), key=lambda b: b[1])
    c.eq(len(imgs), len(titles), f"{name}: one 签名章 a 职务")
    body = [s for s in spans(p) if abs(s["size"] - 16) < 0.1 and s["x0"] < LEFT + 3 * ZI]
    for (x0, y0, x1, y1), t in zip(imgs, titles):
        near(x1, RIGHT - 4 * ZI, 0.7, f"{name}: 签名章 4 字 from the right")
        near(y1 - y0, 15, 0.3, f"{name}: 签名章 15 mm high")
        s = find(p, t)
        if not c.ok(s is not None, f"{name}: the 职务 {t}"):
            continue
        near(x0 - s["x1"], 2 * ZI, 0.7, f"{name}: {t} 2 字 left of its 签名章")
        near((s["top"] + s["bottom"]) / 2, (y0 + y1) / 2, 0.7, f"{name}: {t} centred on its 签名章")
    for a, b in zip(imgs, imgs[1:]):
        c.ok(b[1] >= a[3] - 0.01, f"{name}: the 签名章 clear of each other ({b[1] - a[3]:.2f} mm)")
    date = find(p, "2024年5月10日")
    near(date["x1"], RIGHT - 4 * ZI, 0.7, f"{name}: the date 4 字 from the right")
    gap = date["top"] - imgs[-1][3]
    c.ok(0.5 * PITCH <= gap <= 1.5 * PITCH, f"{name}: the date a blank line below the 签名章 ({gap:.1f} mm)")
    first = find(p, titles[0])
    above = max(s["bottom"] for s in spans(p) if s["bottom"] < first["top"] - 1)
    c.ok(first["top"] - above >= 2 * PITCH, f"{name}: 2 blank lines above the first 职务 "
         f"({(first['top'] - above) / PITCH:.2f} lines)")
    c.ok(imgs[0][1] - above >= PITCH, f"{name}: the 签名章 clear of the text above")
    xref = [x for x in range(1, doc.xref_length()) if "/Multiply" in (doc.xref_object(x) or "")]
    c.ok(xref, f"{name}: the 签名章 drawn with a multiply blend")


doc = build("qianming")
signed(doc, "命令 with 签名章", ["县长"])
shutil.copy("examples/wenjian/signature.png", c.path("signature.png"))
doc = build_text("joint-signed", "版式: 文件\n发文机关: 示范县人民政府\n发文机关: 示范县财政局\n"
                 "发文字号: 示政联〔2024〕5号\n标题: 关于测试的联合通知\n主送: 各单位\n"
                 "署名: 示范县人民政府县长\n签名章: signature.png\n署名: 示范县财政局局长\n"
                 "signature-seal: signature.png\n成文日期: 2024年5月10日\n\n正文内容。\n",
                 "a joint document with two 签名章")
signed(doc, "joint 签名章", ["示范县人民政府县长", "示范县财政局局长"])
# a 签名章 more than the 署名 lines still has a row of its own (nothing is lost)
doc = build_text("more-seals", "版式: 命令\n发文机关: 示范县人民政府\n发文字号: 第4号\n署名: 县长\n"
                 "签名章: signature.png\n签名章: signature.png\n成文日期: 2024年5月10日\n\n正文。\n",
                 "two 签名章 and one 署名")
imgs = sorted(i["bbox"][1] / MM for i in doc[0].get_image_info())
c.ok(len(imgs) == 2 and imgs[1] - imgs[0] >= 15 - 0.01, f"both 签名章 set, one under the other ({imgs})")
# a bad 签名章 or 印章 file is an error at its field's line and column
c.write("bad.png", "x")
shutil.copy("examples/wenjian/seal.png", c.path("seal.png"))
with open("examples/wenjian/signature.png", "rb") as f:
    c.write("cut.png", f.read()[:100], mode="wb")
with open("examples/wenjian/qianming.txt", encoding="utf-8") as f:
    order = f.read()
with open("examples/wenjian/tongzhi.txt", encoding="utf-8") as f:
    notice = f.read()
for what, text, at in (
        ("a 签名章 that is no image", order.replace("signature.png", "bad.png"), "5:6"),
        ("a cut 签名章 PNG", order.replace("signature.png", "cut.png"), "5:6"),
        ("a missing 签名章", order.replace("signature.png", "none.png"), "5:6"),
        ("a cut 印章 PNG", notice.replace("印章: seal.png", "印章: cut.png"), "13:5")):
    src = c.write("badimg.txt", text)
    rc, out, err = c.run("build", src, "-o", c.path("badimg.pdf"))
    c.ok(rc != 0 and f"{src}:{at}: error:" in err, f"{what}: an error at its field, {at} ({err[-300:]})")

# --- §7.3.5.5: a 落款 just over the page end ------------------------------------------------------
PARA = "为切实做好汛期安全防范工作，确保人民群众生命财产安全，经县人民政府同意，现将有关事项通知如下，请认真贯彻落实。"
SHORT = "各单位要认真贯彻落实。"


def squeeze_doc(name, paras, short, seal, signers=("示范县人民政府",)):
    """A 通知 of paras two-line paragraphs and short one-line ones; per page: the tops of
    its 16 pt lines (mm), and the index of the page with the date."""
    head = ("版式: 文件\n发文机关标志: 示范县人民政府文件\n发文字号: 示政发〔2024〕5号\n标题: 关于测试的通知\n"
            "主送: 各单位\n" + "".join(f"署名: {n}\n" for n in signers) + "成文日期: 2024年3月1日\n"
            + ("印章: seal.png\n" if seal else ""))
    doc = build_text(name, head + "\n" + "\n".join([PARA] * paras + [SHORT] * short) + "\n", name)
    at = next(i for i, p in enumerate(doc) if find(p, "2024年3月1日"))
    lines = [sorted({s["top"] for s in spans(p) if abs(s["size"] - 16) < 0.1}) for p in doc]
    return doc, at, lines


def gaps(tops):
    return [b - a for a, b in zip(tops, tops[1:])]


# the body fills page 2 to its last line, then 1 to 3 more lines: the 落款 (a blank line,
# 署名, date) would start page 3 alone; page 2 is set closer instead, as far as 0.85
# (a sealed one needs a row more: the 42 mm seal reaches a row below the date, and must stay
# in the 版心, clear of the page number)
for seal in (False, True):
    for short, extra in ((1, 0), (2, 1), (3, 2), (4, 3))[:3 if seal else 4]:
        name = f"squeeze-{'sealed' if seal else 'plain'}-{short}"
        doc, at, lines = squeeze_doc(name, 13, short, seal)
        c.eq((len(doc), at), (2, 1), f"{name}: the 落款 on page 2, with the text")
        tops = lines[1]  # 21 + extra lines of text and 落款, and the blank line before the 署名
        c.eq(len(tops), 21 + extra, f"{name}: page 2 holds {22 + extra} rows")
        near(tops[0], TOP, 0.3, f"{name}: page 2's first line on the 版心 top")
        c.ok(tops[-1] + 16 / MM <= BOTTOM + 0.3, f"{name}: the last line within the 版心 ({tops[-1]:.2f})")
        g = gaps(tops)
        want = PITCH * 22 / (22 + extra + seal)
        c.ok(all(abs(x - want) < 0.05 or abs(x - 2 * want) < 0.05 for x in g),
             f"{name}: lines {want:.2f} mm apart ({min(g):.2f}-{max(g):.2f})")
        c.ok(min(g) >= 0.85 * PITCH - 0.01, f"{name}: never below 0.85 of the pitch ({min(g):.2f} mm)")
        c.eq(lines[0], squeeze_doc(name + "-p1", 13, 0, seal)[2][0], f"{name}: page 1 as before")
        if seal:
            img = doc[1].get_image_info()
            c.ok(len(img) == 1 and img[0]["bbox"][1] / MM > tops[-4], f"{name}: the seal with the date")
            c.ok(img and img[0]["bbox"][3] / MM <= BOTTOM + 0.01,
                 f"{name}: the seal within the 版心 ({img[0]['bbox'][3] / MM:.2f} mm)")
# three 署名: the 落款 takes 5 rows, 4 more than page 2 has: 0.846 of the pitch is below the
# bound, so the last 2 lines of text go to page 3 with the 落款, on the grid (it never
# stands alone there)
three = ("示范县人民政府", "示范县财政局", "示范县水利局")
doc, at, lines = squeeze_doc("squeeze-over", 13, 3, False, three)
c.eq((len(doc), at), (3, 2), "squeeze-over: the 落款 on page 3")
c.eq(len(lines[2]), 6, "squeeze-over: page 3 holds 2 lines of text and the 落款")
c.eq(len([s for s in spans(doc[2]) if s["text"] == SHORT]), 2, "squeeze-over: the text's last 2 lines with it")
near(lines[2][0], TOP, 0.3, "squeeze-over: page 3 starts on the 版心 top")
c.ok(all(abs(x - PITCH) < 0.05 or abs(x - 2 * PITCH) < 0.05 for x in gaps(lines[1]) + gaps(lines[2])),
     "squeeze-over: pages 2 and 3 on the grid")
c.eq(len(lines[1]), 19, "squeeze-over: page 2 keeps the rest")
# one line less: 4 rows of 落款 after a blank, 3 more than the page has: set closer
doc, at, lines = squeeze_doc("squeeze-three", 13, 2, False, three)
c.eq((len(doc), at), (2, 1), "squeeze-three: three 署名 and the date kept on page 2")
c.ok(min(gaps(lines[1])) >= 0.85 * PITCH - 0.01, f"squeeze-three: within the bound ({min(gaps(lines[1])):.2f})")
# on page 1 only the body's rows close up: the 版头 and title stay where they are
# a sealed 落款 that would need 4 rows more (3 and the seal's): the last 2 lines of text
# go with it to page 3, on the grid, and its seal keeps within the 版心 there
doc, at, lines = squeeze_doc("squeeze-sealed-over", 13, 4, True)
c.eq((len(doc), at), (3, 2), "squeeze-sealed-over: the 落款 on page 3")
c.eq(len([s for s in spans(doc[2]) if s["text"] == SHORT]), 2, "squeeze-sealed-over: the last 2 lines with it")
img = doc[2].get_image_info()
c.ok(len(img) == 1 and img[0]["bbox"][3] / MM <= BOTTOM, "squeeze-sealed-over: the seal on page 3, in the 版心")
c.ok(all(abs(x - PITCH) < 0.05 or abs(x - 2 * PITCH) < 0.05 for x in gaps(lines[1])),
     "squeeze-sealed-over: page 2 on the grid")
doc, at, lines = squeeze_doc("squeeze-p1", 2, 2, True)
c.eq((len(doc), at), (1, 0), "squeeze-p1: the 落款 on page 1")
mark = next(s for s in spans(doc[0]) if s["color"] == RED)
near(mark["top"], TOP + 35, 0.3, "squeeze-p1: the 标志 still 35 mm down")
ref = squeeze_doc("squeeze-p1-ref", 2, 0, True)[2][0]
c.eq(lines[0][:2], ref[:2], "squeeze-p1: 主送 and the first body line where they were")
g = gaps(lines[0][1:])
c.ok(min(g) >= 0.85 * PITCH - 0.01 and min(g) < PITCH - 0.5, f"squeeze-p1: closer, within the bound ({min(g):.2f})")


# --- §7.3.6: the 附注 kept with the date --------------------------------------------------------
# the body and 落款 fill page 2 to its last line: the 附注 would be left to page 3 alone; it
# stays with the date instead (page 2 set closer), sealed or not
for seal in (False, True):
    name = f"note-{'sealed' if seal else 'plain'}"
    head = ("版式: 文件\n发文机关标志: 示范县人民政府文件\n发文字号: 示政发〔2024〕5号\n标题: 关于测试的通知\n"
            "主送: 各单位\n署名: 示范县人民政府\n成文日期: 2024年3月1日\n附注: 此件公开发布\n"
            + ("印章: seal.png\n" if seal else ""))
    doc = build_text(name, head + "\n" + "\n".join([PARA] * 13 + [SHORT]) + "\n", name)
    last = doc[-1]
    date, note = find(last, "2024年3月1日"), find(last, "（此件公开发布）")
    c.eq(len(doc), 2, f"{name}: two pages")
    c.ok(date is not None and note is not None, f"{name}: the 附注 on the date's page")
    if date and note:
        c.ok(0 < note["top"] - date["top"] <= PITCH + 0.1, f"{name}: the 附注 on the line after the date")
        c.ok(note["bottom"] <= BOTTOM + 0.3, f"{name}: the 附注 within the 版心")
        near(note["x0"], LEFT + 2 * ZI, 0.7, f"{name}: the 附注 2 字 in")

# --- §7.3.5.1: a joint document's 印章s, one per organ -----------------------------------------------
def joint_sealed(doc, name, names, per_row=2):
    """On the date's page: a seal over each 署名 (centred on it, covering it), the names two to a
    row in order (an odd last one on the right), the last seal over the last name and the date
    (4 字 from the right), the seals of a row level, none touching another, all within the
    版心, the first row's top within one line of the text above and clear of it."""
    p = next(p for p in doc if find(p, "2024年6月"))
    date = find(p, "2024年6月")
    imgs = sorted((tuple(v / MM for v in i["bbox"]) for i in p.get_image_info()), key=lambda b: (b[1], b[0]))
    c.eq(len(imgs), len(names), f"{name}: one 印章 an organ")
    sigs = [find(p, t) for t in names]
    if not c.ok(all(sigs) and len(imgs) == len(names), f"{name}: every 署名 on the date's page"):
        return
    rows = [sigs[i:i + per_row] for i in range(0, len(sigs), per_row)]
    for row in rows:
        for a, b in zip(row, row[1:]):
            near(b["top"], a["top"], 0.1, f"{name}: {a['text']} and {b['text']} on one row")
            c.ok(b["x0"] - a["x1"] >= ZI, f"{name}: {b['text']} right of {a['text']}, 1 字 clear "
                 f"({b['x0'] - a['x1']:.1f} mm)")
    for a, b in zip(rows, rows[1:]):
        c.ok(b[0]["top"] > a[0]["bottom"], f"{name}: the rows in order")
    for s, (x0, y0, x1, y1) in zip(sigs, imgs):
        near((x0 + x1) / 2, (s["x0"] + s["x1"]) / 2, 0.7, f"{name}: the seal centred on {s['text']}")
        c.ok(y0 < s["top"] and y1 > s["bottom"], f"{name}: the seal presses {s['text']}")
        cy = (y0 + y1) / 2
        c.ok(0 <= (s["top"] + s["bottom"]) / 2 - cy + PITCH <= 10,
             f"{name}: {s['text']} a little above where the date sits under the seal's centre")
        c.ok(x0 >= LEFT - 0.01 and x1 <= RIGHT + 0.01 and y1 <= BOTTOM + 0.01,
             f"{name}: the seal over {s['text']} within the 版心 ({x0:.1f}-{x1:.1f}, bottom {y1:.1f})")
    for i, a in enumerate(imgs):
        for b in imgs[i + 1:]:
            # round seals: their centres more than a width apart
            d = (((a[0] + a[2]) - (b[0] + b[2])) ** 2 + ((a[1] + a[3]) - (b[1] + b[3])) ** 2) ** 0.5 / 2
            c.ok(d > (a[2] - a[0]) + 0.5, f"{name}: the seals clear of each other ({d - (a[2] - a[0]):.1f} mm)")
    for row in [imgs[i:i + per_row] for i in range(0, len(imgs) - (len(imgs) % per_row or per_row), per_row)]:
        for a, b in zip(row, row[1:]):
            near(b[1], a[1], 0.1, f"{name}: a row's seals level")
    near(date["x1"], RIGHT - 4 * ZI, 0.7, f"{name}: the date 4 字 from the right")
    x0, y0, x1, y1 = imgs[-1]
    if sigs[-1]["x1"] - sigs[-1]["x0"] <= 2 * 4 * ZI + (date["x1"] - date["x0"]):  # (else at the right edge)
        near((x0 + x1) / 2, (date["x0"] + date["x1"]) / 2, 0.7, f"{name}: the last seal centred on the date")
        near((sigs[-1]["x0"] + sigs[-1]["x1"]) / 2, (date["x0"] + date["x1"]) / 2, 0.7,
             f"{name}: the last 署名 centred over the date")
    else:
        c.ok(RIGHT - ZI - 0.5 <= sigs[-1]["x1"] <= RIGHT + 0.3,
             f"{name}: a long last 署名 at the right edge ({sigs[-1]['x1']:.1f} mm)")
    c.ok(y0 < sigs[-1]["top"] and y1 > date["bottom"], f"{name}: the last seal presses the last 署名 and the date")
    top = min(b[1] for b in imgs)
    above = [s for s in spans(p) if s["bottom"] < top + 1 and s["bottom"] < rows[0][0]["top"] - 1]
    if c.ok(above, f"{name}: text above the seals"):
        gap = top - max(s["bottom"] for s in above)
        # (on a page set closer, §7.3.5.5, the seal keeps its size and may reach into the
        # line above by as much as that line moved up)
        lines = sorted({s["top"] for s in spans(p) if abs(s["size"] - 16) < 0.1})
        closer = PITCH - min(b - a for a, b in zip(lines, lines[1:]))
        c.ok(-0.1 - 2 * closer <= gap <= PITCH, f"{name}: the first row's top within one line of the "
             f"text, clear of it ({gap:.1f} mm; the page {closer:.2f} mm a line closer)")
    return p, imgs, sigs, date


shutil.copy("examples/wenjian/seal.png", c.path("seal.png"))
doc = build("lianheyin")
joint_sealed(doc, "两机关印章", ["示范县人民政府", "示范县应急管理局"])
p = next(p for p in doc if find(p, "2024年6月"))
note = find(p, "（此件公开发布）")
c.ok(note is not None and note["top"] > find(p, "2024年6月")["top"], "两机关印章: the 附注 after the date")
doc = build("lianheyin3")
joint_sealed(doc, "三机关印章", ["示范县人民政府", "示范县应急管理局", "示范县水利局"])
# names too long for two to a row: one a row, each over the date's column
LONG = ("示范县人民政府办公室综合事务中心", "示范县应急管理局防汛抗旱指挥部")
doc = build_text("joint-seal-long", "版式: 文件\n发文机关: 示范县人民政府\n发文机关: 示范县应急管理局\n"
                 "发文字号: 示政联〔2024〕9号\n标题: 关于测试的通知\n主送: 各单位\n"
                 + "".join(f"署名: {n}\n印章: seal.png\n" for n in LONG)
                 + "成文日期: 2024年6月6日\n\n" + "\n".join([PARA] * 8) + "\n", "joint seals of long names")
joint_sealed(doc, "长名称印章", list(LONG), per_row=1)
# a seal without its 署名 still has its place (nothing is lost); a bad one is an error at its line
doc = build_text("joint-seal-more", "版式: 文件\n发文机关: 示范县人民政府\n发文字号: 示政〔2024〕9号\n"
                 "标题: 关于测试的通知\n署名: 示范县人民政府\n印章: seal.png\n印章: seal.png\n"
                 "成文日期: 2024年6月6日\n\n正文内容。\n", "two 印章 and one 署名")
c.eq(len(doc[-1].get_image_info()), 2, "two 印章 and one 署名: both seals set")
src = c.write("joint-seal-bad.txt", "版式: 文件\n发文机关: 示范县人民政府\n发文字号: 示政〔2024〕9号\n"
              "标题: 关于测试的通知\n署名: 甲\n印章: seal.png\n署名: 乙\n印章: none.png\n"
              "成文日期: 2024年6月6日\n\n正文内容。\n")
rc, out, err = c.run("build", src, "-o", c.path("joint-seal-bad.pdf"))
c.ok(rc != 0 and f"{src}:8:5: error:" in err, f"a missing second 印章: an error at its line ({err[-300:]})")
# a joint 落款 just over a page's end keeps within the 版心 there (set closer, or moved whole)
for short in range(1, 7):
    name = f"joint-seal-squeeze-{short}"
    doc = build_text(name, "版式: 文件\n发文机关标志: 示范县人民政府文件\n发文字号: 示政发〔2024〕5号\n"
                     "标题: 关于测试的通知\n主送: 各单位\n署名: 示范县人民政府\n印章: seal.png\n"
                     "署名: 示范县应急管理局\n印章: seal.png\n成文日期: 2024年6月3日\n\n"
                     + "\n".join([PARA] * 13 + [SHORT] * short) + "\n", name)
    joint_sealed(doc, name, ["示范县人民政府", "示范县应急管理局"])

c.done()
