"""Work for students out of lessons, in a real browser: booking asks for work for exactly the
lessons the student misses; the teacher sets it from a phone; an unanswered request falls back
to the programme at the deadline; the officer prints the work pack and records the work done
with a photo; the teacher sees it returned."""

import datetime as dt
import os
import tempfile
from pathlib import Path

from sanctions.services import placements
from tests.base import LONDON, TEN_FIFTEEN, WEDNESDAY, freeze_clock, make_calendar_and_timetable
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms
from tests.test_work_room import PNG
from tests.work_fixtures import second_student, temporary_media
from work.models import Programme, ProgrammeTask, WorkRequest, WorkSet
from work.services import requests as services

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
SHOTS = Path(os.getenv("SHOTS_DIR", "/work/shots/work"))


class WorkLoopInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self, ie_capacity=4)
        second_student(self)
        temporary_media(self)
        freeze_clock(self, TEN_FIFTEEN)
        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.year9
        )
        for n, title in enumerate(("Fractions review", "Decimals practice"), start=1):
            ProgrammeTask.objects.create(
                programme=programme,
                position=n,
                unit="Unit 3: Number",
                title=title,
                instructions=f"Exercise 3{'AB'[n - 1]}, questions 1–12.",
            )
        self.files = Path(tempfile.mkdtemp(prefix="work-browser-"))
        (self.files / "fractions.pdf").write_bytes(b"%PDF-1.4 fractions sheet")
        (self.files / "work-photo.png").write_bytes(PNG)

    def shot(self, page, name):
        self.screenshot(page, f"work-{name}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def test_the_work_loop_from_booking_to_the_teacher_seeing_the_work_returned(self):
        for student in (self.student, self.mia):
            placements.placement_book(
                student=student, provision=self.ie, days=1, by=self.bob, start_on=THURSDAY
            )
        # Exactly the lessons they miss: 9X/Ma1 in period 2 on Thursday, one each.
        self.assertEqual(
            sorted(
                WorkRequest.objects.values_list(
                    "placement_day__placement__student__legal_first_name",
                    "date",
                    "period__code",
                    "teaching_class__code",
                    "teacher__user__username",
                )
            ),
            [
                ("Jayden", THURSDAY, "P2", "9X/Ma1", "alice"),
                ("Mia", THURSDAY, "P2", "9X/Ma1", "alice"),
            ],
        )

        # The teacher sets work from her phone for Jayden only, with a file.
        page = self.new_page(PHONE)
        self.sign_in(page, self.alice)
        self.visit(page, "/work/")
        self.shot(page, "teacher-to-set-phone")
        page.get_by_role("link", name="9X/Ma1 Period 2").click()
        page.wait_for_load_state()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        page.get_by_label("Mia Jones (P2)").uncheck()
        page.get_by_label("What to do").fill("Textbook p.42, questions 1–10. Show working.")
        page.get_by_label("Online resource").fill("https://corbettmaths.com/fractions")
        page.get_by_label("Files").set_input_files(str(self.files / "fractions.pdf"))
        self.shot(page, "teacher-set-work-phone")
        page.get_by_role("button", name="Set work").click()
        page.wait_for_load_state()
        self.assertIn("Work set for 1 student", page.content())
        jayden = WorkRequest.objects.get(placement_day__placement__student=self.student)
        mia = WorkRequest.objects.get(placement_day__placement__student=self.mia)
        self.assertEqual((jayden.status, mia.status), ("set", "requested"))

        # At the deadline (16:00 the day before) Mia's falls back to the programme.
        freeze_clock(self, dt.datetime.combine(WEDNESDAY, dt.time(16, 0), tzinfo=LONDON))
        services.work_deadlines_due()
        mia.refresh_from_db()
        self.assertEqual((mia.status, mia.work_set.kind), ("set", WorkSet.Kind.FALLBACK))
        self.assertEqual(mia.task.title, "Fractions review")

        # Thursday after period 2: the officer prints the pack and records the work on a phone.
        freeze_clock(self, dt.datetime.combine(THURSDAY, dt.time(11, 30), tzinfo=LONDON))
        officer = self.new_page(PHONE)
        self.sign_in(officer, self.bob)
        self.visit(officer, f"/register/IE1/{THURSDAY}/")
        self.shot(officer, "officer-register-phone")
        pack = officer.request.get(
            self.live_server_url + f"/work/pack/{jayden.placement_day_id}.pdf"
        )
        self.assertEqual(pack.headers["content-type"], "application/pdf")
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "work-pack-browser.pdf").write_bytes(pack.body())
        self.assertTrue(pack.body().startswith(b"%PDF"))
        officer.locator(f"#placement-day-{jayden.placement_day_id}").get_by_role(
            "link", name="record work for P2"
        ).click()
        officer.wait_for_load_state()
        self.assert_accessible(officer)
        self.assert_fits_a_phone(officer)
        officer.get_by_label("Partly done").check()
        officer.get_by_label("Note for the teacher").fill("Did questions 1–6, then needed help.")
        officer.get_by_label("Photo or scan").set_input_files(str(self.files / "work-photo.png"))
        self.shot(officer, "officer-record-work-phone")
        officer.get_by_role("button", name="Record and return to the teacher").click()
        officer.wait_for_load_state()
        jayden.refresh_from_db()
        self.assertEqual((jayden.status, jayden.outcome), ("returned", "partly"))
        self.assertTrue(jayden.outcome_file)

        # The teacher sees it returned, with the photo, and acknowledges it.
        self.visit(page, "/work/")
        returned = page.locator("#returned")
        self.assertIn("Partly done", returned.inner_text())
        self.assertIn("Did questions 1–6", returned.inner_text())
        self.shot(page, "teacher-returned-phone")
        photo = page.request.get(self.live_server_url + f"/work/{jayden.pk}/done-file/")
        self.assertEqual(photo.status, 200)
        returned.get_by_role("button", name="Seen it").click()
        page.wait_for_load_state()
        jayden.refresh_from_db()
        self.assertIsNotNone(jayden.acknowledged_at)
