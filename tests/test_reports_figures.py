"""The reports' measures against figures worked out by hand on tests/reports_fixtures.py."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from notify.models import Message
from pastoral.models import Interview
from reports.selectors import figures as reports_figures
from reports.selectors.figures import Span, percentile
from reports.selectors.pages import records_behind
from sanctions.models import Placement
from tests.base import SchoolDayTestCase
from tests.reports_fixtures import at, make_report_history, place

WEEK = Span("This week", dt.date(2026, 11, 23), dt.date(2026, 11, 27))
HALF_TERM_1 = Span("Autumn 1", dt.date(2026, 9, 3), dt.date(2026, 10, 23))
HALF_TERM_2 = Span("Autumn 2", dt.date(2026, 11, 2), dt.date(2026, 12, 18))
d = dt.date


class FiguresTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)

    def test_it_counts_placements_students_repeats_and_days_per_provision(self):
        """RR: Jayden twice (P1, P2), 2 days. IE: Mia's P3 (2 days in the week) and one day of
        Leo's P4, which started the Friday before; Leo's cancelled P5 counts nowhere."""
        found = {p.kind: p for p in reports_figures.provision_figures(WEEK)}
        rr, ie, ald = found["RR"], found["IE"], found["ALD"]
        self.assertEqual((rr.placements, rr.students, rr.repeat_students, rr.days), (2, 1, 1, 2))
        self.assertEqual((ie.placements, ie.students, ie.repeat_students, ie.days), (1, 1, 0, 3))
        self.assertEqual((ald.placements, ald.days), (0, 0))

    def test_it_counts_a_placement_across_the_holiday_where_it_starts_and_its_days_where_they_are(
        self,
    ):
        """Leo's IE of 23 October and 2 November: a placement of half-term 1, with a day in each.
        Half-term 2's IE: P3 and P4 (P5 cancelled); days 2 + 2 + the one of 2 November."""
        first = {p.kind: p for p in reports_figures.provision_figures(HALF_TERM_1)}["IE"]
        second = {p.kind: p for p in reports_figures.provision_figures(HALF_TERM_2)}["IE"]
        self.assertEqual((first.placements, first.days), (1, 1))
        self.assertEqual((second.placements, second.days), (2, 5))

    def test_it_counts_students_on_roll_with_a_joiner_and_not_a_leaver(self):
        """Jayden, Mia, Leo and Ben (joined on the Tuesday); Ann left on 1 November."""
        found = reports_figures.figures(WEEK)
        self.assertEqual((found.placements, found.students, found.on_roll), (3, 2, 4))
        self.assertEqual(found.placements_per_100, 75.0)
        self.assertEqual(found.students_per_100, 50.0)

    def test_it_breaks_placements_down(self):
        found = reports_figures.breakdowns(WEEK)

        def pairs(key):
            return [(row.label, row.count) for row in found[key]]

        self.assertEqual(pairs("reason"), [("not recorded", 2), (self.refusal.name, 1)])
        self.assertEqual(pairs("year"), [("Year 9", 3)])
        self.assertEqual(pairs("form"), [("9B", 3)])
        self.assertEqual(pairs("referrer"), [("Alice Teague", 2), ("Charlie Hughes", 1)])
        self.assertEqual(pairs("department"), [("Mathematics", 2)])
        self.assertEqual(pairs("subject"), [("Mathematics", 2)])

    def test_it_maps_placements_by_period_and_weekday(self):
        """P1 Monday P2, P2 Wednesday P2 (removed from maths), P3 Tuesday P3 (the incident's)."""
        rows, largest = reports_figures.heatmap(WEEK)
        cells = {
            (row["period"], cell["weekday"]): cell["n"] for row in rows for cell in row["cells"]
        }
        self.assertEqual(
            {k: n for k, n in cells.items() if n},
            {
                ("P2", "Mon"): 1,
                ("P2", "Wed"): 1,
                ("P3", "Tue"): 1,
            },
        )
        self.assertEqual(largest, 1)

    def test_it_times_on_call_calls(self):
        """Claimed after 2, 4, 6 minutes: median 4, 90th percentile 4 + 0.8 × 2 = 5.6. Arrived
        after 5 and 10: median 7.5, 90th percentile 5 + 0.9 × 5 = 9.5. Four calls in the week,
        one escalated."""
        found = reports_figures.on_call_figures(WEEK)
        self.assertEqual(
            (found.calls, found.escalations, found.claimed, found.arrived), (4, 1, 3, 2)
        )
        self.assertEqual((found.median_claim_minutes, found.p90_claim_minutes), (4.0, 5.6))
        self.assertEqual((found.median_arrive_minutes, found.p90_arrive_minutes), (7.5, 9.5))

    def test_it_counts_on_call_calls_by_teacher_and_department(self):
        """Alice raised all four calls of the week; her staff record has no department."""
        found = reports_figures.on_call_breakdowns(WEEK)
        self.assertEqual([(r.label, r.count) for r in found["teacher"]], [("Alice Teague", 4)])
        self.assertEqual([(r.label, r.count) for r in found["department"]], [("not recorded", 4)])

    def test_it_counts_interviews_done_on_time(self):
        """Three due (one cancelled left out), one done by its day."""
        self.assertEqual(reports_figures.interview_figures(WEEK), (3, 1))

    def test_it_judges_an_interview_on_time_by_the_schools_clock_as_the_records_do(self):
        """In British Summer Time: due on 14 October and done at 23:30 that day (22:30 UTC), on
        time; due on the 15th and done at 00:30 on the 16th (23:30 on the 15th in UTC), late.
        The figures, judged in Python, agree with the records page's query."""
        span = Span("Mid-October", d(2026, 10, 12), d(2026, 10, 16))
        on_time = place(self, self.mia, self.rr, self.rr_room, [d(2026, 10, 14)])
        late = place(self, self.leo, self.rr, self.rr_room, [d(2026, 10, 15)])
        for placement, due_on, done_at in (
            (on_time, d(2026, 10, 14), at(d(2026, 10, 14), 23, 30)),
            (late, d(2026, 10, 15), at(d(2026, 10, 16), 0, 30)),
        ):
            Interview.objects.create(
                placement=placement,
                kind="entry",
                due_on=due_on,
                status="done",
                conducted_at=done_at,
            )
        self.assertEqual(reports_figures.interview_figures(span), (2, 1))
        self.assertEqual(
            reports_figures.interview_figures(Span("", d(2026, 10, 15), d(2026, 10, 15))), (1, 0)
        )
        self.assertEqual(list(records_behind(span, "interviews", "on_time")), [on_time])
        self.assertEqual(list(records_behind(span, "interviews", "late")), [late])

    def test_it_counts_families_told_the_same_day(self):
        """P3's family was sent a message the day it was booked; P1's the day after; P2's is a
        draft."""
        self.assertEqual(reports_figures.families_told(WEEK), (3, 1))

    def test_it_judges_the_same_day_by_the_schools_clock_as_the_records_do(self):
        """In British Summer Time: booked at 00:30 on 14 October (23:30 the day before in UTC)
        and told at 23:30 that day (22:30 UTC), the same day; another booked at 23:30 on 15
        October and told at 00:30 on the 16th (both the 15th in UTC), not. The figures, judged
        in Python, agree with the records page's query."""
        span = Span("Mid-October", d(2026, 10, 12), d(2026, 10, 16))
        room = self.rr_room
        told = place(
            self, self.mia, self.rr, room, [d(2026, 10, 14)], booked_at=at(d(2026, 10, 14), 0, 30)
        )
        late = place(
            self, self.leo, self.rr, room, [d(2026, 10, 15)], booked_at=at(d(2026, 10, 15), 23, 30)
        )
        kind = ContentType.objects.get_for_model(Placement)
        for placement, sent_at in (
            (told, at(d(2026, 10, 14), 23, 30)),
            (late, at(d(2026, 10, 16), 0, 30)),
        ):
            Message.objects.create(
                channel="email",
                status="sent",
                address="parent@example.org",
                subject="Placement",
                student=placement.student,
                related_type=kind,
                related_id=placement.pk,
                sent_at=sent_at,
            )
        self.assertEqual(reports_figures.families_told(span), (2, 1))
        self.assertEqual(
            reports_figures.families_told(Span("", d(2026, 10, 14), d(2026, 10, 14))), (1, 1)
        )
        self.assertEqual(
            reports_figures.families_told(Span("", d(2026, 10, 15), d(2026, 10, 15))), (1, 0)
        )
        self.assertEqual(list(records_behind(span, "told", "yes")), [told])

    def test_it_counts_re_referrals_within_ten_school_days(self):
        """Week: P1 and P4 ended on the Monday; Jayden was placed again on the Wednesday, Leo only
        in a cancelled placement. Half-term 1: Mia's return on 22 October, placed again on
        6 November — fifteen calendar days but six school days, across the holiday."""
        self.assertEqual(reports_figures.re_referrals(WEEK), (2, 1))
        self.assertEqual(reports_figures.re_referrals(HALF_TERM_1), (1, 1))

    def test_it_cuts_figures_to_a_year_scope(self):
        """Year 10 only: Leo's one day of P4 in the week, and the one call naming him."""
        scope = Q(year_group_id=self.year10.pk)
        found = reports_figures.figures(WEEK, scope)
        ie = {p.kind: p for p in found.provisions}["IE"]
        self.assertEqual((found.placements, ie.days, found.on_roll), (0, 1, 2))
        self.assertEqual(found.on_call.calls, 1)

    def test_it_counts_no_work_where_no_lesson_missed_had_work_asked_for(self):
        """No work request in the fixture: every share is empty (tests/test_reports_work_reviews.py
        has the figures with work)."""
        work = reports_figures.figures(WEEK).work
        self.assertEqual((work.decided, work.on_time_share, work.completion_rate), (0, None, None))

    def test_it_computes_every_figure_in_a_fixed_number_of_queries(self):
        with self.assertNumQueries(16):
            reports_figures.figures(HALF_TERM_2)

    def test_percentile_interpolates(self):
        self.assertIsNone(percentile([], 0.5))
        self.assertEqual(percentile([3.0], 0.9), 3.0)
        self.assertEqual(percentile([1.0, 2.0, 3.0, 4.0], 0.5), 2.5)


class CompiledFiguresTest(SchoolDayTestCase):
    """The figures' reads are compiled once (`_scoped`): for the whole school, one year and
    several years they give what their querysets give, whatever the dates, and an edit shows in
    the next figures read on the same connection."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)

    def test_each_read_gives_what_its_queryset_gives(self):
        f = reports_figures
        reads = [
            (f._placements_read, f._placements_query),
            (f._room_days_read, f._room_days_query),
            (f._detail_read, f._detail_query),
            (f._interviews_read, f._interviews_query),
            (f._told_read, f._told_query),
            (f._review_placements_read, f._review_placements_query),
        ]
        scopes = [
            f.WHOLE_SCHOOL,
            Q(year_group_id__in=frozenset({self.year9.pk})),
            Q(year_group_id__in=frozenset({self.year10.pk})),
            Q(year_group_id__in=frozenset({self.year9.pk, self.year10.pk})),
        ]
        for scope in scopes:
            with self.subTest(scope=scope):
                for span in (WEEK, HALF_TERM_1, HALF_TERM_2):
                    for read, query in reads:
                        self.assertEqual(
                            read(scope, span.start, span.end),
                            list(query(scope, span.start, span.end)),
                        )
                    moments = f._span_times(span)
                    for read, query in (
                        (f._calls_read, f._calls_query),
                        (f._tasks_read, f._tasks_query),
                    ):
                        self.assertEqual(read(scope, *moments), list(query(scope, *moments)))
                    last = span.end + dt.timedelta(days=14)
                    self.assertEqual(
                        f._returns_read(scope, span.start, span.end, last),
                        list(f._returns_query(scope, span.start, span.end, last)),
                    )
                self.assertEqual(f._admissions_read(scope), list(f._admissions_query(scope)))

    def test_a_head_of_one_year_gets_what_the_year_scope_built_each_time_gives(self):
        """Year 10's figures through the compiled reads (one year) and through the querysets
        (the same year written as a scope `_one_year` does not recognise)."""
        compiled = reports_figures.figures(
            HALF_TERM_2, Q(year_group_id__in=frozenset({self.year10.pk}))
        )
        built = reports_figures.figures(HALF_TERM_2, Q(year_group_id=self.year10.pk))
        self.assertEqual(compiled, built)

    def test_an_edit_shows_in_the_next_figures(self):
        before = reports_figures.figures(WEEK)
        placement = (
            Placement.objects.filter(starts_on__gte=WEEK.start, starts_on__lte=WEEK.end)
            .exclude(status=Placement.Status.CANCELLED)
            .first()
        )
        placement.status = Placement.Status.CANCELLED
        placement.save()
        after = reports_figures.figures(WEEK)
        self.assertEqual(after.placements, before.placements - 1)
