"""courses.csv: the subjects classes are taught in, with their departments."""

from __future__ import annotations

from school.importers import cells as c
from school.importers.files import Problems, Table
from school.importers.oneroster.fields import deleted, unique_rows
from school.importers.roster import Reader, Roster


def parse_courses(
    table: Table | None, roster: Roster, problems: Problems, department_codes: set[str]
) -> dict[str, str]:
    """course sourcedId -> subject code."""
    courses: dict[str, str] = {}
    if table is None:
        return courses
    r = Reader(
        table,
        problems,
        {
            "sourcedId": ("sourcedId",),
            "status": ("status",),
            "title": ("title",),
            "courseCode": ("courseCode",),
            "subjects": ("subjects",),
            "subjectCodes": ("subjectCodes",),
            "department": ("metadata.uk.department",),
        },
    )
    if not r.require_columns("sourcedId", "title"):
        return courses
    for row in unique_rows(r):
        sid = r.required(row, "sourcedId")
        if sid is None or deleted(r, row):
            continue
        code = c.first_token(r.get(row, "subjectCodes")) or r.get(row, "courseCode")
        if not code:
            r.problem(row, "subjectCodes", "required, but blank (and no courseCode)")
            continue
        if len(code) > 20:
            r.problem(row, "subjectCodes", "longer than 20 characters")
        courses[sid] = code
        if code not in roster.subjects:
            name = r.get(row, "title") or c.first_token(r.get(row, "subjects")) or code
            roster.subjects[code] = {"name": name[:100]}
        if r.has("department"):
            dept = r.get(row, "department")
            if dept and dept not in department_codes:
                r.problem(row, "department", f'no department "{dept}" in orgs.csv or Conduct')
            if dept or "department" not in roster.subjects[code]:
                roster.subjects[code]["department"] = dept or None
    return courses
