"""End to end: grid setting (issue 22 part 2) and its measure, scripts/gridcheck.

Builds the seed and the typesetting corpus (tests/corpus, examples, examples/typeset)
with the default layout (typeset.grid = true) and asserts the figures gridcheck reads
from the PDFs' glyph origins: Han characters within 0.1 cell of a column, body lines
wholly on it, lines of Han and marks only on it, hanging marks with their ink at most
half a cell past the edge. The same seed set with typeset.grid = false (free
justification) must measure off the grid, so the measure can fail. Small documents
check a hanging mark in column 29, digits padded back to the grid, a line of marks
only, and that a layout cannot give typeset.grid anything but true or false."""
import glob
import os

from pdfcheck import MM, Checker, gridcheck, han, text

c = Checker()
CELL = 156 * MM / 28
LEFT, RIGHT = 28 * MM, 184 * MM
HEAD = "标题: 网格 测试\n期号: 第1期\n编发: 测试专班\n日期: 2024年3月1日\n\n【工作部署】\n"


def build(src, name, *args):
    pdf = c.path(name + ".pdf")
    rc, out, err = c.run("build", src, "-o", pdf, *args)
    c.ok(rc == 0, f"{name}: builds ({err.strip()[:200]!r})")
    return pdf


def figures(what, g):
    return (f"{what}: Han on grid {g['han_on_grid']:.3f} of {g['han']}, lines "
            f"{g['lines_on_grid']:.3f} of {g['lines']}, Han-only lines {g['han_only_on_grid']:.3f} "
            f"of {g['han_only_lines']}, {g['hanging']} hanging")


# {===== the seed and the corpus, grid setting by default =====
seed = build("examples/yongzhou-2024-01.txt", "seed")
g = gridcheck(seed)
print(figures("seed", g))
c.ok(g["han_on_grid"] >= 0.97, f"seed: Han characters on the grid >= 0.97 ({g['han_on_grid']:.3f})")
c.ok(g["lines_on_grid"] >= 0.85, f"seed: body lines wholly on it >= 0.85 ({g['lines_on_grid']:.3f})")
c.ok(g["han_only_on_grid"] >= 0.98,
     f"seed: lines of Han and marks only on it >= 0.98 ({g['han_only_on_grid']:.3f})")
c.ok(g["han"] > 3000 and g["lines"] > 140, f"seed: the body is measured ({g['han']}, {g['lines']})")
c.ok(g["hanging"] > 0, "seed: some closing marks hang in column 29")
c.eq(g["ink_past_edge"], [], "seed: no ink past the edge but half a cell of a hanging mark")

corpus = sorted(glob.glob("tests/corpus/*.txt") + glob.glob("examples/*.txt") +
                glob.glob("examples/typeset/*.txt"))
pdfs = [build(src, "corpus-" + os.path.basename(src)[:-4]) for src in corpus]
g = gridcheck(*pdfs)
print(figures(f"corpus ({len(pdfs)} documents)", g))
c.ok(g["han_on_grid"] >= 0.97, f"corpus: Han characters on the grid >= 0.97 ({g['han_on_grid']:.3f})")
c.ok(g["lines_on_grid"] >= 0.85, f"corpus: body lines wholly on it >= 0.85 ({g['lines_on_grid']:.3f})")
c.ok(g["han_only_on_grid"] >= 0.97,
     f"corpus: lines of Han and marks only on it >= 0.97 ({g['han_only_on_grid']:.3f})")
c.eq(g["ink_past_edge"], [], "corpus: no ink past the edge but half a cell of a hanging mark")
# }=====

# {===== free justification (typeset.grid = false) measures off the grid =====
c.write("free/plugins/layouts/free.lua",
        'return { api = 1, base = "gbt9704", typeset = { grid = false } }\n')
with open("examples/yongzhou-2024-01.txt", encoding="utf-8") as f:
    seed_text = f.read()
free_src = c.write("free/seed.txt", "版式: free\n" + seed_text)
free = build(free_src, "free")
g = gridcheck(free)
print(figures("seed, grid = false", g))
c.ok(g["han_on_grid"] < 0.8 and g["lines_on_grid"] < 0.5,
     f"grid = false: the free setting measures off the grid ({g['han_on_grid']:.3f}, "
     f"{g['lines_on_grid']:.3f})")
c.eq(g["hanging"], 0, "grid = false: no mark hangs")
c.eq(han(text(free)[0]), han(text(seed)[0]), "grid = false: the same text")
bad = c.write("bad/plugins/layouts/bad.lua",
              'return { api = 1, base = "gbt9704", typeset = { grid = "yes" } }\n')
bad_src = c.write("bad/doc.txt", "版式: bad\n" + HEAD + "正文。\n")
rc, out, err = c.run("build", bad_src, "-o", c.path("bad.pdf"))
c.ok(rc != 0 and "typeset.grid" in err and "bad.lua:1" in err,
     f"typeset.grid = \"yes\" is refused at the layout's line ({err.strip()[:200]!r})")
# }=====


def body(pdf):
    return [l for l in gridcheck(pdf)["body_lines"] if not l["text"].startswith("【")]


# {===== a closing mark in column 29 hangs; digits return to the grid; marks only =====
para = "安" * 26 + "。" + "全" * 30 + "。"  # first line: indent 2 + 26 Han, 。 in column 29
doc = c.write("hang.txt", HEAD + para + "\n")
ls = body(build(doc, "hang"))
c.ok(ls and ls[0]["text"] == "安" * 26 + "。" and ls[0]["hang"],
     f"a full line's closing mark hangs instead of pushing a character down ({ls[:1]})")
c.ok(ls and abs(ls[0]["x"][-1] - RIGHT) < 0.1 * CELL, "the hanging mark starts on the edge")
c.ok(ls and ls[0]["ink_past"] <= 0.5 * CELL + 0.5,
     f"its ink passes the edge by at most half a cell ({ls and ls[0]['ink_past']:.2f} pt)")
c.ok(all(l["on_grid"] for l in ls), "a hanging line and the next are on the grid")

para = ("全市2024年3月5日召开会议，共有135人参加，其中12人发言，" * 4 + "会议历时3.5小时。")
doc = c.write("digits.txt", HEAD + para + "\n")
ls = body(build(doc, "digits"))
c.ok(len(ls) >= 3 and all(l["on_grid"] for l in ls),
     f"digit runs keep their width and every Han character after them is on a column "
     f"({[l['text'] for l in ls if not l['on_grid']]})")
xs = [l["x"] for l in ls]
nat = [b - a for l in ls for a, b, ch in zip(l["x"], l["x"][1:], l["text"]) if ch in "0123456789"
       and l["text"][l["text"].index(ch) + 1:l["text"].index(ch) + 2].isdigit()]
c.ok(nat and max(nat) - min(nat) < 0.5, f"digits within a number keep one pitch ({sorted(set(nat))[:4]})")
para = "“" + "。”" * 40
doc = c.write("marks.txt", HEAD + para + "\n")
ls = body(build(doc, "marks"))
c.ok(ls and all(l["x"][0] >= LEFT - 0.5 for l in ls) and
     all(l["end"] <= RIGHT + CELL + 0.5 for l in ls), "a paragraph of marks only stays in the block")
c.eq(gridcheck(c.path("marks.pdf"))["ink_past_edge"], [], "marks only: no ink past half a cell")
# }=====

# {===== a short run sits centred between the ink around it, at a line start too =====
# Each paragraph: 26 Han on the first line (after the indent), then a run of 1, 2 or 4
# digits starting line 2, and the same run mid-line between Han characters and after a
# closing mark. The blank between ink (mm, scripts/gridcheck --gaps) before and after each
# run must be alike, so a single digit has no gap after it that it has not before it.
paras = ["安" * 26 + f"{d}月召开会议全市{d}月召开会议，{d}月召开" + "会" * 12 + "。" for d in ("5", "12", "2024")]
doc = c.write("gaps.txt", HEAD + "\n\n".join(paras) + "\n")
pdf = build(doc, "gaps")
ls = [l for l in gridcheck("--gaps", pdf)["body_lines"] if not l["text"].startswith("【")]
c.ok(ls and all(l["on_grid"] for l in ls), "digit runs: every Han character on the grid")
runs = [(r["at"], r["prev"], r["text"], r["before_mm"], r["after_mm"]) for l in ls for r in l["runs"]]
print("ink blank before/after the runs (mm):",
      ", ".join(f"{at} {p or '|'}{t}月 {b:.2f}/{a:.2f}" for at, p, t, b, a in runs))
for d in ("5", "12", "2024"):
    mine = [r for r in runs if r[2] == d]
    c.ok(len(mine) == 3 and mine[0][0] == "start", f"{d}: at a line start, mid-line and after ， ({mine})")
    c.ok(all(a <= 2.5 for _, p, _, b, a in mine if p != "，"),
         f"{d}: at most 2.5 mm blank after its ink between Han characters ({mine})")
# a padded run (one digit: its cell less its width) has the pad on both sides, the blank
# half of the ， before it counted; a run that fills its cells has no pad to share
c.ok(all(abs(b - a) <= 1.0 for _, _, t, b, a in runs if t == "5"),
     f"5: the blank before and after its ink differ by at most 1 mm ({runs[:3]})")
# before closing marks or a unit the marks keep to their number and its pad is shared: three
# fifths before the run, the rest after the marks, so no gap grows by a cell (气温12.6℃，
# had 11.2 mm after the ，, the blank half of a ， between Han is about 4.3 mm); a run at a
# line start is centred (1.8℃；, 0.2个: 0.2 had 4.7 mm after it, 0.3 before), a list number
# keeps the left edge (2、, which the reader writes 2., after the 2-cell indent: 11.14 mm)
unit = ("安" * 26 + "1.8℃；累计降水量较常年同期偏少，全县平均气温12.6℃，较常年同期偏高。\n\n" +
        "安" * 26 + "0.2个百分点，环比下降3.2%；五花肉每公斤24.60元。\n\n"
        "2、全县平均气温偏高。")
updf = build(c.write("units.txt", HEAD + unit + "\n"), "units")
uruns = [(r["at"], r["text"], r["before_mm"], r["after_mm"], r["mark_after_mm"])
         for l in gridcheck("--gaps", updf)["body_lines"] for r in l["runs"]]
print("ink blank before/after the runs and after their marks (mm):", uruns)
marked = [r for r in uruns if r[1].startswith(("1.8", "12.6", "3.2"))]
c.ok(len(marked) == 3 and all(r[4] is not None and r[4] <= 7.5 and r[2] <= 5.0 for r in marked),
     f"1.8℃； 12.6℃， 3.2%；: at most 7.5 mm after the mark, 5 mm before the number ({marked})")
c.ok(all(r[2] >= 1.0 for r in marked),
     f"1.8℃； 12.6℃， 3.2%；: some of the pad before the number too ({marked})")
start = [r for r in uruns if r[0] == "start" and r[1].startswith(("1.8", "0.2"))]
c.ok(len(start) == 2 and all(abs(r[2] - r[3]) <= 1.5 for r in start if r[1] == "0.2"),
     f"0.2个 at a line start: centred, its blanks within 1.5 mm ({start})")
lists = [r for r in uruns if r[1] == "2."]
c.ok(len(lists) == 1 and all(11.0 <= r[2] <= 11.14 + 0.8 for r in lists),
     f"2、 (2.) at a paragraph's start keeps the edge after the indent ({lists})")
utext = text(updf)[0].replace("\n", "")
c.ok(all(p in utext for p in unit.split("\n\n")[:2]),
     "pdftotext gives the runs and their marks without stray spaces")
t = text(pdf)[0].replace("\n", "")
c.ok(all(p in t for p in paras),
     "pdftotext gives the runs without stray spaces")
# }=====
c.done()
