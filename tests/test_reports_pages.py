"""The weekly dashboard and the records behind its figures."""

from django.urls import reverse

from audit.models import AuditEvent
from sanctions.models import Placement
from tests.base import SchoolDayTestCase
from tests.reports_fixtures import make_report_history


class DashboardTest(SchoolDayTestCase):
    """Wednesday 25 November 2026: this week is 23–25 November."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)

    def test_it_shows_the_week_last_week_and_the_half_term_with_links_to_the_records(self):
        self.login(self.bob)
        response = self.client.get(reverse("reports-dashboard"))
        self.assertContains(response, "This week")
        self.assertContains(response, "Last week")
        self.assertContains(response, "Half-term so far")
        self.assertNotContains(response, "no data yet")
        records = reverse("reports-records")
        self.assertContains(
            response, f"{records}?from=2026-11-23&amp;to=2026-11-25&amp;by=provision&amp;key=RR"
        )
        self.assertTrue(
            AuditEvent.objects.filter(object_type="reports.dashboard", user=self.bob).exists()
        )

    def test_it_is_in_the_menu_for_its_readers_only(self):
        self.login(self.evan)
        self.assertContains(self.client.get(reverse("home")), reverse("reports-dashboard"))
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("home")), reverse("reports-dashboard"))

    def test_a_head_of_year_sees_their_years_only(self):
        """Charlie leads Year 9: Leo (Year 10) is not in his figures, nor his records."""
        self.login(self.charlie)
        response = self.client.get(reverse("reports-dashboard"))
        self.assertContains(response, "for the students of your year groups only")
        url = reverse("reports-records") + "?from=2026-11-02&to=2026-11-27&by=provision&key=IE"
        response = self.client.get(url)
        self.assertContains(response, self.mia.name)
        self.assertNotContains(response, self.leo.name)
        self.login(self.bob)
        self.assertContains(self.client.get(url), self.leo.name)

    def test_the_records_page_lists_the_placements_behind_a_figure(self):
        self.login(self.bob)
        url = reverse("reports-records")
        response = self.client.get(url + "?from=2026-11-23&to=2026-11-27&by=year&key=9")
        self.assertEqual(len(response.context["placements"]), 3)
        response = self.client.get(url + "?from=2026-11-23&to=2026-11-27&by=reason&key=")
        self.assertEqual(len(response.context["placements"]), 2)
        self.assertTrue(
            AuditEvent.objects.filter(
                object_type="sanctions.placement", detail__page="records behind a report figure"
            ).exists()
        )

    def test_the_follow_up_measures_link_to_the_placements_behind_them(self):
        """The week (tests/reports_fixtures.py): interviews due for P1 and P3 (P3's entry on
        time, its exit a day late, P1's not done); P3's family told the day it was booked, P1's
        the day after, P2's a draft; P1 and P4 returned, P1 followed by P2 two days later."""
        self.login(self.bob)
        dashboard = self.client.get(reverse("reports-dashboard"))
        url = reverse("reports-records") + "?from=2026-11-23&to=2026-11-27"
        for by, key in (("interviews", "late"), ("told", "no"), ("returned", "again")):
            with self.subTest(link=by):
                self.assertContains(
                    dashboard,
                    f"{reverse('reports-records')}?from=2026-11-23&amp;to=2026-11-25"
                    f"&amp;by={by}&amp;key={key}",
                )
        expected = {
            ("interviews", "due"): {self.p1, self.p3},
            ("interviews", "on_time"): {self.p3},
            ("interviews", "late"): {self.p1, self.p3},
            ("told", "all"): {self.p1, self.p2, self.p3},
            ("told", "yes"): {self.p3},
            ("told", "no"): {self.p1, self.p2},
            ("returned", "all"): {self.p1, self.p4},
            ("returned", "again"): {self.p1},
        }
        for (by, key), placements in expected.items():
            with self.subTest(by=by, key=key):
                response = self.client.get(f"{url}&by={by}&key={key}")
                self.assertEqual(
                    {p.pk for p in response.context["placements"]}, {p.pk for p in placements}
                )
        response = self.client.get(f"{url}&by=told&key=no")
        self.assertContains(
            response, "Placements whose family was not told the day they were booked, starting"
        )
        self.assertEqual(self.client.get(f"{url}&by=told&key=maybe").status_code, 404)

    def test_the_on_call_charts_and_the_heatmap_link_to_their_records(self):
        """The half-term so far: Alice raised every call; Jayden's P1 was removed from Monday's
        period 2 (the heatmap's P2 × Mon cell)."""
        self.login(self.bob)
        dashboard = self.client.get(reverse("reports-dashboard"))
        calls = reverse("reports-records-calls")
        by_alice = f"{calls}?from=2026-11-02&to=2026-11-25&by=teacher&key={self.alice.pk}"
        self.assertContains(dashboard, by_alice.replace("&", "&amp;"))
        response = self.client.get(by_alice)
        self.assertEqual(len(response.context["calls"]), 5)
        self.assertContains(response, "by Alice Teague")
        unrecorded = f"{calls}?from=2026-11-02&to=2026-11-25&by=department&key="
        self.assertEqual(len(self.client.get(unrecorded).context["calls"]), 5)
        p2 = self.periods["P2"].pk
        cell = f"{reverse('reports-records')}?from=2026-11-02&to=2026-11-25&by=slot&key={p2}-1"
        self.assertContains(dashboard, cell.replace("&", "&amp;"))
        self.assertEqual([p.pk for p in self.client.get(cell).context["placements"]], [self.p1.pk])
        for bad in ("&by=slot&key=2-9", "&by=slot&key=x", "&by=teacher&key=1"):
            with self.subTest(bad):
                self.assertEqual(
                    self.client.get(
                        reverse("reports-records") + "?from=2026-11-02" + bad
                    ).status_code,
                    404,
                )
        self.assertEqual(self.client.get(f"{calls}?by=teacher&key=abc").status_code, 404)
        self.assertEqual(self.client.get(f"{calls}?by=shoe").status_code, 404)

    def test_the_records_page_answers_crafted_addresses_with_404(self):
        self.login(self.bob)
        url = reverse("reports-records")
        for query in (
            "?from=2026-13-01",
            "?from=1900-01-01",
            "?from=2026-11-27&to=2026-11-01",
            "?from=2020-09-01&to=2026-11-01",
            "?by=shoe",
            "?by=provision&key=XX",
            "?by=year&key=nine",
            "?by=year&key=99999999999999999999",
        ):
            with self.subTest(query):
                self.assertEqual(self.client.get(url + query).status_code, 404)

    def test_the_dashboard_takes_a_fixed_number_of_queries(self):
        self.login(self.bob)
        self.client.get(reverse("reports-dashboard"))
        with self.assertNumQueries(14):
            self.client.get(reverse("reports-dashboard"))

    def test_an_edit_shows_on_the_next_load(self):
        """The figures' reads are compiled once per connection (reports.selectors.figures
        `_scoped`), not kept: cancelling this week's P3 takes it out of the next page, for the
        whole school and for Charlie's Year 9."""

        def this_weeks_placements(response) -> list:
            ie = next(p for p in response.context["provisions"] if p["kind"] == "IE")
            return [ie["rows"][0].cells[0]["value"], response.context["follow_up"][0].cells[0]]

        for reader in (self.bob, self.charlie):
            with self.subTest(reader=reader):
                self.login(reader)
                before = this_weeks_placements(self.client.get(reverse("reports-dashboard")))
                status = self.p3.status
                self.p3.status = Placement.Status.CANCELLED
                self.p3.save(update_fields=["status"])
                after = this_weeks_placements(self.client.get(reverse("reports-dashboard")))
                self.assertEqual(after[0], before[0] - 1)
                self.assertNotEqual(after[1], before[1])
                self.p3.status = status
                self.p3.save(update_fields=["status"])

    def test_the_records_page_takes_a_fixed_number_of_queries(self):
        self.login(self.bob)
        url = reverse("reports-records") + "?from=2026-11-02&to=2026-11-27"
        with self.assertNumQueries(5):
            self.client.get(url)
