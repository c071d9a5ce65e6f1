"""Interventions: from the school's list, with an owner and a review date; agreed at a meeting;
the reviews due show on the owner's home page; a review carries on, extends, changes or ends it;
the student's page shows the history."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from pastoral.models import Intervention, InterventionReview, InterventionType
from pastoral.selectors import interventions as selectors
from pastoral.services import interventions, meetings
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    make_guardian,
    make_student,
)


class InterventionTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_guardian(cls.student)
        cls.report_card = InterventionType.objects.get(name="Report card")
        cls.mentoring = InterventionType.objects.get(name="Mentoring")

    def start(self, **kwargs):
        kwargs.setdefault("kind", self.report_card)
        kwargs.setdefault("owner", self.charlie)
        kwargs.setdefault("review_on", WEDNESDAY + dt.timedelta(days=14))
        kwargs.setdefault("target", "Arrives on time with equipment to every lesson")
        return interventions.intervention_start(student=self.student, by=self.charlie, **kwargs)

    def test_the_school_starts_with_the_usual_list(self):
        self.assertEqual(
            list(InterventionType.objects.values_list("name", flat=True)),
            [
                "Report card",
                "Mentoring",
                "Restorative meeting",
                "Anger management",
                "SEN assessment",
                "Referral to an outside agency",
                "Parenting contract",
                "Timetable change",
            ],
        )

    def test_two_agreed_at_a_meeting_show_when_due_on_the_owners_home_page(self):
        meeting = meetings.meeting_invite(
            student=self.student,
            starts_at=TEN_FIFTEEN + dt.timedelta(hours=6),
            place="Student services",
            purpose="to agree support",
            by=self.charlie,
        ).meeting
        first = self.start(meeting=meeting, review_on=WEDNESDAY + dt.timedelta(days=5))
        second = self.start(
            meeting=meeting, kind=self.mentoring, owner=self.bob, target="Weekly check-in"
        )
        self.assertEqual(list(meeting.interventions.all()), [first, second])
        self.login(self.charlie)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Intervention reviews due")
        self.assertContains(home, "Report card")
        self.assertNotContains(home, "Weekly check-in")  # Bob's, and not due this week
        freeze_clock(self, TEN_FIFTEEN + dt.timedelta(days=14))
        due = selectors.reviews_due(owner=self.bob, today=WEDNESDAY + dt.timedelta(days=14))
        self.assertEqual([row.pk for row in due], [second.pk])

    def test_it_reads_the_first_reviews_due_and_counts_the_rest(self):
        # One owner with ten reviews due this week: the home page reads the first eight and the
        # count, and says how many more.
        for n in range(10):
            self.start(review_on=WEDNESDAY + dt.timedelta(days=3), target=f"Target {n}")
        due = selectors.reviews_due(owner=self.charlie, today=WEDNESDAY)
        self.assertEqual([row.target for row in due], [f"Target {n}" for n in range(8)])
        self.assertEqual((due.total, due.more), (10, 2))
        self.login(self.charlie)
        home = self.client.get(reverse("home"))
        self.assertContains(home, 'Intervention reviews due <span class="count">10</span>')
        self.assertContains(home, "Target 7")
        self.assertNotContains(home, "Target 8")
        self.assertContains(home, "and 2 more: the oldest are shown first.")

    def test_a_review_extends_changes_or_ends_it(self):
        intervention = self.start()
        freeze_clock(self, TEN_FIFTEEN + dt.timedelta(days=14))
        today = WEDNESDAY + dt.timedelta(days=14)
        with self.assertRaises(ValidationError):
            interventions.intervention_review(
                intervention=intervention, progress="Better", decision="extend", by=self.charlie
            )
        interventions.intervention_review(
            intervention=intervention,
            progress="On time 4 days out of 5",
            decision="extend",
            next_review_on=today + dt.timedelta(days=7),
            by=self.charlie,
        )
        interventions.intervention_review(
            intervention=intervention,
            progress="Equipment still missing",
            decision="change",
            kind=self.mentoring,
            next_review_on=today + dt.timedelta(days=14),
            by=self.charlie,
        )
        intervention.refresh_from_db()
        self.assertEqual(
            (intervention.kind, intervention.review_on),
            (self.mentoring, today + dt.timedelta(days=14)),
        )
        interventions.intervention_review(
            intervention=intervention, progress="Targets met", decision="end", by=self.charlie
        )
        intervention.refresh_from_db()
        self.assertEqual(
            (intervention.status, intervention.outcome), (Intervention.Status.ENDED, "Targets met")
        )
        with self.assertRaisesMessage(ValidationError, "has ended"):
            interventions.intervention_review(
                intervention=intervention, progress="x", decision="end", by=self.charlie
            )
        self.login(self.charlie)
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(page, "Mentoring (ended)")
        self.assertContains(page, "change it")

    def test_it_refuses_a_review_date_before_the_start_and_an_empty_target(self):
        with self.assertRaises(ValidationError) as caught:
            self.start(review_on=WEDNESDAY, target=" ")
        self.assertEqual(set(caught.exception.message_dict), {"review_on", "target"})

    def test_the_students_page_reads_each_with_its_own_reviews_in_order(self):
        first = self.start(starts_on=WEDNESDAY - dt.timedelta(days=7))
        second = self.start(kind=self.mentoring)
        other = make_student(upn="B123456789012", first="Mia", last="Okoro")
        theirs = interventions.intervention_start(
            student=other,
            by=self.charlie,
            kind=self.report_card,
            owner=self.charlie,
            review_on=WEDNESDAY + dt.timedelta(days=14),
            target="Calm at lunch",
        )

        def review(intervention, days, decision):
            InterventionReview.objects.create(
                intervention=intervention,
                progress="Seen",
                decision=decision,
                reviewed_by=self.charlie,
                reviewed_at=TEN_FIFTEEN + dt.timedelta(days=days),
            )

        # Written out of order: read in the order they were held.
        review(first, 2, "change")
        review(first, 1, "extend")
        review(theirs, 1, "end")
        with self.assertNumQueries(1):
            found = selectors.interventions_for_student(self.student)
        self.assertEqual(
            [(row.pk, row.kind, row.reviews) for row in found],
            [
                (second.pk, "Mentoring", ()),
                (
                    first.pk,
                    "Report card",
                    (
                        (TEN_FIFTEEN + dt.timedelta(days=1), "Extend"),
                        (TEN_FIFTEEN + dt.timedelta(days=2), "Change it"),
                    ),
                ),
            ],
        )
        self.assertEqual(
            selectors.interventions_for_student(make_student(upn="C1", first="Al")), []
        )
