"""Every link each role is shown on the demo school opens: a morning of a school day, each demo
login follows the links (and htmx requests) of the pages it reaches from its home page, a few
of each kind of page, and none answers 403, 404 or an error.

The permission matrix's walk (tests/test_controls.py) tries every control on small, made-up
records; this one walks a term of realistic history, where a head of year meets another year's
students and a teacher meets the referrals they made, so it finds the links that only such
records show (a register linked to a teacher, another year's drafts listed to a head of year).
"""

import datetime as dt
from collections import Counter, deque

from django.core.management import call_command
from django.test import TestCase
from django.urls import Resolver404, resolve

from school.demo.logins import LOGIN_ROLES
from tests.base import LONDON, frozen_clock
from tests.controls import _Controls, _internal

# A Wednesday morning in the demo's term, with lessons on and students in the rooms.
MORNING = dt.datetime(2026, 11, 25, 10, 15, tzinfo=LONDON)
# How many pages of each kind (URL name) each role opens: enough to meet records of several
# students and kinds, few enough to walk every role in seconds.
EACH_KIND = 4
# Downloads: they are tried by their own tests, and a PDF takes a second to draw.
NOT_WALKED = ("pdf", "export", "csv", "pack")


class DemoWalkTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        with frozen_clock(MORNING):
            call_command("load_demo", students_per_year=60, verbosity=0)

    def setUp(self):
        patcher = frozen_clock(MORNING)
        patcher.start()
        self.addCleanup(patcher.stop)

    def walk(self, username: str) -> tuple[list[str], Counter]:
        """The links `username` is shown that do not open, each with the page that showed it;
        and how many pages of each kind were opened."""
        from django.contrib.auth import get_user_model

        self.client.force_login(get_user_model().objects.get(username=username))
        opened: Counter = Counter()
        queue = deque([("/", "")])
        seen = {"/"}
        broken = []
        while queue:
            path, shown_on = queue.popleft()
            try:
                name = resolve(path.split("?")[0]).url_name or ""
            except Resolver404:
                broken.append(f"{path} (no such page) on {shown_on}")
                continue
            if any(word in name for word in NOT_WALKED) or opened[name] >= EACH_KIND:
                continue
            opened[name] += 1
            response = self.client.get(path)
            if response.status_code in (403, 404) or response.status_code >= 500:
                broken.append(f"{path} answers {response.status_code} on {shown_on}")
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            parser = _Controls(path)
            parser.feed(response.content.decode())
            for link in sorted(parser.links):
                found = _internal(link, path)
                if found is not None and found not in seen:
                    seen.add(found)
                    queue.append((found, path))
        return broken, opened

    def test_no_role_is_shown_a_link_that_does_not_open(self):
        for username in LOGIN_ROLES:
            with self.subTest(login=username):
                broken, opened = self.walk(username)
                self.assertEqual(broken, [])
                # The walk reached past the home page.
                self.assertGreater(len(opened), 5, opened)
