"""The half-termly report: the comparison columns, the written analysis and the exports."""

import datetime as dt
import io

from django.urls import reverse

from audit.models import AuditEvent, StateChange
from reports.models import Commentary
from reports.selectors import pages
from school.models import AcademicYear, HalfTerm, Term
from tests.base import SchoolDayTestCase
from tests.reports_fixtures import make_report_history, place


class HalfTermReportTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)
        # Last year's autumn 2, with one reflection room placement.
        year = AcademicYear.objects.create(
            name="2025/26", starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 8, 31)
        )
        autumn = Term.objects.create(
            academic_year=year,
            kind="autumn",
            starts_on=dt.date(2025, 9, 3),
            ends_on=dt.date(2025, 12, 19),
        )
        HalfTerm.objects.create(
            term=autumn, number=2, starts_on=dt.date(2025, 11, 3), ends_on=autumn.ends_on
        )
        place(cls, cls.student, cls.rr, cls.rr_room, [dt.date(2025, 11, 10)])
        cls.autumn2 = HalfTerm.objects.get(starts_on=dt.date(2026, 11, 2))

    def test_it_sets_the_previous_half_term_and_the_same_one_last_year_beside_it(self):
        """Autumn 2 2026: RR placements 3 (P1, P2, Mia's of 6 November); autumn 1: 1 (Mia's of
        22 October); autumn 2 2025: 1."""
        report = pages.half_term_report(self.autumn2)
        self.assertEqual(
            [s.label for s in report["spans"]],
            [
                "This half-term: Autumn 2 2026/27",
                "Previous half-term: Autumn 1 2026/27",
                "Same half-term last year: Autumn 2 2025/26",
            ],
        )
        rr = next(p for p in report["provisions"] if p["kind"] == "RR")
        self.assertEqual([c["value"] for c in rr["rows"][0].cells], [3, 1, 1])

    def test_the_officer_keeps_a_written_analysis_with_the_report(self):
        self.login(self.bob)
        url = reverse("reports-half-term", args=[self.autumn2.pk])
        response = self.client.post(url, {"text": "Removals from maths doubled."})
        self.assertRedirects(response, url)
        self.assertEqual(
            Commentary.objects.get(half_term=self.autumn2).text, "Removals from maths doubled."
        )
        self.assertTrue(StateChange.objects.filter(object_type="reports.commentary").exists())
        self.assertContains(self.client.get(url), "Removals from maths doubled.")

    def test_it_refuses_an_analysis_from_someone_who_may_not_read_the_report(self):
        self.login(self.charlie)
        url = reverse("reports-half-term", args=[self.autumn2.pk])
        self.assertEqual(self.client.post(url, {"text": "x"}).status_code, 403)
        self.assertFalse(Commentary.objects.exists())

    def test_it_exports_a_csv_an_xlsx_with_a_sheet_per_breakdown_and_a_pdf_naming_no_student(self):
        from openpyxl import load_workbook

        Commentary.objects.create(
            half_term=self.autumn2, text="Steady.", updated_by=self.bob, updated_at=self.now
        )
        self.login(self.evan)

        def export(fmt):
            return self.client.get(reverse("reports-half-term-export", args=[self.autumn2.pk, fmt]))

        csv_text = export("csv").content.decode()
        self.assertIn("By reason", csv_text)
        self.assertIn("Disproportionality", csv_text)
        book = load_workbook(io.BytesIO(export("xlsx").content))
        for sheet in ("Report", "By reason", "By year group", "By form", "Disproportionality"):
            self.assertIn(sheet, book.sheetnames)
        pdf = export("pdf")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.assertEqual(
            AuditEvent.objects.filter(action="export", object_type="school.halfterm").count(), 3
        )

    def test_the_pdf_page_names_no_student(self):
        from django.template.loader import render_to_string

        from reports import exports

        report = pages.half_term_report(self.autumn2)
        html = render_to_string(
            "reports/half_term_pdf.html",
            {**report, "title": "T", "commentary": "", "user": self.bob},
        )
        for student in (self.student, self.mia, self.leo):
            self.assertNotIn(student.last_name, html)
        self.assertTrue(callable(exports.report_pdf))

    def test_an_unknown_format_or_half_term_is_404(self):
        self.login(self.bob)
        self.assertEqual(
            self.client.get(
                reverse("reports-half-term-export", args=[self.autumn2.pk, "doc"])
            ).status_code,
            404,
        )
        self.assertEqual(
            self.client.get(reverse("reports-half-term", args=[99999])).status_code, 404
        )

    def test_the_report_page_takes_a_fixed_number_of_queries(self):
        self.login(self.bob)
        url = reverse("reports-half-term", args=[self.autumn2.pk])
        self.client.get(url)
        with self.assertNumQueries(28):
            self.client.get(url)
