"""Every request's synchronous part (middleware, view, request signals) runs on one of a fixed set
of long-lived threads (conduct/request_threads.py), not on a new thread per request: a burst of
requests uses no more threads, and so holds no more database connections, than configured; the
threads are reused request after request; and one slow request holds up only its own thread."""

import asyncio
import threading

from channels.testing import HttpCommunicator
from django.core.asgi import get_asgi_application
from django.core.signals import request_started
from django.test import TransactionTestCase

from conduct.request_threads import RequestThreads


class RequestThreadsTest(TransactionTestCase):
    serialized_rollback = True  # keep the rows migrations seed for the tests after these

    def setUp(self):
        self.threads_seen: list[int] = []
        self.slow_may_finish = threading.Event()
        request_started.connect(self.note_thread)
        self.addCleanup(request_started.disconnect, self.note_thread)
        # Never leave a test's thread waiting, whatever the test did.
        self.addCleanup(self.slow_may_finish.set)

    def note_thread(self, sender, scope=None, **kwargs):
        self.threads_seen.append(threading.get_ident())
        if scope and scope.get("query_string") == b"slow=1":
            self.slow_may_finish.wait(timeout=10)

    def app(self, threads: int) -> RequestThreads:
        return RequestThreads(get_asgi_application(), threads=threads)

    @staticmethod
    async def get(app, query: str = "") -> int:
        path = "/healthz" + (f"?{query}" if query else "")
        communicator = HttpCommunicator(app, "GET", path, headers=[(b"host", b"testserver")])
        response = await communicator.get_response(timeout=10)
        return response["status"]

    async def test_a_burst_of_requests_runs_on_the_configured_threads_only(self):
        app = self.app(threads=2)
        statuses = await asyncio.gather(*(self.get(app) for _ in range(20)))
        self.assertEqual(statuses, [200] * 20)
        self.assertEqual(len(self.threads_seen), 20)
        self.assertLessEqual(len(set(self.threads_seen)), 2)
        self.assertNotIn(threading.get_ident(), self.threads_seen)

    async def test_the_threads_are_reused_request_after_request(self):
        app = self.app(threads=2)
        for _ in range(6):
            self.assertEqual(await self.get(app), 200)
        self.assertEqual(len(self.threads_seen), 6)
        self.assertLessEqual(len(set(self.threads_seen)), 2)

    async def test_a_slow_request_holds_up_only_its_own_thread(self):
        app = self.app(threads=2)
        slow = asyncio.ensure_future(self.get(app, "slow=1"))
        # The other thread answers these while the slow request waits.
        for _ in range(3):
            self.assertEqual(await self.get(app), 200)
        self.assertFalse(slow.done())
        self.slow_may_finish.set()
        self.assertEqual(await slow, 200)
        self.assertEqual(len(set(self.threads_seen)), 2)

    async def test_with_one_thread_requests_wait_their_turn(self):
        app = self.app(threads=1)
        slow = asyncio.ensure_future(self.get(app, "slow=1"))
        waiting = asyncio.ensure_future(self.get(app))
        await asyncio.sleep(0.3)
        self.assertFalse(waiting.done())
        self.slow_may_finish.set()
        self.assertEqual(await asyncio.gather(slow, waiting), [200, 200])
        self.assertEqual(len(set(self.threads_seen)), 1)

    def test_it_needs_a_thread(self):
        with self.assertRaisesMessage(ValueError, "at least one thread"):
            RequestThreads(get_asgi_application(), threads=0)
