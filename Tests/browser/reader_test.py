#!/usr/bin/env python3
"""Real-browser test of a reader's journey through Paperboy.

Drives headless Chromium against a running `paperboy serve` that mails through a real SMTP
server (Tests/mail/smtp_server.py writing every message it accepts to MAILDIR): sign up,
save papers under a tag, see them in the library, get a recommendation that names a saved
paper, subscribe to the digest, follow the confirmation link from the mail that reached the
SMTP server, and unsubscribe through the subscription's unsubscribe link. Saves a screenshot of each page.

    python3 Tests/browser/reader_test.py BASE_URL OUTPUT_DIR MAILDIR

Prints one line per step; exits 0 only when every step passed, 1 otherwise (the failing step
is named), 2 on bad usage.
"""

import email
import email.policy
import glob
import os
import re
import sys
import time
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser_test import BrowserTest, StepFailed, check, normalize

TAG = "Diffusion"
TOPIC = "diffusion"
MAIL_WAIT = 60  # seconds for a mail to arrive: the outbox is delivered every second in the test


class ReaderJourney(BrowserTest):
    def __init__(self, base_url, out_dir, maildir):
        super().__init__(base_url, out_dir)
        self.maildir = maildir
        self.email = f"reader-{int(time.time())}@example.org"
        self.password = "correct horse battery staple"
        self.saved = []  # [{"title", "href"}] saved under TAG
        self.hour = (datetime.now(timezone.utc).hour + 1) % 24  # the digest's send hour

    # -- mail -------------------------------------------------------------------------------

    def messages_to(self, address):
        found = []
        for path in sorted(glob.glob(os.path.join(self.maildir, "*.eml"))):
            with open(path, "rb") as f:
                message = email.message_from_bytes(f.read(), policy=email.policy.default)
            if address in str(message.get("To", "")):
                found.append(message)
        return found

    def wait_for_mail(self, address, matches, what):
        deadline = time.time() + MAIL_WAIT
        while time.time() < deadline:
            for message in self.messages_to(address):
                if matches(message):
                    return message
            time.sleep(0.5)
        subjects = [str(m.get("Subject")) for m in self.messages_to(address)]
        raise StepFailed(f"no {what} reached {address} within {MAIL_WAIT} s (mail to it: {subjects})")

    @staticmethod
    def text_of(message):
        part = message.get_body(preferencelist=("plain",))
        check(part is not None, f"the mail {message.get('Subject')!r} has no text/plain part")
        return part.get_content()

    def links_in(self, message):
        return re.findall(re.escape(self.base) + r"/[^\s<>\")\]]+", self.text_of(message))

    # -- steps ------------------------------------------------------------------------------

    def submit(self, form_selector):
        form = self.driver.find_element(By.CSS_SELECTOR, form_selector)
        self.click(form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]"))

    def step_sign_up(self):
        d = self.driver
        self.load("/signup")
        d.find_element(By.ID, "email").send_keys(self.email)
        d.find_element(By.ID, "password").send_keys(self.password)
        self.submit("form.account-form")
        self.wait_for(lambda: urlsplit(d.current_url).path != "/signup",
                      f"signing up did not leave /signup: {self.page_error()}")
        self.wait_ready()
        shown = normalize(" ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, ".reader-email")))
        check(shown == self.email, f"after signing up the header shows {shown!r}, not {self.email}")
        cookie = d.get_cookie("paperboy_session")
        check(cookie and cookie.get("httpOnly"), f"the session cookie is missing or readable by scripts: {cookie}")
        self.shot("reader-signed-up.png")
        return f"signed up as {self.email}; session cookie HttpOnly, SameSite={cookie.get('sameSite')}"

    def page_error(self):
        errors = self.driver.find_elements(By.CSS_SELECTOR, ".form-error, .error")
        return normalize(" ".join(e.text for e in errors)) or f"at {self.driver.current_url}"

    def step_save(self):
        d = self.driver
        self.load("/search?q=" + quote(TOPIC))
        links = d.find_elements(By.CSS_SELECTOR, "ol.paper-list .paper-title a")
        check(len(links) >= 3, f"the search for {TOPIC!r} lists {len(links)} papers, fewer than 3")
        papers = [{"title": normalize(a.text), "href": a.get_attribute("href")} for a in links[:3]]
        for paper in papers:
            self.load(paper["href"])
            box = d.find_element(By.ID, "save-tag")
            box.clear()
            box.send_keys(TAG)
            self.click(box.find_element(By.XPATH, "ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]"))
            self.wait_ready()
            self.wait_for(lambda: TAG in normalize(" ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, "form.unsave"))),
                          f"after saving {paper['title']!r} the page does not say it is saved under {TAG}")
            self.saved.append(paper)
        self.shot("reader-saved.png")
        return f"saved {len(self.saved)} papers under {TAG!r}"

    def step_library(self):
        d = self.driver
        self.load("/library")
        tag_links = [a for a in d.find_elements(By.CSS_SELECTOR, "main a") if normalize(a.text) == TAG]
        check(tag_links, f"/library does not list the tag {TAG!r}")
        self.click(tag_links[0])
        self.wait_ready()
        titles = {normalize(a.text) for a in d.find_elements(By.CSS_SELECTOR, "main .paper-title a")}
        missing = [p["title"] for p in self.saved if p["title"] not in titles]
        check(not missing, f"the {TAG} page misses {missing}; it lists {sorted(titles)}")
        self.shot("reader-library.png")
        return f"/library lists {TAG}; its page lists the {len(self.saved)} saved papers"

    def step_for_you(self):
        d = self.driver
        saved_titles = {p["title"] for p in self.saved}
        saved_hrefs = {p["href"] for p in self.saved}
        deadline = time.time() + 60  # the model trains in the background
        while True:
            self.load("/for-you")
            reasons = [normalize(r.text) for r in d.find_elements(By.CSS_SELECTOR, "main .reason")]
            cards = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "main .paper-title a")]
            if reasons and cards:
                break
            check(time.time() < deadline, f"/for-you shows no recommendation after 60 s: {normalize(d.find_element(By.TAG_NAME, 'main').text)[:300]}")
            time.sleep(1)
        check(not (set(cards) & saved_hrefs), "/for-you recommends a paper the reader already saved")
        named = [r for r in reasons if TAG in r and any(t in r for t in saved_titles)]
        check(named, f"no reason names a saved paper and the tag {TAG}: {reasons[:3]}")
        self.shot("reader-for-you.png")
        return f"{len(cards)} recommendations, e.g. {named[0][:90]!r}"

    def step_subscribe(self):
        d = self.driver
        self.load("/subscribe")
        box = d.find_element(By.ID, "email")
        check(box.get_attribute("value") == self.email,
              f"the subscribe form holds {box.get_attribute('value')!r}, not the reader's address")
        d.find_element(By.CSS_SELECTOR, "input[name=frequency][value=daily]").click()
        Select(d.find_element(By.ID, "hour")).select_by_value(str(self.hour))
        Select(d.find_element(By.ID, "timezone")).select_by_visible_text("UTC")
        for name in ("trending", "recommendations"):
            box = d.find_element(By.CSS_SELECTOR, f"input[name={name}]")
            if not box.is_selected():
                self.click(box)
        self.submit("main form")
        self.wait_ready()
        page = normalize(d.find_element(By.TAG_NAME, "main").text)
        check("inbox" in page.lower(), f"subscribing did not ask to check the inbox: {page[:200]!r}")
        confirmation = self.wait_for_mail(self.email, lambda m: any("/subscribe/confirm/" in l for l in self.links_in(m)),
                                          "confirmation mail")
        link = next(l for l in self.links_in(confirmation) if "/subscribe/confirm/" in l)
        self.load(link)
        page = normalize(d.find_element(By.TAG_NAME, "main").text)
        check("you are subscribed" in page.lower(), f"the confirmation link answered {page[:200]!r}")
        self.shot("reader-confirmed.png")
        return f"confirmation mail {confirmation['Subject']!r} → {urlsplit(link).path[:40]}… → subscribed"

    def step_unsubscribe(self):
        """From the confirmation page to the subscription's options, then its unsubscribe link:
        the digest's List-Unsubscribe leads to the same page (checked over SMTP elsewhere)."""
        d = self.driver
        manage = [a for a in d.find_elements(By.CSS_SELECTOR, "main a") if "/subscription/" in (a.get_attribute("href") or "")]
        check(manage, "the confirmation page links to no page of the subscription's options")
        self.click(manage[0])
        self.wait_ready()
        hour = Select(d.find_element(By.ID, "hour")).first_selected_option.get_attribute("value")
        check(hour == str(self.hour), f"the options page shows the send hour {hour}, not the chosen {self.hour}")
        links = d.find_elements(By.CSS_SELECTOR, "main a.unsubscribe")
        check(links, "the options page has no unsubscribe link")
        self.click(links[0])
        self.wait_ready()
        check(urlsplit(d.current_url).path.startswith("/unsubscribe/"), f"the unsubscribe link opened {d.current_url}")
        self.submit("main form")
        self.wait_ready()
        page = normalize(d.find_element(By.TAG_NAME, "main").text)
        check("you are unsubscribed" in page.lower(), f"the unsubscribe button answered {page[:200]!r}")
        d.back()
        d.refresh()
        self.wait_ready()
        page = normalize(d.find_element(By.TAG_NAME, "main").text)
        check("no digests go to" in page.lower(), f"after unsubscribing, its page still offers the button: {page[:200]!r}")
        self.shot("reader-unsubscribed.png")
        return "options page → unsubscribe page → unsubscribed at once (its page says so after a reload)"

    def steps(self):
        return [
            ("1 sign up", self.step_sign_up),
            ("2 save", self.step_save),
            ("3 library", self.step_library),
            ("4 for you", self.step_for_you),
            ("5 subscribe", self.step_subscribe),
            ("6 unsubscribe", self.step_unsubscribe),
        ]


def main(argv):
    if len(argv) != 4:
        print("usage: reader_test.py BASE_URL OUTPUT_DIR MAILDIR", file=sys.stderr)
        return 2
    base, out_dir, maildir = argv[1:]
    if not re.match(r"https?://", base):
        print(f"BASE_URL must start with http:// or https://, not {base!r}", file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    return ReaderJourney(base, out_dir, maildir).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
