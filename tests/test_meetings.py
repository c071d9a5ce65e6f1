"""Meetings with parents: invited by each one's preferred channel (email with an .ics event,
received by a real SMTP server on loopback), recorded (who came, what was discussed), and a
meeting nobody came to rearranged."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.test import override_settings

from audit.selectors import history_of
from notify import services as notify_services
from notify.models import Message
from pastoral.models import Meeting
from pastoral.services import meetings
from school.models import Guardian
from tests.base import TEN_FIFTEEN, SchoolDayTestCase, freeze_clock, make_guardian
from tests.smtp import SmtpSink

MONDAY_4PM = dt.datetime(2026, 11, 30, 16, 0, tzinfo=TEN_FIFTEEN.tzinfo)


@override_settings(NOTIFY_SEND_ON_COMMIT=False)
class MeetingTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mum = make_guardian(cls.student)
        cls.dad = make_guardian(
            cls.student,
            relationship="father",
            priority=2,
            title="Mr",
            first_name="Dean",
            email="",
            mobile="07700 900456",
            preferred_channel=Guardian.Channel.SMS,
        )
        cls.gran = make_guardian(
            cls.student, relationship="grandparent", parental_responsibility=False, first_name="Pat"
        )

    def invite(self, **kwargs):
        kwargs.setdefault("starts_at", MONDAY_4PM)
        return meetings.meeting_invite(
            student=self.student,
            place=kwargs.pop("place", "Student services"),
            purpose="to agree how we support Jayden after his time in the room",
            staff=[self.charlie.staff],
            by=self.charlie,
            **kwargs,
        )

    def test_it_invites_each_parent_with_responsibility_by_their_channel(self):
        invitation = self.invite()
        self.assertEqual(invitation.problems, [])
        by_channel = {m.channel: m for m in invitation.messages}
        self.assertEqual(set(by_channel), {"email", "sms"})  # not Gran: no responsibility
        email = by_channel["email"]
        self.assertIn("When: Monday 30 November at 16:00", email.body)
        self.assertIn("Where: Student services", email.body)
        self.assertIn("DTSTART:20261130T160000Z", email.calendar)
        self.assertEqual(by_channel["sms"].calendar, "")
        self.assertEqual(set(invitation.meeting.guardians.all()), {self.mum, self.dad})
        # Approved and sent by the worker, the email reaches the mail server with the event.
        sink = SmtpSink()
        self.addCleanup(sink.stop)
        notify_services.message_approve(message=email, by=self.charlie)
        with self.settings(**sink.settings()):
            notify_services.message_send_due()
        [received] = sink.received
        [calendar] = [p for p in received.walk() if p.get_content_type() == "text/calendar"]
        self.assertIn(b"BEGIN:VEVENT", calendar.get_payload(decode=True))

    def test_it_refuses_a_time_gone_by_and_a_missing_place(self):
        with self.assertRaises(ValidationError) as caught:
            self.invite(starts_at=TEN_FIFTEEN - dt.timedelta(hours=1), place=" ")
        self.assertEqual(set(caught.exception.message_dict), {"starts_at", "place"})
        self.assertFalse(Meeting.objects.exists())
        self.assertFalse(Message.objects.exists())

    def test_it_records_who_came_and_what_was_discussed(self):
        meeting = self.invite().meeting
        with self.assertRaises(ValidationError):  # not yet
            meetings.meeting_record(
                meeting=meeting, attended_by=[self.mum], discussed="x", by=self.charlie
            )
        freeze_clock(self, MONDAY_4PM + dt.timedelta(minutes=40))
        with self.assertRaises(ValidationError):  # Gran was not invited
            meetings.meeting_record(
                meeting=meeting, attended_by=[self.gran], discussed="x", by=self.charlie
            )
        meetings.meeting_record(
            meeting=meeting,
            attended_by=[self.mum],
            discussed="Agreed a report card and mentoring.",
            by=self.charlie,
        )
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.HELD)
        self.assertEqual(list(meeting.attended_by.all()), [self.mum])
        self.assertEqual([c.to_value for c in history_of(meeting)], ["invited", "held"])
        with self.assertRaisesMessage(ValidationError, "already been recorded"):
            meetings.meeting_record(meeting=meeting, attended_by=[], discussed="", by=self.charlie)

    def test_a_meeting_nobody_came_to_is_rearranged_and_the_family_invited_again(self):
        meeting = self.invite().meeting
        freeze_clock(self, MONDAY_4PM + dt.timedelta(hours=1))
        meetings.meeting_record(meeting=meeting, attended_by=[], discussed="", by=self.charlie)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.NOT_ATTENDED)
        again = meetings.meeting_rearrange(
            meeting=meeting, starts_at=MONDAY_4PM + dt.timedelta(days=2), by=self.charlie
        )
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.REARRANGED)
        self.assertEqual(again.meeting.rearranged_from, meeting)
        self.assertEqual(len(again.messages), 2)
        with self.assertRaises(ValidationError):
            meetings.meeting_rearrange(
                meeting=meeting, starts_at=MONDAY_4PM + dt.timedelta(days=3), by=self.charlie
            )
