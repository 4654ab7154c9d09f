"""End to end: the seed bulletin builds to a correct official-format PDF
(the done-when figures of the foundation issue)."""
import os
import statistics

from pdfcheck import (MM, NO_END, NO_START, Checker, body_line_tops, fonts, gridcheck, han, pages,
                      red_pixels, text, tool)

c = Checker()
seed = "examples/yongzhou-2024-01.txt"
pdf = c.path("seed.pdf")
rc, out, err = c.run("build", seed, "-o", pdf)
c.eq(rc, 0, "build exit code")
c.eq(out.strip(), pdf, "build prints the PDF path")
c.eq(err, "", "build prints no diagnostics")

# every Han character of the seed, in order, nothing extra
body, err = text(pdf)
c.eq(err, "", "pdftotext prints no warning")
with open(seed, encoding="utf-8") as f:
    source = f.read()
c.eq(han(body), han(source), "Han characters of the PDF equal the seed's, in order")
c.ok("2024年第1期" in body and "2月28日" in body, "spacing rule removed Han-digit spaces")

# fonts embedded, subset, with ToUnicode
rows, err = fonts(pdf)
c.ok(len(rows) >= 3, f"at least 3 fonts in use ({len(rows)})")
for r in rows:
    c.ok(r["emb"] == "yes" and r["sub"] == "yes" and r["uni"] == "yes",
         f"font {r['name']} embedded+subset+ToUnicode")
c.eq(err, "", "pdffonts prints no warning")

rc, out, err = tool("qpdf", "--check", pdf)
c.eq(rc, 0, "qpdf --check exit code")
c.ok("No syntax or stream encoding errors" in out, "qpdf --check is clean")

# A4 pages, each numbered "— N —"
sizes = pages(pdf)
c.ok(len(sizes) >= 6, f"seed has several pages ({len(sizes)})")
for i, (w, h) in enumerate(sizes, 1):
    c.ok(abs(w - 595.28) < 0.5 and abs(h - 841.89) < 0.5, f"page {i} is A4 ({w} x {h})")
    t, _ = text(pdf, i)
    c.ok(f"— {i} —" in t, f"page {i} carries its number")

# red masthead on page 1 only
c.ok(red_pixels(pdf, 1, 30) > 200, "page 1 has a red masthead")
c.ok(red_pixels(pdf, 2, 30) == 0, "page 2 has no red")

# geometry: body lines start at 28 mm, nothing passes 184.3 mm but a hanging closing mark
# (grid setting: its box one cell out, its ink at most half a cell), no kinsoku faults;
# lines from every glyph's origin (scripts/gridcheck), not pdftotext's boxes
left = 28 * MM
right = 184.3 * MM
cell = 156 * MM / 28
top, bottom = 37 * MM, 262 * MM
grid = gridcheck(pdf)
starts, tops, faults, over = [], [], [], []
for p in sorted({l["page"] for l in grid["body_lines"]}):
    body_lines = [l for l in grid["body_lines"] if l["page"] == p]
    if p == 1:  # below the masthead: from the first section heading on
        first = min((l["y"] for l in body_lines if l["text"].startswith("【")), default=0)
        body_lines = [l for l in body_lines if l["y"] >= first]
    for l in body_lines:
        x0, x1, t = l["x"][0], l["end"], l["text"]
        starts.append(x0)
        hangs = l["hang"] and t[-1] in "、。，；：？！”’）〕】》〉" and x1 <= 184 * MM + cell + 0.25
        if x1 > right and not hangs:
            over.append((p, t, x1 / MM))
        if t and (t[0] in NO_START or t[-1] in NO_END):
            faults.append((p, t))
c.eq(grid["ink_past_edge"], [], "no ink past the edge but half a cell of a hanging mark")
flush = [s for s in starts if abs(s - left) <= 0.5 * MM]
c.ok(len(flush) > len(starts) / 2, f"most body lines start at 28 mm ({len(flush)}/{len(starts)})")
c.ok(all(s >= left - 0.5 * MM for s in starts), "no body line starts left of 27.5 mm")
c.eq(over, [], "no glyph passes 184.3 mm but hanging closing marks")
c.eq(faults, [], "no kinsoku faults")
# the vertical grid, from the laid-out pages the PDF was written from (--trace):
# em-box tops of body lines on pages 2.. start at 37 mm, pitch 225 mm / 22
rc, trace, err = c.run("build", seed, "--trace")
c.eq(rc, 0, "trace exit code")
pitches = []
for p, ys in body_line_tops(trace, top, bottom).items():
    c.ok(abs(ys[0] - top) <= 0.5 * MM, f"page {p}: first line top {ys[0] / MM:.2f} mm is 37 mm")
    pitches += [b - a for a, b in zip(ys, ys[1:])]
c.ok(pitches and abs(statistics.median(pitches) - 637.8 / 22) <= 0.05,
     f"median line pitch is 28.99 pt ({statistics.median(pitches) if pitches else 0:.3f})")

# fonts and pages are compressed on worker threads: the file must not depend on how many
outs = []
for threads in ("1", "2", "5"):
    out = c.path(f"seed-t{threads}.pdf")
    env = dict(os.environ, GONGWEN_THREADS=threads, SOURCE_DATE_EPOCH="1700000000")
    rc, _, err = c.run("build", seed, "-o", out, env=env)
    c.eq(rc, 0, f"build with {threads} threads")
    with open(out, "rb") as f:
        outs.append(f.read())
c.ok(outs[0] == outs[1] == outs[2], "1, 2 and 5 threads write byte-identical PDFs")

size = os.path.getsize(pdf)
print(f"seed.pdf: {len(sizes)} pages, {size} bytes, {len(starts)} body lines, "
      f"{len(flush)} start at 28 mm")
c.done()
