"""End to end: the official format (issue 4). The city layout and three county
layouts build; the masthead fits the text block; the 版记's last rule lies on
the text block's bottom edge (262 mm) on the last page; page numbers sit where
GB/T 9704 §7.5 puts them; bookmarks equal sections; metadata is set; a
misspelt county override fails naming its line."""
import re

from pdfcheck import MM, Checker, info, lines, outline_titles, pages, rules, text

c = Checker()
SEED = "examples/yongzhou-2024-01.txt"
docs = {
    "city": (SEED, ["--layout", "yongzhou"]),
    "lengshuitan": ("examples/yongzhou/lengshuitan-2024-02.txt", []),
    "daoxian": ("examples/yongzhou/daoxian-2024-02.txt", []),
    "jianghua": ("examples/yongzhou/jianghua-2024-02.txt", []),
}
titles = {"lengshuitan": "冷水滩区实施安全守底行动", "daoxian": "道县实施安全守底行动工作专报",
          "jianghua": "江华瑶族自治县实施安全守底行动工作专报", "city": "永州市实施安全守底行动"}
built = {}
for name, (src, extra) in docs.items():
    pdf = c.path(name + ".pdf")
    rc, out, err = c.run("build", "--strict", src, "-o", pdf, *extra)
    c.ok(rc == 0 and err == "", f"{name} builds ({err.strip()[:200]!r})")
    built[name] = pdf
    first, _ = text(pdf, 1)
    c.ok(titles[name] in first.replace("\n", ""), f"{name}: page 1 shows the title {titles[name]}")
    # the masthead title stays inside the text block
    page1 = lines(pdf)[0]
    tl = [l for l in page1 if l[4] and l[4] in titles[name]]
    c.ok(tl and all(l[0] >= 28 * MM - 1 and l[2] <= 184.3 * MM for l in tl),
         f"{name}: masthead fits 28-184.3 mm ({[(round(l[0] / MM, 1), round(l[2] / MM, 1)) for l in tl]})")
    # bookmarks equal sections
    with open(src, encoding="utf-8") as f:
        heads = re.findall(r"^【([^】]+)】", f.read(), re.M)
    c.eq(outline_titles(pdf), ["【" + h + "】" for h in heads], f"{name}: bookmarks = sections")

# metadata
meta = info(built["daoxian"])
c.eq(meta.get("Title"), "道县实施安全守底行动工作专报", "Title from the layout's default header")
c.eq(meta.get("Author"), "道县安全守底行动工作专班", "Author is the issuer")
c.eq(meta.get("Subject"), "2024年第2期", "Subject is the issue")
c.ok(re.match(r"\w{3} \w{3} +\d+ [\d:]+ \d{4}", meta.get("CreationDate", "")), "CreationDate set")

# the 版记: last rule on the last page at 262 mm; rules are 0.35 / 0.25 mm
for name in ("lengshuitan", "daoxian", "jianghua"):
    rs = rules(built[name])
    last = rs[-1]
    bottom = max(last, key=lambda r: r[2]) if last else None
    c.ok(bottom and abs(bottom[2] / MM - 262) <= 0.5 and abs(bottom[3] - 0.99) < 0.01,
         f"{name}: last 版记 rule at 262 mm, 0.35 mm thick ({bottom and bottom[2] / MM:.2f})")
    c.ok(bottom and abs(bottom[0] / MM - 28) < 0.1 and abs(bottom[1] / MM - 184) < 0.1,
         f"{name}: 版记 rule spans the text block")
    t, _ = text(built[name], len(rs))
    c.ok("（共印" in t and "报：" in t or "发：" in t, f"{name}: 版记 lines on the last page")

# page numbers: "— N —" 4号, odd pages right with a 1-字 (14 pt) inset, even left; centred; none on p.1
def numbers(pdf):
    out = {}
    for p, page in enumerate(lines(pdf), 1):
        for l in page:
            if re.fullmatch(rf"—\s*{p}\s*—", l[4]):
                out[p] = l
    return out

nums = numbers(built["city"])
c.ok(len(nums) == len(pages(built["city"])), "city: every page numbered")
for p, l in nums.items():
    if p % 2:
        c.ok(abs(l[2] - (184 * MM - 14)) < 1.0, f"odd page {p}: number ends 1 字 inside 184 mm ({l[2] / MM:.2f})")
    else:
        c.ok(abs(l[0] - (28 * MM + 14)) < 1.0, f"even page {p}: number starts 1 字 inside 28 mm ({l[0] / MM:.2f})")
    c.ok(abs(l[1] - 262 * MM - 7 * MM) < 3.0, f"page {p}: number 7 mm below the text block")
for p, l in numbers(built["lengshuitan"]).items():
    c.ok(abs((l[0] + l[2]) / 2 - 106 * MM) < 1.0, f"lengshuitan page {p}: number centred")
c.ok(1 not in numbers(built["daoxian"]) and 2 in numbers(built["daoxian"]),
     "daoxian: no number on page 1, numbers from page 2")

# masthead rule styles: double (city: two red rules), star (lengshuitan: split rule)
red = [r for r in rules(built["city"])[0] if r[3] >= 0.7 and r[2] < 120 * MM]
c.ok(len(red) == 2 and red[0][3] > red[1][3], f"city: double masthead rule, thick over thin ({red})")
ls = [r for r in rules(built["lengshuitan"])[0] if r[2] < 120 * MM]
c.ok(len(ls) == 2 and ls[0][1] < ls[1][0], "lengshuitan: masthead rule split around a ★")

# a misspelt county override fails naming its file and line
c.write("typo/layouts/yongzhou/typo.lua", """return {
   api = 1,
   base = "yongzhou",
   masthead = {
      tpo = 10,
   },
}
""")
doc = c.write("typo.txt", "版式: yongzhou/typo\n期号: 第1期\n\n【工作部署】\n文字。\n")
rc, _, err = c.run("build", doc, "--plugin-path", c.path("typo"))
c.ok(rc == 1 and "typo/layouts/yongzhou/typo.lua:5: error: layout sets 'masthead.tpo'" in err,
     f"misspelt override names its line ({err.strip()[:200]!r})")

# 版记 on an even page when the layout asks: short body -> 版记 moves to page 2 (numbered);
# a body ending low on page 2 -> blank page 3 and the 版记 on page 4, neither numbered
c.write("even/layouts/even.lua", 'return { api = 1, base = "yongzhou", colophon_even_page = true }\n')
head = "版式: even\n期号: 第1期\n报: 市专班。\n印数: 10\n\n【工作部署】\n"
short = c.write("even-short.txt", head + "文字。\n")
rc, trace, err = c.run("build", short, "--plugin-path", c.path("even"), "--trace")
pg = [l for l in trace.splitlines() if l.startswith("page") or "共印" in l or "—" in l]
c.ok(rc == 0 and pg.index("page\t2") < next(i for i, l in enumerate(pg) if "共印" in l) and
     any("— 2 —" in l for l in pg), f"even 版记: moved to page 2, numbered ({pg})")
body = "".join("第%d段文字，内容较长，用来把正文推到第二页的末尾附近，以便检验版记的位置。\n" % i
               for i in range(17))
long_ = c.write("even-long.txt", head + body)
rc, trace, err = c.run("build", long_, "--plugin-path", c.path("even"), "--trace")
pages_ = trace.split("\npage\t")
c.ok(rc == 0 and len(pages_) == 5 and "共印" in pages_[4] and "—" not in pages_[3] and
     "—" not in pages_[4] and "— 2 —" in pages_[2],
     f"even 版记: blank page 3, 版记 on page 4, neither numbered ({len(pages_) - 1} pages)")

# gongwen layout NAME: the effective layout with provenance
rc, out, _ = c.run("layout", "yongzhou/daoxian")
c.ok(rc == 0 and re.search(r'page_number.first_page = false +-- .*yongzhou/daoxian.lua', out)
     and re.search(r"grid.lines = 22 +-- .*gbt9704.lua", out)
     and re.search(r'masthead.rule.style = "single" +-- .*daoxian.lua', out),
     "gongwen layout shows each value with the file that set it")
c.done()
