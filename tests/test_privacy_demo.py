"""The demo has a retention schedule, a student who left long ago whom the dry run would
remove, and a corrected record (issue 13)."""

import datetime as dt
import io

from django.core.management import call_command
from django.test import TestCase

from audit.models import StateChange
from privacy.demo import FORMER_UPN, load_privacy_demo
from privacy.models import RetentionRule
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school
from school.models import Student
from tests.base import make_person

TODAY = dt.date(2026, 11, 25)


class PrivacyDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_school(
            generate_school(
                Params(students_per_year=30, form_size=15, set_size=15, seed=7, today=TODAY)
            )
        )
        from conduct.roles import Role
        from pastoral.models import Discussion

        dsl = make_person("demo-dsl", "Dee", "Essel", Role.DSL)
        Discussion.objects.create(
            student=Student.objects.first(),
            recorded_by=dsl,
            recorded_at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
            said="Talked about friendships.",
        )
        from pastoral.models import Interview
        from sanctions.models import Placement, Provision

        placement = Placement.objects.create(
            student=Student.objects.first(),
            provision=Provision.objects.order_by("pk").first(),
            planned_days=1,
            starts_on=dt.date(2026, 11, 18),
            ends_on=dt.date(2026, 11, 18),
            booked_by=dsl,
        )
        cls.exit_interview = Interview.objects.create(
            placement=placement,
            kind=Interview.Kind.EXIT,
            due_on=dt.date(2026, 11, 18),
            status=Interview.Status.DONE,
            conducted_by=dsl,
            targets="Sit at the front; ask before leaving the room.",
        )
        cls.counts = load_privacy_demo(today=TODAY)

    def test_it_has_the_schedule_a_former_student_and_a_correction(self):
        self.assertEqual(RetentionRule.objects.count(), 4)
        self.assertEqual(
            self.counts, {"retention_rules": 4, "former_students": 1, "corrections": 2}
        )
        self.exit_interview.refresh_from_db()
        self.assertTrue(self.exit_interview.targets.startswith("In maths and science: Sit at"))
        self.assertTrue(StateChange.objects.filter(field="corrected:targets").exists())
        former = Student.objects.get(upn=FORMER_UPN)
        self.assertTrue(former.incidents.exists())
        self.assertTrue(StateChange.objects.filter(field="corrected:actions").exists())
        out = io.StringIO()
        call_command("apply_retention", stdout=out)
        self.assertIn("Kieran Ashworth", out.getvalue())
        self.assertEqual(load_privacy_demo(today=TODAY)["former_students"], 0)
