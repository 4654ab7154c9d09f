"""End to end: every example the docs show (examples/docs/*.txt, with the
plugins and layouts beside them) builds under --strict, extracts cleanly, and
the tutorial's section plugin and county layout take effect.

docs/input-format.md and docs/cli.md are checked against the program: a fenced block after
`<!-- include: PATH -->` must be the file PATH byte for byte, one after
`<!-- excerpt: PATH -->` a run of whole lines of the example PATH, and a fenced
block after `<!-- stdout: gongwen ARGS -->` or `<!-- stderr: gongwen ARGS -->`
must be what that command prints on that stream. Every file it includes is
built by the loop below."""
import glob
import os
import shutil
import re
import subprocess

from pdfcheck import STANDIN_NOTE, Checker, fonts, han, text

c = Checker()
inputs = sorted(glob.glob("examples/docs/*.txt"))
c.ok(len(inputs) >= 4, f"docs examples present ({len(inputs)})")
NOTE = re.compile(r"^\S+:\d+:\d+: note: ")
for src in inputs:
    pdf = c.path(src.split("/")[-1][:-4] + ".pdf")
    rc, out, err = c.run("build", "--strict", src, "-o", pdf)
    # the reader's notes (what it guessed) are no warnings; nothing else may be said
    said = [ln for ln in err.splitlines() if not NOTE.match(ln)]
    c.ok(rc == 0 and said == [], f"{src} builds under --strict ({' '.join(said)[:200]!r})")
    t, perr = text(pdf)
    c.ok(perr == "" and len(t.strip()) > 0, f"{src} extracts without warnings")
    rows, _ = fonts(pdf)
    c.ok(all(r["emb"] == "yes" and r["uni"] == "yes" for r in rows), f"{src} fonts embedded")

# the tutorial plugin (examples/docs/plugins/sections/data_report.lua) claims 【数据通报】
rc, out, _ = c.run("plugins", "examples/docs/data-report.txt")
c.ok("data_report.lua" in out, "gongwen plugins finds the tutorial plugin beside the input")
rc, trace, _ = c.run("build", "examples/docs/data-report.txt", "--trace")
c.ok(rc == 0 and "\tFandolHei\t" in trace, "tutorial lead-ins are set in the 黑体 role")

# the county layout changes the title colour and centres page numbers
rc, trace, _ = c.run("build", "examples/docs/county-demo.txt", "--trace")
c.ok(rc == 0 and "\tC00000\t" in trace, "county-demo layout sets its title colour")

# docs/input-format.md and docs/cli.md: every shown example and output is the program's
HOME = os.getcwd() + "/"  # the build-tree binary's plugins: shown relative to the source tree
for PAGE, least in (("docs/input-format.md", 8), ("docs/cli.md", 4), ("docs/layouts.md", 1),
                    ("docs/rules.md", 1)):
    with open(PAGE, encoding="utf-8") as f:
        page = f.read()
    MARK = re.compile(r"<!-- (include|excerpt|stdout|stderr): (.+?) -->\n```[a-z]*\n(.*?)```\n", re.S)
    shown = MARK.findall(page)
    examples = glob.glob("examples/**/*.txt", recursive=True)
    c.ok(len(shown) >= least, f"{PAGE}: marked example and output blocks ({len(shown)})")
    c.eq(len(shown), sum(page.count(f"<!-- {k}: ") for k in ("include", "excerpt", "stdout", "stderr")),
         f"{PAGE}: every marker is followed by a fenced block")
    included = set()
    for kind, what, block in shown:
        if kind == "include":
            c.ok(what in inputs, f"{PAGE}: {what} is a docs example the loop above builds")
            included.add(what)
            with open(what, encoding="utf-8") as f:
                c.eq(block, f.read(), f"{PAGE}: the block shown as {what} is the file")
            continue
        if kind == "excerpt":
            c.ok(what in examples, f"{PAGE}: {what} is an example test_golden builds")
            with open(what, encoding="utf-8") as f:
                c.ok(block and ("\n" + f.read()).find("\n" + block) >= 0,
                     f"{PAGE}: the excerpt shown from {what} is in the file")
            continue
        args = what.split()
        c.ok(args[0] == "gongwen", f"{PAGE}: {what} runs gongwen")
        r = subprocess.run([c.gongwen, *args[1:]], capture_output=True, text=True, timeout=120)
        got = (r.stdout if kind == "stdout" else STANDIN_NOTE.sub("", r.stderr)).replace(HOME, "")
        c.eq(block, got, f"{PAGE}: the {kind} of `{what}` as shown")
        c.ok(r.returncode in (0, 1), f"{PAGE}: `{what}` ran (exit {r.returncode})")
        for f in args[1:]:
            if f.endswith(".txt") and PAGE == "docs/input-format.md":
                c.ok(f in included, f"{PAGE}: {f} is shown before its output")

# the plugin tutorial's warning: 数据暂缺 added after line 9 of data-report.txt
with open("docs/plugin-api.md", encoding="utf-8") as f:
    tutorial = f.read()
shown = re.search(r"A line such as `数据暂缺`.*?\n```text\n(.*?)```", tutorial, re.S)
tut = c.path("tutorial")
shutil.copytree("examples/docs/plugins", os.path.join(tut, "plugins"))
with open("examples/docs/data-report.txt", encoding="utf-8") as f:
    lines = f.read().split("\n")
with open(os.path.join(tut, "data-report.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines[:9] + ["数据暂缺"] + lines[9:]))
r = subprocess.run([c.gongwen, "build", "data-report.txt"], cwd=tut, capture_output=True, text=True)
r.stderr = STANDIN_NOTE.sub("", r.stderr)  # the stand-in note (test_fonts checks it)
c.ok(shown and r.returncode == 0 and r.stderr == shown.group(1),
     f"docs/plugin-api.md: the tutorial's warning is the program's ({r.stderr!r})")

# docs/typesetting.md: a layout that extends gbt9704 may set latin_role
lr = c.write("latin/layouts/latin.lua", 'return { api = 1, base = "gbt9704", fonts = { latin = '
             '{ "DejaVu Serif" } }, typeset = { latin_role = "latin" } }\n')
rc, _, err = c.run("build", "examples/docs/minimal.txt", "-o", c.path("latin.pdf"), "--layout",
                   "latin", "--plugin-path", c.path("latin"))
rows, _ = fonts(c.path("latin.pdf")) if rc == 0 else ([], "")
c.ok(rc == 0 and any("DejaVuSerif" in r["name"] for r in rows),
     f"a derived layout sets latin_role: its digits in DejaVu Serif ({err.strip()[:200]!r})")

# a fully marked text is read without a guess: no note
rc, _, err = c.run("dump", "examples/docs/input-format-marked.txt")
c.ok(rc == 0 and err == "", f"the marked example prints no note ({err[:200]!r})")

# the worked paste example: what fix writes passes check and loses no Han character
PASTED = "examples/docs/input-format-pasted.txt"
rc, fixed, _ = c.run("fix", PASTED)
out = c.write("pasted-fixed.txt", fixed)
rc, _, _ = c.run("check", PASTED)
c.eq(rc, 1, "check on the paste example exits 1 (something found)")
rc, tree, _ = c.run("dump", out)
c.ok(re.search(r"heading \d+:1 h1 二、做好应急准备\n", tree) and tree.count("headline ") == 1,
     "after fix, 二、做好应急准备 is a heading, not a second headline")
rc, _, err = c.run("check", out)
said = [ln for ln in err.splitlines() if not NOTE.match(ln)]
c.ok(rc == 0 and said == [], f"the fixed paste example passes check ({said[:2]})")
with open(PASTED, encoding="utf-8") as f:
    before = han(f.read())
c.eq(han(fixed), before, "fix keeps every Han character of the paste example")
pdf = c.path("pasted-fixed.pdf")
rc, _, err = c.run("build", "--strict", out, "-o", pdf)
c.ok(rc == 0, f"the fixed paste example builds ({err.strip()[:200]})")
t, _ = text(pdf)
c.eq(han(t), han(fixed), "every Han character of the fixed paste example is in its PDF")
c.done()
