"""Every read of personal data goes to the audit log (issue 14): the lists, the on-call queue,
the watch list and drop-ins, the out-of-lessons list, the audit log itself, sign-out, and the
data manager's reads in the Django admin. One test per gap."""

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from notify.models import Message
from patrol.models import OnCallReason, OnCallRequest, WatchListEntry
from tests.base import WEDNESDAY, SchoolDayTestCase, make_guardian


class AuditReadsTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.entry = WatchListEntry.objects.create(
            student=cls.student,
            reason="Low mood",
            review_on=WEDNESDAY,
            requested_by=cls.charlie.staff,
            added_by=cls.charlie,
            added_at=timezone.now(),
        )
        cls.call = OnCallRequest.objects.create(
            raised_by=cls.alice,
            reason=OnCallReason.objects.get_or_create(label="Other")[0],
            location="Library",
            raised_at=timezone.now(),
        )
        cls.call.students.add(cls.student)
        cls.guardian = make_guardian(cls.student)
        cls.letter = Message.objects.create(
            channel="letter", address="1 Mill Lane", subject="Hi", student=cls.student
        )

    def read(self, user, url, **params) -> AuditEvent:
        """Open `url` as `user`; the audit event it wrote (the newest)."""
        self.login(user)
        before = AuditEvent.objects.count()
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(AuditEvent.objects.count(), before + 1, f"{url} wrote no audit event")
        event = AuditEvent.objects.latest("pk")
        self.assertEqual((event.user, event.action), (user, AuditEvent.Action.VIEW))
        return event

    def test_it_logs_the_student_list_with_its_flags(self):
        event = self.read(self.charlie, reverse("student-list"), q="walsh")
        self.assertEqual(event.object_type, "school.student")
        self.assertEqual(
            (event.detail["page"], event.detail["students"], event.detail["sensitive"]),
            ("student list", 1, True),
        )

    def test_it_logs_the_referral_list(self):
        event = self.read(self.charlie, reverse("referral-list"))
        self.assertEqual(event.detail["page"], "referral list")

    def test_it_logs_the_message_list(self):
        event = self.read(self.charlie, reverse("message-list"))
        self.assertEqual((event.detail["page"], event.detail["messages"]), ("message list", 1))

    def test_it_logs_the_on_call_queue_page(self):
        event = self.read(self.bob, reverse("on-call-queue"))
        self.assertEqual((event.detail["page"], event.detail["open"]), ("on-call queue", 1))

    def test_it_logs_the_on_call_queue_json(self):
        event = self.read(self.bob, reverse("on-call-queue-json"))
        self.assertEqual(event.detail["page"], "on-call queue json")

    def test_it_logs_an_on_call_requests_page(self):
        event = self.read(self.bob, reverse("on-call-detail", args=[self.call.pk]))
        self.assertEqual(event.object_id, str(self.call.pk))
        self.assertEqual(event.detail["students"], [self.student.pk])

    def test_it_logs_the_watch_list(self):
        event = self.read(self.charlie, reverse("watch-list"))
        self.assertEqual((event.detail["page"], event.detail["students"]), ("watch list", 1))

    def test_it_logs_the_patrols_watch_list_tab(self):
        event = self.read(self.bob, reverse("patrol-home"), tab="watch")
        self.assertEqual(event.detail["page"], "patrol watch list")

    def test_it_logs_a_drop_in_page(self):
        event = self.read(self.bob, reverse("drop-in-new", args=[self.entry.pk]))
        self.assertEqual(
            (event.object_id, event.detail["student"]), (str(self.entry.pk), self.student.pk)
        )

    def test_it_logs_the_out_of_lessons_list(self):
        event = self.read(self.gita, reverse("found-out-of-lessons"))
        self.assertEqual(event.detail["page"], "found out of lessons")

    def test_it_logs_reading_the_audit_log(self):
        event = self.read(self.dana, reverse("audit-log"), who="alice")
        self.assertEqual((event.detail["page"], event.detail["who"]), ("audit log", "alice"))
        # The page read the log before logging itself: the read is on the next page view.
        again = self.client.get(reverse("audit-log"))
        self.assertContains(again, "dana")

    def test_it_logs_signing_out(self):
        self.login(self.alice)
        self.client.post(reverse("logout"))
        event = AuditEvent.objects.latest("pk")
        self.assertEqual(
            (event.user, event.object_type, event.detail),
            (self.alice, "auth.session", {"event": "signed out"}),
        )

    def test_it_logs_the_data_managers_reads_in_the_django_admin(self):
        pages = {
            "admin:school_student_change": (self.student, self.student.pk),
            "admin:school_guardian_change": (self.guardian, None),
            "admin:notify_message_change": (self.letter, self.student.pk),
        }
        self.fay.is_superuser = True  # whatever the admin site lets the role open, it is logged
        self.fay.save()
        for name, (record, student_id) in pages.items():
            with self.subTest(page=name):
                event = self.read(self.fay, reverse(name, args=[record.pk]))
                self.assertEqual(
                    (event.object_type, event.object_id, event.detail),
                    (
                        record._meta.label_lower,
                        str(record.pk),
                        {"page": "admin", "student": student_id},
                    ),
                )
