"""The demo shows telling parents, meetings, interventions with reviews and open review tasks."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import TestCase

from pastoral.demo_parents import load_parents_demo
from pastoral.models import FamilyCall, Intervention, InterventionReview, Meeting, ReviewTask
from pastoral.policies import can_see_meetings_of
from sanctions.demo import load_behaviour_history
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school

TODAY = dt.date(2026, 11, 25)


class ParentsDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_school(generate_school(Params(students_per_year=90, seed=7, today=TODAY)))
        after_school = dt.datetime.combine(TODAY, dt.time(16, 0), tzinfo=ZoneInfo("Europe/London"))
        with mock.patch("conduct.lib.clock.now", return_value=after_school):
            load_behaviour_history(today=TODAY, seed=7)
            cls.counts = load_parents_demo(today=TODAY)

    def test_it_has_calls_meetings_interventions_and_reviews(self):
        self.assertEqual(FamilyCall.objects.count(), 2)
        self.assertTrue(FamilyCall.objects.filter(outcome="spoke").exists())
        self.assertTrue(Meeting.objects.filter(status="held").exists())
        self.assertEqual(Intervention.objects.count(), 3)
        # A meeting nobody came to, rearranged to next week with new invitations.
        missed = Meeting.objects.get(status="rearranged")
        self.assertEqual(Meeting.objects.get(rearranged_from=missed).status, "invited")
        self.assertTrue(Meeting.objects.filter(status="invited").count() >= 2)
        # Reviews due this week for two demo owners (the head of year's and the officer's).
        due = Intervention.objects.filter(status="active", review_on__lte=TODAY + dt.timedelta(7))
        self.assertEqual(due.values("owner").distinct().count(), 2)
        # Whoever invited each family may open the meeting (a student in their own years).
        for meeting in Meeting.objects.select_related("invited_by", "student"):
            self.assertTrue(can_see_meetings_of(meeting.invited_by, meeting.student))
        self.assertEqual(InterventionReview.objects.count(), 1)
        self.assertTrue(ReviewTask.objects.filter(status="open").exists())
        self.assertEqual(
            self.counts["open_reviews"], ReviewTask.objects.filter(status="open").count()
        )

    def test_a_held_meeting_is_written_up_after_it_and_reviews_fall_on_school_days(self):
        # The held meeting was stamped "Recorded" at the minute the demo loaded (a week after
        # it), and a review "in three days" from a Wednesday fell on a Saturday.
        held = Meeting.objects.get(status="held")
        self.assertEqual(held.recorded_at - held.starts_at, dt.timedelta(minutes=45))
        reviews = [
            *Intervention.objects.values_list("review_on", flat=True),
            *InterventionReview.objects.values_list("next_review_on", flat=True),
        ]
        self.assertTrue(reviews)
        for day in reviews:
            with self.subTest(day=day):
                self.assertLess(day.weekday(), 5)
