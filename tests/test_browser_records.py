"""Pastoral records in a real browser (issue 10), at laptop and phone width: the entry interview
opened from the register; a discussion shared with the head of year, who reads it and whose read
the author then sees; a safeguarding concern the DSL is told of and reads, that the head of year
cannot find."""

import datetime as dt
import os
from pathlib import Path

from pastoral.models import Concern, Discussion
from sanctions.services import placements
from tests.base import LONDON, PASSWORD, WEDNESDAY, freeze_clock, make_calendar_and_timetable
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms

LAPTOP_1280 = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/shots/records"))


def at(hh, mm, day=WEDNESDAY):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)


class RecordsInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self)
        freeze_clock(self, at(8, 0))
        placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )
        freeze_clock(self, at(9, 10))

    def shoot(self, page, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

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

    def test_the_entry_interview_from_the_register(self):
        officer = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(officer, self.bob)
        self.look(officer, "/register/IE1/", "register-with-interview")
        officer.get_by_role("link", name="entry interview to do").click()
        officer.wait_for_load_state()
        self.look(officer, officer.url.removeprefix(self.live_server_url), "entry-interview")
        officer.get_by_label("Arrive on time and sign in; phones handed in for the day").check()
        officer.get_by_label("The student's account").fill("I threw a chair in science.")
        officer.get_by_role("button", name="Record the entry interview").click()
        officer.wait_for_load_state()
        text = officer.locator("main").inner_text()
        self.assertIn("Held by Bob Patel at 09:10", text)
        self.assertIn("I threw a chair in science.", text)
        self.assert_accessible(officer)
        self.shoot(officer, "entry-interview-done")
        self.visit(officer, "/register/IE1/")
        self.assertIn("entry interview done", officer.locator("main").inner_text())

    def test_a_discussion_shared_with_the_head_of_year_and_their_read_shown_to_the_author(self):
        author = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(author, self.bob)
        self.look(author, f"/students/{self.student.pk}/discussions/new/", "discussion-new")
        author.get_by_label("What was said").fill("Lunchtimes are hard since the move.")
        author.get_by_label("Agreed actions").fill("Lunch club on Tuesdays")
        author.get_by_label("Head of year").check()
        author.get_by_role("button", name="Record the discussion").click()
        author.wait_for_load_state()
        self.assertIn("Charlie Hughes – not read yet", author.locator("main").inner_text())
        discussion = Discussion.objects.get()

        head = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(head, self.charlie)
        self.assertIn("Inbox (1 unread)", head.get_by_role("navigation", name="Main").inner_text())
        self.look(head, "/inbox/", "inbox-head-of-year")
        head.get_by_role("button", name="A record of a discussion with Jayden Walsh").click()
        head.wait_for_load_state()
        self.assertIn("Lunchtimes are hard since the move.", head.locator("main").inner_text())
        self.assert_accessible(head)
        self.shoot(head, "discussion-read-by-head-of-year")
        self.visit(head, f"/students/{self.student.pk}/")
        self.assertIn("Records of discussions", head.locator("main").inner_text())

        self.look(author, f"/discussions/{discussion.pk}/", "discussion-read-shown-to-author")
        self.assertIn("Charlie Hughes – read 09:10", author.locator("main").inner_text())

    def test_a_concern_the_dsl_sees_and_the_head_of_year_cannot_find(self):
        teacher = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(teacher, self.alice)
        self.visit(teacher, f"/students/{self.student.pk}/")
        teacher.get_by_role("link", name="Raise a safeguarding concern").click()
        teacher.wait_for_load_state()
        self.look(teacher, teacher.url.removeprefix(self.live_server_url), "concern-new")
        teacher.get_by_label("What you saw or heard").fill("Said he is scared to go home.")
        teacher.get_by_label("Urgent").check()
        teacher.get_by_role("button", name="Send to the DSL").click()
        teacher.wait_for_load_state()
        concern = Concern.objects.get()
        url = f"/concerns/{concern.pk}/"

        dsl = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(dsl, self.dana)
        self.assertIn("Inbox (1 unread)", dsl.get_by_role("navigation", name="Main").inner_text())
        self.look(dsl, "/inbox/", "inbox-dsl")
        self.assertIn("Urgent:", dsl.locator("main").inner_text())
        self.look(dsl, "/concerns/", "concerns-dsl")
        self.look(dsl, url, "concern-dsl")
        self.assertIn("Said he is scared to go home.", dsl.locator("main").inner_text())
        dsl.get_by_label("Action taken").fill("Rang children's services")
        dsl.get_by_role("button", name="Record the action").click()
        dsl.wait_for_load_state()
        self.assertIn("Rang children's services", dsl.locator("main").inner_text())

        head = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(head, self.charlie)
        response = head.goto(self.live_server_url + url)
        self.assertEqual(response.status, 404)
        for path in (f"/students/{self.student.pk}/", "/inbox/", "/students/?q=Walsh"):
            head.goto(self.live_server_url + path)
            text = head.content()
            self.assertNotIn("scared", text)
            self.assertNotIn(url, text)
            self.assertNotIn("Safeguarding concern", text)
        self.shoot(head, "student-page-head-of-year-no-concern")

    def test_the_students_locked_reflection_page_reaches_nothing_else(self):
        officer = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(officer, self.bob)
        interview = self.student.placements.get().interviews.get(kind="entry")
        self.visit(officer, f"/interviews/{interview.pk}/")
        officer.get_by_role("button", name="Hand this device to Jayden").click()
        officer.wait_for_load_state()
        self.assertTrue(officer.url.endswith("/reflection/"))
        self.look(officer, "/reflection/", "reflection-locked")
        self.assertEqual(officer.get_by_role("navigation").count(), 0)
        self.assertEqual(officer.get_by_role("link").count(), 0)
        for path in ("/", f"/students/{self.student.pk}/", "/students/", "/inbox/"):
            officer.goto(self.live_server_url + path)
            self.assertTrue(officer.url.endswith("/reflection/"), path)
        officer.get_by_label("What happened?").fill("I threw a chair because I was angry.")
        officer.get_by_role("button", name="Save my answers").click()
        officer.wait_for_load_state()
        self.assertIn("Your answers are saved", officer.locator("main").inner_text())
        self.shoot(officer, "reflection-saved")
        officer.get_by_text("Staff: back to Conduct").click()
        officer.get_by_label("Your password").fill("not-it")
        officer.get_by_role("button", name="Unlock").click()
        officer.wait_for_load_state()
        self.assertTrue(officer.url.endswith("/reflection/"))
        officer.get_by_text("Staff: back to Conduct").click()
        officer.get_by_label("Your password").fill(PASSWORD)
        officer.get_by_role("button", name="Unlock").click()
        officer.wait_for_load_state()
        self.assertTrue(officer.url.endswith(f"/interviews/{interview.pk}/"))
        self.assertIn("Entry interview: Jayden Walsh", officer.locator("main").inner_text())

    def test_an_exit_interviews_returning_today_note_reaches_the_right_teachers(self):
        officer = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(officer, self.bob)
        placement = self.student.placements.get()
        self.look(officer, f"/placements/{placement.pk}/exit-interview/", "exit-interview")
        officer.get_by_label("What happened?").fill("I lost my temper in science.")
        officer.get_by_label("Targets for the return").fill("Use the time-out card")
        officer.get_by_label("Who checks in with the student").select_option(label="Ms C Hughes")
        officer.get_by_label("When they check in").fill("Registration, every day this week")
        officer.get_by_label("How they check in").fill("In the year office")
        officer.get_by_role("button", name="Record the exit interview").click()
        officer.wait_for_load_state()
        self.assertIn("Use the time-out card", officer.locator("main").inner_text())
        self.shoot(officer, "exit-interview-done")

        for person, told in ((self.alice, True), (self.charlie, True), (self.hugo, False)):
            page = self.new_page(viewport=LAPTOP_1280)
            self.sign_in(page, person)
            self.visit(page, "/inbox/")
            text = page.locator("main").inner_text()
            self.assertEqual(
                "Jayden Walsh returns to lessons on Thursday 26 November" in text, told, person
            )
            if told:
                self.assertIn("Targets: Use the time-out card", text)
                self.shoot(page, f"inbox-returning-today-{person.username}")
