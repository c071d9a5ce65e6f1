"""Two people editing the same record (issue 13): no silent overwrite, the second is told.

Edit forms that carry what the person saw: moving a placement (the first day seen) and a
programme task (a token of its words, conduct.lib.versions). Decisions
and records done once (a referral's decision, an entry or exit interview, a discussion's level)
are already settled by a conditional UPDATE, so the second person is told it was decided."""

from django.urls import reverse

from sanctions.models import Placement
from sanctions.services import referrals
from tests.base import SchoolDayTestCase
from tests.test_room_day import FRIDAY, THURSDAY, RoomDayBase
from tests.work_fixtures import temporary_media
from work.models import Programme, ProgrammeTask


class PlacementMoveConflictTest(RoomDayBase):
    def test_the_second_person_moving_a_placement_is_told_not_overwritten(self):
        referral = referrals.referral_create(
            student=self.student, provision=self.ie, days=1, by=self.alice
        )
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        self.assertEqual(placement.starts_on, THURSDAY)
        page = reverse("referral-detail", args=[referral.pk])
        move = reverse("placement-move", args=[placement.pk])
        # Both open the referral's page while the placement starts on Thursday.
        self.login(self.charlie)
        self.assertContains(self.client.get(page), 'name="seen_start" value="2026-11-26"')
        # The first moves it to Friday.
        self.client.post(
            move, {"start_on": FRIDAY.isoformat(), "reason": "Trip", "seen_start": "2026-11-26"}
        )
        placement.refresh_from_db()
        self.assertEqual(placement.starts_on, FRIDAY)
        # The second, from the page they opened before, asks for Monday: refused, and told.
        self.login(self.evan)
        response = self.client.post(
            move,
            {"start_on": "2026-11-30", "reason": "Exam", "seen_start": "2026-11-26"},
            follow=True,
        )
        self.assertContains(response, "Someone else moved this placement while you had the page")
        self.assertContains(response, "it now starts on Friday 27 November")
        placement = Placement.objects.get(pk=placement.pk)
        self.assertEqual(placement.starts_on, FRIDAY)
        self.assertIn("Trip", placement.note)
        self.assertNotIn("Exam", placement.note)
        # Having seen Friday, the second person may move it.
        self.client.post(
            move, {"start_on": "2026-11-30", "reason": "Exam", "seen_start": "2026-11-27"}
        )
        placement.refresh_from_db()
        self.assertEqual(placement.starts_on.isoformat(), "2026-11-30")


class ProgrammeTaskConflictTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        programme = Programme.objects.create(subject=cls.maths_class.subject, year_group=cls.year9)
        cls.task = ProgrammeTask.objects.create(
            programme=programme, title="Fractions", instructions="Exercise 3A"
        )

    def setUp(self):
        super().setUp()
        temporary_media(self)

    def test_the_second_person_saving_a_task_is_told_not_overwritten(self):
        url = reverse("programme-task-edit", args=[self.task.pk])
        self.login(self.hugo)
        form = self.client.get(url)
        seen = form.context["seen"]
        self.assertContains(form, f'name="seen" value="{seen}"')
        # Two people opened the task; the first saves.
        first = self.client.post(
            url, {"title": "Fractions", "instructions": "Exercise 3B", "link": "", "seen": seen}
        )
        self.assertEqual(first.status_code, 302)
        # The second saves from what they saw before: told, and the first's words stay.
        second = self.client.post(
            url, {"title": "Fractions", "instructions": "Exercise 9Z", "link": "", "seen": seen}
        )
        self.assertContains(second, "Someone else changed this task while you were editing it")
        self.task.refresh_from_db()
        self.assertEqual(self.task.instructions, "Exercise 3B")
        # Opened again, the new version saves.
        seen = self.client.get(url).context["seen"]
        self.client.post(
            url, {"title": "Fractions", "instructions": "Exercise 9Z", "link": "", "seen": seen}
        )
        self.task.refresh_from_db()
        self.assertEqual(self.task.instructions, "Exercise 9Z")
