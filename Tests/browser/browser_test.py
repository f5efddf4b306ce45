#!/usr/bin/env python3
"""Real-browser test of Paperboy's web pages.

Drives headless Chromium (Debian's `chromium` + `chromium-driver`) with Selenium against a
running `paperboy serve`: the daily page and its keyboard shortcuts, a search, a paper page,
an upvote (in place, then after a reload) and the dark theme. Saves a screenshot of each page.

    python3 Tests/browser/browser_test.py BASE_URL OUTPUT_DIR

Prints one line per step; exits 0 only when every step passed, 1 otherwise (the failing step
is named), 2 on bad usage. CHROMIUM and CHROMEDRIVER override the browser and driver paths.
"""

import json
import os
import re
import sys
import time
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

WIDTH, HEIGHT = 1280, 900
PHONE_WIDTH, PHONE_HEIGHT = 390, 844
WAIT = 10  # seconds for anything the page does by itself


class StepFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise StepFailed(message)


def normalize(text):
    return " ".join((text or "").split())


class BrowserTest:
    def __init__(self, base_url, out_dir):
        self.base = base_url.rstrip("/")
        origin = urlsplit(self.base)
        self.origin = f"{origin.scheme}://{origin.netloc}"
        self.out_dir = out_dir
        self.driver = None
        self.requests = []  # every URL the browser asked for
        self.console = []  # browser console entries
        self.paper = None  # {"title", "href"} of the paper followed through the steps

    # -- plumbing ---------------------------------------------------------------------------

    def start(self):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    f"--window-size={WIDTH},{HEIGHT}", "--lang=en-US",
                    "--disable-extensions", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--force-color-profile=srgb"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})

    def stop(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:
                pass

    def url(self, path):
        return self.base + path

    def shot(self, name):
        path = os.path.join(self.out_dir, name)
        check(self.driver.save_screenshot(path), f"could not save screenshot {path}")

    def collect_logs(self):
        """Drains the driver's logs: network requests (performance) and console (browser)."""
        try:
            for entry in self.driver.get_log("performance"):
                message = json.loads(entry["message"]).get("message", {})
                if message.get("method") == "Network.requestWillBeSent":
                    self.requests.append(message["params"]["request"]["url"])
        except (WebDriverException, ValueError, KeyError):
            pass
        try:
            self.console.extend(self.driver.get_log("browser"))
        except WebDriverException:
            pass
        # Resource Timing as a second witness (sees what the page loaded, even from cache).
        try:
            self.requests.extend(self.driver.execute_script(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
                ".concat([location.href]);") or [])
        except WebDriverException:
            pass

    def wait_for(self, condition, message, timeout=WAIT):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: condition())
        except TimeoutException:
            raise StepFailed(message)

    def load(self, path_or_url):
        url = path_or_url if path_or_url.startswith("http") else self.url(path_or_url)
        self.driver.get(url)
        self.wait_ready()

    def wait_ready(self):
        self.wait_for(lambda: self.driver.execute_script("return document.readyState") == "complete",
                      "page did not finish loading")
        self.collect_logs()

    def click(self, element):
        """Brings the element to the middle of the window at once, then clicks it.

        The stylesheet scrolls smoothly; a plain click on an element below the fold can land
        while the page is still moving and hit whatever is passing under the pointer."""
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});", element)
        element.click()

    def active(self):
        return self.driver.switch_to.active_element

    def press(self, key):
        ActionChains(self.driver).send_keys(key).perform()

    def no_horizontal_overflow(self):
        return self.driver.execute_script(
            "var d = document.documentElement;"
            "return [d.scrollWidth, d.clientWidth];")

    # -- steps ------------------------------------------------------------------------------

    def step_daily(self):
        self.load("/")
        d = self.driver
        h1 = d.find_elements(By.CSS_SELECTOR, "main h1")
        heading = normalize(h1[0].text) if h1 else ""
        check(heading, "the daily page has no <h1> heading")
        cards = d.find_elements(By.CSS_SELECTOR, "ol.paper-list article.paper-card")
        check(len(cards) >= 2, f"the daily page shows {len(cards)} paper card(s), expected at least 2")
        links = d.find_elements(By.CSS_SELECTOR, "article.paper-card .paper-title a")
        check(links, "no paper title link in the cards")
        for link in links:
            check(normalize(link.text), "a paper title link has no text")
            check(link.get_attribute("href").startswith(self.base + "/papers/"),
                  f"paper link {link.get_attribute('href')!r} does not lead to /papers/")
        self.paper = self.pick_paper(links)
        self.shot("daily.png")

        # Keyboard: j twice selects (and focuses) the second card; / focuses the search box.
        d.execute_script("if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0);")
        self.press("j")
        self.press("j")
        second = cards[1]
        self.wait_for(lambda: self.active() == second,
                      "after pressing j twice the focus is not on the second paper card (it is on "
                      + d.execute_script("var a = document.activeElement; return '<' + a.tagName.toLowerCase()"
                                         " + ' ' + (a.getAttribute('aria-labelledby') || a.id || a.className) + '>';"))
        check("is-selected" in (second.get_attribute("class") or ""),
              "the second card is focused but not marked .is-selected")
        self.press("/")
        self.wait_for(lambda: self.active().get_attribute("name") == "q",
                      "after pressing / the search box does not have the focus "
                      f"(it is on <{self.active().tag_name} id={self.active().get_attribute('id')!r}>)")
        check(self.active().get_attribute("value") == "",
              "pressing / typed a '/' into the search box instead of only focusing it")

        # Phone-sized screenshot of the same page (mobile emulation honours the viewport meta).
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": PHONE_WIDTH, "height": PHONE_HEIGHT, "deviceScaleFactor": 2, "mobile": True})
        try:
            self.load("/")
            scroll, client = self.no_horizontal_overflow()
            self.shot("daily-phone.png")
            check(scroll <= client + 1,
                  f"on a {PHONE_WIDTH}x{PHONE_HEIGHT} phone the daily page scrolls sideways "
                  f"(content {scroll}px wide in a {client}px viewport)")
        finally:
            d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        return f"{len(cards)} cards under {heading!r}; j j focused card 2; / focused the search box"

    @staticmethod
    def pick_paper(links):
        """The first card whose title has at least two plain words to search for."""
        for link in links:
            title = normalize(link.text)
            words = [w for w in re.findall(r"[A-Za-z]+", title) if len(w) >= 4]
            if len(words) >= 2:
                return {"title": title, "href": link.get_attribute("href"), "words": words}
        link = links[0]
        return {"title": normalize(link.text), "href": link.get_attribute("href"),
                "words": re.findall(r"[A-Za-z0-9]+", link.text)}

    def step_search(self):
        d = self.driver
        self.load("/")
        # The three longest words of the title: specific enough to find it, plain enough to parse.
        words = sorted(self.paper["words"], key=len, reverse=True)[:3]
        query = " ".join(w for w in self.paper["words"] if w in words)
        box = d.find_element(By.CSS_SELECTOR, "header input[name=q]")
        self.click(box)
        box.send_keys(query)
        box.send_keys(Keys.ENTER)
        self.wait_for(lambda: urlsplit(d.current_url).path == "/search",
                      f"submitting the search box did not open /search (at {d.current_url})")
        self.wait_ready()
        box = d.find_element(By.CSS_SELECTOR, "main input[name=q]")
        check(box.get_attribute("value") == query,
              f"the results page's search box holds {box.get_attribute('value')!r}, not the query {query!r}")
        results = d.find_elements(By.CSS_SELECTOR, "ol.paper-list article.paper-card .paper-title a")
        check(results, f"the search for {query!r} lists no paper")
        hrefs = [r.get_attribute("href") for r in results]
        check(self.paper["href"] in hrefs,
              f"the search for {query!r} does not list {self.paper['title']!r} ({self.paper['href']}); "
              f"it lists {hrefs[:5]}")
        marks = d.find_elements(By.CSS_SELECTOR, "ol.paper-list mark")
        check(marks, f"the results for {query!r} have no highlighted <mark>")
        marked = {normalize(m.text).lower() for m in marks}
        check(any(w.lower()[:4] in m for m in marked for w in words),
              f"the highlighted words {sorted(marked)[:8]} match none of the query's words {words}")
        self.shot("search.png")
        position = hrefs.index(self.paper["href"]) + 1
        return f"query {query!r}: {len(results)} results, the paper at #{position}, {len(marks)} <mark>"

    def step_paper(self):
        d = self.driver
        link = [r for r in d.find_elements(By.CSS_SELECTOR, "ol.paper-list .paper-title a")
                if r.get_attribute("href") == self.paper["href"]]
        check(link, "the result link vanished")
        self.click(link[0])
        self.wait_for(lambda: d.current_url.split("#")[0] == self.paper["href"],
                      f"clicking the result did not open {self.paper['href']} (at {d.current_url})")
        self.wait_ready()
        title = d.find_elements(By.CSS_SELECTOR, "article.paper h1#paper-title")
        check(title, "the paper page has no h1#paper-title")
        check(normalize(title[0].text) == self.paper["title"],
              f"the paper page's title {normalize(title[0].text)!r} is not {self.paper['title']!r}")
        check(self.paper["title"] in d.title, f"the window title {d.title!r} does not name the paper")
        authors = [normalize(a.text) for a in d.find_elements(By.CSS_SELECTOR, "ul.paper-authors li")]
        check(authors and all(authors), f"the paper page lists no authors ({authors})")
        abstract = normalize(" ".join(p.text for p in d.find_elements(By.CSS_SELECTOR, ".abstract p")))
        check(len(abstract) > 40 and not abstract.startswith("No abstract is known"),
              f"the paper page shows no abstract ({abstract[:80]!r})")
        bibtex = d.find_elements(By.CSS_SELECTOR, "pre#bibtex")
        check(bibtex, "the paper page has no BibTeX block")
        bib = bibtex[0].text
        check(re.match(r"\s*@\w+\{", bib) and "title" in bib and bib.rstrip().endswith("}"),
              f"the BibTeX does not look like an entry: {bib[:80]!r}")
        self.shot("paper.png")
        return f"{self.paper['title']!r}: {len(authors)} author(s), abstract {len(abstract)} chars, BibTeX {bib.split(',')[0].strip()}"

    def upvote_count(self):
        text = self.driver.find_element(By.CSS_SELECTOR, "form#upvote [data-upvote-count]").text
        check(re.fullmatch(r"\d+", text.strip()), f"the vote count {text!r} is not a number")
        return int(text)

    def step_upvote(self):
        d = self.driver
        before = self.upvote_count()
        d.execute_script("window.__paperboyNoReload = true;")
        self.click(d.find_element(By.CSS_SELECTOR, "form#upvote button[type=submit]"))
        self.wait_for(lambda: self.upvote_count() == before + 1,
                      f"after clicking Upvote the count stayed {self.upvote_count()} (was {before}, expected {before + 1})")
        check(d.execute_script("return window.__paperboyNoReload === true;"),
              "the upvote reloaded the page instead of updating the count in place")
        button = d.find_element(By.CSS_SELECTOR, "form#upvote button").text
        check("Upvoted" in button, f"the upvote button says {button!r} after voting, not 'Upvoted'")
        self.collect_logs()
        d.refresh()
        self.wait_ready()
        after = self.upvote_count()
        check(after == before + 1, f"after a reload the count is {after}, expected {before + 1}")
        self.shot("upvoted.png")

        errors = [e for e in self.console if e.get("level") == "SEVERE"]
        check(not errors, "the browser console has errors: " +
              "; ".join(normalize(e.get("message", ""))[:200] for e in errors))
        outside = sorted({u for u in self.requests
                          if not (u == self.base or u.startswith(self.base + "/")
                                  or u.startswith(("data:", "about:")))})
        check(not outside, f"the pages requested URLs outside {self.base}: {outside[:10]}")
        return (f"{before} → {before + 1} in place, still {after} after reload; "
                f"{len(self.console)} console entries, none an error; "
                f"{len(set(self.requests))} distinct URLs, all under {self.base}")

    def step_dark(self):
        d = self.driver
        toggles = [t for t in d.find_elements(By.CSS_SELECTOR, "[data-theme-toggle]") if t.is_displayed()]
        if not toggles:
            return "no visible theme toggle: skipped"
        background = lambda: d.execute_script("return getComputedStyle(document.body).backgroundColor;")
        theme = lambda: d.execute_script("return document.documentElement.getAttribute('data-theme');")
        dark_system = d.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches;")
        before_bg, before_theme = background(), theme()
        self.click(toggles[0])
        want = "light" if (before_theme or ("dark" if dark_system else "light")) == "dark" else "dark"
        self.wait_for(lambda: theme() == want, f"the theme toggle did not switch to {want} (data-theme={theme()!r})")
        if want == "light":  # the system is dark: switch once more to reach dark
            self.click(toggles[0])
            self.wait_for(lambda: theme() == "dark", f"the theme toggle did not switch to dark (data-theme={theme()!r})")
        time.sleep(0.3)  # let any colour transition settle before the screenshot
        dark_bg = background()
        check(dark_bg != before_bg or before_theme == "dark",
              f"the dark theme did not change the page background ({dark_bg})")
        rgb = [int(x) for x in re.findall(r"\d+", dark_bg)[:3]]
        check(len(rgb) == 3 and sum(rgb) / 3 < 100, f"the dark theme's background {dark_bg} is not dark")
        self.shot("paper-dark.png")
        d.refresh()
        self.wait_ready()
        check(theme() == "dark", "the dark theme was not remembered across a reload")
        self.collect_logs()
        errors = [e for e in self.console if e.get("level") == "SEVERE"]
        check(not errors, "the browser console has errors: " +
              "; ".join(normalize(e.get("message", ""))[:200] for e in errors))
        return f"data-theme=dark, background {before_bg} → {dark_bg}, kept after reload"

    def steps(self):
        return [
            ("1 daily", self.step_daily),
            ("2 search", self.step_search),
            ("3 paper", self.step_paper),
            ("4 upvote", self.step_upvote),
            ("5 dark theme", self.step_dark),
        ]

    def run(self):
        steps = self.steps()
        try:
            self.start()
        except WebDriverException as error:
            print(f"FAIL setup: could not start headless Chromium: {normalize(str(error))[:300]}")
            return 1
        try:
            for name, step in steps:
                try:
                    detail = step()
                except StepFailed as failure:
                    print(f"FAIL step {name}: {failure}")
                    self.try_shot(name)
                    return 1
                except WebDriverException as error:
                    print(f"FAIL step {name}: browser error: {normalize(error.msg or str(error))[:300]}")
                    self.try_shot(name)
                    return 1
                print(f"ok   step {name}: {detail}", flush=True)
            print(f"PASS: all {len(steps)} steps; screenshots in {self.out_dir}")
            return 0
        finally:
            self.stop()

    def try_shot(self, name):
        try:
            self.driver.save_screenshot(os.path.join(self.out_dir, "failed-step-" + name.split()[0] + ".png"))
        except Exception:
            pass


def main(argv, test=BrowserTest):
    """Runs `test` (this file's steps, or a subclass's) against BASE_URL."""
    if len(argv) != 3:
        print(f"usage: {os.path.basename(argv[0])} BASE_URL OUTPUT_DIR", file=sys.stderr)
        return 2
    base, out_dir = argv[1], argv[2]
    if not re.match(r"https?://", base):
        print(f"BASE_URL must start with http:// or https://, not {base!r}", file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    return test(base, out_dir).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
