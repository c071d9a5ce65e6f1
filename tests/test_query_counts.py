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
PINNED: dict[tuple[str, str], int] = {
    ("account", "admin"): 5,
    ("account", "attendance"): 5,
    ("account", "conduct"): 3,
    ("account", "curriculum"): 5,
    ("account", "dsl"): 3,
    ("account", "outsider"): 3,
    ("account", "pastoral"): 5,
    ("account", "slt"): 3,
    ("account", "teacher"): 5,
    ("audit-log", "admin"): 8,
    ("audit-log", "dsl"): 6,
    ("audit-log", "slt"): 6,
    ("drop-in-new", "conduct"): 7,
    ("drop-in-new", "dsl"): 7,
    ("drop-in-new", "slt"): 7,
    ("found-out-of-lessons", "attendance"): 8,
    ("found-out-of-lessons", "conduct"): 6,
    ("found-out-of-lessons", "dsl"): 6,
    ("found-out-of-lessons", "slt"): 6,
    ("home", "admin"): 24,
    ("home", "attendance"): 16,
    ("home", "conduct"): 24,
    ("home", "curriculum"): 15,
    ("home", "dsl"): 24,
    ("home", "outsider"): 11,
    ("home", "pastoral"): 21,
    ("home", "slt"): 24,
    ("home", "teacher"): 15,
    ("locked-accounts", "admin"): 7,
    ("marks-export", "attendance"): 5,
    ("marks-export", "conduct"): 5,
    ("marks-export", "dsl"): 5,
    ("marks-export", "slt"): 5,
    ("message-detail", "conduct"): 5,
    ("message-detail", "dsl"): 5,
    ("message-detail", "pastoral"): 8,
    ("message-detail", "slt"): 5,
    ("message-letter-pdf", "conduct"): 6,
    ("message-letter-pdf", "dsl"): 6,
    ("message-letter-pdf", "pastoral"): 7,
    ("message-letter-pdf", "slt"): 6,
    ("message-list", "conduct"): 6,
    ("message-list", "dsl"): 6,
    ("message-list", "pastoral"): 9,
    ("message-list", "slt"): 6,
    ("my-students-out", "curriculum"): 8,
    ("my-students-out", "pastoral"): 8,
    ("my-students-out", "teacher"): 8,
    ("on-call-detail", "conduct"): 11,
    ("on-call-detail", "dsl"): 11,
    ("on-call-detail", "slt"): 11,
    ("on-call-detail", "teacher"): 13,
    ("on-call-queue", "conduct"): 11,
    ("on-call-queue", "dsl"): 11,
    ("on-call-queue", "slt"): 11,
    ("on-call-queue-json", "conduct"): 8,
    ("on-call-queue-json", "dsl"): 8,
    ("on-call-queue-json", "slt"): 8,
    ("on-call-raise", "admin"): 11,
    ("on-call-raise", "attendance"): 11,
    ("on-call-raise", "conduct"): 9,
    ("on-call-raise", "curriculum"): 11,
    ("on-call-raise", "dsl"): 9,
    ("on-call-raise", "pastoral"): 11,
    ("on-call-raise", "slt"): 9,
    ("on-call-raise", "teacher"): 12,
    ("password-change", "admin"): 5,
    ("password-change", "attendance"): 5,
    ("password-change", "conduct"): 3,
    ("password-change", "curriculum"): 5,
    ("password-change", "dsl"): 3,
    ("password-change", "outsider"): 3,
    ("password-change", "pastoral"): 5,
    ("password-change", "slt"): 3,
    ("password-change", "teacher"): 5,
    ("patrol-home", "conduct"): 5,
    ("patrol-home", "dsl"): 5,
    ("patrol-home", "slt"): 5,
    ("referral-detail", "conduct"): 13,
    ("referral-detail", "dsl"): 15,
    ("referral-detail", "pastoral"): 18,
    ("referral-detail", "slt"): 15,
    ("referral-detail", "teacher"): 15,
    ("referral-list", "conduct"): 7,
    ("referral-list", "curriculum"): 8,
    ("referral-list", "dsl"): 7,
    ("referral-list", "pastoral"): 10,
    ("referral-list", "slt"): 7,
    ("referral-list", "teacher"): 8,
    ("referral-new", "conduct"): 10,
    ("referral-new", "curriculum"): 12,
    ("referral-new", "dsl"): 10,
    ("referral-new", "pastoral"): 12,
    ("referral-new", "slt"): 10,
    ("referral-new", "teacher"): 12,
    ("register", "admin"): 15,
    ("register", "attendance"): 15,
    ("register", "conduct"): 13,
    ("register", "dsl"): 13,
    ("register", "pastoral"): 16,
    ("register", "slt"): 13,
    ("register-pdf", "admin"): 7,
    ("register-pdf", "attendance"): 7,
    ("register-pdf", "conduct"): 7,
    ("register-pdf", "dsl"): 7,
    ("register-pdf", "pastoral"): 8,
    ("register-pdf", "slt"): 7,
    ("register-today", "admin"): 15,
    ("register-today", "attendance"): 15,
    ("register-today", "conduct"): 15,
    ("register-today", "dsl"): 15,
    ("register-today", "pastoral"): 16,
    ("register-today", "slt"): 15,
    ("roster-import", "admin"): 6,
    ("rota", "admin"): 13,
    ("rota", "attendance"): 13,
    ("rota", "conduct"): 15,
    ("rota", "curriculum"): 13,
    ("rota", "dsl"): 15,
    ("rota", "pastoral"): 13,
    ("rota", "slt"): 15,
    ("rota", "teacher"): 13,
    ("sent-out-new", "conduct"): 9,
    ("sent-out-new", "curriculum"): 11,
    ("sent-out-new", "dsl"): 9,
    ("sent-out-new", "pastoral"): 11,
    ("sent-out-new", "slt"): 9,
    ("sent-out-new", "teacher"): 11,
    ("student-detail", "admin"): 22,
    ("student-detail", "attendance"): 22,
    ("student-detail", "conduct"): 20,
    ("student-detail", "curriculum"): 11,
    ("student-detail", "dsl"): 20,
    ("student-detail", "pastoral"): 23,
    ("student-detail", "slt"): 20,
    ("student-detail", "teacher"): 11,
    ("student-list", "admin"): 9,
    ("student-list", "attendance"): 9,
    ("student-list", "conduct"): 7,
    ("student-list", "curriculum"): 9,
    ("student-list", "dsl"): 7,
    ("student-list", "pastoral"): 10,
    ("student-list", "slt"): 7,
    ("student-list", "teacher"): 9,
    ("student-reads", "admin"): 9,
    ("student-reads", "dsl"): 7,
    ("two-factor", "admin"): 6,
    ("two-factor", "attendance"): 6,
    ("two-factor", "conduct"): 4,
    ("two-factor", "curriculum"): 6,
    ("two-factor", "dsl"): 4,
    ("two-factor", "outsider"): 4,
    ("two-factor", "pastoral"): 6,
    ("two-factor", "slt"): 4,
    ("two-factor", "teacher"): 6,
    ("two-factor-setup", "admin"): 10,
    ("two-factor-setup", "attendance"): 10,
    ("two-factor-setup", "conduct"): 8,
    ("two-factor-setup", "curriculum"): 10,
    ("two-factor-setup", "dsl"): 8,
    ("two-factor-setup", "outsider"): 8,
    ("two-factor-setup", "pastoral"): 10,
    ("two-factor-setup", "slt"): 8,
    ("two-factor-setup", "teacher"): 10,
    ("watch-list", "conduct"): 7,
    ("watch-list", "dsl"): 7,
    ("watch-list", "pastoral"): 10,
    ("watch-list", "slt"): 7,
}


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
