"""The demo gives the reports' work and review measures real numbers."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from audit.selectors import history_of
from conduct.roles import Role
from pastoral.models import ReviewTask
from reports.demo import load_reviews_demo
from reports.selectors import figures as reports_figures
from reports.selectors.figures import Span
from sanctions.demo import load_behaviour_history
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school
from school.models import HalfTerm
from work.demo import load_work_demo

TODAY = dt.date(2026, 11, 25)


class ReportsDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_school(generate_school(Params(students_per_year=90, seed=7, today=TODAY)))
        after_school = dt.datetime.combine(TODAY, dt.time(16, 30), tzinfo=ZoneInfo("Europe/London"))
        with mock.patch("conduct.lib.clock.now", return_value=after_school):
            load_behaviour_history(today=TODAY, seed=7)
            load_work_demo(today=TODAY, seed=7)
            if not get_user_model().objects.filter(groups__name=Role.CONDUCT).exists():
                get_user_model().objects.first().groups.add(Group.objects.get(name=Role.CONDUCT))
            cls.counts = load_reviews_demo(today=TODAY, seed=7)
            half = HalfTerm.objects.get(starts_on__lte=TODAY, ends_on__gte=TODAY)
            cls.span = Span("Half-term so far", half.starts_on, TODAY)
            cls.figures = reports_figures.figures(cls.span)

    def test_the_rules_opened_reviews_and_most_are_closed_with_a_decision(self):
        self.assertGreater(self.counts["removed_again"], 0)
        self.assertGreater(self.counts["opened"], 0)
        closed = ReviewTask.objects.filter(status=ReviewTask.Status.CLOSED)
        self.assertGreater(closed.count(), 0)
        self.assertFalse(closed.filter(decision="").exists())
        self.assertFalse(
            ReviewTask.objects.filter(
                opened_at__gt=dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
            ).exists()
        )

    def test_the_half_term_has_students_who_met_a_rule_with_reviews_and_decisions(self):
        reviews = self.figures.reviews
        self.assertGreater(reviews.met, 0)
        self.assertEqual(reviews.opened, reviews.met)
        self.assertGreater(reviews.closed, 0)
        self.assertTrue(reviews.decisions)

    def test_the_half_term_has_work_shares(self):
        work = self.figures.work
        self.assertGreater(work.decided, 50)
        self.assertGreater(work.on_time_share, 50)
        self.assertGreater(work.recorded, 0)

    def test_each_review_is_opened_and_closed_in_its_history_when_it_was(self):
        tasks = ReviewTask.objects.all()
        self.assertTrue(tasks.filter(status="closed").exists())
        for task in tasks:
            history = {change.to_value: change.at for change in history_of(task)}
            self.assertEqual(history["open"], task.opened_at)
            if task.status == "closed":
                self.assertEqual(history["closed"], task.closed_at)
            else:
                self.assertNotIn("closed", history)
