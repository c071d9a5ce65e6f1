"""Raising the level of a room log note, a drop-in and an on-call outcome note from their pages
(issue 10): shown only to those who may raise it, offering only higher levels; and the patrol's
"last drop-in" is the last one the reader may see (a record above their level is nothing at
all)."""

import datetime as dt

from django.urls import reverse

from pastoral.models import Level
from patrol.services import watch_list
from tests.base import LONDON, WEDNESDAY, SchoolDayTestCase

SECRET = "Disclosed something at home"


def at(time: str) -> dt.datetime:
    return dt.datetime.combine(WEDNESDAY, dt.time.fromisoformat(time), tzinfo=LONDON)


class PatrolLastDropInTest(SchoolDayTestCase):
    def test_a_child_protection_drop_in_is_not_the_last_drop_in_for_others(self):
        entry = watch_list.watch_list_add(
            by=self.bob,
            student=self.student,
            reason="Struggling after a move",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )
        watch_list.drop_in_record(
            entry_id=entry.pk,
            by=self.bob,
            engagement=4,
            note="On task",
            at=at("09:10"),
            now=at("09:10"),
        )
        watch_list.drop_in_record(
            entry_id=entry.pk,
            by=self.dana,
            engagement=1,
            note=SECRET,
            level=Level.CHILD_PROTECTION,
            at=at("10:40"),
            now=at("10:40"),
        )
        url = reverse("patrol-home") + "?tab=watch"
        for person, last in [
            (self.evan, "Last drop-in: Wed 25 Nov 09:10"),
            (self.bob, "Last drop-in: Wed 25 Nov 09:10"),
            (self.dana, "Last drop-in: Wed 25 Nov 10:40"),
        ]:
            with self.subTest(person=person.username):
                self.login(person)
                page = self.client.get(url).content.decode()
                self.assertIn(last, page)
                if person != self.dana:
                    self.assertNotIn("10:40", page)
