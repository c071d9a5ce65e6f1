"""The live queue over a WebSocket: who may listen, the snapshot on connect, events only after
commit, a reconnecting client re-reading the queue, and escalation on a client's refresh."""

import datetime as dt

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from conduct.asgi import application
from conduct.roles import Role
from patrol.consumers import OnCallQueueConsumer
from patrol.models import OnCallReason
from patrol.services import on_call
from tests.base import make_people, make_person

ORIGIN = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]


class LiveQueueTest(TransactionTestCase):
    serialized_rollback = True  # keep the rows migrations seed for the tests after these

    def setUp(self):
        make_people(self)
        on_call.on_call_reasons_ensure_defaults()
        self.reason = OnCallReason.objects.order_by("position").first()
        self.communicators = []

    async def asyncTearDown(self):
        for communicator in self.communicators:
            await communicator.disconnect()

    def raise_request(self, where="M4", **extra):
        return on_call.on_call_request_raise(
            by=self.alice, reason=self.reason, location=where, **extra
        )

    async def listen(self, user):
        communicator = WebsocketCommunicator(OnCallQueueConsumer.as_asgi(), "/ws/on-call/")
        communicator.scope["user"] = user
        connected, code = await communicator.connect()
        if connected:
            self.communicators.append(communicator)
        return communicator, connected, code

    async def test_it_sends_the_whole_queue_on_connect(self):
        request = await database_sync_to_async(self.raise_request)("Science 2")
        communicator, connected, _ = await self.listen(self.bob)
        self.assertTrue(connected)
        snapshot = await communicator.receive_json_from(timeout=5)
        self.assertEqual(snapshot["type"], "snapshot")
        self.assertEqual([r["id"] for r in snapshot["open"]], [request.pk])
        self.assertIn("Science 2", snapshot["open"][0]["html"])
        self.assertIn("Claim", snapshot["open"][0]["html"])

    async def test_it_refuses_anyone_not_answering_on_call(self):
        for user in (AnonymousUser(), self.alice, self.olive, self.gita):
            with self.subTest(user=str(user)):
                _, connected, code = await self.listen(user)
                self.assertFalse(connected)
                self.assertEqual(code, 4403)

    async def test_it_refuses_a_socket_opened_from_another_site(self):
        communicator = WebsocketCommunicator(
            application, "/ws/on-call/", headers=[(b"origin", b"https://evil.example")]
        )
        connected, _ = await communicator.connect()
        self.assertFalse(connected)

    async def test_it_signs_in_from_the_session_cookie_through_the_real_application(self):
        communicator = WebsocketCommunicator(application, "/ws/on-call/", headers=ORIGIN)
        connected, code = await communicator.connect()
        self.assertFalse(connected, "no session: no socket")
        self.assertEqual(code, 4403)

    async def test_it_pushes_a_new_request_to_every_listener_after_commit(self):
        bob, _, _ = await self.listen(self.bob)
        evan, _, _ = await self.listen(self.evan)
        for communicator in (bob, evan):
            await communicator.receive_json_from(timeout=5)
        request = await database_sync_to_async(self.raise_request)("Field")
        for communicator in (bob, evan):
            event = await communicator.receive_json_from(timeout=5)
            self.assertEqual((event["type"], event["kind"]), ("event", "raised"))
            self.assertEqual(event["request"]["id"], request.pk)
            self.assertEqual(event["request"]["where"], "Field")

    async def test_it_sends_nothing_when_the_transaction_aborts(self):
        bob, _, _ = await self.listen(self.bob)
        await bob.receive_json_from(timeout=5)

        def raise_then_fail():
            with transaction.atomic():
                self.raise_request("Never")
                raise RuntimeError("the rest of the teacher's request failed")

        with self.assertRaises(RuntimeError):
            await database_sync_to_async(raise_then_fail)()
        self.assertTrue(await bob.receive_nothing(timeout=0.5))
        self.assertFalse(
            await database_sync_to_async(
                OnCallReason.objects.filter(requests__location="Never").exists
            )()
        )

    async def test_it_holds_the_event_until_the_outer_transaction_commits(self):
        bob, _, _ = await self.listen(self.bob)
        await bob.receive_json_from(timeout=5)
        seen_inside = []

        async def still_quiet():
            seen_inside.append(await bob.receive_nothing(timeout=0.3))

        def raise_inside_a_longer_transaction():
            with transaction.atomic():
                self.raise_request("Hall")
                from asgiref.sync import async_to_sync

                async_to_sync(still_quiet)()

        await database_sync_to_async(raise_inside_a_longer_transaction)()
        self.assertEqual(seen_inside, [True])
        event = await bob.receive_json_from(timeout=5)
        self.assertEqual(event["request"]["where"], "Hall")

    async def test_it_shows_the_claim_to_everyone_and_the_buttons_to_the_claimer(self):
        request = await database_sync_to_async(self.raise_request)()
        bob, _, _ = await self.listen(self.bob)
        evan, _, _ = await self.listen(self.evan)
        for communicator in (bob, evan):
            await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(on_call.on_call_request_claim)(
            request_id=request.pk, by=self.bob
        )
        mine = await bob.receive_json_from(timeout=5)
        theirs = await evan.receive_json_from(timeout=5)
        self.assertEqual(mine["kind"], "claimed")
        self.assertIn("I've arrived", mine["html"])
        self.assertIn("Mr B Patel is on the way", theirs["html"])
        self.assertNotIn("I've arrived", theirs["html"])

    async def test_it_draws_each_listeners_card_with_the_controls_they_may_use(self):
        priya = await database_sync_to_async(make_person)("priya", "Priya", "Kaur", Role.CONDUCT)
        request = await database_sync_to_async(self.raise_request)()
        listeners = [await self.listen(user) for user in (self.bob, priya, self.evan)]
        bob, other, evan = (communicator for communicator, _, _ in listeners)
        for communicator in (bob, other, evan):
            await communicator.receive_json_from(timeout=5)
        await database_sync_to_async(on_call.on_call_request_claim)(
            request_id=request.pk, by=self.bob
        )
        resolve = reverse("on-call-resolve", args=[request.pk])
        mine, theirs, slt = [await c.receive_json_from(timeout=5) for c in (bob, other, evan)]
        self.assertIn(resolve, mine["html"])
        self.assertNotIn(resolve, theirs["html"], "neither the claimer nor SLT: no outcomes")
        self.assertIn(resolve, slt["html"])
        self.assertIn('value="removed"', slt["html"])

    async def test_it_gives_a_reconnecting_client_everything_it_missed(self):
        first = await database_sync_to_async(self.raise_request)("M4")
        bob, _, _ = await self.listen(self.bob)
        await bob.receive_json_from(timeout=5)
        await bob.disconnect()
        self.communicators.remove(bob)
        # While Bob's phone is in a dead spot: one claimed, one new, one resolved.
        await database_sync_to_async(on_call.on_call_request_claim)(
            request_id=first.pk, by=self.evan
        )
        second = await database_sync_to_async(self.raise_request)("Library")
        third = await database_sync_to_async(self.raise_request)("Gym")
        await database_sync_to_async(on_call.on_call_request_resolve)(
            request_id=third.pk, by=self.alice, outcome="not_needed"
        )
        bob, _, _ = await self.listen(self.bob)
        snapshot = await bob.receive_json_from(timeout=5)
        self.assertEqual(
            {r["id"]: r["status"] for r in snapshot["open"]},
            {first.pk: "claimed", second.pk: "open"},
        )
        self.assertEqual([r["id"] for r in snapshot["resolved"]], [third.pk])

    @override_settings(ON_CALL_ESCALATE_AFTER_SECONDS=120)
    async def test_it_escalates_when_a_client_asks_to_refresh(self):
        long_ago = timezone.now() - dt.timedelta(minutes=3)
        request = await database_sync_to_async(self.raise_request)(now=long_ago)
        evan, _, _ = await self.listen(self.evan)
        # Reading the queue escalates what is overdue: the snapshot shows it at once ...
        snapshot = await evan.receive_json_from(timeout=5)
        escalated = {r["id"]: r["tier"] for r in snapshot["open"]}
        self.assertEqual(escalated, {request.pk: 2})
        self.assertIn("Escalated to SLT on call", snapshot["open"][0]["html"])
        # ... and the escalation event went to everyone listening.
        event = await evan.receive_json_from(timeout=5)
        self.assertEqual((event["kind"], event["request"]["tier"]), ("escalated", 2))
        await evan.send_json_to({"type": "refresh"})
        again = await evan.receive_json_from(timeout=5)
        self.assertEqual(again["type"], "snapshot")
