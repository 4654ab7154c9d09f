"""End to end: details of the GB/T 9704 layouts a reader sees, measured in mm with PyMuPDF
(python3-fitz) glyph by glyph: the first headline right under the masthead, a later one a
blank line below the text before it (a.first); the 附件说明 of a 简报 whose 附件 come from
the header gets "附件：" and the hanging indent of the 文件 (format.attachments); the 纪要's
attendance labels keep a full cell for their colon, the names starting and wrapping one
字 after it, also with free justification; a full-width space that pads a name stays
(spacing's fullwidth-space); page numbers around the 版记 (§7.5: a blank page before the
版记 page and the 版记 page get none, every other page one, for a body ending on an odd
page, on an even one, and a 版记 sharing the last page; 文件, 简报 with and without
colophon_even_page); a 印章 is never dropped unsaid: without a date it presses the 署名,
without either it is a warning at the field, and a 简报's layout warns that it sets none."""
import re
import sys

try:
    import fitz
except ImportError:  # Debian's python3-fitz, when python3 is another build of 3.11
    sys.path.append("/usr/lib/python3/dist-packages/")
    import fitz

from pdfcheck import Checker

c = Checker()
MM = 72 / 25.4
LEFT, TOP = 28.0, 37.0  # the 版心's left and top edges, mm
PITCH = 225 / 22  # a grid line, mm
ZI = 156 / 28  # one 字 of 3号 on the grid, mm


def near(a, b, tol, what):
    return c.ok(a is not None and abs(a - b) <= tol, f"{what}: {a if a is None else round(a, 2)} "
                f"mm, want {round(b, 2)} ± {tol}")


def build(name, text, *extra):
    src = c.write(name + ".txt", text)
    pdf = c.path(name + ".pdf")
    rc, _, err = c.run("build", src, "-o", pdf, *extra)
    c.ok(rc == 0, f"{name} builds ({err.strip()[:300]})")
    return fitz.open(pdf) if rc == 0 else None


def glyph_lines(page):
    """Every text line as (text, [(char, x0 mm, top mm)]), glyphs of one baseline together."""
    rows = {}
    for b in page.get_text("rawdict")["blocks"]:
        for ln in b.get("lines", []):
            for s in ln["spans"]:
                for ch in s["chars"]:
                    if ch["c"].strip():
                        key = round(ch["origin"][1], 1)
                        rows.setdefault(key, []).append(
                            (ch["c"], ch["bbox"][0] / MM, (ch["origin"][1] - 0.88 * s["size"]) / MM))
    out = []
    for key in sorted(rows):
        gs = sorted(rows[key], key=lambda g: g[1])
        out.append(("".join(g[0] for g in gs), gs))
    return out


def line_with(doc, start, page=None):
    """(page index, text, glyphs) of the first line starting with start."""
    for i, p in enumerate(doc):
        if page is not None and i != page:
            continue
        for t, gs in glyph_lines(p):
            if t.startswith(start):
                return i, t, gs
    return None, None, None


def x_of(gs, ch):
    return next((g[1] for g in gs or [] if g[0] == ch), None)


BULLETIN = "标题: 示范县防汛工作简报\n期号: 第1期\n编发: 示范县防汛办\n日期: 2024年6月25日\n"

# {===== 1. a.first: no blank line above the first headline =====
doc = build("heads", BULLETIN + "\n题目：关于做好汛期安全防范工作的通知\n各单位要落实24小时值班制度。\n"
            "题目：关于做好防汛物资储备工作的通知\n各单位要储备编织袋。\n")
red = [d for d in doc[0].get_drawings() if d.get("color") and d["color"][0] > 0.8 and d["color"][1] < 0.2]
rule_y = max(it[1].y / MM for d in red for it in d["items"] if it[0] == "l")
_, _, h1 = line_with(doc, "关于做好汛期")
_, _, b1 = line_with(doc, "各单位要落实")
_, _, h2 = line_with(doc, "关于做好防汛")
c.ok(h1 and h1[0][2] - rule_y < PITCH,
     f"the first headline on the first grid line under the masthead "
     f"({h1 and round(h1[0][2] - rule_y, 2)} mm below the rule, less than a line)")
c.ok(h1 and h1[0][2] - rule_y >= 3 - 0.01, "the first headline at least body_gap (3 mm) below the rule")
# headline to body and body to the next headline: each two grid lines (a blank line under a
# head, a blank line above a later headline); the sizes' offsets in their lines cancel out
near(h2 and b1 and h2[0][2] - h1[0][2], 4 * PITCH, 0.3,
     "a later headline: a blank line above it (4 lines from the first headline)")
# a 文件 without 标志 and 字号: its title a blank line below 份号/密级, at the top without them
doc = build("nomark", "版式: 文件\n份号: 000123\n密级: 秘密\n标题: 关于做好汛期安全防范工作的通知\n\n正文。\n")
_, _, mj = line_with(doc, "秘密")
_, _, ti = line_with(doc, "关于做好")
c.ok(mj and ti and 1.5 * PITCH < ti[0][2] - mj[0][2] < 2.5 * PITCH,
     f"文件 without 版头: the title a blank line under 密级 ({ti and mj and round(ti[0][2] - mj[0][2], 2)} mm)")
doc = build("nomark2", "版式: 文件\n标题: 关于做好汛期安全防范工作的通知\n\n正文。\n")
_, _, ti = line_with(doc, "关于做好")
c.ok(ti and ti[0][2] < TOP + PITCH, "文件 without 版头 and 份号: the title on the first line")
# }=====

# {===== 5. 附件 from the header: "附件：" and the hanging indent =====
doc = build("attach", BULLETIN + "附件: 1.示范县2024年汛期防汛值班表和各乡镇防汛抢险应急队伍人员名单及联系电话汇总表\n"
            "附件: 2.防汛物资清单\n署名: 示范县防汛办\n成文日期: 2024年6月25日\n\n【工作部署】\n"
            "各单位要落实24小时值班制度，确保信息畅通。\n")
_, t1, a1 = line_with(doc, "附件：1.")
c.ok(t1 is not None, "简报: a header's first 附件 gets its 附件： label")
near(a1 and a1[0][1], LEFT + 2 * ZI, 0.3, "简报 附件说明: 附件： 2 字 in")
name_x = x_of(a1, "示")
near(name_x, LEFT + 6 * ZI, 0.3, "简报 附件说明: the item's name after 附件：1. (the number one cell)")
_, _, wrap = line_with(doc, "急队伍")
near(wrap and wrap[0][1], name_x or 0, 0.3, "简报 附件说明: the wrapped line under the item's name")
_, t2, a2 = line_with(doc, "2.防汛")
near(x_of(a2, "防"), name_x or 0, 0.3, "简报 附件说明: the next item's name under the first's")
# }=====

# {===== 3. the 纪要's labels: the colon a full cell, the names after it =====
ATTEND = ("版式: {fmt}\n发文机关: 示范县人民政府常务会议\n标题: 县人民政府第五次常务会议纪要\n"
          "出席: 张　伟，王　芳，李　明，赵　强，陈　静，刘　洋，杨　帆，黄　磊，周　敏，吴　刚，郑　华\n"
          "请假: 孙　丽（出差）\n"
          "列席: 县应急管理局、县水利局、县财政局、县自然资源局、县住房城乡建设局主要负责同志\n\n"
          "会议研究部署汛期安全防范工作。\n")
c.write("free/layouts/freejiyao.lua",
        'return { api = 1, base = "jiyao", name = "freejiyao", typeset = { grid = false } }\n')
for fmt, extra in (("纪要", ()), ("freejiyao", ("--plugin-path", c.path("free")))):
    doc = build("jiyao-" + fmt, ATTEND.format(fmt=fmt), *extra)
    for label in ("出席：", "请假：", "列席："):
        i, t, gs = line_with(doc, label)
        colon = x_of(gs, "：")
        near(colon, LEFT + 4 * ZI, 0.3, f"{fmt} {label}: the colon in the 5th cell")
        near(gs and gs[3][1], LEFT + 5 * ZI, 0.3,
             f"{fmt} {label}: the first name a full cell after the colon's")
        # the lines below it up to the next label start where the names do
        lines = glyph_lines(doc[i])
        k = [l[0] for l in lines].index(t)
        for t2, g2 in lines[k + 1:]:
            if t2[:3] in ("出席：", "请假：", "列席：") or g2[0][2] - gs[0][2] > 3 * PITCH:
                break
            near(g2[0][1], LEFT + 5 * ZI, 0.3, f"{fmt} {label}: wrapped line {t2[:4]}… under the names")
# }=====

# {===== 4. a full-width space that pads a name stays =====
# set freely (no grid), where an ordinary space is narrower than a full-width one
EM = 16 / MM  # one em of 3号, mm
c.write("free/layouts/freebulletin.lua",
        'return { api = 1, base = "gbt9704", name = "freebulletin", typeset = { grid = false } }\n')
doc = build("names", "版式: freebulletin\n" + BULLETIN + "\n【工作部署】\n"
            "出席：张　伟，王　芳。\n\n工作　部署已完成。\n", "--plugin-path", c.path("free"))
_, t, gs = line_with(doc, "出席")
zhang, wei = x_of(gs, "张"), x_of(gs, "伟")
near(wei and zhang and wei - zhang, 2 * EM, 0.2, "张　伟: the U+3000 that pads the name stays a full em")
_, t, gs = line_with(doc, "工作")
zuo, bu = x_of(gs, "作"), x_of(gs, "部")
c.ok(zuo and bu and bu - zuo < 1.75 * EM,
     f"工作　部署: between words the U+3000 becomes an ordinary space ({bu and zuo and round(bu - zuo, 2)} mm)")
# }=====

# {===== 2. page numbers around the 版记 (§7.5) =====
# Each page as its number ("_" for none) followed by T (body text), B (the 版记) or nothing
# (a blank page). A blank page before the 版记 page: neither is numbered; every other page
# is, the 版记 page after a body page too. The body's length picks the case, and the map
# shows which case it was: a change of metrics that moves a case fails here, not silently.
FILE = ("版式: 文件\n发文机关: 示范县人民政府\n发文字号: 示政发〔2024〕5号\n"
        "标题: 关于做好汛期安全防范工作的通知\n署名: 示范县人民政府\n成文日期: 2024年3月1日\n"
        "抄送: 县委办公室，县人大常委会办公室，县政协办公室，县人武部，县法院，县检察院\n"
        "印发机关: 示范县人民政府办公室\n印发日期: 2024年3月1日\n\n")
BRIEF = "版式: {fmt}\n期号: 第1期\n报: 市专班。\n印数: 10\n\n【工作部署】\n"
c.write("even/layouts/even.lua",
        'return { api = 1, base = "gbt9704", name = "even", colophon_even_page = true }\n')


def page_map(doc):
    out = []
    for page in doc:
        t = page.get_text()
        m = re.search(r"—\s*(\d+)\s*—", t)
        body = re.search(r"第\s*\d+\s*段|示范县人民政府\n", t)
        col = "印发" in t or "共印" in t
        out.append((m.group(1) if m else "_") + ("T" if body else "") + ("B" if col else ""))
    return out


cases = [
    # layout, head, paragraphs, the page map, what it shows
    ("文件", FILE, 34, ["1T", "2T", "3T", "4B"], "body ends on odd page 3: the 版记 alone on page 4, numbered"),
    ("文件", FILE, 28, ["1T", "2T", "_", "_B"], "body ends on even page 2: blank page 3 and the 版记 page, unnumbered"),
    ("文件", FILE, 12, ["1T", "2TB"], "the 版记 shares the body's last (even) page"),
    ("even", BRIEF, 40, ["1T", "2T", "3T", "4B"], "简报, 版记 on an even page: body ends on odd page 3"),
    ("even", BRIEF, 38, ["1T", "2T", "_", "_B"], "简报, 版记 on an even page: body ends on even page 2"),
    ("even", BRIEF, 20, ["1T", "2TB"], "简报, 版记 on an even page: it shares the last page"),
    ("gbt9704", BRIEF, 16, ["1T", "2B"], "简报: body ends on odd page 1, the 版记 on page 2, numbered"),
    ("gbt9704", BRIEF, 38, ["1T", "2T", "3B"], "简报: body ends on even page 2, the 版记 on page 3 (no blank page)"),
    ("gbt9704", BRIEF, 12, ["1TB"], "简报: the 版记 shares the last page"),
]
for fmt, head, n, want, what in cases:
    body = "".join("第%d段文字，内容较长，用来把正文推到页面的末尾附近。\n" % i for i in range(n))
    doc = build(f"pages-{fmt}-{n}", head.format(fmt=fmt) + body, "--plugin-path", c.path("even"))
    c.eq(doc and page_map(doc), want, f"{fmt}: {what}")
# }=====

# {===== a 印章 is drawn or said to be not drawn =====
import shutil  # noqa: E402

shutil.copy("examples/wenjian/seal.png", c.path("seal.png"))
FILE_HEAD = "版式: 文件\n发文机关: 示范县人民政府\n发文字号: 示政发〔2024〕1号\n标题: 关于测试的通知\n"
doc = build("seal-nodate", FILE_HEAD + "署名: 示范县人民政府\n印章: seal.png\n\n正文。\n")
if doc:
    page = doc[-1]
    imgs = [page.get_image_bbox(i) for i in page.get_images(full=True)]
    gs = next((g for t, g in glyph_lines(page) if t == "示范县人民政府"), None)
    c.ok(len(imgs) == 1 and gs is not None, f"no date: the seal is drawn ({len(imgs)} images)")
    if len(imgs) == 1 and gs:
        r = imgs[0]
        mid = (gs[0][1] + gs[-1][1] + ZI) / 2
        near((r.x0 + r.x1) / 2 / MM, mid, 1.0, "no date: the seal centred on the 署名")
        c.ok(r.y0 / MM < gs[0][2] < r.y1 / MM, "no date: the seal covers the 署名 line")
src = c.write("seal-alone.txt", FILE_HEAD + "印章: seal.png\n\n正文。\n")
rc, _, err = c.run("build", src, "-o", c.path("seal-alone.pdf"))
c.ok(rc == 0 and re.search(r"seal-alone.txt:5:5: warning: 印章 is set over the 署名 and the "
                           r"成文日期", err), f"印章 alone: a warning at the field ({err.strip()[:200]})")
rc, _, err = c.run("build", src, "--strict", "-o", c.path("seal-alone2.pdf"))
c.ok(rc == 1, f"印章 alone: --strict fails ({rc})")
src = c.write("seal-brief.txt", BULLETIN + "印章: seal.png\n署名: 示范县人民政府\n成文日期: 2024年6月25日\n"
              "\n【工作部署】\n正文。\n")
rc, _, err = c.run("build", src, "-o", c.path("seal-brief.pdf"))
c.ok(rc == 0 and "this layout sets no 印章" in err, f"简报 with a 印章: said ({err.strip()[:200]})")
# }=====

c.done()
