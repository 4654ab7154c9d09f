"""End to end: the CLI as scripts and editors drive it (issue 24, part 3).
Every `--format json` output (check, dump, plugins, layout, fonts) is validated
against docs/cli.schema.json and compared with the text output; check's
findings go to stdout with a summary line and its own diagnostics to stderr;
`-` reads standard input and `-o -` writes the PDF to standard output (and
never a file named "-"); fix --diff prints a unified diff that patch applies,
leaving the input untouched; every exit code docs/cli.md lists is produced;
`fonts --all` lists installed CJK families; `plugins` columns line up with
Chinese names; the usage synopsis names every option."""
import json
import os
import re
import shutil
import subprocess

import jsonschema

from pdfcheck import Checker, text

os.environ["SOURCE_DATE_EPOCH"] = "1709164800"  # the same bytes from every build of a text
c = Checker()
SEED = "examples/yongzhou-2024-01.txt"
PASTED = "examples/docs/input-format-pasted.txt"
with open("docs/cli.schema.json", encoding="utf-8") as f:
    SCHEMA = json.load(f)
jsonschema.Draft202012Validator.check_schema(SCHEMA)


def valid(doc, kind, what):
    """doc validates against $defs/kind of the schema."""
    schema = dict(SCHEMA, **{"$ref": f"#/$defs/{kind}"})
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    return c.ok(not errors, f"{what}: valid {kind} JSON ({[e.message for e in errors[:3]]})")


def run_json(*args):
    rc, out, err = c.run(*args, "--format", "json")
    try:
        return rc, json.loads(out), err
    except ValueError as e:
        c.ok(False, f"{' '.join(args)} --format json prints one JSON document ({e}; {out[:200]!r})")
        return rc, None, err


# {===== check: findings on stdout, a summary line; the run's diagnostics on stderr =====
rc, out, err = c.run("check", PASTED)
lines = out.splitlines()
c.ok(rc == 1 and len(lines) == 12 and lines[-1] == "11 findings in 1 file",
     f"check: 11 findings and a summary line on stdout ({lines[-1:]!r})")
c.ok(all(re.match(rf"^{re.escape(PASTED)}:\d+:\d+: warning\[[\w-]+\]: ", ln) for ln in lines[:-1]),
     "check: each finding is file:line:col: warning[rule]: message")
c.ok(err.count(": note: ") == 3 and "warning[" not in err, "check: the reader's notes on stderr only")
r = subprocess.run(f"{c.gongwen} check {PASTED} 2>/dev/null | wc -l", shell=True,
                   capture_output=True, text=True)
c.eq(r.stdout.strip(), "12", "gongwen check f.txt | wc -l counts the findings and the summary")
rc, doc, err = run_json("check", PASTED)
if doc and valid(doc, "check", "check"):
    c.eq(doc["summary"], {"findings": 11, "files": 1, "failed": 0}, "check json: summary")
    c.eq([f"{PASTED}:{f['line']}:{f['col']}: {f['level']}[{f['rule']}]: {f['message']}"
          for f in doc["findings"]], lines[:-1], "check json: the findings the text shows")
    c.eq(rc, 1, "check json: exit 1 with findings")
clean = c.write("clean.txt", "标题: 测试\n\n【工作部署】\n一段干净的文字。\n")
rc, out, _ = c.run("check", clean)
c.ok(rc == 0 and out == "0 findings in 1 file\n", f"check: nothing found exits 0 ({out!r})")
rc, doc, _ = run_json("check", clean, PASTED)
if doc and valid(doc, "check", "check, two files"):
    c.ok(rc == 1 and doc["summary"] == {"findings": 11, "files": 2, "failed": 0},
         "check json over two files")
rc, out, err = c.run("check", c.path("missing.txt"), clean)
c.ok(rc == 2 and "cannot read input" in err and
     out.endswith("0 findings in 2 files; 1 could not be checked (see the errors)\n"),
     f"check: an unreadable input exits 2, said in the summary ({out!r})")
rc, doc, _ = run_json("check", c.path("missing.txt"))
if doc and valid(doc, "check", "check, a missing file"):
    c.eq(doc["summary"]["failed"], 1, "check json: the failed input counted")
# --strict makes findings errors: the level says so
rc, doc, _ = run_json("check", PASTED, "--strict")
if doc and valid(doc, "check", "check --strict"):
    c.ok(all(f["level"] == "error" for f in doc["findings"]), "check --strict: findings are errors")
    # ... but the file was checked: counted as findings, exit 1 as without --strict
    c.ok(rc == 1 and doc["summary"] == {"findings": 11, "files": 1, "failed": 0},
         f"check --strict: findings counted, none failed, exit 1 ({rc}, {doc['summary']})")
rc, out, _ = c.run("check", PASTED, "--strict")
c.ok(rc == 1 and out.endswith("\n11 findings in 1 file\n"),
     f"check --strict: the summary counts the findings ({rc}, {out[-60:]!r})")
rc, out, _ = c.run("check", clean, "--strict")
c.ok(rc == 0 and out == "0 findings in 1 file\n", f"check --strict: nothing found exits 0 ({out!r})")
# }=====

# {===== dump, plugins, layout, fonts =====
for src in (SEED, PASTED, "examples/photo-bulletin.txt", "examples/docs/input-format-tables.txt"):
    rc, doc, _ = run_json("dump", src)
    if doc and valid(doc, "dump", f"dump {src}"):
        _, tree, _ = c.run("dump", src)
        def count(nodes):
            return sum(1 + count(n.get("children", [])) for n in nodes
                       if n["type"] not in ("row", "cell"))
        c.eq(count(doc["nodes"]), sum(1 for ln in tree.splitlines()
                                      if not re.match(r"^\s*(row|head) ", ln)),
             f"dump {src}: the JSON has the text dump's nodes")
rc, doc, _ = run_json("dump", "examples/docs/input-format-tables.txt")
tables = [n for s in doc["nodes"] for n in s.get("children", []) if n["type"] == "table"] if doc else []
c.ok(tables and all(r["type"] == "row" and all(x["type"] == "cell" for x in r["children"])
                    for r in tables[0]["children"]), "dump json: a table's rows and cells")
rc, doc, _ = run_json("plugins")
if doc and valid(doc, "plugins", "plugins"):
    c.ok(any(t["match"] is None for t in doc["section_types"]) and
         any(l["name"] == "yongzhou/daoxian" for l in doc["layouts"]) and
         any(r["name"] == "punctuation" for r in doc["rules"]), "plugins json: types, layouts, rules")
rc, doc, _ = run_json("plugins", "examples/docs/data-report.txt")
if doc and valid(doc, "plugins", "plugins with a local folder"):
    c.ok(doc["folders"][-1] == "examples/docs/plugins" and
         any(t["file"].endswith("data_report.lua") for t in doc["section_types"]),
         f"plugins json: the folder beside the input comes last ({doc['folders']})")
for name in ("gbt9704", "yongzhou/daoxian"):
    rc, doc, _ = run_json("layout", name)
    if doc and valid(doc, "layout", f"layout {name}"):
        _, txt, _ = c.run("layout", name)
        values = {v["path"]: v for v in doc["values"]}
        c.eq(len(doc["values"]), len(txt.splitlines()) - 1, f"layout {name}: a value a line")
        c.ok(values["page.left"]["type"] == "number" and values["page.left"]["file"].endswith(".lua"),
             f"layout {name}: page.left with its file")
rc, doc, _ = run_json("layout", "yongzhou/daoxian")
c.ok(doc and any(v["file"].endswith("daoxian.lua") for v in doc["values"]) and
     any(v["file"].endswith("gbt9704.lua") for v in doc["values"]),
     "layout json: provenance of a derived layout")
rc, doc, _ = run_json("fonts")
if doc and valid(doc, "fonts", "fonts"):
    c.ok({r["role"] for r in doc["roles"]} >= {"fangsong", "hei", "kai", "song", "xbs", "fallback"}
         and "installed" not in doc, "fonts json: every role of roles.conf")
rc, doc, _ = run_json("fonts", "--all")
if doc and valid(doc, "fonts", "fonts --all"):
    wqy = [f for f in doc["installed"] if "WenQuanYi Zen Hei" in f["names"]]
    c.ok(wqy and set(wqy[0]["roles"]) >= {"hei", "fallback"} and "文泉驿正黑" in wqy[0]["names"],
         f"fonts --all: WenQuanYi Zen Hei, with its Chinese name, can fill hei and fallback ({wqy})")
rc, out, _ = c.run("fonts", "--all")
c.ok(rc == 0 and re.search(r"^  WenQuanYi Zen Hei, .*文泉驿正黑: hei fallback$", out, re.M) and
     "(no role names it)" in out, "fonts --all: text lists families and their roles")
rc, out, err = c.run("fonts", SEED, "--format", "json")
c.ok(rc == 2 and out == "" and "lists the roles only" in err, "fonts INPUT --format json exits 2, prints nothing")
rc, _, err = c.run("dump", SEED, "--format", "yaml")
c.ok(rc == 2 and "the formats are text and json" in err, "an unknown --format exits 2")
# }=====

# {===== plugins: columns line up by display width (a Han character takes two columns) =====
def width(s):
    return sum(2 if re.match(r"[\u3000-\u9fff\uff00-\uff60]", ch) else 1 for ch in s)


rc, out, _ = c.run("plugins")
rows = [ln for ln in out.splitlines() if ln.startswith("  ") and "sections/" in ln]
starts = {width(ln[:ln.index("/")]) for ln in rows}
c.ok(len(rows) >= 4 and len(starts) == 1, f"plugins: the file column starts at one column ({starts})")
matches = {width(ln[:ln.index(m)]) for ln in rows for m in (re.search(r"\^|\(default\)", ln).group(),)}
c.ok(len(matches) == 1, f"plugins: the match column starts at one column ({matches})")
# }=====

# {===== standard input and output =====
with open(SEED, "rb") as f:
    seed = f.read()
ref = c.path("ref.pdf")
c.run("build", SEED, "-o", ref)
with open(ref, "rb") as f:
    ref_bytes = f.read()
r = subprocess.run([c.gongwen, "build", "-", "-o", "-"], input=seed, capture_output=True, cwd=c.work)
c.ok(r.returncode == 0 and r.stdout == ref_bytes and not os.path.exists(c.path("-")),
     "build - -o -: the PDF on stdout, the same bytes as a file build; no file named -")
r = subprocess.run([c.gongwen, "build", "-"], input=seed, capture_output=True, cwd=c.work)
c.ok(r.returncode == 0 and r.stdout == ref_bytes, "build - writes to stdout by default")
r = subprocess.run([c.gongwen, "build", os.path.abspath(SEED), "-o", "-"], capture_output=True,
                   cwd=c.work)
c.ok(r.returncode == 0 and r.stdout.startswith(b"%PDF-") and r.stdout == ref_bytes and
     not os.path.exists(c.path("-")), "build FILE -o -: the PDF on stdout")
out = c.path("from-stdin.pdf")
r = subprocess.run([c.gongwen, "build", "-", "-o", out], input=seed, capture_output=True)
c.ok(r.returncode == 0 and r.stdout.decode() == out + "\n" and open(out, "rb").read() == ref_bytes,
     "build - -o FILE")
bad = "标题: 测试\n\n【工作部署\n一段。\n".encode()
late = "标题: 测试\n\n【工作部署】\n一段𠀀。\n".encode()  # fails late: --strict, no font has 𠀀
r = subprocess.run([c.gongwen, "build", "-", "-o", "-", "--strict"], input=late, capture_output=True)
c.ok(r.returncode == 1 and r.stdout == b"" and
     b"build failed; standard output was not written" in r.stderr,
     f"a build failing after layout writes nothing to stdout ({r.stderr[-300:]!r})")
r = subprocess.run([c.gongwen, "build", "-", "-o", "-"], input=bad, capture_output=True)
c.ok(r.returncode == 1 and r.stdout == b"" and b"<stdin>:3:1: error:" in r.stderr,
     f"a failed build writes nothing to stdout; errors name <stdin> ({r.stderr[-200:]!r})")
r = subprocess.run([c.gongwen, "dump", "-"], input=seed, capture_output=True)
_, tree, _ = c.run("dump", SEED)
c.ok(r.returncode == 0 and r.stdout.decode() == tree, "dump - reads stdin")
r = subprocess.run([c.gongwen, "check", "-"], input=open(PASTED, "rb").read(), capture_output=True)
c.ok(r.returncode == 1 and r.stdout.decode().startswith("<stdin>:1:5: warning[fullwidth-alnum]"),
     "check - names <stdin>")
r = subprocess.run([c.gongwen, "fix", "-"], input=open(PASTED, "rb").read(), capture_output=True)
_, fixed, _ = c.run("fix", PASTED)
c.ok(r.returncode == 0 and r.stdout.decode() == fixed, "fix - reads stdin")
r = subprocess.run([c.gongwen, "build", "-", "-", "-o", c.work], input=seed, capture_output=True)
c.ok(r.returncode == 2 and b"can be read only once" in r.stderr, "- twice exits 2")
# }=====

# {===== fix --diff =====
work = c.path("diff.txt")
shutil.copy(PASTED, work)
before = open(work, "rb").read()
rc, diff, _ = c.run("fix", "--diff", work)
c.ok(rc == 0 and diff.startswith(f"--- {work}\n+++ {work}\n@@ -1,") and open(work, "rb").read() == before,
     "fix --diff: a unified diff; the input untouched")
rc, want, _ = c.run("fix", work)
r = subprocess.run(["patch", "-p0", "-s", "-o", c.path("patched.txt"), work], input=diff,
                   capture_output=True, text=True)
c.ok(r.returncode == 0 and open(c.path("patched.txt"), encoding="utf-8").read() == want,
     f"fix --diff: patch turns the input into what fix writes ({r.stderr[:200]!r})")
r = subprocess.run(["diff", "-u", work, c.path("patched.txt")], capture_output=True, text=True)
c.eq(diff.split("\n", 2)[2], r.stdout.split("\n", 2)[2], "fix --diff: the hunks diff -u prints")
rc, diff, _ = c.run("fix", "--diff", clean)
c.ok(rc == 0 and diff == "", "fix --diff on a clean text prints nothing")
rc, _, err = c.run("fix", "--diff", "--in-place", work)
c.ok(rc == 2 and "usage: gongwen fix" in err, "fix --diff with --in-place exits 2")
# }=====

# {===== bytes that are not UTF-8 (a plugin's message or value, a file name) =====
# become U+FFFD, one for each maximal subpart (Unicode §3.9, as Python's "replace"
# decodes), and controls are escaped: the output is valid JSON, parsed strictly here
BAD = [b"\xff\xfe", b"\xed\xa0\x80", b"\xe4\xb8", b"\xf0\x9f\x98", b"\xc0\xaf", b"\xe0\x80\xaf",
       b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x80\xbf", b"\xe4\xb8\xad", b"\x01\x1f\x7f",
       b"\"\\", b"\xf0\x9f\x98\x80", b"\xe4\xb8\xe4\xb8\xad\xed\xbf\xbf"]
lua_bytes = "".join("".join(f"\\x{b:02x}" for b in bad) + " | " for bad in BAD)
want = "".join(bad.decode("utf-8", "replace") + " | " for bad in BAD)
badp = c.path("badbytes")
c.write("badbytes/rules/foreign.lua",
        'return { api = 1, name = "foreign", rules = { { id = "bad-bytes", pattern = [[防汛]],\n'
        f'   flag = true, message = "{lua_bytes}" }} }} }}\n')
c.write("badbytes/layouts/badbytes.lua",
        f'return {{ api = 1, base = "gbt9704", name = "badbytes", description = "{lua_bytes}",\n'
        '   masthead = { body_gap = 0/0, line_gap = 1/0 } }\n')
with open(os.path.join(badp, "layouts").encode() + b"/x\xff\xfey.lua", "wb") as f:
    f.write(b'return { api = 1, base = "gbt9704", name = "xy" }\n')


def strict_json(*args):
    r = subprocess.run([c.gongwen, *args, "--plugin-path", badp, "--format", "json"],
                       capture_output=True)
    try:
        return r.returncode, json.loads(r.stdout.decode("utf-8"))
    except ValueError as e:
        c.ok(False, f"{args[0]}: strict UTF-8 JSON whatever the bytes ({e}; {r.stdout[-200:]!r})")
        return r.returncode, None


rc, doc = strict_json("check", "examples/docs/minimal.txt")
if doc and valid(doc, "check", "check with a message not in UTF-8"):
    got = [f["message"] for f in doc["findings"] if f["rule"] == "bad-bytes"]
    c.ok(got and got[0].startswith(want),
         f"check json: the message's bytes as U+FFFD, controls escaped ({got[:1]!r} vs {want!r})")
rc, doc = strict_json("layout", "badbytes")
if doc and valid(doc, "layout", "layout with a value not in UTF-8"):
    vals = {v["path"]: v["value"] for v in doc["values"]}
    c.eq(vals.get("description"), want, "layout json: a string value's bytes as U+FFFD")
    c.eq((vals.get("masthead.body_gap", 0), vals.get("masthead.line_gap", 0)), (None, None),
         "layout json: nan and inf are null (JSON has no word for them)")
rc, doc = strict_json("plugins")
if doc and valid(doc, "plugins", "plugins with a file name not in UTF-8"):
    c.ok("x\ufffd\ufffdy" in [e["name"] for e in doc["layouts"]],
         f"plugins json: a file name's bytes as U+FFFD ({[e['name'] for e in doc['layouts']]})")

# {===== exit codes (docs/cli.md) and the usage synopsis =====
c.eq(c.run("build", SEED, "-o", c.path("ok.pdf"))[0], 0, "exit 0: built")
c.eq(c.run("build", c.write("bad.txt", "【工作部署\n一段。\n"), "-o", c.path("bad.pdf"))[0], 1,
     "exit 1: a build failed")
c.eq(c.run("build")[0], 2, "exit 2: build without an input")
c.eq(c.run("build", SEED, "--frobnicate")[0], 2, "exit 2: an unknown option")
c.eq(c.run("frobnicate")[0], 2, "exit 2: an unknown command")
c.eq(c.run("layout")[0], 2, "exit 2: layout without a name")
c.eq(c.run("layout", "nosuchlayout")[0], 1, "exit 1: a layout that does not exist")
c.eq(c.run("dump", c.path("missing.txt"))[0], 1, "exit 1: dump of a missing file")
c.eq(c.run("build", SEED, "-o")[0], 2, "exit 2: -o without a value")
rc, usage, _ = c.run("--help")
for opt in ("-o", "-j", "--layout", "--plugin-path", "--strict", "--lossy", "--explain", "--trace",
            "--timings", "--format", "--in-place", "--no-backup", "--diff", "--all", "watch",
            "check", "fix", "fonts", "plugins", "layout", "dump", "--version"):
    synopsis = usage.split("\n\n")[0]
    c.ok(re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", synopsis),
         f"the usage synopsis lists {opt}")
# }=====
c.done()
