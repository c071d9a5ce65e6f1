"""A department's work page: its figures, each teacher's, and its lessons missed, fifty a page,
counted in full; another department's lessons, and cancelled ones, left out."""

import datetime as dt
import re
from dataclasses import asdict

from django.urls import reverse

from sanctions.models import Placement, PlacementDay
from school.models import ClassTeacher, Department, Subject, TeachingClass
from tests.base import LONDON, WEDNESDAY, SchoolDayTestCase
from work.models import Programme, ProgrammeTask, WorkRequest, WorkSet
from work.selectors.figures import (
    department_figures,
    department_lesson_rows,
    department_requests,
    work_figures,
)

FIRST = dt.date(2026, 9, 7)  # a Monday
LAST = WEDNESDAY
RANGE = f"from={FIRST}&to={LAST}"


def lesson_lines(response) -> list[str]:
    """The lines of the page's list of lessons, each as one line of text."""
    html = response.content.decode()
    section = html[html.index('aria-labelledby="requests-heading"') :]
    section = section[: section.index("</section>")]
    return [re.sub(r"\s+", " ", line) for line in re.findall(r"<li>.*?</li>", section, re.S)]


def count_shown(response) -> int:
    html = response.content.decode()
    return int(re.search(r'The lessons <span class="count">(\d+)</span>', html).group(1))


class DepartmentWorkTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        placement = Placement.objects.create(
            student=cls.student,
            provision=cls.ie,
            planned_days=1,
            starts_on=FIRST,
            ends_on=FIRST,
            booked_by=cls.evan,
        )
        cls.day = PlacementDay.objects.create(placement=placement, date=FIRST, room=cls.ie_room)
        # Science, another department, taught by Hugo: none of its lessons is the maths page's.
        science = Department.objects.create(code="SC", name="Science")
        cls.science_class = TeachingClass.objects.create(
            code="9X/Sc1",
            subject=Subject.objects.create(code="SC", name="Science", department=science),
            year_group=cls.year9,
        )
        ClassTeacher.objects.create(teaching_class=cls.science_class, staff=cls.hugo.staff)

    def lessons(self, count: int, *, first: dt.date = FIRST, **fields) -> list[WorkRequest]:
        """`count` maths lessons Jayden misses asked of Alice, one a school day from `first`."""
        made = []
        day = first
        while len(made) < count:
            if day.weekday() < 5:
                lesson = {
                    "teaching_class": self.maths_class,
                    "teacher": self.alice.staff,
                    "period": self.periods["P2"],
                } | fields
                made.append(WorkRequest(placement_day=self.day, date=day, **lesson))
            day += dt.timedelta(days=1)
        return WorkRequest.objects.bulk_create(made)

    def test_it_shows_fifty_lessons_a_page_and_counts_them_all(self):
        self.lessons(57)
        self.lessons(1, teaching_class=self.science_class, teacher=self.hugo.staff)
        self.lessons(1, status=WorkRequest.Status.CANCELLED)
        self.login(self.hugo)
        url = reverse("work-department") + f"?{RANGE}"
        first = self.client.get(url)
        self.assertEqual(count_shown(first), 57)
        self.assertEqual(len(lesson_lines(first)), 50)
        self.assertContains(first, "Page 1 of 2")
        # The next page keeps the department and the dates.
        self.assertContains(
            first, f"?department={self.maths.pk}&amp;from={FIRST}&amp;to={LAST}&amp;page=2"
        )
        self.assertNotContains(first, "Previous</a>")
        second = self.client.get(url + "&page=2")
        self.assertEqual(count_shown(second), 57)
        self.assertContains(second, "Page 2 of 2")
        self.assertNotContains(second, "Next</a>")
        lines = lesson_lines(first) + lesson_lines(second)
        # Every lesson once, newest first; none of science's, none cancelled.
        self.assertEqual(len(lines), 57)
        self.assertEqual(len(set(lines)), 57)
        self.assertIn("Tue 24 Nov P2", lines[0])
        self.assertIn("Mon 7 Sep P2", lines[-1])
        self.assertFalse([line for line in lines if "9X/Sc1" in line])
        # The figures count the same lessons.
        self.assertEqual(first.context["figures"].lessons, 57)

    def test_it_counts_more_than_two_hundred_lessons_truly(self):
        self.lessons(230)
        self.login(self.hugo)
        url = reverse("work-department") + f"?from={FIRST}&to=2027-12-31"
        response = self.client.get(url)
        self.assertEqual(count_shown(response), 230)
        self.assertContains(response, "Page 1 of 5")
        last = self.client.get(url + "&page=5")
        self.assertEqual(len(lesson_lines(last)), 30)
        # A page beyond the last shows the last.
        self.assertEqual(lesson_lines(self.client.get(url + "&page=9")), lesson_lines(last))

    def test_each_line_says_when_who_and_what_work(self):
        task = ProgrammeTask.objects.create(
            programme=Programme.objects.create(
                subject=self.maths_class.subject, year_group=self.year9
            ),
            title="Fractions <revision>",
            instructions="3A",
        )
        set_at = dt.datetime(2026, 9, 4, 17, 30, tzinfo=LONDON)
        work_set = WorkSet.objects.create(
            kind=WorkSet.Kind.LESSON, instructions="p.42", set_by=self.alice, set_at=set_at
        )
        (answered,) = self.lessons(1, work_set=work_set, answered_late=True, status="set")
        fallback = WorkSet.objects.create(kind=WorkSet.Kind.FALLBACK)
        self.lessons(
            1,
            first=FIRST + dt.timedelta(days=1),
            work_set=fallback,
            task=task,
            status=WorkRequest.Status.RETURNED,
            outcome=WorkRequest.Outcome.PARTLY,
        )
        self.lessons(
            1,
            first=FIRST + dt.timedelta(days=2),
            teacher=None,
            fell_back_at=set_at,
        )
        self.login(self.hugo)
        response = self.client.get(reverse("work-department") + f"?{RANGE}")
        self.assertEqual(
            lesson_lines(response),
            [
                "<li>Wed 9 Sep P2 <strong>9X/Ma1</strong>: Jayden Walsh <br>"
                '<span class="muted">Internal exclusion · missing</span></li>',
                "<li>Tue 8 Sep P2 <strong>9X/Ma1</strong> (Ms A Teague): Jayden Walsh <br>"
                '<span class="muted">Internal exclusion · partly done, returned · '
                "Fractions &lt;revision&gt; · partly done</span></li>",
                "<li>Mon 7 Sep P2 <strong>9X/Ma1</strong> (Ms A Teague): Jayden Walsh <br>"
                '<span class="muted">Internal exclusion · set late by Alice Teague Fri 17:30'
                "</span></li>",
            ],
        )
        # As the request's own label has it.
        self.assertIn(answered.state_label, lesson_lines(response)[-1])

    def test_the_reads_leave_out_other_departments_cancelled_lessons_and_other_dates(self):
        self.lessons(3)
        self.lessons(2, status=WorkRequest.Status.CANCELLED)
        self.lessons(2, teaching_class=self.science_class, teacher=self.hugo.staff)
        self.lessons(2, first=LAST + dt.timedelta(days=1))
        whole, by_teacher = department_figures(FIRST, LAST, department_id=self.maths.pk)
        self.assertEqual(whole.lessons, 3)
        self.assertEqual(asdict(whole), asdict(work_figures(FIRST, LAST, department=self.maths)))
        self.assertEqual([(f.label, f.lessons) for f in by_teacher], [("Ms A Teague", 3)])
        lessons = department_requests(FIRST, LAST, department_id=self.maths.pk, figures=whole)
        self.assertEqual(lessons.count(), 3)
        rows = department_lesson_rows(lessons[0:50])
        self.assertEqual([row.class_code for row in rows], ["9X/Ma1"] * 3)
        self.assertEqual([row.day for row in rows], ["Wed 9 Sep", "Tue 8 Sep", "Mon 7 Sep"])

    def test_each_teacher_s_figures_agree_with_the_department_s(self):
        self.lessons(3)
        self.lessons(2, first=FIRST + dt.timedelta(days=7), teacher=self.hugo.staff)
        self.lessons(1, first=FIRST + dt.timedelta(days=14), teacher=None)
        whole, by_teacher = department_figures(FIRST, LAST, department_id=self.maths.pk)
        self.assertEqual(asdict(whole), asdict(work_figures(FIRST, LAST, department=self.maths)))
        # Most lessons first.
        self.assertEqual(
            [(f.label, f.lessons) for f in by_teacher],
            [("Ms A Teague", 3), ("Mr H Reid", 2), ("No teacher on the timetable", 1)],
        )
        for teacher, figures in zip((self.alice.staff, self.hugo.staff), by_teacher, strict=False):
            mine = asdict(work_figures(FIRST, LAST, teacher=teacher))
            self.assertEqual(asdict(figures) | {"label": ""}, mine)
