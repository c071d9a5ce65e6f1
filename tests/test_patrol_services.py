"""On-call services: raise, claim (the race settled by the database), arrive, resolve, escalate,
and who is on call now."""

import datetime as dt
import threading
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import TransactionTestCase, override_settings

from audit.selectors import history_of
from conduct.lib.errors import ActionRefused
from patrol import policies
from patrol.models import Duty, OnCallReason, OnCallRequest, StaffAbsence
from patrol.selectors import lesson_now
from patrol.selectors import on_call as on_call_selectors
from patrol.services import on_call as on_call_services
from sanctions.models import Placement
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    ConductTestCase,
    SchoolDayTestCase,
    make_calendar_and_timetable,
    make_people,
    make_student,
)
from tests.patrol_browser import FileDatabaseMixin


def make_reason(label="Refusing to follow instructions") -> OnCallReason:
    on_call_services.on_call_reasons_ensure_defaults()
    return OnCallReason.objects.get(label=label)


class OnCallServicesTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reason = make_reason()

    def raise_one(self, **extra):
        fields = {
            "by": self.alice,
            "reason": self.reason,
            "room": self.room,
            "teaching_class": self.maths_class,
            "period": self.periods["P2"],
            "students": [self.student],
            "now": TEN_FIFTEEN,
        } | extra
        return on_call_services.on_call_request_raise(**fields)

    def test_it_raises_a_request_with_the_lesson_and_the_time(self):
        with self.captureOnCommitCallbacks() as callbacks:
            request = self.raise_one(urgency="urgent", note="  Throwing things  ")
        self.assertEqual(request.status, OnCallRequest.Status.OPEN)
        self.assertEqual(request.raised_at, TEN_FIFTEEN)
        self.assertEqual(request.note, "Throwing things")
        self.assertEqual(list(request.students.all()), [self.student])
        self.assertEqual(len(callbacks), 1, "one live event, queued for after the commit")

    def test_it_refuses_a_request_that_says_nowhere(self):
        with self.assertRaises(ValidationError):
            self.raise_one(room=None, location="  ")
        self.assertFalse(OnCallRequest.objects.exists())

    def test_it_takes_a_place_instead_of_a_room(self):
        request = self.raise_one(room=None, location="Field by the gate")
        self.assertEqual(request.where, "Field by the gate")

    def test_it_gives_the_claim_to_the_first_and_tells_the_second_who(self):
        request = self.raise_one()
        on_call_services.on_call_request_claim(request_id=request.pk, by=self.bob)
        with self.assertRaisesMessage(on_call_services.AlreadyClaimed, "Mr B Patel"):
            on_call_services.on_call_request_claim(request_id=request.pk, by=self.evan)
        request.refresh_from_db()
        self.assertEqual(request.claimed_by, self.bob)
        self.assertEqual(request.status, OnCallRequest.Status.CLAIMED)
        self.assertEqual(request.version, 2)

    def test_it_lets_only_the_claimer_mark_arrival(self):
        request = self.raise_one()
        on_call_services.on_call_request_claim(request_id=request.pk, by=self.bob)
        with self.assertRaises(ActionRefused):
            on_call_services.on_call_request_mark_arrived(request_id=request.pk, by=self.evan)
        arrived = on_call_services.on_call_request_mark_arrived(
            request_id=request.pk, by=self.bob, now=TEN_FIFTEEN + dt.timedelta(minutes=3)
        )
        self.assertEqual(arrived.status, OnCallRequest.Status.ARRIVED)
        self.assertEqual(arrived.arrived_at, TEN_FIFTEEN + dt.timedelta(minutes=3))

    def test_it_resolves_with_an_outcome_and_stores_every_time(self):
        request = self.raise_one()
        on_call_services.on_call_request_claim(
            request_id=request.pk, by=self.bob, now=TEN_FIFTEEN + dt.timedelta(seconds=30)
        )
        on_call_services.on_call_request_mark_arrived(
            request_id=request.pk, by=self.bob, now=TEN_FIFTEEN + dt.timedelta(minutes=2)
        )
        done = on_call_services.on_call_request_resolve(
            request_id=request.pk,
            by=self.bob,
            outcome="returned",
            note="Calmed down",
            now=TEN_FIFTEEN + dt.timedelta(minutes=6),
        )
        self.assertEqual(done.outcome, OnCallRequest.Outcome.RETURNED)
        self.assertEqual(
            [done.raised_at, done.claimed_at, done.arrived_at, done.resolved_at],
            [TEN_FIFTEEN + dt.timedelta(seconds=s) for s in (0, 30, 120, 360)],
        )
        with self.assertRaises(ActionRefused):
            on_call_services.on_call_request_resolve(
                request_id=request.pk, by=self.bob, outcome="settled"
            )

    def test_it_lets_the_teacher_say_it_is_no_longer_needed(self):
        request = self.raise_one()
        self.assertTrue(policies.can_resolve_on_call(self.alice, request, "not_needed"))
        self.assertFalse(policies.can_resolve_on_call(self.alice, request, "removed"))
        done = on_call_services.on_call_request_resolve(
            request_id=request.pk, by=self.alice, outcome="not_needed"
        )
        self.assertEqual(done.status, OnCallRequest.Status.RESOLVED)
        self.assertEqual((done.resolved_by, done.claimed_by), (self.alice, None))

    def test_it_starts_a_reflection_room_placement_for_each_removed_student(self):
        other = make_student(upn="B123456789012", first="Mia", last="Cole", form=self.form)
        request = self.raise_one(students=[self.student, other])
        on_call_services.on_call_request_claim(request_id=request.pk, by=self.bob)
        placement = Placement.objects.create(
            student=other,
            provision=self.rr,
            planned_days=1,
            starts_on=WEDNESDAY,
            ends_on=WEDNESDAY,
            booked_by=self.bob,
        )
        removal = mock.Mock(return_value=placement)
        with mock.patch("sanctions.services.placements.reflection_room_removal", removal):
            on_call_services.on_call_request_resolve(
                request_id=request.pk,
                by=self.bob,
                outcome="removed",
                note="Swearing at staff",
                removed_students=[other],
            )
        removal.assert_called_once_with(
            student=other,
            by=self.bob,
            teaching_class=self.maths_class,
            period=self.periods["P2"],
            note="Swearing at staff",
        )
        self.assertEqual(list(request.placements.all()), [placement])

    def test_it_undoes_the_outcome_when_the_placement_cannot_start(self):
        request = self.raise_one()
        on_call_services.on_call_request_claim(request_id=request.pk, by=self.bob)
        broken = mock.Mock(side_effect=ValidationError("The reflection room is full"))
        with (
            mock.patch("sanctions.services.placements.reflection_room_removal", broken),
            self.assertRaises(ValidationError),
        ):
            on_call_services.on_call_request_resolve(
                request_id=request.pk, by=self.bob, outcome="removed"
            )
        request.refresh_from_db()
        self.assertEqual(request.status, OnCallRequest.Status.CLAIMED)
        self.assertEqual(request.outcome, "")

    def test_it_writes_each_change_into_every_students_history(self):
        other = make_student(upn="B123456789012", first="Mia", last="Cole", form=self.form)
        request = self.raise_one(students=[self.student, other])
        minutes = TEN_FIFTEEN + dt.timedelta(minutes=1), TEN_FIFTEEN + dt.timedelta(minutes=4)
        on_call_services.on_call_request_claim(request_id=request.pk, by=self.bob, now=minutes[0])
        on_call_services.on_call_request_mark_arrived(
            request_id=request.pk, by=self.bob, now=minutes[1]
        )
        on_call_services.on_call_request_resolve(
            request_id=request.pk, by=self.bob, outcome="settled", note="Calm again"
        )
        changes = [
            (c.from_value, c.to_value, c.username, c.student_id, c.note)
            for c in history_of(request)
        ]
        expected = []
        for before, after, who, note in [
            ("", "open", "alice", ""),
            ("open", "claimed", "bob", ""),
            ("claimed", "arrived", "bob", ""),
            ("arrived", "resolved", "bob", "Settled in class: Calm again"),
        ]:
            expected += [(before, after, who, s.pk, note) for s in (self.student, other)]
        self.assertEqual(sorted(changes, key=str), sorted(expected, key=str))
        self.assertEqual(
            [c.at for c in history_of(request) if c.to_value in ("claimed", "arrived")],
            [minutes[0], minutes[0], minutes[1], minutes[1]],
        )

    @override_settings(ON_CALL_ESCALATE_AFTER_SECONDS=120)
    def test_it_writes_the_clocks_escalation_once_when_the_request_names_nobody(self):
        request = self.raise_one(students=[])
        on_call_services.on_call_escalate_due(now=TEN_FIFTEEN + dt.timedelta(minutes=3))
        [raised, escalated] = history_of(request)
        self.assertEqual((raised.to_value, raised.student, raised.by), ("open", None, self.alice))
        self.assertEqual(
            (escalated.field, escalated.from_value, escalated.to_value, escalated.by),
            ("tier", "Patrol team", "SLT on call", None),
        )

    def test_it_needs_a_student_to_remove(self):
        request = self.raise_one(students=[])
        with self.assertRaises(ValidationError):
            on_call_services.on_call_request_resolve(
                request_id=request.pk, by=self.evan, outcome="removed"
            )

    @override_settings(ON_CALL_ESCALATE_AFTER_SECONDS=120)
    def test_it_escalates_only_what_nobody_claimed_in_time(self):
        waiting = self.raise_one()
        claimed = self.raise_one()
        on_call_services.on_call_request_claim(request_id=claimed.pk, by=self.bob, now=TEN_FIFTEEN)
        almost = TEN_FIFTEEN + dt.timedelta(seconds=119)
        self.assertEqual(on_call_services.on_call_escalate_due(now=almost), [])
        due = TEN_FIFTEEN + dt.timedelta(seconds=120)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.assertEqual(on_call_services.on_call_escalate_due(now=due), [waiting.pk])
        self.assertEqual(len(callbacks), 1)
        waiting.refresh_from_db()
        self.assertEqual(waiting.tier, OnCallRequest.Tier.SLT)
        self.assertEqual(waiting.escalated_at, due)
        self.assertEqual(
            on_call_services.on_call_escalate_due(now=due + dt.timedelta(minutes=5)), []
        )
        # Escalated, it can still be claimed, by SLT or the patrol.
        on_call_services.on_call_request_claim(request_id=waiting.pk, by=self.evan)

    @override_settings(ON_CALL_ESCALATE_AFTER_SECONDS=120)
    def test_it_shows_when_a_request_will_escalate(self):
        data = on_call_selectors.request_data(self.raise_one())
        self.assertEqual(data["escalate_at"], (TEN_FIFTEEN + dt.timedelta(minutes=2)).isoformat())
        self.assertEqual(data["where"], "M4")
        self.assertEqual(data["students"][0]["name"], "Jayden Walsh")

    def test_it_lists_the_queue_with_emergencies_first(self):
        routine = self.raise_one(now=TEN_FIFTEEN - dt.timedelta(minutes=5))
        emergency = self.raise_one(urgency="emergency")
        done = self.raise_one()
        on_call_services.on_call_request_resolve(
            request_id=done.pk, by=self.alice, outcome="not_needed"
        )
        with self.assertNumQueries(3):
            queue = on_call_selectors.on_call_queue()
        self.assertEqual([r["id"] for r in queue], [emergency.pk, routine.pk])

    def test_the_queue_reads_each_request_as_its_page_does(self):
        helper = get_user_model().objects.create_user("helper", first_name="Sam", last_name="Cole")
        self.raise_one(urgency="emergency", note="Chairs")
        outside = self.raise_one(
            by=helper, room=None, location="Field", teaching_class=None, period=None, students=[]
        )
        on_call_services.on_call_request_claim(request_id=outside.pk, by=helper, now=TEN_FIFTEEN)
        for level, by in (("pastoral", self.bob), ("staff", helper)):
            done = self.raise_one(
                students=[self.student, make_student(upn=f"Q12345678901{level[0]}")]
            )
            on_call_services.on_call_request_claim(request_id=done.pk, by=by, now=TEN_FIFTEEN)
            on_call_services.on_call_request_resolve(
                request_id=done.pk, by=by, outcome="settled", note="Calm", level=level
            )
        with self.assertNumQueries(3):
            snapshot = on_call_selectors.on_call_snapshot(now=TEN_FIFTEEN)
        self.assertEqual((len(snapshot["open"]), len(snapshot["resolved"])), (2, 2))
        for data in snapshot["open"] + snapshot["resolved"]:
            with self.subTest(request=data["id"]):
                request = on_call_selectors.on_call_request_get(data["id"])
                self.assertEqual(data, on_call_selectors.request_data(request))
                self.assertEqual(data, on_call_selectors.on_call_request_data(data["id"]))
        self.assertEqual(snapshot["open"][1]["claimed_by"], "Sam Cole")
        self.assertEqual([r["outcome_note"] for r in snapshot["resolved"]], ["Calm", ""])

    def test_the_raise_page_reads_the_active_reasons_and_the_persons_latest_calls(self):
        first = OnCallReason.objects.order_by("position").first()
        OnCallReason.objects.create(label="Aaa first by label", position=first.position)
        OnCallReason.objects.create(label="Gone", position=first.position, is_active=False)
        with self.assertNumQueries(1):
            buttons = on_call_selectors.reason_buttons()
        self.assertEqual(
            [(b.pk, b.label) for b in buttons],
            [(r.pk, r.label) for r in on_call_selectors.on_call_reasons()],
        )
        self.assertEqual(buttons[0].label, "Aaa first by label")
        self.assertNotIn("Gone", [b.label for b in buttons])
        calls = [
            self.raise_one(now=TEN_FIFTEEN + dt.timedelta(minutes=minutes)) for minutes in range(5)
        ]
        outside = self.raise_one(
            room=None, location="Field", now=TEN_FIFTEEN + dt.timedelta(minutes=9)
        )
        on_call_services.on_call_request_resolve(
            request_id=outside.pk, by=self.alice, outcome="not_needed"
        )
        self.raise_one(by=self.bob, now=TEN_FIFTEEN + dt.timedelta(minutes=20))  # not hers
        with self.assertNumQueries(1):
            recent = on_call_selectors.recent_calls_of(self.alice)
        self.assertEqual([c.pk for c in recent], [outside.pk, *[c.pk for c in calls[:0:-1]]])
        self.assertEqual(
            (recent[0].where, recent[0].reason, recent[0].status_label, recent[0].outcome_label),
            ("Field", "Refusing to follow instructions", "Resolved", "No longer needed"),
        )
        self.assertEqual(
            (recent[1].where, recent[1].status_label, recent[1].outcome),
            ("M4", "Waiting for someone", ""),
        )
        self.assertEqual(recent[1].raised_at, TEN_FIFTEEN + dt.timedelta(minutes=4))


def id_of(student) -> int:
    return student.pk


@mock.patch("conduct.lib.clock.now", return_value=TEN_FIFTEEN)
class WhoIsOnCallTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_calendar_and_timetable(cls)

    def test_it_names_the_conduct_team_and_the_rota(self, _now):
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.evan.staff, kind="slt_on_call"
        )
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P3"], staff=self.charlie.staff, kind="on_call"
        )
        on_call = on_call_selectors.on_call_staff_now()
        self.assertEqual(on_call["patrol"], [self.bob.staff, self.hugo.staff])
        self.assertEqual(on_call["slt"], [self.evan.staff])

    def test_it_leaves_out_anyone_absent_today(self, _now):
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )
        StaffAbsence.objects.create(staff=self.hugo.staff, starts_on=WEDNESDAY, ends_on=WEDNESDAY)
        StaffAbsence.objects.create(staff=self.bob.staff, starts_on=WEDNESDAY, ends_on=WEDNESDAY)
        self.assertEqual(on_call_selectors.on_call_staff_now()["patrol"], [])
        self.assertFalse(policies.can_answer_on_call(self.hugo))

    def test_it_lets_a_teacher_answer_only_while_on_duty(self, _now):
        self.assertFalse(policies.can_answer_on_call(self.alice))
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.alice.staff, kind="on_call"
        )
        # A new request loads the account afresh (the answer is kept on the user object for the
        # minute it was read in).
        alice = get_user_model().objects.get(pk=self.alice.pk)
        self.assertTrue(policies.can_answer_on_call(alice))
        self.assertTrue(policies.can_answer_on_call(self.bob))
        self.assertTrue(policies.can_answer_on_call(self.evan))
        self.assertFalse(policies.can_answer_on_call(self.olive))

    def test_it_finds_the_teachers_lesson_now(self, _now):
        lesson = lesson_now.lesson_now(self.alice.staff)
        self.assertEqual((lesson.teaching_class, lesson.room), (self.maths_class, self.room))
        self.assertIsNone(lesson_now.lesson_now(self.bob.staff))


class ClaimRaceTest(FileDatabaseMixin, TransactionTestCase):
    """Two people tap Claim at the same moment, each in a thread with its own connection. On
    PostgreSQL the two UPDATEs really race (row lock, then re-check of the WHERE); SQLite (a file
    copy of the test database: the in-memory one locks whole tables between threads) queues the
    two write transactions. Either way exactly one UPDATE may match."""

    def setUp(self):
        make_people(self)
        self.reason = make_reason()

    def test_it_gives_exactly_one_winner(self):
        for attempt in range(10):
            request = on_call_services.on_call_request_raise(
                by=self.alice, reason=self.reason, location=f"Room {attempt}"
            )
            barrier = threading.Barrier(2)
            results: dict[str, str] = {}

            def claim(user, request_id=request.pk, barrier=barrier, results=results):
                try:
                    barrier.wait(timeout=5)
                    on_call_services.on_call_request_claim(request_id=request_id, by=user)
                    results[user.username] = "won"
                except on_call_services.AlreadyClaimed:
                    results[user.username] = "lost"
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=claim, args=(u,)) for u in (self.bob, self.evan)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=20)
            self.assertEqual(sorted(results.values()), ["lost", "won"], f"attempt {attempt}")
            request.refresh_from_db()
            winner = self.bob if results["bob"] == "won" else self.evan
            self.assertEqual(request.claimed_by, winner)
            self.assertEqual(request.version, 2, "exactly one UPDATE changed the row")


class EscalateCommandTest(ConductTestCase):
    @override_settings(ON_CALL_ESCALATE_AFTER_SECONDS=120)
    def test_it_escalates_overdue_requests_in_one_pass(self):
        from io import StringIO

        from django.core.management import call_command

        old = on_call_services.on_call_request_raise(
            by=self.alice,
            reason=make_reason(),
            location="Field",
            now=TEN_FIFTEEN,
        )
        out = StringIO()
        with mock.patch(
            "conduct.lib.clock.now", return_value=TEN_FIFTEEN + dt.timedelta(minutes=2)
        ):
            call_command("escalate_on_call", "--once", stdout=out)
        self.assertIn(f"Escalated on-call request {old.pk}", out.getvalue())
        old.refresh_from_db()
        self.assertEqual(old.tier, OnCallRequest.Tier.SLT)
