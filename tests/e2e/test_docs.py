"""End to end: every example the docs show (examples/docs/*.txt, with the
plugins and layouts beside them) builds under --strict, extracts cleanly, and
the tutorial's section plugin and county layout take effect."""
import glob

from pdfcheck import Checker, fonts, text

c = Checker()
inputs = sorted(glob.glob("examples/docs/*.txt"))
c.ok(len(inputs) >= 4, f"docs examples present ({len(inputs)})")
for src in inputs:
    pdf = c.path(src.split("/")[-1][:-4] + ".pdf")
    rc, out, err = c.run("build", "--strict", src, "-o", pdf)
    c.ok(rc == 0 and err == "", f"{src} builds under --strict ({err.strip()[:200]!r})")
    t, perr = text(pdf)
    c.ok(perr == "" and len(t.strip()) > 0, f"{src} extracts without warnings")
    rows, _ = fonts(pdf)
    c.ok(all(r["emb"] == "yes" and r["uni"] == "yes" for r in rows), f"{src} fonts embedded")

# the tutorial plugin (examples/docs/plugins/sections/data_report.lua) claims 【数据通报】
rc, out, _ = c.run("plugins", "examples/docs/data-report.txt")
c.ok("data_report.lua" in out, "gongwen plugins finds the tutorial plugin beside the input")
rc, trace, _ = c.run("build", "examples/docs/data-report.txt", "--trace")
c.ok(rc == 0 and "WenQuanYi Zen Hei" in trace, "tutorial lead-ins are set in the 黑体 role")

# the county layout changes the title colour and centres page numbers
rc, trace, _ = c.run("build", "examples/docs/county-demo.txt", "--trace")
c.ok(rc == 0 and "\tC00000\t" in trace, "county-demo layout sets its title colour")
c.done()
