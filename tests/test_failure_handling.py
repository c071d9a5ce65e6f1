"""Failure handling (issue 13), each proven: Redis down or hanging costs raising an on-call a
bounded moment and the call is saved (clients fall back to polling); a database error in the
middle of a booking leaves nothing half-written."""

import socket
import threading
import time
from unittest import mock

from django.conf import settings
from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse

from audit.models import StateChange
from notify.models import Message
from pastoral.models import Interview
from patrol import events
from patrol.models import OnCallReason, OnCallRequest
from patrol.services import on_call
from sanctions.models import Placement, PlacementDay, Referral
from sanctions.services import escalation, referrals
from tests.base import SchoolDayTestCase, make_guardian
from work.models import WorkRequest


class SilentServer:
    """A TCP server that accepts connections and never answers: a hanging Redis."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.running = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.running = False
        for conn in self.held:
            conn.close()
        self.sock.close()


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def redis_layer(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{port}/0"]},
        }
    }


class RedisFailureTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        on_call.on_call_reasons_ensure_defaults()
        cls.reason = OnCallReason.objects.get(label="Refusing to follow instructions")

    def setUp(self):
        super().setUp()
        events.live_events_resume()
        self.addCleanup(events.live_events_resume)

    def raise_call(self):
        self.login(self.alice)
        started = time.monotonic()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            response = self.client.post(
                reverse("on-call-raise"),
                {"room": self.room.pk, "urgency": "routine", "reason": self.reason.pk},
            )
        elapsed = time.monotonic() - started
        self.assertTrue(callbacks, "the live event is sent after commit")
        return response, elapsed

    def check_raised_quickly(self, port):
        # First, with a working (in-memory) layer: the first request of a process pays for
        # loading its modules and templates, which is not what is measured here.
        _, healthy = self.raise_call()
        OnCallRequest.objects.all().delete()
        with override_settings(CHANNEL_LAYERS=redis_layer(port)):
            with self.assertLogs("patrol.events", "ERROR"):
                response, elapsed = self.raise_call()
            request = OnCallRequest.objects.get()
            self.assertRedirects(response, reverse("on-call-detail", args=[request.pk]))
            self.assertLess(elapsed, healthy + settings.LIVE_EVENT_TIMEOUT_SECONDS + 1.0)
            # The next call within the quiet spell does not wait at all.
            OnCallRequest.objects.all().delete()
            with self.assertLogs("patrol.events", "WARNING"):
                _, again = self.raise_call()
            self.assertLess(again, healthy + 0.5)
            self.assertEqual(OnCallRequest.objects.count(), 1)
        # The queue page (what polling reads) still works without Redis.
        self.login(self.bob)
        self.assertEqual(self.client.get(reverse("on-call-queue-json")).status_code, 200)

    def test_a_hanging_redis_costs_raising_an_on_call_a_moment_and_the_call_is_saved(self):
        server = SilentServer()
        self.addCleanup(server.close)
        self.check_raised_quickly(server.port)

    def test_a_redis_that_is_down_costs_raising_an_on_call_nothing_and_the_call_is_saved(self):
        self.check_raised_quickly(closed_port())


class BookingDatabaseErrorTest(SchoolDayTestCase):
    """The database fails after the placement, its days, work requests, interview and letter are
    written, at the last step (the escalation ladder's check): nothing of the booking remains,
    and the referral is still waiting for a decision."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_guardian(cls.student)

    def counts(self):
        return {
            model.__name__: model.objects.count()
            for model in (Placement, PlacementDay, WorkRequest, Interview, Message, StateChange)
        }

    def test_a_database_error_mid_booking_leaves_nothing_half_written(self):
        referral = referrals.referral_create(
            student=self.student, provision=self.ie, days=2, by=self.alice
        )
        before = self.counts()
        written = {}

        def fail(**kwargs):
            # Everything before this step is written by now: prove it, then fail as a lost
            # connection or a full disk would.
            written.update(self.counts())
            raise DatabaseError("disk full")

        with (
            mock.patch.object(escalation, "ladder_follow", side_effect=fail),
            self.assertRaises(DatabaseError),
        ):
            referrals.referral_approve(referral=referral, by=self.charlie)
        self.assertEqual(written["Placement"], before["Placement"] + 1)
        self.assertEqual(written["PlacementDay"], before["PlacementDay"] + 2)
        self.assertGreater(written["WorkRequest"], before["WorkRequest"])
        self.assertGreater(written["Message"], before["Message"])
        self.assertEqual(self.counts(), before)
        referral.refresh_from_db()
        self.assertEqual(referral.status, Referral.Status.PENDING)
        # And the booking goes through once the database is back.
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        self.assertEqual(placement.days.count(), 2)
