"""A student booked in a room today (internal exclusion in IE1) who is then sent out of a lesson:
the removal to the reflection room says what is really the case, and the sent-out form's result
and the patrol's visit card warn that the student is booked in a room today."""

from django.urls import reverse

from patrol.models import SentOut
from patrol.services import sent_out
from sanctions.models import Placement
from sanctions.services import placements
from tests.base import WEDNESDAY, SchoolDayTestCase


class BookedTodayTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )

    def sent(self):
        return sent_out.sent_out_log(
            by=self.alice,
            student=self.student,
            reason="Throwing paper",
            sent_to="corridor",
            teaching_class=self.maths_class,
            from_room=self.room,
        )

    def test_removal_says_the_student_is_booked_in_ie1_not_that_the_room_is_full(self):
        sent = self.sent()
        self.login(self.bob)
        response = self.client.post(
            reverse("sent-out-visit", args=[sent.pk]), {"outcome": "removed"}, follow=True
        )
        text = response.content.decode()
        self.assertIn("Jayden Walsh is booked in IE1 today", text)
        self.assertNotIn("no free place", text)
        self.assertEqual(Placement.objects.filter(provision=self.rr).count(), 0)
        sent.refresh_from_db()
        self.assertEqual(sent.outcome, "")  # nothing kept: the visit can be recorded again

    def test_the_sent_out_form_warns_the_student_is_booked_in_a_room_today(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("sent-out-new"),
            {
                "student": self.student.pk,
                "teaching_class": self.maths_class.pk,
                "from_room": self.room.pk,
                "sent_to": "corridor",
                "reason": "Swearing",
            },
            follow=True,
        )
        self.assertEqual(SentOut.objects.count(), 1)
        self.assertContains(response, "Jayden Walsh is booked in IE1 today")

    def test_the_visit_card_warns_the_student_is_booked_in_a_room_today(self):
        self.sent()
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"), {"tab": "visits"})
        self.assertContains(page, "Booked in IE1 today (Internal exclusion)")

    def test_a_student_booked_nowhere_gets_no_warning(self):
        Placement.objects.update(status=Placement.Status.CANCELLED)
        self.sent()
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"), {"tab": "visits"})
        self.assertNotContains(page, "Booked in")
