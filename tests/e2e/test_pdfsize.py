"""End to end: scripts/pdfsize, the measure behind the seed's size figure (issue 22 part 7).

Builds the seed and reads scripts/pdfsize --json: the parts it reports must add up to the
file's size, each font program's glyph count must match the glyphs the pages draw with it
(read by PyMuPDF), and libdeflate's level 12 must not be larger than what was written. The
file as written must stay within 3% of the floor pdfsize reports for its fonts, so a change
that compresses the fonts or pages worse, or subsets more glyphs than drawn, fails here."""
import collections
import json
import subprocess

from pdfcheck import Checker

c = Checker()
pdf = c.path("seed.pdf")
rc, _out, err = c.run("build", "examples/yongzhou-2024-01.txt", "-o", pdf)
c.ok(rc == 0, f"seed builds ({err.strip()[:200]!r})")
r = json.loads(subprocess.run(["/usr/bin/python3", "scripts/pdfsize", "--json", pdf],
                              capture_output=True, text=True, check=True).stdout)

parts = sum(f["written"] for f in r["fonts"]) + r["page_content"] + r["other_streams"] \
    + r["objects"]
c.eq(parts, r["bytes"], "font programs, page content, other streams and objects add up")
c.eq(r["pages"], 8, "seed pages")
c.eq(sorted(f["name"] for f in r["fonts"]),
     ["FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular", "FandolSong-Bold",
      "FandolSong-Regular"], "the five faces' programs")

fitz = subprocess.run(["/usr/bin/python3", "-c", """
import collections, fitz, json, sys
used = collections.defaultdict(set)
for page in fitz.open(sys.argv[1]):
    for span in page.get_texttrace():
        for ch in span["chars"]:
            used[span["font"]].add(ch[1])
print(json.dumps({k: len(v) for k, v in used.items()}))
""", pdf], capture_output=True, text=True, check=True)
drawn = json.loads(fitz.stdout)
for f in r["fonts"]:
    n = drawn.get(f["name"], 0)
    # .notdef, and a few glyphs planned before the text was set in another face
    c.ok(n + 1 <= f["glyphs"] <= n + 1 + max(4, n // 50),
         f"{f['name']}: {f['glyphs']} glyphs in the program, {n} drawn")
    c.ok(f["level12"] <= f["written"] + 64, f"{f['name']}: level 12 {f['level12']} <= "
                                             f"written {f['written']}")
    c.ok(f["xz"] < f["raw"], f"{f['name']}: xz {f['xz']} < raw {f['raw']}")
c.ok(r["floor"] <= r["bytes"] <= r["floor"] * 1.03,
     f"seed {r['bytes']} bytes within 3% of the floor {r['floor']} for its fonts")
print(f"seed {r['bytes'] / 1000:.1f} KB, floor {r['floor'] / 1000:.1f} KB, font programs "
      f"{sum(f['written'] for f in r['fonts']) / 1000:.1f} KB")
c.done()
