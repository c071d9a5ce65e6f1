"""Who has looked at this child (issue 14): on the student page, for the DSL and the data
manager, every read and export of the child's records, newest first, paged, in a fixed number of
queries."""

from django.urls import reverse

from audit.models import AuditEvent
from notify.models import Message
from pastoral.models import Level
from pastoral.services import concerns, discussions
from sanctions.models import Referral
from sanctions.services import placements
from tests.base import WEDNESDAY, SchoolDayTestCase, make_student


class StudentReadsTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_student(upn="B123456789012", first="Maya", last="Cole", form=cls.form)
        cls.referral = Referral.objects.create(
            student=cls.student, provision=cls.ie, days=1, requested_by=cls.alice
        )
        cls.letter = Message.objects.create(
            channel="letter", address="1 Mill Lane", subject="Letter home", student=cls.student
        )

    def url(self, student=None):
        return reverse("student-reads", args=[(student or self.student).pk])

    def test_it_lists_every_read_and_export_of_the_childs_records_newest_first(self):
        self.login(self.alice)
        self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.client.get(reverse("student-detail", args=[self.other.pk]))  # someone else
        self.login(self.charlie)
        self.client.get(reverse("referral-detail", args=[self.referral.pk]))
        self.client.get(reverse("message-letter-pdf", args=[self.letter.pk]))
        self.login(self.dana)
        page = self.client.get(self.url())
        rows = page.context["page"].object_list
        self.assertEqual(
            [(e.username, e.object_type, e.action) for e in rows],
            [
                ("charlie", "notify.message", AuditEvent.Action.EXPORT),
                ("charlie", "sanctions.referral", AuditEvent.Action.VIEW),
                ("alice", "school.student", AuditEvent.Action.VIEW),
            ],
        )
        self.assertContains(page, "Alice Teague")
        self.assertNotContains(page, "Maya")

    def test_it_includes_reads_of_discussions_and_interviews_and_concerns_for_the_dsl_only(self):
        discussion = discussions.discussion_record(
            student=self.student, said="Lunchtimes are hard", level=Level.STAFF, by=self.bob
        )
        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        interview = placement.interviews.get(kind="entry")
        concern = concerns.concern_raise(student=self.student, what="A bruise", by=self.alice)
        other = discussions.discussion_record(
            student=self.other, said="Not Jayden", level=Level.STAFF, by=self.bob
        )
        self.login(self.charlie)
        self.client.get(reverse("discussion-detail", args=[discussion.pk]))
        self.client.get(reverse("discussion-detail", args=[other.pk]))
        self.client.get(reverse("interview-detail", args=[interview.pk]))
        self.client.get(reverse("exit-interview", args=[placement.pk]))
        self.login(self.alice)
        self.client.get(reverse("concern-detail", args=[concern.pk]))
        expected = [
            ("charlie", "sanctions.placement"),
            ("charlie", "pastoral.interview"),
            ("charlie", "pastoral.discussion"),
        ]
        for person, concern_seen in [(self.dana, True), (self.fay, False)]:
            with self.subTest(person=person.username):
                self.login(person)
                rows = self.client.get(self.url()).context["page"].object_list
                found = [
                    (e.username, e.object_type) for e in rows if e.object_type != "school.student"
                ]
                self.assertEqual(
                    found, ([("alice", "pastoral.concern")] if concern_seen else []) + expected
                )

    def test_it_is_for_the_dsl_and_the_data_manager_only(self):
        for person in (self.alice, self.bob, self.charlie, self.evan, self.gita, self.olive):
            with self.subTest(person=person.username):
                self.login(person)
                self.assertEqual(self.client.get(self.url()).status_code, 403)
        for person in (self.dana, self.fay):
            with self.subTest(person=person.username):
                self.login(person)
                self.assertEqual(self.client.get(self.url()).status_code, 200)
        self.assertContains(
            self.client.get(reverse("student-detail", args=[self.student.pk])),
            "Who has looked at Jayden",
        )
        self.login(self.evan)
        self.assertNotContains(
            self.client.get(reverse("student-detail", args=[self.student.pk])), "Who has looked"
        )

    def test_it_pages_in_a_fixed_number_of_queries(self):
        events = [
            AuditEvent(
                user=self.alice,
                username="alice",
                action=AuditEvent.Action.VIEW,
                object_type="school.student",
                object_id=str(self.student.pk),
            )
            for _ in range(120)
        ]
        AuditEvent.objects.bulk_create(events)
        self.login(self.dana)
        # session, user, roles, the student, count, one page of reads with their users, and the
        # read's own audit event
        with self.assertNumQueries(7):
            first = self.client.get(self.url())
        self.assertContains(first, "Page 1 of 3")
        with self.assertNumQueries(7):
            self.client.get(self.url(), {"page": "3"})
        self.assertEqual(self.client.get(self.url(), {"page": "x"}).status_code, 200)
        self.assertEqual(self.client.get(reverse("student-reads", args=[99999])).status_code, 404)

    def test_its_rows_show_who_what_which_record_and_from_where_as_written_in_python(self):
        # issue 15: the rows are read as the columns they show (compiled) and written in Python.
        from django.contrib.auth import get_user_model

        nameless = get_user_model().objects.create_user(username="nameless")
        about = {"object_type": "school.student", "object_id": str(self.student.pk)}
        made = [
            AuditEvent(
                user=self.alice,
                username="alice",
                action=AuditEvent.Action.VIEW,
                object_repr="Jayden <b>",
                detail={"page": "student <profile>"},
                ip_address="10.0.0.7",
                **about,
            ),
            AuditEvent(username="gone", action=AuditEvent.Action.EXPORT, **about),
            AuditEvent(username="", action=AuditEvent.Action.VIEW, detail=["page"], **about),
            AuditEvent(user=nameless, username="nameless", action=AuditEvent.Action.VIEW, **about),
            # Not a read, and a read of someone else: left out.
            AuditEvent(user=self.alice, username="alice", action="change", **about),
            AuditEvent(
                user=self.alice,
                username="alice",
                action=AuditEvent.Action.VIEW,
                object_type="school.student",
                object_id=str(self.other.pk),
            ),
        ]
        AuditEvent.objects.bulk_create(made)
        AuditEvent.objects.filter(pk__in=[e.pk for e in made]).update(at=made[0].at)
        self.login(self.dana)
        page = self.client.get(self.url())
        rows = page.context["page"].object_list
        # Newest first, then the later written first.
        self.assertEqual(
            [(e.username, e.action) for e in rows],
            [("nameless", "view"), ("", "view"), ("gone", "export"), ("alice", "view")],
        )
        self.assertRegex(rows[0].html, r"^<tr><td>\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d</td>")
        cells = [row.html.split("</td><td>", 1)[1] for row in rows]
        self.assertEqual(
            cells,
            [
                "nameless</td><td>Viewed</td><td>school.student</td><td></td></tr>",
                "—</td><td>Viewed</td><td>school.student</td><td></td></tr>",
                "gone</td><td>Exported</td><td>school.student</td><td></td></tr>",
                'Alice Teague</td><td>Viewed <span class="muted">(student &lt;profile&gt;)</span>'
                "</td><td>Jayden &lt;b&gt;</td><td>10.0.0.7</td></tr>",
            ],
        )
        self.assertContains(page, rows[3].html, html=False)
