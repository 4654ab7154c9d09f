"""End to end: bad input and faults (issue 8). Each is handled without a crash,
hang or unbounded memory; errors give a position and a non-zero exit; an
existing output file survives every failed build byte for byte."""
import os

from pdfcheck import Checker, han, text

c = Checker()
HEAD = "标题: 测试\n\n"
GOOD = b"%PDF-1.4 the previous good output\n"


def build_keeps(name, src_bytes, expect_rc, expect_err, *extra):
    """Build src into an existing output file; check the exit, message and that the file survives."""
    src = c.write(name, src_bytes, "wb")
    out = c.path(name + ".pdf")
    with open(out, "wb") as f:
        f.write(GOOD)
    rc, _, err = c.run("build", src, "-o", out, *extra)
    c.ok(rc == expect_rc and expect_err in err, f"{name}: exit {rc}, {err.strip()[:200]!r}")
    if rc != 0:
        with open(out, "rb") as f:
            c.eq(f.read(), GOOD, f"{name}: the previous output survives")
    return src, out, err


u = lambda s: s.encode()
build_keeps("utf8.txt", u(HEAD + "【工作部署】\n第一") + b"\xc3\x28" + u("段。\n"), 1,
            "utf8.txt:4:3: error: invalid UTF-8 (byte 0xC3 at offset")
build_keeps("nul.txt", u(HEAD + "【工作部署】\n文") + b"\0" + u("字。\n"), 1, ":4:2: error: NUL byte")
build_keeps("truncated.txt", u(HEAD + "【工作部署】\n文字") + "。".encode()[:2], 1, "invalid UTF-8")
# handled as documented: BOMs (start and middle), CRLF / lone CR, bidi and zero-width marks
src, out, err = build_keeps(
    "marks.txt", b"\xef\xbb\xbf" + u(HEAD + "【工作部署】\r\n第一\ufeff段\u200b文字\u202e。\r第二段。\n"),
    0, "")
t, _ = text(out)
c.ok("第一段文字。" in t and "第二段。" in t, f"BOM, CR/CRLF, zero-width and bidi marks ({t!r})")
# empty and nested 【】, unbalanced and deeply nested **
build_keeps("empty.txt", u(HEAD + "【】\n文字\n"), 1, ":3:1: error: empty section heading")
build_keeps("nested.txt", u(HEAD + "【工作【部署】】\n文字\n"), 1, "nested 【")
src, out, err = build_keeps("stars.txt", u(HEAD + "【工作部署】\n" + "**" * 19999 + "文字。\n"), 0,
                            "unbalanced **")
src, out, err = build_keeps("stars2.txt", u(HEAD + "【工作部署】\n" + "**文**" * 5000 + "\n"), 0, "")

# big inputs stay bounded in time and memory: the run's CPU time and peak RSS as the kernel
# counts them (Checker.run_bounded; a loaded machine stretches only the wall clock)
def timed(name, body, limit_s, limit_mb):
    src = c.write(name, body)
    rc, _, err, secs, rss = c.run_bounded("build", src, "-o", c.path(name + ".pdf"), cpu=limit_s)
    c.ok(rc == 0, f"{name}: builds ({err.strip()[:120]!r})")
    c.within(name, secs, rss, mb=limit_mb)
    return src


timed("big-paragraph.txt", HEAD + "【工作部署】\n" + "安全守底行动" * 100_000 + "\n", 5, 400)
timed("many-sections.txt", HEAD + "".join(f"【节{i}】\n第{i}段文字。\n" for i in range(5000)), 5, 400)
with open(c.path("huge.txt"), "wb") as f:
    f.truncate(65 * 1024 * 1024)
rc, _, err = c.run("build", c.path("huge.txt"), "-o", c.path("huge.pdf"))
c.ok(rc == 1 and "input is larger than 64 MiB" in err, f"input over the size limit ({err.strip()[:120]!r})")

# faults: fonts, output paths, a plugin failing in the middle of a document
c.write("trunc.ttf", open("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", "rb").read()[:4000],
        "wb")
c.write("fonts/layouts/missing.lua",
        'return { api = 1, base = "gbt9704", fonts = { kai = { "/nonexistent/kai.ttf" } } }\n')
c.write("fonts/layouts/trunc.lua",
        f'return {{ api = 1, base = "gbt9704", fonts = {{ kai = {{ "{c.path("trunc.ttf")}" }} }} }}\n')
doc = HEAD + "【编者按】\n文字。\n"
build_keeps("font-missing.txt", u(doc), 1, "font file /nonexistent/kai.ttf for role 'kai'",
            "--layout", "missing", "--plugin-path", c.path("fonts"))
build_keeps("font-trunc.txt", u(doc), 1, "truncated or corrupt", "--layout", "trunc",
            "--plugin-path", c.path("fonts"))
src = c.write("ok.txt", doc)
rc, _, err = c.run("build", src, "-o", "/proc/forbidden/x.pdf")
c.ok(rc == 1 and "cannot write" in err, f"unwritable output folder ({err.strip()!r})")
os.makedirs(c.path("ro"), exist_ok=True)
with open(c.path("ro/out.pdf"), "wb") as f:
    f.write(GOOD)
os.chmod(c.path("ro"), 0o555)
rc, _, err = c.run("build", src, "-o", c.path("ro/out.pdf"))
if os.geteuid() != 0:  # root writes anywhere; the check is meaningful for users
    c.ok(rc == 1 and "cannot write" in err, "read-only output folder")
with open(c.path("ro/out.pdf"), "rb") as f:
    data = f.read()
c.ok(data == GOOD or data.startswith(b"%PDF-1."), "output in a read-only folder is intact or new")
os.chmod(c.path("ro"), 0o755)
rc, _, err = c.run("build", src, "-o", c.work)
c.ok(rc == 1 and "names a folder" in err, "-o naming a folder")
c.write("mid/sections/county.lua", 'return { api = 1, match = [[^县市区动态$]], build = function(sec, out)\n'
        '   error("county data missing")\nend }\n')
build_keeps("mid.txt", open("examples/yongzhou-2024-01.txt", "rb").read(), 1,
            "county.lua:2: error: county data missing while laying out section 【县市区动态】 "
            "(", "--plugin-path", c.path("mid"))
c.done()
