"""The patrol's phone, in chromium at 390 px: the header takes one row, so the first visit card
is near the top; "Watch list" and "On-call queue" appear once; the rota does not scroll
sideways."""

import datetime as dt
from unittest import mock

from patrol.services import sent_out
from tests.base import TEN_FIFTEEN, make_calendar_and_timetable
from tests.browser import LAPTOP, PHONE, BrowserTestCase

ONE_ROW = 60  # px: a row of 44 px touch targets with the header's padding


class PatrolPhoneTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        clock = mock.patch("conduct.lib.clock.now", return_value=TEN_FIFTEEN)
        clock.start()
        self.addCleanup(clock.stop)
        sent_out.sent_out_log(
            by=self.alice,
            student=self.student,
            reason="Shouting across the room after two warnings",
            sent_to="corridor",
            teaching_class=self.maths_class,
            from_room=self.room,
            sent_at=TEN_FIFTEEN - dt.timedelta(minutes=6),
        )

    def header_height(self, page) -> float:
        return page.locator(".site-header").bounding_box()["height"]

    def test_the_header_takes_one_row_on_a_phone(self):
        # The patrol, SLT (the longest menu) and a teacher.
        for user in (self.bob, self.evan, self.alice):
            with self.subTest(user=user.username):
                page = self.new_page(viewport=PHONE)
                self.sign_in(page, user)
                self.visit(page, "/")
                self.assertLessEqual(self.header_height(page), ONE_ROW)
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, self.bob)
        self.visit(page, "/patrol/")
        self.assertLessEqual(self.header_height(page), ONE_ROW)
        self.screenshot(page, "patrol-visits-phone-header")
        card = page.locator(".patrol-card").first.bounding_box()
        self.assertLess(card["y"], 330, "the first visit card is too far down the phone")

        # The menu is one tap away and every item in it can be reached.
        page.get_by_role("button", name="Menu").click()
        menu = page.get_by_role("navigation", name="Main")
        menu.get_by_role("link", name="On-call").wait_for()
        self.assert_accessible(page)
        self.screenshot(page, "patrol-menu-open-phone")
        page.keyboard.press("Escape")
        menu.get_by_role("link", name="On-call").wait_for(state="hidden")

    def test_the_header_is_one_row_on_a_laptop_with_the_menu_shown(self):
        page = self.new_page(viewport=LAPTOP)
        self.sign_in(page, self.evan)
        self.visit(page, "/patrol/")
        self.assertLessEqual(self.header_height(page), ONE_ROW)
        menu = page.get_by_role("navigation", name="Main")
        self.assertTrue(menu.get_by_role("link", name="Patrol").is_visible())
        self.assertEqual(page.get_by_role("button", name="Menu").count(), 0)

    def test_watch_list_and_on_call_queue_appear_once_on_the_patrol_page(self):
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, self.bob)
        for tab in ("visits", "watch", "sweep"):
            with self.subTest(tab=tab):
                self.visit(page, f"/patrol/?tab={tab}")
                page.get_by_role("button", name="Menu").click()
                for words in ("Watch list", "On-call queue"):
                    self.assertLessEqual(
                        page.get_by_text(words, exact=True).count(), 1, f"{words} on {tab}"
                    )

    def test_the_rota_fits_a_phone(self):
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, self.bob)
        self.visit(page, "/patrol/rota/?week=2026-11-25")  # visit() asserts no sideways scroll
        width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, PHONE["width"])
        self.screenshot(page, "patrol-rota-phone")
