"""End to end: every example builds to the same bytes as recorded in tests/golden/examples.sha256.

The record was made before the plugin host was split into its rooms, so a
refactoring that changes a single byte of any example's PDF fails here. The
builds set SOURCE_DATE_EPOCH, so the creation date is fixed and the PDFs are
byte-for-byte reproducible (libharu writes no /ID). Each example is built with
one thread and with two, which must agree too.

A change that is meant to alter the output records the new hashes with
    python3 tests/e2e/test_golden.py build/gongwen /tmp/golden --update
and says so in its commit message.
"""
import glob
import hashlib
import os
import sys

from pdfcheck import Checker

RECORD = "tests/golden/examples.sha256"
update = "--update" in sys.argv
if update:
    sys.argv.remove("--update")
c = Checker()
env = dict(os.environ, SOURCE_DATE_EPOCH="1709164800")  # 2024-02-29

examples = sorted(p for p in glob.glob("examples/**/*.txt", recursive=True))
c.ok(len(examples) >= 10, f"examples found ({len(examples)})")


def built(src, workers):
    out = c.path(src.replace("/", "_") + f".{workers}.pdf")
    rc, _, err = c.run("build", src, "-o", out, env=dict(env, GONGWEN_THREADS=workers))
    if not c.ok(rc == 0, f"{src} builds ({err.strip()})"):
        return None
    with open(out, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


now = {}
for src in examples:
    one, two = built(src, "1"), built(src, "2")
    c.eq(one, two, f"{src}: one thread and two give the same bytes")
    now[src] = two

if update:
    os.makedirs(os.path.dirname(RECORD), exist_ok=True)
    with open(RECORD, "w", encoding="utf-8") as f:
        for src, h in now.items():
            f.write(f"{h}  {src}\n")
    print(f"recorded {len(now)} hashes in {RECORD}")
else:
    with open(RECORD, encoding="utf-8") as f:
        recorded = dict(reversed(line.split()) for line in f if line.strip())
    c.eq(sorted(recorded), sorted(now), "the record names every example and no other")
    for src, h in now.items():
        c.eq(h, recorded.get(src), f"{src}: PDF bytes as recorded")
c.done()
