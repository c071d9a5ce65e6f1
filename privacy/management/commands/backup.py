"""Back up the whole database to a new file readable by its owner only (docs/security.md)."""

from django.core.management.base import BaseCommand, CommandError

from privacy.services import backups


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup, or pg_dump -Fc) to a new 0600 file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where (default var/backups/conduct-<time>)")

    def handle(self, *args, path=None, **options):
        try:
            made = backups.backup_make(to=path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {made}")
