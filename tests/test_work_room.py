"""The room: the officer records each piece of work done (with a photo or scan), which returns
it to the teacher, who acknowledges it; the student's work pack for the day as a PDF."""

import datetime as dt
import os
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent, StateChange
from sanctions.services import placements
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, frozen_clock
from tests.work_fixtures import a_file, temporary_media
from work.models import WorkRequest
from work.services import requests as services

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


class RoomWorkTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with frozen_clock(TEN_FIFTEEN - dt.timedelta(days=1)):
            cls.placement = placements.placement_book(
                student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=WEDNESDAY
            )
        cls.request = WorkRequest.objects.get()

    def setUp(self):
        super().setUp()
        temporary_media(self)

    def set_work(self):
        services.work_set(
            requests=[self.request],
            answer=services.Answer(
                kind="lesson",
                instructions="Textbook p.42, questions 1-10",
                link="https://example.org/fractions",
            ),
            files=[a_file("fractions.pdf")],
            by=self.alice,
        )

    def record(self, **data):
        payload = {"outcome": "completed", "note": ""} | data
        return self.client.post(reverse("work-record", args=[self.request.pk]), payload)

    def test_the_officer_records_work_with_a_photo_and_the_teacher_sees_it_returned(self):
        self.set_work()
        self.login(self.bob)
        page = self.client.get(reverse("work-record", args=[self.request.pk]))
        self.assertContains(page, "Textbook p.42")
        self.assertContains(page, "fractions.pdf")
        response = self.record(
            outcome="partly",
            note="Did questions 1-6",
            scan=SimpleUploadedFile("work.png", PNG, "image/png"),
        )
        self.assertRedirects(
            response,
            reverse("register", args=["IE1", WEDNESDAY.isoformat()])
            + f"#placement-day-{self.request.placement_day_id}",
            fetch_redirect_response=False,
        )
        self.request.refresh_from_db()
        self.assertEqual(
            (self.request.status, self.request.outcome, self.request.recorded_by),
            ("returned", "partly", self.bob),
        )
        self.assertTrue(self.request.outcome_file.name.endswith(".png"))
        self.assertTrue(
            StateChange.objects.filter(object_type="work.workrequest", to_value="returned").exists()
        )
        # Back with the teacher.
        self.login(self.alice)
        with self.assertNumQueries(7):  # work set, and no read of its attachments
            page = self.client.get(reverse("work-to-set"))
        self.assertContains(page, "Partly done")
        self.assertContains(page, "Did questions 1-6")
        photo = reverse("work-done-file", args=[self.request.pk])
        self.assertContains(page, photo)
        self.assertEqual(self.client.get(photo).status_code, 200)
        self.assertTrue(
            AuditEvent.objects.filter(user=self.alice, detail__page="work done file").exists()
        )
        self.client.post(reverse("work-acknowledge", args=[self.request.pk]))
        self.request.refresh_from_db()
        self.assertIsNotNone(self.request.acknowledged_at)
        page = self.client.get(reverse("work-to-set"))
        self.assertEqual(page.context["work"].returned, [])
        self.assertEqual(len(page.context["work"].acknowledged), 1)

    def test_partly_or_not_done_needs_a_note_and_only_pictures_or_pdfs_are_kept(self):
        self.login(self.bob)
        self.assertContains(self.record(outcome="not_done"), "Say what was done, or why not")
        response = self.record(scan=SimpleUploadedFile("notes.docx", b"x", "application/msword"))
        self.assertContains(response, "notes.docx can&#x27;t be attached")
        self.assertContains(self.record(outcome="maybe"), "not one of the available choices")
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, "requested")

    def test_work_can_t_be_recorded_before_its_day_or_after_a_cancellation(self):
        self.login(self.bob)
        WorkRequest.objects.filter(pk=self.request.pk).update(date=WEDNESDAY + dt.timedelta(days=1))
        self.assertContains(self.record(), "on the day, not before")
        WorkRequest.objects.filter(pk=self.request.pk).update(date=WEDNESDAY, status="cancelled")
        self.assertContains(self.record(), "withdrawn")

    def test_only_the_room_staff_record_work_and_only_the_teacher_acknowledges(self):
        self.login(self.alice)
        self.assertEqual(self.record().status_code, 403)
        services.work_record(request=self.request, outcome="completed", by=self.bob)
        self.login(self.hugo)
        response = self.client.post(reverse("work-acknowledge", args=[self.request.pk]))
        self.assertEqual(response.status_code, 403)

    def test_the_work_pack_prints_the_room_s_day_and_each_lesson_s_work(self):
        self.set_work()
        self.login(self.bob)
        with self.assertNumQueries(8):
            response = self.client.get(reverse("work-pack", args=[self.request.placement_day_id]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        if os.getenv("WORK_SHOTS"):
            Path(os.environ["WORK_SHOTS"], "work-pack.pdf").write_bytes(response.content)
        event = AuditEvent.objects.get(detail__page="work pack")
        self.assertEqual((event.action, event.detail["lessons"]), ("export", 1))
        pack = __import__("work.selectors.requests", fromlist=["work_pack"]).work_pack(
            self.request.placement_day_id
        )
        labels = [label for _, label, _ in pack.timetable]
        self.assertEqual(labels[0], "Arrive")
        self.assertIn("Period 2: 9X/Ma1", labels)
        self.assertIn("Lunch in the room (until 13:10)", labels)
        self.assertEqual(labels[-1], "Leave")

    def test_an_alternative_learning_day_s_own_programme_is_in_the_pack(self):
        from work.models import DayActivity
        from work.selectors.requests import work_pack

        DayActivity.objects.create(
            provision=self.ie,
            starts_at=dt.time(9, 0),
            ends_at=dt.time(9, 45),
            activity="Reading with the learning mentor",
        )
        labels = [label for _, label, _ in work_pack(self.request.placement_day_id).timetable]
        self.assertIn("Reading with the learning mentor (until 09:45)", labels)
