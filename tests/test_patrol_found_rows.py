"""The page of students found out of lessons reads its rows as the columns it shows, with SQL
built once (`finding_values`), and writes them in Python (issue 15)."""

import datetime as dt

from django.urls import reverse

from patrol.models import SweepFinding
from patrol.selectors import sweeps as sweeps_selectors
from patrol.services import sweeps
from tests.base import SchoolDayTestCase, make_student


class FoundRowsTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()  # the school's clock stopped in a lesson
        sweep = sweeps.sweep_start(by=self.bob)
        self.found = []
        for i, where in enumerate(["Field <b>", "Canteen", "Yard", "Gate"]):
            student = make_student(upn=f"F{i:012d}", first=f"Kid{i}", form=self.form)
            self.found.append(
                sweeps.sweep_record_finding(
                    sweep_id=sweep.pk, by=self.bob, student=student, found_where=where, note="n&"
                )
            )
        sweeps.sweep_finish(sweep_id=sweep.pk, by=self.bob, areas="Field")
        # Found at different times: the first last, the third and fourth dealt with.
        for finding, minutes in zip(self.found, (30, 10, 20, 0), strict=True):
            SweepFinding.objects.filter(pk=finding.pk).update(
                found_at=finding.found_at - dt.timedelta(minutes=minutes)
            )
        sweeps.finding_mark_dealt_with(finding_id=self.found[3].pk, by=self.gita, note="Rang")
        sweeps.finding_mark_dealt_with(finding_id=self.found[2].pk, by=self.gita)
        # Found a month ago: not among those dealt with in the last two weeks.
        SweepFinding.objects.filter(pk=self.found[2].pk).update(
            found_at=self.found[2].found_at - dt.timedelta(days=30)
        )

    def test_it_reads_those_to_deal_with_oldest_first_and_those_dealt_with_since_a_day(self):
        since = self.found[0].found_at.date() - dt.timedelta(days=14)
        to_deal_with = sweeps_selectors.finding_values(dealt_with=False)
        dealt_with = sweeps_selectors.finding_values(dealt_with=True, since=since)
        self.assertEqual([row["pk"] for row in to_deal_with], [self.found[0].pk, self.found[1].pk])
        self.assertEqual([row["pk"] for row in dealt_with], [self.found[3].pk])
        first = to_deal_with[0]
        self.assertEqual(
            (first["found_where"], first["note"], first["student__legal_first_name"]),
            ("Field <b>", "n&", "Kid0"),
        )
        self.assertEqual(dealt_with[0]["dealt_with_note"], "Rang")
        self.assertEqual(dealt_with[0]["dealt_with_by__staff__id"], self.gita.staff.pk)
        # The same as `findings()`, which the services' tests use.
        self.assertEqual(
            [row["pk"] for row in to_deal_with],
            [f.pk for f in sweeps_selectors.findings(dealt_with=False)],
        )

    def test_its_page_writes_each_row_escaped(self):
        self.login(self.gita)
        page = self.client.get(reverse("found-out-of-lessons"))
        self.assertContains(page, "To deal with (2)")
        self.assertContains(page, 'Field &lt;b&gt;<br><span class="muted">n&amp;</span>')
        self.assertContains(page, "Dealt with<span", count=2)
        self.assertContains(page, f'<label for="dealt-{self.found[1].pk}"')
        self.assertContains(page, "· Ms G Shah · Rang</td>")
        self.assertNotContains(page, "Yard")  # dealt with, found a month ago
