"""Rectification (issue 13): a record is corrected with the text before and the reason kept in
its history, and shown with the record."""

from django.urls import reverse

from audit.models import StateChange
from pastoral.models import Level
from pastoral.services import discussions
from sanctions.models import ReasonCategory
from sanctions.services import incidents
from tests.base import TEN_FIFTEEN, SchoolDayTestCase


class CorrectionTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        self.discussion = discussions.discussion_record(
            student=self.student,
            said="Jayden said he hit Sam on Monday.",
            actions="",
            level=Level.PASTORAL,
            groups=(),
            by=self.bob,
        )

    def correct(self, user, kind, pk, **data):
        self.login(user)
        return self.client.post(reverse("record-correct", args=[kind, pk]), data)

    def test_a_discussion_is_corrected_with_its_reason_kept_and_shown(self):
        url = reverse("record-correct", args=["discussion", self.discussion.pk])
        response = self.correct(
            self.evan,
            "discussion",
            self.discussion.pk,
            field="said",
            value="Jayden said he pushed Sam on Tuesday.",
            reason="Jayden's mother showed it was Tuesday; he says pushed, not hit",
        )
        self.assertRedirects(response, url)
        self.discussion.refresh_from_db()
        self.assertEqual(self.discussion.said, "Jayden said he pushed Sam on Tuesday.")
        change = StateChange.objects.get(field="corrected:said")
        self.assertEqual((change.by, change.student), (self.evan, self.student))
        self.assertIn("Jayden said he hit Sam on Monday.", change.note)
        self.login(self.bob)
        page = self.client.get(reverse("discussion-detail", args=[self.discussion.pk]))
        self.assertContains(page, "he says pushed, not hit")
        self.assertContains(page, "Jayden said he hit Sam on Monday.")

    def test_it_needs_a_reason_and_a_change(self):
        response = self.correct(
            self.evan, "discussion", self.discussion.pk, field="said", value="New", reason=""
        )
        self.assertContains(response, "This field is required")
        response = self.correct(
            self.evan,
            "discussion",
            self.discussion.pk,
            field="said",
            value=self.discussion.said,
            reason="No change",
        )
        self.assertContains(response, "That is what the record already says")
        self.assertFalse(StateChange.objects.filter(field__startswith="corrected:").exists())

    def test_an_incident_and_a_students_details_can_be_corrected(self):
        reason = ReasonCategory.objects.first() or ReasonCategory.objects.create(
            code="DIS", name="Disruption"
        )
        incident = incidents.incident_record(
            occurred_at=TEN_FIFTEEN,
            location="Corridor",
            reason=reason,
            description="Threw a chair.",
            reported_by=self.alice.staff,
            by=self.alice,
            students=[(self.student, "perpetrator")],
        )
        self.correct(
            self.fay,
            "incident",
            incident.pk,
            field="description",
            value="Knocked a chair over.",
            reason="Witnesses agree it was knocked, not thrown",
        )
        incident.refresh_from_db()
        self.assertEqual(incident.description, "Knocked a chair over.")
        self.correct(
            self.fay,
            "student",
            self.student.pk,
            field="preferred_first_name",
            value="Jay",
            reason="The family asked for the name he uses",
        )
        self.student.refresh_from_db()
        self.assertEqual(self.student.first_name, "Jay")
        self.login(self.fay)
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(page, "The family asked for the name he uses")

    def test_child_protection_records_are_corrected_only_by_the_dsl(self):
        secret = discussions.discussion_record(
            student=self.student,
            said="Disclosure.",
            actions="",
            level=Level.CHILD_PROTECTION,
            groups=(),
            by=self.dana,
        )
        self.login(self.evan)
        url = reverse("record-correct", args=["discussion", secret.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.dana)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_an_unknown_kind_or_record_is_not_found(self):
        self.login(self.fay)
        self.assertEqual(
            self.client.get(reverse("record-correct", args=["nothing", 1])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("record-correct", args=["incident", 99999])).status_code, 404
        )
