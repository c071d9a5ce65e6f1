"""A teacher's "Work to set" page, read in one query: lessons to set grouped by class and day,
work set for lessons to come, work returned from the room and the fortnight's seen; never
another teacher's, a cancelled request or work set for a lesson gone by."""

import datetime as dt
import re

from django.urls import reverse

from sanctions.models import Placement, PlacementDay
from school.models import ClassTeacher, Subject, TeachingClass
from tests.base import LONDON, WEDNESDAY, SchoolDayTestCase
from tests.work_fixtures import second_student
from work.models import Programme, ProgrammeTask, WorkRequest, WorkSet
from work.selectors import requests as selectors

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
S = WorkRequest.Status


def section(response, heading_id: str) -> list[str]:
    """The lines of one list of the page, each as one line of text."""
    html = response.content.decode()
    part = html[html.index(f'aria-labelledby="{heading_id}"') :]
    part = part[: part.index("</section>")]
    part = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">', "", part)
    return [re.sub(r"\s+", " ", line).strip() for line in re.findall(r"<li>.*?</li>", part, re.S)]


class WorkToSetPageTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        second_student(cls)
        cls.days = {}
        for student in (cls.student, cls.mia):
            placement = Placement.objects.create(
                student=student,
                provision=cls.ie,
                planned_days=1,
                starts_on=THURSDAY,
                ends_on=THURSDAY,
                booked_by=cls.evan,
            )
            cls.days[student.legal_first_name] = PlacementDay.objects.create(
                placement=placement, date=THURSDAY, room=cls.ie_room
            )
        science = TeachingClass.objects.create(
            code="9X/Sc1",
            subject=Subject.objects.create(code="SC", name="Science"),
            year_group=cls.year9,
        )
        ClassTeacher.objects.create(teaching_class=science, staff=cls.hugo.staff)
        cls.science = science
        cls.task = ProgrammeTask.objects.create(
            programme=Programme.objects.create(
                subject=cls.maths_class.subject, year_group=cls.year9
            ),
            title="Fractions & decimals",
            instructions="3A",
        )

    def request(self, name="Jayden", date=THURSDAY, period="P2", **fields):
        return WorkRequest.objects.create(
            placement_day=self.days[name],
            date=date,
            period=self.periods[period],
            **{"teaching_class": self.maths_class, "teacher": self.alice.staff} | fields,
        )

    def test_it_shows_each_list_as_before_from_one_query(self):
        deadline = dt.datetime(2026, 11, 25, 16, 0, tzinfo=LONDON)
        at = dt.datetime(2026, 11, 24, 15, 40, tzinfo=LONDON)
        # To set on Thursday: both students of 9X/Ma1 in period 2, one lesson; Jayden's period 4
        # as soon as she can; Mia's period 5 past its deadline with nothing to give.
        first = self.request(deadline=deadline)
        self.request("Mia", deadline=deadline)
        self.request(period="P4", asap=True)
        self.request("Mia", period="P5", fell_back_at=at)
        # Set for a lesson to come, by Alice, with the programme's task; and one gone by.
        own = WorkSet.objects.create(kind=WorkSet.Kind.LESSON, set_by=self.alice, set_at=at)
        ahead = self.request(
            date=THURSDAY + dt.timedelta(days=1), status=S.SET, work_set=own, task=self.task
        )
        self.request(date=WEDNESDAY - dt.timedelta(days=1), status=S.SET, work_set=own)
        # Returned: one recorded by Bob with a note and a photo, one long ago by no one; one seen
        # this fortnight, one seen before it.
        returned = dict(status=S.RETURNED, outcome=WorkRequest.Outcome.PARTLY)
        noted = self.request(
            date=WEDNESDAY - dt.timedelta(days=1),
            outcome_note="Half <of it>",
            outcome_file="work/done/2026/11/scan.jpg",
            recorded_by=self.bob,
            recorded_at=at,
            **returned,
        )
        self.request(date=dt.date(2026, 9, 7), recorded_at=at - dt.timedelta(days=60), **returned)
        self.request(
            "Mia",
            date=WEDNESDAY - dt.timedelta(days=3),
            acknowledged_at=at,
            status=S.RETURNED,
            outcome=WorkRequest.Outcome.COMPLETED,
        )
        self.request(date=dt.date(2026, 10, 1), acknowledged_at=at, **returned)
        # Never Alice's: cancelled, and Hugo's science.
        self.request(period="P3", status=S.CANCELLED)
        self.request(period="P3", teaching_class=self.science, teacher=self.hugo.staff)

        with self.assertNumQueries(1):
            work = selectors.teacher_work(self.alice.staff, WEDNESDAY)
        self.assertEqual(work.to_set[0].students, [("Jayden Walsh", "9B"), ("Mia Jones", "9B")])

        self.login(self.alice)
        response = self.client.get(reverse("work-to-set"))
        set_url = reverse("work-set", args=[first.pk])
        self.assertEqual(
            section(response, "to-set-heading"),
            [
                f'<li><a href="{set_url}"><strong>9X/Ma1</strong> Period 2, Thu 26 Nov</a> '
                '<br>Jayden Walsh <span class="muted">9B</span>; Mia Jones '
                '<span class="muted">9B</span> <br><span class="muted">Internal exclusion in '
                "IE1 · due Wed 25 Nov 16:00</span></li>",
                f'<li><a href="{reverse("work-set", args=[first.pk + 2])}"><strong>9X/Ma1'
                "</strong> Period 4, Thu 26 Nov</a> <br>Jayden Walsh "
                '<span class="muted">9B</span> <br><span class="muted">Internal exclusion in '
                "IE1 · due <strong>as soon as you can</strong></span></li>",
                f'<li><a href="{reverse("work-set", args=[first.pk + 3])}"><strong>9X/Ma1'
                '</strong> Period 5, Thu 26 Nov</a> <br>Mia Jones <span class="muted">9B</span>'
                ' <br><span class="muted">Internal exclusion in IE1 · due <strong class="error">'
                "deadline passed</strong></span></li>",
            ],
        )
        self.assertEqual(
            section(response, "set-heading"),
            [
                f'<li><a href="{reverse("work-set", args=[ahead.pk])}">9X/Ma1 Period 2, '
                'Fri 27 Nov</a>: Jayden Walsh <br><span class="muted">Set by Alice Teague '
                "Tue 15:40: Fractions &amp; decimals</span></li>"
            ],
        )
        seen = reverse("work-acknowledge", args=[noted.pk])
        photo = reverse("work-done-file", args=[noted.pk])
        returned_lines = section(response, "returned-heading")
        self.assertEqual(len(returned_lines), 2)
        self.assertEqual(
            returned_lines[0],
            "<li><strong>Jayden Walsh</strong> · 9X/Ma1 P2, Tue 24 Nov <br><strong>Partly done"
            f'</strong>: Half &lt;of it&gt; <br><a href="{photo}">Photo or scan of the work</a>'
            ' <br><span class="muted">Recorded Tue 24 Nov 15:40 by Bob Patel</span> '
            f'<form method="post" action="{seen}" class="inline-form"><button type="submit" '
            'class="button small">Seen it</button></form></li>',
        )
        # Recorded longest ago last, and by no one named.
        self.assertIn("Mon 7 Sep", returned_lines[1])
        self.assertIn('<span class="muted">Recorded Fri 25 Sep 15:40</span>', returned_lines[1])
        self.assertEqual(
            section(response, "seen-heading"),
            ["<li>Mia Jones · 9X/Ma1 Sun 22 Nov: completed</li>"],
        )
