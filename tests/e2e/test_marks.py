"""End to end: punctuation marks sit where GB/T 15834 puts them whatever the font, read
from the PDF, and text extraction has no stray spaces around them.

The seed is built in the default faces (Fandol: CFF, marks set at the left of the em
box as GB fonts do) and in AR PL SungtiL GB (TrueType, which sets 。、 further in), and a
short text in a name-keyed CFF font (made with fontTools). For
every full-width mark of the body, from the positions, widths (/W) and outlines in the
PDF (mark_positions.py): its ink is inside its box (what selection sees), a closing
mark's at the left of it and an opening mark's at the right (at most 0.15 em from that
edge, never nearer the far one), and it touches neither neighbour.
"""
import json
import os
import re
import statistics
import subprocess

from pdfcheck import Checker, text

CLOSE = set("、。，；：？！”’）〕】》〉」』〗］｝．")
OPEN = set("“‘（〔【《〈「『〖［｛")
EDGE = 0.15  # em: the most a mark's ink sits from its edge (gw_para.c MARK_EDGE)
ROUND = 0.03  # em: a moved outline is placed to 1/40 em
WIDTH = 0.07  # em: a box's /W width is its set width to 1/8 em
TOUCH = 0.02  # em: the least blank between a mark's ink and its neighbour's

c = Checker()
seed = "examples/yongzhou-2024-01.txt"
c.write("ttf/layouts/arpl.lua",
        'return { api = 1, base = "yongzhou", fonts = { fangsong = { "AR PL SungtiL GB" }, '
        'kai = { "AR PL KaitiM GB" }, song = { "AR PL SungtiL GB" }, '
        'xbs = { "AR PL SungtiL GB" } } }\n')
# a name-keyed CFF font (its codes are glyph ids, not CIDs), made with fontTools
otf = c.path("cff/gwtest.otf")
os.makedirs(os.path.dirname(otf), exist_ok=True)
r = subprocess.run(["/usr/bin/python3", "tests/e2e/make_cff_font.py", otf], capture_output=True,
                   text=True)
c.ok(r.returncode == 0, f"test CFF font made ({r.stderr.strip()[-200:]!r})")
c.write("cff/layouts/named.lua", 'return { api = 1, base = "gbt9704", fonts = { '
        f'fangsong = {{ "{otf}", "AR PL SungtiL GB" }} }} }}\n')
named = c.write("named.txt", "标题：字体测试\n期号：第1期\n\n【工作部署】\n"
                + "名键字形测试，。名键字形测试体。" * 4 + "\n")
builds = {
    "FandolFang (CFF)": (seed, []),
    "AR PL SungtiL GB (TrueType)": (seed, ["--layout", "arpl", "--plugin-path", c.path("ttf")]),
    "GW Test CFF (name-keyed CFF)": (named, ["--layout", "named", "--plugin-path",
                                             c.path("cff")]),
}
for name, (doc, args) in builds.items():
    pdf = c.path(re.sub(r"\W+", "-", name) + ".pdf")
    rc, _, err = c.run("build", doc, "-o", pdf, *args)
    c.eq(rc, 0, f"{name}: builds")
    if rc != 0:
        print(err)
        continue

    # text extraction: no space beside a mark
    body, _ = text(pdf)
    stray = re.findall(r"[“‘（《〔【] |[^\S\n][”’）》〕】，。、；：？！]|[”’）》〕】，。、；：？！] (?=[一-鿿])",
                       body)
    c.eq(stray, [], f"{name}: pdftotext puts no space beside a mark")

    r = subprocess.run(["/usr/bin/python3", "tests/e2e/mark_positions.py", pdf],
                       capture_output=True, text=True, timeout=120)
    c.eq(r.returncode, 0, f"{name}: positions read from the PDF ({r.stderr.strip()[-300:]})")
    if r.returncode != 0:
        continue
    rows = [x for x in json.loads(r.stdout) if x[3] == 16.0]  # the body's 3号
    bad, gaps = [], {}
    for i, (page, y, ch, size, x0, x1, i0, i1) in enumerate(rows):
        if ch not in CLOSE and ch not in OPEN or i0 is None:
            continue
        em = size
        left, right = (i0 - x0) / em, (x1 - i1) / em
        box = (x1 - x0) / em
        where = f"p{page} {ch} box {x0:.2f}..{x1:.2f} ink {i0:.2f}..{i1:.2f}"
        if left < -ROUND or right < -WIDTH:
            bad.append(where + ": ink outside its box")
        near, far = (left, right) if ch in CLOSE else (right, left)
        if near > EDGE + ROUND or near > far + WIDTH:
            bad.append(where + (": not at the left" if ch in CLOSE else ": not at the right"))
        for j in (i - 1, i + 1):  # neighbours on the same line
            if 0 <= j < len(rows) and rows[j][0] == page and rows[j][1] == y and rows[j][6]:
                n0, n1 = rows[j][6], rows[j][7]
                blank = (i0 - n1) if j < i else (n0 - i1)
                if blank < TOUCH * em:
                    bad.append(where + f": touches {rows[j][2]} ({blank:.2f} pt)")
        kind = "half" if box < 0.8 else "full"
        gaps.setdefault((ch, kind), []).append((left, left + (i1 - i0) / em))
    c.eq(bad[:10], [], f"{name}: every body mark sits where GB/T 15834 puts it "
                       f"({len(bad)} faults)")
    c.ok(sum(len(v) for v in gaps.values()) > (100 if doc == seed else 10),
         f"{name}: the marks were read")
    # the figures: where the ink sits in its box (em from the box's left edge), median
    for ch in "。，、“”（）":
        for kind in ("full", "half"):
            v = gaps.get((ch, kind))
            if v:
                print(f"{name}: {ch} in a {kind} box: ink at "
                      f"{statistics.median(a for a, _ in v):.3f}..{statistics.median(b for _, b in v):.3f}"
                      f" em ({len(v)})")
c.done()
