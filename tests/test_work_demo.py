"""The demo's work: programmes for every department, and a term of realistic answers."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import TestCase

from sanctions.demo import load_behaviour_history
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school
from school.models import Department
from work.demo import load_work_demo
from work.models import Programme, WorkRequest, WorkSet
from work.selectors.figures import work_figures

TODAY = dt.date(2026, 11, 25)


class WorkDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_school(generate_school(Params(students_per_year=90, seed=7, today=TODAY)))
        after_school = dt.datetime.combine(TODAY, dt.time(16, 30), tzinfo=ZoneInfo("Europe/London"))
        with mock.patch("conduct.lib.clock.now", return_value=after_school):
            load_behaviour_history(today=TODAY, seed=7)
            cls.counts = load_work_demo(today=TODAY, seed=7)
            cls.figures = work_figures(dt.date(2026, 9, 1), TODAY)

    def test_every_department_has_programmes_of_work(self):
        with_programmes = set(
            Programme.objects.values_list("subject__department", flat=True).distinct()
        )
        taught = set(
            Department.objects.filter(subjects__classes__isnull=False).values_list("pk", flat=True)
        )
        self.assertEqual(taught - with_programmes, set())
        self.assertTrue(all(p.tasks.count() == 6 for p in Programme.objects.all()[:5]))

    def test_most_work_is_set_on_time_some_late_some_from_the_programme_few_nothing(self):
        f = self.figures
        self.assertGreater(f.decided, 200)
        self.assertGreater(f.on_time_share, 55)
        self.assertTrue(5 <= f.late_share <= 20, f.late_share)
        self.assertTrue(5 <= f.programme_share <= 25, f.programme_share)
        self.assertTrue(0 < f.nothing_share <= 10, f.nothing_share)
        self.assertGreater(f.recorded, 100)
        self.assertTrue(50 <= f.completion_rate <= 85, f.completion_rate)
        self.assertTrue(WorkRequest.objects.exclude(acknowledged_at=None).exists())
        self.assertTrue(WorkSet.objects.filter(kind="fallback").exists())
        # Lessons still to come wait for their teachers.
        self.assertTrue(WorkRequest.objects.filter(date__gt=TODAY, status="requested").exists())
