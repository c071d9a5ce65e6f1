"""Rectification (issue 13): a record is corrected with the text before and the reason kept in
its history, and shown with the record."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import StateChange
from pastoral.models import Interview, Level
from pastoral.services import discussions
from privacy.services import corrections
from sanctions.models import Placement, ReasonCategory, Referral
from sanctions.services import incidents, placements
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase

# The referral page's queries for SLT when the referral has an incident with corrections.
PINNED_REFERRAL_WITH_INCIDENT = 12


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


class CorrectionsWhereRecordsAreShownTest(SchoolDayTestCase):
    """Corrections on the exit interview's page and wherever an incident is shown (issue 13)."""

    def setUp(self):
        super().setUp()
        reason = ReasonCategory.objects.first() or ReasonCategory.objects.create(
            code="DIS", name="Disruption"
        )
        self.incident = incidents.incident_record(
            occurred_at=TEN_FIFTEEN,
            location="Corridor",
            reason=reason,
            description="Threw a chair.",
            reported_by=self.alice.staff,
            by=self.alice,
            students=[(self.student, "perpetrator")],
        )
        self.referral = Referral.objects.create(
            student=self.student,
            provision=self.ie,
            days=1,
            requested_by=self.alice,
            incident=self.incident,
        )

    def correct_incident(self, n: int):
        made = getattr(self, "made", 0)
        self.made = made + n
        for i in range(made, made + n):
            corrections.record_correct(
                kind="incident",
                record=self.incident,
                field="description",
                value=f"Knocked a chair over ({i}).",
                reason=f"Witnesses agree ({i})",
                by=self.fay,
            )

    def test_an_exit_interview_is_corrected_and_shown_on_its_page(self):
        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        exit_interview = Interview.objects.create(
            placement=placement,
            kind=Interview.Kind.EXIT,
            due_on=WEDNESDAY,
            status=Interview.Status.DONE,
            conducted_by=self.bob,
            targets="Sit at the front in maths.",
        )
        self.login(self.evan)
        page_url = reverse("exit-interview", args=[placement.pk])
        url = reverse("record-correct", args=["exit-interview", exit_interview.pk])
        self.assertContains(self.client.get(page_url), url)
        response = self.client.post(
            url,
            {
                "field": "targets",
                "value": "Sit at the front in science.",
                "reason": "The subject was written wrongly; Mr Patel agreed",
            },
        )
        self.assertRedirects(response, url)
        exit_interview.refresh_from_db()
        self.assertEqual(exit_interview.targets, "Sit at the front in science.")
        page = self.client.get(page_url)
        self.assertContains(page, "Mr Patel agreed")
        self.assertContains(page, "Sit at the front in maths.")  # the text before, kept
        # The restorative answers are not offered; an entry interview is not an exit interview.
        self.assertEqual(
            self.client.post(url, {"field": "answers", "value": "x", "reason": "y"}).status_code,
            200,
        )
        exit_interview.refresh_from_db()
        self.assertEqual(exit_interview.targets, "Sit at the front in science.")
        entry = placement.interviews.get(kind="entry")
        wrong = reverse("record-correct", args=["exit-interview", entry.pk])
        self.assertEqual(self.client.get(wrong).status_code, 404)

    def test_the_entry_interview_links_to_correcting_its_incident(self):
        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        Placement.objects.filter(pk=placement.pk).update(referral=self.referral)
        entry = placement.interviews.get(kind="entry")
        url = reverse("record-correct", args=["incident", self.incident.pk])
        self.login(self.evan)
        self.assertContains(self.client.get(reverse("interview-detail", args=[entry.pk])), url)
        self.login(self.bob)  # may hold interviews, may not correct records
        self.assertNotContains(self.client.get(reverse("interview-detail", args=[entry.pk])), url)

    def test_the_referral_page_with_an_incident_runs_a_fixed_number_of_queries(self):
        url = reverse("referral-detail", args=[self.referral.pk])
        self.login(self.evan)
        counts = []
        for corrections_made in (1, 3):
            self.correct_incident(corrections_made)
            self.client.get(url)  # warm the process's caches
            with CaptureQueriesContext(connection) as queries:
                page = self.client.get(url)
            self.assertContains(page, "Witnesses agree (0)")
            self.assertContains(
                page, reverse("record-correct", args=["incident", self.incident.pk])
            )
            counts.append(len(queries))
        # tests/test_query_counts.py pins this page for the matrix's referral, which has no
        # incident. With one, the incident, its room and reporter come with the referral (one
        # join) and its corrections are one query however many there are; the rest of the 12
        # are the pending referral's booking warnings and the session, user and audit write.
        self.assertEqual(counts, [PINNED_REFERRAL_WITH_INCIDENT] * 2)
