"""The day in the room: marks and their MIS codes, the behaviour log, failing and the
escalation ladder, closing the day, and the marks export."""

import csv
import datetime as dt
import io
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from sanctions import services
from sanctions.models import AttendanceMark, Placement, Referral, RoomLogEntry
from tests.base import WEDNESDAY, ConductTestCase, make_calendar_and_timetable, make_student
from tests.sanctions_fixtures import make_provision_rooms
from work.models import WorkRequest

LONDON = ZoneInfo("Europe/London")
THURSDAY = WEDNESDAY + dt.timedelta(days=1)
FRIDAY = WEDNESDAY + dt.timedelta(days=2)
NINE = dt.time(9, 0)


def moment(day, hh=10, mm=15):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)


class RoomDayTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_calendar_and_timetable(cls)
        make_provision_rooms(cls)

    def at(self, when):
        for target in (
            "sanctions.services.local_now",
            "sanctions.views.local_now",
            "school.selectors.local_now",
        ):
            patcher = mock.patch(target, return_value=when)
            patcher.start()
            self.addCleanup(patcher.stop)

    def setUp(self):
        self.at(moment(WEDNESDAY))

    def book_ie(self, days=2, student=None):
        return services.placement_book(
            student=student or self.student,
            provision=self.ie,
            days=days,
            booked_by=self.evan,
            start_on=THURSDAY,
        )

    def mark_both(self, line, am="present", pm="present"):
        services.mark_record(
            placement_day=line,
            session="am",
            kind=am,
            at=NINE,
            user=self.bob,
            minutes_late=10 if am == "late" else None,
        )
        services.mark_record(
            placement_day=line, session="pm", kind=pm, at=dt.time(13, 10), user=self.bob
        )

    def test_it_keeps_the_statutory_mark_present_never_e(self):
        line = self.book_ie().days.first()
        self.mark_both(line, am="late", pm="removed")
        codes = {m.session: m.mis_code for m in line.marks.all()}
        self.assertEqual(codes, {"am": "L", "pm": "\\"})
        services.mark_record(
            placement_day=line, session="am", kind="present", at=NINE, user=self.bob
        )
        self.assertEqual(line.marks.get(session="am").mis_code, "/")
        self.assertNotIn("E", {m.mis_code for m in AttendanceMark.objects.all()})

    def test_it_needs_the_minutes_for_a_late_mark(self):
        line = self.book_ie().days.first()
        with self.assertRaises(ValidationError) as caught:
            services.mark_record(
                placement_day=line, session="am", kind="late", at=NINE, user=self.bob
            )
        self.assertEqual(
            caught.exception.message_dict, {"minutes_late": ["Say how many minutes late."]}
        )
        self.assertFalse(AttendanceMark.objects.exists())

    def test_it_logs_warnings_and_breaks_with_times(self):
        line = self.book_ie().days.first()
        services.room_log_add(
            placement_day=line,
            kind="warning",
            at=dt.time(9, 40),
            note="Talking across the room",
            user=self.bob,
        )
        services.room_log_add(
            placement_day=line, kind="break_out", at=dt.time(10, 45), user=self.bob
        )
        self.assertEqual(
            [(e.at, e.kind) for e in line.log_entries.all()],
            [(dt.time(9, 40), "warning"), (dt.time(10, 45), "break_out")],
        )
        with self.assertRaises(ValidationError):
            services.room_log_add(placement_day=line, kind="warning", at=NINE, user=self.bob)

    def test_it_escalates_a_failed_internal_exclusion_as_a_pending_referral(self):
        placement = self.book_ie(days=2)
        first = placement.days.first()
        self.mark_both(first, pm="removed")
        referrals = services.placement_fail(
            placement_day=first,
            user=self.bob,
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
        [escalation] = referrals
        self.assertEqual((escalation.status, escalation.provision.kind), ("pending", "IE"))
        self.assertEqual(escalation.escalated_from, placement)
        self.assertIn("failed internal exclusion", escalation.note)
        self.assertEqual(
            first.log_entries.get(kind=RoomLogEntry.Kind.FAILED).note,
            "Threw a chair after three warnings",
        )

    def test_it_refers_a_second_reflection_room_in_a_week_to_internal_exclusion(self):
        services.placement_book(
            student=self.student, provision=self.rr, days=1, booked_by=self.bob, start_on=WEDNESDAY
        )
        self.assertFalse(Referral.objects.exists())
        second = services.placement_book(
            student=self.student, provision=self.rr, days=1, booked_by=self.bob, start_on=FRIDAY
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
            services.register_close(room=self.ie_room, date=THURSDAY, user=self.bob)
        self.assertEqual(Placement.objects.filter(status="booked").count(), 2)
        self.mark_both(two_days.days.get(date=THURSDAY), am="absent", pm="absent")
        closed = services.register_close(room=self.ie_room, date=THURSDAY, user=self.bob)
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
        incident = services.incident_record(
            occurred_at=moment(WEDNESDAY, 9, 40),
            reason=self.refusal,
            description="Walked out",
            reported_by=self.alice.staff,
            recorded_by=self.alice,
            room=self.room,
            students=[(self.student, "perpetrator")],
        )
        referral = services.referral_create(
            student=self.student,
            provision=self.ie,
            days=1,
            requested_by=self.alice,
            incident=incident,
        )
        placement = services.referral_approve(referral=referral, user=self.charlie)
        self.mark_both(placement.days.get(), am="late")
        services.room_log_add(
            placement_day=placement.days.get(),
            kind="warning",
            at=dt.time(9, 50),
            note="Refused to start work",
            user=self.bob,
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
        from school.models import Guardian, StudentGuardian

        mum = Guardian.objects.create(
            source_id="C1", first_name="Kerry", last_name="Walsh", email="kerry@example.com"
        )
        StudentGuardian.objects.create(student=self.student, guardian=mum, relationship="mother")
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
        from school.models import Guardian, StudentGuardian

        mum = Guardian.objects.create(
            source_id="C1", first_name="Kerry", last_name="Walsh", email="kerry@example.com"
        )
        StudentGuardian.objects.create(student=self.student, guardian=mum, relationship="mother")
        placement = self.book_ie(days=1)
        Message.objects.update(status=Message.Status.SENT)
        services.placement_move(
            placement=placement, user=self.charlie, start_on=dt.date(2026, 12, 1), reason="Trip"
        )
        Message.objects.update(status=Message.Status.SENT)
        services.placement_cancel(placement=placement, user=self.charlie, reason="Overturned")
        cancellation = Message.objects.get(template__key="placement-cancelled")
        self.assertIn("Tuesday 1 December", cancellation.body)
        self.assertNotIn("Thursday 26 November", cancellation.body)
