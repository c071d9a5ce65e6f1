"""Backups (issue 13): `manage.py backup` and `manage.py restore` with the database's own
tools, a round trip that gives back every table's rows, and files readable by their owner
only."""

import io
import os
import stat
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, TransactionTestCase

from conduct.lib.files import private_file, private_sqlite_files
from privacy.services import backups
from school.models import Student
from tests.base import make_people


def every_table_rows() -> dict[str, list[tuple]]:
    """Every table's rows, in key order (what a round trip must give back)."""
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table.startswith("sqlite_"):
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            found[table] = sorted(cursor.fetchall(), key=repr)
    return found


class BackupRoundTripTest(TransactionTestCase):
    serialized_rollback = True  # keep the rows migrations seed for the tests after these

    def test_a_backup_restores_every_table_as_it_was(self):
        make_people(self)
        before = every_table_rows()
        self.assertTrue(before["school_student"])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / ("backup.sqlite3" if connection.vendor == "sqlite" else "b.dump")
            call_command("backup", str(path), stdout=io.StringIO())
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
            # Things change after the backup...
            Student.objects.filter(pk=self.student.pk).update(legal_first_name="Changed")
            apps.get_model("school", "Room").objects.create(code="NEW1", name="New room")
            self.assertNotEqual(every_table_rows(), before)
            # ...and the restore gives back exactly what was backed up.
            call_command("restore", str(path), "--yes", stdout=io.StringIO())
            connection.close()
            self.assertEqual(every_table_rows(), before)

    def test_it_will_not_overwrite_a_file_or_restore_from_nothing(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "there"
            path.write_text("x")
            with self.assertRaises(backups.BackupError):
                backups.backup_make(to=path)
            with self.assertRaises(backups.BackupError):
                backups.backup_restore(source=Path(folder) / "missing")


CONNECT = (
    "import django; django.setup(); from django.db import connection; "
    "connection.ensure_connection()"
)


class OwnerOnlyFilesTest(SimpleTestCase):
    def test_a_new_database_file_is_made_readable_by_its_owner_only(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "conduct.sqlite3"
            old = os.umask(0o022)
            try:
                private_file(path)
            finally:
                os.umask(old)
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)

    def test_an_old_world_readable_database_is_fixed_at_connection(self):
        import sqlite3

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "conduct.sqlite3"
            sqlite3.connect(path).execute("PRAGMA journal_mode=WAL").fetchone()
            os.chmod(path, 0o644)
            private_sqlite_files(str(path))
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)

    def test_the_settings_make_the_sqlite_file_owner_only(self):
        import subprocess
        import sys

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "fresh.sqlite3"
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env |= {"SQLITE_PATH": str(path), "DJANGO_SETTINGS_MODULE": "conduct.settings"}
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    CONNECT,
                ],
                env=env,
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
                umask=0o022,
            )
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
