"""Programmes of work: heads of department keep ordered tasks per subject and year; at the
deadline an unanswered request gets the student's next task, or shows as a gap; teachers are
reminded once before it."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from conduct import periodic, submissions
from conduct.roles import Role
from notify.models import Message
from sanctions.services import placements
from school.models import Department
from tests.base import (
    LONDON,
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    frozen_clock,
    make_person,
)
from tests.work_fixtures import second_student, temporary_media
from work.models import Programme, ProgrammeTask, WorkRequest, WorkSet
from work.services import requests as services

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


def at(hour, minute=0, day=WEDNESDAY):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


class ProgrammePagesTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.programme = Programme.objects.create(
            subject=cls.maths_class.subject, year_group=cls.year9
        )
        cls.ivy = make_person("ivy", "Ivy", "Stone", Role.CURRICULUM)
        Department.objects.create(code="SC", name="Science", head=cls.ivy.staff)

    def setUp(self):
        super().setUp()
        temporary_media(self)

    def add(self, title, unit="Unit 1: Number"):
        return self.client.post(
            reverse("programme-detail", args=[self.programme.pk]),
            {
                "unit": unit,
                "title": title,
                "instructions": f"Do {title}",
                "link": "",
                "submission": submissions.new_token(),
            },
        )

    def titles(self):
        return list(self.programme.tasks.order_by("position").values_list("title", flat=True))

    def test_the_head_of_department_adds_reorders_edits_and_removes_tasks(self):
        self.login(self.hugo)
        for title in ("Fractions", "Decimals", "Percentages"):
            self.assertRedirects(
                self.add(title), reverse("programme-detail", args=[self.programme.pk])
            )
        self.assertEqual(self.titles(), ["Fractions", "Decimals", "Percentages"])
        percentages = self.programme.tasks.get(title="Percentages")
        self.client.post(reverse("programme-task-move", args=[percentages.pk]), {"direction": "up"})
        self.assertEqual(self.titles(), ["Fractions", "Percentages", "Decimals"])
        self.client.post(
            reverse("programme-task-edit", args=[percentages.pk]),
            {"unit": "Unit 2", "title": "Percent", "instructions": "Ex 4B", "link": ""},
        )
        self.client.post(
            reverse("programme-task-remove", args=[self.programme.tasks.get(title="Fractions").pk])
        )
        self.assertEqual(self.titles(), ["Percent", "Decimals"])
        self.assertEqual(
            list(self.programme.tasks.order_by("position").values_list("position", flat=True)),
            [1, 2],
        )
        with self.assertNumQueries(8):
            response = self.client.get(reverse("programme-list"))
        self.assertContains(response, "Mathematics, Year 9")
        self.assertContains(response, "2 tasks")

    def test_a_task_needs_a_title_and_instructions(self):
        self.login(self.hugo)
        response = self.client.post(
            reverse("programme-detail", args=[self.programme.pk]),
            {"title": "", "instructions": "", "submission": submissions.new_token()},
        )
        self.assertContains(response, "This field is required", count=4)  # summary and field
        self.assertEqual(self.titles(), [])

    def test_a_second_programme_for_the_same_subject_and_year_is_refused_clearly(self):
        self.login(self.hugo)
        response = self.client.post(
            reverse("programme-list"),
            {
                "subject": self.maths_class.subject.pk,
                "year_group": self.year9.pk,
                "submission": submissions.new_token(),
            },
        )
        self.assertContains(response, "already has a programme of work")

    def test_another_department_s_head_may_not_keep_it(self):
        self.login(self.ivy)
        self.assertEqual(
            self.client.get(reverse("programme-detail", args=[self.programme.pk])).status_code,
            403,
        )
        response = self.client.post(
            reverse("programme-list"),
            {"subject": self.maths_class.subject.pk, "year_group": self.year9.pk},
        )
        self.assertContains(response, "not one of the available choices")


class DeadlineTest(SchoolDayTestCase):
    ie_capacity = 4

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        second_student(cls)
        cls.programme = Programme.objects.create(
            subject=cls.maths_class.subject, year_group=cls.year9
        )
        cls.tasks = [
            ProgrammeTask.objects.create(
                programme=cls.programme, position=n, title=f"Task {n}", instructions="Do it"
            )
            for n in (1, 2, 3)
        ]
        with frozen_clock(TEN_FIFTEEN):
            for student in (cls.student, cls.mia):
                placements.placement_book(
                    student=student, provision=cls.ie, days=1, by=cls.bob, start_on=THURSDAY
                )

    def test_the_worker_runs_the_deadline_on_every_pass(self):
        if not hasattr(settings, "PERIODIC_TASKS"):
            self.assertIn("work.services.requests.work_deadlines_due", periodic.DEFAULT_TASKS)

    def test_nothing_falls_back_before_the_deadline(self):
        freeze_clock(self, at(15, 59))
        self.assertEqual(services.work_fall_back_due(), (0, 0))

    def test_at_the_deadline_each_unanswered_student_gets_their_next_task(self):
        WorkRequest.objects.filter(placement_day__placement__student=self.student).update(task=None)
        # Jayden had task 1 before.
        earlier = WorkRequest.objects.get(placement_day__placement__student=self.student)
        WorkRequest.objects.create(
            placement_day=earlier.placement_day,
            date=WEDNESDAY,
            period=earlier.period,
            teaching_class=self.maths_class,
            task=self.tasks[0],
            status="returned",
        )
        freeze_clock(self, at(16, 0))
        self.assertEqual(services.work_fall_back_due(), (2, 0))
        got = dict(
            WorkRequest.objects.filter(date=THURSDAY).values_list(
                "placement_day__placement__student__legal_first_name", "task__title"
            )
        )
        self.assertEqual(got, {"Jayden": "Task 2", "Mia": "Task 1"})
        self.assertEqual(
            set(WorkRequest.objects.filter(date=THURSDAY).values_list("status", "work_set__kind")),
            {("set", WorkSet.Kind.FALLBACK)},
        )
        self.assertEqual(services.work_fall_back_due(), (0, 0))  # once

    def test_work_already_set_is_left_alone(self):
        request = WorkRequest.objects.filter(date=THURSDAY).first()
        services.work_set(
            requests=[request],
            answer=services.Answer(kind="lesson", instructions="p.42"),
            by=self.alice,
        )
        freeze_clock(self, at(16, 1))
        self.assertEqual(services.work_fall_back_due(), (1, 0))
        request.refresh_from_db()
        self.assertEqual(request.work_set.kind, WorkSet.Kind.LESSON)

    def test_with_no_programme_the_room_sees_a_gap(self):
        self.programme.delete()
        freeze_clock(self, at(16, 5))
        self.assertEqual(services.work_fall_back_due(), (0, 2))
        request = WorkRequest.objects.filter(date=THURSDAY).first()
        self.assertTrue(request.is_gap)
        self.assertEqual(request.state_label, "missing")
        self.login(self.bob)
        response = self.client.get(reverse("register", args=["IE1", THURSDAY.isoformat()]))
        self.assertContains(response, "missing")

    def test_a_teacher_is_reminded_once_before_the_deadline(self):
        freeze_clock(self, at(12, 0))
        self.assertEqual(services.work_reminders_send(), 0)  # too early
        freeze_clock(self, at(13, 30))
        self.assertEqual(services.work_reminders_send(), 1)
        email = Message.objects.get(address="alice@school.example")
        self.assertIn("Jayden Walsh", email.body)
        self.assertIn("Mia Jones", email.body)
        freeze_clock(self, at(14, 30))
        self.assertEqual(services.work_reminders_send(), 0)
        self.assertEqual(Message.objects.filter(address="alice@school.example").count(), 1)

    def test_a_teacher_who_answered_is_not_reminded(self):
        services.work_set(
            requests=list(WorkRequest.objects.filter(date=THURSDAY)),
            answer=services.Answer(kind="programme"),
            by=self.alice,
        )
        freeze_clock(self, at(13, 30))
        self.assertEqual(services.work_reminders_send(), 0)
