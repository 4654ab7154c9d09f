"""Every system file a test names comes from a package `scripts/setup --tests` installs.

A test that opens a font or data file which only the developer's machine has
passes there and fails on a fresh one. This check reads the tests' sources for
absolute paths under /usr (C string literals joined to a macro that holds a
folder, as `FONTS "cwtex/cwfs.ttf"`, count too), asks `dpkg -S` which package
owns each, and fails for a file that is missing or whose package is not in the
set-up's list (`scripts/setup --tests --list`).

Run by ctest from the repository root; ends with `N passed, N failed`.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = ["tests/unit/*.c", "tests/unit/*.h", "tests/unit/*.sh", "tests/e2e/*.py",
           "tests/fuzz/*.c", "tests/fuzz/*.py", "tests/*.py"]
# executables are found on PATH by name; the check is for data the tests open
SKIP = ("/usr/bin/", "/usr/sbin/", "/usr/local/")
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
DEFINE = re.compile(r'^\s*#\s*define\s+(\w+)\s+"([^"]*)"', re.M)


def paths_in(text):
    """Absolute /usr paths named in one source file."""
    macros = dict(DEFINE.findall(text))
    found = set()
    for m in LITERAL.finditer(text):
        value = m.group(1)
        # a C literal after a macro that names a folder: FONTS "x/y.ttf"
        before = text[max(0, m.start() - 64):m.start()].rstrip()
        word = re.search(r"(\w+)$", before)
        if word and word.group(1) in macros and not value.startswith("/"):
            value = macros[word.group(1)] + value
        if value.startswith("/usr/") and not value.endswith("/"):
            found.add(value)
    return found


def main():
    listed = subprocess.run([os.path.join(ROOT, "scripts", "setup"), "--tests", "--list"],
                            capture_output=True, text=True, check=True).stdout.split()
    named = {}
    for pattern in SOURCES:
        for src in sorted(glob.glob(os.path.join(ROOT, pattern))):
            with open(src, encoding="utf-8") as f:
                for p in paths_in(f.read()):
                    named.setdefault(p, os.path.relpath(src, ROOT))
    passed = failed = 0
    for path, src in sorted(named.items()):
        if path.startswith(SKIP):
            continue
        if not os.path.exists(path):
            print(f"FAIL: {src} names {path}, which is not on this machine")
            failed += 1
            continue
        r = subprocess.run(["dpkg", "-S", os.path.realpath(path)], capture_output=True,
                           text=True)
        owners = set()
        for line in r.stdout.splitlines():
            owners.update(o.strip().split(":")[0] for o in line.split(": ")[0].split(","))
        if owners & set(listed):
            passed += 1
        else:
            why = f"package {', '.join(sorted(owners))}" if owners else "no package"
            print(f"FAIL: {src} names {path}, from {why}, which scripts/setup --tests "
                  "does not install")
            failed += 1
    if passed + failed == 0:
        print("FAIL: no system file found in the tests' sources (the scan is broken)")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
