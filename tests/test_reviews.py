"""The review the guidance asks for: a third removal in ten school days opens a review for the
head of year and (the student has SEN) the SENCO, with the removals, the lessons and teachers,
and the reasonable-adjustments prompt; it is closed with a decision. An EHCP or looked-after
student's first removal opens one. A teacher's mounting removals offer support to the head of
department and SLT."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from conduct import submissions
from conduct.roles import Role
from pastoral.models import ReviewRule, ReviewTask
from pastoral.services import reviews
from sanctions.models import Placement
from sanctions.services import placements
from school.models import Student
from tests.base import WEDNESDAY, SchoolDayTestCase, make_guardian, make_person
from tests.test_year_scope import make_other_years


class ReviewTest(SchoolDayTestCase):
    ie_capacity = 5

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_guardian(cls.student)
        cls.sam = make_person("sam", "Sam", "Lee", Role.SENCO)
        Student.objects.filter(pk=cls.student.pk).update(sen_status=Student.SenStatus.SUPPORT)
        cls.student.refresh_from_db()
        make_other_years(cls)

    def book(self, student, day):
        return placements.placement_book(
            student=student, provision=self.ie, days=1, by=self.bob, start_on=day
        )

    def test_a_third_removal_in_ten_school_days_opens_a_review_for_the_head_of_year_and_senco(
        self,
    ):
        self.book(self.student, WEDNESDAY)
        self.book(self.student, WEDNESDAY + dt.timedelta(days=1))
        self.assertFalse(ReviewTask.objects.exists())
        third = self.book(self.student, WEDNESDAY + dt.timedelta(days=6))  # next Tuesday
        tasks = {t.for_whom: t for t in ReviewTask.objects.all()}
        self.assertEqual(set(tasks), {"head_of_year", "senco"})
        hoy = tasks["head_of_year"]
        self.assertEqual((hoy.assigned_to, hoy.placement), (self.charlie.staff, third))
        self.assertEqual(hoy.reason, "Jayden Walsh: 3 removals in 10 school days.")
        # A fourth does not open another while these are open.
        self.book(self.student, WEDNESDAY + dt.timedelta(days=7))
        self.assertEqual(ReviewTask.objects.count(), 2)
        for person in (self.charlie, self.sam):
            self.login(person)
            home = self.client.get(reverse("home"))
            self.assertContains(home, "Reviews to do")
            self.assertContains(
                home,
                reverse(
                    "review-task-detail",
                    args=[tasks["head_of_year" if person == self.charlie else "senco"].pk],
                ),
            )
        self.login(self.charlie)
        page = self.client.get(reverse("review-task-detail", args=[hoy.pk]))
        self.assertContains(page, "Reasonable adjustments.")
        self.assertContains(page, "Internal exclusion", count=4)
        # Closed with a decision; a second close is refused.
        self.client.post(
            reverse("review-task-detail", args=[hoy.pk]),
            {"decision": "intervention", "note": "Report card", submissions.FIELD: "a" * 32},
        )
        hoy.refresh_from_db()
        self.assertEqual(
            (hoy.status, hoy.decision, hoy.closed_by), ("closed", "intervention", self.charlie)
        )
        response = self.client.post(
            reverse("review-task-detail", args=[hoy.pk]),
            {"decision": "no_action", submissions.FIELD: "b" * 32},
        )
        self.assertEqual(response.status_code, 400)
        # Someone it is not for cannot open it: Yusuf (Year 7) and a teacher.
        self.login(self.yusuf)
        self.assertEqual(
            self.client.get(reverse("review-task-detail", args=[hoy.pk])).status_code, 403
        )
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("review-task-detail", args=[hoy.pk])).status_code, 403
        )

    def test_any_removal_of_a_student_with_an_ehcp_opens_a_review(self):
        self.book(self.leon, WEDNESDAY)  # Year 11, EHCP
        self.assertEqual(
            sorted(ReviewTask.objects.values_list("for_whom", "reason")),
            [
                (
                    "head_of_year",
                    "Leon Marsh: removed, and has an education, health and care plan (EHCP).",
                ),
                (
                    "senco",
                    "Leon Marsh: removed, and has an education, health and care plan (EHCP).",
                ),
            ],
        )

    def test_closing_needs_a_decision(self):
        self.book(self.leon, WEDNESDAY)
        task = ReviewTask.objects.first()
        with self.assertRaises(ValidationError):
            reviews.review_task_close(task=task, decision="", note="", by=self.evan)
        with self.assertRaises(ValidationError):
            reviews.review_task_close(task=task, decision="other", note=" ", by=self.evan)

    def test_a_teachers_mounting_removals_offer_support_to_head_of_department_and_slt(self):
        ReviewRule.objects.filter(subject="teacher").update(count=2)
        slot = self.maths_class.slots.first()
        slot.staff = self.alice.staff
        slot.save()
        made = []
        for offset, student in ((0, self.student), (1, self.ava)):
            made.append(
                Placement.objects.create(
                    student=student,
                    provision=self.ie,
                    planned_days=1,
                    starts_on=WEDNESDAY + dt.timedelta(days=offset),
                    ends_on=WEDNESDAY + dt.timedelta(days=offset),
                    booked_by=self.bob,
                    removed_from=slot,
                )
            )
        tasks = reviews.review_rules_check(placement=made[-1], by=self.bob)
        support = [t for t in tasks if t.teacher_id]
        self.assertEqual({t.for_whom for t in support}, {"head_of_department", "slt"})
        hod = next(t for t in support if t.for_whom == "head_of_department")
        self.assertEqual(hod.assigned_to, self.hugo.staff)
        self.assertIn("a chance to offer support", hod.reason)
        self.login(self.hugo)
        page = self.client.get(reverse("review-task-detail", args=[hod.pk]))
        self.assertContains(page, "Support for Ms A Teague")
        self.assertContains(page, "9X/Ma1", count=2)
        self.assertNotContains(page, "Reasonable adjustments.")

    def test_the_review_page_runs_a_fixed_number_of_queries(self):
        for offset in (0, 1, 6):
            self.book(self.student, WEDNESDAY + dt.timedelta(days=offset))
        task = ReviewTask.objects.get(for_whom="head_of_year")
        self.login(self.charlie)
        url = reverse("review-task-detail", args=[task.pk])
        self.client.get(url)
        # session, user, roles, the review, the years Charlie leads, the removals, the audit, and
        # the menu's two (whether on duty now: one query, and the unread count)
        with self.assertNumQueries(7):
            self.client.get(url)
        for offset in (7, 8, 9):
            self.book(self.student, WEDNESDAY + dt.timedelta(days=offset))
        with self.assertNumQueries(7):
            self.client.get(url)
