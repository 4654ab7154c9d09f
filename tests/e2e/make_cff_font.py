"""Write a small name-keyed CFF OpenType font for the tests (run with Debian's
python3 and python3-fonttools): family "GW Test CFF", glyphs for a few
characters, each a box of its own size so a rendering shows ink.
Usage: make_cff_font.py OUT.otf"""
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen

CHARS = "名键字形测试体，。"


def box(w, x0, y0, x1, y1):
    pen = T2CharStringPen(w, None)
    pen.moveTo((x0, y0))
    pen.lineTo((x1, y0))
    pen.lineTo((x1, y1))
    pen.lineTo((x0, y1))
    pen.closePath()
    return pen.getCharString()


def main(out):
    names = [".notdef", "space"] + [f"uni{ord(c):04X}" for c in CHARS]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    cmap = {0x20: "space"}
    cmap.update({ord(c): f"uni{ord(c):04X}" for c in CHARS})
    fb.setupCharacterMap(cmap)
    strings = {".notdef": box(1000, 100, 0, 900, 800), "space": box(500, 0, 0, 0, 0)}
    for i, c in enumerate(CHARS):
        if c in "，。":
            strings[f"uni{ord(c):04X}"] = box(1000, 80, -60, 260, 120)
        else:
            strings[f"uni{ord(c):04X}"] = box(1000, 60 + 20 * i, -80, 940 - 10 * i, 820 - 20 * i)
    fb.setupCFF("GWTestCFF-Regular", {"FullName": "GW Test CFF"}, strings, {})
    fb.setupHorizontalMetrics({n: (500 if n == "space" else 1000, 0) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "GW Test CFF", "styleName": "Regular",
                       "psName": "GWTestCFF-Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
