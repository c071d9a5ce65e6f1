"""A live server that speaks WebSockets, for the patrol tests, with tests/browser.py's helpers.

Channels' ChannelsLiveServerTestCase runs Daphne in a forked process, which cannot see SQLite's
in-memory test database; `FileDatabaseMixin` copies that database to a file for the class and
points the connection at it (PostgreSQL needs nothing: the server process opens the same test
database).
"""

import os
import sqlite3
import tempfile
import unittest

from channels.testing import ChannelsLiveServerTestCase
from django.db import connections

from tests.browser import CHROMIUM, CHROMIUM_ARGS, BrowserTestCase, chromium_missing_reason


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


class ChannelsBrowserTestCase(FileDatabaseMixin, ChannelsLiveServerTestCase):
    """Daphne (HTTP and WebSockets) in a process of its own, chromium through Playwright, and
    tests/browser.py's `visit`, `sign_in`, `screenshot`, `new_page` and axe-core checks."""

    serve_static = True
    new_page = BrowserTestCase.new_page
    visit = BrowserTestCase.visit
    assert_accessible = BrowserTestCase.assert_accessible
    sign_in = BrowserTestCase.sign_in
    screenshot = BrowserTestCase.screenshot

    @classmethod
    def setUpClass(cls):
        reason = chromium_missing_reason()
        if reason:
            print(f"\n!!!! {reason}\n")
            raise unittest.SkipTest(reason)
        # Daphne forks here, before Playwright starts threads of its own.
        super().setUpClass()
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright

        serialized = getattr(connections["default"], "_test_serialized_contents", None)
        cls.playwright = sync_playwright().start()
        # Playwright's sync API runs the test in a greenlet with its own context, so Django hands
        # it a fresh connection object (same settings, same database); give that one the seeded
        # rows to put back before each test, as the original has.
        if serialized is not None:
            connections["default"]._test_serialized_contents = serialized
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cls.axe = Axe()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        self.contexts = []

    def tearDown(self):
        for context in self.contexts:
            context.close()
