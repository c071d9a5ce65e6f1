"""The work and review measures of the reports against figures worked out by hand (fixtures in
tests/reports_more_fixtures.py), and the records behind them."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEvent
from reports.selectors import figures as reports_figures
from reports.selectors.figures import Span
from tests.base import SchoolDayTestCase
from tests.reports_fixtures import make_report_history
from tests.reports_more_fixtures import make_reviews, make_work

WEEK = Span("This week", dt.date(2026, 11, 23), dt.date(2026, 11, 27))
LAST_WEEK = Span("Last week", dt.date(2026, 11, 16), dt.date(2026, 11, 20))


class WorkFiguresTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)
        make_work(cls)

    def test_it_counts_the_shares_of_work_set_by_the_deadline_fallen_back_and_none(self):
        """Six lessons, one cancelled: of the four decided, 1 on time (25%), 1 late, 1 from the
        programme, 1 with nothing; 1 still waiting. Of the three recorded, 1 completed (33%)."""
        work = reports_figures.figures(WEEK).work
        self.assertEqual(
            (work.on_time, work.late, work.programme, work.nothing, work.waiting),
            (1, 1, 1, 1, 1),
        )
        self.assertEqual((work.decided, work.on_time_share, work.nothing_share), (4, 25, 25))
        self.assertEqual((work.recorded, work.completed, work.completion_rate), (3, 1, 33))

    def test_it_cuts_work_to_a_year_scope_and_a_span(self):
        """Year 10 (Leo) missed no lessons with work asked for; last week nobody did."""
        year10 = reports_figures.work_figures(WEEK, Q(year_group_id=self.year10.pk))
        self.assertEqual((year10.decided, year10.waiting, year10.recorded), (0, 0, 0))
        self.assertEqual(reports_figures.work_figures(LAST_WEEK).decided, 0)

    def test_the_dashboard_shows_the_shares_and_links_to_the_lessons_behind(self):
        self.login(self.bob)
        response = self.client.get(reverse("reports-dashboard"))
        self.assertNotContains(response, "no data yet")
        self.assertContains(response, "Work set by the teacher by the deadline")
        self.assertContains(response, "1 of 4 (25%)")
        self.assertContains(response, "1 of 3 (33%)")
        url = reverse("reports-records-work")
        self.assertContains(response, f"{url}?from=2026-11-23&amp;to=2026-11-25&amp;key=nothing")
        response = self.client.get(url + "?from=2026-11-23&to=2026-11-27&key=on_time")
        self.assertEqual(len(response.context["requests"]), 1)
        self.assertContains(response, self.mia.name)
        response = self.client.get(url + "?from=2026-11-23&to=2026-11-27")
        self.assertEqual(len(response.context["requests"]), 5)
        self.assertTrue(
            AuditEvent.objects.filter(detail__page="work behind a report figure").exists()
        )
        self.assertEqual(self.client.get(url + "?from=2026-11-23&key=bogus").status_code, 404)

    def test_the_half_term_report_and_its_exports_carry_the_work_shares(self):
        from tests.reports_fixtures import HalfTerm  # noqa: F401 (the calendar's half-terms)

        half_term = self.half_terms_on(dt.date(2026, 11, 25))
        self.login(self.bob)
        response = self.client.get(reverse("reports-half-term", args=[half_term.pk]))
        self.assertContains(response, "Work for the lessons missed")
        self.assertContains(response, "1 of 4 (25%)")
        csv = self.client.get(reverse("reports-half-term-export", args=[half_term.pk, "csv"]))
        self.assertIn("Work set by the teacher by the deadline,1 of 4 (25%)", csv.content.decode())

    def half_terms_on(self, day):
        from school.models import HalfTerm

        return HalfTerm.objects.get(starts_on__lte=day, ends_on__gte=day)


class ReviewFiguresTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)
        make_reviews(cls)

    def test_it_counts_students_who_met_a_rule_and_their_reviews(self):
        """Jayden (3 removals in 10 school days), Zoe (EHCP), Leo (5 days in a room this
        half-term) met a rule; only Jayden has a review, closed with adjustments. Mia's review
        is about no rule met in the week."""
        reviews = reports_figures.figures(WEEK).reviews
        self.assertEqual((reviews.met, reviews.opened, reviews.closed), (3, 1, 1))
        self.assertEqual(reviews.not_opened, 2)
        self.assertEqual(
            [(row.label, row.count) for row in reviews.decisions],
            [("Reasonable adjustments made", 1)],
        )

    def test_last_week_nobody_met_a_rule(self):
        """Leo's one placement last week (20 November) was his first in ten school days and
        brought his half-term days to two."""
        reviews = reports_figures.review_figures(LAST_WEEK)
        self.assertEqual((reviews.met, reviews.opened), (0, 0))

    def test_a_review_still_open_from_before_the_span_counts(self):
        """A review opened the week before for Zoe, still open: it covers this week."""
        from pastoral.models import ReviewRule, ReviewTask
        from tests.reports_fixtures import at

        ReviewTask.objects.create(
            rule=ReviewRule.objects.get(subject="student", kind="ehcp_lac"),
            for_whom=ReviewTask.For.SENCO,
            student=self.zoe,
            reason="EHCP",
            opened_at=at(dt.date(2026, 11, 18), 9),
        )
        reviews = reports_figures.review_figures(WEEK)
        self.assertEqual((reviews.met, reviews.opened, reviews.closed), (3, 2, 1))

    def test_removals_before_the_span_count_towards_its_rule(self):
        """From Wednesday 25 November: Jayden's removals of the 25th and 26th are his second and
        third in ten school days with the Monday's, which the figures read apart from the span's
        own placements; they judge each span as the records page does."""
        from_wednesday = Span("From Wednesday", dt.date(2026, 11, 25), dt.date(2026, 11, 27))
        self.assertEqual(reports_figures.met_review_rule(from_wednesday), [self.student.pk])
        self.assertEqual(reports_figures.figures(from_wednesday).reviews.met, 1)
        spans = [WEEK, LAST_WEEK, from_wednesday]
        together = reports_figures.figures_of(spans, detail=[False, False, True])
        self.assertEqual(
            [found.reviews.met for found in together],
            [len(reports_figures.met_review_rule(span)) for span in spans],
        )

    def test_an_inactive_rule_is_not_counted(self):
        from pastoral.models import ReviewRule

        ReviewRule.objects.filter(kind="room_days").update(is_active=False)
        self.assertEqual(reports_figures.review_figures(WEEK).met, 2)

    def test_a_year_scope_cuts_the_students(self):
        """Year 10: Leo alone."""
        reviews = reports_figures.review_figures(WEEK, Q(year_group_id=self.year10.pk))
        self.assertEqual((reviews.met, reviews.opened), (1, 0))

    def test_the_dashboard_links_to_the_students_behind_with_their_reviews(self):
        self.login(self.bob)
        response = self.client.get(reverse("reports-dashboard"))
        self.assertContains(response, "Students who met a review rule")
        # This week so far (to Wednesday): Zoe and Leo, neither with a review.
        self.assertContains(response, "0 of 2 (0%)")
        url = reverse("reports-records-reviews")
        self.assertContains(response, f"{url}?from=2026-11-23&amp;to=2026-11-25&amp;key=none")
        response = self.client.get(url + "?from=2026-11-23&to=2026-11-27&key=none")
        self.assertEqual(
            [line.student.pk for line in response.context["lines"]],
            [self.leo.pk, self.zoe.pk],
        )
        self.assertContains(response, "No review opened")
        response = self.client.get(url + "?from=2026-11-23&to=2026-11-27&key=closed")
        self.assertContains(response, "Reasonable adjustments made")
        self.assertEqual(len(response.context["lines"]), 1)
        self.assertTrue(
            AuditEvent.objects.filter(detail__page="reviews behind a report figure").exists()
        )


class LinksTest(SchoolDayTestCase):
    """The on-call and days-in-the-room figures open the records behind them."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)

    def test_days_in_the_room_link_to_the_placements_with_a_day_in_the_span(self):
        """IE days this week: Mia's P3 (24, 25) and Leo's P4 (23; it started the Friday
        before)."""
        self.login(self.bob)
        response = self.client.get(reverse("reports-dashboard"))
        url = reverse("reports-records")
        self.assertContains(
            response, f"{url}?from=2026-11-23&amp;to=2026-11-25&amp;by=days&amp;key=IE"
        )
        response = self.client.get(url + "?from=2026-11-23&to=2026-11-27&by=days&key=IE")
        self.assertEqual({p.pk for p in response.context["placements"]}, {self.p3.pk, self.p4.pk})
        self.assertEqual(self.client.get(url + "?from=2026-11-23&by=days&key=XX").status_code, 404)

    def test_on_call_figures_link_to_the_calls(self):
        """Four calls this week (one escalated, three claimed, two arrived)."""
        self.login(self.bob)
        response = self.client.get(reverse("reports-dashboard"))
        url = reverse("reports-records-calls")
        self.assertContains(response, f"{url}?from=2026-11-23&amp;to=2026-11-25&amp;key=escalated")
        week = "?from=2026-11-23&to=2026-11-27"
        for key, count in (("", 4), ("escalated", 1), ("claimed", 3), ("arrived", 2)):
            response = self.client.get(f"{url}{week}&key={key}")
            self.assertEqual(len(response.context["calls"]), count, key)
        response = self.client.get(f"{url}{week}&key=arrived")
        self.assertContains(
            response, reverse("on-call-detail", args=[response.context["calls"][0].pk])
        )
        self.assertEqual(self.client.get(f"{url}{week}&key=bogus").status_code, 404)

    def test_a_head_of_year_sees_the_calls_naming_their_students_without_links(self):
        """Charlie (Year 9) sees no call: the one call naming a student names Leo (Year 10)."""
        self.login(self.charlie)
        response = self.client.get(
            reverse("reports-records-calls") + "?from=2026-11-23&to=2026-11-27"
        )
        self.assertEqual(len(response.context["calls"]), 0)
        self.assertFalse(response.context["may_open"])
