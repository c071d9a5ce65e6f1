"""Apply the school's retention schedule: `--dry-run` (the default) says what would go;
`--apply` anonymises or deletes it, recorded in the audit log (docs/security.md)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from privacy.models import RetentionRule
from privacy.services import retention


class Command(BaseCommand):
    help = "Anonymise or delete what is past the school's retention schedule (dry run first)."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="Only report (the default)")
        mode.add_argument("--apply", action="store_true", help="Anonymise or delete")
        parser.add_argument("--by", help="The username of the person running it, for the log")

    def handle(self, *args, apply=False, by=None, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No account {by!r}")
        steps = retention.retention_apply(apply=apply, by=user)
        prefix = "" if apply else "would remove or anonymise: "
        kinds = dict(RetentionRule.Kind.choices)
        for step in steps:
            self.stdout.write(f"{kinds[step.kind]} — {step.action}, older than {step.cutoff}:")
            if not step.counts and not step.problems:
                self.stdout.write("  nothing past the period")
            for what, n in step.counts.items():
                self.stdout.write(f"  {prefix}{what}: {n}")
            for name in step.students:
                self.stdout.write(f"  student: {name}")
            for problem in step.problems:
                self.stderr.write(f"  {problem}")
        if not apply:
            self.stdout.write("Nothing was changed. Run with --apply to do it.")
