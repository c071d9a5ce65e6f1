"""Interviews: the entry interview planned for a placement, cancelled or moved with it, and read
for the student's timeline."""

import datetime as dt

from pastoral import policies
from pastoral.models import Interview
from pastoral.selectors import interviews as selectors
from pastoral.services import interviews as services
from sanctions.models import Placement
from school import policies as school_policies
from tests.base import WEDNESDAY, ConductTestCase, make_student
from tests.sanctions_fixtures import make_provision_rooms

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
TUESDAY = WEDNESDAY + dt.timedelta(days=6)


class InterviewTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_provision_rooms(cls)
        cls.placement = cls.place(cls.student)

    @classmethod
    def place(cls, student):
        return Placement.objects.create(
            student=student,
            provision=cls.ie,
            planned_days=1,
            starts_on=THURSDAY,
            ends_on=THURSDAY,
            booked_by=cls.evan,
        )

    def exit_interview_done(self):
        return Interview.objects.create(
            placement=self.placement,
            kind=Interview.Kind.EXIT,
            due_on=THURSDAY,
            status=Interview.Status.DONE,
        )

    def test_it_plans_the_entry_interview_for_the_first_day(self):
        interview = services.entry_interview_plan(placement=self.placement, due_on=THURSDAY)
        self.assertEqual(
            (interview.placement, interview.kind, interview.due_on, interview.status),
            (self.placement, "entry", THURSDAY, "to_do"),
        )

    def test_it_cancels_only_the_interviews_still_to_do(self):
        entry = services.entry_interview_plan(placement=self.placement, due_on=THURSDAY)
        done = self.exit_interview_done()
        self.assertEqual(services.interviews_cancel(placement=self.placement), 1)
        entry.refresh_from_db()
        done.refresh_from_db()
        self.assertEqual((entry.status, done.status), ("cancelled", "done"))

    def test_it_moves_only_the_interviews_still_to_do(self):
        entry = services.entry_interview_plan(placement=self.placement, due_on=THURSDAY)
        done = self.exit_interview_done()
        self.assertEqual(services.interviews_move(placement=self.placement, due_on=TUESDAY), 1)
        entry.refresh_from_db()
        done.refresh_from_db()
        self.assertEqual((entry.due_on, done.due_on), (TUESDAY, THURSDAY))

    def test_it_reads_a_students_interviews_and_nobody_elses(self):
        other = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        services.entry_interview_plan(placement=self.place(other), due_on=THURSDAY)
        entry = services.entry_interview_plan(placement=self.placement, due_on=THURSDAY)
        done = self.exit_interview_done()
        self.assertEqual(list(selectors.interviews_for_student(self.student)), [entry, done])

    def test_it_shows_interviews_to_whoever_may_see_the_students_needs(self):
        people = [self.alice, self.bob, self.charlie, self.dana, self.evan, self.fay, self.gita]
        people += [self.hugo, self.olive]
        for person in people:
            with self.subTest(person=person.username):
                self.assertEqual(
                    policies.can_view_interviews(person, self.student),
                    school_policies.can_view_student_sensitive(person, self.student),
                )
        self.assertTrue(policies.can_view_interviews(self.charlie, self.student))
        self.assertFalse(policies.can_view_interviews(self.alice, self.student))
