"""Every page's query count, pinned (issue 15): each page of the permission matrix, opened by
each role that may open it, runs exactly the number of SQL queries written here.

A change that adds a query to a page fails here with the page and role named; if the query is
meant, change its number below in the same commit (and say why in the message). Tests of single
pages grow their data (more students, more rows) to show a page's count does not grow with it;
this one guards every page at once, including the session, the user and the audit write.

To print the table afresh: `PRINT_QUERY_COUNTS=1 pytest tests/test_query_counts.py -s`.
"""

import os
import pprint

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conduct.roles import roles_of
from tests.base import people_by_role
from tests.test_permissions import MATRIX, OWNERS, PUBLIC, MatrixPeopleAndRecords

# (url name, role) -> queries.
PINNED: dict[tuple[str, str], int] = {}


class PinnedQueryCountsTest(MatrixPeopleAndRecords):
    def counts(self) -> dict[tuple[str, str], int]:
        found = {}
        for name, allowed in MATRIX.items():
            if allowed == PUBLIC or name.startswith("admin:"):
                continue
            for role, person in people_by_role(self).items():
                may = (roles_of(person) | {role}) & allowed or person.username in OWNERS.get(
                    name, ()
                )
                if not may:
                    continue
                self.client.force_login(person)
                url = self.url(name)
                # Once to warm the process's caches (content types, the school's periods), so the
                # count does not depend on which test ran first; then counted.
                self.client.get(url)
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200, (name, role))
                found[(name, str(role))] = len(queries)
        return found

    def test_every_page_runs_its_pinned_number_of_queries(self):
        found = self.counts()
        if os.getenv("PRINT_QUERY_COUNTS"):
            pprint.pprint(found, width=100)
        self.assertEqual(found, PINNED)
