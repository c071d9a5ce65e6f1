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
# Every page with the menu counts the inbox's unread notices (one query, issue 10); a student's
# page also reads the records of discussions the reader may see (its panel and its timeline)
# and, for the timeline, the safeguarding concerns the reader may see (the DSL, their authors).
PINNED: dict[tuple[str, str], int] = {
    ("account", "admin"): 6,
    ("account", "attendance"): 6,
    ("account", "conduct"): 4,
    ("account", "curriculum"): 6,
    ("account", "dsl"): 4,
    ("account", "outsider"): 4,
    ("account", "pastoral"): 6,
    ("account", "senco"): 6,
    ("account", "slt"): 4,
    ("account", "teacher"): 6,
    ("audit-log", "admin"): 9,
    ("audit-log", "dsl"): 7,
    ("audit-log", "slt"): 7,
    ("concern-detail", "dsl"): 7,
    ("concern-detail", "teacher"): 9,
    ("concern-list", "dsl"): 6,
    ("concern-new", "admin"): 7,
    ("concern-new", "attendance"): 7,
    ("concern-new", "conduct"): 5,
    ("concern-new", "curriculum"): 7,
    ("concern-new", "dsl"): 5,
    ("concern-new", "pastoral"): 7,
    ("concern-new", "senco"): 7,
    ("concern-new", "slt"): 5,
    ("concern-new", "teacher"): 7,
    ("discussion-detail", "admin"): 9,
    ("discussion-detail", "attendance"): 9,
    ("discussion-detail", "conduct"): 7,
    ("discussion-detail", "dsl"): 7,
    ("discussion-detail", "pastoral"): 9,
    ("discussion-detail", "senco"): 9,
    ("discussion-detail", "slt"): 7,
    ("discussion-detail", "teacher"): 11,
    ("discussion-new", "conduct"): 6,
    ("discussion-new", "dsl"): 6,
    ("discussion-new", "pastoral"): 9,
    ("discussion-new", "slt"): 6,
    ("drop-in-new", "conduct"): 8,
    ("drop-in-new", "dsl"): 8,
    ("drop-in-new", "slt"): 8,
    ("exit-interview", "conduct"): 9,
    ("exit-interview", "dsl"): 9,
    ("exit-interview", "pastoral"): 12,
    ("exit-interview", "slt"): 9,
    ("found-out-of-lessons", "attendance"): 9,
    ("found-out-of-lessons", "conduct"): 7,
    ("found-out-of-lessons", "dsl"): 7,
    ("found-out-of-lessons", "slt"): 7,
    ("home", "admin"): 25,
    ("home", "attendance"): 17,
    ("home", "conduct"): 25,
    ("home", "curriculum"): 16,
    ("home", "dsl"): 25,
    ("home", "outsider"): 12,
    ("home", "pastoral"): 22,
    ("home", "senco"): 16,
    ("home", "slt"): 25,
    ("home", "teacher"): 16,
    ("inbox", "admin"): 7,
    ("inbox", "attendance"): 7,
    ("inbox", "conduct"): 5,
    ("inbox", "curriculum"): 7,
    ("inbox", "dsl"): 5,
    ("inbox", "outsider"): 5,
    ("inbox", "pastoral"): 7,
    ("inbox", "senco"): 7,
    ("inbox", "slt"): 5,
    ("inbox", "teacher"): 7,
    ("interview-detail", "conduct"): 7,
    ("interview-detail", "dsl"): 7,
    ("interview-detail", "pastoral"): 10,
    ("interview-detail", "slt"): 7,
    ("locked-accounts", "admin"): 8,
    ("marks-export", "attendance"): 5,
    ("marks-export", "conduct"): 5,
    ("marks-export", "dsl"): 5,
    ("marks-export", "slt"): 5,
    ("message-detail", "conduct"): 6,
    ("message-detail", "dsl"): 6,
    ("message-detail", "pastoral"): 9,
    ("message-detail", "slt"): 6,
    ("message-letter-pdf", "conduct"): 6,
    ("message-letter-pdf", "dsl"): 6,
    ("message-letter-pdf", "pastoral"): 7,
    ("message-letter-pdf", "slt"): 6,
    ("message-list", "conduct"): 7,
    ("message-list", "dsl"): 7,
    ("message-list", "pastoral"): 10,
    ("message-list", "slt"): 7,
    ("my-students-out", "curriculum"): 9,
    ("my-students-out", "pastoral"): 9,
    ("my-students-out", "teacher"): 9,
    ("on-call-detail", "conduct"): 12,
    ("on-call-detail", "dsl"): 12,
    ("on-call-detail", "slt"): 12,
    ("on-call-detail", "teacher"): 14,
    ("on-call-queue", "conduct"): 12,
    ("on-call-queue", "dsl"): 12,
    ("on-call-queue", "slt"): 12,
    ("on-call-queue-json", "conduct"): 8,
    ("on-call-queue-json", "dsl"): 8,
    ("on-call-queue-json", "slt"): 8,
    ("on-call-raise", "admin"): 12,
    ("on-call-raise", "attendance"): 12,
    ("on-call-raise", "conduct"): 10,
    ("on-call-raise", "curriculum"): 12,
    ("on-call-raise", "dsl"): 10,
    ("on-call-raise", "pastoral"): 12,
    ("on-call-raise", "senco"): 12,
    ("on-call-raise", "slt"): 10,
    ("on-call-raise", "teacher"): 13,
    ("password-change", "admin"): 6,
    ("password-change", "attendance"): 6,
    ("password-change", "conduct"): 4,
    ("password-change", "curriculum"): 6,
    ("password-change", "dsl"): 4,
    ("password-change", "outsider"): 4,
    ("password-change", "pastoral"): 6,
    ("password-change", "senco"): 6,
    ("password-change", "slt"): 4,
    ("password-change", "teacher"): 6,
    ("patrol-home", "conduct"): 6,
    ("patrol-home", "dsl"): 6,
    ("patrol-home", "slt"): 6,
    ("referral-detail", "conduct"): 14,
    ("referral-detail", "dsl"): 16,
    ("referral-detail", "pastoral"): 19,
    ("referral-detail", "slt"): 16,
    ("referral-detail", "teacher"): 16,
    ("referral-list", "conduct"): 8,
    ("referral-list", "curriculum"): 9,
    ("referral-list", "dsl"): 8,
    ("referral-list", "pastoral"): 11,
    ("referral-list", "slt"): 8,
    ("referral-list", "teacher"): 9,
    ("referral-new", "conduct"): 11,
    ("referral-new", "curriculum"): 13,
    ("referral-new", "dsl"): 11,
    ("referral-new", "pastoral"): 13,
    ("referral-new", "slt"): 11,
    ("referral-new", "teacher"): 13,
    ("register", "admin"): 16,
    ("register", "attendance"): 16,
    ("register", "conduct"): 14,
    ("register", "dsl"): 14,
    ("register", "pastoral"): 17,
    ("register", "senco"): 16,
    ("register", "slt"): 14,
    ("register-pdf", "admin"): 7,
    ("register-pdf", "attendance"): 7,
    ("register-pdf", "conduct"): 7,
    ("register-pdf", "dsl"): 7,
    ("register-pdf", "pastoral"): 8,
    ("register-pdf", "senco"): 7,
    ("register-pdf", "slt"): 7,
    ("register-today", "admin"): 16,
    ("register-today", "attendance"): 16,
    ("register-today", "conduct"): 16,
    ("register-today", "dsl"): 16,
    ("register-today", "pastoral"): 17,
    ("register-today", "senco"): 16,
    ("register-today", "slt"): 16,
    ("roster-import", "admin"): 7,
    ("rota", "admin"): 14,
    ("rota", "attendance"): 14,
    ("rota", "conduct"): 16,
    ("rota", "curriculum"): 14,
    ("rota", "dsl"): 16,
    ("rota", "pastoral"): 14,
    ("rota", "senco"): 14,
    ("rota", "slt"): 16,
    ("rota", "teacher"): 14,
    ("sent-out-new", "conduct"): 10,
    ("sent-out-new", "curriculum"): 12,
    ("sent-out-new", "dsl"): 10,
    ("sent-out-new", "pastoral"): 12,
    ("sent-out-new", "slt"): 10,
    ("sent-out-new", "teacher"): 12,
    ("student-detail", "admin"): 26,
    ("student-detail", "attendance"): 26,
    ("student-detail", "conduct"): 24,
    ("student-detail", "curriculum"): 13,
    ("student-detail", "dsl"): 24,
    ("student-detail", "pastoral"): 27,
    ("student-detail", "senco"): 26,
    ("student-detail", "slt"): 24,
    ("student-detail", "teacher"): 13,
    ("student-list", "admin"): 10,
    ("student-list", "attendance"): 10,
    ("student-list", "conduct"): 8,
    ("student-list", "curriculum"): 10,
    ("student-list", "dsl"): 8,
    ("student-list", "pastoral"): 11,
    ("student-list", "senco"): 10,
    ("student-list", "slt"): 8,
    ("student-list", "teacher"): 10,
    ("student-reads", "admin"): 10,
    ("student-reads", "dsl"): 8,
    ("two-factor", "admin"): 7,
    ("two-factor", "attendance"): 7,
    ("two-factor", "conduct"): 5,
    ("two-factor", "curriculum"): 7,
    ("two-factor", "dsl"): 5,
    ("two-factor", "outsider"): 5,
    ("two-factor", "pastoral"): 7,
    ("two-factor", "senco"): 7,
    ("two-factor", "slt"): 5,
    ("two-factor", "teacher"): 7,
    ("two-factor-setup", "admin"): 11,
    ("two-factor-setup", "attendance"): 11,
    ("two-factor-setup", "conduct"): 9,
    ("two-factor-setup", "curriculum"): 11,
    ("two-factor-setup", "dsl"): 9,
    ("two-factor-setup", "outsider"): 9,
    ("two-factor-setup", "pastoral"): 11,
    ("two-factor-setup", "senco"): 11,
    ("two-factor-setup", "slt"): 9,
    ("two-factor-setup", "teacher"): 11,
    ("watch-list", "conduct"): 8,
    ("watch-list", "dsl"): 8,
    ("watch-list", "pastoral"): 11,
    ("watch-list", "slt"): 8,
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
