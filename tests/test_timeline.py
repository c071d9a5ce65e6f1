"""A student's timeline gathers every app's records, each linked only where the reader may go."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conduct import timeline
from pastoral.models import Level
from pastoral.selectors import timeline as pastoral_timeline
from pastoral.services import concerns, discussions
from patrol.models import OnCallReason
from patrol.selectors import timeline as patrol_timeline
from patrol.services import on_call, sent_out, sweeps, watch_list
from sanctions.models import AttendanceMark, Placement, PlacementDay, Referral, RoomLogEntry
from sanctions.services import referrals
from school.models import Student
from school.selectors import people as school_people
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    make_student,
    make_student_of_year_10,
)


def at(hhmm: str) -> dt.datetime:
    return TEN_FIFTEEN.replace(hour=int(hhmm[:2]), minute=int(hhmm[3:]))


class PatrolOnTheTimelineTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        on_call.on_call_reasons_ensure_defaults()
        call = on_call.on_call_request_raise(
            by=self.alice,
            reason=OnCallReason.objects.order_by("position").first(),
            room=self.room,
            teaching_class=self.maths_class,
            students=[self.student],
            now=at("10:01"),
        )
        on_call.on_call_request_claim(request_id=call.pk, by=self.bob, now=at("10:02"))
        on_call.on_call_request_resolve(
            request_id=call.pk, by=self.bob, outcome="settled", now=at("10:05")
        )
        sent = sent_out.sent_out_log(
            by=self.alice,
            student=self.student,
            reason="Shouting after two warnings",
            sent_to="corridor",
            teaching_class=self.maths_class,
            from_room=self.room,
            sent_at=at("10:06"),
            now=at("10:06"),
        )
        sent_out.sent_out_record_visit(
            sent_out_id=sent.pk, by=self.bob, outcome="returned", visited_at=at("10:08")
        )
        sweep = sweeps.sweep_start(by=self.bob, now=at("10:09"))
        sweeps.sweep_record_finding(
            sweep_id=sweep.pk,
            by=self.bob,
            student=self.student,
            found_where="Toilets by the hall",
            found_at=at("10:10"),
        )
        entry = watch_list.watch_list_add(
            by=self.charlie,
            student=self.student,
            reason="Low mood",
            review_on=WEDNESDAY + dt.timedelta(days=14),
            requested_by=self.charlie.staff,
        )
        watch_list.drop_in_record(entry_id=entry.pk, by=self.bob, engagement=4, note="On task")

    def test_it_shows_the_patrols_records_newest_first(self):
        entries = timeline.student_timeline(self.student, viewer=self.bob)
        patrol = [e for e in entries if e.kind in ("on-call", "sent-out", "found-out-of-lessons")]
        self.assertEqual(
            [(e.kind, e.title) for e in patrol],
            [
                ("found-out-of-lessons", "Found out of lessons"),
                ("sent-out", "Sent out of 9X/Ma1 in M4"),
                ("on-call", "On-call: Disrupting learning after warnings"),
            ],
        )
        self.assertIn("visited 10:08: spoken to and returned to the lesson", patrol[1].detail)
        self.assertIn("should have been in 9X/Ma1", patrol[0].detail)
        drop_in = next(e for e in entries if e.kind == "drop-in")
        self.assertEqual(drop_in.title, "Drop-in: 4 – Working well")

    def test_it_links_a_call_only_for_those_who_may_open_it(self):
        def call_url(viewer):
            return next(
                e.url
                for e in timeline.student_timeline(self.student, viewer=viewer)
                if e.kind == "on-call"
            )

        self.assertTrue(call_url(self.bob).startswith("/on-call/"))
        self.assertEqual(call_url(self.charlie), "")


class TimelineQueriesTest(SchoolDayTestCase):
    """The timeline reads each app's records in a fixed number of queries, however many there
    are and whatever they link to (escalations, decisions made before the history was kept)."""

    def add_records(self, day: dt.date):
        incident = self.walked_out()
        referral = referrals.referral_create(
            student=self.student, provision=self.ie, days=1, by=self.alice, incident=incident
        )
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        placement_day = placement.days.get()
        # The day's marks and log as the register writes them (the day has not come yet).
        AttendanceMark.objects.create(
            placement_day=placement_day,
            session="am",
            kind="late",
            at=dt.time(9, 0),
            recorded_by=self.bob,
        )
        RoomLogEntry.objects.create(
            placement_day=placement_day,
            kind="warning",
            at=dt.time(9, 50),
            note="Late",
            recorded_by=self.bob,
        )
        Placement.objects.create(
            student=self.student,
            provision=self.ie,
            planned_days=1,
            starts_on=day,
            ends_on=day,
            booked_by=self.evan,
            status=Placement.Status.COMPLETED,
            actual_days=1,
            closed_at=TEN_FIFTEEN,
        )
        # The ladder's referral after it, and one decided before referrals kept their history.
        Referral.objects.create(
            student=self.student,
            provision=self.ie,
            requested_by=self.bob,
            escalated_from=placement,
            note="Escalation ladder: second removal this week",
        )
        Referral.objects.create(
            student=self.student,
            provision=self.ie,
            requested_by=self.alice,
            status=Referral.Status.DECLINED,
            decided_by=self.charlie,
            decided_at=TEN_FIFTEEN,
            decision_note="Report card",
        )
        return placement

    def count(self) -> tuple[int, list]:
        timeline.student_timeline(self.student, viewer=self.bob)  # the viewer's roles, read once
        with CaptureQueriesContext(connection) as queries:
            entries = timeline.student_timeline(self.student, viewer=self.bob)
        return len(queries), entries

    def test_it_reads_the_same_number_of_queries_for_more_records(self):
        self.add_records(WEDNESDAY)
        few, entries = self.count()
        self.assertIn(
            ("decision", "Referral declined", "by Charlie Hughes · Report card"),
            [(e.kind, e.title, e.detail) for e in entries],
        )
        self.assertIn(
            ("referral", "Escalation ladder: referral for internal exclusion, 1 day"),
            [(e.kind, e.title) for e in entries],
        )
        for _ in range(3):
            self.add_records(WEDNESDAY)
        many, entries = self.count()
        self.assertEqual(many, few)
        self.assertEqual(len([e for e in entries if e.kind == "referral"]), 12)
        self.assertIn("morning late · 09:50 warning: Late", [e.detail for e in entries])

    def test_it_reads_no_decisions_for_a_student_never_referred_or_placed(self):
        self.walked_out()
        _, entries = self.count()
        self.assertEqual([e.kind for e in entries if e.kind == "incident"], ["incident"])
        with CaptureQueriesContext(connection) as queries:
            timeline.student_timeline(self.student, viewer=self.bob)
        read = " ".join(query["sql"] for query in queries.captured_queries)
        self.assertNotIn('"audit_statechange"', read)
        self.assertNotIn('"sanctions_placementday"', read)


class KindsReadWithTheStudentTest(SchoolDayTestCase):
    """The student's page reads which kinds of pastoral and patrol record a student has with the
    student themselves (one query): each flag is the student's own, as the apps' reads say."""

    def setUp(self):
        super().setUp()
        self.other = make_student_of_year_10()

    def kinds(self, student: Student) -> timeline.RecordKinds:
        with CaptureQueriesContext(connection) as queries:
            found, kinds = timeline.student_with_kinds(student.pk)
        self.assertEqual(len(queries), 1)
        profile = school_people.student_profile(student.pk)
        self.assertEqual(
            (found.pk, found.upn, found.year_group.number, found.form.code),
            (profile.pk, profile.upn, profile.year_group.number, profile.form.code),
        )
        # As each app reads them by itself.
        self.assertEqual(kinds.pastoral, pastoral_timeline.records_of(student))
        self.assertEqual(kinds.patrol, tuple(patrol_timeline._HAS(student.pk)[0]))
        return kinds

    def test_it_reads_no_kinds_for_a_student_with_no_records(self):
        kinds = self.kinds(self.student)
        self.assertFalse(any(vars(kinds.pastoral).values()))
        self.assertEqual(kinds.patrol, (False, False, False, False))

    def test_it_reads_each_kind_for_its_own_student_only(self):
        discussions.discussion_record(
            student=self.student,
            said="Upset at break",
            actions="",
            level=Level.STAFF,
            groups=(),
            by=self.bob,
        )
        concerns.concern_raise(
            student=self.other, what="Bruise", urgent=False, came_from="on_call", by=self.bob
        )
        sent_out.sent_out_log(
            by=self.alice,
            student=self.other,
            reason="Shouting",
            sent_to="corridor",
            teaching_class=self.maths_class,
            from_room=self.room,
            sent_at=at("10:06"),
            now=at("10:06"),
        )
        mine, theirs = self.kinds(self.student), self.kinds(self.other)
        self.assertEqual(
            [name for name, has in vars(mine.pastoral).items() if has], ["discussions"]
        )
        self.assertEqual(mine.patrol, (False, False, False, False))
        self.assertEqual([name for name, has in vars(theirs.pastoral).items() if has], ["concerns"])
        self.assertEqual(theirs.patrol, (False, True, False, False))

    def test_it_finds_no_student_for_an_unknown_id(self):
        with self.assertRaises(Student.DoesNotExist):
            timeline.student_with_kinds(self.other.pk + 100)


class DaysAndMarksTest(SchoolDayTestCase):
    """Each day in a room is read with its marks (one query): every active day of the student's
    once, with its own marks in session order, or "not marked"."""

    def place(self, student, *days: dt.date) -> list[PlacementDay]:
        placement = Placement.objects.create(
            student=student,
            provision=self.ie,
            planned_days=len(days),
            starts_on=days[0],
            ends_on=days[-1],
            booked_by=self.evan,
        )
        return [
            PlacementDay.objects.create(placement=placement, date=day, room=self.ie_room)
            for day in days
        ]

    def mark(self, day: PlacementDay, session: str, kind: str):
        AttendanceMark.objects.create(
            placement_day=day, session=session, kind=kind, at=dt.time(9), recorded_by=self.bob
        )

    def days(self) -> list[tuple]:
        entries = timeline.student_timeline(self.student, viewer=self.bob)
        return [(e.at.date(), e.detail) for e in entries if e.kind == "day"]

    def test_it_shows_each_day_with_its_own_marks(self):
        monday, tuesday = WEDNESDAY - dt.timedelta(days=2), WEDNESDAY - dt.timedelta(days=1)
        marked, unmarked, cancelled = self.place(self.student, monday, tuesday, WEDNESDAY)
        # Marked afternoon first: shown in session order.
        self.mark(marked, "pm", "present")
        self.mark(marked, "am", "late")
        cancelled.is_active = False
        cancelled.save()
        self.mark(cancelled, "am", "absent")
        # Another student's day, the same days, marked otherwise.
        other = make_student(upn="B123456789012", first="Mia", last="Okoro")
        (theirs,) = self.place(other, tuesday)
        self.mark(theirs, "am", "removed")
        self.assertEqual(
            self.days(),
            [(tuesday, "not marked"), (monday, "morning late, afternoon present")],
        )

    def test_it_shows_nothing_for_a_placement_without_days(self):
        self.place(self.student, WEDNESDAY)[0].delete()
        self.assertEqual(self.days(), [])
