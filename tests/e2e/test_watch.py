"""End to end: `gongwen watch` (issue 24, part 3). It builds, then builds again
when the input is saved (written in place or renamed over, as editors do), when
an image it names changes, when a plugin file (a layout, a section type, a rule
set) or fonts/roles.conf changes; a failed build prints its diagnostics and
keeps the last good PDF; unrelated files (its own PDF, other texts) start no
build; SIGTERM ends it. Times are not asserted here (scripts/bench measures
them)."""
import os
import queue
import shutil
import signal
import subprocess
import threading
import time

from pdfcheck import Checker, text

c = Checker()
home = c.path("home")  # a GONGWEN_HOME of its own: plugins linked, fonts/roles.conf copied
os.makedirs(os.path.join(home, "fonts"))
shutil.copytree("plugins", os.path.join(home, "plugins"))
shutil.copy("fonts/roles.conf", os.path.join(home, "fonts/roles.conf"))
doc = c.write("doc/notice.txt", "标题: 测试专报\n\n【工作部署】\n第一段。\n")
shutil.copy("examples/photos/site.png", c.path("doc/site.png"))
pdf = c.path("doc/notice.pdf")
extra = c.path("extra")
os.makedirs(os.path.join(extra, "layouts"))

env = dict(os.environ, GONGWEN_HOME=home)
proc = subprocess.Popen([c.gongwen, "watch", doc, "--plugin-path", extra], stderr=subprocess.PIPE,
                        stdout=subprocess.PIPE, text=True, env=env)
lines = queue.Queue()
threading.Thread(target=lambda: [lines.put(ln) for ln in proc.stderr], daemon=True).start()


def wait_for(word, seconds=60):
    """The stderr lines up to the first holding word (None if none came in time: the wall
    clock here is only a backstop against a watch that never says it, generous for a loaded
    machine, as the line ends the wait)."""
    seen, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            ln = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(ln)
        if word in ln:
            return seen
    return None


def quiet(seconds=0.5):
    """No build started within seconds."""
    time.sleep(seconds)
    said = []
    while not lines.empty():
        said.append(lines.get())
    return not any("watch: built" in ln or "watch: the build failed" in ln for ln in said)


def save(path, body, rename=False):
    if rename:  # an editor's save: a new file renamed over the old
        with open(path + ".new", "w", encoding="utf-8") as f:
            f.write(body)
        os.rename(path + ".new", path)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(body)


import re
said = wait_for("watching")
c.ok(said and re.fullmatch(rf"gongwen: watch: built {re.escape(pdf)} in \d+\.\d ms\n", said[-2]) and
     os.path.exists(pdf), f"watch: the first build, as docs/cli.md shows it ({said})")
save(doc, "标题: 测试专报\n\n【工作部署】\n第二段文字。\n")
c.ok(wait_for("watch: built") and "第二段文字" in text(pdf)[0], "a save in place rebuilds")
save(doc, "标题: 测试专报\n\n【工作部署】\n第三段文字。\n", rename=True)
c.ok(wait_for("watch: built") and "第三段文字" in text(pdf)[0], "a save by rename rebuilds")

good = open(pdf, "rb").read()
save(doc, "标题: 测试专报\n\n【工作部署\n第四段。\n")
said = wait_for("watch: the build failed")
c.ok(said and any(f"{doc}:3:1: error: section heading has no closing" in ln for ln in said) and
     said[-1] == f"gongwen: watch: the build failed; {pdf} keeps the last good PDF\n",
     f"a failed build prints its diagnostics ({said})")
c.eq(open(pdf, "rb").read(), good, "a failed build keeps the last good PDF")
save(doc, "标题: 测试专报\n\n【工作部署】\n第五段。\n![现场](site.png)\n")
c.ok(wait_for("watch: built") and "第五段" in text(pdf)[0], "the next good build replaces it")

# an image the text names, a layout, a section type, a rule set, roles.conf
before = os.stat(pdf).st_mtime_ns
shutil.copy("examples/photos/site.png", c.path("doc/site.png"))
c.ok(wait_for("watch: built") and os.stat(pdf).st_mtime_ns != before, "an image's change rebuilds")
for path in (os.path.join(extra, "layouts", "mine.lua"),
             os.path.join(home, "plugins/sections/default.lua"),
             os.path.join(home, "plugins/rules/spacing.lua"),
             os.path.join(home, "plugins/layouts/yongzhou/daoxian.lua"),
             os.path.join(home, "fonts/roles.conf")):
    body = open(path, encoding="utf-8").read() if os.path.exists(path) else \
        'return { api = 1, base = "gbt9704" }\n'
    save(path, body + "\n")
    c.ok(wait_for("watch: built") is not None, f"a change of {os.path.relpath(path, c.work)} rebuilds")
# files the build does not read start nothing
c.write("doc/other.txt", "另一个文件。\n")
c.write("doc/notes.md", "x\n")
c.ok(quiet(), "files the build does not read start no build (nor does its own PDF)")

proc.send_signal(signal.SIGTERM)
try:
    proc.wait(timeout=60)  # a backstop: the exit ends the wait
except subprocess.TimeoutExpired:
    proc.kill()
c.ok(proc.returncode == -signal.SIGTERM, f"SIGTERM ends the watch ({proc.returncode})")
c.eq(sorted(n for n in os.listdir(c.path("doc")) if ".tmp" in n), [], "no temporary left")
rc, _, err = c.run("watch")
c.ok(rc == 2 and "usage: gongwen watch" in err, "watch without an input exits 2")
rc, _, err = c.run("watch", "-")
c.ok(rc == 2, "watch - (stdin) exits 2")
c.done()
