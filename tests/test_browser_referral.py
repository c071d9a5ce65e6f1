"""In a real browser: a teacher refers, the head of year approves, the officer sees the register."""

import datetime as dt
from pathlib import Path

from playwright.sync_api import expect

from sanctions.services import placements
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    freeze_clock,
    make_calendar_and_timetable,
    make_guardian,
    make_student,
)
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms


class ReferralInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self)
        self.student.sen_status = "K"
        self.student.save()
        make_guardian(self.student)
        mia = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        placements.placement_book(
            student=mia,
            provision=self.ie,
            days=1,
            by=self.evan,
            start_on=WEDNESDAY + dt.timedelta(days=1),
        )
        freeze_clock(self, TEN_FIFTEEN)

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
        # Tomorrow's register is read ahead, never marked ahead.
        self.assertIn("This day has not come yet", officer.locator("main").inner_text())
        self.assertEqual(officer.get_by_role("button", name="Present").count(), 0)

        # Thursday, after the room's day (it leaves at 15:45): mark, log and close it.
        freeze_clock(
            self,
            dt.datetime.combine(
                WEDNESDAY + dt.timedelta(days=1), dt.time(15, 50), tzinfo=TEN_FIFTEEN.tzinfo
            ),
        )
        officer.reload()
        officer.wait_for_load_state()
        self.assert_accessible(officer)
        jayden = officer.locator("article", has_text="Walsh, Jayden")
        mia = officer.locator("article", has_text="Jones, Mia")
        self.assertIn("Refusal to follow the behaviour system", jayden.inner_text())
        self.assertIn(
            "arrive 08:45 · break 10:45–11:00 · lunch 12:45–13:10 · leave 15:45",
            officer.locator(".room-times").inner_text(),
        )
        self.assertIn("Lessons missed:\nP2 9X/Ma1 (Ms A Teague) – requested", jayden.inner_text())
        self.assertIn("Family: email draft – to check", jayden.inner_text())

        # Marks go in without a page load (htmx swaps the student's card).
        morning = jayden.get_by_role("group", name="Morning")
        morning.get_by_role("button", name="Present").click()
        expect(jayden.get_by_role("group").first).to_contain_text("Morning: Present")
        afternoon = jayden.get_by_role("group", name="Afternoon")
        afternoon.get_by_label("Minutes late").fill("7")
        afternoon.get_by_role("button", name="Late").click()
        expect(jayden.get_by_role("group").nth(1)).to_contain_text("Afternoon: Late (7 min)")
        jayden.get_by_label("Log").select_option(label="Warning")
        jayden.get_by_label("Note").fill("Talking across the room")
        jayden.get_by_role("button", name="Add").click()
        expect(jayden.locator(".log")).to_contain_text("Warning: Talking across the room")

        # Mia fails the room: the ladder's next step goes for a decision, never booked silently.
        mia.get_by_role("group", name="Morning").get_by_role("button", name="Present").click()
        expect(mia.get_by_role("group").first).to_contain_text("Morning: Present")
        mia.locator("summary", has_text="Failed the room").click()
        mia.get_by_label("What happened").fill("Threw a chair after three warnings")
        mia.get_by_role("button", name="Record the failure").click()
        officer.wait_for_load_state()
        self.assertIn(
            "Next step referred for a decision: Internal exclusion (1 day)",
            officer.get_by_role("status").inner_text(),
        )
        self.assert_accessible(officer)
        self.screenshot(officer, "register-ie")

        # Closing the day needs every mark; Mia's afternoon is missing until she's marked.
        officer.get_by_role("button", name="Close the day").click()
        officer.wait_for_load_state()
        self.assertIn(
            "Day closed: 1 placement completed.", officer.get_by_role("status").inner_text()
        )

        with officer.expect_download() as download:
            officer.get_by_role("link", name="Marks for the MIS (CSV)").click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        self.assertIn("A123456789012,Walsh,Jayden,26/11/2026,AM,/", text)
        self.assertIn("A123456789012,Walsh,Jayden,26/11/2026,PM,L,7", text)
