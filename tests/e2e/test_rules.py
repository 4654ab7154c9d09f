"""End to end: the text rules (issue 6), table-driven from tests/rules/corpus.tsv.

Every case becomes its own section of one document; `gongwen fix` must turn
each `before` into its `after` without touching a Han character, and
`gongwen check` on the fixed text must report exactly the listed rules.
Also: a catastrophic pattern ends with a clear error in under a second, and
fix/check on the seed leave only the flagged "and"."""
import os
import re

from pdfcheck import STANDIN_NOTE, Checker, han

c = Checker()
cases = []
with open("tests/rules/corpus.tsv", encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        before, after = fields[0].split("\\n"), fields[1].split("\\n")
        flags = set(fields[2].split(",")) if len(fields) > 2 and fields[2] else set()
        head = None
        m = re.match(r"^(【[^】]+】)(.*)$", before[0])
        if m:
            head, before[0] = m.group(1), m.group(2)
        cases.append((n, before, after, flags, head))
c.ok(len(cases) >= 60, f"at least 60 corpus pairs ({len(cases)})")

doc = "标题: 规则测试\n\n" + "".join(
    (head or f"【例{i}】") + "\n" + "\n".join(before) + "\n"
    for i, (_, before, _, _, head) in enumerate(cases))
src = c.write("corpus.txt", doc)
rc, fixed, err = c.run("fix", src)
c.eq(rc, 0, f"fix exit code ({err.strip()[:200]})")
# sections in order: case i is the i-th 【…】 of the output
bodies = re.split(r"^【[^】\n]+】\n", fixed, flags=re.M)[1:]
got = {i: b.rstrip("\n").split("\n") for i, b in enumerate(bodies)}
for i, (line, before, after, _, _) in enumerate(cases):
    c.eq(got.get(i), after, f"corpus.tsv:{line}: {'/'.join(before)}")
c.eq(han(fixed), han(doc), "fix keeps every Han character")

# what check still reports on the fixed text: exactly the listed flags, per case
out_path = c.write("fixed.txt", fixed)
rc, err, _ = c.run("check", out_path)
lines_of = {}
for i, m in enumerate(re.finditer(r"^【[^】\n]+】$", fixed, flags=re.M)):
    lines_of[i] = fixed[:m.start()].count("\n") + 1
starts = sorted((ln, i) for i, ln in lines_of.items())
reported = {}
for m in re.finditer(r":(\d+):\d+: warning\[([\w-]+)\]", err):
    ln, rule = int(m.group(1)), m.group(2)
    case = max((i for s, i in starts if s <= ln), default=None)
    reported.setdefault(case, set()).add(rule)
for i, (line, before, after, flags, _) in enumerate(cases):
    c.eq(reported.get(i, set()), flags, f"corpus.tsv:{line}: check after fix")
c.eq(rc, 1 if any(f for *_, f in cases) else 0, "check exits 1 when it reports something")

# fix then check on the seed: at most the flagged "and"
seed = c.path("seed.txt")
with open("examples/yongzhou-2024-01.txt", encoding="utf-8") as f:
    c.write("seed.txt", f.read())
rc, out, err = c.run("fix", seed, "--in-place")
c.ok(rc == 0 and os.path.exists(seed + ".bak"), "fix --in-place keeps a .bak")
rc, err, _ = c.run("check", seed)
found = re.findall(r"warning\[([\w-]+)\]: .*?\(“(\w+)”\)", err)
c.eq(found, [("foreign-word", "and")], f"check after fix on the seed ({err.strip()!r})")
rc, _, _ = c.run("check", "examples/yongzhou-2024-01.txt")
c.eq(rc, 1, "check on the raw seed finds things")

# build applies every rule silently (dates too); --explain notes each change
from pdfcheck import text
dates = c.write("dates.txt", "标题: 日期\n\n【工作部署】\n于2024.03.05召开会议,部署工作。\n")
rc, _, err = c.run("build", dates, "-o", c.path("dates.pdf"))
t, _ = text(c.path("dates.pdf"))
c.ok(rc == 0 and err == "" and "于2024年3月5日召开会议，部署工作。" in t, f"build applies rules ({t!r})")
rc, _, err = c.run("build", dates, "-o", c.path("dates.pdf"), "--explain")
c.ok(rc == 0 and f"{dates}:4:2: note: rule date-dotted changed “2024.03.05” to “2024年3月5日”" in err,
     f"--explain notes changes ({err.strip()[:200]!r})")

# a running head left by a PDF copy (a line repeating the title) is flagged, not deleted
rh = c.write("rh.txt", "标题: 永州市实施安全守底行动 工作专报\n\n【工作部署】\n第一段。\n"
             "永州市实施安全守底行动工作专报\n第二段。\n")
rc, err, _ = c.run("check", rh)
c.ok(rc == 1 and f"{rh}:5:1: warning[running-head]:" in err, f"running head flagged ({err!r})")

# fix never writes when it would lose a Han character; -o writes atomically
c.write("evil/rules/evil.lua", 'return { api = 1, name = "evil", rules = { '
        '{ id = "eat-han", pattern = [[守]], replace = "", message = "bad" } } }\n')
c.write("evil/layouts/evil.lua", 'return { api = 1, base = "gbt9704", rules = { "evil" } }\n')
ev = c.write("ev.txt", "版式: evil\n\n【工作部署】\n守住底线。\n")
rc, _, err = c.run("fix", ev, "-o", c.path("ev-out.txt"), "--plugin-path", c.path("evil"))
c.ok(rc == 1 and "would change, add or drop Han characters" in err and
     not os.path.exists(c.path("ev-out.txt")), f"fix refuses to drop Han ({err.strip()!r})")

# a catastrophic pattern: a clear error naming the rule and its file:line, in under 1 s of
# CPU (the match limit is counted by PCRE2, not timed: the CPU the run took, times SLOW in
# the sanitizer builds, is its measure; a loaded machine stretches only the wall clock)
c.write("bomb/rules/bomb.lua", 'return { api = 1, name = "bomb", rules = {\n'
        '   { id = "backtrack", pattern = [[(a+)+$]], replace = "x", message = "bomb" },\n} }\n')
c.write("bomb/layouts/bomb.lua", 'return { api = 1, base = "gbt9704", rules = { "bomb" } }\n')
bomb = c.write("bomb.txt", "版式: bomb\n\n【工作部署】\n" + "a" * 100_000 + "b\n")
rc, _, err, took, rss = c.run_bounded("check", bomb, "--plugin-path", c.path("bomb"), cpu=1)
c.ok("bomb/rules/bomb.lua:2: error: rule backtrack hit its match limit" in err,
     f"catastrophic pattern stopped ({err.strip()[:200]!r})")
c.within("catastrophic pattern", took, rss)
# `needs`: a rule runs only on text holding one of its strings (a speed hint, taken at its word)
c.write("hint/rules/hint.lua", 'return { api = 1, name = "hint", rules = {\n'
        '   { id = "mark-x", pattern = [[甲]], needs = { "乙", "丙" }, flag = true, message = "x" },\n'
        '} }\n')
c.write("hint/layouts/hint.lua", 'return { api = 1, base = "gbt9704", rules = { "hint" } }\n')
hint = c.write("hint.txt", "版式: hint\n\n【工作部署】\n甲在这里。\n甲和丙在这里。\n")
rc, err, _ = c.run("check", hint, "--plugin-path", c.path("hint"))
c.ok(f"{hint}:5:1: warning[mark-x]" in err and f"{hint}:4:" not in err,
     f"needs: only the paragraph holding one of its strings is matched ({err.strip()!r})")
for bad in ('""', "{}", "3", '{ "a", "" }', "{ " + ", ".join(['"a"'] * 9) + " }"):
    c.write("badhint/rules/badhint.lua", 'return { api = 1, name = "badhint", rules = {\n'
            '   { id = "h", pattern = [[甲]], needs = ' + bad + ', flag = true },\n} }\n')
    c.write("badhint/layouts/badhint.lua",
            'return { api = 1, base = "gbt9704", rules = { "badhint" } }\n')
    bh = c.write("bh.txt", "版式: badhint\n\n【工作部署】\n甲。\n")
    rc, _, err = c.run("check", bh, "--plugin-path", c.path("badhint"))
    c.ok(rc != 0 and "badhint/rules/badhint.lua:2: error: rule h: needs is a string or a list" in err,
         f"needs = {bad} is refused at its line ({err.strip()[:160]!r})")
# a rule set that does not exist is an error, said once however many sections ask for it
c.write("gone/layouts/gone.lua", 'return { api = 1, base = "gbt9704", rules = { "nosuchset" } }\n')
gone = c.write("gone.txt", "版式: gone\n\n【工作部署】\n一。\n【工作动态】\n二。\n【下步打算】\n三。\n")
rc, _, err = c.run("build", gone, "-o", c.path("gone.pdf"), "--plugin-path", c.path("gone"))
c.ok(rc != 0 and err.count("no rule set named 'nosuchset'") == 1,
     f"a missing rule set is reported once ({err.strip()[:300]!r})")

# text pasted from Word or WPS (tests/rules/word-pasted.txt): heading numbers typed
# with half-width marks, full-width digits and letters, dashes typed as －－ and ――.
# check names each at its line:col; fix writes word-pasted.fixed.txt; build sets the
# headings as headings and applies the same repairs, so building the pasted text and
# building the fixed text write the same bytes.
wp = "tests/rules/word-pasted.txt"
rc, err, _ = c.run("check", wp)
found = set(re.findall(r"^tests/rules/word-pasted\.txt:(\d+:\d+): warning\[([\w-]+)\]", err, re.M))
for want in ("7:1 heading-mark-2", "9:1 heading-mark-2", "16:1 heading-mark-2",
             "11:1 heading-mark-1", "12:1 heading-mark-1", "14:1 heading-mark-3",
             "10:1 heading-parens", "13:1 heading-parens", "15:1 heading-parens",
             "8:59 dash", "12:30 dash", "8:1 fullwidth-alnum", "8:21 fullwidth-alnum",
             "8:36 fullwidth-alnum", "11:25 fullwidth-alnum", "14:2 fullwidth-alnum"):
    c.ok(tuple(want.split()) in found, f"check on the pasted text reports {want} ({err[:300]!r})")
c.ok("suggest: “量１２８．５毫” → “量128.5毫”" in err and "suggest: “多３６％。” → “多36%。”" in err,
     "check suggests the half-width number with its ． and ％")
rc, fixed, err = c.run("fix", wp)
with open("tests/rules/word-pasted.fixed.txt", encoding="utf-8") as f:
    want_fixed = f.read()
c.eq(rc, 0, f"fix on the pasted text ({err.strip()[:200]})")
c.eq(fixed.splitlines(), want_fixed.splitlines(), "fix on the pasted text")
env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
fx = c.write("word-fixed.txt", want_fixed)
import subprocess
for src, pdf in ((wp, "word-raw.pdf"), (fx, "word-fixed.pdf")):
    r = subprocess.run([c.gongwen, "build", src, "-o", c.path(pdf)], capture_output=True,
                       text=True, env=env)
    c.eq((r.returncode, STANDIN_NOTE.sub("", r.stderr)), (0, ""), f"build {src}")
with open(c.path("word-raw.pdf"), "rb") as a, open(c.path("word-fixed.pdf"), "rb") as b:
    c.ok(a.read() == b.read(), "the pasted text builds to the same bytes as its fix")
rc, trace, err = c.run("build", wp, "--trace")
fonts_of = {f[-1]: f[1] for f in (l.split("\t") for l in trace.splitlines()) if f[0] == "text"}
hei, kai = fonts_of.get("一、总体情况", ""), fonts_of.get("（一）压实防汛责任", "")
c.ok("Hei" in hei and "Kai" in kai and fonts_of.get("三、下步工作") == hei and
     fonts_of.get("（二）做好转移避险") == kai,
     f"pasted heading numbers are set as headings h1 and h2 ({hei!r}, {kai!r})")
t, _ = text(c.path("word-raw.pdf"))
for s_ in ("128.5毫米", "36%。", "应急响应——全镇", "18处——已整改", "明确AB岗", "（1）提前转移"):
    c.ok(s_ in t.replace("\n", ""), f"the PDF has {s_}")
c.done()
