"""Patrol's renaming migrations keep the rows: students found on sweeps (OutOfLesson became
SweepFinding) and supervision duties (their kind became the provision's code)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from patrol.models import Duty, Sweep, SweepFinding
from tests.base import TEN_FIFTEEN, WEDNESDAY, make_calendar_and_timetable, make_people


class PatrolMigrationsTest(TransactionTestCase):
    serialized_rollback = True  # keep the rows migrations seed for the tests after these

    def setUp(self):
        make_people(self)
        make_calendar_and_timetable(self)

    def migrate(self, target: str | None) -> None:
        """Move patrol to `target`, or forward to its newest migration for None."""
        executor = MigrationExecutor(connection)
        if target is None:
            targets = executor.loader.graph.leaf_nodes("patrol")
        else:
            targets = [("patrol", target)]
        executor.migrate(targets)

    def rows(self, sql: str) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def test_it_keeps_the_students_found_on_sweeps_through_the_rename(self):
        sweep = Sweep.objects.create(staff=self.bob, started_at=TEN_FIFTEEN)
        SweepFinding.objects.create(
            sweep=sweep, student=self.student, found_at=TEN_FIFTEEN, found_where="Hall"
        )
        self.migrate("0003_sent_out_sweeps_watch_list")
        self.assertEqual(self.rows("SELECT found_where FROM patrol_outoflesson"), [("Hall",)])
        self.migrate(None)
        self.assertEqual(SweepFinding.objects.get().student, self.student)

    def test_it_moves_supervision_duties_to_the_provision_codes_and_back(self):
        for period, kind in (("P1", Duty.Kind.REFLECTION_ROOM), ("P2", Duty.Kind.ON_CALL)):
            Duty.objects.create(
                date=WEDNESDAY, period=self.periods[period], staff=self.dana.staff, kind=kind
            )
        self.migrate("0004_sweep_finding")
        kinds = "SELECT kind FROM patrol_duty"
        self.assertEqual(set(self.rows(kinds)), {("on_call",), ("rr",)})
        self.migrate(None)
        self.assertEqual(set(self.rows(kinds)), {("RR",), ("on_call",)})
        self.assertEqual(Duty.Kind.REFLECTION_ROOM, "RR")
