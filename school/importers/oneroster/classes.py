"""classes.csv: teaching classes with their timetable slots (`periods`), and tutor groups
(`homeroom` classes).

The standard's `periods` are period identifiers with no day ("1", "1,3", "P2"); Conduct also
takes its own `<cycle day>:<period>[@<room>]` ("1:P2,6:P1@M5"), which places a lesson in the
cycle. A period with no day cannot be placed (unless the bundle's timetable.csv places the
class): it is said once, as a notice."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from conduct.lib import wording
from school.importers import cells as c
from school.importers.files import Notice, Problems, Row, Table
from school.importers.oneroster.fields import deleted, grade, several_grades, unique_rows
from school.importers.roster import Reader, Roster


@dataclass
class BundleClass:
    code: str
    homeroom: bool
    row: Row
    room: str | None  # `location`
    # The `periods` cell when an item in it names no day, for the notice.
    periods_without_day: str | None = None


@dataclass
class BundleClasses:
    """The classes of a bundle by sourcedId, and those it says are to be deleted: rows that
    still name one of those are not problems, they are leaving too."""

    by_id: dict[str, BundleClass] = field(default_factory=dict)
    deleted_ids: set[str] = field(default_factory=set)
    deleted_codes: set[str] = field(default_factory=set)


_SLOT = re.compile(r"(\d{1,2})\s*:\s*([^@\s]+)\s*(?:@\s*(\S+))?")


def _slot(token: str) -> tuple[int, str, str | None] | None:
    """(cycle day, period, room) from `<cycle day>:<period>[@<room>]`; None for the standard's
    period identifier, which names no day; ValueError for an item with a `:` in another form."""
    if ":" not in token:
        return None
    match = _SLOT.fullmatch(token)
    if not match:
        raise ValueError(token)
    return int(match.group(1)), match.group(2), match.group(3)


def _read_periods(
    r: Reader, row: Row, room: str | None, roster: Roster, period_codes: set[str]
) -> tuple[dict[tuple[int, str], dict] | None, bool]:
    """The class's slots, or None when its periods place none (a blank cell or only periods
    with no day say nothing about when it meets); and whether any period names no day."""
    try:
        tokens = [_slot(token) for token in c.split_list(r.get(row, "periods"))]
    except ValueError as bad:
        r.problem(
            row,
            "periods",
            f'"{bad}" is not a timetable slot (<cycle day>:<period>[@<room>], e.g. 1:P1)',
        )
        return None, False
    placed = [token for token in tokens if token is not None]
    if not placed:
        return None, bool(tokens)
    slots: dict[tuple[int, str], dict] = {}
    for day, period, slot_room in placed:
        if not 1 <= day <= 10:
            r.problem(row, "periods", f'"{day}:{period}": cycle day must be 1–10')
            continue
        if period not in period_codes:
            r.problem(row, "periods", f'no period "{period}" (not in periods.csv nor in Conduct)')
            continue
        if (day, period) in slots:
            r.problem(row, "periods", f'"{day}:{period}" given twice')
            continue
        if slot_room:
            roster.rooms.add(slot_room)
        slots[(day, period)] = {"room": slot_room or room, "staff": None}
    return slots, len(placed) < len(tokens)


def no_day_notice(file: str, classes: BundleClasses, timetabled: set[str]) -> Notice | None:
    """Said once for classes.csv: the classes whose periods name no day, unless timetable.csv
    places them."""
    unplaced = [
        bundle_class
        for bundle_class in classes.by_id.values()
        if bundle_class.periods_without_day is not None and bundle_class.code not in timetabled
    ]
    if not unplaced:
        return None
    first = min(unplaced, key=lambda bundle_class: bundle_class.row.line)
    return Notice(
        file,
        f"periods name no cycle day in {wording.plural(len(unplaced), 'class', 'classes')} (the "
        f'first: "{first.periods_without_day}" on row {first.row.line}), as the OneRoster '
        "standard writes them: those periods are not placed in the timetable, and a class with "
        "none placed keeps the slots Conduct already has for it. Write a period as "
        "<cycle day>:<period> (e.g. 1:P2), or add timetable.csv to the bundle, to place it.",
    )


def parse_classes(
    table: Table | None,
    roster: Roster,
    problems: Problems,
    courses: dict[str, str],
    period_codes: set[str],
) -> BundleClasses:
    classes = BundleClasses()
    if table is None:
        return classes
    r = Reader(
        table,
        problems,
        {
            "sourcedId": ("sourcedId",),
            "status": ("status",),
            "title": ("title",),
            "grades": ("grades",),
            "courseSourcedId": ("courseSourcedId",),
            "classCode": ("classCode",),
            "classType": ("classType",),
            "location": ("location",),
            "periods": ("periods",),
        },
    )
    if not r.require_columns("sourcedId", "classCode"):
        return classes
    roster.states_classes = True
    codes: dict[str, int] = {}
    for row in unique_rows(r):
        sid = r.required(row, "sourcedId")
        code = r.required(row, "classCode")
        if sid is None or code is None:
            continue
        if deleted(r, row):
            classes.deleted_ids.add(sid)
            classes.deleted_codes.add(code)
            continue
        if code in codes:
            r.problem(
                row, "classCode", f'duplicate class code "{code}" (also on row {codes[code]})'
            )
            continue
        codes[code] = row.line
        homeroom = r.get(row, "classType").lower() == "homeroom"
        grades = r.get(row, "grades")
        year = None
        if grades or homeroom:
            year = r.parse(row, "grades", grade, c.YEAR_HELP, required=True)
            if year is not None:
                roster.year_groups.add(year)
        room = r.text(row, "location", 20) or None
        if room:
            roster.rooms.add(room)
        bundle_class = classes.by_id[sid] = BundleClass(code, homeroom, row, room)
        if homeroom:
            if len(code) > 20:
                r.problem(row, "classCode", "longer than 20 characters for a tutor group")
            if year is not None:
                roster.forms[code] = {"year": year, "room": room, "tutor": None}
            continue
        if len(code) > 40:
            r.problem(row, "classCode", "longer than 40 characters")
        record = {
            "_at": (table.name, row.line, r.column("classCode")),
            "source_id": sid,
            "name": r.text(row, "title", 200),
        }
        course = r.get(row, "courseSourcedId")
        if course:
            if course not in courses:
                r.problem(row, "courseSourcedId", f'no course "{course}" in courses.csv')
            else:
                record["subject"] = courses[course]
        elif r.has("courseSourcedId"):
            record["subject"] = None
        if grades:
            # A class taught to several years (a sixth-form set for 12 and 13) is in none.
            record["year_group"] = None if several_grades(grades) else year
        roster.classes[code] = record
        slots, without_day = _read_periods(r, row, room, roster, period_codes)
        if slots is not None:
            roster.slots[code] = slots
        if without_day:
            bundle_class.periods_without_day = r.get(row, "periods")
    return classes
