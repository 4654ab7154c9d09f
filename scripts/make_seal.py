#!/usr/bin/env python3
"""Draw the example 印章 (seal) used by examples/wenjian: a red ring, a five-pointed star
and a ring of short bars where the organ's name would be, on a transparent background,
as an RGBA PNG (no libraries beyond zlib). With --name, a 签名章 (a signer's name seal,
GB/T 9704 §7.3.5.3) instead: a square red frame around four blocks where the name's
characters would be. The images are stand-ins: a real seal is an organ's or a signer's
own scan. Usage: scripts/make_seal.py [--name] OUT.png [SIZE]"""
import math
import struct
import sys
import zlib


def star_inside(x, y, cx, cy, r):
    """Is (x, y) inside a five-pointed star of outer radius r, point up?"""
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    inside = False
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def coverage(x, y, s):
    """How much of the seal's ink covers pixel centre (x, y): 0 or 1."""
    c = s / 2
    d = math.hypot(x - c, y - c)
    if s * 0.455 <= d <= s * 0.49:  # the ring
        return 1
    if star_inside(x, y, c, c, s * 0.16):
        return 1
    # the organ's name: 14 bars on an arc over the top, 240 degrees wide
    if s * 0.33 <= d <= s * 0.42:
        a = math.degrees(math.atan2(y - c, x - c)) + 90  # 0 at the top, clockwise
        a = (a + 180) % 360 - 180
        if abs(a) <= 120:
            step = 240 / 14
            k = (a + 120) % step
            return 1 if step * 0.2 < k < step * 0.8 else 0
    return 0


def name_coverage(x, y, s):
    """The 签名章's ink at (x, y): a frame 6% of the side thick, and four blocks of strokes
    (three bars each, alternating direction) in a 2x2 grid inside it."""
    u, v = x / s, y / s
    if not (0 <= u <= 1 and 0 <= v <= 1):
        return 0
    if min(u, v, 1 - u, 1 - v) < 0.06:
        return 1
    for i, (c0, r0) in enumerate(((0.13, 0.13), (0.53, 0.13), (0.13, 0.53), (0.53, 0.53))):
        a, b = (u - c0) / 0.34, (v - r0) / 0.34
        if 0 <= a <= 1 and 0 <= b <= 1:
            t = b if i % 3 == 0 else a  # bars across or down
            return 1 if (t * 5) % 2 < 1 else 0
    return 0


def main():
    args = [a for a in sys.argv[1:] if a != "--name"]
    ink = name_coverage if "--name" in sys.argv[1:] else coverage
    usage = "usage: scripts/make_seal.py [--name] OUT.png [SIZE]"
    if any(a in ("-h", "--help") for a in args):
        print(__doc__)
        return
    bad = [a for a in args if a.startswith("-")]
    if bad or not 1 <= len(args) <= 2 or (len(args) == 2 and not args[1].isdigit()):
        sys.exit(f"make_seal.py: {'unknown option ' + bad[0] if bad else 'bad arguments'}\n{usage}")
    out = args[0]
    s = int(args[1]) if len(args) > 1 else 400
    if not 16 <= s <= 4000:
        sys.exit(f"make_seal.py: SIZE must be 16 to 4000 pixels, not {s}\n{usage}")
    rows = []
    for y in range(s):
        row = bytearray([0])  # filter: none
        for x in range(s):
            # 2x2 supersampling for smooth edges
            cov = sum(ink(x + dx, y + dy, s) for dx in (0.25, 0.75) for dy in (0.25, 0.75)) / 4
            row += bytes((220, 20, 20, int(round(cov * 230))))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", s, s, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    with open(out, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
