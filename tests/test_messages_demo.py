"""The demo's parent messages look like a school that keeps up with them: the term's drafts were
checked and sent (nearly all the same day), a few texts failed, and only the last school day's
bookings still wait to be checked."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase

from audit.models import StateChange
from conduct.lib import clock
from notify.demo import load_messages_demo
from notify.models import Message
from reports.selectors.figures import told_same_day
from sanctions.demo import load_behaviour_history
from sanctions.models import Placement
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school

TODAY = dt.date(2026, 11, 25)  # a Wednesday
LAST_SCHOOL_DAY = dt.date(2026, 11, 24)
S = Message.Status


class MessagesDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_school(generate_school(Params(students_per_year=90, seed=7, today=TODAY)))
        morning = dt.datetime.combine(TODAY, dt.time(8, 0), tzinfo=ZoneInfo("Europe/London"))
        with mock.patch("conduct.lib.clock.now", return_value=morning):
            load_behaviour_history(today=TODAY, seed=7)
            cls.counts = load_messages_demo(today=TODAY, seed=7)
        cls.about_placements = Message.objects.filter(
            audience=Message.Audience.PARENT,
            related_type=ContentType.objects.get_for_model(Placement),
        )

    def booked_on(self, message: Message) -> dt.date:
        return clock.local(Placement.objects.get(pk=message.related_id).booked_at).date()

    def test_only_the_last_school_days_bookings_are_still_drafts(self):
        drafts = list(self.about_placements.filter(status=S.DRAFT))
        self.assertTrue(drafts)
        self.assertEqual({self.booked_on(m) >= LAST_SCHOOL_DAY for m in drafts}, {True})
        older = self.about_placements.exclude(pk__in=[m.pk for m in drafts])
        self.assertEqual(set(older.values_list("status", flat=True)), {S.SENT, S.FAILED})

    def test_nearly_every_family_was_told_the_day_the_placement_was_booked(self):
        sent = self.about_placements.filter(status=S.SENT)
        same_day = told_same_day(Placement.objects.all()).count()
        self.assertEqual(same_day + self.counts["sent_next_day"], sent.count())
        self.assertGreater(same_day, 0.85 * sent.count())
        self.assertEqual(self.counts["sent_same_day"], same_day)

    def test_each_sent_message_was_approved_before_it_went_and_after_the_booking(self):
        for message in self.about_placements.filter(status=S.SENT):
            booked = Placement.objects.get(pk=message.related_id).booked_at
            self.assertLess(booked, message.approved_at)
            self.assertLessEqual(message.approved_at, message.sent_at)
            self.assertLess(message.sent_at, clock.at(TODAY, dt.time(0, 0)))
            if message.channel == Message.Channel.LETTER:
                self.assertIsNotNone(message.sent_by)
            changes = list(
                StateChange.objects.filter(
                    object_type="notify.message", object_id=str(message.pk)
                ).order_by("at", "pk")
            )
            self.assertEqual(changes[0].to_value, S.DRAFT)
            self.assertEqual(changes[-1].to_value, S.SENT)
            self.assertEqual([c.at for c in changes], sorted(c.at for c in changes))

    def test_a_failed_text_says_why(self):
        failed = list(self.about_placements.filter(status=S.FAILED))
        self.assertTrue(failed)
        self.assertEqual(len(failed), self.counts["failed"])
        for message in failed:
            self.assertEqual(message.channel, Message.Channel.SMS)
            self.assertIn("not a mobile", message.last_error)
