"""The morning digest: all staff learn who is out of which lessons; each teacher their own."""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from sanctions.models import DigestRun
from sanctions.selectors import in_rooms
from sanctions.services import digest, placements
from tests.base import (
    LONDON,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    make_student,
)
from work.models import WorkRequest
from work.services import requests as work_services

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class RegisterDigestTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        placements.placement_book(
            student=cls.student, provision=cls.ie, days=1, by=cls.evan, start_on=THURSDAY
        )

    def at(self, hh, mm, day=THURSDAY):
        when = dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)
        freeze_clock(self, when)

    def test_it_lists_who_is_in_a_room_with_the_lessons_they_miss(self):
        with self.assertNumQueries(2):
            [row] = in_rooms.in_rooms_on(THURSDAY)
            lessons = [(w.period.code, w.teaching_class.code, w.teacher) for w in row.lessons]
        self.assertEqual(
            (row.student, row.provision, row.room), (self.student, self.ie, self.ie_room)
        )
        self.assertEqual(lessons, [("P2", "9X/Ma1", self.alice.staff)])
        self.assertEqual(in_rooms.in_rooms_on(WEDNESDAY), [])

    def test_it_tells_all_staff_and_each_affected_teacher(self):
        with self.captureOnCommitCallbacks(execute=True):
            run = digest.register_digest_send(day=THURSDAY)
        everyone = [m for m in mail.outbox if m.subject.startswith("Out of lessons today")]
        self.assertEqual(len(everyone), 9)  # every staff member with an email
        self.assertIn(
            "- Jayden Walsh (9B): Internal exclusion, IE1. Misses P2 9X/Ma1", everyone[0].body
        )
        [alice] = [m for m in mail.outbox if m.subject.startswith("Your students")]
        self.assertEqual(alice.to, ["alice@school.example"])
        self.assertIn("- Period 2 9X/Ma1: Jayden Walsh (Internal exclusion, IE1)", alice.body)
        self.assertEqual((run.students, run.staff_emails, run.teacher_emails), (1, 9, 1))

    def test_it_sends_once_a_day_at_the_schools_time(self):
        self.at(7, 30)
        self.assertIsNone(digest.register_digest_due())
        self.assertFalse(DigestRun.objects.exists())
        self.at(8, 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertIsNotNone(digest.register_digest_due())
            self.assertIsNone(digest.register_digest_due())
        self.assertEqual(DigestRun.objects.get().date, THURSDAY)
        self.assertEqual(len([m for m in mail.outbox if "Out of lessons" in m.subject]), 9)

    def test_it_sends_nothing_on_a_weekend(self):
        self.at(9, 0, day=dt.date(2026, 11, 28))
        self.assertIsNone(digest.register_digest_due())

    def test_the_worker_sends_it_on_its_pass(self):
        make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        self.at(8, 5)
        call_command("run_worker", "--once", stdout=io.StringIO())
        self.assertTrue(DigestRun.objects.filter(date=THURSDAY).exists())
        self.assertTrue(any("Out of lessons" in m.subject for m in mail.outbox))

    def test_each_teacher_learns_the_work_state_and_the_work_returned_to_them(self):
        request = WorkRequest.objects.get()
        self.at(9, 0, day=WEDNESDAY)
        work_services.work_set(
            requests=[request],
            answer=work_services.Answer(kind="lesson", instructions="p.42"),
            by=self.alice,
        )
        # Work from an earlier day, returned and not yet seen.
        WorkRequest.objects.create(
            placement_day=request.placement_day,
            date=WEDNESDAY,
            period=self.periods["P1"],
            teaching_class=self.maths_class,
            teacher=self.alice.staff,
            status="returned",
            outcome="partly",
            outcome_note="Half of it",
        )
        with self.captureOnCommitCallbacks(execute=True):
            digest.register_digest_send(day=THURSDAY)
        [alice] = [
            m for m in mail.outbox if m.to == ["alice@school.example"] and "Your" in m.subject
        ]
        self.assertIn("Jayden Walsh (Internal exclusion, IE1) – work set", alice.body)
        self.assertIn("Work returned to you from the room:", alice.body)
        self.assertIn("Jayden Walsh, partly done – Half of it", alice.body)
