"""The browser test harness: Playwright for Python driving Debian's chromium, with axe-core.

Every page a browser test visits through `visit` is checked with axe-core: a serious or critical
accessibility violation fails the test. Screenshots go to test-artifacts/screenshots/.
"""

import os
import shutil
import unittest
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connections

from tests.base import PASSWORD, make_people

CHROMIUM = os.getenv("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def chromium_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return (
            f"BROWSER TESTS SKIPPED: no chromium at {CHROMIUM}. "
            "Install Debian's package (apt-get install chromium) or run `make test` as root."
        )
    return None


def skip_without_chromium() -> None:
    reason = chromium_missing_reason()
    if reason:
        print(f"\n!!!! {reason}\n")
        raise unittest.SkipTest(reason)


class PlaywrightMixin:
    """One chromium for a live-server test class, through Playwright, with axe-core: `new_page`,
    `visit` (checked with axe-core), `sign_in`, `screenshot`."""

    @classmethod
    def start_chromium(cls) -> None:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright

        serialized = getattr(connections["default"], "_test_serialized_contents", None)
        cls.playwright = sync_playwright().start()
        # Playwright's sync API runs the test in a greenlet with its own context, so Django hands
        # it a fresh connection object (same database). Give it the rows the migrations made, so
        # they are put back before each test and the flush after each doesn't re-run post_migrate.
        if serialized is not None:
            connections["default"]._test_serialized_contents = serialized
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cls.axe = Axe()

    def setUp(self):
        super().setUp()
        self.contexts = []

    def tearDown(self):
        for context in self.contexts:
            context.close()
        super().tearDown()

    def new_page(self, viewport=LAPTOP):
        context = self.browser.new_context(viewport=viewport, locale="en-GB")
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        return context.new_page()

    def visit(self, page, path: str):
        """Open `path` and fail on any serious or critical accessibility violation, or when the
        page scrolls sideways on a 390 px phone."""
        response = page.goto(self.live_server_url + path)
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        return response

    def assert_fits_a_phone(self, page):
        """Nothing on the page reaches past the right edge of a 390 px wide phone screen (the page
        is looked at that wide for a moment, then put back)."""
        size = page.viewport_size
        if size["width"] != PHONE["width"]:
            page.set_viewport_size(PHONE)
        try:
            overflow = page.evaluate(
                r"""() => {
                  const width = document.documentElement.clientWidth;
                  const wide = document.documentElement.scrollWidth;
                  // A table cell narrower than a word in it breaks the word mid-way ("Knig/ht"):
                  // such a table keeps its words (`.keep-words`) and scrolls in `.table-scroll`.
                  const measure = document.createElement("canvas").getContext("2d");
                  const broken = [];
                  for (const cell of document.querySelectorAll("td, th")) {
                    if (cell.clientWidth === 0 || broken.length >= 3) continue;
                    // A stacked table's headings are hidden on a phone (each cell says its own).
                    const head = cell.closest("thead");
                    if (head && getComputedStyle(head).position === "absolute") continue;
                    const style = getComputedStyle(cell);
                    measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                    const room = cell.clientWidth - parseFloat(style.paddingLeft)
                                 - parseFloat(style.paddingRight);
                    // Words with a hyphen, dash or slash may break there, as text does.
                    const word = cell.innerText.split(/\s+/)
                      .find(w => !/[-–—\/]/.test(w) && measure.measureText(w).width > room + 1);
                    if (word) broken.push(`"${word}" in a ${Math.round(room)} px cell`);
                  }
                  if (broken.length) return {broken};
                  if (wide <= width + 1) return null;
                  const culprits = [...document.querySelectorAll("body *")]
                    .filter(el => el.getBoundingClientRect().right > width + 1)
                    .filter(el => !el.closest(".table-scroll"))
                    .slice(0, 3)
                    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                               + (el.className && typeof el.className === "string"
                                  ? "." + el.className.trim().split(/\s+/).join(".") : ""));
                  return {wide, width, culprits};
                }"""
            )
        finally:
            if size["width"] != PHONE["width"]:
                page.set_viewport_size(size)
        self.assertIsNone(overflow, f"{page.url} scrolls sideways on a 390 px phone")

    def assert_accessible(self, page):
        results = self.axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        self.assertEqual(bad, [], f"accessibility violations on {page.url}")

    def sign_in(self, page, user, next_path: str = ""):
        self.visit(page, "/login/" + (f"?next={next_path}" if next_path else ""))
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)

    def screenshot(self, page, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


class BrowserTestCase(PlaywrightMixin, StaticLiveServerTestCase):
    """A live server with the named people, and one chromium for the class."""

    # The flush between transactional tests would drop what the data migrations made (reason
    # codes, provisions, message templates); restore it for every test.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        skip_without_chromium()
        super().setUpClass()
        cls._main_connection = connections["default"]
        cls.start_chromium()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        conn = connections["default"]
        if conn is not cls._main_connection:
            # Forget the greenlet's connection object: left connected, a later class that points
            # the database elsewhere (tests/patrol_browser.py) would still be handed this one.
            # Dropped, not closed: closing would take SQLite's in-memory test database with it.
            conn.connection = None
            del connections["default"]
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        make_people(self)
