"""End to end: the install (issue 24, part 4). `cmake --install BUILD --prefix P`
puts the binary, plugins and fonts/roles.conf (P/share/gongwen), the docs, the
man page and bash completion in place; the prefix is then moved elsewhere, and
the installed binary, run with the source and build trees hidden (an empty
tmpfs over them in a private mount namespace: `unshare -m`, or `-rm` when
not root), finds its own plugins from its path and builds the seed to the
same bytes as the build-tree binary. The plugin folders come in the
documented order (installed, $XDG_DATA_HOME/gongwen/plugins, plugins/ beside
the document, --plugin-path), a later one winning. `man -l` shows the page,
with every option the usage lists; the completion completes commands and layout names."""
import json
import os
import re
import shutil
import subprocess
import tempfile

from pdfcheck import Checker

c = Checker()
SEED = "examples/yongzhou-2024-01.txt"
EPOCH = dict(os.environ, SOURCE_DATE_EPOCH="1709164800")
build_dir = os.path.dirname(c.gongwen)
source = os.getcwd()
tmp = tempfile.mkdtemp(prefix="gongwen-install-")  # outside the trees the test hides
try:
    first = os.path.join(tmp, "first")
    r = subprocess.run(["cmake", "--install", build_dir, "--prefix", first], capture_output=True,
                       text=True)
    c.ok(r.returncode == 0, f"cmake --install ({r.stderr[-300:]!r})")
    prefix = os.path.join(tmp, "moved")
    os.rename(first, prefix)  # the binary finds its files from where it is, not where it was put
    binary = os.path.join(prefix, "bin", "gongwen")
    for f in ("bin/gongwen", "share/gongwen/plugins/layouts/gbt9704.lua",
              "share/gongwen/plugins/sections/default.lua", "share/gongwen/plugins/rules/punctuation.lua",
              "share/gongwen/fonts/roles.conf", "share/man/man1/gongwen.1",
              "share/bash-completion/completions/gongwen", "share/doc/gongwen/cli.md",
              "share/doc/gongwen/README.md"):
        c.ok(os.path.isfile(os.path.join(prefix, f)), f"installed {f}")

    # the seed, built by the build tree's binary: what the installed one must write
    docs = os.path.join(tmp, "docs")
    os.makedirs(docs)
    shutil.copy(SEED, os.path.join(docs, "seed.txt"))
    want = os.path.join(tmp, "want.pdf")
    subprocess.run([c.gongwen, "build", SEED, "-o", want], env=EPOCH, check=True,
                   capture_output=True)

    # A private mount namespace: as root, without a user namespace (a machine may forbid
    # those, as a chroot does); otherwise in one of its own, mapped to root (`-r`).
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]

    def hidden(*args, env=None, cwd=docs):
        """Run the installed binary with the source and build trees hidden."""
        hide = " && ".join(f"mount -t tmpfs none {d}" for d in (source, build_dir)
                           if not d.startswith(source + "/"))
        cmd = [*unshare, "sh", "-c", f'{hide} && cd "$0" && exec "$@"', cwd, binary, *args]
        return subprocess.run(cmd, capture_output=True, text=True,
                              env=dict(env or EPOCH, HOME=tmp))

    probe = subprocess.run([*unshare, "sh", "-c", f"mount -t tmpfs none {source} && "
                            f"test ! -e {source}/{SEED}"], capture_output=True, text=True)
    c.ok(probe.returncode == 0, f"the source tree can be hidden for the test ({probe.stderr.strip()!r})")
    env = {k: v for k, v in EPOCH.items() if k not in ("GONGWEN_HOME", "XDG_DATA_HOME")}
    r = hidden("build", "seed.txt", "-o", "seed.pdf", env=env)
    c.ok(r.returncode == 0 and r.stdout == "seed.pdf\n",
         f"the installed binary builds the seed with the trees hidden ({r.stderr[-300:]!r})")
    got = os.path.join(docs, "seed.pdf")
    c.ok(os.path.exists(got) and open(got, "rb").read() == open(want, "rb").read(),
         "the installed binary writes the build tree's bytes")
    r = hidden("plugins", "--format", "json", env=env)
    folders = json.loads(r.stdout)["folders"] if r.returncode == 0 else []
    c.eq(folders, [os.path.join(prefix, "share/gongwen/plugins")],
         "the installed binary's plugins are its prefix's")

    # the plugin folders' order: installed, XDG_DATA_HOME, beside the document, --plugin-path
    xdg = os.path.join(tmp, "xdg")
    extra = os.path.join(tmp, "extra")
    for folder, left in ((os.path.join(xdg, "gongwen/plugins"), 27),
                         (os.path.join(docs, "plugins"), 26.5), (extra, 26)):
        os.makedirs(os.path.join(folder, "layouts"), exist_ok=True)
        with open(os.path.join(folder, "layouts", "mine.lua"), "w", encoding="utf-8") as f:
            f.write(f'return {{ api = 1, base = "gbt9704", page = {{ left = {left} }} }}\n')
    env_x = dict(env, XDG_DATA_HOME=xdg)
    r = hidden("plugins", "seed.txt", "--plugin-path", extra, "--format", "json", env=env_x)
    folders = json.loads(r.stdout)["folders"] if r.returncode == 0 else []
    c.eq(folders, [os.path.join(prefix, "share/gongwen/plugins"), os.path.join(xdg, "gongwen/plugins"),
                   "plugins", extra], "plugin folders: installed, XDG, beside the document, --plugin-path")

    def left(*args):
        r = hidden("layout", "mine", *args, "--format", "json", env=env_x)
        if r.returncode != 0:
            return r.stderr.strip()
        v = {x["path"]: x for x in json.loads(r.stdout)["values"]}.get("page.left", {})
        return v.get("value"), os.path.relpath(os.path.join(docs, v.get("file") or "/"), tmp)

    c.eq(left(), (27, "xdg/gongwen/plugins/layouts/mine.lua"), "XDG_DATA_HOME's layout")
    c.eq(left("seed.txt"), (26.5, "docs/plugins/layouts/mine.lua"),
         "plugins/ beside the document wins over XDG_DATA_HOME")
    c.eq(left("seed.txt", "--plugin-path", extra), (26, "extra/layouts/mine.lua"),
         "--plugin-path wins over both")
    env_h = {k: v for k, v in env.items() if k != "XDG_DATA_HOME"}
    os.makedirs(os.path.join(tmp, ".local/share/gongwen"), exist_ok=True)
    os.symlink(os.path.join(xdg, "gongwen/plugins"), os.path.join(tmp, ".local/share/gongwen/plugins"))
    r = hidden("plugins", "--format", "json", env=env_h)
    c.ok(r.returncode == 0 and json.loads(r.stdout)["folders"][1:] ==
         [os.path.join(tmp, ".local/share/gongwen/plugins")],
         "without XDG_DATA_HOME: ~/.local/share/gongwen/plugins")

    # the man page: man -l shows it, with every option of the usage
    man = os.path.join(prefix, "share/man/man1/gongwen.1")
    r = subprocess.run(["man", "-l", man], capture_output=True, text=True,
                       env=dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="100"))
    page = re.sub(r".\x08", "", r.stdout).replace("\u2010", "-")
    c.ok(r.returncode == 0 and "gongwen - turn plain text" in page and "EXIT STATUS" in page,
         f"man -l shows gongwen(1) ({r.stderr[:200]!r})")
    usage = subprocess.run([c.gongwen, "--help"], capture_output=True, text=True).stdout
    opts = sorted(set(re.findall(r"(?<![\w-])(--[a-z-]+|-[oj])(?![\w-])", usage)))
    missing = [o for o in opts if o not in page]
    c.ok(len(opts) >= 15 and not missing, f"the man page names every option of --help ({missing})")

    # bash completion: commands, options, layout names (from the installed binary on PATH)
    comp = os.path.join(prefix, "share/bash-completion/completions/gongwen")

    def complete(line):
        words = line.split(" ")
        script = (f'source {comp}; COMP_WORDS=({" ".join(repr(w) for w in words)}); '
                  f'COMP_CWORD={len(words) - 1}; _gongwen; printf "%s\\n" "${{COMPREPLY[@]}}"')
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=docs,
                           env=dict(env, PATH=os.path.join(prefix, "bin") + ":" + os.environ["PATH"]))
        return sorted(r.stdout.split())

    c.eq(complete("gongwen bu"), ["build"], "completion: a command")
    c.eq(complete("gongwen fix --d"), ["--diff"], "completion: an option of the command")
    c.ok("yongzhou/daoxian" in complete("gongwen build --layout "), "completion: layout names")
    c.eq(complete("gongwen build se"), ["seed.txt"], "completion: a .txt input")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
c.done()
