"""End to end: every example the docs show (examples/docs/*.txt, with the
plugins and layouts beside them) builds under --strict, extracts cleanly, and
the tutorial's section plugin and county layout take effect.

The pages PAGES lists are checked against the program: a fenced block after
`<!-- include: PATH -->` must be the file PATH byte for byte, one after
`<!-- excerpt: PATH -->` a run of whole lines of the example PATH, and a fenced
block after `<!-- stdout: gongwen ARGS -->` or `<!-- stderr: gongwen ARGS -->`
must be what that command prints on that stream (`stdout-head`, `stderr-head`:
its first lines, as many as the block shows). `in DIR` runs the command in a
copy of DIR (under tests/docs/, with tests/docs/doc.txt unless DIR has its
own), `[FILE:LINE OLD → NEW]` or `[FILE:LINE + TEXT]` edits that copy first,
and several markers before one block show their outputs one after another.
`<!-- session -->` (or `session in DIR`) marks a terminal session: every
`$ command` is run and its output must be the lines shown under it (`…` for
any lines; build/, scripts/, examples/ and tests/ in a command are this
build's and the repository's folders). `--update` writes the program's
outputs into the blocks that differ, sessions too. Every file it includes is
built by the loop below."""
import glob
import os
import shutil
import re
import subprocess
import sys

from pdfcheck import STANDIN_NOTE, Checker, fonts, han, text

update = "--update" in sys.argv  # write the program's outputs into the marked blocks
if update:
    sys.argv.remove("--update")
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

# Every shown example and output of these pages is the program's (the markers: the
# docstring above). Outputs are made with only the fonts scripts/setup installs: a
# fontconfig set-up of their folders alone, so other fonts on the machine change nothing.
PAGES = (("docs/input-format.md", 8), ("docs/cli.md", 4), ("docs/layouts.md", 1),
         ("docs/rules.md", 1), ("docs/plugin-api.md", 19), ("docs/fonts.md", 5),
         ("docs/typesetting.md", 1), ("docs/formats.md", 1))
HOME = os.getcwd() + "/"  # the build-tree binary's plugins: shown relative to the source tree
BUILD = os.path.dirname(c.gongwen) + "/"  # `build/` in a shown command: this build's folder
KINDS = ("include", "excerpt", "stdout", "stderr", "stdout-head", "stderr-head", "session")
MARKER = re.compile(r"<!-- (%s)(?: in (\S+?))?(?: \[(.+?)\])?(?:: (.+?))? -->\n"
                    % "|".join(KINDS))
BLOCK = re.compile(r"((?:<!-- [^\n]*? -->\n)+)```[a-z]*\n(.*?)```\n", re.S)
STANDIN_SHOWN = "note: set in stand-in fonts"


def setup_fonts_env():
    """The environment the shown commands run in: fontconfig sees the font folders of the
    packages scripts/setup installs and nothing else; the same bytes from every build."""
    r = subprocess.run(["scripts/setup", "--tests", "--list"], capture_output=True, text=True)
    pkgs = [p for p in r.stdout.split() if p.startswith(("fonts-", "texlive-"))]
    folders = set()
    for pkg in pkgs:
        files = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True).stdout
        folders |= {os.path.dirname(f) for f in files.split("\n")
                    if re.search(r"\.(ttf|ttc|otf)$", f, re.I) and os.path.isfile(f)}
    c.ok(len(pkgs) >= 4 and folders, f"scripts/setup's font packages and their folders ({pkgs})")
    conf = c.write("fonts.conf", "<?xml version=\"1.0\"?>\n<fontconfig>\n" +
                   "".join(f"<dir>{d}</dir>\n" for d in sorted(folders)) +
                   f"<cachedir>{c.path('fccache')}</cachedir>\n</fontconfig>\n")
    return dict(os.environ, FONTCONFIG_FILE=conf, SOURCE_DATE_EPOCH="1709164800",
                XDG_CACHE_HOME=c.path("xdg"))


ENV = setup_fonts_env()
runs = 0


def where(place, edit):
    """The folder a shown command runs in: the repository root, or a copy of `place` (and,
    under tests/docs/, its doc.txt) with `edit` made: 'FILE:LINE OLD → NEW' replaces OLD in
    that line, 'FILE:LINE + TEXT' puts the line TEXT before it."""
    global runs
    if not place:
        return None
    runs += 1
    dest = c.path(f"shown/{runs}")
    shutil.copytree(place, dest, ignore=shutil.ignore_patterns("*.pdf"))
    if place.startswith("tests/docs/") and not os.path.exists(os.path.join(dest, "doc.txt")):
        shutil.copy("tests/docs/doc.txt", dest)
    if edit:
        m = re.match(r"(\S+):(\d+) (?:(.+?) → (.+)|\+ (.+))$", edit)
        path = os.path.join(dest, m.group(1))
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        n = int(m.group(2)) - 1
        if m.group(5) is not None:
            lines.insert(n, m.group(5))
        else:
            c.ok(m.group(3) in lines[n], f"the edit {edit!r} finds its text")
            lines[n] = lines[n].replace(m.group(3), m.group(4), 1)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    return dest


def clean(text, keep_note):
    text = text.replace(HOME, "")
    return text if keep_note else STANDIN_NOTE.sub("", text)


def run_shown(kind, place, edit, command, block, page):
    """What a marked command prints, as the block should show it."""
    args = command.split()
    c.ok(args[0] == "gongwen", f"{page}: {command} runs gongwen")
    r = subprocess.run([c.gongwen, *args[1:]], capture_output=True, text=True, timeout=300,
                       cwd=where(place, edit), env=ENV)
    c.ok(r.returncode in (0, 1), f"{page}: `{command}` ran (exit {r.returncode})")
    got = clean(r.stdout if kind.startswith("stdout") else r.stderr, STANDIN_SHOWN in block)
    return got, r.returncode


def session(place, block, page):
    """A shown terminal session: each `$ command` run by the shell, its stdout and stderr as
    shown; a line `…` stands for any lines. In a command, build/ is this build's folder and
    scripts/, examples/ and tests/ are the repository's (the session may run in a copy of a
    folder). Returns the block as the program's outputs would show it."""
    cwd = where(place, None)
    got, want, commands = [], [], []
    for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
        command, _, shown = part.partition("\n")
        commands.append(command)
        want.append(shown)
        line = re.sub(r"(^|\s)(build|scripts|examples|tests)/",
                      lambda m: m.group(1) + (BUILD if m.group(2) == "build" else
                                              HOME + m.group(2) + "/"), command)
        r = subprocess.run(["bash", "-c", line + " 2>&1"], capture_output=True, text=True,
                           timeout=300, cwd=cwd, env=ENV)
        out = clean(r.stdout, STANDIN_SHOWN in shown)
        if "…\n" in shown:  # what the … stands for
            head, tail = shown.split("…\n", 1)
            ok = out.startswith(head) and out.endswith(tail) and len(out) >= len(head + tail)
            out = shown if ok else out
        got.append(out)
    c.ok(want, f"{page}: a session shows commands")
    for w, g in zip(want, got):
        c.eq(g, w, f"{page}: the session's output as shown")
    return "".join(f"$ {cmd}\n{g}" for cmd, g in zip(commands, got))


def write_back(page_text, block, got):
    """--update: the page with the block's text replaced by what the program printed."""
    if got == block:
        return page_text
    page_text = page_text.replace("-->\n```text\n" + block + "```", "-->\n```text\n" + got + "```",
                                  1)
    with open(PAGE, "w", encoding="utf-8") as f:
        f.write(page_text)
    return page_text


examples = glob.glob("examples/**/*.txt", recursive=True)
checked = 0
for PAGE, least in PAGES:
    with open(PAGE, encoding="utf-8") as f:
        page = f.read()
    blocks = BLOCK.findall(page)
    marked = [(MARKER.findall(marks), block) for marks, block in blocks]
    marked = [(m, block) for m, block in marked if m]
    nmarks = sum(len(m) for m, _ in marked)
    c.ok(len(marked) >= least, f"{PAGE}: marked example and output blocks ({len(marked)})")
    c.eq(nmarks, len([k for k in re.findall(r"^<!-- ([a-z-]+)", page, re.M) if k in KINDS]),
         f"{PAGE}: every marker is well formed and followed by a fenced block")
    checked += len(marked)
    included = set()
    for marks, block in marked:
        kind, place, edit, what = marks[0]
        if kind == "include":
            c.ok(what in inputs, f"{PAGE}: {what} is a docs example the loop above builds")
            included.add(what)
            with open(what, encoding="utf-8") as f:
                c.eq(block, f.read(), f"{PAGE}: the block shown as {what} is the file")
            continue
        if kind == "excerpt":
            c.ok(what in examples or not what.endswith(".txt"),
                 f"{PAGE}: {what} is an example test_golden builds, or a file of another kind")
            with open(what, encoding="utf-8") as f:
                c.ok(block and ("\n" + f.read()).find("\n" + block) >= 0,
                     f"{PAGE}: the excerpt shown from {what} is in the file")
            continue
        if kind == "session":
            got = session(place, block, PAGE)
            if update:
                page = write_back(page, block, got)
            continue
        # one marker or several: their outputs one after another (a -head marker: the first
        # lines of its output, as many as the block has for a lone marker, one for each of
        # several)
        got = ""
        for kind, place, edit, what in marks:
            out, _ = run_shown(kind, place, edit, what, block, PAGE)
            if kind.endswith("-head"):
                keep = block.count("\n") if len(marks) == 1 else 1
                out = "".join(out.splitlines(True)[:keep])
            got += out
            for f in what.split()[1:]:
                if f.endswith(".txt") and PAGE == "docs/input-format.md" and not place:
                    c.ok(f in included, f"{PAGE}: {f} is shown before its output")
        if update:
            page = write_back(page, block, got)
        c.eq(block, got, f"{PAGE}: the output of `{'; '.join(m[3] for m in marks)}` as shown")
print(f"docs: {checked} marked blocks checked against the program")

# docs/typesetting.md: its tables of scripts/gridcheck figures say what the sessions below
# them show (and those are the program's, checked above): the blank around narrow runs, and
# the seed's shares on the grid
with open("docs/typesetting.md", encoding="utf-8") as f:
    ts = f.read()
shown = {}  # (run, 0 at a line start / 1 between Han / 2 after ，) -> "before / after"
# (a third figure, the blank after the marks a run keeps to, is not in that table)
for where, run, before, after in re.findall(r"^ +\d+ (start|mid) +(.+?)\t([\d.]+)\t([\d.]+)"
                                            r"(?:\t[\d.]+)?$", ts, re.M):
    col = 0 if where == "start" else 2 if run.startswith("，") else 1
    shown[(re.sub(r"^\D+", "", run), col)] = f"{before} / {after}"
rows = re.findall(r"^  \| `([^`]+)` \|(.*)\|$", ts, re.M)
c.ok(len(rows) >= 3 and len(shown) >= 11, f"typesetting.md: the gaps table and its session "
     f"({len(rows)} rows, {len(shown)} runs)")
for run, cells in rows:
    for col, cell in enumerate(cells.split("|")):
        now = re.sub(r"\s*\(was [^)]*\)", "", cell).strip()  # a figure before a change: history
        if now:
            c.eq(now, shown.get((run, col)), f"typesetting.md: the gaps table's {run} "
                 f"{('at a line start', 'between Han', 'after ，')[col]}")
for grid, pdf in (("false", "free.pdf"), ("true", "seed.pdf")):
    row = re.search(rf"^\| seed, `grid = {grid}` \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", ts, re.M)
    run = ts.partition(f"$ scripts/gridcheck {pdf}\n")[2]
    said = [re.search(rf"^{what} +([\d.]+) of", run, re.M) for what in
            ("han on grid", "lines on grid", "han-only lines")]
    c.ok(row and all(said), f"typesetting.md: the seed's grid = {grid} row and its session")
    if row and all(said):
        c.eq(list(row.groups()), [m.group(1) for m in said],
             f"typesetting.md: the seed's grid = {grid} row is what gridcheck says")

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
