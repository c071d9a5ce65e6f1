"""A live server that speaks WebSockets, for the patrol tests, with tests/browser.py's chromium.

Channels' ChannelsLiveServerTestCase runs Daphne in a forked process, which cannot see SQLite's
in-memory test database; `FileDatabaseMixin` copies that database to a file for the class and
points the connection at it (PostgreSQL needs nothing: the server process opens the same test
database).
"""

import os
import sqlite3
import tempfile

from channels.testing import ChannelsLiveServerTestCase
from django.db import connections

from tests.browser import PlaywrightMixin, skip_without_chromium

# What a forked server process inherited from the test process: kept referenced, never used.
_INHERITED: list = []


def _forget_the_parents_connections() -> None:
    """In the forked Daphne process: never use the test process's open database connections or
    its PostgreSQL connection pool (their sockets are shared with the parent: two processes on
    one socket corrupt both, and a pool returning a connection rolls back the parent's work).
    Nor close them, which would end the parent's sessions: drop them, kept alive here, and let
    the child open its own."""
    from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQL

    for connection in connections.all(initialized_only=True):
        if connection.vendor == "postgresql":
            _INHERITED.append(connection.connection)
            connection.connection = None
    _INHERITED.append(dict(PostgreSQL._connection_pools))
    PostgreSQL._connection_pools.clear()


os.register_at_fork(after_in_child=_forget_the_parents_connections)


class FileDatabaseMixin:
    """For the class, run on a file copy of SQLite's in-memory test database, so other threads
    and processes share it; the in-memory database is restored, untouched, afterwards.

    The rows migrations seed (reasons, provisions, the escalation ladder) are put back before
    each test (`serialized_rollback`): a TransactionTestCase empties every table after each.
    """

    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        cls._swapped_database = None
        cls._database_wrapper = conn = connections["default"]
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            conn.ensure_connection()
            handle, path = tempfile.mkstemp(prefix="conduct-patrol-", suffix=".sqlite3")
            os.close(handle)
            copy = sqlite3.connect(path)
            conn.connection.backup(copy)
            copy.close()
            cls._swapped_database = (conn.connection, conn.settings_dict["NAME"], path)
            conn.connection = None  # kept alive above: closing it would drop the memory database
            conn.settings_dict["NAME"] = path
        # The server process reads the test database's name from TEST NAME (channels.testing).
        cls._test_name = conn.settings_dict["TEST"].get("NAME")
        conn.settings_dict["TEST"]["NAME"] = conn.settings_dict["NAME"]
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            conn = cls._database_wrapper
            conn.settings_dict["TEST"]["NAME"] = cls._test_name
            if cls._swapped_database:
                memory, name, path = cls._swapped_database
                if connections["default"] is not conn:  # see ChannelsBrowserTestCase
                    connections["default"].close()
                conn.close()
                conn.settings_dict["NAME"] = name
                conn.connection = memory
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(path + suffix):
                        os.unlink(path + suffix)


class ChannelsBrowserTestCase(PlaywrightMixin, FileDatabaseMixin, ChannelsLiveServerTestCase):
    """Daphne (HTTP and WebSockets) in a process of its own, and chromium through
    tests/browser.py's PlaywrightMixin."""

    serve_static = True

    @classmethod
    def setUpClass(cls):
        skip_without_chromium()
        # Daphne forks here, before Playwright starts threads of its own.
        super().setUpClass()
        cls.start_chromium()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
