"""End to end: no library error reaches a user (issue 20, part 5), and the 2 MB line.

Whatever the input does (a damaged font dropped into fonts/, a font with odd
metrics, images of odd sizes and kinds, characters no font has, header values
of 2 MB, a 2 MB paragraph on one line), the build ends in a PDF or in a
sentence that names the input line and says what to do: never a libharu,
libpng or libjpeg status (`libharu error 0x1057`) or a library's own words.
Every build runs under Checker.run_bounded (CPU time and peak memory as the
kernel counts them; the wall clock only as a backstop against a hang).
"""
import os
import re
import shutil
import struct
import zlib

from pdfcheck import Checker, han, pages, text, tool

c = Checker()
LIBRARY = re.compile(r"libharu|libpng|libjpeg|0x[0-9a-fA-F]{4}")
MB = 2048


def build(name, doc, files=None, env=None, cpu=5):
    """Write doc (and files) in a folder of its own, build it: (rc, err, src, pdf, CPU s)."""
    d = c.path(name)
    for rel, body in (files or {}).items():
        c.write(os.path.join(name, rel), body, "wb" if isinstance(body, bytes) else "w")
    src = c.write(os.path.join(name, "doc.txt"), doc)
    pdf = os.path.join(d, "doc.pdf")
    rc, _, err, secs, rss = c.run_bounded("build", src, "-o", pdf, cpu=cpu, env=env)
    c.within(f"{name}: ends in time and memory", secs, rss, mb=MB)
    c.ok(not LIBRARY.search(err), f"{name}: no library's status or words ({err.strip()[:300]!r})")
    return rc, err, src, pdf, secs


# {===================== fonts ============================================

SUNG = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
GOOD = open(SUNG, "rb").read()
TABLES = {}
for i in range(struct.unpack(">H", GOOD[4:6])[0]):
    tag, _, off, ln = struct.unpack(">4sIII", GOOD[12 + 16 * i:28 + 16 * i])
    TABLES[tag] = (off, ln, 12 + 16 * i)


def home_with(font_bytes, roles=None):
    """A GONGWEN_HOME whose fonts/ holds dropped.ttf (and roles.conf, changed or not)."""
    home = c.path("home")
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home + "/fonts")
    os.symlink(os.path.abspath("plugins"), home + "/plugins")
    with open("fonts/roles.conf", encoding="utf-8") as f:
        conf = f.read()
    c.write("home/fonts/roles.conf", roles(conf) if roles else conf)
    c.write("home/fonts/dropped.ttf", bytes(font_bytes), "wb")
    return dict(os.environ, GONGWEN_HOME=home, GONGWEN_FONT_CACHE="off")


DOC = "标题: 测试\n\n【工作部署】\n全市开展安全生产检查。\n"

# 1. A font whose glyf table is overwritten, dropped into fonts/ (it names the family
# AR PL SungtiL GB, so it takes the 仿宋 and 宋 roles): the PDF drew nothing for its
# characters, exit 0. Now: an error at the first text that needs it (the title, in 小标宋,
# which is the same family here), naming the character.
bad = bytearray(GOOD)
off, ln, _ = TABLES[b"glyf"]
bad[off:off + ln] = bytes((i * 37 + 11) & 0xFF for i in range(ln))
# its family first for the title (by default a stand-in after FandolSong-Bold)
env = home_with(bad, lambda conf: conf.replace("xbs      = ", "xbs      = AR PL SungtiL GB, "))
rc, err, src, pdf, _ = build("glyf-damaged", DOC, env=env)
c.ok(rc == 1 and re.search(re.escape(src) + r":1:1: error: the font file .*/fonts/dropped\.ttf is "
                           r"damaged: it cannot draw “测” \(U\+6D4B; glyph \d+: .*\); replace the "
                           r"font file with a good copy", err) and not os.path.exists(pdf),
     f"a damaged glyph: the line that needs it, the character, what to do ({err!r})")

# 2. A dropped-in font file that cannot be read at all was passed over in silence
# (the role took the next font): now a warning at the file, saying what to do.
bad = bytearray(GOOD)
off, ln, rec = TABLES[b"loca"]
bad[off:off + ln] = b"\xff" * ln
env = home_with(bad)
rc, err, src, pdf, _ = build("loca-damaged", DOC, env=env)
c.ok(rc == 0 and re.search(r"/fonts/dropped\.ttf: warning: this font file cannot be read, so no "
                           r"role uses it \(font file is corrupt: its loca table .*\); replace it "
                           r"with a good copy, or take it out of the fonts folder", err)
     and err.count("dropped.ttf: warning") == 1,
     f"an unreadable dropped-in font is said once ({err!r})")

# 3. A font with unitsPerEm 16 and wide glyphs: its default width was beyond what libharu
# writes as a real ("cannot create PDF font objects (libharu error 0x1057)"). It builds.
bad = bytearray(GOOD)
head = TABLES[b"head"][0]
bad[head + 18:head + 20] = struct.pack(">H", 16)
off, ln, _ = TABLES[b"hmtx"]
for i in range(off, off + ln - 3, 4):
    bad[i:i + 2] = struct.pack(">H", 60000)
env = home_with(bad)
rc, err, src, pdf, _ = build("wide-metrics", DOC, env=env)
rc2, out, qerr = tool("qpdf", "--check", pdf)
# (its glyphs are so wide that the masthead title cannot fit even at 1 pt: refused at the
# title's line rather than drawn off the page)
c.ok((rc == 0 and rc2 == 0) or
     (rc == 1 and re.search(re.escape(src) + r":1:\d+: error: the masthead line 标题 is \d+ mm "
                            r"wide at 1 pt, but its box is 156 mm", err)),
     f"a font with huge advances builds a valid PDF or names the line it cannot fit ({err!r})")

# 4. A font file named in roles.conf that is cut short: the role map's line, and what to do.
env = home_with(GOOD[:5000], lambda conf: conf.replace("song     = ", "song     = dropped.ttf, "))
rc, err, src, pdf, _ = build("listed-truncated", DOC, env=env)
c.ok(rc == 1 and re.search(r"fonts/roles\.conf:\d+:1: error: font file dropped\.ttf for role "
                           r"'song': font file is truncated or corrupt: .*; put a good copy "
                           r"there, or take it out of this list", err),
     f"a listed font that is damaged: the role map's line and what to do ({err!r})")

# 5. Characters no font has: a warning at each one's line:col, and a PDF.
rc, err, src, pdf, _ = build("no-font", "标题: 测试\n\n【工作部署】\n文字\U0010FFFD和\U0001F600。\n")
c.ok(rc == 0 and f"{src}:4:3: warning: no font has" in err and f"{src}:4:5: warning: no font has"
     in err, f"characters no font has: warnings at their line:col ({err!r})")

# }=====================
# {===================== images ===========================================


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w, h, raw, depth=8, ctype=0, extra=b""):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


IMG = "标题: 测试\n\n【图片】\n![图](a.png)\n"
for name, data in [
        ("png-1x1", png(1, 1, b"\0\x80")),
        ("png-20000x1", png(20000, 1, b"\0" + bytes(20000))),
        ("png-1x20000", png(1, 20000, b"\0\0" * 20000)),
        ("png-1bit", png(9, 3, b"\0\xff\x80" * 3, depth=1)),
        ("png-16bit-rgba", png(3, 3, (b"\0" + bytes(24)) * 3, depth=16, ctype=6)),
        ("png-palette-trns", png(3, 3, b"\0\0\1\2" * 3, ctype=3,
                                 extra=chunk(b"PLTE", bytes(9)) + chunk(b"tRNS", b"\0\x80"))),
        ("png-grey-trns", png(2, 2, (b"\0" + bytes(2)) * 2, extra=chunk(b"tRNS", b"\0\0")))]:
    rc, err, src, pdf, _ = build(name, IMG, {"a.png": data})
    c.ok(rc == 0 and err == "", f"{name}: an odd but valid image is embedded ({err!r})")
rc, err, src, pdf, _ = build("png-no-plte", IMG, {"a.png": png(3, 3, b"\0\0\1\2" * 3, ctype=3)})
c.ok(rc == 1 and f"{src}:4:1: error: image " in err and "is a damaged PNG (" in err and
     "save it again as a PNG or a baseline JPEG" in err,
     f"a palette PNG without its palette: the line, and what to do ({err!r})")

# }=====================
# {===================== 2 MB =============================================

# 6. Header values of 2 MB: a title, an issue line, an issuer and a date. The build ends in
# time; whatever it says names the header's line. (Whether a 2 MB masthead title should be
# refused is the masthead's business; here: no library error, bounded time.)
BIG = "国家安全生产工作" * 87_500  # 700,000 Han characters, 2.1 MB
rc, err, src, pdf, secs = build("title-2mb", "标题: " + BIG + "\n\n【工作部署】\n正文。\n")
c.ok(rc in (0, 1) and (rc == 0 or re.search(re.escape(src) + r":1:\d+: error: ", err)),
     f"a 2 MB title builds or is refused at its line ({rc}, {secs:.2f} s, {err[:200]!r})")
rc, err, src, pdf, secs = build("fields-2mb", "标题: 测试\n期号: " + BIG + "\n编发: " + BIG +
                                "\n日期: " + BIG + "\n\n【工作部署】\n正文。\n")
c.ok(rc == 1 and re.search(re.escape(src) + r":2:5: error: the masthead line 期号 is \d+ mm wide",
                           err) and "gbt9704.lua" not in err,
     f"2 MB issue, issuer and date lines: refused at the first, in time ({rc}, {secs:.2f} s, "
     f"{err[:200]!r})")

# 7. The 2 MB paragraph on one line, under a section heading: a body paragraph of
# ~1,140 pages (22 lines of 28 characters), every character back from the PDF.
body = "全市开展安全生产大检查，" * 58_334  # 700,008 characters on one line, 2.1 MB
rc, err, src, pdf, secs = build("line-2mb", "标题: 测试\n\n【正文】\n" + body + "\n")
n = len(pages(pdf)) if rc == 0 else 0
c.ok(rc == 0 and err == "" and 1100 <= n <= 1200,
     f"the 2 MB line builds as one paragraph ({rc}, {n} pages, {secs:.2f} s, {err[:200]!r})")
print(f"2 MB single line under 【正文】: {secs:.2f} s of CPU, {n} pages")
if rc == 0:
    t, _ = text(pdf)
    got, want = han(t), han("测试正文" + body)
    c.ok(got == want, f"pdftotext gives every character back, in order ({len(got)} Han of "
         f"{len(want)})")

# 8. The same 2 MB line as text pasted in full-width mode: 75,000 findings. `check`
# counted each one's column from the line's start (49 s); now it ends in seconds, with
# the last finding's column right. fix and build write every number half-width.
unit = "全年完成投资２０２４万元，增长１２．５％，ＧＤＰ增长。"  # 27 characters
pasted = c.write("pasted-2mb.txt", "标题: 测试\n\n【正文】\n" + unit * 25_000 + "\n")
rc, err, _, secs, rss = c.run_bounded("check", pasted, cpu=5)  # findings: stdout
last = 27 * 24_999  # ２０２４ at column 7 of its unit, ＧＤＰ at 22
c.ok(rc == 1 and f"{pasted}:4:{last + 7}: warning[fullwidth-alnum]:" in err and
     f"{pasted}:4:{last + 22}: warning[fullwidth-alnum]:" in err and
     err.count("warning[fullwidth-alnum]") == 75_000 and not LIBRARY.search(err),
     f"check on a 2 MB pasted line: {err.count(chr(10))} findings")
c.within("check on a 2 MB pasted line", secs, rss, mb=MB)
print(f"check on the 2 MB pasted line: {secs:.2f} s of CPU")
rc, out, err, secs, rss = c.run_bounded("fix", pasted, cpu=5)
c.ok(rc == 0 and out.count("全年完成投资2024万元，增长12.5%，GDP增长。") == 25_000,
     f"fix on a 2 MB pasted line ({err[:200]!r})")
c.within("fix on a 2 MB pasted line", secs, rss, mb=MB)
c.done()
