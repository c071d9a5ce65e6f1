"""The patrol's visit card reads right whatever the teacher gave (a class, a room, both), and a
waiting visit says how long it has waited."""

import datetime as dt

from django.urls import reverse

from patrol.models import SentOut
from tests.base import TEN_FIFTEEN, SchoolDayTestCase


class VisitCardTest(SchoolDayTestCase):
    def sent(self, *, minutes_ago=3, **where):
        return SentOut.objects.create(
            student=self.student,
            reason="Throwing paper",
            sent_to="corridor",
            sent_at=TEN_FIFTEEN - dt.timedelta(minutes=minutes_ago),
            logged_by=self.alice,
            logged_at=TEN_FIFTEEN,
            **where,
        )

    def card(self) -> str:
        self.login(self.bob)
        page = self.client.get(reverse("patrol-home"), {"tab": "visits"})
        self.assertEqual(page.status_code, 200)
        text = page.content.decode()
        start = text.index('<p class="meta">')
        return " ".join(text[start : text.index("</p>", start)].split())

    def test_a_class_and_a_room(self):
        self.sent(teaching_class=self.maths_class, from_room=self.room)
        self.assertIn("Sent out of 9X/Ma1 in M4 at", self.card())

    def test_a_room_and_no_class(self):
        self.sent(from_room=self.room)
        card = self.card()
        self.assertIn("Sent out of a lesson in M4 at", card)
        self.assertNotIn("of  in", card)

    def test_a_class_and_no_room(self):
        self.sent(teaching_class=self.maths_class)
        self.assertIn("Sent out of 9X/Ma1 at", self.card())

    def test_neither(self):
        self.sent()
        self.assertIn("Sent out of a lesson at", self.card())

    def test_a_waiting_visit_says_how_long_it_has_waited(self):
        self.sent(minutes_ago=12, from_room=self.room)
        self.assertIn("waiting 12 min", self.card())

    def test_a_long_wait_reads_in_hours(self):
        self.sent(minutes_ago=75, from_room=self.room)
        self.assertIn("waiting 1 h 15 min", self.card())

    def test_a_visit_just_logged(self):
        self.sent(minutes_ago=0, from_room=self.room)
        self.assertIn("waiting under a minute", self.card())
