"""The day in the room: marks and their MIS codes, the behaviour log, failing and the
escalation ladder, closing the day, and the marks export."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from conduct.lib.errors import ActionRefused
from sanctions.models import AttendanceMark, Placement, Referral, RoomLogEntry
from sanctions.services import placements, referrals, register
from tests.base import (
    LONDON,
    WEDNESDAY,
    SchoolDayTestCase,
    freeze_clock,
    make_guardian,
    make_student,
)
from work.models import WorkRequest

THURSDAY = WEDNESDAY + dt.timedelta(days=1)
FRIDAY = WEDNESDAY + dt.timedelta(days=2)
NINE = dt.time(9, 0)


def moment(day, hh=10, mm=15):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)


class RoomDayBase(SchoolDayTestCase):
    """Helpers for a day in the room: IE booked from Thursday while the clock says Wednesday."""

    def at(self, when):
        freeze_clock(self, when)

    def setUp(self):
        self.at(moment(WEDNESDAY))

    def book_ie(self, days=2, student=None):
        return placements.placement_book(
            student=student or self.student,
            provision=self.ie,
            days=days,
            by=self.evan,
            start_on=THURSDAY,
        )

    def on_the_day(self, line, hh=16, mm=0):
        """Move the clock to the line's day (after the room's day, by default): marks are taken
        on the day, never ahead."""
        self.at(moment(line.date, hh, mm))

    def mark_both(self, line, am="present", pm="present"):
        self.on_the_day(line)
        register.mark_record(
            placement_day=line,
            session="am",
            kind=am,
            at=NINE,
            by=self.bob,
            minutes_late=10 if am == "late" else None,
        )
        register.mark_record(
            placement_day=line, session="pm", kind=pm, at=dt.time(13, 10), by=self.bob
        )


class RoomDayTest(RoomDayBase):
    def test_it_keeps_the_statutory_mark_present_never_e(self):
        line = self.book_ie().days.first()
        self.mark_both(line, am="late", pm="removed")
        codes = {m.session: m.mis_code for m in line.marks.all()}
        self.assertEqual(codes, {"am": "L", "pm": "\\"})
        register.mark_record(placement_day=line, session="am", kind="present", at=NINE, by=self.bob)
        self.assertEqual(line.marks.get(session="am").mis_code, "/")
        self.assertNotIn("E", {m.mis_code for m in AttendanceMark.objects.all()})

    def test_it_needs_the_minutes_for_a_late_mark(self):
        line = self.book_ie().days.first()
        self.on_the_day(line)
        # Arrived before the room's start (08:45): no minutes to count, so they must be said.
        with self.assertRaises(ValidationError) as caught:
            register.mark_record(
                placement_day=line, session="am", kind="late", at=dt.time(8, 40), by=self.bob
            )
        self.assertEqual(
            caught.exception.message_dict, {"minutes_late": ["Say how many minutes late."]}
        )
        self.assertFalse(AttendanceMark.objects.exists())

    def test_it_counts_the_minutes_late_from_the_arrival_time(self):
        line = self.book_ie().days.first()
        self.on_the_day(line)
        mark = register.mark_record(
            placement_day=line, session="am", kind="late", at=dt.time(9, 5), by=self.bob
        )
        self.assertEqual((mark.at, mark.minutes_late, mark.mis_code), (dt.time(9, 5), 20, "L"))
        self.assertEqual(mark.mis_meaning, "late before registers closed")
        # The afternoon starts after the room's lunch (13:10 for internal exclusion).
        mark = register.mark_record(
            placement_day=line, session="pm", kind="late", at=dt.time(13, 25), by=self.bob
        )
        self.assertEqual(mark.minutes_late, 15)

    def test_it_logs_warnings_and_breaks_with_times(self):
        line = self.book_ie().days.first()
        self.on_the_day(line)
        register.room_log_add(
            placement_day=line,
            kind="warning",
            at=dt.time(9, 40),
            note="Talking across the room",
            by=self.bob,
        )
        register.room_log_add(placement_day=line, kind="break_out", at=dt.time(10, 45), by=self.bob)
        self.assertEqual(
            [(e.at, e.kind) for e in line.log_entries.all()],
            [(dt.time(9, 40), "warning"), (dt.time(10, 45), "break_out")],
        )
        with self.assertRaises(ValidationError):
            register.room_log_add(placement_day=line, kind="warning", at=NINE, by=self.bob)

    def test_it_escalates_a_failed_internal_exclusion_as_a_pending_referral(self):
        placement = self.book_ie(days=2)
        first = placement.days.first()
        self.mark_both(first, pm="removed")
        escalations = register.placement_fail(
            placement_day=first,
            by=self.bob,
            note="Threw a chair after three warnings",
            at=dt.time(13, 40),
        )
        placement.refresh_from_db()
        self.assertEqual(placement.status, Placement.Status.FAILED)
        self.assertEqual(placement.actual_days, Decimal("0.75"))
        self.assertEqual(placement.planned_days, 2)
        # Friday is given up: its place is free and its work no longer asked for.
        self.assertFalse(placement.days.filter(date=FRIDAY, is_active=True).exists())
        self.assertEqual(
            set(WorkRequest.objects.filter(date=FRIDAY).values_list("status", flat=True)),
            {"cancelled"},
        )
        [escalation] = escalations
        self.assertEqual((escalation.status, escalation.provision.kind), ("pending", "IE"))
        self.assertEqual(escalation.escalated_from, placement)
        self.assertIn("failed internal exclusion", escalation.note)
        self.assertEqual(
            first.log_entries.get(kind=RoomLogEntry.Kind.FAILED).note,
            "Threw a chair after three warnings",
        )

    def test_it_refers_a_second_reflection_room_in_a_week_to_internal_exclusion(self):
        placements.placement_book(
            student=self.student, provision=self.rr, days=1, by=self.bob, start_on=WEDNESDAY
        )
        self.assertFalse(Referral.objects.exists())
        second = placements.placement_book(
            student=self.student, provision=self.rr, days=1, by=self.bob, start_on=FRIDAY
        )
        escalation = Referral.objects.get()
        self.assertEqual((escalation.provision.kind, escalation.status), ("IE", "pending"))
        self.assertEqual(escalation.escalated_from, second)
        self.assertEqual(
            escalation.note, "Escalation ladder: 2 reflection room placements in 7 days."
        )

    def test_it_closes_the_day_only_when_everyone_is_marked(self):
        other = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        one_day = self.book_ie(days=1)
        two_days = self.book_ie(days=2, student=other)
        self.mark_both(one_day.days.get())
        with self.assertRaisesMessage(
            ValidationError, "for every student before closing the day: Mia Jones."
        ):
            register.register_close(room=self.ie_room, date=THURSDAY, by=self.bob)
        self.assertEqual(Placement.objects.filter(status="booked").count(), 2)
        self.mark_both(two_days.days.get(date=THURSDAY), am="absent", pm="absent")
        closed = register.register_close(room=self.ie_room, date=THURSDAY, by=self.bob)
        self.assertEqual(closed, [one_day])
        one_day.refresh_from_db()
        self.assertEqual((one_day.status, one_day.actual_days), ("completed", Decimal("1.00")))
        two_days.refresh_from_db()
        self.assertEqual(two_days.status, "booked")  # Friday is still to come

    def test_it_exports_marks_for_the_mis_and_records_who_took_them(self):
        line = self.book_ie(days=1).days.get()
        self.mark_both(line, am="late")
        self.login(self.gita)
        response = self.client.get(
            reverse("marks-export"), {"from": "2026-11-26", "to": "2026-11-26"}
        )
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            [(r["UPN"], r["Date"], r["Session"], r["Mark"], r["Minutes late"]) for r in rows],
            [
                ("A123456789012", "26/11/2026", "AM", "L", "10"),
                ("A123456789012", "26/11/2026", "PM", "\\", ""),
            ],
        )
        event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
        self.assertEqual((event.username, event.detail["rows"]), ("gita", 2))

    def test_it_refuses_a_backwards_date_range_for_the_export(self):
        self.login(self.gita)
        response = self.client.get(
            reverse("marks-export"), {"from": "2026-11-27", "to": "2026-11-26"}
        )
        self.assertContains(response, "The end date is before the start date.", status_code=400)


class StudentHistoryTest(RoomDayTest):
    def test_it_shows_the_whole_history_on_one_timeline(self):
        incident = self.walked_out(moment(WEDNESDAY, 9, 40))
        referral = referrals.referral_create(
            student=self.student,
            provision=self.ie,
            days=1,
            by=self.alice,
            incident=incident,
        )
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        self.mark_both(placement.days.get(), am="late")
        register.room_log_add(
            placement_day=placement.days.get(),
            kind="warning",
            at=dt.time(9, 50),
            note="Refused to start work",
            by=self.bob,
        )
        self.login(self.charlie)
        response = self.client.get(reverse("student-detail", args=[self.student.pk]))
        for text in [
            "Incident: Refusal to follow the behaviour system (perpetrator)",
            "Referred for internal exclusion, 1 day",
            "Referral approved",
            "Internal exclusion in IE1",
            "morning late, afternoon present",
            "09:50 warning: Refused to start work",
            "Entry interview: to do",
        ]:
            self.assertContains(response, text)
        self.login(self.alice)  # a teacher sees the student, not the behaviour history
        self.assertNotContains(
            self.client.get(reverse("student-detail", args=[self.student.pk])), "History"
        )


def document_text(document) -> str:
    """The words laid out on a WeasyPrint document's pages."""
    from weasyprint.layout import boxes

    return " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )


class RegisterPdfTest(RoomDayTest):
    def test_it_prints_the_register_with_times_lessons_missed_and_marks(self):
        from sanctions.printing import register_document

        line = self.book_ie(days=1).days.get()
        self.mark_both(line, am="late")
        document, count = register_document(room=self.ie_room, date=THURSDAY, user=self.bob)
        text = document_text(document)
        self.assertEqual(count, 1)
        for expected in [
            "IE1 Internal exclusion room register",
            "Thursday 26 November 2026",
            "Walsh, Jayden",
            "08:45–15:45",
            "P2 9X/Ma1",
            "Late 10′",
        ]:
            self.assertIn(expected, text)

    def test_it_serves_the_pdf_and_records_the_export(self):
        self.book_ie(days=1)
        self.login(self.bob)
        response = self.client.get(reverse("register-pdf", args=["IE1", "2026-11-26"]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
        self.assertEqual(
            event.detail, {"page": "register pdf", "date": "2026-11-26", "students": 1}
        )


class PlacementChangeTest(RoomDayTest):
    def test_it_moves_a_placement_with_its_register_work_interview_and_letter(self):
        from notify.models import Message

        make_guardian(self.student)
        placement = self.book_ie(days=1)
        letter = Message.objects.get()
        letter.status = Message.Status.SENT
        letter.save()
        self.login(self.charlie)
        response = self.client.post(
            reverse("placement-move", args=[placement.pk]),
            {"start_on": "2026-12-01", "reason": "Trip on Thursday"},
            follow=True,
        )
        self.assertContains(response, "now starts internal exclusion on Tuesday 01 December")
        placement.refresh_from_db()
        self.assertEqual(placement.starts_on, dt.date(2026, 12, 1))
        self.assertEqual(
            list(placement.days.filter(is_active=True).values_list("date", flat=True)),
            [dt.date(2026, 12, 1)],
        )
        self.assertEqual(
            sorted(WorkRequest.objects.values_list("date", "status")),
            [(THURSDAY, "cancelled"), (dt.date(2026, 12, 1), "requested")],
        )
        self.assertEqual(placement.interviews.get().due_on, dt.date(2026, 12, 1))
        changed = Message.objects.exclude(pk=letter.pk).get()
        self.assertEqual(changed.template.key, "placement-changed")
        self.assertIn("Thursday 26 November", changed.body)
        self.assertIn("Tuesday 1 December", changed.body)

    def test_it_refuses_a_change_from_a_teacher_and_keeps_the_placement(self):
        placement = self.book_ie(days=1)
        self.login(self.alice)
        response = self.client.post(
            reverse("placement-cancel", args=[placement.pk]), {"reason": "no"}
        )
        self.assertEqual(response.status_code, 403)
        placement.refresh_from_db()
        self.assertEqual(placement.status, "booked")

    def test_it_needs_a_reason_to_cancel(self):
        placement = self.book_ie(days=1)
        self.login(self.bob)
        response = self.client.post(
            reverse("placement-cancel", args=[placement.pk]), {"reason": " "}, follow=True
        )
        self.assertContains(response, "Say why the placement is cancelled.")
        placement.refresh_from_db()
        self.assertEqual(placement.status, "booked")

    def test_it_cancels_a_moved_placement_naming_only_the_days_now_booked(self):
        from notify.models import Message

        make_guardian(self.student)
        placement = self.book_ie(days=1)
        Message.objects.update(status=Message.Status.SENT)
        placements.placement_move(
            placement=placement, by=self.charlie, start_on=dt.date(2026, 12, 1), reason="Trip"
        )
        Message.objects.update(status=Message.Status.SENT)
        placements.placement_cancel(placement=placement, by=self.charlie, reason="Overturned")
        cancellation = Message.objects.get(template__key="placement-cancelled")
        self.assertIn("Tuesday 1 December", cancellation.body)
        self.assertNotIn("Thursday 26 November", cancellation.body)


class RegisterControlsTest(SchoolDayTestCase):
    """A register shows its controls only to those who run the rooms; the others may read it."""

    def setUp(self):
        freeze_clock(self, moment(WEDNESDAY))
        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=THURSDAY
        )
        self.line = placement.days.get()
        freeze_clock(self, moment(THURSDAY, 16, 0))  # the day has come and the room has left
        for session in ("am", "pm"):
            register.mark_record(
                placement_day=self.line, session=session, kind="present", at=NINE, by=self.bob
            )
        self.url = reverse("register", args=["IE1", "2026-11-26"])
        self.actions = [
            reverse("register-mark", args=[self.line.pk]),
            reverse("register-log", args=[self.line.pk]),
            reverse("register-fail", args=[self.line.pk]),
        ]

    def test_it_shows_a_head_of_year_the_register_without_its_controls(self):
        self.login(self.charlie)
        response = self.client.get(self.url)
        self.assertContains(response, "Walsh, Jayden")
        self.assertContains(response, "Morning: <strong>Present</strong>")
        for action in self.actions:
            self.assertNotContains(response, action)
        for control in ('name="kind"', "Failed the room", "Close the day", "Marks for the MIS"):
            self.assertNotContains(response, control)

    def test_it_shows_the_conduct_officer_every_control(self):
        self.login(self.bob)
        response = self.client.get(self.url)
        for action in self.actions:
            self.assertContains(response, action)
        for control in ('name="kind"', "Failed the room", "Close the day", "Marks for the MIS"):
            self.assertContains(response, control)

    def test_it_shows_attendance_the_marks_export_but_not_the_mark_buttons(self):
        self.login(self.gita)
        response = self.client.get(self.url)
        self.assertContains(response, reverse("marks-export"))
        self.assertNotContains(response, 'name="kind"')

    def test_it_keeps_the_controls_on_a_row_redrawn_after_a_mark(self):
        self.login(self.bob)
        response = self.client.post(
            self.actions[0],
            {"session": "am", "kind": "late", "minutes_late": "5"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "Morning: <strong>Late (5 min)</strong>")
        self.assertContains(response, 'name="kind"')
        self.assertContains(response, self.actions[1])

    def test_it_lets_only_those_who_run_the_rooms_act_on_the_register(self):
        close = reverse("register-close", args=["IE1", "2026-11-26"])
        people = [self.alice, self.bob, self.charlie, self.dana, self.evan, self.fay, self.gita]
        people += [self.hugo, self.olive]
        for person in people:
            self.login(person)
            # Blank input: an allowed person is sent back with the problem, so nothing changes.
            for url in [*self.actions, close]:
                with self.subTest(person=person.username, url=url):
                    response = self.client.post(url, {"session": "", "kind": "", "note": ""})
                    if person.username in ("bob", "dana", "evan"):
                        self.assertEqual(response.status_code, 302)
                    else:
                        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.line.placement.status, "booked")
        self.assertFalse(RoomLogEntry.objects.exists())


class DayAheadTest(RoomDayBase):
    """Marks and closing wait for the day: a mark for a day that has not come would reach the
    MIS as attendance."""

    def test_it_refuses_a_mark_log_or_failure_for_a_day_that_has_not_come(self):
        line = self.book_ie(days=1).days.get()  # Thursday; the clock says Wednesday
        with self.assertRaisesMessage(ActionRefused, "Thursday 26 November has not come yet"):
            register.mark_record(
                placement_day=line, session="am", kind="present", at=NINE, by=self.bob
            )
        with self.assertRaises(ActionRefused):
            register.room_log_add(placement_day=line, kind="praise", at=NINE, by=self.bob)
        with self.assertRaises(ActionRefused):
            register.placement_fail(placement_day=line, by=self.bob, note="x", at=NINE)
        self.assertFalse(AttendanceMark.objects.exists())
        self.assertFalse(RoomLogEntry.objects.exists())

    def test_it_refuses_to_close_a_day_that_has_not_come_or_has_not_ended(self):
        line = self.book_ie(days=1).days.get()
        with self.assertRaisesMessage(ActionRefused, "Thursday 26 November has not come yet"):
            register.register_close(room=self.ie_room, date=THURSDAY, by=self.bob)
        self.on_the_day(line, 10, 15)
        self.mark_both(line)
        self.on_the_day(line, 15, 44)
        with self.assertRaisesMessage(ActionRefused, "The room's day ends at 15:45"):
            register.register_close(room=self.ie_room, date=THURSDAY, by=self.bob)
        self.assertEqual(Placement.objects.get().status, "booked")
        self.on_the_day(line, 15, 45)
        self.assertEqual(
            len(register.register_close(room=self.ie_room, date=THURSDAY, by=self.bob)), 1
        )

    def test_it_closes_a_reflection_room_day_once_the_school_day_is_over(self):
        # The reflection room keeps the main school's times: its day ends with period 5.
        line = placements.placement_book(
            student=self.student, provision=self.rr, days=1, by=self.bob, start_on=WEDNESDAY
        ).days.get()
        self.mark_both(line)
        self.at(moment(WEDNESDAY, 14, 0))
        with self.assertRaisesMessage(ActionRefused, "The room's day ends at 15:05"):
            register.register_close(room=self.rr_room, date=WEDNESDAY, by=self.bob)
        self.at(moment(WEDNESDAY, 15, 5))
        self.assertEqual(
            len(register.register_close(room=self.rr_room, date=WEDNESDAY, by=self.bob)), 1
        )

    def test_it_refuses_a_mark_posted_for_tomorrow_and_hides_the_controls(self):
        line = self.book_ie(days=1).days.get()
        self.login(self.bob)
        response = self.client.post(
            reverse("register-mark", args=[line.pk]), {"session": "am", "kind": "present"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(AttendanceMark.objects.exists())
        close = reverse("register-close", args=["IE1", "2026-11-26"])
        self.client.post(close)
        self.assertEqual(Placement.objects.get().status, "booked")
        response = self.client.get(reverse("register", args=["IE1", "2026-11-26"]))
        self.assertContains(response, "Walsh, Jayden")
        self.assertContains(response, "This day has not come yet")
        for control in ('name="kind"', "Failed the room", close, "register-mark"):
            self.assertNotContains(response, control)
        self.assertContains(response, "Thursday 26 November has not come yet")

    def test_it_leaves_marks_for_a_day_ahead_out_of_the_mis_export(self):
        line = self.book_ie(days=1).days.get()
        # A mark written for a day ahead before this rule (or straight into the database).
        AttendanceMark.objects.create(
            placement_day=line, session="am", kind="present", at=NINE, recorded_by=self.bob
        )
        self.login(self.gita)
        response = self.client.get(
            reverse("marks-export"), {"from": "2026-11-25", "to": "2026-11-27"}
        )
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows, [])


class CraftedDatesTest(RoomDayBase):
    """Dates in the register's URLs and in a move are bounded: a crafted one answers 404 or a
    clear message, never a 500."""

    CRAFTED = ["9999-12-31", "0001-01-01", "2026-02-30", "26-11-2026", "1900-01-01", "3000-01-01"]

    def test_it_answers_404_for_a_crafted_date_on_every_register_page(self):
        self.login(self.bob)
        for day in self.CRAFTED:
            for url in [
                reverse("register", args=["IE1", day]),
                reverse("register", args=["IE1", day]) + "?version=1",
                reverse("register", args=["IE1", day]) + "?partial=1",
                reverse("register-pdf", args=["IE1", day]),
            ]:
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
            with self.subTest(close=day):
                url = reverse("register-close", args=["IE1", day])
                self.assertEqual(self.client.post(url).status_code, 404)

    def test_it_reads_the_register_at_the_edges_of_the_window(self):
        self.login(self.bob)
        for day in ["2019-09-01", "2029-08-31"]:
            with self.subTest(day=day):
                url = reverse("register", args=["IE1", day])
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_refuses_a_crafted_range_for_the_marks_export_with_a_message(self):
        self.login(self.gita)
        for start, end in [
            ("0001-01-01", "0001-01-02"),
            ("9999-12-30", "9999-12-31"),
            ("2026-11-25", "9999-12-31"),
        ]:
            with self.subTest(start=start, end=end):
                response = self.client.get(reverse("marks-export"), {"from": start, "to": end})
                self.assertContains(response, "Choose dates between", status_code=400)

    def test_it_refuses_to_move_a_placement_into_the_past_or_an_absurd_year(self):
        referral = referrals.referral_create(
            student=self.student, provision=self.ie, days=1, by=self.alice
        )
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        self.login(self.charlie)
        move = reverse("placement-move", args=[placement.pk])
        for start_on, problem in [
            ("2026-11-24", "Choose Wednesday 25 November 2026 or later: a placement can&#x27;t"),
            ("0001-01-01", "Choose Wednesday 25 November 2026 or later"),
            ("9999-12-31", "Choose a date between 1 September 2019 and 31 August 2029."),
            ("not a date", "Choose the new first day (a date)."),
        ]:
            with self.subTest(start_on=start_on):
                response = self.client.post(
                    move, {"start_on": start_on, "reason": "Trip"}, follow=True
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, problem)
                # The problem is by the field, which keeps what was typed and the reason.
                self.assertContains(response, f'aria-describedby="move-start-{placement.pk}-error"')
                self.assertContains(response, 'value="Trip"')
        placement.refresh_from_db()
        self.assertEqual(placement.starts_on, THURSDAY)
        with self.assertRaises(ValidationError) as caught:
            placements.placement_move(
                placement=placement, by=self.charlie, start_on=dt.date(1, 1, 1), reason="x"
            )
        self.assertIn("start_on", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            placements.placement_book(
                student=self.student,
                provision=self.rr,
                days=1,
                by=self.bob,
                start_on=dt.date(9999, 12, 31),
            )
