"""In a real browser: a teacher refers, the head of year approves, the officer sees the register."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from tests.base import WEDNESDAY, make_calendar_and_timetable
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms

TEN_FIFTEEN = dt.datetime.combine(WEDNESDAY, dt.time(10, 15), tzinfo=ZoneInfo("Europe/London"))


class ReferralInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self)
        self.student.sen_status = "K"
        self.student.save()
        for target in (
            "sanctions.services.local_now",
            "sanctions.views.local_now",
            "school.selectors.local_now",
        ):
            patcher = mock.patch(target, return_value=TEN_FIFTEEN)
            patcher.start()
            self.addCleanup(patcher.stop)

    def test_it_takes_a_referral_from_teacher_to_tomorrows_register(self):
        teacher = self.new_page()
        self.sign_in(teacher, self.alice)
        self.visit(teacher, f"/students/{self.student.pk}/")
        teacher.get_by_role("link", name="Refer Jayden").click()
        teacher.wait_for_load_state()
        self.assert_accessible(teacher)
        # Sending it empty shows every problem, with links to the fields.
        teacher.get_by_label("What happened").fill("")
        teacher.get_by_role("button", name="Send referral").click()
        self.assertIn("There are problems", teacher.get_by_role("alert").inner_text())
        self.assert_accessible(teacher)
        teacher.get_by_label("Room").select_option(label="M4 Maths 4")
        teacher.get_by_label("Reason").select_option(label="Refusal to follow the behaviour system")
        teacher.get_by_label("What happened").fill(
            "Refused to move seat three times, then swore at me and walked out."
        )
        teacher.get_by_label("Provision asked for").select_option(label="Internal exclusion")
        self.screenshot(teacher, "referral-new")
        teacher.get_by_role("button", name="Send referral").click()
        teacher.wait_for_load_state()
        self.assertIn("waiting for a decision", teacher.get_by_role("status").inner_text())

        head_of_year = self.new_page(viewport=PHONE)
        self.sign_in(head_of_year, self.charlie)
        pending = head_of_year.get_by_role("region", name="Waiting for your decision")
        pending.get_by_role("link", name="Jayden Walsh").click()
        head_of_year.wait_for_load_state()
        self.assert_accessible(head_of_year)
        self.assertIn("has SEN support", head_of_year.locator(".warning-sen").inner_text())
        self.screenshot(head_of_year, "referral-decision-phone")
        head_of_year.get_by_role("button", name="Approve and book").click()
        head_of_year.wait_for_load_state()
        self.assertIn(
            "booked into Internal exclusion from Thursday 26 November",
            head_of_year.get_by_role("status").inner_text(),
        )

        officer = self.new_page()
        self.sign_in(officer, self.bob)
        officer.get_by_role("link", name="Internal exclusion — IE1").click()
        officer.wait_for_load_state()
        officer.get_by_role("link", name="Next day").click()
        officer.wait_for_load_state()
        self.assert_accessible(officer)
        row = officer.get_by_role("row", name="Walsh, Jayden")
        self.assertIn("Refusal to follow the behaviour system", row.inner_text())
        self.assertIn("08:45", row.inner_text())
        self.screenshot(officer, "register-ie")
