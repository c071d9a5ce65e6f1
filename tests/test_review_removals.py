"""The removals a review lists (pastoral.selectors.reviews.removal_history, read as the columns
the page shows, issue 15): the student's, a teacher's or a department's, newest first, cancelled
ones left out, each with the lesson and teacher from the slot removed from, else from the
referral's incident."""

import datetime as dt

from conduct.lib import wording
from pastoral.models import ReviewTask
from pastoral.selectors.reviews import Removal, removal_history, removal_rows
from sanctions.models import Placement, Referral
from tests.base import WEDNESDAY, SchoolDayTestCase, make_student


class RemovalHistoryTest(SchoolDayTestCase):
    def place(self, student, offset, **fields):
        day = WEDNESDAY + dt.timedelta(days=offset)
        return Placement.objects.create(
            student=student,
            provision=self.ie,
            planned_days=1,
            starts_on=day,
            ends_on=day,
            booked_by=self.bob,
            **fields,
        )

    def setUp(self):
        super().setUp()
        self.slot = self.maths_class.slots.first()
        self.slot.staff = self.alice.staff
        self.slot.save()
        self.alice.staff.department = self.maths
        self.alice.staff.save()
        incident = self.walked_out()
        incident.teaching_class = self.maths_class
        incident.save()
        referral = Referral.objects.create(
            student=self.student, incident=incident, provision=self.ie, requested_by=self.bob
        )
        self.place(self.student, 0)  # neither slot nor incident
        self.place(self.student, 1, removed_from=self.slot)
        self.place(self.student, 2, referral=referral)
        self.place(self.student, 5, status=Placement.Status.CANCELLED, removed_from=self.slot)
        self.ava = make_student(upn="B123456789012", first="Ava", last="Cole")
        self.place(self.ava, 6, removed_from=self.slot)

    def test_a_students_removals_newest_first_without_the_cancelled(self):
        task = ReviewTask(student=self.student)
        self.assertEqual(
            removal_history(task),
            [
                Removal(_day(2), "Jayden Walsh", "Internal exclusion", "9X/Ma1", "Ms A Teague"),
                Removal(_day(1), "Jayden Walsh", "Internal exclusion", "9X/Ma1", "Ms A Teague"),
                Removal(_day(0), "Jayden Walsh", "Internal exclusion", "", ""),
            ],
        )

    def test_a_teachers_removals_from_their_slots_and_their_incidents(self):
        task = ReviewTask(teacher=self.alice.staff)
        found = removal_history(task)
        self.assertEqual([r.day for r in found], [_day(6), _day(2), _day(1)])
        self.assertEqual(found[0].student_name, "Ava Cole")
        self.assertEqual({r.teacher for r in found}, {"Ms A Teague"})

    def test_a_departments_removals_each_once(self):
        task = ReviewTask(department=self.maths)
        self.assertEqual([r.day for r in removal_history(task)], [_day(6), _day(2), _day(1)])

    def test_the_rows_as_the_page_writes_them(self):
        rows = [Removal("Wed 5 Nov", "A <b>", "IE", "", "")]
        self.assertEqual(
            removal_rows(rows, with_student=True),
            "\n      <tr><td>Wed 5 Nov</td><td>A &lt;b&gt;</td><td>IE</td><td>–</td>"
            "<td>–</td></tr>\n    ",
        )
        self.assertNotIn("A &lt;b&gt;", removal_rows(rows, with_student=False))
        self.assertEqual(removal_rows([], with_student=True), "")


def _day(offset: int) -> str:
    return wording.short_day(WEDNESDAY + dt.timedelta(days=offset))
