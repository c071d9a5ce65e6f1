"""The reads that grow with the years find their rows by index, so a page costs the same in a
school's fifth year as in its first (issue 15). With five years of history (bench_pages.py
--history: 30,000 on-call calls, 6,000 interviews, 30,000 lessons' work) the on-call queue, the
interviews to do, the dashboard's calls and interviews and a teacher's lessons waiting for work
each read the whole table, 5-30 ms a page. Checked on the query plan of the SQL each really
runs, on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pastoral.selectors.interviews import interviews_to_do
from pastoral.selectors.reviews import review_tasks_to_do
from patrol.models import OnCallReason
from patrol.selectors.on_call import on_call_queue, on_call_snapshot
from patrol.services.on_call import on_call_request_raise
from reports.selectors.figures import (
    WHOLE_SCHOOL,
    Span,
    _admissions_read,
    interview_figures,
    on_call_of,
)
from school.models import Staff
from tests.base import make_person, make_school_basics, make_student
from work.selectors.figures import student_work_figures
from work.selectors.requests import requests_to_set_count

TODAY = dt.date(2026, 11, 24)


def _plans(read, table: str) -> list[str]:
    """The query plan of each query `read()` runs on `table`."""
    with CaptureQueriesContext(connection) as queries:
        read()
    plans = []
    for query in queries.captured_queries:
        if f'FROM "{table}"' not in query["sql"]:
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # On a near-empty table PostgreSQL would rightly read it whole; what matters
                # is whether an index can serve the read at all.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {query['sql']}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plans.append("\n".join(str(row[-1]) for row in cursor.fetchall()))
    assert plans, f"{read} read nothing from {table}"
    return plans


def _reads_whole(plan: str, table: str) -> bool:
    return f"SCAN {table}" in plan or f"Seq Scan on {table}" in plan


def _with_statistics(rows: list[tuple[str, str, str]]) -> None:
    """SQLite's planner given `rows` of sqlite_stat1, as ANALYZE of a big school's database
    would leave them. PostgreSQL keeps statistics of its own (autovacuum's ANALYZE)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # makes sqlite_stat1
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", rows)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reloads them


# sqlite_stat1 of the on-call calls after bench_pages.py --history (ANALYZE): 30,142 calls,
# nearly all resolved, so the statistics say a status picks out every call. With them SQLite
# read the queue's calls joined to their people, rooms and reasons by scanning every call.
FIVE_YEARS_OF_CALLS = [
    ("patrol_oncallrequest", "patrol_onca_status_c7286d_idx", "30142 30142 1"),
    ("patrol_oncallrequest", "patrol_onca_status_8247a0_idx", "30142 30142 1"),
    ("patrol_oncallrequest", "patrol_oncallrequest_teaching_class_id_e3fc4502", "30142 1508"),
    ("patrol_oncallrequest", "patrol_oncallrequest_room_id_91b27845", "30142 7536"),
    ("patrol_oncallrequest", "patrol_oncallrequest_resolved_by_id_20b12de1", "30142 15071"),
    ("patrol_oncallrequest", "patrol_oncallrequest_reason_id_836df06d", "30142 3768"),
    ("patrol_oncallrequest", "patrol_oncallrequest_raised_by_id_86087029", "30142 3350"),
    ("patrol_oncallrequest", "patrol_oncallrequest_period_id_b0f9f91a", "30142 5024"),
    ("patrol_oncallrequest", "patrol_oncallrequest_claimed_by_id_0d537bef", "30142 15071"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("statistics", [[], FIVE_YEARS_OF_CALLS], ids=["none", "five years"])
@pytest.mark.parametrize("read", [on_call_snapshot, on_call_queue])
def test_the_on_call_queue_finds_its_calls_by_status(read, statistics):
    teacher = make_person("teacher", "Priya", "Chauhan", "teacher")
    other = OnCallReason.objects.get_or_create(label="Other")[0]
    on_call_request_raise(by=teacher, reason=other, location="Field")  # its row is read too
    _with_statistics(statistics)
    for plan in _plans(read, "patrol_oncallrequest"):
        # Each read of the calls finds them by status or by id, never all of them.
        assert "patrol_onca_status" in plan or "PRIMARY KEY" in plan or "_pkey" in plan, plan
        assert not _reads_whole(plan, "patrol_oncallrequest"), plan
        assert "SCAN patrol_oncallreason" not in plan, plan  # every call, by its reason


@pytest.mark.django_db
def test_the_dashboards_calls_are_read_for_their_dates_alone():
    """The dashboard's three spans (today, last week, the half term), OR-ed, are read as one
    range of the (status, raised_at) index, not every call of every year."""
    spans = [
        Span("Today", TODAY, TODAY),
        Span("Last week", TODAY - dt.timedelta(days=8), TODAY - dt.timedelta(days=4)),
        Span("This half term", TODAY - dt.timedelta(days=22), TODAY),
    ]
    for plan in _plans(lambda: on_call_of(spans), "patrol_oncallrequest"):
        if connection.vendor == "postgresql":
            lines = plan.splitlines()
            assert any("Index Cond" in line and "raised_at" in line for line in lines), plan
        else:
            assert "raised_at>?" in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize(
    "read",
    [
        lambda: interviews_to_do(today=TODAY),
        lambda: interviews_to_do(today=TODAY, first=8),
        lambda: interview_figures(Span("This week", TODAY - dt.timedelta(days=1), TODAY)),
    ],
    ids=["interviews to do", "the home page's first few", "the dashboard's figures"],
)
def test_interviews_are_found_by_status_and_due_day(read):
    for plan in _plans(read, "pastoral_interview"):
        assert "pastoral_in_status" in plan or "interview_due_on" in plan, plan


# SQLite's statistics (sqlite_stat1) for the lessons' work of bench_pages.py --history: 31,070
# requests, three statuses, a few hundred teachers. With them SQLite read every request to
# count a teacher's few still waiting when the count joined the classes' teachers and needed
# DISTINCT.
FIVE_YEARS_OF_WORK = [
    ("work_workrequest", "workrequest_date", "31070 39"),
    ("work_workrequest", "work_workre_status_4e33a4_idx", "31070 10357 2"),
    ("work_workrequest", "work_workre_teacher_bfd6c8_idx", "31070 354 160"),
    ("work_workrequest", "work_workrequest_teacher_id_cac08e5c", "31070 354"),
    ("work_workrequest", "work_workrequest_teaching_class_id_e07d6ff5", "31070 65"),
]


@pytest.mark.django_db
def test_a_teachers_lessons_waiting_for_work_are_found_by_index():
    make_person("teacher", "Priya", "Chauhan", "teacher")
    staff = Staff.objects.get()
    _with_statistics(FIVE_YEARS_OF_WORK)
    for plan in _plans(lambda: requests_to_set_count(staff, TODAY), "work_workrequest"):
        assert not _reads_whole(plan, "work_workrequest"), plan


# sqlite_stat1 of the placements and their days after bench_pages.py --history: 28,269
# placements, about two dozen a student, each of a day or two.
FIVE_YEARS_OF_PLACEMENTS = [
    ("sanctions_placement", "sanctions_placement_student_id_573615f4", "28269 24"),
    ("sanctions_placement", "placement_starts_on", "28269 36"),
    ("sanctions_placementday", "placementday_date", "31227 39"),
    ("sanctions_placementday", "sanctions_placementday_placement_id_96ac5049", "31227 2"),
    ("work_workrequest", "work_workrequest_placement_day_id_f069672f", "31070 5"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statistics", [[], FIVE_YEARS_OF_WORK + FIVE_YEARS_OF_PLACEMENTS], ids=["none", "five years"]
)
def test_a_students_work_figures_are_read_through_their_placements(statistics):
    """A student's page counts the work for their lessons missed in the last twelve months: their
    requests found by their placements' days, only that year's rows read (once every year's),
    never the whole school's requests of those dates."""
    make_school_basics()
    student = make_student()
    _with_statistics(statistics)

    def read():
        return student_work_figures(TODAY - dt.timedelta(days=365), TODAY, student=student)

    for plan in _plans(read, "work_workrequest"):
        assert not _reads_whole(plan, "work_workrequest"), plan
        if connection.vendor == "sqlite":
            assert "work_workrequest_placement_day_id" in plan, plan
            assert "workrequest_date" not in plan, plan


@pytest.mark.django_db
@pytest.mark.parametrize("roles", [["slt"], ["senco", "pastoral"], ["teacher"]])
def test_the_open_reviews_are_found_by_status(roles):
    # The rules open a review whenever removals mount and close most: five years leave hundreds
    # closed for a few open.
    user = make_person("someone", "Sam", "Lee", *roles)
    for plan in _plans(lambda: review_tasks_to_do(user), "pastoral_reviewtask"):
        assert not _reads_whole(plan, "pastoral_reviewtask"), plan


@pytest.mark.django_db
def test_the_students_on_roll_are_counted_from_an_index():
    """Every report counts the students on roll in its spans from the days they were admitted
    and left: read from the (admitted_on, left_on) index alone, never the wide student rows."""
    make_school_basics()
    make_student("A000000000001", "Mia", "Patel", admitted_on=TODAY - dt.timedelta(days=400))
    make_student("A000000000002", "Leo", "Ward", left_on=TODAY - dt.timedelta(days=30))
    for plan in _plans(lambda: _admissions_read(WHOLE_SCHOOL), "school_student"):
        assert "student_admissions" in plan, plan
        assert not _reads_whole(plan, "school_student") or "COVERING INDEX" in plan, plan
