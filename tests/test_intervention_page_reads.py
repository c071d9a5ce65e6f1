"""The intervention page's reads (issue 15): the intervention as the columns its page shows,
compiled; its own reviews oldest first, not another intervention's."""

import datetime as dt

from pastoral.models import Intervention, InterventionReview, InterventionType
from pastoral.selectors import interventions as selectors
from tests.base import TEN_FIFTEEN, SchoolDayTestCase


class InterventionPageReadsTest(SchoolDayTestCase):
    def set(self, kind, target):
        return Intervention.objects.create(
            student=self.student,
            kind=kind,
            owner=self.charlie,
            starts_on=TEN_FIFTEEN.date(),
            review_on=dt.date(2026, 12, 14),
            target=target,
            set_by=self.charlie,
        )

    def review(self, intervention, days, by, **fields):
        return InterventionReview.objects.create(
            intervention=intervention,
            progress=fields.pop("progress", "Going well"),
            decision=fields.pop("decision", InterventionReview.Decision.CONTINUE),
            reviewed_by=by,
            reviewed_at=TEN_FIFTEEN + dt.timedelta(days=days),
            **fields,
        )

    def test_it_reads_the_intervention_and_its_reviews_oldest_first(self):
        report_card = InterventionType.objects.get(name="Report card")
        intervention = self.set(report_card, "On time to lessons")
        other = self.set(report_card, "Another")
        later = self.review(intervention, 2, self.charlie, next_review_on=dt.date(2026, 12, 20))
        earlier = self.review(intervention, 1, self.bob, progress="Slow start")
        self.review(other, 3, self.bob, progress="Not this one's")

        page = selectors.intervention_page(intervention.pk)

        self.assertEqual(
            (page.pk, page.kind, page.owner_id, page.owner_name, page.target),
            (
                intervention.pk,
                "Report card",
                self.charlie.pk,
                self.charlie.get_full_name(),
                "On time to lessons",
            ),
        )
        self.assertEqual((page.status, page.status_label, page.outcome), ("active", "Active", ""))
        self.assertEqual(
            (page.starts_on, page.review_on), (intervention.starts_on, intervention.review_on)
        )
        self.assertIsNone(page.meeting)
        self.assertEqual(str(page.student), str(self.student))
        self.assertEqual(page.student.year_group_id, self.student.year_group_id)
        self.assertEqual(
            [
                (r.reviewed_at, r.reviewer_name, r.decision_label, r.next_review_on, r.progress)
                for r in page.reviews
            ],
            [
                (
                    r.reviewed_at,
                    r.reviewed_by.get_full_name(),
                    r.get_decision_display(),
                    r.next_review_on,
                    r.progress,
                )
                for r in (earlier, later)
            ],
        )
        self.assertIsNone(selectors.intervention_page(other.pk + 1000))
