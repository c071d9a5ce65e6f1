"""enrollments.csv: the students and teachers of each class, and each tutor group's tutor."""

from __future__ import annotations

from school.importers import cells as c
from school.importers.files import Problems, Table
from school.importers.oneroster.classes import BundleClasses
from school.importers.oneroster.fields import deleted, unique_rows
from school.importers.oneroster.users import People
from school.importers.roster import Reader, Roster


def parse_enrollments(
    table: Table | None,
    classes: BundleClasses,
    people: People,
    roster: Roster,
    problems: Problems,
) -> None:
    if table is None:
        return
    r = Reader(
        table,
        problems,
        {
            "sourcedId": ("sourcedId",),
            "classSourcedId": ("classSourcedId",),
            "userSourcedId": ("userSourcedId",),
            "role": ("role",),
            "primary": ("primary",),
            "status": ("status",),
        },
    )
    if not r.require_columns("classSourcedId", "userSourcedId", "role"):
        return
    # Every teaching class of the bundle is stated in full by enrollments.csv.
    for bundle_class in classes.by_id.values():
        if not bundle_class.homeroom:
            roster.enrolments.setdefault(bundle_class.code, set())
            roster.class_teachers.setdefault(bundle_class.code, {})
    tutors: dict[str, tuple[str, bool]] = {}
    homeroom_of: dict[str, str] = {}
    for row in unique_rows(r):
        if deleted(r, row):
            continue
        class_id = r.get(row, "classSourcedId")
        user_id = r.get(row, "userSourcedId")
        role = r.get(row, "role").lower()
        if class_id in classes.deleted_ids:
            continue
        bundle_class = classes.by_id.get(class_id)
        if bundle_class is None:
            r.problem(row, "classSourcedId", f'no class "{class_id}" in classes.csv')
        if user_id in people.deleted or user_id in people.invalid:
            continue
        if user_id not in people.rows:
            r.problem(row, "userSourcedId", f'no user "{user_id}" in users.csv')
            continue
        if bundle_class is None:
            continue
        primary = r.parse(row, "primary", c.parse_bool, c.BOOL_HELP)
        if role == "student":
            record = people.students.get(user_id)
            if record is None:
                r.problem(row, "userSourcedId", f'"{user_id}" is not a student')
                continue
            upn = people.student_upn[user_id]
            if bundle_class.homeroom:
                homeroom_of[user_id] = bundle_class.code
            else:
                roster.enrolments[bundle_class.code].add(upn)
        elif role == "teacher":
            code = people.staff.get(user_id)
            if code is None:
                r.problem(row, "userSourcedId", f'"{user_id}" is not a member of staff')
                continue
            if bundle_class.homeroom:
                current = tutors.get(bundle_class.code)
                if current is None or (primary and not current[1]):
                    tutors[bundle_class.code] = (code, bool(primary))
            else:
                roster.class_teachers[bundle_class.code][code] = bool(primary)
    for form, (code, _primary) in tutors.items():
        if form in roster.forms:
            roster.forms[form]["tutor"] = code
    for teachers in roster.class_teachers.values():
        # No primary teacher named: every teacher of the class is a main teacher.
        if teachers and not any(teachers.values()):
            for code in teachers:
                teachers[code] = True
    for sid, form in homeroom_of.items():
        record = people.students[sid]
        if not record.get("form"):
            record["form"] = form
