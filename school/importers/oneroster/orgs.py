"""orgs.csv: the school (its URN) and its departments."""

from __future__ import annotations

import re

from school.importers.files import Notice, Problems, Table
from school.importers.oneroster.fields import deleted, unique_rows
from school.importers.roster import Reader, Roster

# A URN is six digits; a DfE number (LA code and establishment number, "330/4127" or "3304127")
# is not one, so six digits standing alone.
_URN = re.compile(r"(?<!\d)\d{6}(?!\d)")


def _school_urn(identifier: str, table: Table, line: int, roster: Roster) -> str | None:
    """The URN in the school's `identifier`, which the standard leaves free text ("140123",
    "URN 140123"); None, with a notice, when it holds none or several."""
    found = set(_URN.findall(identifier))
    if len(found) == 1:
        return found.pop()
    if identifier:
        holds = "no URN (6 digits)" if not found else "more than one 6-digit number"
        roster.notices.append(
            Notice(
                table.name,
                f'the school\'s identifier "{identifier}" (row {line}) holds {holds}, so Conduct '
                "keeps the URN it has.",
            )
        )
    return None


def parse_orgs(table: Table | None, roster: Roster, problems: Problems) -> set[str]:
    codes: set[str] = set()
    if table is None:
        return codes
    r = Reader(
        table,
        problems,
        {
            "sourcedId": ("sourcedId",),
            "status": ("status",),
            "name": ("name",),
            "type": ("type",),
            "identifier": ("identifier",),
        },
    )
    if not r.require_columns("sourcedId", "name", "type"):
        return codes
    school_row = None
    for row in unique_rows(r):
        if deleted(r, row):
            continue
        kind = r.get(row, "type").lower()
        if kind == "school":
            if school_row is not None:
                r.problem(row, "type", f"a second school (the first is on row {school_row})")
                continue
            school_row = row.line
            roster.school = {"name": r.text(row, "name", 200) or "School"}
            urn = _school_urn(r.get(row, "identifier"), table, row.line, roster)
            if urn is not None:
                roster.school["urn"] = urn
        elif kind == "department":
            code = r.required(row, "identifier")
            if code is None:
                continue
            if len(code) > 20:
                r.problem(row, "identifier", "longer than 20 characters")
            if code in roster.departments:
                r.problem(row, "identifier", f'duplicate department code "{code}"')
                continue
            roster.departments[code] = {"name": r.text(row, "name", 100) or code}
            codes.add(code)
    return codes
