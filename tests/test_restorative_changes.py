"""A planned restorative meeting can be moved (new time and/or place) or cancelled (with the
reason), by those who may record it; the old time and place and the reason stay in its history,
and a meeting held or cancelled can no longer be changed (issue 10, docs/restorative.md)."""

import datetime as dt

from django.urls import reverse

from audit.selectors import history_of
from conduct.lib.errors import ActionRefused
from pastoral.models import Level, RestorativeMeeting
from pastoral.services import restorative
from sanctions.services import placements
from tests.base import LONDON, WEDNESDAY, SchoolDayTestCase


class RestorativeMoveAndCancelTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.placement = placements.placement_book(
            student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=WEDNESDAY
        )

    def setUp(self):
        super().setUp()
        self.meeting = restorative.restorative_meeting_plan(
            student=self.student,
            placement=self.placement,
            affected_staff=self.alice.staff,
            affected_student=None,
            starts_at=dt.datetime(2026, 11, 26, 12, 30, tzinfo=LONDON),
            place="Year 9 office",
            facilitator=self.charlie.staff,
            level=Level.PASTORAL,
            by=self.bob,
        )
        self.url = reverse("restorative-detail", args=[self.meeting.pk])

    def test_it_is_moved_and_the_old_time_and_place_stay_in_its_history(self):
        self.login(self.charlie)
        page = self.client.get(self.url)
        self.assertContains(page, "Move the meeting</button>")
        self.assertContains(page, "Cancel the meeting</button>")
        response = self.client.post(
            self.url,
            {"action": "move", "move-starts_at": "2026-11-27T14:05", "move-place": "Library"},
        )
        self.assertRedirects(response, self.url)
        self.meeting.refresh_from_db()
        self.assertEqual(
            (self.meeting.starts_at, self.meeting.place, self.meeting.status),
            (dt.datetime(2026, 11, 27, 14, 5, tzinfo=LONDON), "Library", "planned"),
        )
        page = self.client.get(self.url)
        self.assertContains(
            page, "Moved from 12:30 Thu 26 Nov in Year 9 office to 14:05 Fri 27 Nov in Library"
        )
        [moved] = history_of(self.meeting).filter(field="starts_at")
        self.assertEqual(
            (moved.from_value, moved.to_value, moved.by),
            ("2026-11-26 12:30", "2026-11-27 14:05", self.charlie),
        )
        # The timeline shows the new place.
        student_page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(student_page, "planned, Library")

    def test_moving_needs_a_change_and_a_place_and_no_input_gives_a_500(self):
        self.login(self.bob)
        for data, says in [
            (
                {"move-starts_at": "2026-11-26T12:30", "move-place": "Year 9 office"},
                "Choose a new time or a new place.",
            ),
            ({"move-starts_at": "2026-11-26T12:30", "move-place": "  "}, "This field is required."),
            ({"move-starts_at": "not a time", "move-place": "Library"}, "Enter a valid date/time."),
        ]:
            with self.subTest(data=data):
                page = self.client.post(self.url, {"action": "move", **data})
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, says)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.place, "Year 9 office")
        self.assertFalse(history_of(self.meeting).filter(field="starts_at").exists())

    def test_it_is_cancelled_with_a_reason_and_then_can_be_neither_recorded_nor_moved(self):
        self.login(self.bob)
        page = self.client.post(self.url, {"action": "cancel", "cancel-reason": ""})
        self.assertContains(page, "This field is required.")
        response = self.client.post(
            self.url, {"action": "cancel", "cancel-reason": "Mrs Teague is on a course that day."}
        )
        self.assertRedirects(response, self.url)
        self.meeting.refresh_from_db()
        self.assertEqual(
            (self.meeting.status, self.meeting.cancel_reason, self.meeting.cancelled_by),
            ("cancelled", "Mrs Teague is on a course that day.", self.bob),
        )
        page = self.client.get(self.url)
        self.assertContains(page, "Mrs Teague is on a course that day.")
        self.assertNotContains(page, "Record the meeting</button>")
        self.assertNotContains(page, "Move the meeting</button>")
        [cancelled] = history_of(self.meeting).filter(to_value="cancelled")
        self.assertEqual(
            (cancelled.from_value, cancelled.note),
            ("planned", "Mrs Teague is on a course that day."),
        )
        # Nothing changes a cancelled meeting, whatever is posted.
        page = self.client.post(
            self.url,
            {"action": "move", "move-starts_at": "2026-11-30T09:00", "move-place": "Hall"},
            follow=True,
        )
        self.assertContains(page, "changed meanwhile")
        self.client.post(
            self.url,
            {"attended": "Jayden", "said": "Something", "agreed": "", "outcome": "repaired"},
        )
        with self.assertRaises(ActionRefused):
            restorative.restorative_meeting_cancel(
                meeting=self.meeting, reason="Again", by=self.bob
            )
        self.meeting.refresh_from_db()
        self.assertEqual((self.meeting.status, self.meeting.place), ("cancelled", "Year 9 office"))
        student_page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(student_page, "Restorative meeting with Ms A Teague: cancelled")

    def test_a_held_meeting_cannot_be_moved_or_cancelled(self):
        restorative.restorative_meeting_record(
            meeting=self.meeting,
            attended="Jayden, Ms Teague",
            said="Talked it through",
            agreed="",
            outcome=RestorativeMeeting.Outcome.REPAIRED,
            by=self.bob,
        )
        with self.assertRaises(ActionRefused):
            restorative.restorative_meeting_cancel(meeting=self.meeting, reason="No", by=self.bob)
        with self.assertRaises(ActionRefused):
            restorative.restorative_meeting_move(
                meeting=self.meeting, starts_at=self.meeting.starts_at, place="Hall", by=self.bob
            )

    def test_only_those_who_may_record_it_can_move_or_cancel_it(self):
        RestorativeMeeting.objects.filter(pk=self.meeting.pk).update(level=Level.STAFF)
        self.login(self.gita)  # attendance reads it (staff level) but holds no interviews
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Cancel the meeting</button>")
        response = self.client.post(self.url, {"action": "cancel", "cancel-reason": "No"})
        self.assertEqual(response.status_code, 403)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, "planned")
