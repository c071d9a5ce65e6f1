"""timetable.csv in a bundle, Conduct's extension: the lessons of the classes in classes.csv,
with their days, for a bundle whose `periods` name no day (as the standard writes them)."""

from __future__ import annotations

from school.importers.files import Problems, Table
from school.importers.oneroster.classes import BundleClasses
from school.importers.roster import Reader, Roster
from school.importers.timetable import TIMETABLE_FIELDS, first_time, read_lesson


def parse_timetable(
    table: Table | None,
    classes: BundleClasses,
    roster: Roster,
    problems: Problems,
    staff_codes: set[str],
    period_codes: set[str],
) -> set[str]:
    """The codes of the classes it places: each one's slots are what it says, over the class's
    `periods`. Its teachers are the slots' staff; the class's teachers stay enrollments.csv's."""
    if table is None:
        return set()
    r = Reader(table, problems, TIMETABLE_FIELDS)
    if not r.require_columns("class_code", "day", "period"):
        return set()
    by_code = {bundle_class.code: bundle_class for bundle_class in classes.by_id.values()}
    placed: dict[str, dict[tuple[int, str], dict]] = {}
    seen: dict[tuple, int] = {}  # (class, day, period) -> row
    for row in table.rows:
        code = r.get(row, "class_code")
        if code in classes.deleted_codes and code not in by_code:
            continue  # the class is leaving, and its lessons with it
        lesson = read_lesson(r, row, staff_codes, period_codes, "users.csv")
        if lesson.class_code is None:
            continue
        bundle_class = by_code.get(lesson.class_code)
        if bundle_class is None:
            r.problem(row, "class_code", f'no class "{lesson.class_code}" in classes.csv')
            continue
        if bundle_class.homeroom:
            r.problem(
                row,
                "class_code",
                f'"{lesson.class_code}" is a homeroom class, not taught in the timetable',
            )
            continue
        slots = placed.setdefault(lesson.class_code, {})
        if lesson.day is None or lesson.period is None or not first_time(r, row, lesson, seen):
            continue
        if lesson.room:
            roster.rooms.add(lesson.room)
        slots[(lesson.day, lesson.period)] = {
            "room": lesson.room or bundle_class.room,
            "staff": lesson.teacher,
        }
    roster.slots.update(placed)
    return set(placed)
