"""The on-call queue reads calls through the status indexes, so the page costs the same in a
school's fifth year as in its first (issue 15: with five years of history, 30,000 calls, the
queue read every one of them and took 16 ms instead of 4)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patrol.selectors.on_call import on_call_queue, on_call_snapshot


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a near-empty table PostgreSQL would rightly scan it whole; what matters is
            # whether an index can serve the read at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("read", [on_call_snapshot, on_call_queue])
def test_the_queue_finds_its_calls_by_status_index(read):
    with CaptureQueriesContext(connection) as queries:
        read()
    calls = [
        q["sql"] for q in queries.captured_queries if 'FROM "patrol_oncallrequest"' in q["sql"]
    ]
    assert calls
    for sql in calls:
        plan = _plan(sql)
        assert "patrol_onca_status" in plan, plan
        assert "SCAN patrol_oncallreason" not in plan, plan
