#!/usr/bin/env python3
"""Real-browser test of the map of the field (/map).

Drives headless Chromium with Selenium (the plumbing of `browser_test.py`) against a running
`paperboy serve` whose data directory holds a map (`paperboy map`): the tiles draw, the
wheel zooms in around the pointer and deeper tiles load, a drag pans, a search highlights its
hits, pointing at a paper's dot shows its title and clicking it opens the paper's page; then
/trends shows a sparkline per topic of the map and a search's weekly chart, drawn as SVG.

    python3 Tests/browser/map_test.py BASE_URL OUTPUT_DIR

Prints one line per step; exits 0 only when every step passed, 1 otherwise (the failing step
is named), 2 on bad usage.
"""

import json
import re
import sys
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By

from browser_test import BrowserTest, check, main


class MapTest(BrowserTest):
    def api(self, path):
        with urllib.request.urlopen(self.url(path), timeout=10) as response:
            return json.load(response)

    def canvas(self):
        return self.driver.find_element(By.CSS_SELECTOR, "[data-map] canvas")

    def view(self):
        return self.driver.execute_script("return Object.assign({}, window.paperMap.view)")

    def painted_share(self):
        """The share of the canvas's pixels that are not transparent: tiles have drawn."""
        return self.driver.execute_script(
            "var c = document.querySelector('[data-map] canvas');"
            "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;"
            "for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++;"
            "return n / (d.length / 4);")

    def tile_requests(self, zoom):
        self.collect_logs()
        return {url for url in self.requests if re.search(rf"/map/tiles/[^/]+/{zoom}/\d+/\d+$", url)}

    def move_to_map_point(self, x, y):
        """Moves the pointer over map point (x, y), converted to the canvas's pixels."""
        px, py = self.driver.execute_script("return window.paperMap.toScreen(arguments[0], arguments[1])", x, y)
        canvas = self.canvas()
        # Selenium offsets are from the element's centre.
        ActionChains(self.driver).move_to_element_with_offset(
            canvas, int(px - canvas.size["width"] / 2), int(py - canvas.size["height"] / 2)).perform()

    # -- steps ------------------------------------------------------------------------------

    def steps(self):
        return [
            ("1 tiles", self.step_tiles),
            ("2 zoom", self.step_zoom),
            ("3 pan", self.step_pan),
            ("4 search", self.step_search),
            ("5 hover and open", self.step_hover_and_open),
            ("6 trends", self.step_trends),
        ]

    def step_tiles(self):
        self.info = self.api("/api/v1/map")
        self.load("/map")
        # The whole canvas in the window: pointer offsets count from the middle of an
        # element's visible part.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", self.canvas())
        self.wait_for(lambda: self.painted_share() > 0.01, "no tile was drawn on the canvas")
        labels = self.driver.execute_script("return window.paperMap.state.labelsDrawn")
        check(labels >= 1, "no topic label was drawn")
        self.first_zoom = next((z for z in range(0, 4) if self.tile_requests(z)), None)
        check(self.first_zoom is not None, "no tile of zoom 0 to 3 was requested for the whole map")
        self.shot("map-1-whole.png")
        return f"{self.info['papers']} papers, {len(self.info['topics'])} topics, {labels} labels drawn, {self.painted_share():.0%} of the canvas painted"

    def step_zoom(self):
        # Zoom in around a paper's dot (the first hit of the first topic's first term), so the
        # zoomed-in view has a paper in it however sparse the map.
        term = self.info["topics"][0]["terms"][0]
        paper = self.api(f"/api/v1/map/search?q={urllib.request.quote(term)}")["hits"][0]
        before = self.view()
        canvas = self.canvas()
        px, py = self.driver.execute_script("return window.paperMap.toScreen(arguments[0], arguments[1])", paper["x"], paper["y"])
        dx, dy = int(px - canvas.size["width"] / 2), int(py - canvas.size["height"] / 2)
        for _ in range(4):
            ActionChains(self.driver).scroll_from_origin(ScrollOrigin.from_element(canvas, dx, dy), 0, -400).perform()
        self.wait_for(lambda: self.view()["zoom"] >= before["zoom"] * 4, "the wheel did not zoom in")
        after = self.view()
        self.wait_for(lambda: any(self.tile_requests(z) for z in range(self.first_zoom + 2, 15)),
                      "no tiles two or more zoom levels deeper were requested after zooming in 4 times")
        # The paper stayed under the pointer, and its dot is drawn there.
        qx, qy = self.driver.execute_script("return window.paperMap.toScreen(arguments[0], arguments[1])", paper["x"], paper["y"])
        # The wheel lands on a whole pixel, up to one pixel from the dot's centre, and zooming
        # by f moves that dot by up to (f − 1) pixels.
        slack = after["zoom"] / before["zoom"]
        check(abs(qx - px) <= slack and abs(qy - py) <= slack, f"the zoom moved the point under the pointer from ({px:.0f}, {py:.0f}) to ({qx:.0f}, {qy:.0f})")
        self.wait_for(lambda: self.driver.execute_script(
            "var c = document.querySelector('[data-map] canvas'), r = window.devicePixelRatio || 1;"
            "return c.getContext('2d').getImageData(Math.round(arguments[0] * r) - 3, Math.round(arguments[1] * r) - 3, 7, 7).data"
            ".some(function (v, i) { return i % 4 === 3 && v > 0; });", qx, qy),
            "the paper's dot is not drawn under the pointer after zooming in")
        self.shot("map-2-zoomed.png")
        return f"zoom {before['zoom']:.1f} -> {after['zoom']:.1f} around {paper['id']}, deeper tiles drawn"

    def step_pan(self):
        before = self.view()
        ActionChains(self.driver).move_to_element(self.canvas()).click_and_hold().move_by_offset(120, 0) \
            .move_by_offset(60, 40).release().perform()
        after = self.view()
        check(after["x"] < before["x"] and after["y"] < before["y"], f"dragging right and down did not move the map: {before} -> {after}")
        check(self.driver.current_url.endswith("/map"), "a drag must not open a paper")
        return f"centre moved by ({after['x'] - before['x']:+.4f}, {after['y'] - before['y']:+.4f})"

    def step_search(self):
        # The first topic's first term is a word its papers use.
        term = self.info["topics"][0]["terms"][0]
        expected = self.api(f"/api/v1/map/search?q={urllib.request.quote(term)}")
        check(expected["hits"], f"the server finds nothing on the map for {term!r}")
        box = self.driver.find_element(By.ID, "map-q")
        box.clear()
        box.send_keys(term)
        self.click(self.driver.find_element(By.CSS_SELECTOR, "[data-map-search] button[type=submit]"))
        status = self.driver.find_element(By.CSS_SELECTOR, "[data-map-status]")
        self.wait_for(lambda: "found" in status.text, f"no result line after searching {term!r}")
        shown = self.driver.execute_script("return window.paperMap.hits().map(function (h) { return h.id; })")
        check(shown == [hit["id"] for hit in expected["hits"]], "the page shows other hits than the API gives")
        # Every hit is inside the view the search moved to.
        inside = self.driver.execute_script(
            "var c = document.querySelector('[data-map] canvas');"
            "return window.paperMap.hits().every(function (h) { var p = window.paperMap.toScreen(h.x, h.y);"
            " return p[0] >= 0 && p[1] >= 0 && p[0] <= c.clientWidth && p[1] <= c.clientHeight; });")
        check(inside, "the view did not move to take in the hits")
        self.shot("map-3-search.png")
        self.hit = expected["hits"][0]
        return f"{len(shown)} hits for {term!r} highlighted: {status.text!r}"

    def step_hover_and_open(self):
        hit = self.hit
        # Zoom in on the hit so its dot stands alone, then point at it (the search button's
        # click scrolled the page; the canvas comes back whole into the window first).
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", self.canvas())
        self.driver.execute_script("window.paperMap.view.x = arguments[0]; window.paperMap.view.y = arguments[1];"
                                   "window.paperMap.view.zoom = 256;", hit["x"], hit["y"])
        self.move_to_map_point(hit["x"] + 0.00002, hit["y"])  # 3 pixels off at this zoom
        tooltip = self.driver.find_element(By.CSS_SELECTOR, ".map-tooltip")
        self.wait_for(lambda: tooltip.is_displayed() and tooltip.text.strip(), "pointing at a paper showed no title")
        hover = self.driver.execute_script("return window.paperMap.hover()")
        check(hover and hover["id"] == hit["id"], f"the pointer is over {hover}, not {hit['id']}")
        check(tooltip.text.strip() == hit["title"], f"the tooltip says {tooltip.text!r}, not {hit['title']!r}")
        self.shot("map-4-hover.png")
        ActionChains(self.driver).click().perform()
        self.wait_for(lambda: "/papers/" in self.driver.current_url, "clicking the paper did not open its page")
        self.wait_ready()
        heading = self.driver.find_element(By.TAG_NAME, "h1").text
        check(heading.strip() == hit["title"], f"the page opened is {heading!r}, not {hit['title']!r}")
        return f"tooltip {hit['title']!r}, click opened {self.driver.current_url}"

    def step_trends(self):
        """The map's topics counted per week on /trends: a server-drawn SVG sparkline per
        topic, and the weekly chart of a search (the first topic term with dated matches)."""
        self.load("/trends")
        topics = len(self.info["topics"])
        sparklines = self.driver.find_elements(By.CSS_SELECTOR, "svg.sparkline")
        check(len(sparklines) >= topics, f"{len(sparklines)} sparklines for {topics} topics")
        trend = None
        for topic in self.info["topics"]:
            answer = self.api(f"/api/v1/trends?q={urllib.request.quote(topic['terms'][0])}").get("query")
            if answer and answer["total"] > 0:
                trend = answer
                break
        check(trend, "no topic's first term matches a dated paper")
        box = self.driver.find_element(By.ID, "trend-q")
        box.send_keys(trend["query"])
        box.submit()
        self.wait_ready()
        bars = self.driver.find_elements(By.CSS_SELECTOR, "svg.trend-chart rect.trend-bar")
        check(len(bars) == len(trend["counts"]), f"{len(bars)} bars for {len(trend['counts'])} weeks")
        heights = [float(bar.get_attribute("height")) for bar in bars]
        check([h > 0 for h in heights] == [c > 0 for c in trend["counts"]], "the bars' heights do not follow the weekly counts")
        counts = [int(cell.get_attribute("textContent")) for cell in self.driver.find_elements(By.CSS_SELECTOR, ".trend-count")]
        check(sum(counts) == trend["total"], f"the table's counts add up to {sum(counts)}, not {trend['total']}")
        self.shot("trends.png")
        return f"{len(sparklines)} sparklines; {trend['query']!r}: {trend['total']} papers over {len(bars)} weekly bars"


if __name__ == "__main__":
    sys.exit(main(sys.argv, MapTest))
