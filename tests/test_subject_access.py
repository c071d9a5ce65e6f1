"""Subject access requests (issue 13): everything held about a student, at the levels the
requester may release, other students' names marked for redaction, as a zip with a PDF and
JSON; audited."""

import datetime as dt
import io
import json
import time
import zipfile

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from pastoral.models import Level
from pastoral.services import concerns, discussions, restorative
from privacy import exports
from privacy.selectors import subject_access
from sanctions.models import ReasonCategory
from sanctions.services import incidents, placements
from school.models import Student
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, make_student


class SubjectAccessTestCase(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_student(upn="B123456789012", first="Maisie", last="Doyle")

    def setUp(self):
        super().setUp()
        reason = ReasonCategory.objects.first() or ReasonCategory.objects.create(
            code="DIS", name="Disruption"
        )
        incidents.incident_record(
            occurred_at=TEN_FIFTEEN,
            location="Corridor",
            reason=reason,
            description="Jayden and Maisie Doyle argued in the corridor; Maisie Doyle was upset.",
            reported_by=self.alice.staff,
            by=self.alice,
            students=[(self.student, "perpetrator"), (self.other, "victim")],
        )
        self.placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        for level, said in (
            (Level.STAFF, "STAFF-LEVEL: likes football club."),
            (Level.PASTORAL, "PASTORAL-LEVEL: finds lunchtimes hard."),
            (Level.CHILD_PROTECTION, "CP-LEVEL: said something worrying about home."),
        ):
            discussions.discussion_record(
                student=self.student, said=said, actions="", level=level, groups=(), by=self.dana
            )
        concerns.concern_raise(
            student=self.student, what="CONCERN-TEXT: bruise seen", by=self.alice
        )

    def download(self, user):
        self.login(user)
        response = self.client.post(
            reverse("subject-access", args=[self.student.pk]),
            {"reference": "Letter of 20 Nov", "identity": "Mother, in person", "confirm": "on"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertEqual(
            sorted(archive.namelist()), ["README.txt", "subject-access.json", "subject-access.pdf"]
        )
        return archive


class SubjectAccessContentsTest(SubjectAccessTestCase):
    def test_it_gives_the_data_manager_staff_and_pastoral_records_but_no_child_protection(self):
        data = json.loads(self.download(self.fay).read("subject-access.json"))
        text = json.dumps(data)
        self.assertIn("STAFF-LEVEL", text)
        self.assertIn("PASTORAL-LEVEL", text)
        self.assertNotIn("CP-LEVEL", text)
        self.assertNotIn("CONCERN-TEXT", text)
        self.assertNotIn("concerns", data["records"])
        self.assertEqual(data["levels_released"], ["staff", "pastoral"])

    def test_it_gives_the_dsl_child_protection_records_and_concerns(self):
        data = json.loads(self.download(self.dana).read("subject-access.json"))
        text = json.dumps(data)
        self.assertIn("CP-LEVEL", text)
        self.assertEqual(
            [r["fields"]["what"] for r in data["records"]["concerns"]],
            ["CONCERN-TEXT: bruise seen"],
        )

    def test_it_marks_another_students_name_for_redaction(self):
        data = json.loads(self.download(self.fay).read("subject-access.json"))
        incident = data["records"]["incidents"][0]
        self.assertEqual(incident["fields"]["other_students"], ["Maisie Doyle"])
        self.assertIn("Maisie Doyle", incident["redact"])
        self.assertIn("Maisie Doyle", data["marked_for_redaction"])
        self.assertNotIn("Jayden Walsh", data["marked_for_redaction"])
        self.assertEqual(data["student"]["upn"], self.student.upn)

    def test_it_holds_the_placement_register_and_work(self):
        data = json.loads(self.download(self.fay).read("subject-access.json"))
        self.assertEqual(len(data["records"]["placements"]), 1)
        self.assertEqual(len(data["records"]["placement_days"]), 1)
        self.assertEqual(data["records"]["interviews"][0]["fields"]["kind"], "Entry interview")
        self.assertTrue(data["records"]["history"])

    def test_its_pdf_opens_and_its_page_marks_the_other_students_name(self):
        pdf = self.download(self.fay).read("subject-access.pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertTrue(pdf.rstrip().endswith(b"%%EOF"))
        self.assertGreater(len(pdf), 5000)
        bundle = subject_access.subject_access(self.student, levels=(Level.STAFF, Level.PASTORAL))
        html = exports.subject_access_html(bundle, requester=self.fay)
        self.assertIn('<mark class="redact">Maisie Doyle</mark> was upset', html)
        self.assertIn("PASTORAL-LEVEL", html)
        self.assertNotIn("CP-LEVEL", html)

    def test_it_is_written_in_the_audit_log(self):
        self.download(self.fay)
        event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
        self.assertEqual(
            (event.user, event.object_id, event.detail["page"], event.detail["reference"]),
            (self.fay, str(self.student.pk), "subject access request", "Letter of 20 Nov"),
        )


class SubjectAccessRestorativeTest(SubjectAccessTestCase):
    def test_restorative_meetings_are_in_it_as_the_student_or_as_the_one_harmed(self):
        restorative.restorative_meeting_plan(
            student=self.student,
            affected_staff=self.alice.staff,
            affected_student=None,
            starts_at=dt.datetime(2026, 11, 26, 12, 30, tzinfo=dt.UTC),
            place="Year 9 office",
            facilitator=self.charlie.staff,
            by=self.bob,
        )
        restorative.restorative_meeting_plan(
            student=self.other,
            affected_staff=None,
            affected_student=self.student,
            starts_at=dt.datetime(2026, 11, 27, 12, 30, tzinfo=dt.UTC),
            place="Library",
            facilitator=self.charlie.staff,
            by=self.bob,
        )
        restorative.restorative_meeting_plan(
            student=self.student,
            affected_staff=self.alice.staff,
            affected_student=None,
            starts_at=dt.datetime(2026, 11, 28, 12, 30, tzinfo=dt.UTC),
            place="CP-ROOM",
            facilitator=self.charlie.staff,
            level=Level.CHILD_PROTECTION,
            by=self.bob,
        )
        data = json.loads(self.download(self.fay).read("subject-access.json"))
        meetings = data["records"]["restorative_meetings"]
        self.assertEqual(
            sorted(m["fields"]["place"] for m in meetings), ["Library", "Year 9 office"]
        )
        harmed = next(m for m in meetings if m["fields"]["place"] == "Library")
        self.assertEqual(
            (harmed["fields"]["student"], harmed["redact"]), ("Maisie Doyle", ["Maisie Doyle"])
        )


class SubjectAccessPageTest(SubjectAccessTestCase):
    def test_it_asks_to_confirm_before_compiling(self):
        self.login(self.fay)
        url = reverse("subject-access", args=[self.student.pk])
        page = self.client.get(url)
        self.assertContains(page, "only the designated safeguarding lead may release them")
        response = self.client.post(url, {"reference": "x", "identity": "y"})
        self.assertContains(response, "Tick to say you will check the marked names")
        self.assertFalse(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists())

    def test_the_student_page_links_to_it_for_those_who_may(self):
        student_url = reverse("student-detail", args=[self.student.pk])
        link = reverse("subject-access", args=[self.student.pk])
        self.login(self.fay)
        self.assertContains(self.client.get(student_url), link)
        self.login(self.bob)
        self.assertNotContains(self.client.get(student_url), link)
        self.assertEqual(self.client.get(link).status_code, 403)

    def test_an_unknown_student_is_not_found(self):
        self.login(self.dana)
        self.assertEqual(self.client.get(reverse("subject-access", args=[99999])).status_code, 404)


class SubjectAccessCoverageTest(SubjectAccessTestCase):
    def test_every_model_about_a_student_is_in_the_request(self):
        """A new kind of record pointing at a student must be added to the request (or to the
        list of those left out, with the reason)."""
        covered = {
            s.rows(self.student).model._meta.label_lower for s in subject_access.SECTIONS
        } | set(subject_access.LEFT_OUT)
        missing = []
        for model in apps.get_models():
            points_at_student = any(
                (f.is_relation and f.related_model is Student and (f.many_to_one or f.many_to_many))
                for f in model._meta.get_fields()
                if getattr(f, "concrete", False) or f.many_to_many
            )
            if points_at_student and model._meta.label_lower not in covered:
                missing.append(model._meta.label_lower)
        self.assertEqual(missing, [])


class SubjectAccessQueriesTest(SubjectAccessTestCase):
    def test_it_reads_in_a_fixed_number_of_queries_however_many_records(self):
        levels = (Level.STAFF, Level.PASTORAL, Level.CHILD_PROTECTION)
        with CaptureQueriesContext(connection) as first:
            subject_access.subject_access(self.student, levels=levels)
        placements.placement_book(
            student=self.student,
            provision=self.ie,
            days=2,
            by=self.bob,
            start_on=WEDNESDAY + dt.timedelta(days=7),
        )
        for n in range(3):
            discussions.discussion_record(
                student=self.student,
                said=f"More {n}",
                actions="",
                level=Level.STAFF,
                groups=(),
                by=self.bob,
            )
        with CaptureQueriesContext(connection) as second:
            bundle = subject_access.subject_access(self.student, levels=levels)
        self.assertEqual(len(bundle.sections[3][1]), 2)  # placements
        self.assertEqual(len(second), len(first))
        self.assertLessEqual(len(second), 35)


class SubjectAccessPdfSpeedTest(SchoolDayTestCase):
    """The request is compiled inside the web request (docs/security.md, "Subject access: how
    long it takes"): the PDF lays records out as paragraphs, not tables, which took a third of
    WeasyPrint's time and half the pages for the demo's busiest student."""

    def big_bundle(self, records: int) -> subject_access.SubjectAccess:
        section = subject_access.SECTIONS[1]  # incidents
        rows = [
            subject_access.Record(
                id=n,
                fields={
                    "occurred_at": "2026-09-16T12:05:00+01:00",
                    "room": "H7 Humanities classroom 7",
                    "period": "Period 3 (11:20-12:20)",
                    "reason": "DB - Persistent or general disruptive behaviour",
                    "description": "Repeatedly talking over the teacher and distracting others "
                    "after two warnings; Maisie Doyle moved seats. " * 2,
                    "reported_by": "Mr M King",
                    "recorded_by": "Darren Whitehouse",
                    "status": "Approved",
                },
                redact=["Maisie Doyle"],
            )
            for n in range(records)
        ]
        return subject_access.SubjectAccess(
            student=self.student,
            levels=(Level.STAFF,),
            generated_at=dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC),
            personal={"legal_first_name": "Jayden", "legal_last_name": "Smith"},
            sections=[(section, rows)],
            reads=[{"at": "2026-11-20", "who": "Alice", "what": "view", "page": "student"}] * 30,
            third_parties=["Maisie Doyle"],
        )

    def test_records_are_paragraphs_not_tables(self):
        html = exports.subject_access_html(self.big_bundle(3), requester=self.fay)
        self.assertNotIn("<table", html)
        self.assertEqual(html.count('<div class="record">'), 1 + 3)  # personal details + 3
        self.assertIn('<span class="label">Description:</span>', html)

    def test_ninety_records_print_on_few_pages_in_a_few_seconds(self):
        from weasyprint import HTML

        exports.subject_access_pdf(self.big_bundle(1), requester=self.fay)  # load fonts once
        bundle = self.big_bundle(90)
        started = time.process_time()
        pdf = exports.subject_access_pdf(bundle, requester=self.fay)
        cpu = time.process_time() - started
        self.assertTrue(pdf.startswith(b"%PDF-"))
        pages = len(
            HTML(string=exports.subject_access_html(bundle, requester=self.fay)).render().pages
        )
        # As tables the same records took 32 pages; as paragraphs 18.
        self.assertLess(pages, 24)
        # About 1.4 s of CPU on the shared 2-core machine; as tables 2.6 s.
        self.assertLess(cpu, 5.0)
