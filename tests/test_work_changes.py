"""Moving or cancelling a placement moves or withdraws its work requests and tells the teachers
who had already set work."""

import datetime as dt

from notify.models import Message
from sanctions.services import placements
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, frozen_clock
from work.models import WorkRequest
from work.services import requests as services

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
MONDAY = WEDNESDAY + dt.timedelta(days=5)


class PlacementChangeTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with frozen_clock(TEN_FIFTEEN):
            cls.placement = placements.placement_book(
                student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=THURSDAY
            )

    def set_work(self):
        services.work_set(
            requests=list(WorkRequest.objects.all()),
            answer=services.Answer(kind="lesson", instructions="Read chapter 3"),
            by=self.alice,
        )

    def emails_to_alice(self):
        return list(Message.objects.filter(address="alice@school.example"))

    def test_cancelling_withdraws_the_requests_and_tells_the_teacher_who_set_work(self):
        self.set_work()
        placements.placement_cancel(placement=self.placement, by=self.bob, reason="Appeal upheld")
        self.assertEqual(set(WorkRequest.objects.values_list("status", flat=True)), {"cancelled"})
        [email] = self.emails_to_alice()
        self.assertEqual(email.subject, "Work you set is no longer needed")
        self.assertIn("cancelled", email.body)
        self.assertIn("Jayden Walsh", email.body)

    def test_moving_asks_for_the_new_days_and_tells_the_teacher_who_set_work(self):
        self.set_work()
        placements.placement_move(
            placement=self.placement, by=self.bob, start_on=MONDAY, reason="Trip on Thursday"
        )
        self.assertEqual(
            sorted(WorkRequest.objects.values_list("date", "status")),
            [(THURSDAY, "cancelled"), (MONDAY, "requested")],
        )
        [email] = self.emails_to_alice()
        self.assertIn("moved to other days", email.body)
        self.assertIn("Work to set", email.body)

    def test_a_teacher_who_had_not_set_work_or_got_the_programme_is_not_emailed(self):
        placements.placement_cancel(placement=self.placement, by=self.bob, reason="Appeal upheld")
        self.assertEqual(self.emails_to_alice(), [])
