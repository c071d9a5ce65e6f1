"""The demo's term of behaviour history looks like a real school's."""

import datetime as dt
from collections import Counter
from unittest import mock
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.test import TestCase

from audit.selectors import history_of
from pastoral.demo import load_pastoral_demo
from pastoral.models import Interview
from sanctions.demo import load_behaviour_history
from sanctions.models import (
    AttendanceMark,
    ClosedDay,
    Incident,
    Placement,
    PlacementDay,
    Referral,
)
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school

TODAY = dt.date(2026, 11, 25)  # a Wednesday in the autumn term of the demo's year
LONDON = ZoneInfo("Europe/London")
AFTER_SCHOOL = dt.datetime.combine(TODAY, dt.time(16, 0), tzinfo=LONDON)


class BehaviourHistoryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_school(generate_school(Params(students_per_year=90, seed=7, today=TODAY)))
        with mock.patch("conduct.lib.clock.now", return_value=AFTER_SCHOOL):
            cls.counts = load_behaviour_history(today=TODAY, seed=7)

    def test_it_fills_a_term_with_referrals_placements_and_decisions_still_to_make(self):
        self.assertGreater(self.counts["incidents"], 150)
        self.assertEqual(Incident.objects.count(), self.counts["incidents"])
        self.assertGreater(Placement.objects.filter(status="completed").count(), 100)
        self.assertTrue(Placement.objects.filter(status="failed").exists())
        self.assertTrue(Referral.objects.filter(status="pending").exists())
        self.assertTrue(Referral.objects.filter(status="declined").exists())
        # Today's rooms have students in them.
        self.assertTrue(PlacementDay.objects.filter(date=TODAY, is_active=True).exists())

    def test_it_has_more_in_years_9_and_10_and_in_the_afternoon(self):
        by_year = Counter(
            Incident.objects.values_list("parts__student__year_group__number", flat=True)
        )
        self.assertGreater(by_year[9] + by_year[10], 1.5 * (by_year[7] + by_year[11]))
        by_period = Counter(Incident.objects.values_list("period__code", flat=True))
        self.assertGreater(by_period["P4"] + by_period["P5"], by_period["P1"] + by_period["P2"])

    def test_it_has_students_referred_again_and_again(self):
        per_student = Counter(Referral.objects.values_list("student_id", flat=True))
        repeaters = [n for n in per_student.values() if n >= 4]
        self.assertGreaterEqual(len(repeaters), 5)
        # ...and a long tail referred once.
        self.assertGreater(sum(1 for n in per_student.values() if n == 1), len(repeaters))

    def test_it_never_overbooks_a_room_in_the_demo_either(self):
        from django.db.models import Count

        from sanctions.models import ProvisionRoom

        capacity = {r.room_id: r.capacity for r in ProvisionRoom.objects.all()}
        busiest = (
            PlacementDay.objects.filter(is_active=True)
            .values("room_id", "date")
            .annotate(n=Count("pk"))
        )
        for day in busiest:
            self.assertLessEqual(day["n"], capacity[day["room_id"]], day)

    def test_the_past_placements_were_registered_every_session_and_their_days_closed(self):
        past = PlacementDay.objects.filter(
            is_active=True, date__lt=TODAY, placement__status__in=["completed", "failed"]
        )
        self.assertTrue(past.exists())
        self.assertFalse(past.annotate(n=Count("marks")).exclude(n=2).exists())
        kinds = Counter(AttendanceMark.objects.values_list("kind", flat=True))
        self.assertGreater(kinds["present"], 0.75 * sum(kinds.values()))
        self.assertTrue(kinds["late"] and kinds["absent"])
        self.assertFalse(
            AttendanceMark.objects.filter(kind="late", minutes_late__isnull=True).exists()
        )
        closed = set(ClosedDay.objects.values_list("room_id", "date"))
        self.assertEqual(closed, set(past.values_list("room_id", "date")))
        # Nothing today or after is marked or closed: the officer marks today's register.
        self.assertFalse(AttendanceMark.objects.filter(placement_day__date__gte=TODAY).exists())

    def test_a_failed_placement_ends_with_the_student_removed_and_its_length_from_the_marks(self):
        for placement in Placement.objects.filter(status="failed"):
            last = placement.days.filter(is_active=True).latest("date")
            self.assertEqual(last.marks.get(session="pm").kind, "removed")
            self.assertLess(placement.actual_days, placement.days.filter(is_active=True).count())
        completed = Placement.objects.filter(status="completed").first()
        values = {"present": 0.5, "late": 0.5, "left_early": 0.25, "removed": 0.25, "absent": 0}
        self.assertEqual(
            float(completed.actual_days),
            sum(
                values[k]
                for k in AttendanceMark.objects.filter(
                    placement_day__placement=completed
                ).values_list("kind", flat=True)
            ),
        )

    def test_each_close_and_decision_is_in_the_history_when_it_was_made_not_at_loading(self):
        for placement in Placement.objects.filter(status__in=["completed", "failed"]):
            days = placement.days.filter(is_active=True).order_by("date")
            last = days.last().date if days else placement.ends_on
            when = dt.datetime.combine(last, dt.time(15, 40), tzinfo=LONDON)
            self.assertEqual(placement.closed_at, when)
            [close] = history_of(placement).filter(to_value=placement.status)
            self.assertEqual(close.at, when)
        declined = Referral.objects.filter(status="declined")
        self.assertTrue(declined.exists())
        for referral in declined:
            [decision] = history_of(referral).filter(to_value="declined")
            self.assertEqual(decision.at, referral.decided_at)
            self.assertLess(referral.decided_at, AFTER_SCHOOL)


class InterviewHistoryTest(TestCase):
    """The demo's interviews are in their history when they were held."""

    @classmethod
    def setUpTestData(cls):
        load_school(generate_school(Params(students_per_year=90, seed=7, today=TODAY)))
        with mock.patch("conduct.lib.clock.now", return_value=AFTER_SCHOOL):
            load_behaviour_history(today=TODAY, seed=7)
            cls.counts = load_pastoral_demo(today=TODAY, seed=7)

    def test_each_interview_done_is_in_its_history_when_it_was_held(self):
        self.assertGreater(self.counts["entry_interviews"], 0)
        self.assertGreater(self.counts["exit_interviews"], 0)
        done = Interview.objects.filter(status="done")
        for interview in done:
            [held] = history_of(interview).filter(to_value="done")
            self.assertEqual(held.at, interview.conducted_at)
            self.assertLess(interview.conducted_at, AFTER_SCHOOL)
        # An exit interview is held at the end of the placement's last day, before it closes.
        for interview in done.filter(kind="exit").select_related("placement"):
            self.assertEqual(interview.conducted_at.astimezone(LONDON).date(), interview.due_on)
            self.assertLess(interview.conducted_at, interview.placement.closed_at)
