"""The referral form says which of room / place is required and shows the error by it; a
referral the escalation ladder raised reads as what happened."""

import datetime as dt

from django.urls import reverse

from sanctions.models import Referral
from sanctions.services import referrals, register
from tests.base import LONDON, WEDNESDAY, SchoolDayTestCase, freeze_clock

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class ReferralFormWhereTest(SchoolDayTestCase):
    def data(self, **overrides):
        return {
            "occurred_at": "2026-11-25T09:40",
            "room": "",
            "location": "",
            "reason": self.refusal.pk,
            "part": "perpetrator",
            "description": "Walked out.",
            "provision": self.ie.pk,
            "days": "1",
        } | overrides

    def test_it_says_one_of_room_or_place_is_required(self):
        self.login(self.alice)
        page = self.client.get(reverse("referral-new", args=[self.student.pk])).content.decode()
        self.assertIn("Choose a room, or name another place: one of the two is required.", page)
        # Neither field claims to be optional: one of them is not.
        self.assertNotIn('Room <span class="muted">(optional)</span>', page)
        self.assertNotIn('Or another place <span class="muted">(optional)</span>', page)

    def test_it_shows_the_missing_place_by_the_room_field(self):
        self.login(self.alice)
        response = self.client.post(reverse("referral-new", args=[self.student.pk]), self.data())
        self.assertContains(
            response,
            '<span class="error" id="id_room_error">Say where it happened: choose a room or '
            "name a place.</span>",
            html=False,
        )
        self.assertContains(response, 'href="#id_room"')

    def test_it_takes_a_place_without_a_room(self):
        self.login(self.alice)
        self.client.post(
            reverse("referral-new", args=[self.student.pk]), self.data(location="Canteen")
        )
        self.assertTrue(Referral.objects.exists())


class EscalatedReferralTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        incident = self.walked_out()
        self.first = referrals.referral_create(
            student=self.student, provision=self.ie, days=2, by=self.alice, incident=incident
        )
        placement = referrals.referral_approve(referral=self.first, by=self.charlie)
        freeze_clock(self, dt.datetime.combine(THURSDAY, dt.time(13, 45), tzinfo=LONDON))
        [self.escalation] = register.placement_fail(
            placement_day=placement.days.get(date=THURSDAY),
            by=self.bob,
            note="Threw a chair after three warnings",
            at=dt.time(13, 40),
        )

    def test_its_page_says_the_ladder_raised_it_after_the_officer_failed_the_student(self):
        self.login(self.charlie)
        response = self.client.get(reverse("referral-detail", args=[self.escalation.pk]))
        self.assertContains(
            response,
            "raised by the escalation ladder after Bob Patel failed Jayden from internal exclusion",
        )
        self.assertContains(response, "Why Jayden failed: Threw a chair after three warnings")
        self.assertNotContains(response, "asked by Bob Patel")

    def test_the_placement_reads_as_its_state_not_booked_booked(self):
        self.login(self.charlie)
        response = self.client.get(reverse("referral-detail", args=[self.first.pk]))
        self.assertContains(response, "Placement failed")
        self.assertNotContains(response, "Booked: ")

    def test_the_list_says_the_ladder_raised_it(self):
        self.login(self.charlie)
        response = self.client.get(reverse("referral-list"))
        self.assertContains(
            response, "Escalation ladder, after Bob Patel failed Jayden from internal exclusion"
        )

    def test_the_students_timeline_says_the_ladder_raised_it(self):
        self.login(self.charlie)
        response = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(response, "Escalation ladder: referral for internal exclusion, 1 day")
        self.assertContains(
            response,
            "Raised by the escalation ladder after Bob Patel failed Jayden from internal "
            "exclusion · “Threw a chair after three warnings”",
        )
        self.assertNotContains(response, "by Bob Patel · Escalation ladder")

    def test_a_referral_a_person_made_still_says_who_asked(self):
        self.login(self.charlie)
        response = self.client.get(reverse("referral-detail", args=[self.first.pk]))
        self.assertContains(response, "asked by Alice Teague")
