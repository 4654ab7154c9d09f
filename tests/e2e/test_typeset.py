"""End to end: typesetting quality (issues 3 and 22) on the seed, a generated
stress document and bulletins of other shapes (weather, price, pest, county news).

Measured from the PDFs (the text with pdftotext; lines from every glyph's origin
with scripts/gridcheck) and the laid-out pages (--trace): no kinsoku faults,
nothing past the right edge but a hanging closing mark (its ink at most half a
cell out), non-final lines flush right (a hanging mark's line: the cell before
it), full Han lines of 28 characters, the grid pitch and first-line tops, and
no single-character last lines."""
import itertools
import statistics

from pdfcheck import MM, NO_END, NO_START, Checker, body_line_tops, gridcheck, han, text

c = Checker()
MARKS = "，。、；：？！“”‘’（）《》〈〉【】〔〕·"
CLOSING = set("、。，；：？！”’）〕】》〉」』〗］｝．")


def stress():
    """Every ordered pair of Chinese marks between Han text, plus the hard cases."""
    paras = []
    pairs = ["甲" + a + b + "乙" for a, b in itertools.product(MARKS, repeat=2)]
    for i in range(0, len(pairs), 12):
        paras.append("标点组合" + "".join(pairs[i:i + 12]) + "。")
    paras += [
        "长数字与百分比：全市生产总值1234567.89万元，同比增长12.345%，其中第一产业增加值占比18.6%，"
        "人均可支配收入为31,245.67元，较上年增加2,086元，气温为-3.5℃～12.8℃，坡度为3.5‰。",
        "网址与邮箱：详见https://www.example.gov.cn/zwgk/2024/03/t20240329_123456789.html或发送邮件至"
        "gongwen-support@example.gov.cn，也可登录http://www.example.org/a/b/c/d查询。",
        "破折号与省略号：会议强调——要坚决守住底线——确保万无一失；要抓好道路交通、消防安全、燃气安全……"
        "各项工作，做到“人员到位、责任到位、措施到位”……",
        "引号嵌套：学习《关于“八大行动”的实施意见》和《〈永州市安全守底行动方案〉解读》，"
        "他说：“要落实‘一岗双责’，做到‘三管三必须’。”《“十四五”规划》要求“守住‘底线’”。",
        "文号与日期：根据《永州市实施“八大行动”总体方案》（永政办发〔2024〕4号），2024年2月29日起执行；"
        "（2023）年度考核结果见附件，（0000），（9999）。",
        "一、总体要求",
        "（一）指导思想。坚持人民至上、生命至上，统筹发展和安全，以安全守底行动为抓手。",
        "1.加强组织领导。各县市区要成立工作专班。",
        "（1）明确责任分工。",
    ]
    return ("标题: 排版压力测试 专报\n期号: 第1期\n编发: 测试专班\n日期: 2024年3月1日\n\n【工作部署】\n"
            + "\n".join(paras) + "\n")


docs = {"seed": "examples/yongzhou-2024-01.txt", "stress": c.write("stress.txt", stress())}
for name in ("weather", "price", "pest", "county-news"):
    docs[name] = f"examples/typeset/{name}.txt"

left, right = 28 * MM, 184 * MM
top, bottom = 37 * MM, 262 * MM
pitch = 225 * MM / 22
cell = 156 * MM / 28
totals = {"nonfinal": 0, "flush": 0, "hanging": 0}
for name, src in docs.items():
    pdf = c.path(name + ".pdf")
    rc, out, err = c.run("build", "--strict", src, "-o", pdf)
    c.ok(rc == 0 and err == "", f"{name}: builds ({err.strip()[:160]!r})")
    body_text, perr = text(pdf)
    with open(src, encoding="utf-8") as f:
        source = f.read()
    # the body: from the first section heading on; the PDF's 版记 lines come last
    body = body_text[body_text.index("【"):]
    body = "\n".join(l for l in body.splitlines() if not l.startswith(("报：", "送：", "发：", "（共印")))
    c.eq(han(body), han(source[source.index("\n【"):]), f"{name}: every Han character, in order")
    c.eq(perr, "", f"{name}: pdftotext prints no warning")
    # body lines in reading order across pages (below the masthead on page 1), each
    # character at its glyph origin (scripts/gridcheck: the PDF's boxes of compressed
    # CFF marks are wider than the marks are set, so pdftotext's lines are not used here)
    grid = gridcheck(pdf)
    flow = []
    for p in sorted({l["page"] for l in grid["body_lines"]}):
        ls = [l for l in grid["body_lines"] if l["page"] == p]
        ls = [l for l in ls if not l["text"].startswith(("报：", "送：", "发：", "（共印"))]
        if p == 1:
            first = min((l["y"] for l in ls if l["text"].startswith("【")), default=0)
            ls = [l for l in ls if l["y"] >= first]
        flow += [(l["x"][0], l["y"], l["end"], l["hang"], l["text"], l["inner_end"]) for l in ls]
    faults, over, ragged, short28, runts = [], [], [], [], []
    for i, (x0, y0, x1, hang, t, inner) in enumerate(flow):
        if t[0] in NO_START or t[-1] in NO_END:
            faults.append(t)
        # nothing past the edge but a hanging closing mark, its box one cell out at most
        # (where its ink ends is gridcheck's rendered check, asserted below)
        if x1 > right + 0.25 and not (hang and t[-1] in CLOSING and x1 <= right + cell + 0.25):
            over.append((t, round(x1 / MM, 2)))
        nxt = flow[i + 1] if i + 1 < len(flow) else None
        continues = nxt is not None and abs(nxt[0] - left) < 0.5 * MM and not nxt[4].startswith("【")
        if continues:  # a non-final line of a paragraph
            totals["nonfinal"] += 1
            if abs(inner - right) <= 0.3 * MM:  # (a hanging mark's line: the cell before it)
                totals["flush"] += 1
            else:
                ragged.append((t, round(x1 / MM, 2)))
            if han(t) == t and abs(x0 - left) < 0.5 * MM and len(t) != 28:
                short28.append(t)
        starts_margin = abs(x0 - left) < 0.5 * MM and not t.startswith("【")
        if not continues and starts_margin and i > 0:  # the last line of a multi-line paragraph
            content = [ch for ch in t if ch not in MARKS + "。，"]
            if len(content) < 2:
                runts.append(t)
    c.eq(faults, [], f"{name}: no kinsoku faults")
    c.eq(over, [], f"{name}: nothing past the text block but hanging closing marks")
    c.eq(grid["ink_past_edge"], [], f"{name}: no ink past the edge but half a cell of a hanging mark")
    c.eq(short28, [], f"{name}: full Han lines hold 28 characters")
    c.eq(runts, [], f"{name}: no single-character last lines")
    totals["hanging"] += grid["hanging"]
    if ragged:
        print(f"{name}: not flush right: {ragged[:5]}")
    # the grid, from the laid-out pages
    rc, trace, _ = c.run("build", src, "--trace")
    gaps = []
    for p, ys in body_line_tops(trace, top, bottom).items():
        c.ok(abs(ys[0] - top) <= 0.5 * MM, f"{name} page {p}: first line top at 37 mm")
        gaps += [b - a for a, b in zip(ys, ys[1:])]
    if gaps:
        c.ok(abs(statistics.median(gaps) - 637.8 / 22) <= 0.05, f"{name}: median pitch 28.99 pt")
# a heading never ends a page, wherever it falls (keep-with-next honours widows and orphans)
alone = []
para3 = "三行的段落" * 14 + "。"  # about three lines
for n in range(12, 40):
    body = "".join(f"第{i}段。\n" for i in range(n))
    src = c.write(f"keep{n}.txt", f"标题: 测试\n\n【工作部署】\n{body}【专项行动】\n{para3}\n")
    rc, trace, _ = c.run("build", src, "--trace")
    for page in trace.split("\npage\t")[1:]:
        texts = [r.split("\t") for r in page.splitlines() if r.startswith("text\t")]
        body_rows = [t for t in texts if float(t[7]) < 262 * MM]
        if body_rows and max(body_rows, key=lambda t: float(t[7]))[8].startswith("【"):
            alone.append(n)
c.eq(alone, [], "no page ends with a section heading")

share = totals["flush"] / max(totals["nonfinal"], 1)
print(f"non-final lines flush right within 0.3 mm: {totals['flush']}/{totals['nonfinal']} "
      f"= {share:.1%}; {totals['hanging']} hanging marks")
c.ok(share >= 0.98, f"at least 98% of non-final lines flush right ({share:.1%})")
c.done()
