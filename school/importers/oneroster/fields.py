"""Fields every file of a bundle reads the same way: a row's `sourcedId` (once per file), its
`status` and a `grades` list."""

from __future__ import annotations

from collections.abc import Iterator

from school.importers import cells as c
from school.importers.files import Row
from school.importers.roster import Reader


def grade(value: str) -> int:
    """The year group from OneRoster `grades`: "09" or "9"; the first of a list ("09,10")."""
    return c.parse_year(c.first_token(value))


def several_grades(value: str) -> bool:
    """Whether `grades` lists more than one grade ("12,13")."""
    return len({token.lstrip("0") for token in c.split_list(value)}) > 1


def deleted(reader: Reader, row) -> bool:
    return reader.get(row, "status").lower() == "tobedeleted"


def unique_rows(reader: Reader) -> Iterator[Row]:
    """The file's rows, a repeated `sourcedId` reported with both rows and its second row
    skipped (so it is not reported again as whatever else it repeats). A blank id is left to
    the file's own check."""
    seen: dict[str, int] = {}
    for row in reader.table.rows:
        sid = reader.get(row, "sourcedId")
        if sid in seen:
            reader.problem(
                row, "sourcedId", f'duplicate sourcedId "{sid}" (also on row {seen[sid]})'
            )
            continue
        if sid:
            seen[sid] = row.line
        yield row
