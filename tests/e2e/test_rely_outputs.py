"""End to end: output files (the reliability issue's "Data loss" and "Errors
without a position" parts that concern outputs). Every input ends in a PDF or
in an error naming a file; nothing touches a file it was not asked to write.
Each reproducer asserts the exit code, the message with its position, the
CPU time and the peak memory the kernel counted for the run (the wall clock
only as a backstop against a hang)."""
import fcntl
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time

from pdfcheck import SLOW, STANDIN_NOTE, Checker

# a run killed while the full-disk case had its tmpfs mounted would leave the mount behind
subprocess.run(["umount", os.path.join(os.path.abspath(sys.argv[2]), "small")],
               capture_output=True)
c = Checker()
HEAD = "标题: 测试\n\n"
DOC = HEAD + "【工作部署】\n文字。\n"
OLD = b"%PDF-1.4 the previous good output\n"
MAX_MB = 2048
stderrs = []  # every message gongwen printed here: none may show a bare libharu status


def expect(what, args, rc, msg, cpu=5, env=None, cwd=None):
    """Run gongwen bounded; check exit code, message (with its position), CPU and memory."""
    got, out, err, secs, rss = c.run_bounded(*args, cpu=cpu, env=env, cwd=cwd)
    stderrs.append(err)
    c.ok(got == rc and msg in err, f"{what}: exit {got} (want {rc}), {err.strip()[:400]!r}")
    c.within(what, secs, rss, mb=MAX_MB)
    return out, err


def read(p):
    try:
        with open(p, "rb") as f:
            return f.read()
    except OSError as e:
        return repr(e).encode()


def fresh(name, text=DOC):
    p = c.path(name)
    if os.path.lexists(p):
        os.unlink(p)
    return c.write(name, text)


# 1. an output that is an input of the run is refused, whichever path names it
src = fresh("in.txt")
expect("-o the input", ["build", src, "-o", src], 1,
       f"{src}: error: cannot write {src}: it is the input file itself")
c.eq(read(src), DOC.encode(), "the input named by -o is unchanged")
notes = fresh("notes.pdf")  # a text input named .pdf: its default output is itself
expect("default output = input", ["build", notes], 1,
       f"{notes}: error: cannot write {notes}: it is the input file itself")
c.eq(read(notes), DOC.encode(), "notes.pdf is unchanged")
src = fresh("in.txt")
os.symlink("in.txt", c.path("link.pdf"))
expect("-o a symlink to the input", ["build", src, "-o", c.path("link.pdf")], 1,
       f"{src}: error: cannot write {c.path('link.pdf')}: it is the input file itself")
src = fresh("in.txt")
os.link(src, c.path("hard.pdf"))
expect("-o a hard link to the input", ["build", src, "-o", c.path("hard.pdf")], 1,
       f"{src}: error: cannot write {c.path('hard.pdf')}: it is the input file itself")
c.eq(read(src), DOC.encode(), "the input behind the links is unchanged")
src = fresh("in.txt")
x_txt, x_pdf = fresh("x.txt"), fresh("x.pdf")  # x.txt's output is the run's other input
expect("output = another input", ["build", x_txt, x_pdf], 1,
       f"{x_txt}: error: cannot write {x_pdf}: it is the input {x_pdf} of this run")
c.eq(read(x_pdf), DOC.encode(), "the other input is unchanged")
expect("fix -o the input", ["fix", src, "-o", src], 1,
       f"{src}: error: cannot write {src}: it is the input file itself")

# 2. an existing output that is not a regular file is never replaced; symlinks are written through
src = fresh("in.txt")  # each part starts from a good input, so that each reproducer stands alone
os.mkfifo(c.path("fifo"))
expect("-o a FIFO", ["build", src, "-o", c.path("fifo")], 1,
       f"{src}: error: cannot write {c.path('fifo')}: it is a FIFO (named pipe), not a regular file")
c.ok(stat.S_ISFIFO(os.lstat(c.path("fifo")).st_mode), "the FIFO is still a FIFO")
if os.geteuid() == 0:  # as root, -o /dev/null replaced /dev/null: a node of our own stands in
    null = c.path("null")
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    expect("-o a device node", ["build", src, "-o", null], 1,
           f"{src}: error: cannot write {null}: it is a character device, not a regular file")
    c.ok(stat.S_ISCHR(os.lstat(null).st_mode), "the device node is still a device")
    os.symlink("null", c.path("null.pdf"))
    expect("-o a symlink to a device", ["build", src, "-o", c.path("null.pdf")], 1,
           f"{src}: error: cannot write {c.path('null.pdf')}: it is a character device, not a "
           "regular file")
expect("fix -o a FIFO", ["fix", src, "-o", c.path("fifo")], 1,
       f"{src}: error: cannot write {c.path('fifo')}: it is a FIFO (named pipe), not a regular file")
with open(c.path("target.pdf"), "wb") as f:
    f.write(OLD)
os.chmod(c.path("target.pdf"), 0o640)
os.symlink("target.pdf", c.path("via.pdf"))
expect("-o a symlink to a PDF", ["build", src, "-o", c.path("via.pdf")], 0, "")
c.ok(os.path.islink(c.path("via.pdf")) and read(c.path("target.pdf")).startswith(b"%PDF-1.")
     and read(c.path("target.pdf")) != OLD, "the link stays; the file it names is the new PDF")
c.eq(stat.S_IMODE(os.stat(c.path("target.pdf")).st_mode), 0o640, "the replaced PDF keeps its mode")
os.symlink("made.pdf", c.path("dangling.pdf"))
expect("-o a dangling symlink", ["build", src, "-o", c.path("dangling.pdf")], 0, "")
c.ok(os.path.islink(c.path("dangling.pdf")) and read(c.path("made.pdf")).startswith(b"%PDF-1."),
     "a dangling link's target is made")

# 3. two inputs with one output name: refused before anything is built, naming both
src = fresh("in.txt")
a, b = fresh("a/x.txt"), fresh("b/x.txt")
os.makedirs(c.path("o"))
expect("batch name collision", ["build", a, b, "-o", c.path("o") + "/", "-j", "2"], 1,
       f"{b}: error: cannot write {c.path('o')}/x.pdf: it is also the output of {a}")
c.eq(os.listdir(c.path("o")), [], "nothing was built")
os.symlink("a", c.path("alias"))  # the same folder by another name: one output not yet made
alias = c.path("alias/x.txt")
expect("collision through a symlinked folder", ["build", a, alias], 1,
       f"{alias}: error: cannot write {c.path('alias/x.pdf')}: it is also the output of {a}")
c.ok(not os.path.exists(c.path("a/x.pdf")), "nothing was built")
expect("same input twice", ["build", src, src, "-o", c.path("o")], 1,
       f"{src}: error: cannot write {c.path('o')}/in.pdf: it is also the output of {src}")


# 4. interrupted builds leave no temporary, and never a partial or missing PDF
def big_doc(name, paragraphs):
    c.write("tiny/layouts/tiny.lua", 'return { api = 1, base = "gbt9704", grid = { lines = 1, '
            'widow = 1, orphan = 1 }, draw_masthead = function(m, h) end }\n')
    return c.write(name, HEAD + "【工作部署】\n" + "文。\n" * paragraphs)


def interrupt(what, sig, named, doc):
    """Start a build over an existing PDF, send sig while the new file is being written."""
    folder = c.path("sig")
    os.makedirs(folder, exist_ok=True)
    out = os.path.join(folder, "doc.pdf")
    with open(out, "wb") as f:
        f.write(OLD)
    env = dict(os.environ, GW_NO_TMPFILE="1") if named else None
    t0 = time.monotonic()
    p = subprocess.Popen([c.gongwen, "build", doc, "-o", out, "--layout", "tiny", "--plugin-path",
                          c.path("tiny")], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = []
    reader = threading.Thread(target=lambda: err.append(p.stderr.read()))
    reader.start()
    writing = False
    # the wall clock only as a backstop: the build ends first, at its end or at the signal
    while not writing and p.poll() is None and time.monotonic() - t0 < 300:
        if named:
            writing = any(n.startswith(".doc.pdf.tmp") for n in os.listdir(folder))
        else:  # O_TMPFILE: the new file is open, with no name in the folder
            try:
                writing = any(folder in os.readlink(f"/proc/{p.pid}/fd/{fd}")
                              for fd in os.listdir(f"/proc/{p.pid}/fd"))
            except OSError:
                pass
        if not writing:
            time.sleep(0.001)
    if writing:
        p.send_signal(sig)
    hung = threading.Event()  # a build that outlives the signal by minutes: a hang
    killer = threading.Timer(120, lambda: (hung.set(), p.kill()))
    killer.start()
    _, status, usage = os.wait4(p.pid, 0)
    killer.cancel()
    reader.join()
    cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    rc = os.waitstatus_to_exitcode(status)
    msg = STANDIN_NOTE.sub("", err[0].decode("utf-8", "replace")) if err else ""
    stderrs.append(msg)
    left = sorted(os.listdir(folder))
    # the signal ends the build (an exit code of -sig, not the backstop's SIGKILL), within
    # the CPU a whole build of this document takes and its memory
    c.ok(writing and rc == -sig and not hung.is_set() and msg == "" and cpu < 5 * SLOW and
         rss < MAX_MB, f"{what}: caught writing {writing}, exit {rc}, stopped by the backstop "
         f"{hung.is_set()}, {cpu:.2f} s of CPU, {rss:.0f} MB, {msg[:200]!r}")
    c.eq(read(out), OLD, f"{what}: the previous PDF is intact")
    return left


doc = big_doc("big.txt", 6000)
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
    left = interrupt(f"O_TMPFILE, {signal.Signals(sig).name}", sig, False, doc)
    c.eq(left, ["doc.pdf"], f"O_TMPFILE, {signal.Signals(sig).name}: nothing left beside the PDF")
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    left = interrupt(f"dot-file, {signal.Signals(sig).name}", sig, True, doc)
    c.eq(left, ["doc.pdf"], f"dot-file, {signal.Signals(sig).name}: the temporary is removed")
left = interrupt("dot-file, SIGKILL", signal.SIGKILL, True, doc)
stale = [n for n in left if n.startswith(".doc.pdf.tmp")]
c.eq(len(stale), 1, f"dot-file, SIGKILL: one temporary is left ({left})")
# the next write of the same output removes it, but not one that is locked or newer
locked = c.path("sig/.doc.pdf.tmpLOCKED")
with open(locked, "wb") as lf:
    fcntl.flock(lf, fcntl.LOCK_EX)
    os.utime(locked, (time.time() - 3600, time.time() - 3600))
    newer = c.write("sig/.doc.pdf.tmpNEWER1", "")
    os.utime(newer, (time.time() + 3600, time.time() + 3600))
    src = fresh("in.txt")
    expect("the next build sweeps", ["build", src, "-o", c.path("sig/doc.pdf")], 0, "",
           env=dict(os.environ, GW_NO_TMPFILE="1"))
    c.eq(sorted(os.listdir(c.path("sig"))), [".doc.pdf.tmpLOCKED", ".doc.pdf.tmpNEWER1", "doc.pdf"],
         "the killed build's temporary is gone; a locked or newer one stays")

# 5. fix --in-place keeps the file: mode, owner, symlinks, hard links; refuses read-only files
FIXME = HEAD + "【工作部署】\n文字,内容。\n"
FIXED = HEAD + "【工作部署】\n文字，内容。\n"
p = fresh("private.txt", FIXME)
os.chmod(p, 0o600)
with open(p + ".bak", "w") as f:  # an old backup with another mode: the new one takes the original's
    f.write("old backup")
os.chmod(p + ".bak", 0o644)
expect("fix a 0600 file", ["fix", p, "--in-place"], 0, "")
c.eq(stat.S_IMODE(os.stat(p).st_mode), 0o600, "the fixed file stays 0600")
c.eq(stat.S_IMODE(os.stat(p + ".bak").st_mode), 0o600, "its backup is 0600 too")
c.eq((read(p).decode(), read(p + ".bak").decode()), (FIXED, FIXME), "fixed, and the backup is the original")
ro = fresh("readonly.txt", FIXME)
os.chmod(ro, 0o444)
expect("fix a read-only file", ["fix", ro, "--in-place"], 1,
       f"{ro}: error: cannot fix it in place: it is read-only; nothing written")
c.ok(read(ro).decode() == FIXME and not os.path.exists(ro + ".bak"), "the read-only file is untouched")
real = fresh("real.txt", FIXME)
os.symlink("real.txt", c.path("sym.txt"))
expect("fix through a symlink", ["fix", c.path("sym.txt"), "--in-place"], 0, "")
c.ok(os.path.islink(c.path("sym.txt")) and read(real).decode() == FIXED,
     "the symlink stays a link; the file it names is fixed")
h1 = fresh("h1.txt", FIXME)
if os.path.exists(c.path("h2.txt")):
    os.unlink(c.path("h2.txt"))
os.link(h1, c.path("h2.txt"))
ino = os.stat(h1).st_ino
expect("fix a hard-linked file", ["fix", h1, "--in-place", "--no-backup"], 0, "")
c.ok(os.stat(h1).st_ino == ino and os.stat(c.path("h2.txt")).st_ino == ino
     and read(c.path("h2.txt")).decode() == FIXED, "the hard link is kept: both names see the fix")
if os.geteuid() == 0:
    own = fresh("owned.txt", FIXME)
    os.chown(own, 4321, 4321)
    os.chmod(own, 0o640)
    expect("fix another user's file (as root)", ["fix", own, "--in-place"], 0, "")
    st, bst = os.stat(own), os.stat(own + ".bak")
    c.eq((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)), (4321, 4321, 0o640), "owner and mode kept")
    c.eq((bst.st_uid, bst.st_gid, stat.S_IMODE(bst.st_mode)), (4321, 4321, 0o640),
         "the backup has the original's owner and mode")
bk = fresh("bk.txt", FIXME)
os.symlink("bk.txt", c.path("bk.txt.bak"))
expect("fix whose .bak is the input", ["fix", bk, "--in-place"], 1,
       f"{bk}: error: cannot write {bk}.bak: it is the input file itself")
c.eq(read(bk).decode(), FIXME, "the input is untouched")

# 6. a full disk or the file-size limit: a sentence, and the old PDF stays
big = c.write("example.txt", read("examples/yongzhou-2024-01.txt"), "wb")
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
with open(c.path("limited.pdf"), "wb") as f:
    f.write(OLD)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))  # the child inherits it
try:
    expect("over the file-size limit", ["build", big, "-o", c.path("limited.pdf")], 1,
           f"{big}: error: cannot write {c.path('limited.pdf')}: File too large")
finally:
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
c.eq(read(c.path("limited.pdf")), OLD, "the previous PDF survives the size limit")
small = c.path("small")
os.makedirs(small)
mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small],
                         capture_output=True).returncode == 0
if mounted:
    try:
        with open(os.path.join(small, "full.pdf"), "wb") as f:
            f.write(OLD)
        expect("disk full", ["build", big, "-o", os.path.join(small, "full.pdf")], 1,
               f"{big}: error: cannot write {small}/full.pdf: No space left on device")
        c.eq(os.listdir(small), ["full.pdf"], "nothing left on the full disk")
        c.eq(read(os.path.join(small, "full.pdf")), OLD, "the previous PDF survives a full disk")
        fx = os.path.join(small, "fix.txt")
        with open(fx, "w") as f:
            f.write(FIXME)
        with open(os.path.join(small, "fill"), "wb") as f:  # the rest of the space
            try:
                f.write(b"\0" * (1 << 20))
            except OSError:
                pass
        expect("fix on a full disk", ["fix", fx, "--in-place"], 1,
               f"{fx}: error: cannot write {fx}.bak: No space left on device; {fx} was not changed")
        c.eq(read(fx).decode(), FIXME, "the text survives a full disk")
    finally:
        subprocess.run(["umount", small])
else:
    print("note: cannot mount a tmpfs here; the full-disk case is not run")

# 7. more pages than a PDF written by gongwen holds: refused before writing, at the text
many = big_doc("many.txt", 32800)
expect("32801 pages", ["build", many, "-o", c.path("many.pdf"), "--layout", "tiny",
                       "--plugin-path", c.path("tiny")], 1,
       f"{many}:32770:1: error: the document has 32801 pages; a PDF written by gongwen holds at "
       "most 32767", cpu=10)
c.ok(not os.path.exists(c.path("many.pdf")), "no PDF for the over-long document")

# 8. no message shows a bare libharu status
c.ok(not any("libharu error" in e for e in stderrs), "no 'libharu error' reached the user")
c.done()
