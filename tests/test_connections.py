"""A real server under a burst of concurrent requests keeps its PostgreSQL connections bounded.

Under ASGI every request runs in a thread of its own; with persistent connections each thread
opened one that was never reused or closed, until PostgreSQL refused everyone ("too many
clients"). The in-process test client cannot see this: a Daphne process can."""

import concurrent.futures
import os
import unittest
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import TransactionTestCase

from tests.base import make_people
from tests.servers import DaphneServer

APP_NAME = "conduct-pool-test"
POOL_MAX = 4


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
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env |= {
            "DJANGO_SETTINGS_MODULE": "conduct.settings",
            "DATABASE_URL": f"postgres://{user}{password}@{host}/{db['NAME']}"
            f"?application_name={APP_NAME}",
            "DB_POOL_MAX": str(POOL_MAX),
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
        }
        self.server = DaphneServer(env)
        self.addCleanup(self.server.stop)

    def server_connections(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
            )
            return cursor.fetchone()[0]

    def test_it_keeps_its_connections_bounded_under_a_burst(self):
        self.client.force_login(self.bob)
        name = settings.SESSION_COOKIE_NAME
        cookie = f"{name}={self.client.cookies[name].value}"
        pages = ["/", "/students/", "/referrals/", "/patrol/rota/", "/messages/"]

        def fetch(n: int) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.server.port}{pages[n % len(pages)]}",
                headers={"Cookie": cookie},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status

        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as workers:
            statuses = list(workers.map(fetch, range(200)))
        self.assertEqual(set(statuses), {200})
        self.assertLessEqual(self.server_connections(), POOL_MAX)
