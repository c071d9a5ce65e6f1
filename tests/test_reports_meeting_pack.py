"""The meeting pack: the half-term's report with the students removed most often and their SEN,
looked-after and pupil-premium flags, for the meeting's people only (reports/policies.py)."""

import datetime as dt

from django.urls import reverse

from audit.models import AuditEvent
from reports.selectors import pages
from reports.selectors.figures import Span
from school.models import HalfTerm, Student
from tests.base import SchoolDayTestCase
from tests.reports_fixtures import make_report_history

AUTUMN_2 = Span("Autumn 2", dt.date(2026, 11, 2), dt.date(2026, 12, 18))


class MeetingPackTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)
        cls.autumn2 = HalfTerm.objects.get(starts_on=AUTUMN_2.start)
        Student.objects.filter(pk=cls.mia.pk).update(
            looked_after=True, pupil_premium=True, sen_status=Student.SenStatus.SUPPORT
        )

    def test_it_lists_the_students_with_the_most_removals_in_the_half_term(self):
        """Mia: RR on 6 November and IE from 24 November (3 days in a room); Jayden: RR twice
        (2 days); Leo: IE from 20 November (his cancelled one and the one that started in
        autumn 1 do not count; its day on 2 November does: 3 days). Ties by surname."""
        rows = pages.most_removed(AUTUMN_2)
        self.assertEqual(
            [(r.student.pk, r.removals, r.by_kind, r.days) for r in rows],
            [
                (self.mia.pk, 2, {"RR": 1, "IE": 1}, 3),
                (self.student.pk, 2, {"RR": 2}, 2),
                (self.leo.pk, 1, {"IE": 1}, 3),
            ],
        )
        self.assertEqual(len(pages.most_removed(AUTUMN_2, limit=2)), 2)

    def test_the_pack_shows_the_flags_and_is_audited_with_the_students_named(self):
        self.login(self.bob)
        response = self.client.get(reverse("reports-meeting-pack", args=[self.autumn2.pk]))
        self.assertContains(response, "Students with the most removals")
        self.assertContains(response, self.mia.name)
        self.assertContains(response, "SEN support")
        self.assertContains(response, "Confidential: this section names students")
        self.assertContains(response, "Disproportionality")
        event = AuditEvent.objects.get(detail__page="meeting pack", action="view")
        self.assertEqual(
            sorted(event.detail["students"]), sorted([self.mia.pk, self.student.pk, self.leo.pk])
        )

    def test_the_senco_and_the_dsl_open_the_pack_and_heads_of_year_and_teachers_do_not(self):
        url = reverse("reports-meeting-pack", args=[self.autumn2.pk])
        for person in (self.noor, self.dana, self.evan):
            self.login(person)
            self.assertContains(self.client.get(url), self.leo.name)
        for person in (self.charlie, self.alice, self.fay):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_pack_pdf_names_the_students_and_the_governors_pdf_none(self):
        from django.template.loader import render_to_string

        self.login(self.bob)
        response = self.client.get(reverse("reports-meeting-pack-pdf", args=[self.autumn2.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertTrue(
            AuditEvent.objects.filter(
                detail__page="meeting pack", action="export", detail__format="pdf"
            ).exists()
        )
        report = pages.half_term_report(self.autumn2)
        context = {**report, "title": "T", "commentary": "", "user": self.bob}
        pack = render_to_string(
            "reports/half_term_pdf.html",
            {**context, "pack_students": pages.most_removed(AUTUMN_2)},
        )
        governors = render_to_string("reports/half_term_pdf.html", context)
        for student in (self.student, self.mia, self.leo):
            self.assertIn(student.name, pack)
            self.assertNotIn(student.name, governors)
            self.assertNotIn(student.last_name, governors)

    def test_the_report_links_to_the_pack_for_its_readers(self):
        self.login(self.bob)
        response = self.client.get(reverse("reports-half-term", args=[self.autumn2.pk]))
        self.assertContains(response, reverse("reports-meeting-pack", args=[self.autumn2.pk]))
