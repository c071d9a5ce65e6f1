"""Writes to the school's data: each a keyword-only function, validated, one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock
from school.importers.apply import ENTITIES, Applier, empty_counts
from school.importers.csv_exports import parse_exports
from school.importers.files import ImportFailed, Problem, read_source
from school.importers.oneroster.bundle import looks_like_oneroster, parse_oneroster
from school.importers.roster import Known
from school.models import ImportRun


@dataclass
class ImportResult:
    status: str  # ImportRun.Status value: applied / rejected / checked
    format: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    run: ImportRun | None = None

    @property
    def ok(self) -> bool:
        return self.status != ImportRun.Status.REJECTED


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def roster_import(
    *,
    path: Path,
    by=None,
    request=None,
    dry_run: bool = False,
    source_name: str | None = None,
) -> ImportResult:
    """Import a roster (OneRoster bundle or plain CSV exports) from `path`.

    Guarantees: every file and row is checked before anything is written; if any problem is
    found nothing changes and every problem is returned as `file:row:column: message`; otherwise
    all changes are applied in one transaction (rolled back again for a dry run). What a file
    says that the import cannot use but need not refuse is returned as notices, `file: message`,
    each once. Students and staff are never deleted. Every run is kept as an ImportRun and
    written to the audit log.
    """
    path = Path(path)
    source_name = source_name or path.name
    fmt = "unknown"
    problems: list[Problem] = []
    notices: list[str] = []
    counts = empty_counts()
    status = ImportRun.Status.REJECTED
    try:
        files = read_source(path)
    except ImportFailed as failed:
        problems = [Problem(source_name, None, None, str(failed))]
    else:
        oneroster = looks_like_oneroster(set(files))
        known = Known.load()
        if oneroster:
            roster, found = parse_oneroster(files, known)
        else:
            roster, found = parse_exports(files, known)
        fmt = roster.format
        notices = [str(notice) for notice in roster.notices]
        problems = sorted(found, key=Problem.sort_key)
        if not problems:
            try:
                counts, problems = _apply(roster, dry_run=dry_run)
            except DatabaseError as error:
                # A rule the checks missed: the transaction is rolled back, so nothing changed.
                problems = [Problem(source_name, None, None, f"the database refused it: {error}")]
            if not problems:
                status = ImportRun.Status.CHECKED if dry_run else ImportRun.Status.APPLIED
    lines = [str(p) for p in problems]
    if status == ImportRun.Status.REJECTED:
        counts = empty_counts()
    run = ImportRun.objects.create(
        started_by=by if by is not None and by.is_authenticated else None,
        source_name=source_name[:255],
        format=fmt,
        status=status,
        counts=counts,
        problems=lines,
        notices=notices,
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
        },
    )
    return ImportResult(
        status=status, format=fmt, counts=counts, problems=lines, notices=notices, run=run
    )


def _apply(roster, *, dry_run: bool):
    applier = Applier(roster, today=clock.today())
    try:
        with transaction.atomic():
            problems = sorted(applier.check(), key=Problem.sort_key)
            if problems:
                return empty_counts(), problems
            counts = applier.write()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return counts, []


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
