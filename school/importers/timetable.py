"""timetable.csv, one row per lesson of a class in the timetable cycle: its columns, and one
row's class, day, period, teacher and room, read the same way among plain CSV exports and in a
OneRoster bundle."""

from __future__ import annotations

from dataclasses import dataclass

from school.importers import cells as c
from school.importers.files import Row
from school.importers.roster import Reader

CLASS_ALIASES = ("Class", "Class Code", "Class Name", "Teaching Group", "Group")

TIMETABLE_FIELDS = {
    "class_code": CLASS_ALIASES,
    "subject": ("Subject", "Subject Code"),
    "year": ("Year", "Year Group", "NC Year"),
    "teacher": ("Teacher", "Staff Code", "Teacher Code", "Staff"),
    "day": ("Day", "Cycle Day", "Timetable Day", "Day of Cycle"),
    "period": ("Period", "Period Code", "Period Name"),
    "room": ("Room", "Room Code"),
}


@dataclass(slots=True)
class Lesson:
    """One row of timetable.csv; a cell that is blank where required, bad or unknown is None
    (and a problem)."""

    class_code: str | None
    day: int | None
    period: str | None
    teacher: str | None
    room: str | None


def read_lesson(
    r: Reader, row: Row, staff_codes: set[str], period_codes: set[str], staff_file: str
) -> Lesson:
    """The row's lesson; `staff_file` is where its teacher should be (staff.csv, users.csv)."""
    code = r.required(row, "class_code")
    day = r.parse(row, "day", c.parse_cycle_day, c.DAY_HELP, required=True)
    period = r.required(row, "period")
    if period is not None and period not in period_codes:
        r.problem(row, "period", f'no period "{period}" (not in periods.csv nor in Conduct)')
        period = None
    teacher = r.get(row, "teacher") or None
    if teacher is not None and teacher not in staff_codes:
        r.problem(row, "teacher", f'no member of staff "{teacher}" in {staff_file} or Conduct')
        teacher = None
    room = r.text(row, "room", 20) or None
    return Lesson(code, day, period, teacher, room)


def first_time(r: Reader, row: Row, lesson: Lesson, seen: dict[tuple, int]) -> bool:
    """Whether this is the class's only lesson on that day and period so far (a second one is a
    problem naming the first row)."""
    key = (lesson.class_code, lesson.day, lesson.period)
    if key in seen:
        r.problem(
            row,
            "period",
            f"{lesson.class_code} is given twice on day {lesson.day} {lesson.period} "
            f"(row {seen[key]})",
        )
        return False
    seen[key] = row.line
    return True
