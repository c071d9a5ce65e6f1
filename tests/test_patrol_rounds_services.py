"""Patrol rounds: students sent out and the visit, corridor sweeps and the students they find,
the watch list and drop-ins, the duty rota and its coverage check, and where watched students
are now (in a fixed number of queries)."""

import datetime as dt
from unittest import mock

from django.core.exceptions import ValidationError

from audit.selectors import history_of
from conduct.lib.errors import ActionRefused
from patrol.models import DropIn, Duty, SentOut, StaffAbsence, Sweep, SweepFinding, WatchListEntry
from patrol.selectors import rota as rota_selectors
from patrol.selectors import sent_out as sent_out_selectors
from patrol.selectors import sweeps as sweeps_selectors
from patrol.selectors import watch_list as watch_list_selectors
from patrol.services import rota as rota_services
from patrol.services import sent_out as sent_out_services
from patrol.services import sweeps as sweeps_services
from patrol.services import watch_list as watch_list_services
from sanctions.models import Placement, PlacementDay
from school.models import Enrolment, Room, TeachingClass, TimetableSlot
from tests.base import (
    LONDON,
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    make_student,
)

MONDAY = WEDNESDAY - dt.timedelta(days=2)


def at(hh_mm: str, day: dt.date = WEDNESDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hh_mm), tzinfo=LONDON)


class PatrolCase(SchoolDayTestCase):
    def setUp(self):
        # sanctions.services imported the clock by name: the reflection room removal reads it
        # there.
        freeze_clock(self, TEN_FIFTEEN)


class SentOutTest(PatrolCase):
    def log(self, **extra):
        fields = {
            "by": self.alice,
            "student": self.student,
            "reason": "Shouting across the room after two warnings",
            "sent_to": SentOut.Destination.CORRIDOR,
            "teaching_class": self.maths_class,
            "from_room": self.room,
            "period": self.periods["P2"],
            "sent_at": at("10:10"),
            "now": TEN_FIFTEEN,
        } | extra
        return sent_out_services.sent_out_log(**fields)

    def test_it_logs_a_student_sent_out_as_a_visit_to_make(self):
        sent = self.log()
        [card] = sent_out_selectors.sent_out_to_visit(now=TEN_FIFTEEN)
        self.assertEqual((card.pk, card.waiting, card.booked_today), (sent.pk, "5 min", ""))
        self.assertEqual((sent.logged_at, sent.outcome), (TEN_FIFTEEN, ""))

    def test_it_says_what_is_missing_and_saves_nothing(self):
        with self.assertRaises(ValidationError) as caught:
            self.log(reason="  ", sent_to=SentOut.Destination.BUDDY_ROOM)
        self.assertEqual(
            caught.exception.message_dict,
            {
                "reason": ["Say why the student was sent out."],
                "sent_to_room": ["Choose the buddy room the student was sent to."],
            },
        )
        with self.assertRaisesMessage(ValidationError, "can't be in the future"):
            self.log(sent_at=at("11:00"))
        with self.assertRaisesMessage(ValidationError, "which lesson or room"):
            self.log(teaching_class=None, from_room=None)
        self.assertFalse(SentOut.objects.exists())

    def test_it_records_the_visit_once(self):
        sent = self.log()
        sent_out_services.sent_out_record_visit(
            sent_out_id=sent.pk, by=self.bob, outcome="returned", visited_at=at("10:14")
        )
        sent.refresh_from_db()
        self.assertEqual(
            (sent.outcome, sent.visited_by, sent.visited_at, sent.outcome_at),
            ("returned", self.bob, at("10:14"), TEN_FIFTEEN),
        )
        self.assertEqual(sent_out_selectors.sent_out_to_visit(now=TEN_FIFTEEN), [])
        with self.assertRaisesMessage(ActionRefused, "Mr B Patel already recorded"):
            sent_out_services.sent_out_record_visit(
                sent_out_id=sent.pk, by=self.evan, outcome="returned"
            )

    def test_it_refuses_a_visit_before_the_student_was_sent_out(self):
        sent = self.log()
        with self.assertRaisesMessage(ValidationError, "before the student was sent out (10:10)"):
            sent_out_services.sent_out_record_visit(
                sent_out_id=sent.pk, by=self.bob, outcome="returned", visited_at=at("10:05")
            )
        with self.assertRaisesMessage(ValidationError, "Say where the student was taken"):
            sent_out_services.sent_out_record_visit(
                sent_out_id=sent.pk, by=self.bob, outcome="elsewhere"
            )
        sent.refresh_from_db()
        self.assertEqual(sent.outcome, "")

    def test_it_removes_to_the_reflection_room_through_the_on_call_path(self):
        sent = self.log()
        sent_out_services.sent_out_record_visit(sent_out_id=sent.pk, by=self.bob, outcome="removed")
        sent.refresh_from_db()
        placement = Placement.objects.get()
        self.assertEqual(sent.placement, placement)
        self.assertEqual((placement.provision, placement.starts_on), (self.rr, WEDNESDAY))
        self.assertEqual(placement.removed_from.teaching_class, self.maths_class)

    def test_it_undoes_the_visit_when_the_reflection_room_cannot_take_the_student(self):
        sent = self.log()
        full = mock.Mock(side_effect=ValidationError("The reflection room is full"))
        with (
            mock.patch("sanctions.services.placements.reflection_room_removal", full),
            self.assertRaisesMessage(ValidationError, "full"),
        ):
            sent_out_services.sent_out_record_visit(
                sent_out_id=sent.pk, by=self.bob, outcome="removed"
            )
        sent.refresh_from_db()
        self.assertEqual((sent.outcome, sent.visited_by), ("", None))


class SweepTest(PatrolCase):
    def test_it_records_a_sweep_and_what_it_found_with_the_lesson_missed(self):
        sweep = sweeps_services.sweep_start(by=self.bob, now=at("10:05"))
        finding = sweeps_services.sweep_record_finding(
            sweep_id=sweep.pk,
            by=self.bob,
            student=self.student,
            found_where="Toilets by the sports hall",
            found_at=at("10:12"),
        )
        self.assertEqual(
            (finding.period, finding.should_be_class, finding.should_be_room),
            (self.periods["P2"], self.maths_class, self.room),
        )
        self.assertEqual(finding.should_be_teacher, self.alice.staff)
        sweeps_services.sweep_finish(
            sweep_id=sweep.pk, by=self.bob, rooms=[self.room], areas="Science corridor"
        )
        sweep.refresh_from_db()
        self.assertEqual((sweep.started_at, sweep.ended_at), (at("10:05"), TEN_FIFTEEN))
        self.assertEqual(list(sweep.rooms.all()), [self.room])
        self.assertEqual(sweeps_selectors.findings(dealt_with=False), [finding])

    def test_it_keeps_one_sweep_at_a_time_and_only_the_walkers_own(self):
        sweep = sweeps_services.sweep_start(by=self.bob)
        with self.assertRaisesMessage(ActionRefused, "already have a sweep running since 10:15"):
            sweeps_services.sweep_start(by=self.bob)
        with self.assertRaisesMessage(ActionRefused, "not your sweep"):
            sweeps_services.sweep_record_finding(
                sweep_id=sweep.pk, by=self.evan, student=self.student, found_where="Hall"
            )
        with self.assertRaisesMessage(ValidationError, "Say where you went"):
            sweeps_services.sweep_finish(sweep_id=sweep.pk, by=self.bob, areas=" ")
        self.assertEqual(Sweep.objects.filter(ended_at__isnull=True).count(), 1)
        self.assertFalse(SweepFinding.objects.exists())

    def test_it_lets_attendance_mark_a_finding_dealt_with_once(self):
        sweep = sweeps_services.sweep_start(by=self.bob)
        finding = sweeps_services.sweep_record_finding(
            sweep_id=sweep.pk, by=self.bob, student=self.student, found_where="Field"
        )
        sweeps_services.finding_mark_dealt_with(finding_id=finding.pk, by=self.gita, note="Rang")
        self.assertEqual(sweeps_selectors.findings(dealt_with=False), [])
        self.assertEqual(sweeps_selectors.findings(dealt_with=True), [finding])
        with self.assertRaisesMessage(ActionRefused, "Ms G Shah already marked"):
            sweeps_services.finding_mark_dealt_with(finding_id=finding.pk, by=self.evan)


class WatchListTest(PatrolCase):
    def add(self, **extra):
        fields = {
            "by": self.charlie,
            "student": self.student,
            "reason": "Low mood since moving house",
            "review_on": WEDNESDAY + dt.timedelta(days=14),
            "requested_by": self.charlie.staff,
        } | extra
        return watch_list_services.watch_list_add(**fields)

    def test_it_adds_a_student_once_with_a_clear_message(self):
        self.add()
        with self.assertRaisesMessage(
            ValidationError, "already on the watch list (asked by Ms C Hughes, review 09/12/2026)"
        ):
            self.add(requested_by=self.evan.staff)
        with self.assertRaisesMessage(ValidationError, "review date can't be in the past"):
            self.add(student=make_student(upn="C123456789012"), review_on=MONDAY)
        self.assertEqual(WatchListEntry.objects.count(), 1)

    def test_it_records_a_drop_in_with_the_lesson_the_student_was_in(self):
        entry = self.add()
        drop_in = watch_list_services.drop_in_record(
            entry_id=entry.pk, by=self.bob, engagement=4, note="Working with a partner"
        )
        self.assertEqual(
            (drop_in.teaching_class, drop_in.room, drop_in.period, drop_in.at),
            (self.maths_class, self.room, self.periods["P2"], TEN_FIFTEEN),
        )
        [watched] = watch_list_selectors.watch_list_where_now(now=TEN_FIFTEEN)
        self.assertEqual(
            watched.last_drop_in, watch_list_selectors.LastDropIn(drop_in.at, "4 – Working well")
        )
        self.assertEqual(drop_in.get_engagement_display(), "4 – Working well")

    def test_it_refuses_a_drop_in_without_a_rating_or_after_the_student_came_off(self):
        entry = self.add()
        with self.assertRaisesMessage(ValidationError, "from 1 to 5"):
            watch_list_services.drop_in_record(entry_id=entry.pk, by=self.bob, engagement=6)
        watch_list_services.watch_list_end(entry_id=entry.pk, by=self.charlie)
        with self.assertRaisesMessage(ActionRefused, "no longer on the watch list"):
            watch_list_services.drop_in_record(entry_id=entry.pk, by=self.bob, engagement=3)
        self.assertFalse(DropIn.objects.exists())

    def test_it_shows_a_passed_review_date_as_due(self):
        entry = self.add(review_on=WEDNESDAY)
        [watched] = watch_list_selectors.watch_list_where_now(now=TEN_FIFTEEN)
        self.assertTrue(watched.due_for_review)
        watch_list_services.watch_list_review(
            entry_id=entry.pk, by=self.charlie, review_on=WEDNESDAY + dt.timedelta(days=7)
        )
        [watched] = watch_list_selectors.watch_list_where_now(now=TEN_FIFTEEN)
        self.assertFalse(watched.due_for_review)
        entry.refresh_from_db()
        self.assertEqual((entry.reviewed_by, entry.reviewed_at), (self.charlie, TEN_FIFTEEN))

    def test_it_says_where_a_watched_student_is_now(self):
        self.add()
        [watched] = watch_list_selectors.watch_list_where_now(now=TEN_FIFTEEN)
        self.assertEqual(watched.where_text, "Period 2 · 9X/Ma1 in M4 · Ms A Teague")
        [watched] = watch_list_selectors.watch_list_where_now(now=at("11:05"))
        self.assertEqual(watched.where_text, "Break")

    def test_it_says_when_a_watched_student_is_in_a_provision_room_today(self):
        self.add()
        placement = Placement.objects.create(
            student=self.student,
            provision=self.ie,
            planned_days=1,
            starts_on=WEDNESDAY,
            ends_on=WEDNESDAY,
            booked_by=self.evan,
        )
        PlacementDay.objects.create(placement=placement, date=WEDNESDAY, room=self.ie_room)
        [watched] = watch_list_selectors.watch_list_where_now(now=TEN_FIFTEEN)
        self.assertEqual(watched.where_text, "In Internal exclusion, IE1 today")

    def test_it_finds_where_every_watched_student_is_in_the_same_number_of_queries(self):
        def watch(first: int, n: int) -> None:
            for i in range(first, first + n):
                student = make_student(upn=f"W{i:012d}", first=f"Kid{i}", form=self.form)
                teaching_class = TeachingClass.objects.create(code=f"9Y/Sc{i}")
                room = Room.objects.create(code=f"S{i}")
                Enrolment.objects.create(teaching_class=teaching_class, student=student)
                teaching_class.teacher_links.create(staff=self.hugo.staff)
                TimetableSlot.objects.create(
                    teaching_class=teaching_class,
                    cycle_day=3,
                    period=self.periods["P2"],
                    room=room,
                )
                self.add(student=student)

        # The watch list and drop-ins (2), the calendar (4), slots and teachers (2), provision
        # rooms today (1): the same nine for one student or thirteen.
        watch(0, 1)
        with self.assertNumQueries(9):
            watch_list_selectors.watch_list_where_now(now=TEN_FIFTEEN)
        watch(1, 12)
        with self.assertNumQueries(9):
            rows = watch_list_selectors.watch_list_where_now(now=TEN_FIFTEEN)
        self.assertEqual(len(rows), 13)
        self.assertTrue(
            all("Mr H Reid" in w.where_text for w in rows), [r.where_text for r in rows]
        )


class RotaTest(PatrolCase):
    """The coverage check on Wednesday of the week from MONDAY."""

    def book(self, provision, room, day=WEDNESDAY, status=Placement.Status.BOOKED):
        placement = Placement.objects.create(
            student=self.student,
            provision=provision,
            planned_days=1,
            starts_on=day,
            ends_on=day,
            booked_by=self.evan,
            status=status,
        )
        PlacementDay.objects.create(placement=placement, date=day, room=room)

    def patrol_every_lesson(self, day=WEDNESDAY, staff=None):
        for period in self.periods.values():
            if period.kind == "lesson":
                Duty.objects.create(
                    date=day, period=period, staff=staff or self.bob.staff, kind="on_call"
                )

    def wednesday_gaps(self):
        return [
            (period.code, gap)
            for day, period, gap in rota_selectors.coverage_gaps(MONDAY)
            if day == WEDNESDAY
        ]

    def test_it_finds_lessons_with_nobody_on_patrol(self):
        self.patrol_every_lesson()
        Duty.objects.filter(period=self.periods["P4"]).delete()
        self.assertEqual(self.wednesday_gaps(), [("P4", "Nobody on patrol")])

    def test_it_finds_an_occupied_room_nobody_supervises(self):
        self.patrol_every_lesson()
        self.book(self.ie, self.ie_room)
        for code in ("REG", "P1", "P2", "BRK", "P3", "P4", "LUN"):
            Duty.objects.create(
                date=WEDNESDAY,
                period=self.periods[code],
                staff=self.dana.staff,
                kind=Duty.Kind.INTERNAL_EXCLUSION,
            )
        # IE runs 08:45–15:45: period 5 is part of its day and nobody is in the room.
        self.assertEqual(self.wednesday_gaps(), [("P5", "Nobody supervising IE1")])

    def test_it_ignores_cancelled_placements_and_empty_rooms(self):
        self.patrol_every_lesson()
        self.book(self.ie, self.ie_room, status=Placement.Status.CANCELLED)
        self.assertEqual(self.wednesday_gaps(), [])

    def test_it_counts_a_duty_for_the_room_or_for_every_room_of_the_provision(self):
        self.patrol_every_lesson()
        self.book(self.rr, self.rr_room)
        lessons = [p for p in self.periods.values() if p.kind == "lesson"]
        for period in lessons[:3]:
            Duty.objects.create(
                date=WEDNESDAY,
                period=period,
                staff=self.dana.staff,
                kind=Duty.Kind.REFLECTION_ROOM,
                room=self.rr_room,
            )
        for period in lessons[3:4]:
            Duty.objects.create(
                date=WEDNESDAY, period=period, staff=self.dana.staff, kind=Duty.Kind.REFLECTION_ROOM
            )
        for period in lessons[4:]:  # a supervisor in the wrong room does not count
            Duty.objects.create(
                date=WEDNESDAY,
                period=period,
                staff=self.dana.staff,
                kind=Duty.Kind.REFLECTION_ROOM,
                room=self.room,
            )
        self.assertEqual(self.wednesday_gaps(), [("P5", "Nobody supervising RR1")])

    def test_it_treats_a_duty_of_someone_away_as_a_gap(self):
        self.patrol_every_lesson(staff=self.hugo.staff)
        rota_services.staff_absence_add(
            by=self.evan, staff=self.hugo.staff, starts_on=WEDNESDAY, ends_on=WEDNESDAY
        )
        gaps = self.wednesday_gaps()
        self.assertEqual(len(gaps), 5)
        week = rota_selectors.rota_week(MONDAY)
        p1 = dict(week.rows)[self.periods["P1"]]
        self.assertEqual(p1[2].needs_cover[0].staff_id, self.hugo.staff.pk)

    def test_it_reads_the_week_in_a_fixed_number_of_queries(self):
        self.patrol_every_lesson()
        with self.assertNumQueries(8):
            rota_selectors.rota_week(MONDAY)
        self.patrol_every_lesson(day=WEDNESDAY + dt.timedelta(days=1))
        self.book(self.ie, self.ie_room)
        with self.assertNumQueries(8):
            rota_selectors.rota_week(MONDAY)

    def test_it_keeps_who_put_a_duty_or_an_absence_on_the_rota_and_who_removed_it(self):
        duty = rota_services.duty_add(
            by=self.bob,
            staff=self.hugo.staff,
            date=WEDNESDAY,
            period=self.periods["P2"],
            kind=Duty.Kind.REFLECTION_ROOM,
            room=self.rr_room,
        )
        absence = rota_services.staff_absence_add(
            by=self.evan,
            staff=self.hugo.staff,
            starts_on=WEDNESDAY,
            ends_on=WEDNESDAY,
            note="Course",
        )
        self.assertEqual((duty.added_by, duty.added_at), (self.bob, TEN_FIFTEEN))
        self.assertEqual((absence.added_by, absence.added_at), (self.evan, TEN_FIFTEEN))
        rota_services.duty_remove(duty_id=duty.pk, by=self.evan)
        rota_services.staff_absence_remove(absence_id=absence.pk, by=self.bob)
        self.assertFalse(Duty.objects.exists() or StaffAbsence.objects.exists())
        duty_words = "Mr H Reid: Reflection room supervision (RR1), Wed 25 Nov, Period 2"
        self.assertEqual(
            [(c.username, c.from_value, c.to_value, c.note) for c in history_of(duty)],
            [
                ("bob", "", "on the rota", duty_words),
                ("evan", "on the rota", "removed", duty_words),
            ],
        )
        absence_words = "Mr H Reid away Wed 25 Nov: Course"
        self.assertEqual(
            [(c.username, c.to_value, c.note) for c in history_of(absence)],
            [("evan", "on the rota", absence_words), ("bob", "removed", absence_words)],
        )

    def test_it_adds_duties_with_clear_refusals(self):
        duty = rota_services.duty_add(
            by=self.bob,
            staff=self.hugo.staff,
            date=WEDNESDAY,
            period=self.periods["P2"],
            kind="on_call",
        )
        with self.assertRaisesMessage(ValidationError, "Mr H Reid already has a duty then: Patrol"):
            rota_services.duty_add(
                by=self.bob,
                staff=self.hugo.staff,
                date=WEDNESDAY,
                period=self.periods["P2"],
                kind=Duty.Kind.REFLECTION_ROOM,
            )
        with self.assertRaisesMessage(ValidationError, "Saturday 28 November is not a school day"):
            rota_services.duty_add(
                by=self.bob,
                staff=self.hugo.staff,
                date=WEDNESDAY + dt.timedelta(days=3),
                period=self.periods["P2"],
                kind="on_call",
            )
        with self.assertRaisesMessage(ValidationError, "Only a supervision duty has a room"):
            rota_services.duty_add(
                by=self.bob,
                staff=self.alice.staff,
                date=WEDNESDAY,
                period=self.periods["P2"],
                kind="on_call",
                room=self.rr_room,
            )
        with self.assertRaisesMessage(ValidationError, "last day can't be before the first"):
            rota_services.staff_absence_add(
                by=self.bob, staff=self.hugo.staff, starts_on=WEDNESDAY, ends_on=MONDAY
            )
        self.assertEqual(list(Duty.objects.all()), [duty])
        self.assertFalse(StaffAbsence.objects.exists())
        rota_services.duty_remove(duty_id=duty.pk, by=self.bob)
        self.assertFalse(Duty.objects.exists())
        with self.assertRaisesMessage(ActionRefused, "no longer on the rota"):
            rota_services.duty_remove(duty_id=duty.pk, by=self.bob)
