"""scripts/bench_peers.py: Typst 0.14 on the bench's workloads (`scripts/bench --peers`).

Typst comes from the npm registry: typst.ts's Node compiler
(@myriaddreamin/typst-ts-node-compiler 0.7.0, a native addon built on Typst
0.14.2; the version is checked at run time with Typst's own `sys.version`).
npm has no Typst 0.14 command-line binary, so a small Node script does what
`typst compile --font-path FONTS IN.typ OUT.pdf` does: it loads the compiler,
which finds the fonts in FONTS and the system's fonts (as the typst binary does
without --ignore-system-fonts; typst.ts has no switch for that), compiles, and
writes the PDF. The bench times that whole process, as it times gongwen's, and
reports beside it the time inside the script (the process less Node's own start
and exit, which a typst binary would not spend).

Each workload's text becomes an equivalent Typst source: the header as the red
masthead, each 【section】 heading as a bold 黑体 line, paragraphs in 16 pt
仿宋 with a 2-em first-line indent on the 22-line grid of A4 with GB/T 9704
margins, the same lead-ins (黑体), 编者按 paragraphs (楷体) and **bold**, and
"— N —" page numbers, in the font files `gongwen fonts` names for its roles.
Some of gongwen's text rules are applied first (broken lines joined, spaces
between Han and Latin removed), so that both set the same text.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "build-peers")  # git ignores it: npm installs here
PACKAGE = "@myriaddreamin/typst-ts-node-compiler"
PACKAGE_VERSION = "0.7.0"
TYPST_SERIES = "0.14."  # what sys.version must start with

# The compiling process: node typst-compile.js FONTS IN.typ OUT.pdf prints
# "pages N" and the time of each stage: loading the addon (after Node's own
# start), finding the fonts (FONTS and the system's), compiling, writing the PDF.
# node typst-compile.js --version prints Typst's sys.version.
RUNNER = r"""
let t = process.hrtime.bigint();
const ms = () => {  // since the last call
  const was = t;
  t = process.hrtime.bigint();
  return (Number(t - was) / 1e6).toFixed(1);
};
const fs = require("fs");
const path = require("path");
const { NodeCompiler } = require("@myriaddreamin/typst-ts-node-compiler");
const args = process.argv.slice(2);
if (args[0] === "--version") {
  const compiler = NodeCompiler.create({});
  const v = compiler.query({ mainFileContent: "#metadata(str(sys.version)) <v>" },
                           { selector: "<v>", field: "value" });
  process.stdout.write(v[0] + "\n");
  process.exit(0);
}
const [fonts, input, output] = args;
const loaded = ms();
const compiler = NodeCompiler.create({ workspace: path.dirname(input),
                                       fontArgs: [{ fontPaths: [fonts] }] });
const created = ms();
const result = compiler.compile({ mainFilePath: input });
if (result.hasError()) {
  result.printErrors();
  process.exit(1);
}
const compiled = ms();
fs.writeFileSync(output, compiler.pdf(result.result));
process.stdout.write(`pages ${result.result.numOfPages}\n` +
  `load ${loaded} ms, fonts ${created} ms, compile ${compiled} ms, pdf+write ${ms()} ms\n`);
"""


def install():
    """Installs the package into build-peers/ unless that version is there."""
    if not shutil.which("node") or not shutil.which("npm"):
        sys.exit("bench: --peers needs node and npm (apt-get install nodejs npm)")
    meta = os.path.join(PEERS, "node_modules", *PACKAGE.split("/"), "package.json")
    try:
        with open(meta, encoding="utf-8") as f:
            have = json.load(f)["version"]
    except OSError:
        have = None
    if have != PACKAGE_VERSION:
        print(f"bench: npm install {PACKAGE}@{PACKAGE_VERSION} into build-peers/", file=sys.stderr)
        subprocess.run(["npm", "install", "--prefix", PEERS, "--no-package-lock", "--no-audit",
                        "--no-fund", f"{PACKAGE}@{PACKAGE_VERSION}"], check=True,
                       stdout=subprocess.DEVNULL)
    runner = os.path.join(PEERS, "typst-compile.js")
    with open(runner, "w", encoding="utf-8") as f:
        f.write(RUNNER.lstrip())
    return runner


def role_fonts(exe):
    """
    `gongwen fonts`: {role: [family, ...]} and the font files. Continuation
    lines (the fallback list) belong to the role above them. A bold face
    ("FandolSong Bold", the 小标宋 stand-in) is its family; the roles whose
    primary face is bold are in roles["bold"].
    """
    out = subprocess.run([exe, "fonts"], check=True, capture_output=True, text=True).stdout
    roles, files, role = {"bold": []}, [], None
    for line in out.splitlines():
        m = re.match(r"^(\S+)?\s+(.+?) \[(.+) #(\d+)\]( CFF)?( \(stand-in\))?$", line)
        if not m:
            continue
        role = m.group(1) or role
        family = m.group(2)
        if family.endswith(" Bold"):
            family = family[:-len(" Bold")]
            if m.group(1):
                roles["bold"].append(role)
        roles.setdefault(role, []).append(family)
        # Typst knows a face by its name-table family (ID 1), which may differ from the
        # typographic one gongwen shows ("FandolFang R" for FandolFang): list every name
        # fontconfig reads from the file, or Typst falls back to the next font in the list
        q = subprocess.run(["fc-query", "-f", "%{family}\n", m.group(3)], capture_output=True,
                           text=True).stdout.splitlines()
        for name in (q[int(m.group(4) or 0)] if q else "").split(","):
            if name and name not in roles[role]:
                roles[role].append(name)
        if m.group(3) not in files:
            files.append(m.group(3))
    return roles, files


def font_folder(files):
    """build-peers/fonts/: links to exactly the files gongwen uses (Typst's font path)."""
    folder = os.path.join(PEERS, "fonts")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for path in files:
        os.symlink(path, os.path.join(folder, os.path.basename(path)))
    return folder


# --- the document: what gongwen reads and its text rules, much simplified ---

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TRIM = " \t\u3000\u00a0\ufeff"
KEYS = {"标题": "标题", "title": "标题", "期号": "期号", "issue": "期号", "编发": "编发",
        "issuer": "编发", "编发单位": "编发", "日期": "日期", "date": "日期"}
CLOSED = tuple("。！？；：…—”’）》」』】〕.!?;:)]")  # the paste rule: a paragraph ends here
LEAD = re.compile(rf"^([{HAN}]{{2,8}})[ \t\u3000]+(\S.*)$")  # 专项行动 / 县市区动态 lead-in
LEAD_SECTIONS = ("专项行动", "县市区动态", "县区动态", "区县动态")


def spacing(text):
    """The spacing rule: no typed space between Han and Latin letters or digits."""
    text = re.sub(rf"([{HAN}])[ \t\u3000]+([0-9A-Za-z])", r"\1\2", text)
    return re.sub(rf"([0-9A-Za-z])[ \t\u3000]+([{HAN}])", r"\1\2", text)


def parse(text):
    """The header {key: value} and the sections [(heading, [paragraph, ...])]."""
    header, sections = {}, []
    for line in text.splitlines():
        line = line.strip(TRIM)
        if not line:
            continue
        if line.startswith("【"):
            close = line.index("】")
            sections.append((line[1:close].strip(TRIM), []))
            line = line[close + 1:].strip(TRIM)
            if line:
                sections[-1][1].append(line)
        elif sections:
            sections[-1][1].append(line)
        else:
            key, _, value = line.replace("：", ":", 1).partition(":")
            if value and key.strip() in KEYS:
                header[KEYS[key.strip()]] = value.strip()
            elif "期号" not in header and "第" in line and line.endswith("期"):
                header["期号"] = line
            elif ("日期" not in header and line[0].isdigit()
                  and all(c in line for c in "年月日")):
                header["日期"] = line
            else:
                header.setdefault("标题" if "标题" not in header else "编发", line)
    header = {k: spacing(v) for k, v in header.items()}
    return header, [(h, joined(ps)) for h, ps in sections]


def joined(paragraphs):
    """The paste rule: a paragraph not ending a sentence goes on in the next one."""
    out, carry = [], ""
    for i, p in enumerate(paragraphs):
        p = carry + p
        if p.endswith(CLOSED) or i == len(paragraphs) - 1:
            out.append(p)
            carry = ""
        else:
            carry = p
    return out


# --- the Typst source ---

def escaped(text):
    """Plain text as Typst markup: every ASCII mark that could mean markup escaped."""
    return re.sub(r"([\\#*_$@<>\[\]`~/=+\-'\".:])", r"\\\1", text)


def inline(text):
    """A paragraph's text with **bold** (balanced pairs only) as #strong."""
    parts = text.split("**")
    if len(parts) % 2 == 0:  # unbalanced: the asterisks print
        return escaped(text)
    return "".join(escaped(p) if i % 2 == 0 else f"#strong[{escaped(p)}]"
                   for i, p in enumerate(parts))


def typst_source(text, roles):
    """The Typst document equivalent to gongwen's build of `text`."""
    header, sections = parse(text)

    def fonts(role):
        families = dict.fromkeys(roles[role] + roles["fallback"])  # in order, once each
        return "(" + ", ".join(json.dumps(f) for f in families) + ")"

    title = [t for t in header.get("标题", "").split() if t]
    # the largest size up to 36 pt at which every title line fits the 156 mm text width
    size = min([36.0] + [156 / 25.4 * 72 / len(t) for t in title])
    out = [f"""// generated by scripts/bench --peers from gongwen's input
#let pitch = 225mm / 22
#let red = rgb("#E60000")
#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer-descent: 7mm, footer: context {{
    let n = counter(page).get().first()
    set text(font: {fonts("song")}, size: 14pt, tracking: 0pt)
    if calc.odd(n) {{ align(right)[— #n —#h(1em)] }} else {{ align(left)[#h(1em)— #n —] }}
  }})
#set text(font: {fonts("fangsong")}, size: 16pt, lang: "zh", region: "cn",
  top-edge: 0.88em, bottom-edge: -0.12em, tracking: 156mm / 28 - 16pt, cjk-latin-spacing: none)
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: pitch - 1em,
  spacing: pitch - 1em)
#let section(body) = block(above: pitch - 1em, below: pitch - 1em, sticky: true,
  text(font: {fonts("hei")}, weight: "bold", body))
#let lead(body) = text(font: {fonts("hei")}, body)
#[
#set par(first-line-indent: 0pt)
#set text(tracking: 0pt)
#v(20mm)
"""]
    for i, t in enumerate(title):
        weight = ', weight: "bold"' if "xbs" in roles["bold"] else ""
        out.append(f"#align(center, text(font: {fonts('xbs')}, size: {size:.2f}pt{weight}, fill: red)"
                   f"[{escaped(t)}])\n")
        out.append("#v(3mm)\n" if i < len(title) - 1 else "#v(5mm)\n")
    if "期号" in header:
        out.append(f"#align(center)[{escaped(header['期号'])}]\n#v(3mm)\n")
    out.append(f"#block[{escaped(header.get('编发', ''))}#h(1fr){escaped(header.get('日期', ''))}]\n")
    out.append("#v(3mm)\n#line(length: 100%, stroke: 2.25pt + red)\n#v(3mm)\n]\n\n")
    for heading, paragraphs in sections:
        out.append(f"#section[【{escaped(heading)}】]\n\n")
        note = heading == "编者按"
        if note:
            out.append(f"#[\n#set text(font: {fonts('kai')})\n\n")
        for p in paragraphs:
            m = LEAD.match(p) if heading in LEAD_SECTIONS else None
            if m:
                out.append(f"#lead[{m.group(1)}]\u3000{inline(spacing(m.group(2)))}\n\n")
            else:
                out.append(inline(spacing(p)) + "\n\n")
        if note:
            out.append("]\n\n")
    return "".join(out)


class Typst:
    """
    Typst on the bench's workloads: the sources are written once; `run` compiles
    one workload (the bench calls it beside gongwen's run of the same workload,
    in every round) and `report` prints the figures beside gongwen's.
    """

    def __init__(self, exe, work, tmp):
        self.runner = install()
        roles, files = role_fonts(exe)
        self.fonts = font_folder(files)
        self.version = node([self.runner, "--version"])
        if not self.version.startswith(TYPST_SERIES):
            sys.exit(f"bench: {PACKAGE}@{PACKAGE_VERSION} runs Typst {self.version}, "
                     f"not {TYPST_SERIES}x")
        self.src, self.pdf, self.runs = {}, {}, {}
        for i, (name, path) in enumerate(work):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            self.src[name] = os.path.join(tmp, f"typst-{i}.typ")
            self.pdf[name] = os.path.join(tmp, f"typst-{i}.pdf")
            self.runs[name] = []
            with open(self.src[name], "w", encoding="utf-8") as f:
                f.write(typst_source(text, roles))

    def run(self, name):
        """
        One compile of a workload, recorded: the wall time from the start of
        the process to its exit, and the time in the script (its stages from
        loading the addon to the PDF written: the process less Node's own start
        and exit, about what a Typst binary would take).
        """
        t0 = time.perf_counter()
        proc = subprocess.Popen(["node", self.runner, self.fonts, self.src[name], self.pdf[name]],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)  # this process's own peak RSS
        wall = time.perf_counter() - t0
        m = re.search(r"^pages (\d+)\n(load .*)$", out, re.M)
        if os.waitstatus_to_exitcode(status) != 0 or not m:
            sys.exit(f"bench: Typst failed on {name}: {out}")
        script = sum(float(x) for x in re.findall(r"([\d.]+) ms", m.group(2))) / 1e3
        self.runs[name].append((wall, script, usage.ru_maxrss, int(m.group(1)), m.group(2)))

    def report(self, gongwen):
        """
        Typst's median wall and time in the script, pages (as Typst counted
        them and as the PDF has them), peak RSS and PDF size beside gongwen's
        median and pages (gongwen: {workload: (median seconds, pages)}), and the
        ratios, which it returns: {workload: (Typst's median wall / gongwen's,
        Typst's median time in the script / gongwen's wall)}.
        """
        print()
        print(f"Typst {self.version} ({PACKAGE} {PACKAGE_VERSION}, Node {node(['--version'])}), "
              f"the same rounds; 'script': the process less Node's start and exit; "
              f"ratio: Typst's median / gongwen's")
        print(f"{'workload':<12} {'pages':>6} {'in PDF':>6} {'gongwen':>7} {'wall ms':>9} "
              f"{'fastest':>8} {'script':>8} {'RSS MB':>7} {'PDF KB':>7} {'gongwen ms':>10} "
              f"{'ratio':>6} {'script':>6}  stages (last run)")
        ratios = {}
        for name, runs in self.runs.items():
            walls = [r[0] for r in runs]
            wall, script = statistics.median(walls), statistics.median(r[1] for r in runs)
            pages, in_pdf = runs[-1][3], pdf_pages(self.pdf[name])
            g_wall, g_pages = gongwen[name]
            ratios[name] = (wall / g_wall, script / g_wall)
            print(f"{name:<12} {pages:>6} {in_pdf:>6} {g_pages:>7} {wall * 1e3:>9.1f} "
                  f"{min(walls) * 1e3:>8.1f} {script * 1e3:>8.1f} "
                  f"{max(r[2] for r in runs) / 1024:>7.1f} "
                  f"{os.path.getsize(self.pdf[name]) / 1024:>7.1f} {g_wall * 1e3:>10.1f} "
                  f"{ratios[name][0]:>5.1f}x {ratios[name][1]:>5.1f}x  {runs[-1][4]}")
            if abs(pages - g_pages) > max(1, g_pages // 10) or in_pdf not in (pages, "?"):
                print(f"  {name}: Typst's pages ({pages}, PDF {in_pdf}) are not gongwen's "
                      f"({g_pages}) within 10%: not the same document")
        return ratios


def node(args):
    return subprocess.run(["node"] + args, check=True, capture_output=True,
                          text=True).stdout.strip()


def pdf_pages(path):
    """The page count pdfinfo reads from the PDF (poppler-utils), or "?" without it."""
    if not shutil.which("pdfinfo"):
        return "?"
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else "?"
