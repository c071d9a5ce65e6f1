"""`manage.py import_roster PATH [--dry-run] [--confirm-leavers]`: the roster import from the
command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from school.services import render_counts, roster_import


class Command(BaseCommand):
    help = (
        "Import the roster from a OneRoster 1.1/1.2 CSV bundle (zip or folder) or plain CSV "
        "exports (folder, zip or one file). Nothing changes if any problem is found. "
        "See docs/import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a .zip, a folder or a .csv file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but change nothing"
        )
        parser.add_argument(
            "--confirm-leavers",
            action="store_true",
            help="mark as left more than ROSTER_LEAVERS_MAX_PERCENT of the students, staff or "
            "classes when the files say so (refused without it)",
        )

    def handle(self, *args, path: Path, dry_run: bool, confirm_leavers: bool, **options):
        result = roster_import(path=path, dry_run=dry_run, confirm_leavers=confirm_leavers)
        notices = [f"Notice: {line}" for line in result.notices]
        if not result.ok:
            for line in [*result.problems, *notices]:
                self.stderr.write(line)
            count = len(result.problems)
            raise CommandError(
                f"Rejected: {count} problem{'s' if count != 1 else ''}, nothing changed."
            )
        verb = "checked (dry run, nothing changed)" if dry_run else "applied"
        self.stdout.write(f"{result.format}: {verb}")
        for line in notices:
            self.stdout.write(line)
        for line in result.leavers_confirmed:
            self.stdout.write(f"Confirmed: marks {line} as left")
        for line in render_counts(result.counts):
            self.stdout.write(line)
