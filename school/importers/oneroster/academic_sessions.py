"""academicSessions.csv: school years, their autumn, spring and summer terms, and the half-terms
(grading periods) of each term."""

from __future__ import annotations

from school.importers import cells as c
from school.importers.files import Problems, Table
from school.importers.oneroster.fields import deleted, unique_rows
from school.importers.roster import Reader, Roster


def parse_sessions(table: Table | None, roster: Roster, problems: Problems) -> None:
    if table is None:
        return
    r = Reader(
        table,
        problems,
        {
            "sourcedId": ("sourcedId",),
            "status": ("status",),
            "title": ("title",),
            "type": ("type",),
            "startDate": ("startDate",),
            "endDate": ("endDate",),
            "parentSourcedId": ("parentSourcedId",),
        },
    )
    if not r.require_columns("sourcedId", "title", "type", "startDate", "endDate"):
        return
    years: dict[str, str] = {}  # sourcedId -> name
    year_dates: dict[str, tuple] = {}
    terms: dict[str, tuple[str, str]] = {}  # sourcedId -> (year, kind)
    pending_halves: list[tuple] = []
    rows_by_type: dict[str, list] = {"schoolyear": [], "term": [], "gradingperiod": []}
    for row in unique_rows(r):
        if deleted(r, row):
            continue
        kind = r.get(row, "type").lower()
        if kind in rows_by_type:
            rows_by_type[kind].append(row)

    def dates(row):
        start = r.parse(row, "startDate", c.parse_date, c.DATE_HELP, required=True)
        end = r.parse(row, "endDate", c.parse_date, c.DATE_HELP, required=True)
        if start and end and end <= start:
            r.problem(row, "endDate", "ends before it starts")
            return None, None
        return start, end

    for row in rows_by_type["schoolyear"]:
        start, end = dates(row)
        if start is None or end is None:
            continue
        name = c.iso_year_name(r.get(row, "title"), start)
        if name in roster.years:
            r.problem(row, "title", f'duplicate school year "{name}"')
            continue
        roster.years[name] = {"starts_on": start, "ends_on": end}
        years[r.get(row, "sourcedId")] = name
        year_dates[name] = (start, end)

    for row in rows_by_type["term"]:
        start, end = dates(row)
        title = r.get(row, "title")
        kind = next((k for k in ("autumn", "spring", "summer") if k in title.lower()), None)
        if kind is None:
            r.problem(row, "title", f'"{title}" does not say autumn, spring or summer')
        parent = r.get(row, "parentSourcedId")
        year = years.get(parent)
        if year is None and start is not None:
            year = next((n for n, (s, e) in year_dates.items() if s <= start <= e), None)
        if year is None:
            r.problem(row, "parentSourcedId", f'no schoolYear session "{parent}"')
        if None in (start, end, kind, year):
            continue
        if (year, kind) in roster.terms:
            r.problem(row, "title", f"a second {kind} term in {year}")
            continue
        roster.terms[(year, kind)] = {"starts_on": start, "ends_on": end}
        terms[r.get(row, "sourcedId")] = (year, kind)

    for row in rows_by_type["gradingperiod"]:
        start, end = dates(row)
        parent = r.get(row, "parentSourcedId")
        term = terms.get(parent)
        if term is None:
            r.problem(row, "parentSourcedId", f'no term session "{parent}"')
            continue
        if start is not None and end is not None:
            pending_halves.append((term, start, end, row))

    by_term: dict[tuple, list] = {}
    for term, start, end, row in sorted(pending_halves, key=lambda h: h[1]):
        by_term.setdefault(term, []).append((start, end, row))
    for term, halves in by_term.items():
        for number, (start, end, row) in enumerate(halves, start=1):
            if number > 2:
                r.problem(row, "type", f"a third half-term in {term[1]} {term[0]}")
                continue
            roster.half_terms[(term[0], term[1], number)] = {"starts_on": start, "ends_on": end}
