"""The morning digest: all staff learn who is out of which lessons; each teacher their own."""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from audit.selectors import history_of
from notify import services as message_services
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


def sent_mail():
    """What has reached the mail server once the worker has made its pass (the request only
    queues the digest; the worker sends it)."""
    message_services.message_send_due()
    return mail.outbox


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
        everyone = [m for m in sent_mail() if m.subject.startswith("Out of lessons today")]
        self.assertEqual(len(everyone), 10)  # every staff member with an email
        self.assertIn(
            "- Jayden Walsh (9B): Internal exclusion, IE1. Misses P2 9X/Ma1", everyone[0].body
        )
        [alice] = [m for m in sent_mail() if m.subject.startswith("Your students")]
        self.assertEqual(alice.to, ["alice@school.example"])
        self.assertIn("- Period 2 9X/Ma1: Jayden Walsh (Internal exclusion, IE1)", alice.body)
        self.assertEqual((run.students, run.staff_emails, run.teacher_emails), (1, 10, 1))

    def test_it_sends_once_a_day_at_the_schools_time(self):
        self.at(7, 30)
        self.assertIsNone(digest.register_digest_due())
        self.assertFalse(DigestRun.objects.exists())
        self.at(8, 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertIsNotNone(digest.register_digest_due())
            self.assertIsNone(digest.register_digest_due())
        self.assertEqual(DigestRun.objects.get().date, THURSDAY)
        self.assertEqual(len([m for m in sent_mail() if "Out of lessons" in m.subject]), 10)

    def test_it_sends_nothing_on_a_weekend(self):
        self.at(9, 0, day=dt.date(2026, 11, 28))
        self.assertIsNone(digest.register_digest_due())

    def test_the_worker_sends_it_on_its_pass(self):
        make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        self.at(8, 5)
        call_command("run_worker", "--once", stdout=io.StringIO())
        self.assertTrue(DigestRun.objects.filter(date=THURSDAY).exists())
        self.assertTrue(any("Out of lessons" in m.subject for m in sent_mail()))

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
            m for m in sent_mail() if m.to == ["alice@school.example"] and "Your" in m.subject
        ]
        self.assertIn("Jayden Walsh (Internal exclusion, IE1) – work set", alice.body)
        self.assertIn("Work returned to you from the room:", alice.body)
        self.assertIn("Jayden Walsh, partly done – Half of it", alice.body)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class DigestFromTheRegisterTest(SchoolDayTestCase):
    """The officer sends today's digest from the register, or resends it: a resend is explicit,
    says when it last went and to whom, and is kept in the history and the audit log."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        placements.placement_book(
            student=cls.student, provision=cls.ie, days=1, by=cls.evan, start_on=THURSDAY
        )

    def setUp(self):
        super().setUp()
        freeze_clock(self, dt.datetime.combine(THURSDAY, dt.time(7, 40), tzinfo=LONDON))
        self.register = reverse("register-today", args=["IE1"])
        self.send = reverse("register-digest")

    def digests(self):
        return [m for m in sent_mail() if m.subject.startswith("Out of lessons today")]

    def test_it_offers_to_send_it_before_the_worker_has(self):
        self.login(self.bob)
        response = self.client.get(self.register)
        self.assertContains(response, "Not sent yet today. The worker sends it at 08:00.")
        self.assertContains(response, "Send today's digest now")
        self.assertNotContains(response, "Resend")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.send, {"room": "IE1"}, follow=True)
        self.assertRedirects(response, self.register)
        self.assertContains(response, "Today&#x27;s register digest is on its way.")
        self.assertEqual(len(self.digests()), 10)
        run = DigestRun.objects.get()
        self.assertEqual((run.sent_by, run.times_sent, run.teachers), (self.bob, 1, "Ms A Teague"))
        self.assertContains(
            response,
            "Sent at 07:40 by Bob Patel to all 10 staff, and to 1 teacher with their own list "
            "(Ms A Teague).",
        )
        self.assertContains(response, "Resend today's digest")
        self.assertEqual(
            [(c.field, c.to_value, c.note, c.username) for c in history_of(run)],
            [("sent", "07:40", "Sent from the register", "bob")],
        )

    def test_it_warns_when_the_digest_is_overdue(self):
        freeze_clock(self, dt.datetime.combine(THURSDAY, dt.time(9, 30), tzinfo=LONDON))
        self.login(self.bob)
        response = self.client.get(self.register)
        self.assertContains(
            response,
            "Not sent today: it was due at 08:00. The worker that sends it may not be running",
        )
        self.assertContains(response, "Send today's digest now")

    def test_it_resends_only_when_asked_saying_when_it_last_went(self):
        with self.captureOnCommitCallbacks(execute=True):
            digest.register_digest_send(day=THURSDAY)  # the worker, at 07:40
        self.login(self.bob)
        response = self.client.get(self.register)
        self.assertContains(response, "Sent at 07:40 by the worker to all 10 staff")
        # A plain "send" again (a second tab, a double click) is refused, sending nothing.
        response = self.client.post(self.send, {"room": "IE1"}, follow=True)
        self.assertContains(
            response, "Today&#x27;s digest has already gone. Sent at 07:40 by the worker"
        )
        self.assertContains(response, "Choose Resend to send it again.")
        self.assertEqual(len(self.digests()), 10)
        freeze_clock(self, dt.datetime.combine(THURSDAY, dt.time(9, 5), tzinfo=LONDON))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.send, {"room": "IE1", "resend": "1"}, follow=True)
        self.assertEqual(len(self.digests()), 20)
        self.assertContains(response, "Sent at 09:05 by Bob Patel to all 10 staff", count=2)
        self.assertContains(response, "It has gone 2 times today.")
        run = DigestRun.objects.get()
        self.assertEqual(
            [(c.from_value, c.to_value, c.note) for c in history_of(run)],
            [("07:40", "09:05", "Resent from the register")],
        )
        event = AuditEvent.objects.get(detail__page="register digest")
        self.assertEqual((event.username, event.detail["times_sent"]), ("bob", 2))

    def test_it_lets_only_those_who_run_the_rooms_send_it(self):
        for person in [self.alice, self.charlie, self.gita, self.fay, self.hugo, self.olive]:
            self.login(person)
            with self.subTest(person=person.username):
                self.assertEqual(self.client.post(self.send, {"room": "IE1"}).status_code, 403)
        self.assertFalse(DigestRun.objects.exists())
        self.login(self.charlie)
        self.assertNotContains(self.client.get(self.register), "register digest")
        self.login(self.bob)
        self.assertEqual(self.client.get(self.send).status_code, 405)
        # Only on today's register.
        other_day = reverse("register", args=["IE1", "2026-11-25"])
        self.assertNotContains(self.client.get(other_day), "register digest")


class MyStudentsOutTest(SchoolDayTestCase):
    """A teacher's read-only list of their students out of their lessons today."""

    def setUp(self):
        super().setUp()
        placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )
        self.url = reverse("my-students-out")

    def test_it_shows_a_teacher_which_students_miss_which_of_their_lessons(self):
        self.login(self.alice)
        self.client.get(self.url)
        with self.assertNumQueries(5):  # sign-in and the page (the menu's roles and duty: cached)
            response = self.client.get(self.url)
        self.assertContains(response, "My students out of lessons today")
        row = response.content.decode()
        for text in [
            "P2 10:00</strong> <strong>9X/Ma1</strong>",
            "Jayden Walsh",
            "is in internal exclusion (IE1)",
            'work: <span class="work-state work-requested">requested</span>',
        ]:
            self.assertIn(text, row)
        self.assertNotIn("<form", row.split('<main id="main"')[1])  # read only
        self.assertContains(response, f'href="{self.url}"')  # in the menu
        event = AuditEvent.objects.filter(detail__page="my students out").last()
        self.assertEqual((event.username, event.detail["lessons"]), ("alice", 1))

    def test_it_shows_another_teacher_none_of_alices_students(self):
        self.login(self.hugo)
        response = self.client.get(self.url)
        self.assertContains(response, "None of your students is out of your lessons today.")
        self.assertNotContains(response, "Jayden")

    def test_it_is_only_for_teachers(self):
        for person in [self.bob, self.gita, self.fay, self.olive]:
            self.login(person)
            with self.subTest(person=person.username):
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertNotContains(self.client.get(reverse("home")), self.url)
