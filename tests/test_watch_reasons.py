"""The patrol sees who to drop in on and where, not why (issue 14): a teacher on the on-call rota
reads no watch list reasons on the patrol page or a drop-in page; those who read the watch list
(pastoral staff for their years, SLT, the DSL, the conduct team) do."""

from django.urls import reverse
from django.utils import timezone

from patrol.models import Duty, WatchListEntry
from tests.base import WEDNESDAY, SchoolDayTestCase

REASON = "Low mood since a family bereavement"


class WatchReasonTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.entry = WatchListEntry.objects.create(
            student=cls.student,
            reason=REASON,
            review_on=WEDNESDAY,
            requested_by=cls.charlie.staff,
            added_by=cls.charlie,
            added_at=timezone.now(),
        )
        # Alice teaches and is on the on-call rota this period: she patrols.
        Duty.objects.create(
            date=WEDNESDAY, period=cls.periods["P2"], staff=cls.alice.staff, kind="on_call"
        )

    def pages(self):
        return (
            self.client.get(reverse("patrol-home"), {"tab": "watch"}),
            self.client.get(reverse("drop-in-new", args=[self.entry.pk])),
        )

    def test_it_shows_a_teacher_on_patrol_who_and_where_but_not_why(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("watch-list")).status_code, 403)
        for page in self.pages():
            with self.subTest(page=page.request["PATH_INFO"]):
                self.assertContains(page, "Jayden Walsh")
                self.assertContains(page, "Asked by Ms C Hughes")
                self.assertNotContains(page, REASON)

    def test_it_shows_the_reason_to_those_who_read_the_watch_list(self):
        for person in (self.bob, self.evan):
            self.login(person)
            for page in self.pages():
                with self.subTest(person=person.username, page=page.request["PATH_INFO"]):
                    self.assertContains(page, REASON)
