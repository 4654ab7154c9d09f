"""End to end: fonts (issue 5). Fake bold carries measurably more ink, fake
italic shears, `gongwen fonts INPUT` lists uncovered characters with their
positions, a one-line document using four roles embeds subset fonts with
ToUnicode, and a TrueType collection face is used. The font lookup cache
answers repeat builds and sees new fonts; CFF fonts (CID-keyed Noto CJK and
a name-keyed test font) embed and extract exactly."""
import os
import re
import subprocess

from pdfcheck import Checker, fonts, lines, text, tool

c = Checker()
HEAD = "标题：字体测试\n期号：第1期\n\n"

# fake bold: the same characters, plain and **bold**, compared by ink in a rendering
doc = c.write("bold.txt", HEAD + "【工作部署】\n示例文字示例文字示例文字。\n**示例文字示例文字示例文字。**\n")
pdf = c.path("bold.pdf")
rc, _, err = c.run("build", doc, "-o", pdf)
c.eq(rc, 0, "bold document builds")
rows = [l for l in lines(pdf)[0] if l[4] == "示例文字示例文字示例文字。"]
c.eq(len(rows), 2, "both lines found")
dpi = 150
tool("pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", "-singlefile", pdf, pdf)
with open(pdf + ".pgm", "rb") as f:
    data = f.read()
m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
w, h = int(m.group(1)), int(m.group(2))
px = data[m.end():]


def ink(box):
    x0, y0, x1, y1 = (int(v * dpi / 72) for v in box[:4])
    return sum(255 - px[y * w + x] for y in range(y0, y1) for x in range(x0, x1))


plain, bold = ink(rows[0]), ink(rows[1])
print(f"ink: plain {plain}, bold {bold}, ratio {bold / max(plain, 1):.2f}")
c.ok(bold > plain * 1.15, f"fake bold carries more ink ({bold / max(plain, 1):.2f}x)")

# fake italic: a layout style with italic = true shears the text matrix
c.write("it/layouts/italic.lua",
        'return { api = 1, base = "gbt9704", styles = { note = { italic = true } } }\n')
doc = c.write("italic.txt", HEAD + "版式: italic\n【编者按】\n斜体的编者按。\n")
rc, trace, err = c.run("build", doc, "--plugin-path", c.path("it"), "--trace")
c.ok(rc == 0 and re.search(r"\titalic\t.*斜体的编者按", trace), "italic style reaches the page")
rc, _, _ = c.run("build", doc, "--plugin-path", c.path("it"), "-o", c.path("italic.pdf"))
t, err = text(c.path("italic.pdf"))
c.ok(rc == 0 and "斜体的编者按" in t and err == "", "italic text extracts")

# gongwen fonts INPUT: characters no font covers, with line:col
miss = c.write("miss.txt", HEAD + "【工作部署】\n缺字𪚥与𠮷。\n")
rc, out, err = c.run("fonts", miss, "examples/yongzhou-2024-01.txt")
c.ok(rc == 1 and f"{miss}:5:3: warning: no font has 𪚥 (U+2A6A5)" in err and
     "1 characters have no font" in out and "yongzhou-2024-01.txt: every character has a font" in out,
     f"gongwen fonts INPUT lists uncovered characters ({out!r} {err!r})")
c.ok(re.search(r"^fangsong +\S", out, re.M) and
     re.search(r"^hei +FandolHei \[.*/FandolHei-Regular\.otf #0\] CFF \(stand-in\)$", out, re.M),
     f"gongwen fonts shows each role's font, and marks stand-ins ({out!r})")

# paragraphs are broken ahead on a second thread; warnings still come in document order,
# and the layout is the same with one thread
paras = [f"第{i}段正文内容，用于测试预先断行。" + ("这里有缺字𪚥。" if i % 7 == 3 else "没有缺字。")
         for i in range(40)]
many = c.write("many.txt", HEAD + "【工作部署】\n" + "\n".join(paras) + "\n")
runs = []
for threads in ("1", "2"):
    rc, trace, err = c.run("build", many, "--trace", env=dict(os.environ, GONGWEN_THREADS=threads))
    runs.append((rc, trace, err))
lines_at = [int(m) for m in re.findall(r"many\.txt:(\d+):\d+: warning", runs[1][2])]
c.ok(runs[0] == runs[1], "one and two threads: the same layout and the same warnings")
c.ok(len(lines_at) == 6 and lines_at == sorted(lines_at), f"warnings in document order ({lines_at})")

# the role map opens on a thread while the layout loads: its messages still come where a
# one-thread build puts them, and not at all when the layout cannot be loaded
home = c.path("badmap/home")
os.makedirs(home + "/fonts", exist_ok=True)
if not os.path.exists(home + "/plugins"):
    os.symlink(os.path.abspath("plugins"), home + "/plugins")
c.write("badmap/home/fonts/roles.conf", "fangsong = AR PL SungtiL GB\nthis is not a role\n")
mapdoc = c.write("map.txt", HEAD + "【工作部署】\n正文。\n")
runs = []
for threads in ("1", "2"):
    env = dict(os.environ, GONGWEN_HOME=home, GONGWEN_THREADS=threads)
    runs.append((c.run("build", mapdoc, "-o", c.path("map.pdf"), env=env),
                 c.run("build", mapdoc, "--layout", "nosuch", "-o", c.path("map.pdf"), env=env)))
(rc, _, err), (rc2, _, err2) = runs[1]
c.ok(runs[0] == runs[1], f"a bad role map: the same messages with one and two threads ({runs})")
c.ok(rc == 1 and "roles.conf:2:1: error" in err, f"the role map's error is reported ({err!r})")
c.ok(rc2 == 1 and "no layout named 'nosuch'" in err2 and "roles.conf" not in err2,
     f"a layout that cannot load: no message about the role map ({err2!r})")

# one line using four roles: 仿宋 body, 黑体 heading, 楷体 note, 宋 page number; in the
# Debian TrueType faces (the defaults are CFF: Fandol), whose 黑体 is a collection's face
TTF = ('fonts = { fangsong = { "AR PL SungtiL GB" }, kai = { "AR PL KaitiM GB" }, '
       'hei = { "WenQuanYi Zen Hei" }, song = { "AR PL SungtiL GB" }, '
       'xbs = { "AR PL SungtiL GB" } }')
c.write("ttf/layouts/ttf.lua", 'return { api = 1, base = "gbt9704", ' + TTF + ' }\n')
c.write("ttf/layouts/ttfseed.lua", 'return { api = 1, base = "yongzhou", ' + TTF + ' }\n')
one = c.write("one.txt", HEAD + "版式: ttf\n【编者按】\n一行楷体。\n【工作部署】\n一行仿宋。\n")
rc, out, err = c.run("build", one, "-o", c.path("one.pdf"), "--timings", "--plugin-path",
                     c.path("ttf"))
rows, ferr = fonts(c.path("one.pdf"))
c.ok(rc == 0 and len(rows) >= 3 and all(r["emb"] == r["sub"] == r["uni"] == "yes" for r in rows),
     f"four roles: every font embedded, subset, with ToUnicode ({rows})")
c.ok(any("WenQuanYi" in r["name"] for r in rows), "the 黑体 role comes from a TTC collection face")
print(err.strip())

# the font lookup cache: fontconfig is not started while nothing changed, and a font
# installed afterwards is seen at once
fontdir = c.path("fc/fonts")
os.makedirs(fontdir, exist_ok=True)
for name, target in (("sung.ttf", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
                     ("kai.ttf", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"),
                     ("zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")):
    os.symlink(target, fontdir + "/" + name)
conf = c.write("fc/conf/fonts.conf", f"<?xml version='1.0'?>\n<fontconfig><dir>{fontdir}</dir>"
               f"<cachedir>{c.path('fc/fccache')}</cachedir></fontconfig>\n")
cache = c.path("fc/gongwen/fonts.cache")  # outside the stamped folders: fonts and conf
env = dict(os.environ, FONTCONFIG_FILE=conf, GONGWEN_FONT_CACHE=cache)


def lookups(doc):
    rc, _, err = c.run("build", doc, "-o", c.path("fc/out.pdf"), "--timings", "--plugin-path",
                       c.path("ttf"), env=env)
    m = re.search(r"\((\d+) lookups cached, (\d+) asked fontconfig\)", err)
    return rc, (int(m.group(1)), int(m.group(2))) if m else None


rc, first = lookups(one)
c.ok(rc == 0 and first and first[1] > 0, f"first build asks fontconfig ({first})")
with open(cache, encoding="utf-8") as f:
    cached = f.read()
c.ok(f"f 0 AR PL SungtiL GB\t{fontdir}/sung.ttf" in cached and "f -1 SimHei\t" in cached,
     "the cache holds found and missing families")
rc, second = lookups(one)
c.ok(rc == 0 and second and second[1] == 0 and second[0] == first[0] + first[1],
     f"second build is answered from the cache alone ({second})")
rc, out, _ = c.run("fonts", env=env)
c.ok(re.search(r"^fallback +WenQuanYi Zen Hei \[", out, re.M), "LXGW WenKai is not in the folder yet")
os.symlink("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", fontdir + "/wk.ttf")
rc, out, _ = c.run("fonts", env=env)
c.ok(re.search(r"^fallback +LXGW WenKai \[" + re.escape(fontdir), out, re.M),
     f"a font installed later is found at once ({out!r})")
with open(cache, "w", encoding="utf-8") as f:
    f.write("gongwen-font-cache 1 0.1.0\nf 0 AR PL SungtiL GB\t/nonexistent.ttf\ngarbage\n")
rc, third = lookups(one)
c.ok(rc == 0 and third and third[1] > 0, f"a damaged cache is ignored and rebuilt ({third})")
# CFF-flavoured OpenType: a CID-keyed font (Noto CJK, from fonts-noto-cjk) and a name-keyed
# one (made here with fontTools) are embedded as CIDFontType0C, every character extracts
c.write("cff/layouts/noto.lua", 'return { api = 1, base = "yongzhou", fonts = { '
        'fangsong = { "Noto Serif CJK SC" }, hei = { "Noto Sans CJK SC" }, '
        'xbs = { "Noto Serif CJK SC" } } }\n')
npdf = c.path("cff/seed.pdf")
rc, _, err = c.run("build", "examples/yongzhou-2024-01.txt", "--layout", "noto",
                   "--plugin-path", c.path("cff"), "-o", npdf)
c.ok(rc == 0 and err == "", f"the seed builds in Noto CJK ({err.strip()[:300]!r})")
rows, ferr = fonts(npdf)
noto = [r for r in rows if "NotoS" in r["name"]]
c.ok(len(noto) == 2 and all(r["type"] == "CID Type 0C" for r in noto),
     f"Noto Serif and Sans CJK embedded as CFF ({rows})")
c.ok(all(r["emb"] == r["sub"] == r["uni"] == "yes" for r in rows), "embedded, subset, ToUnicode")
body, terr = text(npdf)
with open("examples/yongzhou-2024-01.txt", encoding="utf-8") as f:
    src = f.read()
han = lambda s: [ch for ch in s if "\u4e00" <= ch <= "\u9fff"]
c.ok(terr == "" and han(body) == han(src), "every Han character of the seed extracts, in order")
rc, out, _ = tool("qpdf", "--check", npdf)
c.ok(rc == 0 and "No syntax or stream encoding errors" in out, "qpdf --check is clean")
tool("pdftoppm", "-r", "40", "-gray", "-f", "2", "-l", "2", "-singlefile", npdf, npdf)
with open(npdf + ".pgm", "rb") as f:
    data = f.read()
m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
dark = sum(1 for b in data[m.end():] if b < 128)
c.ok(dark > 2000, f"page 2 in Noto CJK shows text ({dark} dark pixels at 40 dpi)")

otf = c.path("cff/gwtest.otf")
r = subprocess.run(["/usr/bin/python3", "tests/e2e/make_cff_font.py", otf], capture_output=True,
                   text=True)
c.ok(r.returncode == 0, f"test CFF font made ({r.stderr.strip()[-200:]!r})")
c.write("cff/layouts/named.lua", 'return { api = 1, base = "gbt9704", fonts = { '
        f'fangsong = {{ "{otf}", "AR PL SungtiL GB" }} }} }}\n')
doc = c.write("cff/named.txt", HEAD + "【工作部署】\n名键字形测试，测试字体。名键字形测试体。\n")
kpdf = c.path("cff/named.pdf")
rc, _, err = c.run("build", doc, "--layout", "named", "--plugin-path", c.path("cff"), "-o", kpdf)
rows, _ = fonts(kpdf)
c.ok(rc == 0 and any(r["name"].endswith("+GWTestCFF-Regular") and r["type"] == "CID Type 0C"
                     for r in rows), f"a name-keyed CFF font is embedded ({rows} {err!r})")
t, terr = text(kpdf)
c.ok("名键字形测试，测试字体。名键字形测试体。" in t and terr == "",
     f"its text extracts exactly ({t!r})")
# HarfBuzz is loaded (dlopen) only for a CFF font: glibc's loader names every library it loads
# (with a role map of TrueType fonts only: the default one opens the Fandol faces)
ttfhome = c.path("ttfhome")
os.makedirs(ttfhome + "/fonts", exist_ok=True)
if not os.path.exists(ttfhome + "/plugins"):
    os.symlink(os.path.abspath("plugins"), ttfhome + "/plugins")
c.write("ttfhome/fonts/roles.conf", "fangsong = AR PL SungtiL GB\nkai = AR PL KaitiM GB\n"
        "hei = WenQuanYi Zen Hei\nsong = AR PL SungtiL GB\nxbs = AR PL SungtiL GB\n"
        "fallback = LXGW WenKai, WenQuanYi Zen Hei\n")
env = dict(os.environ, LD_DEBUG="files", GONGWEN_HOME=ttfhome,
           GONGWEN_FONT_CACHE=c.path("ttf.cache"))  # other gongwen builds share the default
ttfseed = ("examples/yongzhou-2024-01.txt",)
rc, _, err = c.run("build", *ttfseed, "-o", c.path("ttf-only.pdf"), env=env)
c.ok(rc == 0 and "libhpdf" in err and "harfbuzz" not in err,
     "TrueType fonts only: HarfBuzz is not loaded")
# fontconfig likewise, while the lookup cache answers (a second build: the first filled it)
rc, _, err = c.run("build", *ttfseed, "-o", c.path("ttf-only.pdf"), env=env)
c.ok(rc == 0 and "fontconfig" not in err and "freetype" not in err,
     "the lookup cache answers: fontconfig (and FreeType) are not loaded")
denv = dict(os.environ, LD_DEBUG="files", GONGWEN_FONT_CACHE=c.path("fandol.cache"))
for _ in range(2):  # the second while the cache answers
    rc, _, err = c.run("build", "examples/yongzhou-2024-01.txt", "-o", c.path("fandol.pdf"),
                       env=denv)
c.ok(rc == 0 and "libfontconfig" not in err,
     "the default faces (Fandol, found in roles.conf's folder) need no fontconfig either")
rc, _, err = c.run("build", *ttfseed, "-o", c.path("ttf-only.pdf"),
                   env=dict(env, GONGWEN_FONT_CACHE="off"))
c.ok(rc == 0 and "libfontconfig.so.1" in err, "without the cache, fontconfig is loaded")
rc, _, err = c.run("build", doc, "--layout", "named", "--plugin-path", c.path("cff"), "-o",
                   c.path("cff/named2.pdf"), env=env)
c.ok(rc == 0 and "libharfbuzz-subset.so.0" in err, "a CFF font loads HarfBuzz")

# gongwen fonts marks CFF fonts
home = c.path("cff/home")
os.makedirs(home + "/fonts", exist_ok=True)
if not os.path.exists(home + "/plugins"):
    os.symlink(os.path.abspath("plugins"), home + "/plugins")
c.write("cff/home/fonts/roles.conf", "fangsong = Noto Serif CJK SC\nhei = WenQuanYi Zen Hei\n")
rc, out, _ = c.run("fonts", env=dict(os.environ, GONGWEN_HOME=home))
c.ok(re.search(r"^fangsong +Noto Serif CJK SC \[.*\] CFF$", out, re.M) and
     re.search(r"^hei +WenQuanYi Zen Hei \[.*\]$", out, re.M), f"gongwen fonts marks CFF ({out!r})")

# a damaged CFF table is an error naming the font, and nothing is written
bad = c.path("cff/bad.otf")
with open(otf, "rb") as f:
    font = bytearray(f.read())
at = font.find(b"CFF ")
cff_off = int.from_bytes(font[at + 8:at + 12], "big")
font[cff_off] = 9  # CFF major version 9
with open(bad, "wb") as f:
    f.write(font)
c.write("cff/layouts/bad.lua", 'return { api = 1, base = "gbt9704", fonts = { '
        f'fangsong = {{ "{bad}" }} }} }}\n')
bpdf = c.path("cff/bad.pdf")
rc, _, err = c.run("build", doc, "--layout", "bad", "--plugin-path", c.path("cff"), "-o", bpdf)
c.ok(rc == 1 and "bad.otf" in err and "CFF" in err and not os.path.exists(bpdf),
     f"a damaged CFF font fails the build, naming it ({err.strip()!r})")

# issue 22: the free GB faces by default. The seed is set in Fandol (texlive-lang-chinese):
# FandolFang body, FandolKai 编者按, FandolHei headings, FandolSong-Bold masthead, all
# subset with ToUnicode; and the build says, in one note, which roles are stand-ins
FANDOL = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/"
# (named whole, so tests/system_files.py checks that scripts/setup installs their package)
FANG = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf"
c.ok(os.path.exists(FANG), "texlive-lang-chinese's Fandol faces are installed")
spdf = c.path("fandol/seed.pdf")
os.makedirs(c.path("fandol"), exist_ok=True)
r = subprocess.run([c.gongwen, "build", "examples/yongzhou-2024-01.txt", "-o", spdf],
                   capture_output=True, text=True)
rows, _ = fonts(spdf)
names = sorted(row["name"].split("+", 1)[-1] for row in rows)
c.eq(names, ["FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular", "FandolSong-Bold",
             "FandolSong-Regular"], "the seed is set in the Fandol faces")
c.ok(all(re.match(r"^[A-Z]{6}\+", row["name"]) and row["emb"] == row["sub"] == row["uni"] == "yes"
         for row in rows), f"each embedded as a subset with ToUnicode ({rows})")
note = ("examples/yongzhou-2024-01.txt: note: set in stand-in fonts, since none of the wanted "
        "fonts is installed: fangsong in FandolFang, kai in FandolKai, hei in FandolHei, song in "
        "FandolSong, xbs in FandolSong Bold (")
c.ok(r.returncode == 0 and r.stderr.startswith(note) and r.stderr.count("\n") == 1,
     f"one note names each role set in a stand-in and its font ({r.stderr!r})")
rc, trace, _ = c.run("build", "examples/yongzhou-2024-01.txt", "--trace")
runs = [l.split("\t") for l in trace.splitlines() if l.startswith("text\t")]
font_of = lambda pred: {f[1] for f in runs if pred(f)}
c.eq(font_of(lambda f: f[2] == "16.0" and f[1] != "FandolHei" and f[1] != "FandolKai"),
     {"FandolFang"}, "the body is FandolFang")
texts = [f[-1] for f in runs]
note_runs = runs[texts.index("【编者按】") + 1:texts.index("【工作部署】")]
c.eq({f[1] for f in note_runs}, {"FandolKai"}, "the 编者按 is FandolKai")
c.eq(font_of(lambda f: f[-1] in ("【编者按】", "【工作部署】", "安全生产")), {"FandolHei"},
     "headings and lead-ins are FandolHei")
c.eq(font_of(lambda f: f[1] != "FandolFang" and f[4] == "E60000" and float(f[2]) > 22),
     {"FandolSong"}, "the red masthead title is FandolSong")
rc, out, _ = c.run("fonts")
c.ok(re.search(r"^xbs +FandolSong Bold \[" + FANDOL + r"FandolSong-Bold\.otf #0\] CFF \(stand-in\)$",
               out, re.M) and
     re.search(r"^fallback +LXGW WenKai \[[^]]*\]$", out, re.M),
     f"the masthead role is FandolSong-Bold; fallback fonts are no stand-ins ({out!r})")


def home(name, roles, files=()):
    """A GONGWEN_HOME whose fonts/ holds roles.conf and the given (link, target) files."""
    h = c.path(name)
    os.makedirs(h + "/fonts", exist_ok=True)
    if not os.path.exists(h + "/plugins"):
        os.symlink(os.path.abspath("plugins"), h + "/plugins")
    c.write(name + "/fonts/roles.conf", roles)
    for link, target in files:
        if not os.path.exists(h + "/fonts/" + link):
            os.symlink(target, h + "/fonts/" + link)
    return dict(os.environ, GONGWEN_HOME=h, GONGWEN_FONT_CACHE="off")


# the family lookup: a face answers to every family name it has ("FandolFang" and
# "FandolFang R"), its full and PostScript names, in any case; a family stands for its most
# regular face, though FandolHei-Bold's weight class says 400 as the Regular's does
faces = [(n, FANDOL + n) for n in ("FandolFang-Regular.otf", "FandolHei-Bold.otf",
                                   "FandolHei-Regular.otf", "FandolSong-Bold.otf",
                                   "FandolSong-Regular.otf")]
roles = ("fangsong = FandolFang\nkai = FandolFang R\nhei = FandolHei\nsong = fandolsong\n"
         "xbs = FandolSong-Bold\n")
env = home("lookup", roles, faces)
rc, out, _ = c.run("fonts", env=env)
want = {"fangsong": "FandolFang-Regular", "kai": "FandolFang-Regular", "hei": "FandolHei-Regular",
        "song": "FandolSong-Regular", "xbs": "FandolSong-Bold"}
got = dict(re.findall(r"^(\w+) +.*/fonts/([\w-]+)\.otf #0\] CFF$", out, re.M))
c.eq(got, want, "dropped-in Fandol faces: found by family, full and PostScript name")
# the same through fontconfig (which stores the family as "FandolFang" and "FandolFang R",
# and gives both FandolHei faces weight 80)
fcdir = c.path("lookup/fc")
os.makedirs(fcdir, exist_ok=True)
for link, target in faces:
    if not os.path.exists(fcdir + "/" + link):
        os.symlink(target, fcdir + "/" + link)
conf = c.write("lookup/fonts.conf", f"<?xml version='1.0'?>\n<fontconfig><dir>{fcdir}</dir>"
               f"<cachedir>{c.path('lookup/fccache')}</cachedir></fontconfig>\n")
env = home("lookup-fc", roles)
rc, out, _ = c.run("fonts", env=dict(env, FONTCONFIG_FILE=conf))
got = dict(re.findall(r"^(\w+) +.*/fc/([\w-]+)\.otf #0\] CFF$", out, re.M))
c.eq(got, want, "installed Fandol faces: fontconfig's answers, the most regular face first")

# user fonts still win: a 仿宋_GB2312 dropped into fonts/ (here AR PL SungtiL GB renamed
# with fontTools) is the body font, and the note no longer names the 仿宋 role
fs_ttf = c.path("user/FangSong_GB2312.ttf")
os.makedirs(c.path("user"), exist_ok=True)
r = subprocess.run(["/usr/bin/python3", "-c", """
import sys
from fontTools.ttLib import TTFont
t = TTFont(sys.argv[1])
for rec in list(t["name"].names):
    if rec.nameID in (1, 4, 16):
        rec.string = "FangSong_GB2312" if rec.platformID != 3 or rec.langID == 0x409 else "仿宋_GB2312"
    elif rec.nameID == 6:
        rec.string = "FangSong_GB2312"
t.save(sys.argv[2])
""", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", fs_ttf], capture_output=True,
                   text=True)
c.ok(r.returncode == 0, f"a font named FangSong_GB2312 made ({r.stderr.strip()[-200:]!r})")
with open("fonts/roles.conf", encoding="utf-8") as f:
    env = home("user", f.read(), [("FangSong_GB2312.ttf", fs_ttf)])
upth = c.path("user/seed.pdf")
r = subprocess.run([c.gongwen, "build", "examples/yongzhou-2024-01.txt", "-o", upth],
                   capture_output=True, text=True, env=env)
rows, _ = fonts(upth)
names = {row["name"].split("+", 1)[-1] for row in rows}
c.ok(r.returncode == 0 and "FangSong_GB2312" in names and "FandolFang-Regular" not in names and
     "FandolKai-Regular" in names, f"a dropped-in FangSong_GB2312 is the body font ({names})")
c.ok("note: set in stand-in fonts" in r.stderr and "fangsong in" not in r.stderr and
     "kai in FandolKai" in r.stderr, f"the note leaves the 仿宋 role out ({r.stderr!r})")
rc, out, _ = c.run("fonts", env=env)
c.ok(re.search(r"^fangsong +FangSong_GB2312 \[.*/fonts/FangSong_GB2312\.ttf #0\]$", out, re.M) and
     re.search(r"^ +FandolFang \[.*\] CFF \(stand-in\)$", out, re.M),
     f"gongwen fonts: the user's font first, not a stand-in; FandolFang after it ({out!r})")

env = dict(os.environ, FONTCONFIG_FILE=c.path("fc/conf/fonts.conf"), GONGWEN_FONT_CACHE="off")
os.unlink(cache)
rc, off = lookups(one)
c.ok(rc == 0 and off and off[1] >= first[1] and not os.path.exists(cache),
     f"GONGWEN_FONT_CACHE=off asks fontconfig and writes nothing ({off})")
c.done()
