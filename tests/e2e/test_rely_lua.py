"""End to end: the Lua and sandbox defects of the reliability issue. A plugins/
folder beside a document loads by itself, so each case is a hostile folder
beside a small document: the build ends in an error naming the plugin's file
and line (or in a PDF), in bounded time and memory, never in a hang, a crash
or a read of a file outside the document's folder. Each case is run as a
hostile input would be (Checker.run_bounded) and checks the exit code, the
message with its file:line, the CPU time and the peak RSS."""
import os
import re
import shutil

from pdfcheck import Checker, text

c = Checker()
DOC = "标题: 测试\n\n【工作部署】\n第一段。\n"
MATCH = "match = [[^工作部署$]]"
seen = []  # every stderr, for the docs check at the end


def case(name, files, doc=DOC):
    """A folder with doc.txt and files {relative path: text}; returns its path."""
    root = c.path(name)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    c.write(f"{name}/doc.txt", doc)
    for rel, body in files.items():
        c.write(f"{name}/{rel}", body)
    return root


def run(name, *args, limit=10, rc=1, expect=(), absent=()):
    """Run gongwen in the case folder; check exit code, messages, CPU time and peak RSS."""
    args = args or ("build", "doc.txt", "-o", "out.pdf")
    got, out, err, secs, rss = c.run_bounded(*args, cpu=limit, cwd=c.path(name))
    seen.append(err)
    what = f"{name}: exit {got}, {err.strip()[:300]!r}"
    c.ok(got == rc, what)
    for e in expect:
        c.ok(e in err, f"{name}: says {e!r} ({err.strip()[:300]!r})")
    for e in absent:
        c.ok(e not in err, f"{name}: does not say {e!r}")
    # the budgets are counted (instructions) or the engine's own clock: the bound is on the
    # run's CPU time (times SLOW in the sanitizer builds), which other processes on a busy
    # machine do not add to; a hang that spends no CPU is stopped by run_bounded's wall-clock
    # backstop, and fails here too
    c.within(name, secs, rss)
    if rc != 0:
        c.ok(not os.path.exists(os.path.join(c.path(name), "out.pdf")), f"{name}: no PDF")
    return err


def section(body, head=""):
    """A section plugin for 【工作部署】 whose build runs body (line 2 on)."""
    return {"plugins/sections/a_x.lua":
            f"{head}return {{ api = 1, {MATCH}, build = function(sec, out)\n{body}\nend }}\n"}


# 1. finalizers: refused at the plugin's line (a looping one hung the build; one
# calling out:* after its section segfaulted); a kept out or m object is dead
case("gc-loop", section("   local t = setmetatable({}, { __gc = function() while true do end end })"))
run("gc-loop", expect=["plugins/sections/a_x.lua:2: error: __gc metamethods are not available "
                       "to plugins (a finalizer would run outside the plugin's calls) while laying "
                       "out section 【工作部署】 (doc.txt:3)"])
case("gc-late", section("   saved = out\n"
                        "   setmetatable({}, { __gc = function() saved:paragraph('late') end })",
                        head="local saved\n"))
run("gc-late", expect=["plugins/sections/a_x.lua:4: error: __gc metamethods are not available"])
case("gc-later", section("   local mt = { __gc = false }\n   setmetatable({}, mt)\n"
                         "   mt.__gc = function() while true do end end"))
run("gc-later", expect=["plugins/sections/a_x.lua:3: error: __gc metamethods"])
case("out-dead", section("   if saved then saved:paragraph('late') end\n   saved = out",
                         head="local saved\n"),
     doc=DOC + "\n【工作部署】\n第二段。\n")
run("out-dead", expect=["plugins/sections/a_x.lua:3: error: this out object is used after the "
                        "call it was given to has returned while laying out section 【工作部署】 "
                        "(doc.txt:6)"])
case("m-dead", {"plugins/layouts/m.lua": """local saved
return { api = 1, base = "gbt9704",
   draw_masthead = function(m, h, layout) saved = m end,
   draw_colophon = function(out, h, layout)
      saved:rule { top = 1 }
   end,
}
"""}, doc="标题: 测试\n版式: m\n\n【工作部署】\n第一段。\n")
run("m-dead", expect=["plugins/layouts/m.lua:5: error: this m object is used after the call it was "
                      "given to has returned while running the layout's draw_colophon (doc.txt:1)"])
# __close and __mode stay usable
case("close-ok", section("   do local x <close> = setmetatable({}, { __close = function() end }) end\n"
                         "   local weak = setmetatable({}, { __mode = 'k' })\n"
                         "   out:paragraph('第一段。')"))
run("close-ok", rc=0)

# 2. metamethods on the tables plugins give: the engine reads them raw (an erroring
# __index aborted with empty stderr, in build, plugins and check; a looping one hung)
for name, mm in [("index-error", "function(t, k) error('boom ' .. k) end"),
                 ("index-loop", "function(t, k) while true do end end")]:
    case(name, {"plugins/sections/a_x.lua": f"return setmetatable({{}}, {{ __index = {mm} }})\n"})
    for cmd, code in (("build", 1), ("plugins", 1), ("check", 2)):
        args = ("build", "doc.txt", "-o", "out.pdf") if cmd == "build" else (cmd, "doc.txt")
        err = run(name, *args, rc=code,
                  expect=["plugins/sections/a_x.lua:1: error: section plugin has no build function"])
        c.ok("boom" not in err, f"{name} {cmd}: no metamethod ran")
# a layout table, an opts table and a piece with an __index: read raw, no harm
case("index-raw", {
    "plugins/layouts/m.lua": """return setmetatable({ api = 1, base = "gbt9704" },
   { __index = function(t, k) error("layout boom " .. k) end })
""",
    "plugins/sections/a_x.lua": f"""local boom = {{ __index = function(t, k) error("boom " .. k) end }}
return {{ api = 1, {MATCH}, build = function(sec, out)
   out:paragraph({{ setmetatable({{ text = "第一段。" }}, boom) }}, setmetatable({{}}, boom))
   out:table(setmetatable({{ rows = {{ {{ "甲", "乙" }} }} }}, boom))
end }}
"""}, doc="标题: 测试\n版式: m\n\n【工作部署】\n第一段。\n")
run("index-raw", rc=0, absent=["boom"])

# a section plugin's fields are checked for type (match = 5 made a default section type)
case("section-types", {"plugins/sections/a_x.lua": "return {\n   api = 1,\n   match = 5,\n"
                       "   rules = { 'spacing', 3 },\n   build = 'x',\n}\n"})
run("section-types", expect=[
    "plugins/sections/a_x.lua:3: error: section plugin field 'match' must be a string, not a number",
    "plugins/sections/a_x.lua:4: error: section plugin field 'rules' must be a list of rule set names",
    "plugins/sections/a_x.lua:5: error: section plugin field 'build' must be a function, not a string"],
    absent=["has no build function"])

# 3. a layout's shape: errors at the layout file:line naming the field and its type
for name, body, msg in [
    ("lay-nobase", "return { api = 1 }\n",
     "plugins/layouts/bad.lua:1: error: layout has no 'base' (a string: the layout it extends, "
     "such as \"gbt9704\") and no 'styles' (a table) of its own"),
    ("lay-base5", "return {\n   api = 1,\n   base = 5,\n}\n",
     "plugins/layouts/bad.lua:3: error: layout field 'base' must be a string, not a number"),
    ("lay-page5", "return {\n   api = 1,\n   base = \"gbt9704\",\n   page = 5,\n}\n",
     "plugins/layouts/bad.lua:4: error: layout field 'page' must be a table, not a number"),
    ("lay-width", "return { api = 1, base = \"gbt9704\",\n   page = { width = \"wide\" } }\n",
     "plugins/layouts/bad.lua:2: error: layout field 'page.width' must be a number, not a string"),
    ("lay-style", "return { api = 1, base = \"gbt9704\",\n   styles = { body = 3 } }\n",
     "plugins/layouts/bad.lua:2: error: layout field 'styles.body' must be a table, not a number"),
    ("lay-rules", "return { api = 1, base = \"gbt9704\",\n   rules = { \"spacing\", 7 } }\n",
     "plugins/layouts/bad.lua:2: error: layout field 'rules' must be a list of strings, not a table"),
    ("lay-cycle", "local t = {}\nt.t = t\nreturn { api = 1, base = \"gbt9704\",\n   masthead = { x = t } }\n",
     "plugins/layouts/bad.lua:4: error: layout field 'masthead' nests tables more than 16 deep"),
    ("lay-from", "return { api = 1, base = \"gbt9704\",\n   _from = 5 }\n",
     "plugins/layouts/bad.lua:2: error: layout field '_from' is reserved for the engine"),
]:
    case(name, {"plugins/layouts/bad.lua": body}, doc="标题: 测试\n版式: bad\n\n【工作部署】\n第一段。\n")
    run(name, expect=[msg])
    run(name, "layout", "bad", "--plugin-path", "plugins", expect=[msg])

# 4. CPU: a budget per plugin per document, besides the call's; pcall cannot catch
# it, nor make a loop of stack overflows free
SLOW = """return { api = 1, rules = { { id = "slow", pattern = [[字]], replace = function(m)
   local x = 0
   for i = 1, 9000000 do x = x + i end
   return m[0]
end } } }
"""
case("cpu-check", {"plugins/rules/slow.lua": SLOW,
                   "plugins/layouts/s.lua": 'return { api = 1, base = "gbt9704", rules = { "slow" } }\n'},
     doc="标题: 测试\n版式: s\n\n【工作部署】\n" + "字" * 30 + "\n")
run("cpu-check", "check", "doc.txt", rc=2, limit=8,
    expect=["plugins/rules/slow.lua:3: error: plugin exceeded its CPU budget for the document"],
    absent=["the rule was skipped"])
# in a build the rule's function runs inside the section's call, whose budget it shares
run("cpu-check", limit=8,
    expect=["plugins/rules/slow.lua:3: error: plugin exceeded its CPU budget while laying out "
            "section 【工作部署】 (doc.txt:5)"])
case("cpu-overflow", section("   while true do pcall(f) end",
                             head="local function f() return f() + 1 end\n"))
run("cpu-overflow", limit=8,
    expect=["plugins/sections/a_x.lua:3: error: plugin exceeded its CPU budget while laying out "
            "section 【工作部署】 (doc.txt:3)"])
case("cpu-cstack", section("   while true do g() end", head="local function g() pcall(g) end\n"))
run("cpu-cstack", limit=8, expect=["plugins/sections/a_x.lua:1: error: plugin exceeded its CPU budget"])
case("cpu-xpcall", section("   while true do xpcall(function() while true do end end, function(e) return e end) end"))
run("cpu-xpcall", limit=8, expect=["plugins/sections/a_x.lua:2: error: plugin exceeded its CPU budget"])
# work in C that instructions do not show (long comparisons, sorts): the time backstop
# (30 s a call) ends it
case("cpu-compare", section("   local a, b = ('x'):rep(16000000), ('x'):rep(15999999) .. 'x'\n"
                            "   while true do local _ = a == b end"))
run("cpu-compare", limit=40,
    expect=["plugins/sections/a_x.lua:3: error: plugin exceeded its CPU budget"])
case("cpu-sort", section("   local t = {}\n   for i = 1, 2000000 do t[i] = (i * 7919) % 1000003 end\n"
                         "   while true do table.sort(t) end"))
run("cpu-sort", limit=40,
    expect=["plugins/sections/a_x.lua:4: error: plugin exceeded its CPU budget"])
# ten plugins, each spending 90 million instructions as it loads: the shared budget
spin = "local x = 0\nfor i = 1, 22000000 do x = x + i end\n"
case("cpu-shared", {f"plugins/sections/s{i}.lua":
                    spin + f"return {{ api = 1, match = [[^无{i}$]], build = function() end }}\n"
                    for i in range(10)})
run("cpu-shared", limit=8,
    expect=["error: plugin exceeded the CPU budget all plugins share for the document"])

# 5. memory: what out:* makes counts, with the plugin's line
case("mem-cells", section("   local rows = {}\n"
                          "   for i = 1, 100000 do rows[i] = { '单元格' .. i, 'x' .. i, 'y', 'z', 'w',\n"
                          "      'v', 'u', 't', 's', 'r' } end\n"
                          "   out:table { rows = rows }"))
run("mem-cells", limit=30,
    expect=["plugins/sections/a_x.lua:5: error: plugin exceeded its memory budget while laying out "
            "section 【工作部署】 (doc.txt:3)"])
for name, body, line in [
        ("mem-para", "   out:paragraph(string.rep('a ', 8000000))", 2),
        ("mem-blocks", "   for k = 1, 1e7 do out:space(0) end", 2),
        ("mem-heap", "   local t = {}\n   for i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end", 3),
        ("mem-gsub", "   local s = gw.gsub(('x'):rep(1000000), '', ('y'):rep(1000000))", 2)]:
    case(name, section(body))
    # gw.gsub's growth cap (gw_rules.h) stops the last one before the memory budget does
    said = ("pattern //: the replacements make the text too long" if name == "mem-gsub"
            else "plugin exceeded its memory budget")
    run(name, limit=30, expect=[f"plugins/sections/a_x.lua:{line}: error: {said}"])
case("mem-rule", {"plugins/rules/big.lua": """local big = ("长"):rep(4000000)
return { api = 1, rules = { { id = "big", pattern = [[字]],
   replace = function(m) return big end } } }
""", "plugins/layouts/s.lua": 'return { api = 1, base = "gbt9704", rules = { "big" } }\n'},
     doc="标题: 测试\n版式: s\n\n【工作部署】\n" + "字" * 200 + "\n")
# the replacement's growth cap (gw_rules.h) stops it before the memory budget does
run("mem-rule", limit=30, expect=["plugins/rules/big.lua:2: error: rule big made the "
                                              "text too long", "on the text at doc.txt:5"])
# a long document set by the built-in plugins stays within the budgets
case("long-doc", {}, doc="标题: 测试\n\n【工作部署】\n" +
     "".join(f"第{i}段文字，内容较短。\n" for i in range(100000)))
run("long-doc", limit=60, rc=0)

# 6. images: inside the document's folder only, for plugins and documents; the
# message is the same whether an outside path exists or not
IMG = open("examples/photos/site.png", "rb").read()
OUTSIDE = "must be inside the document's folder (a relative path without '..')"
for name, path in [("img-shadow", "/etc/shadow"), ("img-none", "/etc/no-such-file.png"),
                   ("img-up", "../x.png"), ("img-link", "root/etc/passwd"),
                   ("img-link-none", "root/no-such-file"), ("img-dangle", "dangle/x.png")]:
    root = case(name, section(f"   out:image {{ path = '{path}' }}"))
    os.symlink("/", os.path.join(root, "root"))
    os.symlink("/no/such/dir/x", os.path.join(root, "dangle"))
    err = run(name, expect=[f"plugins/sections/a_x.lua:2: error: image path '{path}' {OUTSIDE}"],
              absent=["No such file", "Permission denied", "cannot open"])
for name, path in [("doc-abs", "/etc/passwd"), ("doc-up", "../site.png")]:
    case(name, {}, doc=DOC + f"![图]({path})\n")
    run(name, expect=[f"error: image path '{path}' {OUTSIDE}", "(doc.txt:5)"])
root = case("img-inside", section("   out:image { path = 'pics/site.png' }\n"
                                  "   out:block(sec.paragraphs[2])"),
            doc=DOC + "![图](photos/site.png)\n")
os.makedirs(os.path.join(root, "photos"))
with open(os.path.join(root, "photos/site.png"), "wb") as f:
    f.write(IMG)
os.symlink("photos", os.path.join(root, "pics"))
run("img-inside", rc=0)
case("img-missing", {}, doc=DOC + "![图](photos/x.jpg)\n")
run("img-missing", expect=["error: cannot open image photos/x.jpg: No such file or directory "
                           "while laying out section 【工作部署】 (doc.txt:5)"])

# 7. a rule's function loading a rule set (gw.rules) while its own set runs: the
# running set stays where it is (it was read after being freed; ASan build)
case("rules-load", {
    "plugins/rules/outer.lua": """return { api = 1, rules = {
   { id = "outer-a", pattern = [[甲]], replace = function(m) return gw.rules(m[0], { "inner" }) end },
   { id = "outer-b", pattern = [[乙]], replace = "丙" },
} }
""",
    "plugins/rules/inner.lua": 'return { api = 1, rules = { { id = "inner-a", pattern = [[甲]], replace = "丁" } } }\n',
    "plugins/layouts/u.lua": 'return { api = 1, base = "gbt9704", rules = { "outer" } }\n'},
    doc="标题: 测试\n版式: u\n\n【工作部署】\n甲乙文字。\n")
run("rules-load", rc=0)
t, _ = text(os.path.join(c.path("rules-load"), "out.pdf"))
c.ok("丁丙文字。" in t, f"rules-load: both sets applied ({t.strip()[-40:]!r})")

case("lua-patterns", section("   string.find('aaa', 'a')"))
run("lua-patterns", expect=["plugins/sections/a_x.lua:2: error: Lua patterns are not available"])

# 8. every message the sandbox section of docs/plugin-api.md shows is one printed above
api = open("docs/plugin-api.md", encoding="utf-8").read()
sandbox = api[api.index("## The sandbox"):api.index("### Error messages")]
shown = [ln for blk in re.findall(r"```text\n(.*?)```", sandbox, re.S) for ln in blk.splitlines()]
shown += re.findall(r"\| `(plugin exceeded [^`]*)` \|", sandbox)
c.ok(len(shown) >= 10, f"messages found in the sandbox section ({len(shown)})")
printed = "\n".join(seen)
for ln in shown:
    core = ln.split(" error: ", 1)[-1].split(" while ")[0]
    c.ok(core in printed, f"docs message is printed: {core!r}")
c.done()
