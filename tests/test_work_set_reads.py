"""The page setting work reads its lesson's students and the programme's tasks as plain rows,
compiled once, and asks who may answer for them in one query (issue 15): the same requests, in
the same order, and the same answers as a request at a time."""

import datetime as dt

from django.urls import reverse

from sanctions.services import placements
from school.models import ClassTeacher
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, frozen_clock
from tests.work_fixtures import second_student, temporary_media
from work import policies
from work.models import Programme, ProgrammeTask, WorkRequest
from work.selectors import requests as selectors

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class WorkSetReadsTest(SchoolDayTestCase):
    ie_capacity = 4

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        second_student(cls)
        with frozen_clock(TEN_FIFTEEN):
            for student in (cls.student, cls.mia):
                placements.placement_book(
                    student=student, provision=cls.ie, days=1, by=cls.bob, start_on=THURSDAY
                )

    def setUp(self):
        super().setUp()
        temporary_media(self)
        self.requests = list(WorkRequest.objects.order_by("pk"))

    def test_the_lesson_students_are_same_lessons_requests_in_its_order(self):
        for opened in self.requests:
            expected = selectors.same_lesson(opened)
            found = selectors.lesson_students(opened)
            self.assertEqual([r.pk for r in found], [r.pk for r in expected])
            self.assertEqual(found[0].pk, opened.pk)  # the one opened first
            self.assertEqual(
                [r.label for r in found],
                [f"{r.placement_day.placement.student.name} ({r.period.code})" for r in expected],
            )
            self.assertEqual(
                [(r.status, r.teacher_id, r.teaching_class_id) for r in found],
                [(r.status, r.teacher_id, r.teaching_class_id) for r in expected],
            )

    def test_the_lesson_leaves_out_work_recorded_cancelled_and_other_days_and_classes(self):
        first, second = self.requests
        WorkRequest.objects.filter(pk=second.pk).update(outcome="completed")
        self.assertEqual([r.pk for r in selectors.lesson_students(first)], [first.pk])
        WorkRequest.objects.filter(pk=second.pk).update(
            outcome="", status=WorkRequest.Status.CANCELLED
        )
        self.assertEqual([r.pk for r in selectors.lesson_students(first)], [first.pk])
        WorkRequest.objects.filter(pk=second.pk).update(
            status=WorkRequest.Status.REQUESTED, date=THURSDAY + dt.timedelta(days=1)
        )
        self.assertEqual([r.pk for r in selectors.lesson_students(first)], [first.pk])
        WorkRequest.objects.filter(pk=second.pk).update(date=THURSDAY)
        self.assertEqual(len(selectors.lesson_students(first)), 2)

    def test_who_may_answer_is_the_same_as_a_request_at_a_time(self):
        rows = selectors.lesson_students(self.requests[0])
        models = selectors.same_lesson(self.requests[0])
        # A request of another class, asked of no one, among them.
        other = WorkRequest.objects.get(pk=self.requests[1].pk)
        other.teaching_class_id = self.maths_class.pk + 1000  # a class no one teaches (not saved)
        other.teacher = None
        mixed = [*models, other]
        for user in (self.alice, self.hugo, self.evan, self.bob, self.charlie):
            with self.subTest(user=user.username):
                self.assertEqual(
                    [r.pk for r in policies.answerable_requests(user, rows)],
                    [r.pk for r in models if policies.can_answer_request(user, r)],
                )
                self.assertEqual(
                    [r.pk for r in policies.answerable_requests(user, mixed)],
                    [r.pk for r in mixed if policies.can_answer_request(user, r)],
                )
        # A teacher of the class who is not the lesson's teacher (a shared class).
        ClassTeacher.objects.create(
            teaching_class=self.maths_class, staff=self.hugo.staff, is_main=False
        )
        self.assertEqual(
            [r.pk for r in policies.answerable_requests(self.hugo, rows)],
            [r.pk for r in models if policies.can_answer_request(self.hugo, r)],
        )
        self.assertEqual(len(policies.answerable_requests(self.hugo, rows)), 2)
        self.assertEqual(len(policies.answerable_requests(self.alice, rows)), 2)
        self.assertEqual(policies.answerable_requests(self.evan, rows), [])

    def test_who_may_answer_takes_one_query_at_most(self):
        rows = selectors.lesson_students(self.requests[0])
        for user in (self.alice, self.hugo):
            policies.can_set_work(user)  # their roles, read once a request
        with self.assertNumQueries(0):
            policies.answerable_requests(self.alice, rows)  # their own lessons
        with self.assertNumQueries(1):
            policies.answerable_requests(self.hugo, rows)

    def test_the_tasks_are_the_programmes_in_order(self):
        self.assertEqual(selectors.programme_tasks_for(self.requests[0]), [])
        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.maths_class.year_group
        )
        third = ProgrammeTask.objects.create(programme=programme, position=3, title="C")
        first = ProgrammeTask.objects.create(programme=programme, position=1, title="A", unit="U")
        tasks = selectors.programme_tasks_for(self.requests[0])
        self.assertEqual([t.pk for t in tasks], [first.pk, third.pk])
        self.assertEqual(
            [(t.position, t.unit, t.title) for t in tasks], [(1, "U", "A"), (3, "", "C")]
        )

    def test_the_page_ticks_the_lesson_and_offers_the_tasks(self):
        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.maths_class.year_group
        )
        ProgrammeTask.objects.create(programme=programme, position=1, title="Fractions", unit="N")
        self.login(self.alice)
        response = self.client.get(reverse("work-set", args=[self.requests[0].pk]))
        self.assertContains(response, "Jayden Walsh (")
        self.assertContains(response, "Mia Jones (")
        self.assertContains(response, "1. N: Fractions")
