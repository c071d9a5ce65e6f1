"""A whole OneRoster bundle: recognised by its files, read file by file into one `Roster`."""

from __future__ import annotations

from school.importers.files import Problems, Table
from school.importers.oneroster.academic_sessions import parse_sessions
from school.importers.oneroster.classes import no_day_notice, parse_classes
from school.importers.oneroster.courses import parse_courses
from school.importers.oneroster.demographics import parse_demographics
from school.importers.oneroster.enrollments import parse_enrollments
from school.importers.oneroster.manifest import oneroster_version
from school.importers.oneroster.orgs import parse_orgs
from school.importers.oneroster.timetable import parse_timetable
from school.importers.oneroster.users import (
    forms_from_students,
    link_guardians,
    parse_roles,
    parse_users,
)
from school.importers.periods import parse_periods
from school.importers.roster import Known, Roster


def looks_like_oneroster(names: set[str]) -> bool:
    lowered = {name.lower() for name in names}
    return "users.csv" in lowered or "manifest.csv" in lowered


def parse_oneroster(files: dict[str, Table], known: Known) -> tuple[Roster, Problems]:
    problems = Problems()
    tables: dict[str, Table] = {name.lower(): table for name, table in files.items()}
    version = oneroster_version(tables)
    roster = Roster(format=f"OneRoster {version}")

    departments_in_bundle = parse_orgs(tables.get("orgs.csv"), roster, problems)
    parse_sessions(tables.get("academicsessions.csv"), roster, problems)
    periods = parse_periods(tables.get("periods.csv"), roster, problems)
    period_codes = periods | known.periods
    department_codes = departments_in_bundle | known.departments

    users = tables.get("users.csv")
    if users is None:
        problems.add("users.csv", None, None, "file missing from the bundle")
        return roster, problems
    roles = parse_roles(users, tables.get("roles.csv"), problems)
    people = parse_users(users, roles, roster, problems, department_codes)
    course_subjects = parse_courses(tables.get("courses.csv"), roster, problems, department_codes)
    classes = parse_classes(
        tables.get("classes.csv"), roster, problems, course_subjects, period_codes
    )
    if not people.usable:
        # Without users every reference to one would be a problem too: report the cause only.
        return roster, problems
    staff_codes = set(people.staff.values()) | known.staff
    timetabled = parse_timetable(
        tables.get("timetable.csv"), classes, roster, problems, staff_codes, period_codes
    )
    if "classes.csv" in tables:
        notice = no_day_notice(tables["classes.csv"].name, classes, timetabled)
        if notice is not None:
            roster.notices.append(notice)
    parse_demographics(tables.get("demographics.csv"), people, problems)
    parse_enrollments(tables.get("enrollments.csv"), classes, people, roster, problems)
    link_guardians(people, roster)
    forms_from_students(roster)
    return roster, problems
