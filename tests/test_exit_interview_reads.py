"""The exit interview's list of restorative meetings (issue 15): read as the columns it shows,
compiled; the placement's meetings with the student, newest first, not another placement's nor
another student's."""

import datetime as dt

from pastoral.models import Level, RestorativeMeeting
from pastoral.selectors import restorative as selectors
from sanctions.models import Placement
from tests.base import TEN_FIFTEEN, SchoolDayTestCase, make_student_of_year_10


class ExitInterviewReadsTest(SchoolDayTestCase):
    def place(self, student, day):
        return Placement.objects.create(
            student=student,
            provision=self.ie,
            planned_days=1,
            starts_on=day,
            ends_on=day,
            booked_by=self.bob,
        )

    def plan(self, student, placement, hours, **named):
        return RestorativeMeeting.objects.create(
            student=student,
            placement=placement,
            starts_at=TEN_FIFTEEN + dt.timedelta(hours=hours),
            place="Year 9 office",
            level=named.pop("level", Level.PASTORAL),
            planned_by=self.charlie,
            planned_at=TEN_FIFTEEN,
            **named,
        )

    def test_it_lists_the_placements_meetings_newest_first_with_whom(self):
        placement = self.place(self.student, dt.date(2026, 11, 26))
        other_placement = self.place(self.student, dt.date(2026, 11, 27))
        mia = make_student_of_year_10()
        earlier = self.plan(self.student, placement, 1, affected_staff=self.alice.staff)
        later = self.plan(
            self.student,
            placement,
            3,
            affected_staff=self.alice.staff,
            affected_student=mia,
            status=RestorativeMeeting.Status.HELD,
            outcome=RestorativeMeeting.Outcome.REPAIRED,
            level=Level.STAFF,
        )
        nobody = self.plan(self.student, placement, 2)
        self.plan(self.student, other_placement, 4, affected_staff=self.alice.staff)
        self.plan(mia, placement, 5, affected_staff=self.alice.staff)

        rows = selectors.restorative_meetings_after_placement(self.student, placement.pk)

        expected = [later, nobody, earlier]
        self.assertEqual([row.pk for row in rows], [m.pk for m in expected])
        self.assertEqual([row.with_whom for row in rows], [m.with_whom for m in expected])
        self.assertEqual(
            [(row.status_label, row.outcome, row.outcome_label) for row in rows],
            [(m.get_status_display(), m.outcome, m.get_outcome_display()) for m in expected],
        )
        self.assertEqual(
            [(row.starts_at, row.level, row.planned_by_id) for row in rows],
            [(m.starts_at, m.level, m.planned_by_id) for m in expected],
        )
        self.assertEqual(rows[1].with_whom, "those affected")
        self.assertIs(rows[0].student, self.student)
