"""End to end: hostile images (reliability issue, image part). A damaged,
oversized or unreadable image ends the build with a sentence at the image's
place in the document, never a crash, a hang or unbounded memory; an
interlaced PNG is embedded. Every image is made here (zlib and struct), and
every build runs under Checker.run_bounded: exit code, message, CPU time
and peak RSS as the kernel counts them (the wall clock only as a backstop
against a hang, such as a read of a FIFO)."""
import os
import re
import struct
import zlib

from pdfcheck import Checker, stream, tool

c = Checker()
HEAD = "标题: 测试\n期号: 2024年第1期\n编发: 办公室\n日期: 2024年1月1日\n【图片】\n"
RSS_MB = 2048  # a hostile image stays under this, whatever it declares


# {===================== making images ====================================

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w, h, raw=None, depth=8, ctype=0, interlace=0, idat=None):
    ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace)
    data = zlib.compress(raw, 9) if idat is None else idat
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
            b"".join(chunk(b"IDAT", data[i:i + (1 << 20)]) for i in range(0, len(data), 1 << 20)) +
            chunk(b"IEND", b""))


def grey_rows(w, h, f=lambda x, y: (x * 7 + y * 3) & 0xFF):
    return b"".join(b"\0" + bytes(f(x, y) for x in range(w)) for y in range(h))


PASSES = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


def adam7(w, h, bpp, pixel):
    """Adam7 scanlines (filter 0) of bpp-byte pixels given by pixel(x, y)."""
    out = []
    for x0, y0, dx, dy in PASSES:
        xs, ys = range(x0, w, dx), range(y0, h, dy)
        if len(xs) and len(ys):
            for y in ys:
                out.append(b"\0" + b"".join(pixel(x, y) for x in xs))
    return b"".join(out)


def zero_stream(total, segment=1 << 24):
    """A zlib stream of `total` zero bytes (a multiple of segment), made by repeating one
    full-flushed segment: 10 GB of zeros in 10 MB, without compressing 10 GB."""
    co = zlib.compressobj(9)
    head = co.compress(bytes(segment)) + co.flush(zlib.Z_FULL_FLUSH)
    seg = co.compress(bytes(segment)) + co.flush(zlib.Z_FULL_FLUSH)
    n = total // segment
    adler = (total % 65521) << 16 | 1  # Adler-32 of zeros: a = 1, b = length
    return head + seg * (n - 1) + b"\x03\x00" + struct.pack(">I", adler)


GOOD_PNG = png(64, 48, grey_rows(64, 48))
with open("examples/photos/inspection-1.jpg", "rb") as f:
    GOOD_JPG = f.read()

# }=======================================================================


def doc(name, image_path, extra=""):
    """A document whose line 6 is the image (column 1)."""
    return c.write(name, HEAD + f"![现场]({image_path})\n" + extra)


def build_fails(what, name, image, expect, cpu=5):
    """Build a document naming `image` (bytes, written beside it, or a path to use as is)."""
    if isinstance(image, bytes):
        img = name + ".img"
        c.write(img, image, "wb")
    else:
        img = image
    src = doc(name + ".txt", img)
    out = c.path(name + ".pdf")
    rc, _, err, secs, rss = c.run_bounded("build", src, "-o", out, cpu=cpu)
    where = f"{src}:6:1: error: "
    c.ok(rc == 1 and where + expect.replace("IMG", c.path(img)) in err,
         f"{what}: exit {rc}, {err.strip()[:300]!r}")
    c.within(what, secs, rss, mb=RSS_MB)
    c.ok(not os.path.exists(out), f"{what}: no PDF written")
    c.ok("libpng" not in err and "libharu" not in err, f"{what}: no library's own words")
    return err


# 1. A damaged PNG aborted the process (exit 134, "libpng error: ...").
build_fails("truncated PNG", "png-truncated", GOOD_PNG[:len(GOOD_PNG) // 2],
            "image IMG is a damaged PNG (")
build_fails("PNG with a bad filter byte", "png-filter",
            png(16, 4, b"".join(b"\x09" + bytes(16) for _ in range(4))),
            "image IMG is a damaged PNG (bad adaptive filter value)")
bad_crc = bytearray(GOOD_PNG)
bad_crc[-20] ^= 0xFF  # IDAT's CRC
build_fails("PNG with a bad IDAT CRC", "png-crc", bytes(bad_crc), "image IMG is a damaged PNG (")
tiny_huge = png(60000, 60000, bytes(11))
build_fails(f"{len(tiny_huge)}-byte PNG declaring 60000 x 60000", "png-60000", tiny_huge,
            "image IMG is 60000 × 60000 pixels (3600.0 megapixels); an image may be at most "
            "20000 pixels wide or high and 50 megapixels in all")
build_fails("PNG chunk declaring 1.4 GB in 300 bytes", "png-chunk",
            GOOD_PNG[:33] + struct.pack(">I", 0x544C0004) + b"tEXtk\x00" + bytes(250),
            "image IMG is a damaged PNG (a chunk runs past the end of the file)")

# ... and in a batch with -j 1 it stopped every later document: now the next one builds.
c.write("batch/bad.img", GOOD_PNG[:len(GOOD_PNG) // 2], "wb")
c.write("batch/good.img", GOOD_PNG, "wb")
c.write("batch/a-bad.txt", HEAD + "![坏](bad.img)\n")
c.write("batch/b-good.txt", HEAD + "![好](good.img)\n")
os.makedirs(c.path("batch-out"), exist_ok=True)
rc, _, err, secs, rss = c.run_bounded("build", c.path("batch/a-bad.txt"), c.path("batch/b-good.txt"),
                                      "-j", "1", "-o", c.path("batch-out") + "/", cpu=10)
c.ok(rc == 1 and f"a-bad.txt:6:1: error: image {c.path('batch/bad.img')} is a damaged PNG" in err,
     f"batch: exit {rc}, {err.strip()[:300]!r}")
c.ok(os.path.exists(c.path("batch-out/b-good.pdf")) and
     not os.path.exists(c.path("batch-out/a-bad.pdf")), "batch: the good document after it builds")
c.within("batch", secs, rss, mb=RSS_MB)

# 2. A FIFO (or /dev/stdin) as the image path blocked the build for ever. The plugin host
#    reports it from out:image, with the document's line in parentheses.
os.mkfifo(c.path("fifo.png"))
src = doc("fifo.txt", "fifo.png")
rc, _, err, secs, rss = c.run_bounded("build", src, "-o", c.path("fifo.pdf"), cpu=5)
c.ok(rc == 1 and f"image {c.path('fifo.png')} is not a regular file (it is a FIFO or pipe)" in err and
     f"({src}:6)" in err, f"FIFO: exit {rc}, {err.strip()[:300]!r}")
c.within("FIFO", secs, rss, mb=RSS_MB)  # a read of it would block: the backstop, and a failure

src = doc("stdin.txt", "/dev/stdin")
r, w = os.pipe()  # a pipe whose writer stays open: a read would wait for ever (the backstop)
rc, _, err, secs, rss = c.run_bounded("build", src, "-o", c.path("stdin.pdf"), stdin=r, cpu=5)
os.close(r)
os.close(w)
# an absolute path is outside the document's folder (util/gw_path.c), so it is refused unopened
c.ok(rc == 1 and "image path '/dev/stdin' must be inside the document's folder" in err
     and f"({src}:6)" in err, f"/dev/stdin on an open pipe: exit {rc}, {err.strip()[:300]!r}")
c.within("/dev/stdin", secs, rss, mb=RSS_MB)

# 3. A damaged JPEG, or a 17-byte one declaring 60000 x 60000, was embedded with exit 0.
build_fails("truncated JPEG", "jpg-truncated", GOOD_JPG[:len(GOOD_JPG) // 2],
            "image IMG is a damaged JPEG (Premature end of JPEG file)")
corrupt = bytearray(GOOD_JPG)
for i in range(len(corrupt) // 2, len(corrupt) // 2 + 2000):
    corrupt[i] = 0x55
build_fails("corrupt JPEG", "jpg-corrupt", bytes(corrupt), "image IMG is a damaged JPEG (Corrupt JPEG data")
sof = b"\xff\xd8\xff\xc0\x00\x0b\x08" + struct.pack(">HH", 60000, 60000) + b"\x01\x01\x11\x00"
build_fails(f"{len(sof)}-byte JPEG declaring 60000 x 60000", "jpg-60000", sof,
            "image IMG is 60000 × 60000 pixels (3600.0 megapixels); an image may be at most "
            "20000 pixels wide or high and 50 megapixels in all")
build_fails("JPEG frame with scans missing", "jpg-noscan", sof.replace(b"\xea\x60", b"\x00\x40") + b"\xff\xd9",
            "image IMG is a damaged JPEG (")

# 4. An interlaced PNG (a valid image) was called damaged, with a libharu code.
def image_samples(pdf):
    """pdfimages -list, and the decoded samples of the first image and of its soft mask, if any."""
    rc, listing, _ = tool("pdfimages", "-list", pdf)
    num = listing.splitlines()[2].split()[10]
    rc, obj, _ = tool("qpdf", f"--show-object={num}", pdf)
    m = re.search(r"/SMask (\d+) 0 R", obj)
    return listing, [stream(pdf, n).encode("latin-1") for n in [num] + ([m.group(1)] if m else [])]


def builds(what, name, image, cpu=10):
    c.write(name + ".img", image, "wb")
    src = doc(name + ".txt", name + ".img")
    out = c.path(name + ".pdf")
    rc, _, err, secs, rss = c.run_bounded("build", src, "-o", out, cpu=cpu)
    c.ok(rc == 0 and err == "", f"{what}: exit {rc}, {err.strip()[:300]!r}")
    c.within(what, secs, rss, mb=RSS_MB)
    return out


W, H = 21, 13
grey = lambda x, y: bytes([(x * 11 + y * 17) & 0xFF])
out = builds("interlaced grey PNG", "adam7-grey", png(W, H, adam7(W, H, 1, grey), interlace=1))
if os.path.exists(out):
    listing, samples = image_samples(out)
    c.ok(len(samples) == 1 and f" {W}    {H}  gray    1   8 " in listing,
         f"interlaced grey: one 8-bit grey image ({listing!r})")
    want = b"".join(grey(x, y) for y in range(H) for x in range(W))
    c.ok(samples[:1] == [want], "interlaced grey: every pixel where it belongs")
rgba = lambda x, y: struct.pack(">HHHH", x * 3000, y * 5000, 40000, 65535 if x % 2 else 0x8000)
out = builds("interlaced 16-bit RGBA PNG", "adam7-rgba",
             png(W, H, adam7(W, H, 8, rgba), depth=16, ctype=6, interlace=1))
if os.path.exists(out):
    listing, samples = image_samples(out)
    c.ok(" image " in listing and " smask " in listing,
         f"interlaced RGBA: colour and soft mask ({listing!r})")
    to8 = lambda px: bytes(round(v / 257) for v in struct.unpack(">HHHH", px))  # png_set_scale_16
    want_rgb = b"".join(to8(rgba(x, y))[:3] for y in range(H) for x in range(W))
    want_a = b"".join(to8(rgba(x, y))[3:] for y in range(H) for x in range(W))
    c.ok(samples == [want_rgb, want_a], "interlaced RGBA: colours and alpha, 16 bits to 8")

# 5. An image path that is a folder was "neither PNG nor JPEG".
os.makedirs(c.path("folder.png"))
src = doc("folder.txt", "folder.png")
rc, _, err, secs, rss = c.run_bounded("build", src, "-o", c.path("folder.pdf"), cpu=5)
c.ok(rc == 1 and f"image {c.path('folder.png')} is a folder" in err and f"({src}:6)" in err,
     f"folder: exit {rc}, {err.strip()[:300]!r}")

# 6. A 10 MB PNG bomb went past 12 GB of memory; a 389 KB 20000 x 20000 grey PNG took 2.3 GB.
side = 100000
rows = (640 << 24) // (side + 1)
bomb = png(side, rows, idat=zero_stream((side + 1) * rows // (1 << 24) * (1 << 24)))
err = build_fails(f"{len(bomb) >> 20} MB PNG bomb ({side} x {rows})", "bomb", bomb,
                  f"image IMG is {side} × {rows} pixels", cpu=2)
co = zlib.compressobj(9)
z = b"".join(co.compress(b"\0" + bytes(20000)) for _ in range(20000)) + co.flush()
build_fails(f"{len(z) >> 10} KB 20000 x 20000 grey PNG", "grey20k", png(20000, 20000, idat=z),
            "image IMG is 20000 × 20000 pixels (400.0 megapixels)", cpu=2)

# Within the limits the memory stays bounded too: 50 megapixels, 16-bit RGBA, interlaced
# (decoded by gongwen itself, alpha to a soft mask), and the same as libharu reads it.
w, h = 10000, 5000
total = sum(len(range(y0, h, dy)) * (1 + len(range(x0, w, dx)) * 8) for x0, y0, dx, dy in PASSES)
co = zlib.compressobj(1)
z = b"".join(co.compress(bytes(1 << 24)) for _ in range(total >> 24)) + co.compress(
    bytes(total & 0xFFFFFF)) + co.flush()
builds("50-megapixel 16-bit RGBA interlaced PNG", "max-rgba", png(w, h, depth=16, ctype=6, interlace=1,
                                                                 idat=z), cpu=30)
co = zlib.compressobj(1)
z = b"".join(co.compress(b"\0" + bytes(w * 3)) for _ in range(h)) + co.flush()
builds("50-megapixel RGB PNG", "max-rgb", png(w, h, ctype=2, idat=z), cpu=30)

# A document's images together hold at most 1 GiB of the PDF writer's memory: nine names for one
# 60 MiB JPEG (a photo padded with comment segments; libharu keeps it twice, 120 MiB).
pad = b"".join(b"\xff\xfe\xff\xfe" + bytes(65532) for _ in range((60 << 20) // 65536))
c.write("many/p.jpg", GOOD_JPG[:2] + pad + GOOD_JPG[2:], "wb")
for i in range(9):
    os.symlink("p.jpg", c.path(f"many/p{i}.jpg"))
src = c.write("many/doc.txt", HEAD + "".join(f"![第{i}张](p{i}.jpg)\n" for i in range(9)))
rc, _, err, secs, rss = c.run_bounded("build", src, "-o", c.path("many.pdf"), cpu=30)
c.ok(rc == 1 and f"doc.txt:14:1: error: image {c.path('many/p8.jpg')} would take the document's "
     "images over 1024 MB of memory in the PDF writer (this one needs 121 MB)" in err,
     f"nine 60 MiB photos: exit {rc}, {err.strip()[:300]!r}")
c.within("nine 60 MiB photos", secs, rss, mb=RSS_MB)

c.done()
