"""`gongwen serve` in a real browser (Debian's chromium + chromium-driver,
driven by python3-selenium): open the page, type a bulletin, see the preview
update with the right page count, click a finding, apply its suggestion,
fix all, download the PDF and check it as the e2e tests do. With
GW_SCREENSHOT=1 the screenshot also goes to docs/images/serve.png."""
import os
import shutil
import sys
import time

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.chrome.service import Service
except ImportError:  # selenium is Debian's python3-selenium, for Debian's python3
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

sys.path.insert(0, os.path.dirname(__file__))
from pdfcheck import Checker, han, text, tool  # noqa: E402
from serveclient import Server  # noqa: E402

SEED = "examples/yongzhou-2024-01.txt"
TYPED = ("题目：关于做好春季防火工作的通知\n"
         "各乡镇人民政府：\n"
         "一、提高认识\n"
         "2024 年春季气候干燥，森林火险等级高，各地要切实做好防火工作。\n")

c = Checker()
folder = c.path("docs")
os.makedirs(folder)
shutil.copy(SEED, os.path.join(folder, "bulletin.txt"))
downloads = c.path("downloads")
os.makedirs(downloads)
rc, out, _ = tool(c.gongwen, "build", SEED, "-o", c.path("seed.pdf"))
seed_pages = int([l for l in tool("pdfinfo", c.path("seed.pdf"))[1].splitlines()
                  if l.startswith("Pages:")][0].split()[1])

s = Server(c.gongwen, folder)
opts = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900",
          "--disable-dev-shm-usage", "--no-proxy-server", "--lang=zh-CN"):
    opts.add_argument(a)
opts.binary_location = "/usr/bin/chromium"
opts.add_experimental_option("prefs", {"download.default_directory": downloads,
                                       "download.prompt_for_download": False})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def wait(cond, what, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception:  # noqa: BLE001 (the page is still changing)
            pass
        time.sleep(0.2)
    c.ok(False, f"timed out waiting: {what}")
    return None


def pages():
    return int(driver.find_element(By.ID, "pages").get_attribute("data-pages"))


def builds():
    return int(driver.find_element(By.ID, "pages").get_attribute("data-builds"))


try:
    driver.get(s.url)
    c.eq(driver.title, "公文排版 · gongwen", "the page opens")
    ok = wait(lambda: pages() == seed_pages, f"the seed previewed in {seed_pages} pages")
    c.ok(ok, f"opens the folder's document and previews it ({seed_pages} pages)")
    c.eq(len(driver.find_elements(By.CSS_SELECTOR, "#pages canvas")), seed_pages,
         "one canvas per page")
    rows = driver.find_elements(By.CSS_SELECTOR, "#gutter div")
    seed_lines = open(SEED, encoding="utf-8").read().split("\n")
    c.eq(len(rows), len(seed_lines), "a line number per line")
    long_line = max(range(len(seed_lines)), key=lambda i: len(seed_lines[i]))
    c.ok(rows[long_line].size["height"] > 3 * rows[0].size["height"],
         f"a long paragraph wraps and its number is as tall ({rows[long_line].size})")

    # type a new document over it
    area = driver.find_element(By.ID, "text")
    driver.execute_script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input'))", area)
    before = builds()
    area.send_keys(TYPED)
    c.ok(wait(lambda: pages() == 1 and builds() > before and
              "已排版" in driver.find_element(By.ID, "status").text, "the typed text previewed"),
         "the preview follows the typing (1 page)")
    gutter = driver.find_element(By.ID, "gutter").text.split()
    c.eq(gutter[:5], ["1", "2", "3", "4", "5"], "line numbers")

    # a finding: click it, the editor moves there; apply its suggestion
    item = wait(lambda: [li for li in driver.find_elements(By.CSS_SELECTOR, "#list li")
                         if "space-han-digit" in li.text], "the space finding")
    if item:
        li = item[0]
        line, col = int(li.get_attribute("data-line")), int(li.get_attribute("data-col"))
        c.eq(line, 4, "the finding's line")
        li.click()
        pos = driver.execute_script("return arguments[0].selectionStart", area)
        want = sum(len(l) + 1 for l in TYPED.split("\n")[:line - 1]) + col - 1
        c.eq(pos, want, "clicking a finding moves the editor to its line:col")
        before = builds()
        li.find_element(By.CSS_SELECTOR, "button.apply").click()
        c.ok("2024年春季" in area.get_attribute("value"), "applying the suggestion edits the text")
        wait(lambda: builds() > before, "rebuilt after the fix")

    # fix all (on a text with a pasted full-width digit and a doubled mark)
    driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                          area, TYPED.replace("2024 年", "２０２４年"))
    before = builds()
    wait(lambda: builds() > before, "rebuilt")
    driver.find_element(By.ID, "fixall").click()
    c.ok(wait(lambda: "2024年春季" in area.get_attribute("value"), "fix all"),
         "fix all applies the rules")

    # download the PDF and check it
    wait(lambda: not driver.find_element(By.ID, "download").get_attribute("disabled"), "download ready")
    time.sleep(1)
    driver.find_element(By.ID, "download").click()
    got = wait(lambda: [f for f in os.listdir(downloads) if f.endswith(".pdf")], "the download")
    if got:
        pdf = os.path.join(downloads, got[0])
        time.sleep(0.5)
        rc, out, err = tool("qpdf", "--check", pdf)
        c.ok(rc == 0, f"the downloaded PDF passes qpdf --check ({err})")
        t, _ = text(pdf)
        c.ok(han("关于做好春季防火工作的通知") in han(t), "the downloaded PDF holds the headline")
        c.ok(han("森林火险等级高") in han(t), "and the body")
        rc, out, _ = tool("pdffonts", pdf)
        c.ok(all(" yes " in l for l in out.splitlines()[2:]), "its fonts are embedded")

    # a starter of each kind (gongwen new): pick 请示 in 新建
    from selenium.webdriver.support.ui import Select
    before = builds()
    Select(driver.find_element(By.ID, "kind")).select_by_value("请示")
    c.ok(wait(lambda: "请示" in area.get_attribute("value") and builds() > before and
              "已排版" in driver.find_element(By.ID, "status").text, "the starter previewed"),
         "新建 请示 fills the editor with its starter and previews it")

    shot = c.path("serve.png")
    driver.get(s.url)  # nothing was saved: the folder's document as it was
    if not wait(lambda: pages() == seed_pages, "the seed again"):
        print("status:", driver.find_element(By.ID, "status").text, pages(), builds())
    driver.save_screenshot(shot)
    if os.environ.get("GW_SCREENSHOT"):
        shutil.copy(shot, "docs/images/serve.png")
    logs = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    c.eq(logs, [], "no errors in the browser's console")
finally:
    driver.quit()
    s.stop()
c.done()
