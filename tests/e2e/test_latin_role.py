"""End to end: digits and Latin letters set in a Latin font (issue 22 part 5).

With `typeset.latin_role = "latin"` and a Latin font for that role, numbers must
keep their order and spacing. DejaVu's digits are 636.2 units wide, the most
common width of a subset of numbers: written as a real /DW, poppler read it as
absent (1000) and drew "2024年3月5日" as "2 0 2年4 3月5日". MuPDF read it right,
so the characters are read back twice: in order with their positions from
MuPDF (python3-fitz rawdict, Debian's python3), and as poppler's words
(pdftotext -bbox-layout), which must end where MuPDF's last character does.
"""
import json
import re
import subprocess
import unicodedata

from pdfcheck import Checker, lines, text, tool

c = Checker()
FONTS = ["DejaVu Serif", "DejaVu Sans", "Liberation Serif"]
BODY = ["2024年3月5日完成98.5%的任务，ABC工程12项。",
        "全市1234567人，增长12.345%，No.2024-03。"]
SRC = ("标题：测试专报\n期号：第1期\n编发：测试专班\n日期：2024年3月1日\n\n【工作部署】\n"
       + "\n".join(BODY) + "\n")
LATIN = re.compile(r"[0-9A-Za-z.%-]")

# MuPDF's characters on page 1: one row per text line, [char, x0, x1, font] each
RAW = r"""
import fitz, json, sys
doc = fitz.open(sys.argv[1])
page = doc[0]
rows = []
# the glyphs drawn, without the spaces MuPDF makes up for wide gaps (grid pads)
for b in page.get_text("rawdict", flags=fitz.TEXT_INHIBIT_SPACES)["blocks"]:
    for l in b.get("lines", []):
        row = []
        for s in l["spans"]:
            row += [[ch["c"], ch["bbox"][0], ch["bbox"][2], s["font"]] for ch in s["chars"]]
        rows.append(row)
print(json.dumps(rows))
"""


def mupdf_rows(pdf):
    r = subprocess.run(["/usr/bin/python3", "-c", RAW, pdf], capture_output=True, text=True,
                       timeout=60)
    return json.loads(r.stdout) if r.returncode == 0 else None, r.stderr


for font in FONTS:
    name = font.replace(" ", "")
    c.write(f"{name}/layouts/{name}.lua",
            'return { api = 1, base = "gbt9704", typeset = { latin_role = "latin" }, '
            f'fonts = {{ latin = {{ "{font}" }} }} }}\n')
    src = c.write(f"{name}.txt", SRC)
    pdf = c.path(f"{name}.pdf")
    rc, _, err = c.run("build", src, "--layout", name, "--plugin-path", c.path(name), "-o", pdf)
    c.ok(rc == 0 and err == "", f"{font}: builds ({err.strip()[:200]!r})")
    rows, rerr = mupdf_rows(pdf)
    c.ok(rows is not None, f"{font}: MuPDF reads the page ({rerr.strip()[-200:]!r})")
    if rows is None:
        continue
    wanted = BODY + ["2024年3月1日"]
    for want in wanted:
        row = next((r for r in rows if "".join(ch[0] for ch in r).endswith(want)), None)
        c.ok(row is not None, f"{font}: {want!r} reads back in order")
        if row is None:
            continue
        row = row[len(row) - len(want):]
        # the Latin role really sets the digits and letters, the Han characters are not in it
        latin = [ch for ch in row if LATIN.match(ch[0])]
        c.ok(latin and all(name in ch[3].replace(" ", "") for ch in latin),
             f"{font}: digits and letters of {want!r} are in {font} "
             f"({sorted({ch[3] for ch in latin})})")
        # a digit or letter starts where the character before it ends and ends where the
        # next one starts: no gap and no overlap inside a run of them; beside a Han
        # character no overlap beyond that character's overhang (a 16 pt face set on a
        # 15.79 pt cell of the 28-column line overhangs it by 0.21 pt)
        def bad_pair(a, b):
            gap = b[1] - a[2]
            if LATIN.match(a[0]) and LATIN.match(b[0]):
                # grid setting may close a run just over whole cells up by 1/20 cell in all
                # (0.8 pt over the run, a few tenths of a point between two glyphs)
                return gap > 0.05 or gap < -0.3
            # (a mark's box as MuPDF reads it is its glyph's em, moved with its ink: 0.1 pt more)
            limit = -0.4 if unicodedata.category(a[0]).startswith("P") else -0.3
            return (LATIN.match(a[0]) or LATIN.match(b[0])) and gap < limit
        bad = [(a[0], b[0], round(b[1] - a[2], 2)) for a, b in zip(row, row[1:]) if bad_pair(a, b)]
        c.ok(not bad, f"{font}: {want!r}: characters follow one another ({bad[:4]})")
        # a digit is as wide as the font says, not an em (16 pt here)
        widths = {round(ch[2] - ch[1], 2) for ch in row if ch[0].isdigit()}
        c.ok(widths and max(widths) < 12, f"{font}: digits narrower than an em ({widths})")
        # poppler reads the same widths: the line is one word ending at MuPDF's last character
        pl = [l for page in lines(pdf) for l in page if l[4].endswith(want)]
        c.ok(len(pl) == 1 and abs(pl[0][2] - row[-1][2]) < 0.5,
             f"{font}: poppler ends {want!r} where MuPDF does "
             f"({pl[0][2] if pl else None} vs {row[-1][2]:.2f})")
    body, _ = text(pdf)
    body = body.replace("\n", "")  # a body line may wrap on the grid
    c.ok(all(w in body for w in wanted), f"{font}: pdftotext gives every line in order")
    # the cause, read from the file: every /DW is a whole number
    qdf = c.path(f"{name}-qdf.pdf")
    tool("qpdf", "--qdf", "--object-streams=disable", pdf, qdf)
    with open(qdf, "rb") as f:
        dws = re.findall(r"/DW ([-0-9.]+)", f.read().decode("latin-1"))
    c.ok(dws and all(re.fullmatch(r"-?\d+", d) for d in dws), f"{font}: /DW is whole ({dws})")

c.done()
