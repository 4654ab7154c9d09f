"""Where every character of a PDF sits, with its box and its ink, as the PDF gives them
(run with Debian's python3: python3-fitz and python3-fonttools, as scripts/setup --tests
installs them).

For each character drawn: the page, its baseline, its text, the font size, its origin, its
box (origin + its code's /W width: what text selection and extraction see) and its ink
(the outline's horizontal extent in the embedded font program, moved to the origin).
Prints JSON: a list of [page, y, char, size, origin, box_end, ink0, ink1] (ink None for
a glyph without outline). Usage: mark_positions.py FILE.pdf
"""
import io
import json
import re
import sys

import fitz
from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont


def widths(text, dw):
    """A CIDFont's /W array as {cid: width}, and its default width."""
    w = {}
    toks = re.findall(r"\[|\]|-?[\d.]+", text or "")[1:-1]  # inside the outer [ ]
    i = 0
    while i < len(toks):
        first = int(float(toks[i]))
        if toks[i + 1] == "[":
            j = i + 2
            cid = first
            while toks[j] != "]":
                w[cid] = float(toks[j])
                cid += 1
                j += 1
            i = j + 1
        else:
            last, width = int(float(toks[i + 1])), float(toks[i + 2])
            for cid in range(first, last + 1):
                w[cid] = width
            i += 3
    return w, dw


class Font:
    """One embedded Type0 font: widths by code, ink by code (1000 units)."""

    def __init__(self, doc, xref):
        desc = doc.xref_get_key(xref, "DescendantFonts")[1]
        cid = int(re.search(r"(\d+) 0 R", desc).group(1))
        dw = doc.xref_get_key(cid, "DW")
        self.w, self.dw = widths(doc.xref_get_key(cid, "W")[1],
                                 float(dw[1]) if dw[0] == "int" or dw[0] == "float" else 1000.0)
        fd = int(re.search(r"(\d+) 0 R", doc.xref_get_key(cid, "FontDescriptor")[1]).group(1))
        self.ink = {}
        for key in ("FontFile2", "FontFile3"):
            ref = doc.xref_get_key(fd, key)
            if ref[0] == "xref":
                data = doc.xref_stream(int(ref[1].split()[0]))
                if key == "FontFile2":
                    self._truetype(data)
                else:
                    self._cff(data)

    def _truetype(self, data):
        f = TTFont(io.BytesIO(data))
        scale = 1000.0 / f["head"].unitsPerEm
        gs = f.getGlyphSet()
        for gid, name in enumerate(f.getGlyphOrder()):
            pen = BoundsPen(gs)
            gs[name].draw(pen)
            if pen.bounds:
                self.ink[gid] = (pen.bounds[0] * scale, pen.bounds[2] * scale)

    def _cff(self, data):
        cs = CFFFontSet()
        cs.decompile(io.BytesIO(data), None)
        top = cs[cs.fontNames[0]]
        keyed = hasattr(top, "ROS")
        scale = top.FontMatrix[0] * 1000.0 if hasattr(top, "FontMatrix") else 1.0
        for gid, name in enumerate(top.charset):
            code = int(name[3:]) if keyed and name.startswith("cid") else gid
            pen = BoundsPen(None)
            top.CharStrings[name].draw(pen)
            if pen.bounds:
                self.ink[code] = (pen.bounds[0] * scale, pen.bounds[2] * scale)


def main(path):
    doc = fitz.open(path)
    fonts = {}
    rows = []
    for pno, page in enumerate(doc, 1):
        names = {}
        for xref, _ext, _type, base, _name, _enc in page.get_fonts():
            names[base.split("+")[-1]] = xref
        for span in page.get_texttrace():
            xref = names.get(span["font"])
            if xref is None:
                continue
            if xref not in fonts:
                fonts[xref] = Font(doc, xref)
            f = fonts[xref]
            size = span["size"]
            for ch, code, origin, _bbox in span["chars"]:
                w = f.w.get(code, f.dw)
                ink = f.ink.get(code)
                x = origin[0]
                rows.append([pno, round(origin[1], 2), chr(ch), size, round(x, 3),
                             round(x + w * size / 1000.0, 3),
                             round(x + ink[0] * size / 1000.0, 3) if ink else None,
                             round(x + ink[1] * size / 1000.0, 3) if ink else None])
    json.dump(rows, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
