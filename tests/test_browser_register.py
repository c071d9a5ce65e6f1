"""The register in a real browser, at laptop and phone width, during a lesson and after school:
the room's own day, why each student is there, arrival times, MIS codes in words, lessons missed
with their work, the digest, a closed day; and a teacher's own students out of lessons."""

import datetime as dt
import os
from pathlib import Path

from sanctions.models import Placement
from sanctions.services import placements, register
from school.models import Enrolment, TimetableSlot
from tests.base import (
    LONDON,
    WEDNESDAY,
    freeze_clock,
    make_calendar_and_timetable,
    make_guardian,
    make_student,
)
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms

LAPTOP_1280 = {"width": 1280, "height": 900}
# Screenshots to look at (the lead's review); override with SHOTS_DIR.
SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/shots/register"))


def at(hh, mm, day=WEDNESDAY):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)


class RegisterInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self)
        self.student.sen_status = "K"
        self.student.save()
        make_guardian(self.student)
        self.mia = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        self.noah = make_student(upn="C123456789012", first="Noah", last="Ahmed", form=self.form)
        Enrolment.objects.create(teaching_class=self.maths_class, student=self.mia)
        Enrolment.objects.create(teaching_class=self.maths_class, student=self.noah)
        # Mia was in internal exclusion for two days in October.
        freeze_clock(self, at(8, 0, dt.date(2026, 10, 5)))
        placements.placement_book(
            student=self.mia,
            provision=self.ie,
            days=2,
            by=self.evan,
            start_on=dt.date(2026, 10, 5),
        )
        freeze_clock(self, at(8, 0, dt.date(2026, 10, 7)))
        Placement.objects.filter(student=self.mia).update(status="completed")
        freeze_clock(self, at(8, 0))
        for student in (self.student, self.mia):
            placements.placement_book(
                student=student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
            )
        # Noah was removed from period 2 into the reflection room at 10:05.
        freeze_clock(self, at(10, 5))
        placements.placement_book(
            student=self.noah,
            provision=self.rr,
            days=1,
            by=self.alice,
            start_on=WEDNESDAY,
            removed_from=TimetableSlot.objects.get(cycle_day=3, period=self.periods["P2"]),
            from_time=dt.time(10, 5),
            note="Swore at the teacher after two warnings",
        )
        freeze_clock(self, at(10, 15))

    def shoot(self, page, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        self.screenshot(page, name)

    def look(self, page, path, name):
        """Open the page at laptop and phone width, checked, with a screenshot of each."""
        page.set_viewport_size(LAPTOP_1280)
        self.visit(page, path)
        self.shoot(page, f"{name}-1280")
        page.set_viewport_size(PHONE)
        page.reload()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        self.shoot(page, f"{name}-390")
        page.set_viewport_size(LAPTOP_1280)

    def test_the_registers_during_a_lesson_and_after_school(self):
        ie_today = self.ie_room  # noqa: F841 - named for the reader
        jayden = placements.Placement.objects.get(student=self.student).days.get()
        mia_line = Placement.objects.get(student=self.mia, starts_on=WEDNESDAY).days.get()
        register.mark_record(
            placement_day=jayden, session="am", kind="present", at=dt.time(8, 46), by=self.bob
        )
        register.mark_record(
            placement_day=mia_line, session="am", kind="late", at=dt.time(9, 5), by=self.bob
        )
        register.room_log_add(
            placement_day=mia_line,
            kind="warning",
            at=dt.time(9, 40),
            note="Talking across the room",
            by=self.bob,
        )
        officer = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(officer, self.bob)

        # During period 2.
        self.look(officer, "/register/IE1/", "register-ie-lesson")
        text = officer.locator("main").inner_text()
        for expected in [
            "arrive 08:45 · break 10:45–11:00 · lunch 12:45–13:10 · leave 15:45",
            "Days in a room: 3 this term, 3 this year",
            "Morning: Late (20 min)\n\narrived at 09:05 · L late before registers closed",
            "Morning: Present\n\nmarked at 08:46 · / present in the morning",
            "P2 9X/Ma1 (Ms A Teague) – requested",
            "The room's day ends at 15:45: close the day after then.",
            "Not sent today: it was due at 08:00. The worker that sends it may not be running",
        ]:
            self.assertIn(expected, text)
        self.look(officer, "/register/RR1/", "register-rr-lesson")
        text = officer.locator("main").inner_text()
        self.assertIn("Removed from P2 9X/Ma1 at 10:05", text)
        self.assertIn("Reflection room: the main school's times, breaks and lunch", text)
        # The reflection room keeps the school's day: it can be closed once the day is over.
        self.assertIn("The room's day ends at 15:05: close the day after then.", text)

        # The teacher sees who is out of her lessons today, read only.
        teacher = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(teacher, self.alice)
        teacher.get_by_role("link", name="My students out").click()
        teacher.wait_for_load_state()
        self.look(teacher, "/out-of-my-lessons/", "my-students-out")
        rows = teacher.locator("li.out-lesson")
        self.assertEqual(rows.count(), 3)

        # After school: every mark in, the day closed in IE1; RR1 still open to close.
        freeze_clock(self, at(16, 0))
        for line, session in [(jayden, "pm"), (mia_line, "pm")]:
            register.mark_record(
                placement_day=line,
                session=session,
                kind="present",
                at=dt.time(13, 10),
                by=self.bob,
            )
        officer.goto(self.live_server_url + "/register/IE1/")
        officer.get_by_role("button", name="Close the day").click()
        officer.wait_for_load_state()
        self.assertIn("Day closed", officer.get_by_role("status").inner_text())
        self.look(officer, "/register/IE1/", "register-ie-closed")
        self.assertIn(
            "Closed. The day was closed by Bob Patel at 16:00. The marks are final.",
            officer.locator("main").inner_text(),
        )
        self.assertEqual(officer.get_by_role("button", name="Present").count(), 0)
        self.look(officer, "/register/RR1/", "register-rr-after-school")
        self.assertEqual(officer.get_by_role("button", name="Close the day").count(), 1)
