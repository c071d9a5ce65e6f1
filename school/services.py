"""Writes to the school's data: each a keyword-only function, validated, one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock
from school.importers.apply import ENTITIES, Applier, empty_counts
from school.importers.csv_exports import parse_exports
from school.importers.files import ImportFailed, Limits, Problem, read_source
from school.importers.oneroster.bundle import looks_like_oneroster, parse_oneroster
from school.importers.roster import Known
from school.models import ImportRun, Staff, Student, TeachingClass

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    status: str  # ImportRun.Status value: applied / rejected / checked
    format: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    run: ImportRun | None = None
    # What the data manager confirmed would be marked left, over the share allowed without it.
    leavers_confirmed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != ImportRun.Status.REJECTED


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class _TooManyLeavers(Exception):
    """Raised inside the transaction to roll back an import that would empty the school."""

    def __init__(self, leavers: list[Leavers]):
        self.leavers = leavers


@dataclass(frozen=True)
class Leavers:
    """How many of what was on roll before the import it marks left."""

    noun: str
    left: int
    of: int

    @property
    def percent(self) -> float:
        return 100 * self.left / self.of if self.of else 0.0

    def __str__(self) -> str:
        share = f"{self.percent:.1f}".removesuffix(".0")
        return f"{self.left:,} of the {self.of:,} {self.noun} ({share}%)"


def _on_roll_before() -> dict[str, int]:
    """What an import can mark left, counted before it: the denominators of the leavers guard."""
    in_use = Q(enrolments__isnull=False) | Q(teacher_links__isnull=False) | Q(slots__isnull=False)
    return {
        "students": Student.objects.filter(left_on=None).count(),
        "staff": Staff.objects.filter(is_active=True).count(),
        "classes": TeachingClass.objects.filter(in_use).distinct().count(),
    }


_LEAVER_NOUNS = {
    "students": "students on roll",
    "staff": "active staff",
    "classes": "classes in use",
}


def _too_many_leavers(counts, before: dict[str, int]) -> list[Leavers]:
    limit = settings.ROSTER_LEAVERS_MAX_PERCENT
    found = [Leavers(_LEAVER_NOUNS[key], counts[key]["left"], before[key]) for key in _LEAVER_NOUNS]
    return [leavers for leavers in found if leavers.left and leavers.percent > limit]


def roster_import(
    *,
    path: Path,
    by=None,
    request=None,
    dry_run: bool = False,
    confirm_leavers: bool = False,
    source_name: str | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Import a roster (OneRoster bundle or plain CSV exports) from `path`.

    Guarantees: every file and row is checked before anything is written; if any problem is
    found nothing changes and every problem is returned as `file:row:column: message`; otherwise
    all changes are applied in one transaction (rolled back again for a dry run). What a file
    says that the import cannot use but need not refuse is returned as notices, `file: message`,
    each once. Students and staff are never deleted, and an import that would mark more than
    ROSTER_LEAVERS_MAX_PERCENT of the students, staff or classes left is refused unless
    `confirm_leavers`. Files are read within `limits` (settings by default). Every run, even one
    that fails, is kept as an ImportRun and written to the audit log.
    """
    path = Path(path)
    source_name = source_name or path.name
    fmt = "unknown"
    problems: list[Problem] = []
    notices: list[str] = []
    counts = empty_counts()
    confirmed: list[Leavers] = []
    status = ImportRun.Status.REJECTED
    try:
        files, found = read_source(path, limits)
        if found:
            # A file that could not be read whole: its other problems would only mislead.
            problems = sorted(found, key=Problem.sort_key)
        else:
            known = Known.load()
            if looks_like_oneroster(set(files)):
                roster, found = parse_oneroster(files, known)
            else:
                roster, found = parse_exports(files, known)
            fmt = roster.format
            notices = [str(notice) for notice in roster.notices]
            problems = sorted(found, key=Problem.sort_key)
            if not problems:
                counts, problems, confirmed = _apply(
                    roster,
                    dry_run=dry_run,
                    confirm_leavers=confirm_leavers,
                    source_name=source_name,
                )
                if not problems:
                    status = ImportRun.Status.CHECKED if dry_run else ImportRun.Status.APPLIED
    except ImportFailed as failed:
        problems = [Problem(failed.file or source_name, failed.row, None, failed.message)]
    except DatabaseError as error:
        # A rule the checks missed: the transaction is rolled back, so nothing changed.
        problems = [Problem(source_name, None, None, f"the database refused it: {error}")]
    except Exception:
        # A bug, not the file's fault; still recorded, and nothing was written.
        logger.exception("roster import of %s failed", source_name)
        problems = [
            Problem(
                source_name,
                None,
                None,
                "the import stopped on an unexpected error (written to the server log); "
                "nothing changed",
            )
        ]
    lines = [str(p) for p in problems]
    if status == ImportRun.Status.REJECTED:
        counts = empty_counts()
        confirmed = []
    confirmed_lines = [str(leavers) for leavers in confirmed]
    run = ImportRun.objects.create(
        started_by=by if by is not None and by.is_authenticated else None,
        source_name=source_name[:255],
        format=fmt,
        status=status,
        counts=counts,
        problems=lines,
        notices=notices,
        leavers_confirmed=confirmed_lines,
    )
    audit_record(
        request=request,
        user=by,
        action=AuditEvent.Action.IMPORT,
        object_type="school.importrun",
        detail={
            "import_run": run.pk,
            "source": run.source_name,
            "format": fmt,
            "status": status,
            "problems": len(lines),
            "notices": len(notices),
            "counts": {k: v for k, v in counts.items() if any(v.values())},
            "confirm_leavers": confirm_leavers,
            "leavers_confirmed": confirmed_lines,
        },
    )
    return ImportResult(
        status=status,
        format=fmt,
        counts=counts,
        problems=lines,
        notices=notices,
        run=run,
        leavers_confirmed=confirmed_lines,
    )


def _apply(roster, *, dry_run: bool, confirm_leavers: bool, source_name: str):
    applier = Applier(roster, today=clock.today())
    before = _on_roll_before()
    try:
        with transaction.atomic():
            problems = sorted(applier.check(), key=Problem.sort_key)
            if problems:
                return empty_counts(), problems, []
            counts = applier.write()
            # Counted by the write itself, so the guard sees exactly what the import would do.
            over = _too_many_leavers(counts, before)
            if over and not confirm_leavers:
                raise _TooManyLeavers(over)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except _TooManyLeavers as refused:
        limit = settings.ROSTER_LEAVERS_MAX_PERCENT
        return (
            empty_counts(),
            [
                Problem(
                    source_name,
                    None,
                    None,
                    f"this import would mark {leavers} as left, more than the {limit}% an "
                    "import may without confirmation. If they really have left, tick “Yes, mark "
                    "them as left” and import again (--confirm-leavers on the command line); if "
                    "not, the file is incomplete: export it again from the MIS",
                )
                for leavers in refused.leavers
            ],
            [],
        )
    return counts, [], over


def render_counts(counts: dict[str, dict[str, int]]) -> list[str]:
    """The counts as a plain-text table, one entity a line (for the command and the log)."""
    lines = [f"{'':<18}{'created':>9}{'updated':>9}{'unchanged':>11}{'left/removed':>14}"]
    for key, label, extra in ENTITIES:
        row = counts.get(key)
        if not row or not any(row.values()):
            continue
        gone = str(row.get(extra, 0)) if extra else "-"
        lines.append(
            f"{label:<18}{row['created']:>9}{row['updated']:>9}{row['unchanged']:>11}{gone:>14}"
        )
    return lines
