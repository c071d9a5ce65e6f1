"""The reads behind the records pages of the report figures (issue 15: the columns each page
shows, not models, and the table written in Python): what each lists, in which order, for a
head of year only their years' students, at most 500, and the rows as the pages write them."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEvent
from reports import policies
from reports.selectors import pages
from reports.selectors.figures import WHOLE_SCHOOL, Span
from school.models import Student
from tests.base import SchoolDayTestCase, frozen_clock
from tests.reports_fixtures import at, make_report_history
from tests.reports_more_fixtures import make_reviews, make_work
from work.models import WorkRequest, WorkSet
from work.selectors.figures import SHARES, requests_behind

WEEK = Span("This week", dt.date(2026, 11, 23), dt.date(2026, 11, 27))
WORK_URL = reverse("reports-records-work")


class WorkLinesTest(SchoolDayTestCase):
    """make_work's six lessons (Mia's four, Jayden's two, one cancelled), and one Leo (Year 10)
    missed on Monday with no teacher on the timetable."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)
        make_work(cls)
        cls.leo_monday = WorkRequest.objects.create(
            placement_day=cls.p4.days.get(date=dt.date(2026, 11, 23)),
            date=dt.date(2026, 11, 23),
            period=cls.periods["P4"],
            teaching_class=cls.maths_class,
            teacher=None,
            work_set=WorkSet.objects.create(kind=WorkSet.Kind.PROGRAMME, set_by=cls.alice),
            status="set",
        )

    def lines(self, key="", scope=WHOLE_SCHOOL, limit=500):
        return [
            (line.student, line.date.day, line.period)
            for line in pages.work_lines(WEEK, key, scope, limit)
        ]

    def test_it_lists_every_lesson_missed_but_the_cancelled_in_date_and_lesson_order(self):
        self.assertEqual(
            self.lines(),
            [
                ("Leo Dunn", 23, "P4"),
                ("Mia Hart", 24, "P1"),
                ("Mia Hart", 24, "P2"),
                ("Mia Hart", 25, "P1"),
                ("Mia Hart", 25, "P2"),
                ("Jayden Walsh", 25, "P3"),
            ],
        )

    def test_each_line_holds_what_the_page_shows(self):
        first, second = pages.work_lines(WEEK, "", Q(), 2)
        self.assertEqual(
            first,
            pages.WorkLine(
                student_id=self.leo.pk,
                student="Leo Dunn",
                form="10A",
                date=dt.date(2026, 11, 23),
                period="P4",
                teaching_class="9X/Ma1",
                teacher="",
                work_kind=WorkSet.Kind.PROGRAMME,
                answered_late=False,
                outcome="",
            ),
        )
        self.assertEqual(
            (second.teacher, second.work_kind, second.outcome),
            ("Ms A Teague", WorkSet.Kind.LESSON, WorkRequest.Outcome.COMPLETED),
        )

    def test_it_names_a_student_by_their_preferred_names(self):
        Student.objects.filter(pk=self.mia.pk).update(preferred_first_name="Mimi")
        self.assertEqual(self.lines("on_time"), [("Leo Dunn", 23, "P4"), ("Mimi Hart", 24, "P1")])

    def test_each_figure_lists_the_requests_the_work_app_finds_behind_it(self):
        """For every share, the whole school, one year and two: the same requests, in the same
        order, as work.selectors.figures.requests_behind."""
        year9, year10 = self.year9.pk, self.year10.pk
        for scope in (Q(), Q(year_group_id__in=[year9]), Q(year_group_id__in=[year9, year10])):
            students = None if scope == Q() else Student.objects.filter(scope)
            for key in ("", *SHARES):
                with self.subTest(scope=scope, key=key):
                    expected = [
                        (r.placement_day.placement.student.name, r.date.day, r.period.code)
                        for r in requests_behind(WEEK.start, WEEK.end, share=key, students=students)
                    ]
                    self.assertEqual(self.lines(key, scope), expected)

    def test_the_waiting_and_no_work_figures_follow_the_clock(self):
        """Mia's lesson of the 25th, P2, had its deadline at 16:00 on the 24th: no work after it,
        still waiting before it (Jayden's P3 has no deadline yet: waiting)."""
        self.assertEqual(self.lines("nothing"), [("Mia Hart", 25, "P2")])
        self.assertEqual(self.lines("waiting"), [("Jayden Walsh", 25, "P3")])
        with frozen_clock(at(dt.date(2026, 11, 24), 15)):
            self.assertEqual(self.lines("nothing"), [])
            self.assertEqual(
                self.lines("waiting"), [("Mia Hart", 25, "P2"), ("Jayden Walsh", 25, "P3")]
            )

    def test_a_head_of_year_is_shown_their_years_students_only(self):
        scope = policies.dashboard_scope(self.charlie)
        self.assertNotIn(("Leo Dunn", 23, "P4"), self.lines("", scope))
        self.assertEqual(len(self.lines("", scope)), 5)
        self.assertEqual(self.lines("on_time", scope), [("Mia Hart", 24, "P1")])
        self.assertEqual(self.lines("on_time"), [("Leo Dunn", 23, "P4"), ("Mia Hart", 24, "P1")])
        self.assertEqual(
            [name for name, _, _ in self.lines("", Q(year_group_id__in=[self.year10.pk]))],
            ["Leo Dunn"],
        )

    def test_it_lists_at_most_the_limit(self):
        self.assertEqual(self.lines(limit=2), [("Leo Dunn", 23, "P4"), ("Mia Hart", 24, "P1")])
        scope = policies.dashboard_scope(self.charlie)
        self.assertEqual(self.lines("", scope, 1), [("Mia Hart", 24, "P1")])

    def test_the_page_writes_each_row_as_its_template_did(self):
        Student.objects.filter(pk=self.mia.pk).update(preferred_last_name="O'Hart & <Co>")
        self.login(self.bob)
        response = self.client.get(WORK_URL + "?from=2026-11-23&to=2026-11-27")
        mia = reverse("student-detail", args=[self.mia.pk])
        self.assertContains(
            response,
            "\n    <tr>\n"
            f'      <td data-label="Student"><a href="{mia}">Mia O&#x27;Hart &amp; &lt;Co&gt;'
            "</a></td>\n"
            '      <td data-label="Form">9B</td>\n'
            '      <td data-label="Lesson">Tue 24 Nov 2026 P2</td>\n'
            '      <td data-label="Class">9X/Ma1</td>\n'
            '      <td data-label="Teacher">Ms A Teague</td>\n'
            '      <td data-label="Work">Set by the teacher (late)</td>\n'
            '      <td data-label="In the room">Partly done</td>\n'
            "    </tr>\n  ",
            html=False,
        )
        self.assertContains(response, '<td data-label="Teacher">not on the timetable</td>')
        self.assertContains(
            response,
            '<td data-label="Work">Follow the programme (teacher&#x27;s choice)</td>\n'
            '      <td data-label="In the room">not recorded</td>',
        )
        self.assertContains(response, '<td data-label="Work">none yet</td>', count=2)
        self.assertNotContains(response, "Only the first 500 are listed.")
        event = AuditEvent.objects.filter(object_type="work.workrequest").latest("pk")
        self.assertEqual(
            event.detail,
            {
                "page": "work behind a report figure",
                "from": "2026-11-23",
                "to": "2026-11-27",
                "key": "",
                "students": 3,
            },
        )

    def test_a_head_of_year_s_page_leaves_out_other_years(self):
        self.login(self.charlie)
        response = self.client.get(WORK_URL + "?from=2026-11-23&to=2026-11-27")
        self.assertNotContains(response, "Leo Dunn")
        self.assertContains(response, "Mia Hart", count=4)
        event = AuditEvent.objects.filter(object_type="work.workrequest").latest("pk")
        self.assertEqual(event.detail["students"], 2)

    def test_the_page_lists_the_first_500_and_says_so(self):
        day = self.p3.days.get(date=dt.date(2026, 11, 24))
        WorkRequest.objects.bulk_create(
            WorkRequest(
                placement_day=day,
                date=dt.date(2026, 11, 26),
                period=self.periods["P5"],
                teaching_class=self.maths_class,
                teacher=self.alice.staff,
            )
            for _ in range(500)
        )
        self.login(self.bob)
        response = self.client.get(WORK_URL + "?from=2026-11-23&to=2026-11-27")
        self.assertEqual(response.content.decode().count("\n    <tr>\n"), 500)
        self.assertContains(response, "Only the first 500 are listed.")
        # The first 500 in order: the week's six, then 494 of Thursday's.
        self.assertContains(response, "Thu 26 Nov 2026 P5", count=494)
        self.assertContains(response, "Leo Dunn", count=1)


TWO_WEEKS = Span("Two weeks", dt.date(2026, 11, 16), dt.date(2026, 11, 27))
RECORDS_URL = reverse("reports-records")


class RecordLinesTest(SchoolDayTestCase):
    """make_report_history's placements: from the 16th to the 27th, Leo's P4 (IE, Friday 20th;
    Year 10), Jayden's P1 (RR, 23rd), Mia's P3 (IE, 24th, referred for refusal) and Jayden's
    P2 (RR, 25th); Leo's of the 26th is cancelled."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_report_history(cls)

    def pks(self, by="", key="", scope=WHOLE_SCHOOL, limit=500, span=TWO_WEEKS):
        return [line.pk for line in pages.record_lines(span, by, key, scope, limit)]

    def test_it_lists_the_placements_starting_in_the_span_in_order(self):
        self.assertEqual(self.pks(), [self.p4.pk, self.p1.pk, self.p3.pk, self.p2.pk])
        self.assertEqual(self.pks("provision", "RR"), [self.p1.pk, self.p2.pk])
        self.assertEqual(self.pks("provision", "IE"), [self.p4.pk, self.p3.pk])

    def test_each_line_holds_what_the_page_shows(self):
        leo, _jayden, mia, _ = pages.record_lines(TWO_WEEKS, "", "")
        self.assertEqual(
            leo,
            pages.PlacementLine(
                pk=self.p4.pk,
                student_id=self.leo.pk,
                student="Leo Dunn",
                form="10A",
                provision=self.ie.name,
                starts_on=dt.date(2026, 11, 20),
                ends_on=dt.date(2026, 11, 23),
                status="completed",
                reason="",
            ),
        )
        self.assertEqual((mia.student, mia.form, mia.reason), ("Mia Hart", "9B", self.refusal.name))

    def test_each_cut_lists_the_placements_behind_it(self):
        """For the whole school, one year and two: the same placements, in the same order, as
        records_behind, for every cut the page is read for alone and the others."""
        year9, year10 = self.year9.pk, self.year10.pk
        cuts = [
            *pages._RECORD_READS,
            ("returned", "again"),
            ("reason", ""),
            ("reason", str(self.refusal.pk)),
            ("year", "9"),
            ("form", str(self.form.pk)),
            ("referrer", str(self.alice.pk)),
            ("slot", f"{self.periods['P2'].pk}-1"),
        ]
        for scope in (
            WHOLE_SCHOOL,
            Q(year_group_id__in=[year9]),
            Q(year_group_id__in=[year10]),
            Q(year_group_id__in=[year9, year10]),
        ):
            for span in (WEEK, TWO_WEEKS):
                for by, key in cuts:
                    with self.subTest(scope=scope, span=span.label, by=by, key=key):
                        expected = [p.pk for p in pages.records_behind(span, by, key, scope)]
                        self.assertEqual(self.pks(by, key, scope, span=span), expected)

    def test_a_head_of_year_is_shown_their_years_students_only(self):
        scope = policies.dashboard_scope(self.charlie)
        self.assertEqual(self.pks("provision", "IE", scope), [self.p3.pk])
        self.assertEqual(self.pks("", "", scope), [self.p1.pk, self.p3.pk, self.p2.pk])
        self.assertEqual(
            self.pks("days", "IE", Q(year_group_id__in=[self.year10.pk]), span=WEEK),
            [self.p4.pk],
        )

    def test_it_lists_at_most_the_limit(self):
        self.assertEqual(self.pks(limit=2), [self.p4.pk, self.p1.pk])
        scope = policies.dashboard_scope(self.charlie)
        self.assertEqual(self.pks("provision", "RR", scope, limit=1), [self.p1.pk])
        self.assertEqual(self.pks("reason", "", scope, limit=1), [self.p1.pk])

    def test_the_page_writes_each_row_as_its_template_did(self):
        Student.objects.filter(pk=self.mia.pk).update(preferred_first_name="Mi'a & <b>")
        self.login(self.bob)
        response = self.client.get(RECORDS_URL + "?from=2026-11-16&to=2026-11-27")
        mia = reverse("student-detail", args=[self.mia.pk])
        self.assertContains(
            response,
            "\n    <tr>\n"
            f'      <td data-label="Student"><a href="{mia}">Mi&#x27;a &amp; &lt;b&gt; Hart'
            "</a></td>\n"
            '      <td data-label="Form">9B</td>\n'
            f'      <td data-label="Provision">{self.ie.name}</td>\n'
            '      <td data-label="From">Tue 24 Nov 2026</td>\n'
            '      <td data-label="To">Wed 25 Nov 2026</td>\n'
            '      <td data-label="Status">Booked</td>\n'
            f'      <td data-label="Reason">{self.refusal.name}</td>\n'
            "    </tr>\n  ",
        )
        self.assertContains(response, '<td data-label="Reason">not recorded</td>', count=3)
        self.assertContains(response, '<td data-label="Status">Completed</td>', count=2)
        self.assertNotContains(response, "Only the first 500 are listed.")
        event = AuditEvent.objects.filter(object_type="sanctions.placement").latest("pk")
        self.assertEqual(
            event.detail,
            {
                "page": "records behind a report figure",
                "from": "2026-11-16",
                "to": "2026-11-27",
                "by": "",
                "key": "",
                "students": 3,
            },
        )

    def test_a_head_of_year_s_page_leaves_out_other_years(self):
        self.login(self.charlie)
        response = self.client.get(
            RECORDS_URL + "?from=2026-11-16&to=2026-11-27&by=provision&key=IE"
        )
        self.assertNotContains(response, "Leo Dunn")
        self.assertContains(response, "Mia Hart", count=1)
        event = AuditEvent.objects.filter(object_type="sanctions.placement").latest("pk")
        self.assertEqual(event.detail["students"], 1)

    def test_the_page_lists_the_first_500_and_says_so(self):
        from sanctions.models import Placement

        Placement.objects.bulk_create(
            Placement(
                student=self.leo,
                provision=self.rr,
                status="booked",
                planned_days=1,
                starts_on=dt.date(2026, 11, 27),
                ends_on=dt.date(2026, 11, 27),
                booked_by=self.alice,
                booked_at=at(dt.date(2026, 11, 26), 9),
            )
            for _ in range(500)
        )
        self.login(self.bob)
        response = self.client.get(
            RECORDS_URL + "?from=2026-11-16&to=2026-11-27&by=provision&key=RR"
        )
        self.assertEqual(response.content.decode().count("\n    <tr>\n"), 500)
        self.assertContains(response, "Only the first 500 are listed.")
        # The first 500 in order: Jayden's two, then 498 of Friday's.
        self.assertContains(response, "Fri 27 Nov 2026", count=498 * 2)
        self.assertContains(response, "Jayden Walsh", count=2)


CALLS_URL = reverse("reports-records-calls")


class CallLinesTest(SchoolDayTestCase):
    """make_report_history's calls (Alice raised each; in the week, Monday's names Leo of Year
    10, Tuesday's was escalated, two were claimed by Bob and arrived), and on Thursday two more:
    one raised to SLT by Hugo (of Mathematics) naming Mia and Leo, claimed by an account with no
    name after two and a half minutes; one raised by an account with no name naming Jayden."""

    @classmethod
    def setUpTestData(cls):
        from django.contrib.auth import get_user_model

        from patrol.models import OnCallReason, OnCallRequest
        from school.models import Staff

        super().setUpTestData()
        make_report_history(cls)
        Staff.objects.filter(user=cls.hugo).update(department=cls.maths)
        cls.nameless = get_user_model().objects.create_user(username="cover7")
        reason = OnCallReason.objects.get(label="Other")
        raised = at(dt.date(2026, 11, 26), 9, 30)
        cls.to_slt = OnCallRequest.objects.create(
            raised_by=cls.hugo,
            reason=reason,
            location="Lab <2> & 'B'",
            raised_at=raised,
            status="claimed",
            tier=OnCallRequest.Tier.SLT,
            claimed_by=cls.nameless,
            claimed_at=raised + dt.timedelta(seconds=150),
        )
        cls.to_slt.students.add(cls.mia, cls.leo)
        cls.by_nameless = OnCallRequest.objects.create(
            raised_by=cls.nameless, reason=reason, raised_at=at(dt.date(2026, 11, 26), 11)
        )
        cls.by_nameless.students.add(cls.student)

    def pks(self, key="", scope=WHOLE_SCHOOL, by="", limit=500, span=WEEK):
        return [line.pk for line in pages.call_lines(span, key, scope, by, limit)]

    def test_each_figure_lists_the_calls_behind_it(self):
        """For every figure and chart row, the whole school, one year and two: the same calls,
        in the same order, as calls_behind (a call naming two students once)."""
        year9, year10 = self.year9.pk, self.year10.pk
        cuts = [
            *[(key, "") for key in pages.CALL_KEYS],
            (str(self.alice.pk), "teacher"),
            (str(self.hugo.pk), "teacher"),
            (str(self.maths.pk), "department"),
            ("", "department"),
        ]
        for scope in (
            WHOLE_SCHOOL,
            Q(year_group_id__in=[year9]),
            Q(year_group_id__in=[year10]),
            Q(year_group_id__in=[year9, year10]),
        ):
            for span in (WEEK, TWO_WEEKS):
                for key, by in cuts:
                    with self.subTest(scope=scope, span=span.label, key=key, by=by):
                        expected = [c.pk for c in pages.calls_behind(span, key, scope, by)]
                        self.assertEqual(self.pks(key, scope, by, span=span), expected)
        self.assertEqual(len(self.pks()), 6)
        self.assertEqual(self.pks(by="teacher", key=str(self.hugo.pk)), [self.to_slt.pk])
        self.assertEqual(self.pks(by="department", key=str(self.maths.pk)), [self.to_slt.pk])

    def test_a_head_of_year_is_shown_the_calls_naming_their_students_only(self):
        scope = policies.dashboard_scope(self.charlie)
        self.assertEqual(self.pks("", scope), [self.to_slt.pk, self.by_nameless.pk])
        self.assertEqual(self.pks("escalated", scope), [self.to_slt.pk])
        year10 = Q(year_group_id__in=[self.year10.pk])
        self.assertEqual(len(self.pks("", year10)), 2)

    def test_each_line_holds_what_the_page_shows(self):
        line = pages.call_lines(WEEK, "escalated")[1]
        self.assertEqual(
            line,
            pages.CallLine(
                pk=self.to_slt.pk,
                raised_at=self.to_slt.raised_at,
                raised_by_full_name="Hugo Reid",
                raised_by_username="hugo",
                location="Lab <2> & 'B'",
                reason="Other",
                claimed_by="cover7",
                claim_minutes=2.5,
                arrive_minutes=None,
                escalated=True,
            ),
        )
        first = pages.call_lines(WEEK, "")[0]
        self.assertEqual(
            (first.claimed_by, first.claim_minutes, first.arrive_minutes), ("Bob Patel", 2.0, 5.0)
        )

    def test_it_lists_at_most_the_limit(self):
        self.assertEqual(len(self.pks(limit=2)), 2)
        self.assertEqual(self.pks(limit=2), self.pks()[:2])
        scope = policies.dashboard_scope(self.charlie)
        self.assertEqual(self.pks("", scope, limit=1), [self.to_slt.pk])
        self.assertEqual(self.pks(str(self.alice.pk), scope, "teacher", limit=1), [])

    def test_the_page_writes_each_row_as_its_template_did(self):
        self.login(self.bob)
        response = self.client.get(CALLS_URL + "?from=2026-11-23&to=2026-11-27")
        detail = reverse("on-call-detail", args=[self.to_slt.pk])
        self.assertContains(
            response,
            "\n    <tr>\n"
            f'      <td data-label="Raised"><a href="{detail}">Thu 26 Nov 2026 09:30</a></td>\n'
            '      <td data-label="By">Hugo Reid</td>\n'
            '      <td data-label="Where">Lab &lt;2&gt; &amp; &#x27;B&#x27;</td>\n'
            '      <td data-label="Reason">Other</td>\n'
            '      <td data-label="Claimed by">cover7</td>\n'
            '      <td data-label="Minutes to claim" class="num">2.5</td>\n'
            '      <td data-label="Minutes to arrive" class="num"></td>\n'
            '      <td data-label="Escalated">yes</td>\n'
            "    </tr>\n  ",
        )
        self.assertContains(response, '<td data-label="By">cover7</td>')
        self.assertContains(response, '<td data-label="Claimed by">not claimed</td>', count=2)
        self.assertContains(response, '<td data-label="Minutes to claim" class="num">2.0</td>')
        self.assertContains(response, '<td data-label="Escalated">no</td>', count=4)
        event = AuditEvent.objects.filter(object_type="patrol.oncallrequest").latest("pk")
        self.assertEqual(
            event.detail,
            {
                "page": "calls behind a report figure",
                "from": "2026-11-23",
                "to": "2026-11-27",
                "by": "",
                "key": "",
            },
        )

    def test_a_head_of_year_s_page_names_no_call_of_another_year_and_links_none(self):
        self.login(self.charlie)
        response = self.client.get(CALLS_URL + "?from=2026-11-23&to=2026-11-27")
        self.assertContains(response, '<td data-label="Raised">Thu 26 Nov 2026 09:30</td>')
        self.assertContains(response, '<td data-label="Raised">Thu 26 Nov 2026 11:00</td>')
        self.assertContains(response, "\n    <tr>\n", count=2)
        self.assertNotContains(response, reverse("on-call-detail", args=[self.to_slt.pk]))

    def test_a_teacher_s_calls_are_headed_with_their_name(self):
        self.login(self.evan)
        url = f"{CALLS_URL}?from=2026-11-23&to=2026-11-27&by=teacher&key="
        response = self.client.get(url + str(self.hugo.pk))
        self.assertContains(
            response, "<h1>On-call calls raised 23/11/2026 to 27/11/2026, by Hugo Reid</h1>"
        )
        response = self.client.get(url + str(self.nameless.pk))
        self.assertContains(response, "<h1>On-call calls raised 23/11/2026 to 27/11/2026, by </h1>")

    def test_the_page_lists_the_first_500_and_says_so(self):
        from patrol.models import OnCallRequest

        OnCallRequest.objects.bulk_create(
            OnCallRequest(
                raised_by=self.alice,
                reason=self.to_slt.reason,
                raised_at=at(dt.date(2026, 11, 27), 14),
            )
            for _ in range(500)
        )
        self.login(self.bob)
        response = self.client.get(CALLS_URL + "?from=2026-11-23&to=2026-11-27")
        self.assertEqual(response.content.decode().count("\n    <tr>\n"), 500)
        self.assertContains(response, "Only the first 500 are listed.")
        # The first 500 in order: the week's six, then 494 of Friday's.
        self.assertContains(response, "Fri 27 Nov 2026 14:00", count=494)


REVIEWS_URL = reverse("reports-records-reviews")


class ReviewLinesTest(SchoolDayTestCase):
    """make_reviews' week: Jayden (Year 9; his review closed with adjustments), Zoe (Year 9,
    EHCP) and Leo (Year 10) met a rule; Mia (Year 9) met none but has a review open. Here Leo
    has two reviews too: one for the SENCO opened on the 25th, one for his head of year opened
    on the 23rd and still open."""

    @classmethod
    def setUpTestData(cls):
        from pastoral.models import ReviewRule, ReviewTask

        super().setUpTestData()
        make_report_history(cls)
        make_reviews(cls)
        rule = ReviewRule.objects.get(subject="student", kind="room_days")
        for for_whom, day in ((ReviewTask.For.SENCO, 25), (ReviewTask.For.HEAD_OF_YEAR, 23)):
            ReviewTask.objects.create(
                rule=rule,
                for_whom=for_whom,
                student=cls.leo,
                reason="5 days",
                opened_at=at(dt.date(2026, 11, day), 9),
            )

    def shown(self, key="", scope=WHOLE_SCHOOL, span=WEEK):
        return [
            (line.student.name, [(t.for_whom, t.opened_at.day, t.status) for t in line.tasks])
            for line in pages.review_lines(span, key, scope)
        ]

    def test_it_lists_the_students_by_name_with_their_reviews_in_the_order_opened(self):
        self.assertEqual(
            self.shown(),
            [
                ("Leo Dunn", [("head_of_year", 23, "open"), ("senco", 25, "open")]),
                ("Zoe Ray", []),
                ("Jayden Walsh", [("head_of_year", 26, "closed")]),
            ],
        )
        self.assertEqual(self.shown("none"), [("Zoe Ray", [])])
        self.assertEqual(self.shown("closed"), [("Jayden Walsh", [("head_of_year", 26, "closed")])])

    def test_each_line_holds_what_the_page_shows(self):
        leo, zoe, jayden = pages.review_lines(WEEK, "")
        self.assertEqual(leo.student, pages.ReviewStudent(self.leo.pk, "Leo Dunn", "10A"))
        self.assertEqual(zoe.student, pages.ReviewStudent(self.zoe.pk, "Zoe Ray", "9B"))
        self.assertEqual(
            jayden.tasks,
            [
                pages.ReviewShown(
                    for_whom="head_of_year",
                    opened_at=at(dt.date(2026, 11, 26), 9),
                    status="closed",
                    closed_at=at(dt.date(2026, 11, 27), 12),
                    decision="adjustments",
                )
            ],
        )

    def test_each_student_s_reviews_are_those_reviews_behind_finds(self):
        """For the whole school, one year and two, over two spans: each line's reviews are
        reviews_behind's for that student, in the order opened (Mia's, about no rule met, on
        no line)."""
        from reports.selectors import figures as reports_figures

        year9, year10 = self.year9.pk, self.year10.pk
        for scope in (
            WHOLE_SCHOOL,
            Q(year_group_id__in=[year9]),
            Q(year_group_id__in=[year10]),
            Q(year_group_id__in=[year9, year10]),
        ):
            for span in (WEEK, TWO_WEEKS):
                with self.subTest(scope=scope, span=span.label):
                    behind = reports_figures.reviews_behind(span, scope).order_by("opened_at", "pk")
                    lines = pages.review_lines(span, "", scope)
                    self.assertEqual(
                        [(line.student.pk, t.opened_at) for line in lines for t in line.tasks],
                        [
                            (task.student_id, task.opened_at)
                            for line in lines
                            for task in behind
                            if task.student_id == line.student.pk
                        ],
                    )
                    self.assertNotIn(self.mia.pk, [line.student.pk for line in lines])

    def test_a_head_of_year_is_shown_their_years_students_only(self):
        scope = policies.dashboard_scope(self.charlie)
        self.assertEqual(
            self.shown("", scope),
            [("Zoe Ray", []), ("Jayden Walsh", [("head_of_year", 26, "closed")])],
        )
        self.assertEqual(
            self.shown("", Q(year_group_id__in=[self.year10.pk])),
            [("Leo Dunn", [("head_of_year", 23, "open"), ("senco", 25, "open")])],
        )

    def test_the_page_writes_each_row_as_its_template_did(self):
        Student.objects.filter(pk=self.zoe.pk).update(preferred_last_name="O'Ray & <Co>")
        self.login(self.bob)
        response = self.client.get(REVIEWS_URL + "?from=2026-11-23&to=2026-11-27")
        leo = reverse("student-detail", args=[self.leo.pk])
        zoe = reverse("student-detail", args=[self.zoe.pk])
        self.assertContains(
            response,
            "\n    <tr>\n"
            f'      <td data-label="Student"><a href="{leo}">Leo Dunn</a></td>\n'
            '      <td data-label="Form">10A</td>\n'
            '      <td data-label="Review">Head of year: opened 23 Nov, open<br>'
            "SENCO: opened 25 Nov, open</td>\n"
            "    </tr>\n  "
            "\n    <tr>\n"
            f'      <td data-label="Student"><a href="{zoe}">Zoe O&#x27;Ray &amp; &lt;Co&gt;</a>'
            "</td>\n"
            '      <td data-label="Form">9B</td>\n'
            '      <td data-label="Review"><strong>No review opened</strong></td>\n'
            "    </tr>\n  ",
        )
        self.assertContains(
            response,
            '<td data-label="Review">Head of year: opened 26 Nov, closed 27 Nov — '
            "Reasonable adjustments made</td>",
        )
        event = AuditEvent.objects.filter(object_type="pastoral.reviewtask").latest("pk")
        self.assertEqual(
            event.detail,
            {
                "page": "reviews behind a report figure",
                "from": "2026-11-23",
                "to": "2026-11-27",
                "key": "",
                "students": [self.leo.pk, self.zoe.pk, self.student.pk],
            },
        )

    def test_a_head_of_year_s_page_leaves_out_other_years(self):
        self.login(self.charlie)
        response = self.client.get(REVIEWS_URL + "?from=2026-11-23&to=2026-11-27")
        self.assertNotContains(response, "Leo Dunn")
        self.assertNotContains(response, "SENCO: opened")
        self.assertContains(response, "\n    <tr>\n", count=2)
        event = AuditEvent.objects.filter(object_type="pastoral.reviewtask").latest("pk")
        self.assertEqual(event.detail["students"], [self.zoe.pk, self.student.pk])
