"""periods.csv, Conduct's own file of the school day's periods, read the same way in a OneRoster
bundle and among plain CSV exports."""

from __future__ import annotations

from school.importers import cells as c
from school.importers.files import Problems, Table
from school.importers.roster import Reader, Roster

PERIOD_FIELDS = {
    "code": ("code", "Period Code", "Period"),
    "name": ("name", "Period Name", "Description"),
    "kind": ("kind", "Type"),
    "start": ("start", "Start Time", "Starts"),
    "end": ("end", "End Time", "Ends"),
}
PERIOD_KINDS = {"registration", "lesson", "break", "lunch"}


def parse_periods(table: Table | None, roster: Roster, problems: Problems) -> set[str]:
    """Conduct's periods.csv (both formats): code,name,kind,start,end."""
    if table is None:
        return set()
    r = Reader(table, problems, PERIOD_FIELDS)
    if not r.require_columns("code", "start", "end"):
        return set()
    seen: dict[str, int] = {}
    for row in table.rows:
        code = r.required(row, "code")
        kind = r.get(row, "kind").lower() or "lesson"
        if kind not in PERIOD_KINDS:
            r.problem(row, "kind", f'"{kind}" is not registration, lesson, break or lunch')
        start = r.parse(row, "start", c.parse_time, "is not a time (HH:MM)", required=True)
        end = r.parse(row, "end", c.parse_time, "is not a time (HH:MM)", required=True)
        if start and end and end <= start:
            r.problem(row, "end", "ends before it starts")
        if code is None:
            continue
        if len(code) > 10:
            r.problem(row, "code", "longer than 10 characters")
        if code in seen:
            r.problem(row, "code", f'duplicate period code "{code}" (also on row {seen[code]})')
            continue
        seen[code] = row.line
        roster.periods[code] = {
            "name": r.text(row, "name", 40) or code,
            "kind": kind,
            "starts_at": start,
            "ends_at": end,
        }
    return set(roster.periods)
