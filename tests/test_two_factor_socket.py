"""A session that has given its password but not its second factor opens no on-call socket."""

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client, TransactionTestCase

from conduct.asgi import application
from tests.base import make_people


class SecondFactorSocketTest(TransactionTestCase):
    serialized_rollback = True  # keep the rows migrations seed for the tests after these

    def setUp(self):
        make_people(self)

    def session_cookie(self, *, due: bool, reflection_lock: int | None = None) -> bytes:
        client = Client()
        client.force_login(self.bob)
        session = client.session
        session["two_factor_due"] = due
        if reflection_lock is not None:
            session["reflection_lock"] = reflection_lock
        session.save()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()

    async def connect(self, cookie):
        communicator = WebsocketCommunicator(
            application,
            "/ws/on-call/",
            headers=[
                (b"origin", b"http://127.0.0.1"),
                (b"host", b"127.0.0.1"),
                (b"cookie", cookie),
            ],
        )
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    async def test_it_refuses_a_socket_until_the_code_is_given(self):
        cookie = await database_sync_to_async(self.session_cookie)(due=True)
        self.assertEqual(await self.connect(cookie), (False, 4403))
        cookie = await database_sync_to_async(self.session_cookie)(due=False)
        connected, _ = await self.connect(cookie)
        self.assertTrue(connected)

    async def test_it_refuses_a_socket_to_a_device_locked_to_a_students_reflection(self):
        cookie = await database_sync_to_async(self.session_cookie)(due=False, reflection_lock=1)
        self.assertEqual(await self.connect(cookie), (False, 4403))
