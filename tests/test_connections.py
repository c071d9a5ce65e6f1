"""A real server under a burst of concurrent requests keeps its PostgreSQL connections bounded.

Under ASGI every request runs in a thread of its own; with persistent connections each thread
opened one that was never reused or closed, until PostgreSQL refused everyone ("too many
clients"). The in-process test client cannot see this: a Daphne process (and uvicorn's worker
processes, the production set-up of docs/deploy.md) can. The server's sessions are counted in
pg_stat_activity all through the burst, not only after it: a server that opened a connection per
request and closed it would leave none behind, yet hold more than its pool at once."""

import concurrent.futures
import os
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase

from tests.base import make_people
from tests.servers import DaphneServer, UvicornServer

APP_NAME = "conduct-pool-test"
POOL_MAX = 4
# More clients than a process's pool (and than Daphne's threads), so an unbounded server shows.
CLIENTS = 20
REQUESTS = 200


class ConnectionCounter:
    """The server's sessions (by application name, on the test database), read every 20 ms in a
    thread of its own: the most seen at once, and how many readings."""

    def __init__(self, url: str):
        self.url, self.most, self.readings = url, 0, 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self, db: psycopg.Connection) -> int:
        return db.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            [APP_NAME],
        ).fetchone()[0]

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as db:
            while not self._stopping.is_set():
                self.most = max(self.most, self.now(db))
                self.readings += 1
                self._stopping.wait(0.02)

    def __enter__(self) -> "ConnectionCounter":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._thread.join()


@pytest.mark.postgres
class ConnectionsUnderLoadTest(TransactionTestCase):
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("the connection pool is PostgreSQL's (SQLite has no server)")
        super().setUpClass()

    def setUp(self):
        make_people(self)
        db = connection.settings_dict
        user = urllib.parse.quote(db["USER"] or "")
        password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        self.url = f"postgres://{user}{password}@{host}/{db['NAME']}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        self.env |= {
            "DJANGO_SETTINGS_MODULE": "conduct.settings",
            "DATABASE_URL": f"{self.url}?application_name={APP_NAME}",
            "DB_POOL_MAX": str(POOL_MAX),
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
        }
        if os.environ.get("REDIS_URL"):  # several processes share one channel layer
            self.env["REDIS_URL"] = os.environ["REDIS_URL"]

    def burst(self, server: DaphneServer) -> tuple[set[int], int]:
        """REQUESTS page loads from CLIENTS at once, as Bob; the statuses, and the most
        connections the server held at once while they ran."""
        self.client.force_login(self.bob)
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={self.client.cookies[name].value}"
        pages = ["/", "/students/", "/referrals/", "/patrol/rota/", "/messages/"]

        def fetch(n: int) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{server.port}{pages[n % len(pages)]}",
                headers={"Cookie": cookie},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status
            except urllib.error.HTTPError as error:  # e.g. 500: "too many clients already"
                return error.code

        with (
            ConnectionCounter(self.url) as counter,
            concurrent.futures.ThreadPoolExecutor(max_workers=CLIENTS) as workers,
        ):
            statuses = set(workers.map(fetch, range(REQUESTS)))
        self.assertGreater(counter.readings, 5)  # it was watching while the burst ran
        return statuses, counter.most

    def server_connections(self) -> int:
        with psycopg.connect(self.url, autocommit=True) as db:
            return ConnectionCounter(self.url).now(db)

    def test_one_process_holds_at_most_its_pool_during_and_after_a_burst(self):
        server = DaphneServer(self.env)
        self.addCleanup(server.stop)
        statuses, most = self.burst(server)
        self.assertEqual(statuses, {200})
        # The requests overlapped enough to need more than one connection at once, and never
        # got more than the pool's.
        self.assertGreater(most, 1)
        self.assertLessEqual(most, POOL_MAX)
        self.assertLessEqual(self.server_connections(), POOL_MAX)

    def test_several_processes_hold_at_most_a_pool_each(self):
        server = UvicornServer(self.env, workers=2)
        self.addCleanup(server.stop)
        server.wait_for_workers()
        self.assertEqual(len(server.worker_pids()), 2)
        statuses, most = self.burst(server)
        self.assertEqual(statuses, {200})
        self.assertGreater(most, 1)
        self.assertLessEqual(most, 2 * POOL_MAX)
        self.assertLessEqual(self.server_connections(), 2 * POOL_MAX)
