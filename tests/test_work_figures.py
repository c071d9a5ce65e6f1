"""The figures the school is judged on: the shares of missed lessons with work set by the
deadline, late, from the programme or nothing, and the completion of work done in the room; for
a department's head on their page and for the officer on the home page."""

import datetime as dt
from dataclasses import asdict

from django.template import Context, Template
from django.urls import reverse

from conduct import student_rendering
from conduct.roles import Role
from sanctions.services import placements
from school.models import Department, Student
from tests.base import (
    LONDON,
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    frozen_clock,
    make_person,
)
from tests.work_fixtures import second_student
from work.models import Programme, ProgrammeTask, WorkRequest
from work.selectors.figures import (
    WorkFigures,
    student_work_figures,
    work_figures,
    work_figures_per_span,
)
from work.services import requests as services

MONDAY = WEDNESDAY - dt.timedelta(days=2)


class WorkFiguresTest(SchoolDayTestCase):
    ie_capacity = 6

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        second_student(cls)
        programme = Programme.objects.create(subject=cls.maths_class.subject, year_group=cls.year9)
        ProgrammeTask.objects.create(programme=programme, title="Fractions", instructions="3A")
        # Both students in IE Monday to Thursday: eight maths lessons.
        with frozen_clock(dt.datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)):
            for student in (cls.student, cls.mia):
                placements.placement_book(
                    student=student, provision=cls.ie, days=4, by=cls.bob, start_on=MONDAY
                )
        rows = {
            (r.placement_day.placement.student.legal_first_name, r.date): r
            for r in WorkRequest.objects.select_related("placement_day__placement__student")
        }
        cls.rows = rows

    def answer(self, name, day, when, **extra):
        with frozen_clock(when):
            services.work_set(
                requests=[self.rows[(name, day)]],
                answer=services.Answer(kind="lesson", instructions="p.42"),
                by=self.alice,
            )

    def test_the_shares_of_work_set_on_time_late_from_the_programme_or_nothing(self):
        tuesday = MONDAY + dt.timedelta(days=1)
        self.answer("Jayden", MONDAY, dt.datetime(2026, 11, 20, 12, 0, tzinfo=LONDON))  # on time
        self.answer("Mia", MONDAY, dt.datetime(2026, 11, 20, 12, 0, tzinfo=LONDON))  # on time
        self.answer("Jayden", tuesday, dt.datetime(2026, 11, 23, 18, 0, tzinfo=LONDON))  # late
        # Monday 16:00 passes with Mia's Tuesday unanswered: the programme's task.
        with frozen_clock(dt.datetime(2026, 11, 23, 16, 0, tzinfo=LONDON)):
            services.work_fall_back_due()
        # Then the programme goes, and Wednesday's pass leaves both Wednesdays with nothing.
        Programme.objects.all().delete()
        with frozen_clock(dt.datetime(2026, 11, 24, 16, 0, tzinfo=LONDON)):
            services.work_fall_back_due()
        services.work_record(
            request=self.rows[("Jayden", MONDAY)], outcome="completed", by=self.bob
        )
        services.work_record(
            request=self.rows[("Mia", MONDAY)], outcome="partly", note="Half", by=self.bob
        )
        with self.assertNumQueries(1):
            figures = work_figures(MONDAY, MONDAY + dt.timedelta(days=3))
        self.assertEqual(
            (figures.on_time, figures.late, figures.programme, figures.nothing, figures.waiting),
            (2, 1, 1, 2, 2),  # Thursday's deadline (Wednesday 16:00) is still to come
        )
        self.assertEqual(
            (
                figures.on_time_share,
                figures.late_share,
                figures.programme_share,
                figures.nothing_share,
            ),
            (33, 17, 17, 33),
        )
        self.assertEqual(
            (figures.completion_rate, figures.partly_share, figures.recorded), (50, 50, 2)
        )
        # By teacher, department, subject, provision: all Alice's maths in IE here.
        self.assertEqual(work_figures(MONDAY, MONDAY, teacher=self.alice.staff).on_time, 2)
        self.assertEqual(work_figures(MONDAY, MONDAY, teacher=self.hugo.staff).decided, 0)
        self.assertEqual(work_figures(MONDAY, MONDAY, department=self.maths).on_time, 2)
        self.assertEqual(work_figures(MONDAY, MONDAY, subject=self.maths_class.subject).on_time, 2)
        self.assertEqual(work_figures(MONDAY, MONDAY, provision=self.rr).decided, 0)
        self.assertIsNone(work_figures(MONDAY, MONDAY, provision=self.rr).on_time_share)
        # A student's page counts each student's from their rows: the same figures, before
        # and after Thursday's deadline (waiting, then nothing); and the whole school's, read
        # by SQL compiled once, moves with the clock too.
        span = (MONDAY, MONDAY + dt.timedelta(days=3))
        for moment, waiting in [
            (TEN_FIFTEEN, 2),
            (dt.datetime(2026, 11, 25, 17, 0, tzinfo=LONDON), 0),
        ]:
            with frozen_clock(moment), self.subTest(moment=moment):
                both = [student_work_figures(*span, student=s) for s in (self.student, self.mia)]
                self.assertEqual(sum(f.waiting for f in both), waiting)
                self.assertEqual(work_figures(*span).waiting, waiting)
                for student, counted in zip((self.student, self.mia), both, strict=True):
                    self.assertEqual(asdict(counted), asdict(work_figures(*span, student=student)))
                # Per span, for the whole school and for one year group, compiled once too.
                spans = [span, (MONDAY, MONDAY), (WEDNESDAY, WEDNESDAY)]
                for year in (None, self.student.year_group_id):
                    students = None if year is None else Student.objects.filter(year_group_id=year)
                    self.assertEqual(
                        [asdict(f) for f in work_figures_per_span(spans, year=year)],
                        [asdict(work_figures(*days, students=students)) for days in spans],
                    )

    def test_the_head_of_department_sees_their_department_and_no_other(self):
        self.answer("Jayden", MONDAY, dt.datetime(2026, 11, 20, 12, 0, tzinfo=LONDON))
        self.login(self.hugo)
        url = reverse("work-department") + f"?from={MONDAY}&to={MONDAY + dt.timedelta(days=3)}"
        with self.assertNumQueries(10):  # the same with 8 lessons as with 1
            response = self.client.get(url)
        self.assertContains(response, "Mathematics")
        self.assertContains(response, "Ms A Teague")
        self.assertEqual(response.context["figures"].on_time, 1)
        self.assertEqual(response.context["page"].paginator.count, 8)
        science = Department.objects.create(code="SC", name="Science")
        self.assertEqual(
            self.client.get(reverse("work-department") + f"?department={science.pk}").status_code,
            404,
        )
        self.assertEqual(
            self.client.get(reverse("work-department") + "?from=1066-10-14").status_code, 404
        )
        ivy = make_person("ivy", "Ivy", "Stone", Role.CURRICULUM)
        self.login(ivy)
        self.assertContains(self.client.get(reverse("work-department")), "You lead no department")

    def test_the_officer_s_home_shows_the_figures(self):
        freeze_clock(self, TEN_FIFTEEN)
        self.login(self.bob)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Work for lessons missed since 2 Nov")
        self.assertContains(response, "Set by the deadline")

    def test_a_teacher_s_home_says_how_many_lessons_need_work(self):
        freeze_clock(self, dt.datetime(2026, 11, 23, 8, 0, tzinfo=LONDON))
        self.login(self.alice)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.context["work_to_set"], 8)
        self.assertContains(response, reverse("work-to-set"))

    def test_the_student_page_shows_their_work_to_those_who_see_their_placements(self):
        self.answer("Jayden", MONDAY, dt.datetime(2026, 11, 20, 12, 0, tzinfo=LONDON))
        freeze_clock(self, TEN_FIFTEEN)
        figures = work_figures(MONDAY, WEDNESDAY, student=self.student)
        self.assertEqual((figures.on_time, figures.decided + figures.waiting), (1, 3))
        self.login(self.bob)
        response = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(response, "Work for lessons missed in a room")
        self.login(self.alice)
        response = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertNotContains(response, "Work for lessons missed in a room")


# The student page's panel as its template wrote it, before conduct.student_rendering did.
STUDENT_PAGE_PANEL = """{% if work_figures.decided or work_figures.waiting %}
<section class="panel" aria-labelledby="student-work-heading">
  <h2 id="student-work-heading">Work for lessons missed in a room</h2>
  <p class="muted">The last twelve months: {{ work_figures.decided|add:work_figures.waiting }} lesson{{ work_figures.decided|add:work_figures.waiting|pluralize }}.</p>
  {% include "work/_figures.html" with f=work_figures %}
</section>
{% endif %}"""  # noqa: E501


def test_the_student_pages_panel_is_written_as_the_shared_figures_template_writes_them():
    """conduct.student_rendering.work_figures_html writes what work/_figures.html does (the
    other pages still include it): for no lessons, one, some still waiting, none recorded."""
    template = Template(STUDENT_PAGE_PANEL)
    for figures in [
        WorkFigures(),
        WorkFigures(waiting=1),
        WorkFigures(waiting=3),
        WorkFigures(on_time=1),
        WorkFigures(on_time=2, late=1, programme=1, nothing=3, waiting=2, completed=1),
        WorkFigures(late=1, completed=2, partly=1, not_done=4),
    ]:
        expected = template.render(Context({"work_figures": figures}))
        assert student_rendering.work_figures_html(figures) == expected, figures
