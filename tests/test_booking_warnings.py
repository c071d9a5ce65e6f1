"""What an approver weighs before booking a referral (`booking_warnings`): the student's days
already booked, their placements in the provision this half-term and the run of days out of
lessons, each read with SQL built once (issue 15)."""

import datetime as dt
from unittest import mock

from django.db.models.sql.compiler import SQLCompiler

from sanctions.selectors.referrals import booking_warnings
from sanctions.services import placements
from tests.base import WEDNESDAY, SchoolDayTestCase, make_student

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
MONDAY = WEDNESDAY + dt.timedelta(days=5)
TUESDAY = WEDNESDAY + dt.timedelta(days=6)


class BookingWarningsTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = make_student(upn="B123456789012", first="Maya", last="Cole", form=cls.form)
        book = placements.placement_book
        book(student=cls.student, provision=cls.rr, days=1, by=cls.bob, start_on=MONDAY)
        book(student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=THURSDAY)
        # Left out of the days booked: a cancelled placement, another student's, and a day before
        # the one asked (which counts in the run of days out: Wednesday to Monday).
        cancelled = book(
            student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=TUESDAY
        )
        placements.placement_cancel(placement=cancelled, by=cls.bob, reason="Resolved")
        book(student=cls.other, provision=cls.ie, days=1, by=cls.bob, start_on=THURSDAY)
        book(student=cls.student, provision=cls.ald, days=1, by=cls.bob, start_on=WEDNESDAY)
        cls.ie.warn_after_per_half_term = 1
        cls.ie.max_consecutive_days = 2

    def warnings(self, days=2):
        return {w.kind: w.message for w in booking_warnings(self.student, self.ie, days, THURSDAY)}

    def test_it_names_the_days_booked_in_date_order_the_placements_this_half_term_and_the_run(
        self,
    ):
        name = self.student.name
        self.assertEqual(
            self.warnings(days=2),
            {
                "booked": f"{name} is already booked: Thu 26 Nov (Internal exclusion), "
                "Mon 30 Nov (Reflection room).",
                "repeat": f"{name} has had 1 internal exclusion placement this half-term "
                "(Autumn 2).",
                "consecutive": f"This would keep {name} out of lessons for 4 school days in a "
                "row (the limit set for internal exclusion is 2).",
            },
        )

    def test_its_reads_are_built_once(self):
        self.warnings()
        with mock.patch.object(SQLCompiler, "as_sql", autospec=True) as built:
            again = self.warnings()
        built.assert_not_called()
        self.assertEqual(again, self.warnings())
