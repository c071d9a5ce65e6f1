"""Referrals and placements: approval rules, booking by school day and capacity, races."""

import datetime as dt
import threading
import unittest

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase

from conduct.lib.wording import hhmm
from notify.models import Message
from sanctions.models import (
    IncidentStudent,
    Placement,
    PlacementDay,
    ProvisionRoom,
    ReasonCategory,
    Referral,
)
from sanctions.services import incidents, placements, referrals
from school.models import StudentGuardian
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    make_calendar_and_timetable,
    make_guardian,
    make_people,
    make_student,
)
from tests.sanctions_fixtures import make_provision_rooms
from work.models import WorkRequest

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
FRIDAY = WEDNESDAY + dt.timedelta(days=2)
MONDAY = WEDNESDAY + dt.timedelta(days=5)


class ReferralTest(SchoolDayTestCase):
    def refer(self, provision, days=1, by=None, student=None):
        return referrals.referral_create(
            student=student or self.student,
            provision=provision,
            days=days,
            by=by or self.alice,
            note="Refused to leave the room",
        )

    def test_it_records_an_incident_with_each_students_part(self):
        victim = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        incident = incidents.incident_record(
            occurred_at=TEN_FIFTEEN,
            reason=self.assault,
            description="Pushed Mia into a wall",
            reported_by=self.alice.staff,
            by=self.alice,
            room=self.room,
            students=[(self.student, "perpetrator"), (victim, "victim")],
        )
        self.assertEqual(
            sorted(incident.parts.values_list("student__legal_first_name", "part")),
            [("Jayden", "perpetrator"), ("Mia", "victim")],
        )
        self.assertEqual(incident.where, "M4 Maths 4")

    def test_it_refuses_an_incident_with_no_student_and_saves_nothing(self):
        with self.assertRaises(ValidationError) as caught:
            incidents.incident_record(
                occurred_at=TEN_FIFTEEN,
                reason=self.refusal,
                description=" ",
                reported_by=self.alice.staff,
                by=self.alice,
                students=[],
            )
        self.assertEqual(
            caught.exception.message_dict,
            {
                "description": ["Say what happened."],
                "students": ["Name at least one student involved."],
                "location": ["Say where it happened: a room or a place."],
            },
        )
        self.assertEqual(IncidentStudent.objects.count(), 0)

    def test_it_leaves_a_teachers_internal_exclusion_referral_pending(self):
        referral = self.refer(self.ie, days=2)
        self.assertEqual(referral.status, Referral.Status.PENDING)
        self.assertFalse(Placement.objects.exists())

    def test_it_books_a_reflection_room_referral_from_conduct_staff_at_once(self):
        referral = self.refer(self.rr, by=self.bob)
        self.assertEqual(referral.status, Referral.Status.APPROVED)
        placement = referral.placements.get()
        self.assertEqual((placement.starts_on, placement.ends_on), (THURSDAY, THURSDAY))
        self.assertEqual(list(placement.days.values_list("room__code", flat=True)), ["RR1"])

    def test_it_books_the_next_school_days_when_the_head_of_year_approves(self):
        referral = self.refer(self.ie, days=3)
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        # Thursday, Friday, then Monday: the weekend is skipped.
        self.assertEqual(
            list(placement.days.values_list("date", flat=True)), [THURSDAY, FRIDAY, MONDAY]
        )
        self.assertEqual(placement.planned_days, 3)
        referral.refresh_from_db()
        self.assertEqual((referral.status, referral.decided_by), ("approved", self.charlie))

    def test_it_lets_only_the_configured_roles_approve(self):
        referral = self.refer(self.ald)
        for person in (self.alice, self.bob, self.charlie):
            with self.subTest(person=person.username), self.assertRaises(ValidationError):
                referrals.referral_approve(referral=referral, by=person)
        self.assertIsNotNone(referrals.referral_approve(referral=referral, by=self.evan))

    def test_it_records_an_amendment_when_approving_fewer_days(self):
        referral = self.refer(self.ie, days=3)
        referrals.referral_approve(referral=referral, by=self.evan, days=1, note="First offence")
        referral.refresh_from_db()
        self.assertEqual(referral.days, 1)
        self.assertEqual(referral.decision_note, "Amended: days 3 → 1; First offence")

    def test_it_needs_a_reason_to_decline(self):
        referral = self.refer(self.ie)
        with self.assertRaises(ValidationError):
            referrals.referral_decline(referral=referral, by=self.charlie, reason="")
        referrals.referral_decline(referral=referral, by=self.charlie, reason="Dealt with in class")
        referral.refresh_from_db()
        self.assertEqual(referral.status, Referral.Status.DECLINED)

    def test_it_refuses_a_second_decision_on_the_same_referral(self):
        referral = self.refer(self.ie)
        referrals.referral_approve(referral=referral, by=self.charlie)
        with self.assertRaisesMessage(ValidationError, "already approved by Charlie Hughes"):
            referrals.referral_approve(referral=referral, by=self.evan)
        self.assertEqual(Placement.objects.count(), 1)

    def test_it_never_books_a_full_room_and_moves_to_the_next_free_day(self):
        others = [
            make_student(upn=f"C12345678901{i}", first=f"Pupil{i}", last="Other", form=self.form)
            for i in range(2)
        ]
        for other in others:
            referrals.referral_approve(referral=self.refer(self.ie, student=other), by=self.evan)
        placement = referrals.referral_approve(referral=self.refer(self.ie), by=self.evan)
        self.assertEqual(placement.starts_on, FRIDAY)  # Thursday's two places are taken
        self.assertEqual(PlacementDay.objects.filter(date=THURSDAY).count(), 2)

    def test_it_never_books_a_student_twice_on_the_same_day(self):
        referrals.referral_approve(referral=self.refer(self.ie), by=self.evan)
        second = referrals.referral_approve(referral=self.refer(self.rr), by=self.evan)
        self.assertEqual(second.starts_on, FRIDAY)

    def test_it_frees_the_places_of_a_cancelled_placement(self):
        placement = referrals.referral_approve(referral=self.refer(self.ie, days=2), by=self.evan)
        placements.placement_cancel(placement=placement, by=self.evan, reason="Booked in error")
        self.assertEqual(PlacementDay.objects.filter(is_active=True).count(), 0)
        self.assertEqual(Placement.objects.get().status, Placement.Status.CANCELLED)

    def test_it_records_a_suspension_referral_as_a_decision_without_booking(self):
        referral = self.refer(self.suspension)
        self.assertIsNone(referrals.referral_approve(referral=referral, by=self.evan))
        self.assertFalse(Placement.objects.exists())

    def test_it_comes_with_the_dfe_reason_codes(self):
        codes = set(ReasonCategory.objects.filter(is_dfe=True).values_list("code", flat=True))
        self.assertEqual(
            codes,
            {
                "PP",
                "PA",
                "VP",
                "VA",
                "BU",
                "RA",
                "SM",
                "DA",
                "DM",
                "TH",
                "DB",
                "OW",
                "LG",
                "DS",
                "MT",
                "OT",
            },
        )


@unittest.skipUnless(connection.vendor == "postgresql", "the race is proven on PostgreSQL")
class ConcurrentBookingTest(TransactionTestCase):
    """Two approvers press Approve at the same second for the last place in the room."""

    serialized_rollback = True  # keep the data migrations' provisions and reasons

    def setUp(self):
        make_people(self)
        make_calendar_and_timetable(self)
        make_provision_rooms(self, ie_capacity=1)
        self.students = [
            make_student(upn=f"E12345678901{i}", first=f"Racer{i}", last="Pupil", form=self.form)
            for i in range(6)
        ]
        freeze_clock(self)

    def test_it_gives_each_place_to_exactly_one_approver(self):
        asked = [
            referrals.referral_create(student=s, provision=self.ie, days=1, by=self.alice)
            for s in self.students
        ]
        barrier = threading.Barrier(len(asked))
        errors = []

        def approve(referral):
            try:
                barrier.wait()
                referrals.referral_approve(referral=referral, by=self.evan)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=approve, args=(r,)) for r in asked]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        per_day = {}
        for day in PlacementDay.objects.filter(is_active=True):
            per_day[day.date] = per_day.get(day.date, 0) + 1
        self.assertEqual(sum(per_day.values()), 6)
        self.assertEqual(set(per_day.values()), {1}, f"a day was overbooked: {per_day}")


class BookingFollowUpsTest(SchoolDayTestCase):
    """Booking creates, in the same transaction, everything the day needs."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ie.arrival_instructions = "the student services entrance on Mill Lane"
        cls.ie.save()
        make_guardian(cls.student)

    def book(self, days=2):
        incident = self.walked_out()
        referral = referrals.referral_create(
            student=self.student,
            provision=self.ie,
            days=days,
            by=self.alice,
            incident=incident,
        )
        return referrals.referral_approve(referral=referral, by=self.charlie)

    def test_it_asks_the_teacher_of_every_missed_lesson_for_work(self):
        placement = self.book(days=2)
        requests = WorkRequest.objects.filter(placement_day__placement=placement)
        self.assertEqual(
            sorted((r.date, r.period.code, r.teaching_class.code, r.teacher) for r in requests),
            [
                (THURSDAY, "P2", "9X/Ma1", self.alice.staff),
                (FRIDAY, "P2", "9X/Ma1", self.alice.staff),
            ],
        )

    def test_it_puts_the_entry_interview_on_the_first_day(self):
        placement = self.book()
        interview = placement.interviews.get()
        self.assertEqual(
            (interview.kind, interview.due_on, interview.status), ("entry", THURSDAY, "to_do")
        )

    def test_it_drafts_the_parent_letter_for_review(self):
        placement = self.book(days=2)
        message = Message.objects.get()
        self.assertEqual(message.status, Message.Status.DRAFT)
        self.assertEqual(message.address, "kerry.walsh@example.com")
        self.assertIn(
            "Jayden will spend Thursday 26 November and Friday 27 November in Internal exclusion",
            message.body,
        )
        self.assertIn("because of refusal to follow the behaviour system", message.body)
        self.assertIn("08:45 at the student services entrance on Mill Lane", message.body)
        self.assertEqual(placement.parent_notice_problem, "")

    def test_it_asks_for_the_reason_when_a_placement_has_none_and_no_entrance_is_set(self):
        self.ie.arrival_instructions = ""
        self.ie.save()
        placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=THURSDAY
        )
        message = Message.objects.get()
        self.assertIn("This is because [missing: reason].", message.body)
        self.assertIn("arrives at 08:45. The day finishes", message.body)
        self.assertNotIn("because .", message.body)
        self.assertNotIn(" at .", message.body)

    def test_it_books_anyway_and_says_so_when_no_parent_can_be_written_to(self):
        StudentGuardian.objects.all().delete()
        placement = self.book()
        self.assertFalse(Message.objects.exists())
        self.assertIn("Jayden Walsh", placement.parent_notice_problem)
        self.assertTrue(placement.days.exists())

    def test_it_withdraws_everything_when_the_placement_is_cancelled(self):
        placement = self.book(days=2)
        placements.placement_cancel(placement=placement, by=self.charlie, reason="Wrong student")
        self.assertEqual(set(WorkRequest.objects.values_list("status", flat=True)), {"cancelled"})
        self.assertEqual(placement.interviews.get().status, "cancelled")
        self.assertEqual(Message.objects.get().status, Message.Status.CANCELLED)

    def test_it_drafts_a_cancellation_when_the_family_was_already_told(self):
        placement = self.book()
        letter = Message.objects.get()
        letter.status = Message.Status.SENT
        letter.save()
        placements.placement_cancel(placement=placement, by=self.charlie, reason="Overturned")
        cancellation = Message.objects.exclude(pk=letter.pk).get()
        self.assertEqual(cancellation.status, Message.Status.DRAFT)
        self.assertEqual(cancellation.template.key, "placement-cancelled")

    def test_it_leaves_nothing_behind_when_booking_fails(self):
        ProvisionRoom.objects.filter(provision=self.ie).delete()
        with self.assertRaises(ValidationError):
            self.book()
        self.assertFalse(Placement.objects.exists())
        self.assertFalse(WorkRequest.objects.exists())
        self.assertFalse(Message.objects.exists())
        # The referral stays pending for another try rather than half-approved.
        self.assertEqual(Referral.objects.get().status, Referral.Status.PENDING)


class ReflectionRoomRemovalTest(SchoolDayTestCase):
    def test_it_places_the_student_in_the_reflection_room_now_with_the_lesson(self):
        placement = placements.reflection_room_removal(
            student=self.student,
            by=self.bob,
            teaching_class=self.maths_class,
            note="Swearing at the teacher",
        )
        self.assertEqual((placement.starts_on, placement.provision.kind), (WEDNESDAY, "RR"))
        self.assertEqual(placement.removed_from.period.code, "P2")
        self.assertEqual(placement.note, "Swearing at the teacher")
        self.assertEqual(list(placement.days.values_list("room__code", flat=True)), ["RR1"])

    def test_it_drafts_the_familys_letter_with_the_lesson_and_time_and_asks_for_the_reason(self):
        make_guardian(self.student)
        placement = placements.reflection_room_removal(
            student=self.student,
            by=self.bob,
            teaching_class=self.maths_class,
            note="Swearing at the teacher",
        )
        message = Message.objects.get(student=self.student)
        self.assertIn(
            f"today, at {hhmm(placement.booked_at)}, Jayden was asked to leave their "
            f"{self.maths_class.subject.name} lesson",
            message.body,
        )
        self.assertNotIn("[missing: lesson]", message.body)
        self.assertNotIn("[missing: removal_time]", message.body)
        # The teacher's note is not written for a family: the officer words the reason.
        self.assertIn("This was because [missing: reason].", message.body)

    def test_it_refuses_when_the_reflection_room_is_full_today(self):
        ProvisionRoom.objects.filter(provision=self.rr).update(capacity=0)
        with self.assertRaisesMessage(
            ValidationError, "Jayden Walsh can't go to the reflection room now"
        ):
            placements.reflection_room_removal(student=self.student, by=self.bob)
        self.assertFalse(Placement.objects.exists())
