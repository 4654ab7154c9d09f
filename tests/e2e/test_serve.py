"""`gongwen serve`: the API, hostile requests and a short load, on 127.0.0.1
(docs/serve.md). The browser test is test_serve_browser.py; the long load
run is in scripts/bench."""
import base64
import json
import os
import shutil
from urllib.parse import quote
import sys

sys.path.insert(0, os.path.dirname(__file__))
from pdfcheck import Checker, tool  # noqa: E402
from serveclient import Server, load, percentile  # noqa: E402

SEED = "examples/yongzhou-2024-01.txt"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360f80f0000010101005f1bb2d80000000049454e44ae426082")

c = Checker()
folder = c.path("docs")
os.makedirs(folder)
shutil.copy(SEED, os.path.join(folder, "bulletin.txt"))
os.symlink("/etc", os.path.join(folder, "etc"))
with open(c.path("outside.txt"), "w") as f:
    f.write("outside\n")
os.symlink(c.path("outside.txt"), os.path.join(folder, "link.txt"))
seed = open(SEED, encoding="utf-8").read()

s = Server(c.gongwen, folder)
try:
    c.ok(s.line.startswith(f"gongwen serve: open http://127.0.0.1:{s.port}/"), "prints the address")
    c.eq(s.token, None, "no token on the loopback")

    # --- the page and the API ---
    st, h, body = s.request("GET", "/")
    c.eq(st, 200, "the page")
    c.ok("公文排版" in body.decode(), "the page's labels are Chinese")
    c.ok("default-src 'self'" in h.get("Content-Security-Policy", ""), "a CSP on every reply")
    st, info = s.json("GET", "/api/info")
    c.eq([f["name"] for f in info.get("files", [])], ["bulletin.txt"],
         "the folder's documents, no symlinks listed")
    st, d = s.json("POST", "/api/build?name=bulletin.txt", seed)
    c.ok(st == 200 and d.get("ok") and d.get("status") == 0, f"builds the seed ({st}, {d.get('log')})")
    pdf = base64.b64decode(d.get("pdf") or "")
    with open(c.path("seed.pdf"), "wb") as f:
        f.write(pdf)
    rc, out, _ = tool("pdfinfo", c.path("seed.pdf"))
    c.ok(rc == 0 and "Pages:" in out, "the build's PDF is a PDF")
    c.eq(sorted(os.listdir(folder)), ["bulletin.txt", "etc", "link.txt"],
         "no temporary file left in the folder")
    st, d = s.json("POST", "/api/check?name=bulletin.txt", seed)
    c.ok(st == 200 and "bulletin.txt:5:5: warning[space-han-digit]" in d.get("log", ""),
         "check's findings name the document, not the temporary copy")
    st, d = s.json("POST", "/api/fix", "2024 年第 1 期\n")
    c.ok(st == 200 and d.get("text") == "2024年第1期\n", f"fix returns the fixed text ({d})")
    bad = "【专项行动】\n一段正文。\n【未闭合\n"
    st, d = s.json("POST", "/api/build", bad)
    c.ok(st == 200 and d.get("ok") is False and d.get("pdf") is None and
         ":3:1: error" in d.get("log", ""), f"a failed build says where ({d.get('log')})")
    st, d = s.json("POST", "/api/save?name=new.txt", "题目：测试\n")
    c.ok(st == 200 and open(os.path.join(folder, "new.txt"), encoding="utf-8").read() == "题目：测试\n",
         "save writes the text")
    st, d = s.json("POST", "/api/upload?name=seal.png", PNG)
    c.ok(st == 200 and open(os.path.join(folder, "seal.png"), "rb").read() == PNG, "upload a PNG")
    st, h, body = s.request("GET", "/api/file?name=bulletin.txt")
    c.ok(st == 200 and body.decode() == seed, "open a document")
    os.makedirs(os.path.join(folder, "plugins", "layouts"))
    with open(os.path.join(folder, "plugins", "layouts", "mycounty.lua"), "w") as f:
        f.write('return { api = 1, name = "mycounty", base = "gbt9704" }\n')
    st, d = s.json("GET", "/api/layouts")
    c.ok(st == 200 and "gbt9704" in d.get("text", "") and "\n  mycounty " in d.get("text", ""),
         "lists the layouts, the folder's own (a county's) included")
    shutil.rmtree(os.path.join(folder, "plugins"))

    # a plugin's message not in UTF-8: the reply is valid JSON all the same (util/gw_json:
    # U+FFFD for each maximal subpart), as the CLI's --format json; a file name not in
    # UTF-8 is not listed
    os.makedirs(os.path.join(folder, "plugins", "sections"))
    with open(os.path.join(folder, "plugins", "sections", "editor_note.lua"), "wb") as f:
        f.write(b'return { api = 1, match = [[^\xe7\xbc\x96\xe8\x80\x85\xe6\x8c\x89$]],\n'
                b'   build = function(sec, out) gw.warn("x\\xff\\xfe \\xed\\xa0\\x80 y") end }\n')
    with open(os.path.join(folder.encode(), b"bad\xff.txt"), "wb") as f:
        f.write(b"x\n")
    for method, path, body in (("POST", "/api/build?name=bulletin.txt", seed),
                               ("GET", "/api/info", None)):
        st, _, data = s.request(method, path, body)
        try:
            d = json.loads(data.decode("utf-8"))
        except ValueError as e:
            d = {"raw": f"{e}: {data[-200:]!r}"}
        c.ok(st == 200 and "raw" not in d, f"{path}: strict UTF-8 JSON ({d.get('raw')})")
        if path.startswith("/api/build"):
            c.ok("x\ufffd\ufffd \ufffd\ufffd\ufffd y" in d.get("log", ""),
                 f"the build's log: the message's bytes as U+FFFD ({d.get('log', '')[:300]!r})")
        else:
            c.ok(d.get("files") and not any("bad" in f["name"] for f in d["files"]),
                 f"the file list leaves out a name not in UTF-8 (it could not be opened by "
                 f"name) ({d.get('files')})")
    shutil.rmtree(os.path.join(folder, "plugins"))
    os.unlink(os.path.join(folder.encode(), b"bad\xff.txt"))

    shutil.copy("examples/wenjian/seal.png", os.path.join(folder, "seal.png"))  # the starter's 印章
    st, d = s.json("GET", "/api/new?kind=" + quote("通知"))
    c.ok(st == 200 and d.get("status") == 0 and "//" in d.get("text", ""), "a starter text (gongwen new)")
    st, d = s.json("POST", "/api/build", d.get("text", ""))
    c.ok(st == 200 and d.get("ok"), f"the starter builds ({d.get('log', '')[:300]})")
    st, d = s.json("GET", "/api/new?kind=--help")
    c.ok(st == 400 and d.get("error"), "an unknown kind is refused")

    # --- hostile requests: each refused clearly, the server keeps serving ---
    def refused(status, path, what, method="GET", body=None, **kw):
        st, d = s.json(method, path, body, **kw)
        c.ok(st == status and d.get("error"), f"{what}: {st} {d}")
        return d

    refused(403, "/api/info", "a rebinding Host", host=f"evil.example:{s.port}")
    refused(403, "/api/info", "a Host with another port", host=f"127.0.0.1:{s.port + 1}")
    refused(403, "/api/build", "a cross-site Origin", "POST", seed,
            headers={"Origin": "http://evil.example"})
    refused(403, "/api/save?name=x.txt", "a POST without X-Gongwen", "POST", "x",
            headers={"X-Gongwen": None})
    d = refused(413, "/api/build", "a body over 8 MiB", "POST", b"x" * (8 * 1024 * 1024 + 1))
    for name in ["../outside.txt", "a/../../outside.txt", ".hidden.txt", "/etc/passwd",
                 "etc/passwd", "link.txt", "a//b.txt", "x\\..\\y.txt"]:
        refused(400 if name != "link.txt" else 400, "/api/file?name=" + name.replace("\\", "%5C"),
                f"the path {name!r}") if name not in ("etc/passwd", "link.txt") else None
        if name in ("etc/passwd", "link.txt"):
            st, d = s.json("GET", "/api/file?name=" + name)
            c.ok(st in (400, 404) and "root:" not in str(d) and "outside" not in str(d),
                 f"a symlink out of DIR ({name}): {st} {d}")
    st, d = s.json("POST", "/api/save?name=etc/evil.txt", "x")
    c.ok(st in (400, 404) and not os.path.exists("/etc/evil.txt"), f"no save through a symlink ({st})")
    with open(os.path.join(folder, "notes.key"), "w") as f:
        f.write("secret")
    refused(400, "/api/file?name=notes.key", "a file that is neither a document nor an image")
    os.remove(os.path.join(folder, "notes.key"))
    refused(415, "/api/upload?name=fake.png", "a fake PNG", "POST", b"<html>not a png</html>")
    refused(400, "/api/upload?name=seal.jpg", "a PNG named .jpg", "POST", PNG)
    refused(400, "/api/build?layout=--plugin-path", "an option as a layout", "POST", seed)
    refused(405, "/api/build", "GET on a POST route")
    refused(404, "/nothing", "an unknown page")
    st, d = s.json("GET", "/api/info")
    c.eq(st, 200, "still serving after the hostile requests")

    # a plugin bomb in DIR/plugins: the build stops at the budget or the time limit
    os.makedirs(os.path.join(folder, "plugins", "sections"))
    with open(os.path.join(folder, "plugins", "sections", "bomb.lua"), "w") as f:
        f.write('return { api = 1, name = "bomb", match = "^专项行动$",\n'
                '  render = function(sec, out) local t = {} while true do t[#t + 1] = t end end }\n')
    st, d = s.json("POST", "/api/build?name=bulletin.txt", seed, timeout=120)
    c.ok(st == 200 and not d.get("ok") and ("bomb.lua" in d.get("log", "") or d.get("timed_out")),
         f"a plugin bomb is stopped and named ({d.get('log', '')[:300]})")
    shutil.rmtree(os.path.join(folder, "plugins"))
    st, d = s.json("POST", "/api/build?name=bulletin.txt", seed)
    c.ok(st == 200 and d.get("ok"), "builds again after the bomb")

    # --- a short load (the full one is scripts/bench --serve) ---
    rss0 = s.rss_kb()
    n, errors, lat = load(s, seed, clients=8, seconds=4, name="bulletin.txt")
    rss1 = s.rss_kb()
    print(f"load: 8 clients 4 s: {n} builds, {n / 4:.1f}/s, p50 {percentile(lat, 50):.0f} ms, "
          f"p99 {percentile(lat, 99):.0f} ms, {errors} errors, RSS {rss0} -> {rss1} kB")
    c.ok(n > 0 and errors == 0, f"the load runs without errors ({n} builds, {errors} errors)")
    if "ASAN_OPTIONS" not in os.environ:  # ASan keeps freed memory in quarantine
        c.ok(rss1 - rss0 < 5 * 1024, f"RSS grows by under 5 MB ({rss0} -> {rss1} kB)")
    c.ok(s.alive(), "the server is alive")
finally:
    s.stop()

# --- off the loopback: a token is required ---
s = Server(c.gongwen, folder, "--listen", "0.0.0.0")
try:
    c.ok(bool(s.token) and len(s.token) == 32, "a token is printed off the loopback")
    st, d = s.json("GET", "/api/info")
    c.eq(st, 403, "no token, no answer")
    st, d = s.json("GET", "/api/info?token=" + "0" * 32)
    c.eq(st, 403, "a wrong token")
    st, d = s.json("GET", "/api/info?token=" + s.token)
    c.eq(st, 200, "the right token")
    st, d = s.json("GET", "/api/info", headers={"X-Gongwen-Token": s.token})
    c.eq(st, 200, "the token in a header")
finally:
    s.stop()
c.done()
