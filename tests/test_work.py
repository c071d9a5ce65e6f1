"""Work requests: asked of the teacher of every lesson a placed student misses, withdrawn when
the day is given up, and seen by whoever may see the register."""

import datetime as dt

from sanctions import policies as sanctions_policies
from sanctions.models import Placement, PlacementDay
from school.models import ClassTeacher, Enrolment, Subject, TeachingClass, TimetableSlot
from tests.base import (
    WEDNESDAY,
    SchoolDayTestCase,
)
from work import policies
from work.models import WorkRequest
from work.selectors import requests as selectors
from work.services import requests as services

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
FRIDAY = WEDNESDAY + dt.timedelta(days=2)


class WorkRequestTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Science in period 4 on Thursdays (cycle day 4) and Fridays, taught by Hugo on the
        # slot itself; the class also lists Charlie, who is not asked.
        science = TeachingClass.objects.create(
            code="9X/Sc1",
            subject=Subject.objects.create(code="SC", name="Science"),
            year_group=cls.year9,
        )
        ClassTeacher.objects.create(teaching_class=science, staff=cls.charlie.staff)
        Enrolment.objects.create(teaching_class=science, student=cls.student)
        for cycle_day in (4, 5):
            TimetableSlot.objects.create(
                teaching_class=science,
                cycle_day=cycle_day,
                period=cls.periods["P4"],
                room=cls.room,
                staff=cls.hugo.staff,
            )
        cls.placement = Placement.objects.create(
            student=cls.student,
            provision=cls.ie,
            planned_days=2,
            starts_on=THURSDAY,
            ends_on=FRIDAY,
            booked_by=cls.evan,
        )
        cls.days = [
            PlacementDay.objects.create(placement=cls.placement, date=day, room=cls.ie_room)
            for day in (THURSDAY, FRIDAY)
        ]

    def test_it_asks_the_teacher_of_every_missed_lesson_on_every_day(self):
        made = services.work_requests_create(days=self.days)
        self.assertEqual(
            sorted((r.date, r.period.code, r.teaching_class.code, r.teacher) for r in made),
            [
                # Maths has no teacher on the slot: the class's teacher is asked.
                (THURSDAY, "P2", "9X/Ma1", self.alice.staff),
                (THURSDAY, "P4", "9X/Sc1", self.hugo.staff),
                (FRIDAY, "P2", "9X/Ma1", self.alice.staff),
                (FRIDAY, "P4", "9X/Sc1", self.hugo.staff),
            ],
        )
        self.assertEqual(WorkRequest.objects.filter(status="requested").count(), 4)
        self.assertEqual({r.slot.cycle_day for r in WorkRequest.objects.all()}, {4, 5})

    def test_it_skips_the_lessons_already_over_on_the_first_day_only(self):
        made = services.work_requests_create(days=self.days, from_time=dt.time(11, 0))
        self.assertEqual(
            sorted((r.date, r.period.code) for r in made),
            [(THURSDAY, "P4"), (FRIDAY, "P2"), (FRIDAY, "P4")],
        )

    def test_it_withdraws_the_requests_of_the_days_given_up_but_not_returned_work(self):
        services.work_requests_create(days=self.days)
        returned = WorkRequest.objects.get(date=FRIDAY, period__code="P2")
        returned.status = WorkRequest.Status.RETURNED
        returned.save()
        self.assertEqual(services.work_requests_withdraw(days=[self.days[1]]), 1)
        self.assertEqual(
            sorted(WorkRequest.objects.values_list("date", "period__code", "status")),
            [
                (THURSDAY, "P2", "requested"),
                (THURSDAY, "P4", "requested"),
                (FRIDAY, "P2", "returned"),
                (FRIDAY, "P4", "cancelled"),
            ],
        )

    def test_it_reads_the_requests_still_standing_in_period_order(self):
        services.work_requests_create(days=self.days[:1])
        WorkRequest.objects.filter(period__code="P4").update(status=WorkRequest.Status.SET)
        WorkRequest.objects.create(
            placement_day=self.days[0],
            date=THURSDAY,
            period=self.periods["P1"],
            teaching_class=self.maths_class,
            status=WorkRequest.Status.CANCELLED,
        )
        with self.assertNumQueries(1):
            standing = [
                (r.period.code, r.teaching_class.code, r.teacher, r.status)
                for r in selectors.requests_not_cancelled()
            ]
        self.assertEqual(
            standing,
            [
                ("P2", "9X/Ma1", self.alice.staff, "requested"),
                ("P4", "9X/Sc1", self.hugo.staff, "set"),
            ],
        )

    def test_it_shows_work_requests_to_whoever_may_see_the_register(self):
        people = [self.alice, self.bob, self.charlie, self.dana, self.evan, self.fay, self.gita]
        people += [self.hugo, self.olive]
        for person in people:
            with self.subTest(person=person.username):
                self.assertEqual(
                    policies.can_view_work_requests(person),
                    sanctions_policies.can_view_register(person),
                )
        self.assertTrue(policies.can_view_work_requests(self.gita))
        self.assertFalse(policies.can_view_work_requests(self.alice))
