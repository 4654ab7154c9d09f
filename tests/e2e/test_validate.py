"""End to end: mistakes caught where they are made (issue 24, part 2). Every
mistake the issue measured gets an error (or, for a short table row, a
warning) at the user's file and line: layout values of the wrong type, unit,
range or word, a bad colour in a county layout blamed on the county's file,
a misspelt section-plugin field (`mtach`) or rule field, misspelt out:* and
m:* fields (`stlye`, `colour`, `captoin`) naming the nearest known one, a
misspelt header key (`期数` for 期号) read as the key it is nearest to, with a
warning. The
correct spellings still build, and page_number.position = "centre" centres."""
import re

from pdfcheck import MM, Checker, lines, text

c = Checker()
SEED = "examples/yongzhou-2024-01.txt"


def layout(name, body, base="gbt9704"):
    """Write layouts/NAME.lua (base, then body's lines) in a plugin folder of its own."""
    folder = c.path("lay-" + name.replace("/", "-"))
    path = c.write(f"{folder}/layouts/{name}.lua",
                   f'return {{\n   api = 1,\n   base = "{base}",\n{body}}}\n')
    return folder, path


def build(*args, src=SEED, out="out.pdf"):
    pdf = c.path(out)
    rc, _, err = c.run("build", src, "-o", pdf, *args)
    return rc, err, pdf


def expect_layout_error(name, body, want, line=4):
    folder, path = layout(name, body)
    rc, err, _ = build("--layout", name, "--plugin-path", folder)
    c.ok(rc == 1 and f"{path}:{line}: error: {want}" in err,
         f"layout {name}: {want!r} at line {line} ({err.strip()[:400]!r})")
    return err


# {===== layout values: type, unit, range, words =====
expect_layout_error("unit", '   page = { left = "30mm" },\n',
                    "layout field 'page.left' must be a number, not a string: lengths are numbers "
                    "in mm (write left = 30)")
expect_layout_error("unitpt", '   styles = { body = { size = "16pt" } },\n',
                    "layout field 'styles.body.size' must be a number, not a string: font sizes "
                    "are numbers in pt (write size = 16)")
expect_layout_error("offpage", "   page = { left = 200 },\n",
                    "page.left = 200: must be at most 54 mm here, for the text block to fit on the page")
expect_layout_error("nolines", "   grid = { lines = 0 },\n",
                    "grid.lines = 0: must be a whole number from 1 to 200")
expect_layout_error("nochars", "   grid = { chars = 0 },\n",
                    "grid.chars = 0: must be a whole number from 1 to 200")
expect_layout_error("dense", "   grid = { lines = 60 },\n",
                    "grid.lines = 60: must be at most 39 here, for lines of 16 pt to fit a text "
                    "block 225 mm high")
expect_layout_error("narrow", "   grid = { chars = 56 },\n",
                    "grid.chars = 56: must be at most 30 here, for characters of 16 pt")
expect_layout_error("bigsize", "   grid = { size = 30 },\n",
                    "grid.size = 30: must be at most 28.99 pt here, for 22 lines")
expect_layout_error("zerosize", "   styles = { body = { size = 0 } },\n",
                    "styles.body.size = 0: must be a number from 1 to 200 (pt)")
expect_layout_error("position", '   page_number = { position = "centr" },\n',
                    'page_number.position = "centr": must be outer, center (or centre) or none '
                    "(did you mean 'center'?)")
expect_layout_error("kinsoku", '   typeset = { kinsoku = "gbb" },\n',
                    "typeset.kinsoku = \"gbb\": must be basic, gb or strict (did you mean 'gb'?)")
expect_layout_error("punct", '   typeset = { punctuation = "banjao" },\n',
                    'typeset.punctuation = "banjao": must be quanjiao, banjiao or kaiming '
                    "(did you mean 'banjiao'?)")
expect_layout_error("tables", '   tables = { style = "grd" },\n',
                    "tables.style = \"grd\": must be three-line or grid (did you mean 'grid'?)")
expect_layout_error("rulestyle", '   masthead = { rule = { style = "doble" } },\n',
                    'masthead.rule.style = "doble": must be single, double or star '
                    "(did you mean 'double'?)")
expect_layout_error("align", '   styles = { body = { align = "centered" } },\n',
                    'styles.body.align = "centered": must be justify, left, center (or centre) '
                    "or right (did you mean 'center'?)")
expect_layout_error("stylefield", '   styles = { body = { colour = "#E60000" } },\n',
                    "layout sets 'styles.body.colour', which its base layout does not have "
                    "(did you mean 'color'?)")
# a style the layout adds: its fields are checked too
expect_layout_error("newstyle", '   styles = { mine = { rol = "hei" } },\n',
                    "styles.mine has an unknown field 'rol' (did you mean 'role'?)")
expect_layout_error("gap", '   masthead = { top = "20mm" },\n',
                    'masthead.top = "20mm": must be a number from 0 to 225 (mm); write the number '
                    "alone, without quotes or a unit")
expect_layout_error("misspelt", "   page = { lefft = 30 },\n",
                    "layout sets 'page.lefft', which its base layout does not have "
                    "(did you mean 'left'?)")

# a layout without a base (its fields are not laid over a base's): misspelt fields of the maps
# the engine reads are errors too
with open("plugins/layouts/gbt9704.lua", encoding="utf-8") as f:
    base = f.read()
root = c.write("lay-root/layouts/root.lua", base.replace("left = 28,", "lefft = 28,", 1))
line = base[:base.index("left = 28,")].count("\n") + 1
rc, err, _ = build("--layout", "root", "--plugin-path", c.path("lay-root"))
c.ok(rc == 1 and f"{root}:{line}: error: layout field 'page' has an unknown field 'lefft' "
     "(did you mean 'left'?)" in err, f"a base layout's misspelt field ({err.strip()[:300]!r})")

# a bad colour in a county layout is the county's, not gbt9704.lua's (where draw_masthead uses it)
for field, body in (("styles.masthead_title.color",
                     '   styles = { masthead_title = { color = "red" } },\n'),
                    ("masthead.rule.color", '   masthead = { rule = { color = "#E6000" } },\n')):
    folder, path = layout("county", body, base="yongzhou")
    rc, err, _ = build("--layout", "county", "--plugin-path", folder)
    c.ok(rc == 1 and f"{path}:4: error: {field} = " in err and "must be a colour written" in err
         and "gbt9704.lua" not in err, f"{field} blamed on the county's line ({err.strip()[:300]!r})")

# the right words build: "centre" centres the page numbers (as "center" does)
for word in ("centre", "center"):
    folder, _ = layout("num-" + word, f'   page_number = {{ position = "{word}" }},\n')
    rc, err, pdf = build("--layout", "num-" + word, "--plugin-path", folder, out=word + ".pdf")
    nums = [l for p, page in enumerate(lines(pdf), 1) for l in page
            if re.fullmatch(rf"—\s*{p}\s*—", l[4])] if rc == 0 else []
    c.ok(rc == 0 and err == "" and nums and
         all(abs((l[0] + l[2]) / 2 - 106 * MM) < 1.0 for l in nums),
         f'position = "{word}": {len(nums)} page numbers centred on the text block ({err.strip()[:200]!r})')
# }=====

# {===== section plugins and rule sets =====
PLUG = c.path("plug")


def section(body, name="a_test", match=True):
    """A section plugin claiming 【编者按】 whose build runs body (a Lua line)."""
    m = "   match = [[^编者按$]],\n" if match else ""
    return c.write(f"{PLUG}/sections/{name}.lua",
                   f"return {{\n   api = 1,\n{m}   build = function(sec, out)\n      {body}\n   end,\n}}\n")


path = c.write(f"{PLUG}/sections/a_test.lua",
               "return {\n   api = 1,\n   mtach = [[^编者按$]],\n   build = function(sec, out)\n   end,\n}\n")
rc, err, _ = build("--plugin-path", PLUG)
c.ok(rc == 1 and f"{path}:3: error: section plugin has an unknown field 'mtach' (did you mean 'match'?)"
     in err, f"mtach: an error at the plugin's line ({err.strip()[:300]!r})")
rc, out, err = c.run("plugins", "--plugin-path", PLUG)
c.ok(rc == 1 and out.count("(default)") <= 1 and "did you mean 'match'?" in err,
     f"gongwen plugins: the misspelt plugin fails, no second default ({out.count('(default)')}, {err.strip()[:200]!r})")

calls = {
    'out:paragraph(sec.heading, { stlye = "note" })':
        "out:paragraph: unknown field 'stlye' (did you mean 'style'?)",
    'out:heading(sec.heading, { scr = sec })':
        "out:heading: unknown field 'scr' (did you mean 'src'?)",
    'out:paragraph({ { text = "甲", colour = "#E60000" } })':
        "paragraph content #1: unknown field 'colour' (a piece's color comes from its style",
    'out:paragraph({ { text = "甲", bld = true } })':
        "paragraph content #1: unknown field 'bld' (did you mean 'bold'?)",
    'out:paragraph("甲", { "note" })':
        "out:paragraph: a value without a name",
    'out:paragraph("甲", { align = "middle" })':
        'out:paragraph: align = "middle": must be justify, left, center (or centre) or right',
    'out:table{ captoin = "表1", rows = { { "甲", "乙" } } }':
        "out:table: unknown field 'captoin' (did you mean 'caption'?)",
    'out:table{ rows = { { "甲", "乙", lien = 3 } } }':
        "out:table: row 1: unknown field 'lien' (did you mean 'line'?)",
    'out:table{ rows = { { "甲", "乙" } }, align = "lx" }':
        'out:table: align = "lx": must be one of l, c, r or d for each of the 2 columns',
    'out:image{ pth = "a.png" }': "out:image: unknown field 'pth' (did you mean 'path'?)",
    'out:rule{ colour = "#E60000" }': "out:rule: unknown field 'colour' (did you mean 'color'?)",
    'out:block{ kind = "tabel", rows = {} }':
        "out:block: kind = \"tabel\": must be paragraph, table or image (did you mean 'table'?)",
}
for call, want in calls.items():
    path = section(call)
    rc, err, _ = build("--plugin-path", PLUG)
    # (Lua shortens a long chunk name to its tail, so the path's tail is asserted)
    c.ok(rc == 1 and f"/plug/sections/a_test.lua:5: error: {want}" in err and "(examples/yongzhou-2024-01.txt:" in err,
         f"{call}: {want!r} at the plugin line ({err.strip()[:300]!r})")

# the right spellings build, and so does centre as a paragraph's align
path = section('out:paragraph({ { text = "甲", bold = true }, "乙" }, { style = "note", src = sec, '
               'align = "centre" }) out:rule{ color = "#E60000", thickness = 1 }')
rc, err, _ = build("--strict", "--plugin-path", PLUG)
c.ok(rc == 0 and err == "", f"correctly spelt fields build ({err.strip()[:300]!r})")

# rows of unequal length: padded with empty cells, a warning at the row; no cell is lost
section('out:table{ rows = { { "指标", "本期", "上期" }, { "甲一", "12" }, { "乙二", "34", "56" } } }')
rc, err, pdf = build("--plugin-path", PLUG, out="ragged.pdf")
t, _ = text(pdf) if rc == 0 else ("", "")
c.ok(rc == 0 and "warning: table row 2 has 2 cells where the table has 3 columns; the missing "
     "cells are left empty" in err, f"a short row is a warning ({err.strip()[:300]!r})")
c.ok(all(w in t for w in ("指标", "本期", "上期", "甲一", "12", "乙二", "34", "56")),
     "every cell of the ragged table is in the PDF")
rc, err, _ = build("--strict", "--plugin-path", PLUG, out="ragged-strict.pdf")
c.ok(rc == 1 and "table row 2 has 2 cells" in err, "--strict makes the short row an error")
# a document's own short table row: the warning names the row's line in the document
doc = c.write("ragged-doc/doc.txt", "标题: 测试\n\n【工作部署】\n| 指标 | 本期 | 上期 |\n|---|---:|---:|\n"
              "| 甲一 | 12 |\n")
rc, err, _ = build(src=doc, out="ragged-doc.pdf")
c.ok(rc == 0 and f"{doc}:6:" in err and "table row 2 has 2 cells" in err,
     f"a document's short row is warned at its line ({err.strip()[:300]!r})")
# }=====

# {===== masthead calls =====
folder, path = layout("mtext", "   draw_masthead = function(m, h)\n"
                      '      m:text { txt = "甲" }\n   end,\n')
rc, err, _ = build("--layout", "mtext", "--plugin-path", folder)
c.ok(rc == 1 and "/lay-mtext/layouts/mtext.lua:5: error: m:text: unknown field 'txt' (did you mean 'text'?)" in err,
     f"m:text: a misspelt field ({err.strip()[:300]!r})")
folder, path = layout("mrule", "   draw_masthead = function(m, h)\n"
                      '      m:rule { top = 20, thicknes = 1 }\n   end,\n')
rc, err, _ = build("--layout", "mrule", "--plugin-path", folder)
c.ok(rc == 1 and "/lay-mrule/layouts/mrule.lua:5: error: m:rule: unknown field 'thicknes' (did you mean 'thickness'?)" in err,
     f"m:rule: a misspelt field ({err.strip()[:300]!r})")
# }=====

# {===== rule sets =====
RULES = c.path("rules-plug")
path = c.write(f"{RULES}/rules/mine.lua", 'return {\n   api = 1,\n   rules = {\n'
               '      { id = "x", pattern = [[甲]], replce = "乙" },\n   },\n}\n')
c.write(f"{RULES}/layouts/mine.lua", 'return { api = 1, base = "gbt9704", rules = { "mine" } }\n')
rc, err, _ = build("--layout", "mine", "--plugin-path", RULES)
c.ok(rc == 1 and f"{path}:4: error: rule #1 has an unknown field 'replce' (did you mean 'replace'?)"
     in err, f"a rule's misspelt field ({err.strip()[:300]!r})")
path = c.write(f"{RULES}/rules/mine.lua", 'return {\n   api = 1,\n   rule = {},\n}\n')
rc, err, _ = build("--layout", "mine", "--plugin-path", RULES)
c.ok(rc == 1 and f"{path}:3: error: rule set has an unknown field 'rule' (did you mean 'rules'?)"
     in err, f"a rule set's misspelt field ({err.strip()[:300]!r})")
# }=====

# {===== a misspelt header key =====
# 期数 for 期号: read as 期号 with a warning naming it, never guessed as a masthead line and the
# real 编发 line then blamed for a field "given twice"
for name, head in (("keyed", "标题: 某某工作专报\n"), ("bare", "某某工作专报\n")):
    src = c.write(f"typo-{name}.txt", head + "期数: 2024年第3期\n编发: 市工作专班\n"
                  "日期: 2024年4月10日\n\n【工作部署】\n正文一段。\n")
    rc, err, pdf = build(src=src, out=f"typo-{name}.pdf")
    c.ok(rc == 0 and f"{src}:2:1: warning: 期数 is not a header key; read as 期号 "
         "(did you mean 期号?)" in err and "twice" not in err,
         f"header key 期数 ({name}): a warning with the suggestion ({err.strip()[:300]!r})")
    c.ok(rc == 0 and "2024年第3期" in text(pdf)[0] and "期数" not in text(pdf)[0],
         f"header key 期数 ({name}): its value is the issue")
    rc, out, err = c.run("fix", src)
    c.ok(rc == 0 and "期数: 2024年第3期" in out, "fix writes the misspelt key back as it was")
    rc, err, _ = build("--strict", src=src, out=f"typo-{name}-strict.pdf")
    c.ok(rc == 1 and f"{src}:2:1: error: 期数 is not a header key" in err,
         "--strict: the misspelt key is an error")
# a guessed field and a key line for the same field: both lines named
src = c.write("twice.txt", "某某工作专报\n2024年第3期\n市工作专班\n2024年4月10日\n编发: 市工作专班\n"
              "\n【工作部署】\n正文一段。\n")
rc, err, _ = build(src=src, out="twice.pdf")
c.ok(rc == 1 and f"{src}:5:5: error: header field 编发 given twice (line 3 and here)" in err,
     f"a field given twice names both lines ({err.strip()[:300]!r})")
# not every colon is a key: a sentence, a word far from every key
src = c.write("colon.txt", "标题: 某某工作专报\n时间: 2024年\n\n【工作部署】\n正文一段。\n")
rc, err, _ = build(src=src, out="colon.pdf")
c.ok(rc == 0 and "not a header key" not in err, f"时间: is no misspelt key ({err.strip()[:300]!r})")
# }=====
c.done()
