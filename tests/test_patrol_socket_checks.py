"""The on-call socket asks the policy for every event and message, not only when it opens
(issue 14): after signing out, and after the duty ended, it closes instead of sending names and
notes; and only a page of this site, same host and port, may open it."""

import asyncio
import datetime as dt
from unittest import mock

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import SimpleTestCase, TransactionTestCase
from django.urls import reverse

from audit.models import AuditEvent
from conduct.asgi import application
from conduct.websockets import origin_allowed
from patrol.consumers import FORBIDDEN, OnCallQueueConsumer
from patrol.models import Duty, OnCallReason
from patrol.services import on_call
from tests.base import TEN_FIFTEEN, WEDNESDAY, make_calendar_and_timetable, make_people

SITE = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]


class SocketRecheckTest(TransactionTestCase):
    serialized_rollback = True

    def setUp(self):
        make_people(self)
        on_call.on_call_reasons_ensure_defaults()
        self.reason = OnCallReason.objects.order_by("position").first()
        self.communicators = []
        self.clock = mock.patch("conduct.lib.clock.now", return_value=TEN_FIFTEEN)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    async def asyncTearDown(self):
        for communicator in self.communicators:
            await communicator.disconnect()

    def raise_request(self, note="Jayden refusing to leave"):
        return on_call.on_call_request_raise(
            by=self.alice, reason=self.reason, location="M4", note=note
        )

    async def open_socket(self, user, site=SITE):
        """A socket opened the way a browser does: a page at `site`, the session cookie."""
        await database_sync_to_async(self.client.force_login)(user)
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={self.client.cookies[name].value}".encode()
        communicator = WebsocketCommunicator(
            application, "/ws/on-call/", headers=[*site, (b"cookie", cookie)]
        )
        connected, _ = await communicator.connect()
        return communicator, connected

    async def signed_in_socket(self, user):
        communicator, connected = await self.open_socket(user)
        self.assertTrue(connected)
        self.communicators.append(communicator)
        self.assertEqual((await communicator.receive_json_from(timeout=5))["type"], "snapshot")
        return communicator

    async def assert_closed(self, communicator):
        output = await communicator.receive_output(timeout=5)
        self.assertEqual(output, {"type": "websocket.close", "code": FORBIDDEN})

    async def test_it_closes_the_socket_when_its_person_signs_out(self):
        communicator = await self.signed_in_socket(self.bob)
        await database_sync_to_async(self.client.post)(reverse("logout"))
        await self.assert_closed(communicator)

    async def test_it_sends_no_call_to_a_socket_whose_session_has_gone(self):
        communicator = await self.signed_in_socket(self.bob)
        await database_sync_to_async(lambda: Session.objects.all().delete())()
        await database_sync_to_async(self.raise_request)()
        await self.assert_closed(communicator)

    async def test_it_answers_no_refresh_after_the_session_has_gone(self):
        communicator = await self.signed_in_socket(self.bob)
        await database_sync_to_async(self.raise_request)()
        await communicator.receive_json_from(timeout=5)  # the call, while signed in
        await database_sync_to_async(lambda: Session.objects.all().delete())()
        await communicator.send_json_to({"type": "refresh"})
        await self.assert_closed(communicator)

    async def test_it_closes_a_quiet_socket_within_its_recheck_time(self):
        with mock.patch.object(OnCallQueueConsumer, "recheck_seconds", 0.05):
            communicator = await self.signed_in_socket(self.bob)
            await database_sync_to_async(lambda: Session.objects.all().delete())()
            await self.assert_closed(communicator)

    async def test_it_closes_the_socket_when_the_duty_ends(self):
        await database_sync_to_async(make_calendar_and_timetable)(self)
        await database_sync_to_async(Duty.objects.create)(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )
        communicator = await self.signed_in_socket(self.hugo)
        await database_sync_to_async(self.raise_request)()
        event = await communicator.receive_json_from(timeout=5)
        self.assertEqual(event["kind"], "raised")
        # Period 2 ends at 11:00: at 11:05 Hugo is no longer on call.
        self.clock.stop()
        self.clock = mock.patch(
            "conduct.lib.clock.now", return_value=TEN_FIFTEEN + dt.timedelta(minutes=50)
        )
        self.clock.start()
        await database_sync_to_async(self.raise_request)("Second call")
        await self.assert_closed(communicator)

    async def test_it_refuses_a_socket_from_another_port_of_the_same_host(self):
        other_port = [(b"origin", b"http://127.0.0.1:8001"), (b"host", b"127.0.0.1:8000")]
        _, connected = await self.open_socket(self.bob, site=other_port)
        self.assertFalse(connected)

    async def test_it_logs_the_snapshot_it_sends(self):
        await database_sync_to_async(self.raise_request)()
        await self.signed_in_socket(self.bob)
        event = await database_sync_to_async(AuditEvent.objects.latest)("pk")
        self.assertEqual((event.user_id, event.action), (self.bob.pk, AuditEvent.Action.VIEW))
        self.assertEqual(
            (event.detail["page"], event.detail["open"]), ("on-call socket snapshot", 1)
        )

    async def test_it_keeps_sending_to_someone_still_allowed(self):
        communicator = await self.signed_in_socket(self.bob)
        await database_sync_to_async(self.raise_request)()
        self.assertEqual((await communicator.receive_json_from(timeout=5))["kind"], "raised")
        await communicator.send_json_to({"type": "refresh"})
        self.assertEqual((await communicator.receive_json_from(timeout=5))["type"], "snapshot")
        await asyncio.sleep(0)


class SocketOriginTest(SimpleTestCase):
    def test_it_compares_the_port_of_the_page_that_opens_the_socket(self):
        self.assertTrue(origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000"))
        self.assertFalse(origin_allowed("http://127.0.0.1:8001", "127.0.0.1:8000"))
        self.assertFalse(origin_allowed("http://127.0.0.1", "127.0.0.1:8000"))
        self.assertTrue(origin_allowed("https://localhost", "localhost"))
        self.assertFalse(origin_allowed("https://localhost:8443", "localhost"))
        self.assertFalse(origin_allowed("https://evil.example", "evil.example"))
        self.assertFalse(origin_allowed("null", "127.0.0.1"))
        self.assertFalse(origin_allowed("http://127.0.0.1:99999", "127.0.0.1"))
