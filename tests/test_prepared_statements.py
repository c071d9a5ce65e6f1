"""On PostgreSQL a statement a connection has run five times (DB_PREPARE_THRESHOLD) is
prepared, so PostgreSQL plans it once per connection, not on every request (issue 15: planning
a home page's joins cost more than running them)."""

import unittest

import pytest
from django.db import connection
from django.test import TestCase

from school.models import Student
from tests.base import make_people


@pytest.mark.postgres
class PreparedStatementsTest(TestCase):
    @classmethod
    def setUpClass(cls):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("prepared statements are PostgreSQL's")
        super().setUpClass()

    def setUp(self):
        make_people(self)

    def prepared(self) -> list[str]:
        """This connection's prepared statements that read students by year group."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if '"school_yeargroup"' in row[0]]

    def test_a_statement_run_five_times_is_prepared_from_its_sixth_with_its_parameters_apart(self):
        def read() -> list[str]:
            return list(
                Student.objects.filter(pk=self.student.pk, year_group__number__gte=7).values_list(
                    "legal_last_name", flat=True
                )
            )

        for _ in range(5):
            self.assertEqual(read(), [self.student.legal_last_name])
        self.assertEqual(self.prepared(), [])
        self.assertEqual(read(), [self.student.legal_last_name])
        [statement] = self.prepared()
        # The id and the year were sent as parameters, not written into the SQL.
        self.assertIn("$1", statement)
        self.assertIn("$2", statement)
