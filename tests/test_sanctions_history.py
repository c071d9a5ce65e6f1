"""Every change of a referral or a placement is kept in its history with who made it, in the
same transaction; the student's timeline reads decisions and closes from it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import StateChange
from audit.selectors import corrections_of, history_of
from conduct import timeline
from pastoral.models import Level
from pastoral.services import discussions
from privacy.services import corrections
from sanctions.models import Placement, Referral
from sanctions.selectors import timeline as sanctions_timeline
from sanctions.services import placements, referrals, register
from tests.base import (
    LONDON,
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    make_student_of_year_10,
)

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
FRIDAY = WEDNESDAY + dt.timedelta(days=2)
TUESDAY = WEDNESDAY + dt.timedelta(days=6)


def changes(target) -> list[tuple]:
    return [
        (c.field, c.from_value, c.to_value, c.username, c.note, c.student_id, c.at)
        for c in history_of(target)
    ]


class SanctionsHistoryTest(SchoolDayTestCase):
    def refer(self, provision=None, days=1, by=None):
        return referrals.referral_create(
            student=self.student,
            provision=provision or self.ie,
            days=days,
            by=by or self.alice,
            note="Walked out",
        )

    def book(self, days=1, start_on=THURSDAY):
        return placements.placement_book(
            student=self.student, provision=self.ie, days=days, by=self.evan, start_on=start_on
        )

    def test_it_keeps_who_referred_and_who_approved(self):
        referral = self.refer(days=2)
        placement = referrals.referral_approve(referral=referral, by=self.charlie, note="Agreed")
        me = self.student.pk
        self.assertEqual(
            changes(referral),
            [
                ("status", "", "pending", "alice", "Walked out", me, TEN_FIFTEEN),
                ("status", "pending", "approved", "charlie", "Agreed", me, TEN_FIFTEEN),
            ],
        )
        self.assertEqual(
            changes(placement), [("status", "", "booked", "charlie", "", me, TEN_FIFTEEN)]
        )
        self.assertEqual(
            (placement.booked_by, placement.booked_at, referral.requested_at),
            (self.charlie, TEN_FIFTEEN, TEN_FIFTEEN),
        )

    def test_it_keeps_each_amendment_made_on_approval(self):
        referral = self.refer(days=3)
        referrals.referral_approve(referral=referral, by=self.evan, days=1, provision=self.ald)
        self.assertEqual(
            [(c.field, c.from_value, c.to_value, c.username) for c in history_of(referral)],
            [
                ("status", "", "pending", "alice"),
                ("days", "3", "1", "evan"),
                ("provision", "IE", "ALD", "evan"),
                ("status", "pending", "approved", "evan"),
            ],
        )

    def test_it_keeps_the_decline_with_its_reason(self):
        referral = self.refer()
        referrals.referral_decline(referral=referral, by=self.charlie, reason="Report card")
        self.assertEqual(
            changes(referral)[-1],
            (
                "status",
                "pending",
                "declined",
                "charlie",
                "Report card",
                self.student.pk,
                TEN_FIFTEEN,
            ),
        )

    def test_it_keeps_nothing_of_a_decision_that_lost_the_race(self):
        referral = self.refer()
        referrals.referral_approve(referral=referral, by=self.charlie)
        with self.assertRaises(ValidationError):
            referrals.referral_decline(referral=referral, by=self.evan, reason="Too late")
        self.assertEqual([c.to_value for c in history_of(referral)], ["pending", "approved"])

    def test_it_keeps_the_booking_with_who_booked_it_and_the_reflection_room_removal(self):
        placement = placements.reflection_room_removal(
            student=self.student, by=self.bob, teaching_class=self.maths_class, note="Swearing"
        )
        self.assertEqual(
            changes(placement),
            [("status", "", "booked", "bob", "Swearing", self.student.pk, TEN_FIFTEEN)],
        )

    def test_it_keeps_the_cancellation_and_who_cancelled(self):
        placement = self.book()
        placements.placement_cancel(placement=placement, by=self.charlie, reason="Wrong student")
        placement.refresh_from_db()
        self.assertEqual((placement.closed_by, placement.closed_at), (self.charlie, TEN_FIFTEEN))
        self.assertEqual(
            changes(placement)[-1],
            (
                "status",
                "booked",
                "cancelled",
                "charlie",
                "Wrong student",
                self.student.pk,
                TEN_FIFTEEN,
            ),
        )

    def test_it_keeps_the_move_from_one_first_day_to_another(self):
        placement = self.book()
        placements.placement_move(
            placement=placement, by=self.charlie, start_on=TUESDAY, reason="Trip"
        )
        self.assertEqual(
            changes(placement)[-1],
            (
                "starts_on",
                "2026-11-26",
                "2026-12-01",
                "charlie",
                "Trip",
                self.student.pk,
                TEN_FIFTEEN,
            ),
        )

    def test_it_keeps_who_completed_a_placement_when_the_day_is_closed(self):
        placement = self.book()
        line = placement.days.get()
        evening = dt.datetime.combine(THURSDAY, dt.time(15, 50), tzinfo=LONDON)
        freeze_clock(self, evening)
        for session in ("am", "pm"):
            register.mark_record(
                placement_day=line, session=session, kind="present", at=dt.time(9), by=self.bob
            )
        register.register_close(room=self.ie_room, date=THURSDAY, by=self.bob)
        placement.refresh_from_db()
        self.assertEqual((placement.status, placement.closed_by), ("completed", self.bob))
        self.assertEqual(
            changes(placement)[-1],
            ("status", "booked", "completed", "bob", "", self.student.pk, evening),
        )

    def test_it_keeps_the_failure_and_the_ladders_referral(self):
        placement = self.book(days=2, start_on=WEDNESDAY)
        [escalation] = register.placement_fail(
            placement_day=placement.days.first(), by=self.bob, note="Threw a chair", at=dt.time(11)
        )
        placement.refresh_from_db()
        self.assertEqual(placement.closed_by, self.bob)
        self.assertEqual(
            changes(placement)[-1],
            ("status", "booked", "failed", "bob", "Threw a chair", self.student.pk, TEN_FIFTEEN),
        )
        self.assertEqual(
            [(c.to_value, c.username) for c in history_of(escalation)], [("pending", "bob")]
        )

    def test_the_timeline_reads_decisions_and_closes_from_the_history(self):
        referral = self.refer()
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        placements.placement_cancel(placement=placement, by=self.evan, reason="Overturned")
        # The history says when it happened, whatever the rows' own fields say.
        decided = dt.datetime(2026, 11, 25, 11, 0, tzinfo=LONDON)
        cancelled = dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)
        history_of(referral).filter(to_value="approved").update(at=decided)
        history_of(placement).filter(to_value="cancelled").update(at=cancelled)
        entries = {e.kind: e for e in timeline.student_timeline(self.student, viewer=self.bob)}
        self.assertEqual(
            (entries["decision"].at, entries["decision"].title, entries["decision"].detail),
            (decided, "Referral approved", "by Charlie Hughes"),
        )
        self.assertEqual(
            (entries["placement"].at, entries["placement"].title, entries["placement"].detail),
            (cancelled, "Placement cancelled", "Internal exclusion · by Evan Price · Overturned"),
        )

    def test_the_timeline_still_shows_records_decided_before_they_had_history(self):
        referral = Referral.objects.create(
            student=self.student,
            provision=self.ie,
            requested_by=self.alice,
            status=Referral.Status.DECLINED,
            decided_by=self.charlie,
            decided_at=TEN_FIFTEEN,
            decision_note="Report card",
        )
        Placement.objects.create(
            student=self.student,
            provision=self.ie,
            referral=referral,
            planned_days=1,
            starts_on=THURSDAY,
            ends_on=THURSDAY,
            booked_by=self.evan,
            status=Placement.Status.COMPLETED,
            actual_days=1,
            closed_at=TEN_FIFTEEN,
        )
        self.assertFalse(StateChange.objects.exists())
        entries = {e.kind: e for e in timeline.student_timeline(self.student, viewer=self.bob)}
        self.assertEqual(
            (entries["decision"].title, entries["decision"].detail),
            ("Referral declined", "by Charlie Hughes · Report card"),
        )
        self.assertEqual(
            (entries["placement"].at, entries["placement"].title),
            (TEN_FIFTEEN, "Placement completed"),
        )


class StudentHistoryReadTest(SchoolDayTestCase):
    """A student's page reads the corrections of their details and their records' decisions and
    closes in one query: each part as its own read gives it, the student's own only."""

    def setUp(self):
        super().setUp()
        self.other = make_student_of_year_10()

    def correct(self, student, value):
        corrections.record_correct(
            kind="student",
            record=student,
            field="preferred_first_name",
            value=value,
            reason=f"Known as {value}",
            by=self.fay,
        )

    def decide(self, student):
        referral = referrals.referral_create(
            student=student, provision=self.ie, days=1, by=self.alice, note="Walked out"
        )
        placement = referrals.referral_approve(referral=referral, by=self.evan)
        placements.placement_cancel(placement=placement, by=self.evan, reason="Overturned")

    def history(self, student) -> timeline.StudentHistory:
        with CaptureQueriesContext(connection) as queries:
            found = timeline.student_history(student)
        self.assertEqual(len(queries), 1)
        # As the two reads it stands for give them.
        self.assertEqual(found.corrections, corrections_of(student))
        self.assertEqual(
            {
                key: {name: change[name] for name in sanctions_timeline.END_FIELDS}
                for key, change in found.ends.items()
            },
            sanctions_timeline._decisions_and_closes(student),
        )
        return found

    def test_it_reads_nothing_for_a_student_with_no_history(self):
        self.assertEqual(self.history(self.student), timeline.StudentHistory([], {}))

    def test_it_reads_corrections_alone(self):
        self.correct(self.student, "Jay")
        self.correct(self.student, "J")
        found = self.history(self.student)
        self.assertEqual([c.reason for c in found.corrections], ["Known as J", "Known as Jay"])
        self.assertEqual(found.ends, {})

    def test_it_reads_decisions_and_closes_alone(self):
        self.decide(self.student)
        found = self.history(self.student)
        self.assertEqual(found.corrections, [])
        self.assertEqual(
            sorted((kind, change["to_value"]) for (kind, _), change in found.ends.items()),
            [("sanctions.placement", "cancelled"), ("sanctions.referral", "approved")],
        )

    def test_it_reads_the_students_own_and_not_their_records_corrections(self):
        self.correct(self.student, "Jay")
        self.decide(self.student)
        # A correction of a record about them (not of their details), and another student's.
        discussion = discussions.discussion_record(
            student=self.student,
            said="Upset",
            actions="",
            level=Level.STAFF,
            groups=(),
            by=self.bob,
        )
        corrections.record_correct(
            kind="discussion",
            record=discussion,
            field="said",
            value="Upset at break",
            reason="When",
            by=self.bob,
        )
        self.correct(self.other, "Mimi")
        self.decide(self.other)
        mine, theirs = self.history(self.student), self.history(self.other)
        self.assertEqual([c.reason for c in mine.corrections], ["Known as Jay"])
        self.assertEqual([c.reason for c in theirs.corrections], ["Known as Mimi"])
        self.assertEqual(len(mine.ends), 2)
        self.assertEqual(len(theirs.ends), 2)
        self.assertFalse(set(mine.ends) & set(theirs.ends))
