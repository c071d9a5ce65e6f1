"""The weekly dashboard and the half-termly report in a real browser at laptop and phone width
(axe-core, no sideways scrolling), with screenshots to look at; and the governors' PDF."""

import os
from pathlib import Path

from reports import exports
from reports.selectors import pages
from school.models import HalfTerm
from tests.base import TEN_FIFTEEN, freeze_clock, make_calendar_and_timetable
from tests.browser import PHONE, BrowserTestCase
from tests.reports_fixtures import make_report_history
from tests.reports_more_fixtures import make_reviews, make_work
from tests.sanctions_fixtures import make_provision_rooms

LAPTOP_1280 = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/shots/reports"))


class ReportsInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self)
        make_report_history(self)
        make_work(self)
        make_reviews(self)
        freeze_clock(self, TEN_FIFTEEN)

    def shoot(self, page, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        self.screenshot(page, name)

    def look(self, page, path, name):
        page.set_viewport_size(LAPTOP_1280)
        self.visit(page, path)
        self.shoot(page, f"{name}-1280")
        page.set_viewport_size(PHONE)
        page.reload()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        self.shoot(page, f"{name}-390")
        page.set_viewport_size(LAPTOP_1280)

    def test_the_dashboard_and_the_half_term_report(self):
        autumn2 = HalfTerm.objects.get(number=2)
        page = self.new_page(LAPTOP_1280)
        self.sign_in(page, self.bob)
        self.look(page, "/reports/", "dashboard")
        self.look(page, f"/reports/half-term/{autumn2.pk}/", "half-term")
        # A figure opens the records behind it.
        self.visit(page, "/reports/")
        page.locator("table.compare a").first.click()
        page.wait_for_load_state()
        self.assertIn("/reports/records/", page.url)
        self.shoot(page, "records-1280")
        # The governors' PDF, kept to look at.
        report = pages.half_term_report(autumn2)
        pdf = exports.report_pdf(
            report,
            title=f"Behaviour response report: {autumn2}",
            commentary="Removals from maths rose this half-term.",
            user=self.bob,
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "half-term.pdf").write_bytes(pdf)
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_the_meeting_pack_and_the_records_behind_the_new_figures(self):
        autumn2 = HalfTerm.objects.get(number=2)
        page = self.new_page(LAPTOP_1280)
        self.sign_in(page, self.bob)
        self.look(page, f"/reports/half-term/{autumn2.pk}/pack/", "meeting-pack")
        week = "?from=2026-11-23&to=2026-11-27"
        self.look(page, f"/reports/records/calls/{week}", "records-calls")
        self.look(page, f"/reports/records/work/{week}", "records-work")
        self.look(page, f"/reports/records/reviews/{week}", "records-reviews")
        pdf = exports.report_pdf(
            pages.half_term_report(autumn2),
            title=f"Meeting pack: {autumn2}",
            commentary="Removals from maths rose this half-term.",
            user=self.bob,
            pack_students=pages.most_removed(pages.half_term_span(autumn2, "This half-term")),
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "meeting-pack.pdf").write_bytes(pdf)
        self.assertTrue(pdf.startswith(b"%PDF"))
