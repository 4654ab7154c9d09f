"""Helpers for gongwen's end-to-end tests: build documents with the CLI and
inspect the PDFs with poppler-utils and qpdf (Python standard library only).

Each test script is run by ctest as `python3 test_x.py GONGWEN WORKDIR` from
the repository root and ends with the line `N passed, N failed`.
"""
import os
import re
import resource
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

MM = 72 / 25.4
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# format-spec §4.2: never at a line start / never at a line end
NO_START = set("、。，；：？！”’）〕】》〉」』〗］｝·～%)]},.;:?!")
NO_END = set("“‘（〔【《〈「『〖［｛([{")
# The one note a build set in stand-in faces prints (Fandol, for want of the licensed GB
# fonts: docs/fonts.md). Every default build on a machine without those fonts prints it,
# so Checker.run takes it out of stderr, and a test's "no diagnostics" means none beyond
# it; test_fonts.py checks the note itself.
STANDIN_NOTE = re.compile(r"^[^\n]*: note: set in stand-in fonts, since none of the wanted fonts "
                          r"is installed: [^\n]*\n", re.M)
# the sanitizer builds (ctest sets ASAN_OPTIONS there) take about five times the CPU
SLOW = 5 if "ASAN_OPTIONS" in os.environ else 1


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.gongwen = os.path.abspath(sys.argv[1])
        self.work = os.path.abspath(sys.argv[2])
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)

    def ok(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what, flush=True)
        return cond

    def eq(self, a, b, what):
        return self.ok(a == b, f"{what}: {a!r} != {b!r}")

    def done(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)

    def path(self, name):
        return os.path.join(self.work, name)

    def write(self, name, text, mode="w"):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            f.write(text)
        return p

    def run(self, *args, **kw):
        """Run gongwen; returns (exit code, stdout, stderr)."""
        r = subprocess.run([self.gongwen, *args], capture_output=True, text=True, timeout=120,
                           **kw)
        return r.returncode, r.stdout, STANDIN_NOTE.sub("", r.stderr)

    def run_bounded(self, *args, cpu=20, hang=None, stdin=None, env=None, cwd=None):
        """
        Run gongwen as a hostile input would: (exit code, stdout, stderr, CPU seconds, peak
        RSS in MB), both figures the kernel's count for the child (wait4). The bound is on
        the engine's own work, which a loaded machine (or ctest -j) does not stretch as it
        stretches the wall clock: `cpu` seconds of CPU, times SLOW in the sanitizer builds,
        set as the child's RLIMIT_CPU so that a runaway is stopped there. The caller checks
        the figures with `within`. The wall clock is a backstop against a hang that burns no
        CPU (a blocked read) and nothing else: `hang` seconds, by default a minute plus ten
        for each CPU second allowed (at most ten minutes). A run stopped by either has exit
        code None. Peak RSS is measured, not limited: an address-space limit would break
        the sanitizer builds, which reserve terabytes of shadow memory. `stdin` is bytes to
        write, or a file descriptor the child reads.
        """
        import signal
        import threading
        limit = cpu * SLOW
        hang = hang or min(600, 60 + 10 * limit)
        soft = int(limit) + 1

        fd = isinstance(stdin, int)
        p = subprocess.Popen([self.gongwen, *args],
                             stdin=stdin if fd else subprocess.PIPE if stdin is not None
                             else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
        try:  # set on the running child (a preexec_fn is not safe beside the reader threads)
            resource.prlimit(p.pid, resource.RLIMIT_CPU, (soft, soft + 1))  # SIGXCPU, SIGKILL
            resource.prlimit(p.pid, resource.RLIMIT_CORE, (0, 0))
        except ProcessLookupError:  # it has ended already
            pass
        got = {}

        def drain(name, f):
            got[name] = f.read()

        readers = [threading.Thread(target=drain, args=(n, f))
                   for n, f in (("out", p.stdout), ("err", p.stderr))]
        for t in readers:
            t.start()
        if stdin is not None and not fd:
            try:
                p.stdin.write(stdin)
                p.stdin.close()
            except BrokenPipeError:
                pass
        hung = threading.Event()
        killer = threading.Timer(hang, lambda: (hung.set(), p.kill()))
        killer.start()
        _, status, usage = os.wait4(p.pid, 0)
        killer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        for t in readers:
            t.join()
        self.cpu = usage.ru_utime + usage.ru_stime
        self.limit = limit
        self.hung = hung.is_set()
        # SIGXCPU: the CPU limit (its SIGKILL a second later: an exit code no check wants)
        stopped = self.hung or p.returncode == -signal.SIGXCPU
        return (None if stopped else p.returncode, got["out"].decode("utf-8", "replace"),
                STANDIN_NOTE.sub("", got["err"].decode("utf-8", "replace")), self.cpu,
                usage.ru_maxrss / 1024)

    def bounds(self, cpu, rss, limit=None, mb=2048):
        """A run_bounded run's figures against its bounds: (within them, what they were).
        Under `limit` CPU seconds (times SLOW; by default the run's own limit), under `mb`
        MB of peak RSS, and not stopped by the wall-clock backstop."""
        limit = self.limit if limit is None else limit * SLOW
        hung = " (stopped by the wall-clock backstop: a hang)" if self.hung else ""
        return (cpu < limit and rss < mb and not self.hung,
                f"{cpu:.2f} s of CPU (at most {limit:g}), peak RSS {rss:.0f} MB (at most {mb})"
                + hung)

    def within(self, what, cpu, rss, limit=None, mb=2048):
        """Check a run_bounded run's figures (bounds)."""
        ok, said = self.bounds(cpu, rss, limit, mb)
        return self.ok(ok, f"{what}: {said}")


def tool(*args):
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def text(pdf, first=None, last=None):
    args = ["pdftotext"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    rc, out, err = tool(*args, pdf, "-")
    return out, err


def han(s):
    return "".join(HAN.findall(s))


def fonts(pdf):
    """pdffonts rows as dicts: name, type, emb, sub, uni."""
    rc, out, err = tool("pdffonts", pdf)
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5],
                         "sub": parts[-4], "uni": parts[-3]})
    return rows, err


def pages(pdf):
    """[(width, height)] in pt for every page."""
    rc, out, err = tool("pdfinfo", "-f", "1", "-l", "9999", pdf)
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def lines(pdf):
    """Text lines per page from pdftotext -bbox-layout: [[(xMin,yMin,xMax,yMax,text)]]."""
    rc, out, err = tool("pdftotext", "-bbox-layout", pdf, "-")
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out)
    root = ET.fromstring(out)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    result = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        ls = []
        for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
            words = line.findall("x:word", ns)
            t = "".join((w.text or "") for w in words)
            ls.append((float(line.get("xMin")), float(line.get("yMin")),
                       float(line.get("xMax")), float(line.get("yMax")), t))
        result.append(ls)
    return result


def gridcheck(*pdfs):
    """scripts/gridcheck --json over the PDFs (run with the system python, which has
    python3-fitz): the grid figures and every body line with its glyph origins."""
    import json
    r = subprocess.run(["/usr/bin/python3", "scripts/gridcheck", "--json", *pdfs],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"scripts/gridcheck failed: {r.stderr.strip()[-400:]}")
    return json.loads(r.stdout)


def red_pixels(pdf, page=1, dpi=20):
    """Count strongly red pixels on a page rendered by pdftoppm."""
    base = pdf + f".p{page}"
    tool("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", pdf, base)
    with open(base + ".ppm", "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    px = data[m.end():]
    return sum(1 for i in range(0, len(px) - 2, 3)
               if px[i] > 180 and px[i + 1] < 90 and px[i + 2] < 90)


def body_line_tops(trace, top, bottom, size=16.0):
    """From `build --trace` output: the em-box tops (pt from the page top) of the
    body-size lines inside [top, bottom] on pages 2 on, as {page: sorted tops}."""
    tops, page = {}, 0
    for row in trace.splitlines():
        f = row.split("\t")
        if f[0] == "page":
            page = int(f[1])
        elif f[0] == "text" and float(f[2]) == size and page > 1:
            y = float(f[7]) - 0.88 * size
            if top - 1 <= y <= bottom:
                tops.setdefault(page, set()).add(round(y, 2))
    return {p: sorted(ys) for p, ys in sorted(tops.items())}


def stream(pdf, num):
    """An object's decoded stream data as text (latin-1: content streams carry binary strings)."""
    r = subprocess.run(["qpdf", f"--show-object={num}", "--filtered-stream-data", pdf],
                       capture_output=True, timeout=120)
    return r.stdout.decode("latin-1")


def rules(pdf):
    """Stroked horizontal lines per page, read from the content streams:
    [[(x0, x1, y_from_top, width)]]."""
    import json
    rc, out, err = tool("qpdf", "--json=2", "--json-key=pages", pdf)
    result = []
    for page in json.loads(out)["pages"]:
        h = 841.89
        lines_ = []
        for ref in page["contents"]:
            num = ref.split()[0]
            data = stream(pdf, num)
            width = 1.0
            for m in re.finditer(r"([\d.]+) w|([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", data):
                if m.group(1):
                    width = float(m.group(1))
                elif abs(float(m.group(3)) - float(m.group(5))) < 0.01:
                    lines_.append((float(m.group(2)), float(m.group(4)), h - float(m.group(3)),
                                   width))
        result.append(lines_)
    return result


def outline_titles(pdf):
    import json
    rc, out, err = tool("qpdf", "--json=2", "--json-key=outlines", pdf)
    return [o["title"] for o in json.loads(out)["outlines"]]


def info(pdf):
    rc, out, err = tool("pdfinfo", pdf)
    return dict(l.split(":", 1)[0:1] + [l.split(":", 1)[1].strip()] for l in out.splitlines()
                if ":" in l)
