"""End to end: numbers, limits and resource bounds (the reliability issue).

Every input ends in a PDF or in an error that names a file and line; nothing
hangs, crashes or grows without bound. Each case is a defect's reproducer: it
checks the exit code, the message with its file:line, the CPU time and the
peak memory (under 2 GiB) the kernel counted for the run (Checker.run_bounded:
the wall clock only as a backstop against a hang). Layouts and plugins come from a `plugins/` folder
beside the document, as untrusted input does.
"""
import os
import struct

from pdfcheck import Checker, pages, text

c = Checker()
HEAD = "标题: 测试\n\n"
DOC = HEAD + "【工作部署】\n第一段文字。\n"
MB = 2048  # peak RSS bound


def case(name, files, doc=DOC, args=(), rc=1, expect=(), cpu=5, mb=MB):
    """Write files (relative to a folder of its own) and doc.txt, build it, check the outcome."""
    d = c.path(name)
    for rel, body in files.items():
        c.write(os.path.join(name, rel), body, "wb" if isinstance(body, bytes) else "w")
    src = c.write(os.path.join(name, "doc.txt"), doc)
    out = os.path.join(d, "doc.pdf")
    got, _, err, secs, rss = c.run_bounded("build", src, "-o", out, *args, cpu=cpu)
    short = err.strip()[:300]
    c.ok(got == rc, f"{name}: exit {got}, not {rc} ({short!r})")
    for e in expect:
        c.ok(e in err, f"{name}: {e!r} not in {short!r}")
    c.within(name, secs, rss, mb=mb)
    return out, err


def layout(body):
    """A county layout over gbt9704, body as Lua lines, and a document that selects it."""
    return {"plugins/layouts/county.lua": 'return {\n   api = 1,\n   base = "gbt9704",\n' + body +
            "}\n"}


COUNTY = "版式: county\n" + DOC
LAYOUT = "/plugins/layouts/county.lua:"

# 1. NaN sizes looped in emit_line until memory ran out: now an error at the layout's line
for name, body, line, msg in [
        ("nan-body", "   styles = { body = { size = 0/0 } },\n", 4, "styles.body.size = nan"),
        ("nan-heading", "   styles = {\n      heading = { size = 0/0 },\n   },\n", 5,
         "styles.heading.size = nan"),
        ("nan-page-number", "   page_number = { size = 0/0 },\n", 4, "page_number.size = nan")]:
    case(name, layout(body), COUNTY,
         expect=[f"{LAYOUT}{line}: error: {msg}: must be a number from 1 to 200 (pt)"])

# 2. NaN and 1e308 geometry: undefined behaviour (UBSan) and garbage numbers in the PDF
SEC = "plugins/sections/default.lua"


def section(call):
    return {SEC: "return { api = 1, build = function(sec, out)\n   " + call +
            "\n   for _, p in ipairs(sec.paragraphs) do out:block(p) end\nend }\n"}


for name, call, msg in [
        ("rule-nan", "out:rule { thickness = 0/0 }",
         "out:rule: thickness = nan: must be a number from 0 to 20 (pt)"),
        ("rule-huge", "out:rule { thickness = 1e308 }",
         "out:rule: thickness = 1e+308: must be a number from 0 to 20 (pt)"),
        ("space-nan", "out:space(0/0)", "out:space(lines) = nan: must be a number from 0 to 1000"),
        ("widths-huge", 'out:table { rows = { { "a", "b" } }, widths = { 1e308, 0/0 } }',
         "out:table: widths[] = 1e+308: must be a number from 0 to 1500 (mm)"),
        ("head-nan", 'out:table { rows = { { "a" } }, head = 0/0 }',
         "out:table: head = nan: must be a whole number from 0 to 1e+09 (rows)")]:
    case(name, section(call), expect=[f"{SEC}:2: error: {msg}", "doc.txt:3)"])

for name, call, msg in [
        ("m-rule-nan", "m:rule { top = 10, thickness = 0/0 }",
         "m:rule: thickness = nan: must be a number from 0 to 20 (pt)"),
        ("m-text-top", 'm:text { text = "x", top = 0/0 }', "m:text: top = nan: must be a number"),
        ("m-body-from", "m:body_from(0/0)", "bad argument #1 to 'body_from' (outside the text block)")]:
    case(name, layout("   draw_masthead = function(m, h, layout)\n      " + call + "\n   end,\n"),
         COUNTY, expect=[f"{LAYOUT}5: error: {msg}"])

for name, body, line, msg in [
        ("top-huge", "   page = { top = 1e308 },\n", 4,
         "page.top = 1e+308: must be a number from 0 to 1500 (mm)"),
        ("tables-inf", "   tables = {\n      thick = 1/0,\n   },\n", 5,
         "tables.thick = inf: must be a number from 0 to 20 (pt)"),
        ("masthead-nan", "   masthead = { top = 0/0 },\n", 4,
         "masthead.top = nan: must be a number from 0 to 225 (mm)"),
        ("spacing-neg", "   typeset = { cjk_latin_spacing = -1 },\n", 4,
         "typeset.cjk_latin_spacing = -1: must be a number from 0 to 1 (em)")]:
    case(name, layout(body), COUNTY, expect=[f"{LAYOUT}{line}: error: {msg}"])

# 3. page size 0 (libharu error 0x1054), text off the page, grid.lines = 0 (blamed on
# gbt9704.lua), a string ignored: each an error at the file and line that set it
for name, body, line, msg in [
        ("page-0", "   page = { width = 0 },\n", 4,
         "page.width = 0: must be a number from 20 to 1500 (mm)"),
        ("left-200", "   page = { left = 200 },\n", 4,
         "page.left = 200: must be at most 54 mm here, for the text block to fit on the page "
         "(page.text_width = 156, page.width = 210)"),
        ("left-string", '   page = { left = "30mm" },\n', 4,
         "layout field 'page.left' must be a number, not a string"),
        ("number-off", "   page_number = { below = 40 },\n", 4,
         "page_number.below = 40: must be at most 30.0611 mm here")]:
    case(name, layout(body), COUNTY, expect=[f"{LAYOUT}{line}: error: {msg}"])
# a county over a city over gbt9704: the county's value is blamed on the county's file
case("lines-0", {
    "plugins/layouts/city.lua": 'return { api = 1, base = "gbt9704", page_number = { size = 12 } }\n',
    "plugins/layouts/county.lua": 'return {\n   api = 1,\n   base = "city",\n\n'
                                  '   grid = {\n      chars = 28,\n      lines = 0,\n   },\n}\n'},
    COUNTY, expect=[f"{LAYOUT}7: error: grid.lines = 0: must be a whole number from 1 to 200"])
out, err = case("lines-0-ok", {
    "plugins/layouts/city.lua": 'return { api = 1, base = "gbt9704", grid = { lines = 20 } }\n',
    "plugins/layouts/county.lua": 'return { api = 1, base = "city", page = { top = 40 } }\n'},
    COUNTY, rc=0)
c.ok("gbt9704.lua" not in err, f"a good chain builds quietly ({err.strip()[:200]!r})")

# 4. a heading of 33,000 characters blamed the font ("cannot embed the font"): its bookmark
# now holds its first 1000 characters
out, err = case("long-heading", {}, HEAD + "【" + "安" * 33000 + "】\n正文。\n", rc=0)
t, _ = text(out)
c.ok(t.count("安") == 33000 and "正文" in t, f"the long heading is set whole ({t.count('安')})")

# 5. a table row taller than a page ran off it (1,044 of 17,000 characters visible): split
cell = "安全守底行动" * 2833 + "安"
out, err = case("tall-row", {}, HEAD + "【工作部署】\n| 项目 | 说明 |\n|---|---|\n| 甲 | " + cell +
                " |\n| 乙 | 短 |\n\n正文。\n", rc=0)
t, _ = text(out)
n = len(pages(out))
c.ok(t.count("安") == 2834 and t.count("行") == 2833 and "短" in t and "正文" in t,
     f"every character of the tall row is on a page ({t.count('安')} of 2834)")
c.ok(n > 10 and t.count("说明") >= n - 1,
     f"the header row repeats on the row's pages ({t.count('说明')} on {n} pages)")

# 6. a TrueType font with a damaged loca table drew blank pages (exit 0)
KAI = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
font = open(KAI, "rb").read()
tables = {}
for i in range(struct.unpack(">H", font[4:6])[0]):
    tag, _, off, ln = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
    tables[tag] = (off, ln)
off, ln = tables[b"loca"]
for name, damage, why in [("loca-ff", b"\xff" * ln, "points past the glyf table at glyph 0"),
                          ("loca-zero", bytes(ln), "gives no glyph an outline"),
                          ("loca-hole", None, "goes back at glyph")]:
    bad = bytearray(font)
    if damage is None:
        bad[off + ln // 2:off + ln // 2 + 200] = bytes(200)
    else:
        bad[off:off + ln] = damage
    path = c.write(f"{name}.ttf", bytes(bad), "wb")
    case(name, layout(f'   fonts = {{ kai = {{ "{path}" }} }},\n'),
         "版式: county\n" + HEAD + "【编者按】\n编者按文字。\n",
         expect=[f"font file is corrupt: its loca table {why}", path])

# 7. memory per paragraph: a 16 MB line took 2.3 GB, a 60 MB one 8.8 GB
for name, n in [("line-16mb", 16_000_000 // 3), ("line-60mb", 60_000_000 // 3)]:
    case(name, {}, HEAD + "【工作部署】\n" + "安" * n + "\n",
         expect=[f"doc.txt:4:1: error: the line holds {n} characters; a paragraph may hold at "
                 "most 1048576"], cpu=3)
# a 2 MB line builds or fails at its line:col in under 2 s: 2,000,000 characters fail at once
# (0.03 s of CPU); 666,666 Han characters (1,100 pages) build in about 0.5 s of CPU
case("line-2mb", {}, HEAD + "【工作部署】\n" + "x" * 2_000_000 + "\n",
     expect=["doc.txt:4:1: error: the line holds 2000000 characters"], cpu=1)
case("line-2mb-han", {}, HEAD + "【工作部署】\n" + "安全守底行动" * 111_111 + "\n", rc=0, cpu=3)
# lines joined into one paragraph (no closing mark), and a rule's output, are bounded too
case("joined", {}, HEAD + "【工作部署】\n" + ("安全守底行动" * 100_000 + "\n") * 3,
     expect=["doc.txt:4:1: error: the paragraph holds 1800000 characters, after its text rules "
             "and joins; a paragraph may hold at most 1048576"])
case("rule-growth", {"plugins/rules/spacing.lua": 'return { api = 1, name = "spacing", rules = {\n'
                     '   { id = "x-to-many", pattern = [[x]], replace = string.rep("安", 1000), '
                     'message = "grows" },\n} }\n'},
     HEAD + "【工作部署】\n" + "x" * 100_000 + "\n",
     expect=["/plugins/rules/spacing.lua:2: error: rule x-to-many made the text too long (a replacement may add at most 4 MiB, or as much as the text holds) on the text at ",
             "doc.txt:4"], mb=600)

# 8. a pattern just under the match limit at every match took 32 s on 380 KB (exit 0)
case("match-budget", {"plugins/rules/spacing.lua": 'return { api = 1, name = "spacing", rules = {\n'
                      '   { id = "slow", pattern = [[(?:a+)+c|!]], replace = "！", '
                      'message = "slow" },\n} }\n'},
     HEAD + "【工作部署】\n" + ("a" * 18 + "!") * 20_000 + "\n",
     expect=["/plugins/rules/spacing.lua:2: error: rule slow hit its match limit", "doc.txt:4"],
     cpu=3)

# 9. the bounds themselves: a run past its CPU limit is stopped there by the kernel and
# fails its check; a run blocked on a read (no CPU spent) is stopped by the wall-clock
# backstop and fails too. A batch of 12 documents whose section plugin counts to 30 million
# (inside the plugin budgets) takes several seconds of CPU; the limit here is half a second.
over = section("local n = 0 for i = 1, 30000000 do n = n + 1 end")
c.write("over/" + SEC, over[SEC])
srcs = [c.write(f"over/doc{i}.txt", DOC) for i in range(12)]
got, _, err, secs, rss = c.run_bounded("build", *srcs, "-j", "1", "-o", c.path("over") + "/",
                                       cpu=0.5)
c.ok(got is None and not c.hung and secs >= c.limit,
     f"a run past its CPU limit is stopped at it (exit {got}, {secs:.2f} s of CPU, limit "
     f"{c.limit:g}, {err.strip()[:200]!r})")
c.ok(not c.bounds(secs, rss)[0], "the bounds' check fails a run past its CPU limit")
r, w = os.pipe()  # a reader that never gets an end of file: the build waits, spending no CPU
got, _, err, secs, rss = c.run_bounded("build", "-", "-o", c.path("over/stdin.pdf"), stdin=r,
                                       hang=2)
os.close(r)
os.close(w)
c.ok(got is None and c.hung and secs < 1, f"a blocked run is stopped by the backstop (exit "
     f"{got}, {secs:.2f} s of CPU)")
c.ok(not c.bounds(secs, rss)[0], "the bounds' check fails a run the backstop stopped")

c.done()
