"""Rectification (issue 13): a record is corrected with the text before and the reason kept in
its history, and shown with the record."""

from django.urls import reverse

from audit.models import StateChange
from pastoral.models import Level
from pastoral.services import discussions
from sanctions.models import ReasonCategory
from sanctions.services import incidents
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase


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


class GuardianCorrectionTest(SchoolDayTestCase):
    def test_a_parents_contact_details_are_corrected_and_a_bad_email_refused(self):
        from tests.base import make_guardian

        guardian = make_guardian(self.student)
        self.login(self.fay)
        url = reverse("record-correct", args=["guardian", guardian.pk])
        student_page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(student_page, url)
        response = self.client.post(
            url, {"field": "email", "value": "not an email", "reason": "Typo"}
        )
        self.assertContains(response, "Enter a valid email address")
        response = self.client.post(
            url,
            {"field": "email", "value": "kerry.w@example.com", "reason": "She gave a new address"},
        )
        self.assertRedirects(response, url)
        guardian.refresh_from_db()
        self.assertEqual(guardian.email, "kerry.w@example.com")
        self.assertContains(self.client.get(url), "She gave a new address")


class InterviewCorrectionTest(SchoolDayTestCase):
    def test_an_interview_account_is_corrected_and_shown_on_the_interview(self):
        from pastoral.models import Interview
        from sanctions.services import placements

        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        interview = placement.interviews.get(kind="entry")
        Interview.objects.filter(pk=interview.pk).update(
            status="done", conducted_by=self.bob, student_account="I threw the chair."
        )
        self.login(self.evan)
        url = reverse("record-correct", args=["interview", interview.pk])
        self.client.post(
            url,
            {
                "field": "student_account",
                "value": "I pushed the chair over.",
                "reason": "Jayden asked for his words to be put right; Mr Patel agreed",
            },
        )
        interview.refresh_from_db()
        self.assertEqual(interview.student_account, "I pushed the chair over.")
        page = self.client.get(reverse("interview-detail", args=[interview.pk]))
        self.assertContains(page, "Mr Patel agreed")
        self.assertContains(page, url)
