"""Replace the whole database with a backup (docs/security.md): asks first unless --yes."""

from django.core.management.base import BaseCommand, CommandError

from privacy.services import backups


class Command(BaseCommand):
    help = "Restore the database from a backup made by `manage.py backup` (replaces everything)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file")
        parser.add_argument("--yes", action="store_true", help="Do not ask to confirm")

    def handle(self, *args, path, yes=False, **options):
        if not yes:
            answer = input(f"Replace the whole database with {path}? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Not restored")
        try:
            backups.backup_restore(source=path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored from {path}")
