"""A sweep finds students out of lessons, so it runs while lessons do: at 20:54, at break or at a
weekend the service refuses with a clear message, no "found out of lessons" record is made, and
the sweep page says why and offers no form."""

import datetime as dt

from django.urls import reverse

from conduct.lib.errors import ActionRefused
from patrol.models import Sweep, SweepFinding
from patrol.services import sweeps
from tests.base import LONDON, TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, freeze_clock

EVENING = dt.datetime.combine(WEDNESDAY, dt.time(20, 54), tzinfo=LONDON)
BREAK = dt.datetime.combine(WEDNESDAY, dt.time(11, 5), tzinfo=LONDON)
SATURDAY = dt.datetime.combine(WEDNESDAY + dt.timedelta(days=3), dt.time(10, 15), tzinfo=LONDON)


class SweepTimesTest(SchoolDayTestCase):
    def test_no_sweep_starts_outside_lesson_time(self):
        for moment, words in (
            (EVENING, "outside the school day"),
            (BREAK, "Break"),
            (SATURDAY, "not a school day"),
        ):
            with self.subTest(moment=moment), self.assertRaises(ActionRefused) as refused:
                sweeps.sweep_start(by=self.bob, now=moment)
            self.assertIn(words, str(refused.exception))
        self.assertFalse(Sweep.objects.exists())

    def test_a_sweep_left_running_into_the_evening_records_nobody_out_of_lessons(self):
        sweep = sweeps.sweep_start(by=self.bob, now=TEN_FIFTEEN)
        with self.assertRaises(ActionRefused) as refused:
            sweeps.sweep_record_finding(
                sweep_id=sweep.pk,
                by=self.bob,
                student=self.student,
                found_where="Car park",
                found_at=EVENING,
                now=EVENING,
            )
        self.assertIn("20:54, outside the school day", str(refused.exception))
        self.assertFalse(SweepFinding.objects.exists())
        # ... and the sweep can still be finished.
        sweeps.sweep_finish(sweep_id=sweep.pk, by=self.bob, areas="Car park", now=EVENING)

    def test_the_sweep_page_says_so_and_offers_no_form_after_school(self):
        freeze_clock(self, EVENING)
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"), {"tab": "sweep"})
        self.assertContains(page, "20:54, outside the school day")
        self.assertNotContains(page, "Start a sweep now")
        refused = self.client.post(reverse("sweep-start"), follow=True)
        self.assertContains(refused, "outside the school day")
        self.assertFalse(Sweep.objects.exists())

    def test_a_running_sweep_offers_only_finishing_at_break(self):
        sweep = sweeps.sweep_start(by=self.bob, now=TEN_FIFTEEN)
        freeze_clock(self, BREAK)
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"), {"tab": "sweep", "q": "walsh"})
        self.assertContains(page, "Break")
        self.assertNotContains(page, "Record: found out of lessons")
        self.assertNotContains(page, "Find a student out of lessons")
        self.assertContains(page, "Finish the sweep")
        refused = self.client.post(
            reverse("sweep-find", args=[sweep.pk]),
            {"student": self.student.pk, "found_where": "Canteen"},
        )
        self.assertContains(refused, "Break", status_code=400)
        self.assertFalse(SweepFinding.objects.exists())

    def test_in_a_lesson_the_sweep_is_offered(self):
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"), {"tab": "sweep"})
        self.assertContains(page, "Start a sweep now")
