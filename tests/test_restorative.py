"""Restorative meetings: planned from the exit interview or the student page (with a member of
staff or another student who was affected, when, where, who facilitates), then recorded; shown on
the student's timeline at its level."""

import datetime as dt

from django.urls import reverse

from audit.models import AuditEvent
from pastoral.models import Level, RestorativeMeeting
from pastoral.services import restorative
from sanctions.services import placements
from tests.base import WEDNESDAY, SchoolDayTestCase, make_student

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class RestorativeMeetingTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.placement = placements.placement_book(
            student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=WEDNESDAY
        )
        cls.mia = make_student(upn="B123456789012", first="Mia", last="Jones", form=cls.form)

    def plan(self, level=Level.PASTORAL, **extra):
        return restorative.restorative_meeting_plan(
            student=self.student,
            placement=self.placement,
            affected_staff=extra.pop("affected_staff", self.alice.staff),
            affected_student=extra.pop("affected_student", None),
            starts_at=dt.datetime(2026, 11, 26, 12, 30, tzinfo=dt.UTC),
            place="Year 9 office",
            facilitator=self.charlie.staff,
            level=level,
            by=self.bob,
        )

    def test_it_is_planned_from_the_exit_interview_and_recorded(self):
        self.login(self.bob)
        exit_url = reverse("exit-interview", args=[self.placement.pk])
        new_url = reverse("restorative-new", args=[self.student.pk])
        self.assertContains(self.client.get(exit_url), f"{new_url}?placement={self.placement.pk}")
        page = self.client.get(f"{new_url}?placement={self.placement.pk}")
        self.assertContains(page, "Mia Jones")  # another student of the year, to choose
        response = self.client.post(
            f"{new_url}?placement={self.placement.pk}",
            {
                "affected_student": self.mia.pk,
                "starts_at": "2026-11-26T12:30",
                "place": "Year 9 office",
                "facilitator": self.charlie.staff.pk,
                "level": "pastoral",
            },
        )
        meeting = RestorativeMeeting.objects.get()
        url = reverse("restorative-detail", args=[meeting.pk])
        self.assertRedirects(response, url)
        self.assertEqual(
            (meeting.affected_student, meeting.placement, meeting.facilitator, meeting.place),
            (self.mia, self.placement, self.charlie.staff, "Year 9 office"),
        )
        self.assertContains(self.client.get(exit_url), "with Mia Jones")
        response = self.client.post(
            url,
            {
                "attended": "Jayden, Mia, Mr Charlie (facilitator)",
                "said": "Jayden heard how the comments made Mia feel.",
                "agreed": "Jayden apologised; they sit apart in science for two weeks.",
                "outcome": "repaired",
            },
        )
        self.assertRedirects(response, url)
        page = self.client.get(url)
        self.assertContains(page, "Jayden apologised")
        self.assertContains(page, "Harm repaired: agreement reached")
        self.assertNotContains(page, "Record the meeting</button>")
        self.assertTrue(
            AuditEvent.objects.filter(detail__page="restorative meeting", user=self.bob).exists()
        )

    def test_it_needs_someone_affected_and_a_place(self):
        self.login(self.charlie)
        url = reverse("restorative-new", args=[self.student.pk])
        page = self.client.post(
            url, {"starts_at": "2026-11-26T12:30", "place": "Office", "level": "staff"}
        )
        self.assertContains(page, "Choose who was affected")
        page = self.client.post(url, {"starts_at": "not a time", "place": ""})
        self.assertEqual(page.status_code, 200)
        self.assertFalse(RestorativeMeeting.objects.exists())

    def test_the_student_page_links_to_planning_one_for_those_who_hold_interviews(self):
        new_url = reverse("restorative-new", args=[self.student.pk])
        student_url = reverse("student-detail", args=[self.student.pk])
        self.login(self.charlie)
        self.assertContains(self.client.get(student_url), new_url)
        self.login(self.alice)
        self.assertNotContains(self.client.get(student_url), new_url)

    def test_the_timeline_shows_it_at_its_level_and_a_child_protection_one_to_nobody_else(self):
        pastoral = self.plan()
        secret = self.plan(level=Level.CHILD_PROTECTION, affected_staff=self.evan.staff)
        student_url = reverse("student-detail", args=[self.student.pk])
        self.login(self.charlie)  # head of year: pastoral level
        page = self.client.get(student_url)
        self.assertContains(page, reverse("restorative-detail", args=[pastoral.pk]))
        self.assertContains(page, "Restorative meeting with")
        self.assertNotContains(page, reverse("restorative-detail", args=[secret.pk]))
        self.assertEqual(
            self.client.get(reverse("restorative-detail", args=[secret.pk])).status_code, 404
        )
        self.login(self.gita)  # attendance: staff level only
        page = self.client.get(student_url)
        self.assertNotContains(page, "Restorative meeting")
        self.login(self.dana)  # the DSL
        self.assertContains(
            self.client.get(student_url), reverse("restorative-detail", args=[secret.pk])
        )
        self.login(self.bob)  # its planner
        self.assertEqual(
            self.client.get(reverse("restorative-detail", args=[secret.pk])).status_code, 200
        )

    def test_its_level_is_only_raised(self):
        meeting = self.plan()
        self.login(self.bob)
        url = reverse("restorative-detail", args=[meeting.pk])
        self.client.post(url, {"level": "staff"})
        meeting.refresh_from_db()
        self.assertEqual(meeting.level, Level.PASTORAL)
        self.client.post(url, {"level": "child_protection"})
        meeting.refresh_from_db()
        self.assertEqual(meeting.level, Level.CHILD_PROTECTION)
