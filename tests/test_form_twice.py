"""A form sent twice (a double click, a retry on a slow phone) makes one record: the second send
of the same token changes nothing and leads to what the first one did (conduct/submissions.py).
"""

import datetime as dt

from django.urls import reverse

from conduct import submissions
from notify.models import Message
from sanctions.models import Incident, Placement, PlacementDay, Referral
from sanctions.services import referrals
from tests.base import SchoolDayTestCase, make_guardian

MONDAY = dt.date(2026, 11, 30)


class FormSentTwiceTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_guardian(cls.student)

    def twice(self, url, data):
        """POST the same form (one token) twice; the two responses."""
        data = {**data, submissions.FIELD: submissions.new_token()}
        return self.client.post(url, data), self.client.post(url, data)

    def pending_referral(self):
        incident = self.walked_out()
        return referrals.referral_create(
            student=self.student, provision=self.ie, days=1, by=self.alice, incident=incident
        )

    def test_a_referral_sent_twice_makes_one_referral_and_shows_it(self):
        self.login(self.alice)
        first, second = self.twice(
            reverse("referral-new", args=[self.student.pk]),
            {
                "occurred_at": "2026-11-25T09:40",
                "room": self.room.pk,
                "reason": self.refusal.pk,
                "part": "perpetrator",
                "description": "Walked out of the lesson.",
                "provision": self.ie.pk,
                "days": "1",
            },
        )
        referral = Referral.objects.get()
        self.assertEqual(Incident.objects.count(), 1)
        page = reverse("referral-detail", args=[referral.pk])
        self.assertRedirects(first, page, fetch_redirect_response=False)
        self.assertRedirects(second, page, fetch_redirect_response=False)

    def test_an_approval_sent_twice_books_once_and_drafts_one_letter(self):
        referral = self.pending_referral()
        self.login(self.charlie)
        first, second = self.twice(
            reverse("referral-detail", args=[referral.pk]),
            {"approve": "", "approve-days": "1", "approve-provision": self.ie.pk},
        )
        page = reverse("referral-detail", args=[referral.pk])
        self.assertRedirects(first, page, fetch_redirect_response=False)
        # Not a "this referral has already been decided" error: the outcome of the first.
        self.assertRedirects(second, page, fetch_redirect_response=False)
        self.assertEqual(Placement.objects.count(), 1)
        self.assertEqual(Message.objects.count(), 1)

    def test_a_decline_sent_twice_shows_the_first_decision(self):
        referral = self.pending_referral()
        self.login(self.charlie)
        first, second = self.twice(
            reverse("referral-detail", args=[referral.pk]),
            {"decline": "", "decline-reason": "Spoke to him instead."},
        )
        self.assertEqual(first.status_code, 302)
        self.assertRedirects(
            second, reverse("referral-detail", args=[referral.pk]), fetch_redirect_response=False
        )
        referral.refresh_from_db()
        self.assertEqual(referral.status, Referral.Status.DECLINED)

    def test_an_invalid_form_keeps_no_token_so_it_can_be_sent_again(self):
        referral = self.pending_referral()
        self.login(self.charlie)
        url = reverse("referral-detail", args=[referral.pk])
        token = submissions.new_token()
        refused = self.client.post(
            url, {"decline": "", "decline-reason": "", submissions.FIELD: token}
        )
        self.assertContains(refused, "This field is required")
        self.client.post(url, {"decline": "", "decline-reason": "No.", submissions.FIELD: token})
        referral.refresh_from_db()
        self.assertEqual(referral.status, Referral.Status.DECLINED)

    def test_a_move_sent_twice_moves_once_and_drafts_one_letter(self):
        referral = self.pending_referral()
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        self.login(self.bob)
        letters = Message.objects.count()
        first, second = self.twice(
            reverse("placement-move", args=[placement.pk]),
            {"start_on": MONDAY.isoformat(), "reason": "Trip on Thursday"},
        )
        page = reverse("referral-detail", args=[referral.pk])
        self.assertRedirects(second, page, fetch_redirect_response=False)
        self.assertEqual(Message.objects.count(), letters + 1)
        self.assertEqual(
            list(PlacementDay.objects.filter(is_active=True).values_list("date", flat=True)),
            [MONDAY],
        )
        messages = [str(m) for m in second.wsgi_request._messages]
        self.assertFalse([m for m in messages if "cannot" in m or "not" in m.split()], messages)

    def test_a_cancel_sent_twice_cancels_once_without_an_error(self):
        placement = referrals.referral_approve(referral=self.pending_referral(), by=self.charlie)
        self.login(self.bob)
        first, second = self.twice(
            reverse("placement-cancel", args=[placement.pk]), {"reason": "Wrong student"}
        )
        followed = self.client.get(second.url)
        self.assertContains(followed, "Placement cancelled")
        self.assertNotContains(followed, "Only a booked placement can be cancelled")
        placement.refresh_from_db()
        self.assertEqual(placement.status, Placement.Status.CANCELLED)

    def test_a_letter_approved_twice_is_approved_once_without_an_error(self):
        referrals.referral_approve(referral=self.pending_referral(), by=self.charlie)
        message = Message.objects.get()
        self.login(self.bob)
        first, second = self.twice(
            reverse("message-detail", args=[message.pk]), {"action": "approve"}
        )
        page = reverse("message-detail", args=[message.pk])
        self.assertRedirects(first, page, fetch_redirect_response=False)
        self.assertRedirects(second, page, fetch_redirect_response=False)
        message.refresh_from_db()
        self.assertIn(message.status, (Message.Status.QUEUED, Message.Status.SENT))
        self.assertEqual(message.approved_by, self.bob)

    def test_every_create_or_decision_form_carries_a_token(self):
        referral = self.pending_referral()
        self.login(self.charlie)
        page = self.client.get(reverse("referral-detail", args=[referral.pk])).content.decode()
        self.assertEqual(page.count('name="submission"'), 2)  # approve, decline
        referrals.referral_approve(referral=referral, by=self.charlie)
        page = self.client.get(reverse("referral-detail", args=[referral.pk])).content.decode()
        self.assertEqual(page.count('name="submission"'), 2)  # move, cancel
        page = self.client.get(reverse("referral-new", args=[self.student.pk])).content.decode()
        self.assertEqual(page.count('name="submission"'), 1)
        message = Message.objects.get()
        page = self.client.get(reverse("message-detail", args=[message.pk])).content.decode()
        self.assertEqual(page.count('name="submission"'), 3)  # save, approve, cancel
