"""End to end: the font lookup cache (docs/fonts.md § The font lookup cache)
under concurrent builds and when damaged. Several processes building at once
against one empty cache all write the same bytes, leave one whole cache and
no temporary files; a cache file that is cut short, garbage, foreign, of an
older format, not a regular file, or sealed but lying about a family is
ignored or corrected, and the build still writes the same bytes."""
import hashlib
import os
import re
import subprocess

from pdfcheck import Checker

c = Checker()
DOC = c.write("doc.txt", "标题：关于字体查找缓存的通知\n发文字号：测试〔2026〕1号\n\n"
              "【工作部署】\n一、总体要求\n正文用仿宋，**加粗**与*楷体*，Latin 123。\n"
              "（一）分项\n生僻字䶮与𠀀交给后备字体。\n")
ROUNDS, PROCS = 3, 6


def env_for(cache_file):
    return dict(os.environ, GONGWEN_FONT_CACHE=cache_file, SOURCE_DATE_EPOCH="1709164800")


def build(out, cache_file, timings=False):
    """Build DOC to out with the cache at cache_file: (exit code, lookups (cached, asked))."""
    args = [c.gongwen, "build", DOC, "-o", out] + (["--timings"] if timings else [])
    r = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env_for(cache_file))
    m = re.search(r"\((\d+) lookups cached, (\d+) asked fontconfig\)", r.stderr)
    return r.returncode, (int(m.group(1)), int(m.group(2))) if m else None


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# the reference: no cache at all
ref_pdf = c.path("ref.pdf")
rc, _ = build(ref_pdf, "off")
c.eq(rc, 0, "the reference builds without a cache")
REF = digest(ref_pdf)

# N processes at once against one empty cache, several rounds
same = total = 0
for r in range(ROUNDS):
    folder = c.path(f"round{r}")
    os.makedirs(folder)
    cache = os.path.join(folder, "fonts.cache")
    procs = [subprocess.Popen([c.gongwen, "build", DOC, "-o", os.path.join(folder, f"{i}.pdf")],
                              env=env_for(cache), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for i in range(PROCS)]
    codes = [p.wait(timeout=300) for p in procs]
    for p in procs:
        p.stderr.close()
    c.eq(codes, [0] * PROCS, f"round {r}: every concurrent build succeeds")
    for i in range(PROCS):
        total += 1
        same += os.path.exists(os.path.join(folder, f"{i}.pdf")) and \
            digest(os.path.join(folder, f"{i}.pdf")) == REF
    c.eq(sorted(os.listdir(folder)), sorted([f"{i}.pdf" for i in range(PROCS)] + ["fonts.cache"]),
         f"round {r}: one cache file and no temporary files left")
    rc, lk = build(os.path.join(folder, "after.pdf"), cache, timings=True)
    c.ok(rc == 0 and lk and lk[0] > 0 and lk[1] == 0,
         f"round {r}: the cache the racing builds left answers every lookup ({lk})")
print(f"concurrency: {ROUNDS} rounds x {PROCS} processes, {same} of {total} PDFs identical "
      "to the uncached build")
c.eq(same, total, "every concurrently built PDF is byte-identical to the uncached one")

# a good cache to damage
GOOD = c.path("good.cache")
rc, lk = build(c.path("fill.pdf"), GOOD, timings=True)
c.ok(rc == 0 and lk and lk[1] > 0, f"an empty cache is filled ({lk})")
with open(GOOD, "rb") as f:
    good = f.read()
c.ok(re.search(rb"\nend \d+ [0-9a-f]{16}\n\Z", good), "the cache file ends with its seal")
body = good[:good.rindex(b"\nend ") + 1]


def sealed(data):
    """data with the seal cache_save would give it (64-bit FNV-1a, gw_cache.c)."""
    h = 14695981039346656037
    for b in data:
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return data + b"end %d %016x\n" % (len(data), h)


c.eq(sealed(body), good, "the seal is the length and FNV-1a hash of what it follows")
found = re.search(rb"^f 0 ([^\t\n]+)\t(/[^\n]+)$", body, re.M)
missing = re.search(rb"^f -1 ([^\t\n]+)\t$", body, re.M)
c.ok(found and missing, "the cache holds a found and a missing family")
first_line, rest = body.split(b"\n", 1)
cases = [
    ("empty", b""),
    ("cut after one byte", good[:1]),
    ("cut in half", good[:len(good) // 2]),
    ("cut before the seal", body),
    ("seal without its newline", good[:-1]),
    ("seal of other bytes", body.replace(b"\nf ", b"\nf  ", 1) + good[len(body):]),
    ("appended to", good + b"f 0 SimHei\t/etc/passwd\n"),
    ("garbage", bytes((i * 151 + 7) % 256 for i in range(5000))),
    ("older format", b"gongwen-font-cache 2 0.1.0\n" + rest),
    ("foreign magic", sealed(b"not-gongwen 3\n" + rest)),
    ("NUL byte", sealed(body.replace(b"\nf ", b"\nf\0", 1))),
    ("no stamps", sealed(b"\n".join(l for l in body.split(b"\n") if not l.startswith(b"s "))
                         )),
    ("stamp of a changed folder", sealed(re.sub(rb"^s (\d+) ", rb"s 1\1 ", body, 1, re.M))),
    ("answer index out of range", sealed(body.replace(b"f 0 ", b"f 70000 ", 1))),
    ("relative font path", sealed(body.replace(b"\t/", b"\tusr/", 1))),
    ("family twice", sealed(body + b"f -1 " + found.group(1) + b"\t\n")),
    ("too large", sealed(body + b"f -1 x\t\n" * 150000)),
    # sealed and well formed, but lying: a missing family said to be installed (as another
    # family's file), a found one said to be /etc/passwd; fontconfig is asked and the lie fixed
    ("a lie, sealed", sealed(body.replace(b"f -1 " + missing.group(1) + b"\t\n",
                                          b"f 0 " + missing.group(1) + b"\t" + found.group(2)
                                          + b"\n").replace(b"\t" + found.group(2) + b"\n",
                                                           b"\t/etc/passwd\n", 1))),
]
tested = 0
for name, data in cases:
    cache = c.path(f"bad-{tested}.cache")
    with open(cache, "wb") as f:
        f.write(data)
    out = c.path(f"bad-{tested}.pdf")
    rc, lk = build(out, cache, timings=True)
    c.ok(rc == 0 and digest(out) == REF, f"{name}: the build writes the same bytes ({lk})")
    c.ok(lk and lk[1] > 0, f"{name}: the damaged cache is not trusted: fontconfig is asked ({lk})")
    rc, lk = build(out, cache, timings=True)
    c.ok(rc == 0 and lk and lk[1] == 0 and digest(out) == REF,
         f"{name}: the cache is rewritten whole and answers the next build ({lk})")
    tested += 1
# not a regular file: a folder (cannot be replaced) and a FIFO (must not block the read)
for name, make in (("a folder", os.mkdir), ("a FIFO", os.mkfifo)):
    cache = c.path(f"bad-{tested}.cache")
    make(cache)
    out = c.path(f"bad-{tested}.pdf")
    rc, lk = build(out, cache, timings=True)
    c.ok(rc == 0 and digest(out) == REF and lk and lk[1] > 0,
         f"{name} in the cache's place is ignored ({lk})")
    tested += 1
print(f"corruption: {tested} damaged caches tested")
c.done()
