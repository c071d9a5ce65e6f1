"""The demo school's roster import history: the weekly syncs, a summer export that would have
taken the school off roll and was refused, the confirmed Year 11 leavers, and a damaged zip."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from school.importers.apply import empty_counts
from school.models import ImportRun

LONDON_TIME = dt.time(8, 5)


def _at(day: dt.date, minutes: int = 0) -> dt.datetime:
    moment = dt.datetime.combine(day, LONDON_TIME) + dt.timedelta(minutes=minutes)
    return timezone.make_aware(moment)


def _counts(**rows: dict[str, int]) -> dict[str, dict[str, int]]:
    counts = empty_counts()
    for key, values in rows.items():
        counts[key].update(values)
    return counts


def load_import_history(*, year_starts_on: dt.date, students: int, per_year: int, by) -> int:
    """Import runs from the summer before this academic year to its first weeks."""
    july = year_starts_on - dt.timedelta(days=46)
    while july.weekday() >= 5:
        july -= dt.timedelta(days=1)
    on_roll_in_july = students  # Year 11 left as Year 7 arrived: the same size of school
    leavers = per_year
    share = f"{100 * leavers / on_roll_in_july:.1f}".removesuffix(".0")
    runs = [
        (
            _at(july),
            ImportRun(
                source_name="students.csv",
                format="CSV exports",
                status=ImportRun.Status.REJECTED,
                problems=[
                    f"students.csv:-:-: this import would mark {on_roll_in_july:,} of the "
                    f"{on_roll_in_july:,} students on roll (100%) as left, more than the 10% an "
                    "import may without confirmation. If they really have left, tick “Yes, mark "
                    "them as left” and import again (--confirm-leavers on the command line); if "
                    "not, the file is incomplete: export it again from the MIS"
                ],
            ),
        ),
        (
            _at(july, 25),
            ImportRun(
                source_name="roster.zip",
                format="OneRoster 1.1",
                status=ImportRun.Status.APPLIED,
                counts=_counts(
                    students={"unchanged": on_roll_in_july - leavers, "left": leavers},
                    enrolments={"removed": leavers * 10},
                ),
                leavers_confirmed=[
                    f"{leavers:,} of the {on_roll_in_july:,} students on roll ({share}%)"
                ],
            ),
        ),
        (
            _at(year_starts_on + dt.timedelta(days=1)),
            ImportRun(
                source_name="roster.zip",
                format="OneRoster 1.1",
                status=ImportRun.Status.APPLIED,
                counts=_counts(
                    students={"created": per_year, "updated": students - per_year},
                    enrolments={"created": per_year * 10},
                ),
            ),
        ),
        (
            _at(year_starts_on + dt.timedelta(days=22)),
            ImportRun(
                source_name="sims export.zip",
                format="unknown",
                status=ImportRun.Status.REJECTED,
                problems=[
                    "sims export.zip:-:-: the zip file is damaged at export/users.csv (Bad CRC-32 "
                    "for file 'export/users.csv'): make the zip again"
                ],
            ),
        ),
        (
            _at(year_starts_on + dt.timedelta(days=22), 6),
            ImportRun(
                source_name="roster.zip",
                format="OneRoster 1.1",
                status=ImportRun.Status.APPLIED,
                counts=_counts(students={"updated": 4, "unchanged": students - 4}),
            ),
        ),
    ]
    for started_at, run in runs:
        run.started_by = by
        run.save()
        # started_at is set on save; the history is dated as it happened.
        ImportRun.objects.filter(pk=run.pk).update(started_at=started_at)
    return len(runs)
