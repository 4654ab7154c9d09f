"""End to end: tables and images (issue 10).

A price bulletin with a 9-column, 40-row pipe table builds; its header repeats
on every page; built as a grid, every word of every cell lies inside its cell
(between the vertical and horizontal rules read from the PDF) and no cell line
starts with a closing mark. The caption keeps the space after 表1, short
headers never break and longer ones break two and two, short body cells stay
whole, and a number stays with its measure word (18种) in cells and body text
(issue 22). A photo bulletin places three JPEG/PNG images with
their captions below them, inside the text block; a missing or damaged image
is an error naming the document line."""
import json
import re

from pdfcheck import MM, NO_START, Checker, lines, rules, stream, text, tool

c = Checker()
SRC = "examples/typeset/price-table.txt"

# three-line table: header on every page
pdf = c.path("price.pdf")
rc, _, err = c.run("build", "--strict", SRC, "-o", pdf)
c.ok(rc == 0 and err == "", f"price table builds ({err.strip()[:200]!r})")
rc, trace, _ = c.run("build", SRC, "--trace")
pages = trace.split("\npage\t")[1:]
with_rows = [p for p in pages if re.search(r"\t元/", p)]
c.ok(len(with_rows) >= 2, f"the table spans pages ({len(with_rows)})")
for i, p in enumerate(with_rows):
    c.ok(all(h in p for h in ("序号", "计价", "环比", "同比")), f"table page {i + 1} repeats the header")
t, _ = text(pdf)
for n in range(1, 41):
    c.ok(re.search(rf"(?m)^\s*{n}\s", t) or f"\n{n}\n" in t or f" {n} " in t, f"row {n} present")

# as a grid: every word inside its cell
c.write("grid/layouts/grid.lua",
        'return { api = 1, base = "gbt9704", tables = { style = "grid" } }\n')
gpdf = c.path("grid.pdf")
rc, _, err = c.run("build", SRC, "--layout", "grid", "--plugin-path", c.path("grid"), "-o", gpdf)
c.eq(rc, 0, "grid table builds")
words_out = tool("pdftotext", "-bbox", gpdf, "-")[1]
words = {}
page = 0
for line in words_out.splitlines():
    if "<page " in line:
        page += 1
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', line)
    if m and page:
        words.setdefault(page, []).append(tuple(float(v) for v in m.groups()[:4]) + (m.group(5),))
all_rules = rules(gpdf)
checked, outside = 0, []
for p, page_rules in enumerate(all_rules, 1):
    horiz = sorted(r[2] for r in page_rules if r[1] - r[0] > 300)
    if len(horiz) < 3:
        continue
    top, bottom = horiz[0], horiz[-1]
    for (x0, y0, x1, y1, w) in words.get(p, []):
        if y0 < top - 1 or y1 > bottom + 1:
            continue  # not in the table
        checked += 1
        row = [h for h in horiz if h <= y0 + 1]
        below = [h for h in horiz if h >= y1 - 1]
        if not row or not below:
            outside.append((p, w, "between rows"))
c.ok(checked > 300, f"cell words checked ({checked})")
c.eq(outside, [], "every cell word lies between its row's rules")
# columns: the vertical rules, from the content streams
cols_ok, col_bad = 0, []
v_by_page = {}
rc, js, _ = tool("qpdf", "--json=2", "--json-key=pages", gpdf)
for p, pg in enumerate(json.loads(js)["pages"], 1):
    for ref in pg["contents"]:
        data = stream(gpdf, ref.split()[0])
        for m in re.finditer(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", data):
            if abs(float(m.group(1)) - float(m.group(3))) < 0.01:
                xs, ys = v_by_page.setdefault(p, (set(), []))
                xs.add(round(float(m.group(1)), 2))
                ys += [841.89 - float(m.group(2)), 841.89 - float(m.group(4))]
for p, (xs, ys) in v_by_page.items():
    xs = sorted(xs)
    c.ok(len(xs) == 10, f"page {p}: 10 vertical rules for 9 columns ({len(xs)})")
    for (x0, y0, x1, y1, w) in words.get(p, []):
        if y0 < min(ys) - 1 or y1 > max(ys) + 1:
            continue  # outside the table
        inside = any(a - 0.5 <= x0 and x1 <= b + 0.5 for a, b in zip(xs, xs[1:]))
        if x0 >= xs[0] - 0.5 and x1 <= xs[-1] + 0.5:
            cols_ok += inside
            if not inside:
                col_bad.append((p, w, round(x0, 1), round(x1, 1)))
c.ok(cols_ok > 300, f"words checked against columns ({cols_ok})")
c.eq(col_bad, [], "no cell text crosses a column rule")
faults = [l[4] for page in lines(gpdf) for l in page if l[4] and l[4][0] in NO_START]
c.eq(faults, [], "no cell line starts with a closing mark")
c.ok(all(r[1] <= 184 * MM + 0.5 and r[0] >= 28 * MM - 0.5 for pr in all_rules for r in pr),
     "table rules inside the text block")

# a fixed first-column width from the layout (the rest from content)
c.write("fixed/layouts/fixed.lua",
        'return { api = 1, base = "gbt9704", tables = { style = "grid", widths = { 30 } } }\n')
rc, trace, _ = c.run("build", SRC, "--layout", "fixed", "--plugin-path", c.path("fixed"), "--trace")
vx = sorted({float(r.split("\t")[1]) for r in trace.split("\npage\t")[2].splitlines()
             if r.startswith("vrule\t")})
c.ok(len(vx) == 10 and abs(vx[1] - vx[0] - 30 * MM) < 0.05, f"first column 30 mm ({vx[:3]})")

# a glyph no font has, in a cell: one warning, at the cell's line and column
pua = c.write("pua.txt", "标题: 例\n\n【数据】\n| 项目 | 数值 |\n|---|---|\n| 甲 | 1 |\n|  乙乙\ue000 | 2 |\n")
rc, _, err = c.run("build", pua, "-o", c.path("pua.pdf"))
c.ok(rc == 0 and err.count("no font has") == 1 and f"{pua}:7:6: warning: no font has" in err,
     f"missing glyph in a cell named once at its place ({err!r})")

# decimal alignment (---.): the points line up, whole numbers end where the points are
dec = c.write("dec.txt", "标题: 例\n\n【数据】\n| 项目 | 数值 |\n|---|---.|\n| 甲 | 1234.5 |\n"
              "| 乙 | 3.14159 |\n| 丙 | 42 |\n")
rc, trace, _ = c.run("build", dec, "--trace")
xs = {}
for row in trace.splitlines():
    f = row.split("\t")
    if f[0] == "text" and f[8] in ("1234.5", "3.14159", "42"):
        xs[f[8]] = float(f[5])
w = 0.5 * 14  # digits are half a 14 pt em in the table font
c.ok(len(xs) == 3 and abs((xs["1234.5"] + 4 * w) - (xs["3.14159"] + w)) < 0.05 and
     abs((xs["42"] + 2 * w) - (xs["3.14159"] + w)) < 0.05, f"decimal points line up ({xs})")

# landscape: a table too wide for the portrait block turns on pages of its own
rows = "".join(f"| 地区{i} | " + " | ".join(f"{i},{j:03d},{i * 7 % 1000:03d}.{j:02d}" for j in range(6)) + " |\n"
               for i in range(1, 31))
wide = c.write("wide.txt", "标题: 横表\n\n【统计表】\n下表为各地区主要指标。\n表1 各地区主要经济指标（单位：元）\n"
               "| 地区 | 指标一 | 指标二 | 指标三 | 指标四 | 指标五 | 指标六 |\n|---|---:|---:|---:|---:|---:|---:|\n"
               + rows + "表后正文继续。\n")
rc, _, err = c.run("build", "--strict", wide, "-o", c.path("narrow.pdf"))
c.ok(rc == 1 and f"{wide}:6:1" in err and "tables.landscape" in err, f"too wide for portrait ({err!r})")
c.write("land/layouts/land.lua", 'return { api = 1, base = "gbt9704", tables = { landscape = true } }\n')
lpdf = c.path("land.pdf")
args = (wide, "--layout", "land", "--plugin-path", c.path("land"))
rc, _, err = c.run("build", "--strict", *args, "-o", lpdf)
c.ok(rc == 0 and err == "", f"landscape table builds ({err.strip()[:200]!r})")
rc, trace, _ = c.run("build", *args, "--trace")
marks = re.findall(r"(?m)^page\t(\d+)(\tlandscape)?$", trace)
land = [int(n) for n, l in marks if l]
c.ok(len(land) >= 2 and land == list(range(land[0], land[-1] + 1)), f"table pages turned ({marks})")
c.ok(not marks[0][1] and not marks[-1][1], "text before and after stays portrait")
t, _ = text(lpdf)
c.ok(all(f"地区{i}" in t for i in range(1, 31)), "every row present")
c.ok(all(re.search(rf"—\s*{n}\s*—", t) for n in range(1, len(marks) + 1)), "page numbers run on")
c.ok(t.count("指标六") == len(land), "header repeats on every turned page")
bbox = tool("pdftotext", "-bbox", lpdf, "-")[1]
out, page = [], 0
for line in bbox.splitlines():
    page += "<page " in line
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', line)
    if m and page in land and m.group(5) not in ("—", str(page)):  # not the page number
        x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
        # 2 pt: pdftotext boxes use the font's ascent, a little beyond the em box
        if x0 < 28 * MM - 2 or x1 > 184 * MM + 2 or y0 < 37 * MM - 2 or y1 > 262 * MM + 2:
            out.append((page, m.group(5)))
c.eq(out, [], "turned table inside the text block")
end = c.write("wide-end.txt", open(wide, encoding="utf-8").read().replace("表后正文继续。\n", ""))
rc, trace, _ = c.run("build", end, *args[1:], "--trace")
c.ok(re.findall(r"(?m)^page\t\d+(.*)$", trace)[-1] == "\tlandscape", "no blank page after a closing table")

# issue 22 part 6, measured from the grid PDF's words (pdftotext -bbox):
# the caption keeps the space after its label: "表1" and the title are two words, apart
cap = [w for w in words.get(1, []) if w[4] == "表1" or w[4].startswith("全市重要民生商品")]
c.ok(len(cap) == 2 and abs(cap[0][1] - cap[1][1]) < 1 and cap[1][0] - cap[0][2] > 2,
     f"caption: a space between 表1 and its title ({[(w[4][:6], w[0], w[2]) for w in cap]})")
t, _ = text(gpdf)
c.ok("表1 全市重要民生商品价格监测情况" in t, "caption text keeps its space")
# column widths: short headers never break (序号 whole on every page with the table),
# longer ones break two and two (no header line of one character), body cells stay whole
head_words, table_pages = [], 0
for p, page_rules in enumerate(all_rules, 1):
    horiz = sorted(r[2] for r in page_rules if r[1] - r[0] > 300)
    if p not in v_by_page:
        continue
    ys = v_by_page[p][1]
    top = min(ys)
    rows_h = sorted(h for h in horiz if h >= top - 0.5)
    if len(rows_h) < 2:
        continue
    table_pages += 1
    head_words += [(p, w[4]) for w in words.get(p, []) if rows_h[0] < w[1] < rows_h[1]]
c.ok(table_pages >= 2, f"table pages with a grid ({table_pages})")
c.eq(sum(1 for p, w in head_words if w == "序号"), table_pages, "序号 is one word on every table page")
c.eq([w for p, w in head_words if len(w) < 2], [], "no header line of a single character")
with open(SRC, encoding="utf-8") as f:
    cells = {x.strip() for l in f if l.startswith("| ") and not l.startswith("| 序号")
             for x in l.strip().strip("|").split("|")}
han_cells = sorted(x for x in cells if re.search(r"[\u4e00-\u9fff]", x) and len(x) <= 4)
all_words = {w[4] for ws in words.values() for w in ws}
c.ok(len(han_cells) > 20 and all(x in all_words for x in han_cells),
     f"every body cell of up to four characters with Chinese text is one word ({[x for x in han_cells if x not in all_words]})")
# a number stays with its measure word, in a table cell and in body text: the number is
# moved along a line of 甲 so that some line would end between 18 and 种 without the rule
cell_rows = "".join(f"| {k} | {'甲' * k}抽检18种，发现36处。 |\n" for k in range(8, 24))
body = "".join(f"{'甲' * k}抽检18种，发现36处问题。\n" for k in range(20, 36))
mw = c.write("measure.txt", "标题: 例\n\n【数据】\n| 序 | 说明 |\n|---|---|\n" + cell_rows + "\n"
             + body)
mpdf = c.path("measure.pdf")
rc, _, err = c.run("build", mw, "-o", mpdf)
mwords = [w for ln in tool("pdftotext", "-bbox", mpdf, "-")[1].splitlines()
          for w in re.findall(r">([^<]+)</word>", ln)]
# (the first column's row numbers are words of digits only)
split = [w for w in mwords if w.startswith(("种", "处")) or (w.endswith(("18", "36")) and
                                                            not w.isdigit())]
c.ok(rc == 0 and len(mwords) > 40 and not split,
     f"18种 and 36处 never split across lines ({split[:6]}, {err.strip()[:200]!r})")
ends = sum(1 for w in mwords if w.endswith(("18种", "36处", "18种，", "36处。")))
c.ok(ends >= 2, f"some lines end right after the measure word ({ends}): the test can tell")

# issue 22 part 6, too wide a table: what is left over the columns' floors goes first to a
# column whose header (or short cell) would break, the cheapest first, before a column of
# long text gets wider. An 8-column price table (the cheap headers whole; no header cut
# 3/1 or to one character) and a bare table pasted from Word with long cells (a 6-character
# header and the short cells whole; the long-text column still the widest).
HEAD8 = "| 商品名称 | 规格等级 | 计价单位 | 本期价格 | 上期价格 | 环比（%） | 去年同期 | 同比（%） |"
price8 = ("标题: 例\n\n【价格监测】\n表1 全市重要民生商品价格监测情况\n" + HEAD8 + "\n"
          "|---|---|:---:|---:|---:|---:|---:|---:|\n"
          "| 菜籽油 | 一级压榨 | 元/桶 | 121.18 | 120.49 | +3.4 | 119.26 | +10.0 |\n"
          "| 五花肉 | 散装鲜肉 | 元/公斤 | 18.32 | 19.01 | -3.6 | 21.63 | -15.3 |\n"
          "| 大白菜 | 一级 | 元/公斤 | 1.20 | 1.35 | -11.1 | 1.31 | -8.7 |\n")
bare = ("标题: 例\n\n【价格监测】\n全县主要农产品价格监测表\n"
        "监测品种 | 规格 | 监测点 | 本周价格 | 上周价格 | 变动原因说明 | 填报单位\n"
        "鲜鸡蛋 | 散装 | 城区农贸市场 | 4.80 | 5.10 | 近期气温回升产蛋量增加，供应充足，价格回落 | 县价格监测中心\n"
        "生猪 | 外三元 | 各乡镇收购点 | 7.20 | 7.05 | 养殖户压栏惜售，出栏量减少，价格小幅上涨 | 县农业农村局\n")


def table_words(name, src, first):
    """A built document's table: the words of its header (above the body cell first) and
    of its body, each (page, y, x) ordered."""
    pdf = c.path(name + ".pdf")
    rc, _, err = c.run("build", c.write(name + ".txt", src), "-o", pdf)
    c.ok(rc == 0, f"{name}: builds ({err.strip()[:200]!r})")
    ws = [(float(m[1]), float(m[0]), m[2]) for m in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]+)</word>',
        tool("pdftotext", "-bbox", pdf, "-")[1])]
    cap = max(y for y, x, w in ws if w.endswith(("情况", "监测表")))
    y0 = min(y for y, x, w in ws if w == first)
    return ([w for y, x, w in sorted(ws) if cap < y < y0 - 1],
            [w for y, x, w in sorted(ws) if y >= y0 - 1])


head_ws, ws = table_words("price8", price8, "菜籽油")
heads = [h.strip() for h in HEAD8.strip("|").split("|")]
whole = [h for h in heads if h in head_ws]
c.ok(all(h in whole for h in ("商品名称", "规格等级", "计价单位")),
     f"8 columns: the headers the spare width pays for are whole ({head_ws})")
c.ok(all(len(w) >= 2 for w in head_ws) and
     all(h in whole or h[:2] in head_ws or h.endswith("（%）") for h in heads),
     f"8 columns: a header that breaks breaks two and two, never 3/1 ({head_ws})")
head_ws, ws = table_words("bare8", bare, "鲜鸡蛋")
c.ok("变动原因说明" in head_ws and all(h in head_ws for h in ("监测品种", "监测点", "本周价格")),
     f"bare table: the headers are whole, 变动原因说明 too ({head_ws})")
c.ok(all(x in ws for x in ("鲜鸡蛋", "散装", "外三元", "生猪")), f"bare table: short cells whole ({ws})")
# a full-width mark inside a cell's line keeps its em (only adjacent marks compress, as on
# the grid; its ， was half an em in 加,供应充足,): a word of the long-text column with a ，
# inside it is as wide a character as one of Han only
boxes = [(float(m[1]) - float(m[0]), m[2]) for m in re.findall(
    r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>',
    tool("pdftotext", "-bbox", c.path("bare8.pdf"), "-")[1])]
han_only = [w / len(t) for w, t in boxes if t[:2] in ("近期", "升产", "养殖", "价格")]
inner = [(t, round(w / len(t) / max(han_only), 3)) for w, t in boxes
         if "，" in t[:-1] and len(t) >= 3]
c.ok(han_only and inner and all(r >= 0.97 for _, r in inner),
     f"a ， inside a cell's line keeps its em ({inner}, Han only {max(han_only or [0]):.2f} pt)")
prose = [w for w in ws if w[:2] in ("近期", "升产", "养殖", "惜售")]
c.ok(prose and all(len(w) >= 5 for w in prose),
     f"bare table: the long-text column keeps lines of five characters and more ({prose})")

# images
ppdf = c.path("photos.pdf")
rc, _, err = c.run("build", "--strict", "examples/photo-bulletin.txt", "-o", ppdf)
c.ok(rc == 0 and err == "", f"photo bulletin builds ({err.strip()[:200]!r})")
rc, out, _ = tool("pdfimages", "-list", ppdf)
imgs = [l.split() for l in out.splitlines()[2:] if l.strip()]
c.eq(len(imgs), 3, "three images embedded")
c.ok({i[8] for i in imgs} >= {"jpeg", "image"}, "JPEG and PNG both embedded")
rc, trace, _ = c.run("build", "examples/photo-bulletin.txt", "--trace")
page_texts = trace.split("\npage\t")[1:]
captions = ["调度会现场", "脚手架搭设情况", "核对商品价格标签"]
for cap in captions:
    pg = next((p for p in page_texts if cap in p), "")
    im = re.search(r"^image\t([\d.]+)\t([\d.]+)\t([\d.]+)\t([\d.]+)\t", pg, re.M)
    capy = re.search(rf"^text\t[^\n]*\t([\d.]+)\t[^\t\n]*{cap}", pg, re.M)
    c.ok(im and capy and float(capy.group(1)) > float(im.group(4)),
         f"caption {cap} below its image on the same page")
    if im:
        x0, x1, y0, y1 = (float(v) for v in im.groups())
        c.ok(x0 >= 28 * MM - 0.5 and x1 <= 184 * MM + 0.5 and y1 <= 262 * MM + 0.5,
             f"image for {cap} inside the text block")
        c.ok(y1 - y0 <= 225 * MM * 0.5 + 0.5, f"image for {cap} at most half the block high")

# two images on one page, one of them also on the page before: one XObject per file,
# each drawn where it belongs (resource names are chosen before libharu makes them)
import shutil
for name in ("a.png", "b.png"):
    shutil.copy("examples/photos/site.png", c.path(name))
two = c.write("two.txt", "标题: 图\n\n【工作部署】\n第一段。\n![图一](a.png)\n第二段。\n"
              "![图二](b.png)\n![图一再现](a.png)\n")
tpdf = c.path("two.pdf")
rc, _, err = c.run("build", two, "-o", tpdf)
rc2, out, _ = tool("pdfimages", "-list", tpdf)
rows = [l.split() for l in out.splitlines()[2:] if l.strip()]
c.ok(rc == 0 and [r[0] for r in rows] == ["1", "2", "2"], f"three placements on pages 1, 2, 2 ({rows})")
c.ok(len(rows) == 3 and rows[0][10] == rows[2][10] != rows[1][10], "a.png is one object, drawn twice")
rc, out, _ = tool("qpdf", "--check", tpdf)
c.ok(rc == 0, "qpdf --check on the two-image page")

# a missing and a damaged image are errors at the document line
miss = c.write("miss.txt", "标题: 图\n\n【工作部署】\n文字。\n![说明](nope.jpg)\n")
rc, _, err = c.run("build", miss, "-o", c.path("miss.pdf"))
c.ok(rc == 1 and f"{miss}:5)" in err and "cannot open image" in err, f"missing image ({err!r})")
c.write("bad.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "wb")
bad = c.write("bad.txt", "标题: 图\n\n【工作部署】\n![说明](bad.jpg)\n")
rc, _, err = c.run("build", bad, "-o", c.path("bad.pdf"))
c.ok(rc == 1 and f"{bad}:4)" in err and "damaged JPEG" in err, f"damaged image ({err!r})")
# A bare table (no alignment row): columns of figures are set on the decimal point, the
# others flush left; numbers with the same decimals end at the same x.
bare = c.write("bare.txt", "【价格】\n品种 | 单位 | 本周 | 环比\n标一粳米 | 500克 | 2.85 | 0.00\n"
                           "花生油 | 5升 | 78.50 | -0.38\n富强粉 | 500克 | 102.40 | 12.5%\n")
rc, _, err = c.run("build", bare, "-o", c.path("bare.pdf"))
words = {}
for x0, y0, x1, y1, t in lines(c.path("bare.pdf"))[0]:
    words[t] = (x0, x1)
rc2, dump, _ = c.run("dump", bare)
c.ok(rc == 0 and all(w in words for w in ("2.85", "78.50", "102.40", "标一粳米", "花生油")),
     f"bare table builds ({err!r} {sorted(words)[:12]})")
if rc == 0 and "2.85" in words and "78.50" in words and "102.40" in words:
    c.ok(abs(words["2.85"][1] - words["78.50"][1]) < 0.5 and
         abs(words["78.50"][1] - words["102.40"][1]) < 0.5,
         f"figures line up on the decimal point ({words['2.85']}, {words['78.50']}, {words['102.40']})")
    c.ok(abs(words["标一粳米"][0] - words["花生油"][0]) < 0.5 and
         words["78.50"][0] - words["102.40"][0] > 3,
         "a column of words stays flush left; figures do not")

c.done()
