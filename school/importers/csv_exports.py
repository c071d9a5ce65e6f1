"""Plain CSV exports as a data manager gets them from SIMS-style reports (docs/import.md).

The alias lists here and in periods.py and timetable.py are the documentation's tables: keep
them in step."""

from __future__ import annotations

from collections import Counter

from school.importers import cells as c
from school.importers.files import Problems, Table, normalise_file_name
from school.importers.periods import PERIOD_FIELDS, parse_periods
from school.importers.roster import Known, Reader, Roster
from school.importers.timetable import (
    CLASS_ALIASES,
    TIMETABLE_FIELDS,
    first_time,
    read_lesson,
)

STUDENT_FIELDS = {
    "upn": ("UPN", "Unique Pupil Number", "Pupil UPN", "Student UPN"),
    "legal_last_name": ("Legal Surname", "Legal Last Name", "Surname", "Last Name", "Family Name"),
    "legal_first_name": (
        "Legal Forename",
        "Legal First Name",
        "Forename",
        "First Name",
        "Given Name",
    ),
    "preferred_first_name": (
        "Preferred Forename",
        "Preferred First Name",
        "Known As",
        "Chosen Forename",
    ),
    "preferred_last_name": ("Preferred Surname", "Preferred Last Name"),
    "date_of_birth": ("DOB", "Date of Birth", "Birth Date", "Birthdate"),
    "gender": ("Gender", "Sex"),
    "year": ("Year", "Year Group", "NC Year", "National Curriculum Year", "Curriculum Year"),
    "form": ("Reg Group", "Registration Group", "Reg", "Form", "Form Group", "Tutor Group"),
    "sen_status": ("SEN Status", "SEN", "SEN Provision", "SEN Stage"),
    "fsm": ("FSM", "FSM Eligible", "Free School Meals", "FSM Eligibility"),
    "pupil_premium": ("Pupil Premium", "PP", "PP Eligible", "Pupil Premium Indicator"),
    "eal": ("EAL", "English as an Additional Language"),
    "ethnicity": ("Ethnicity", "Ethnicity Code", "Ethnic Code", "Ethnic Origin"),
    "looked_after": ("In Care", "Looked After", "CLA", "Child Looked After", "In LA Care"),
    "admitted_on": ("Admission Date", "Date of Admission", "Admitted", "Entry Date"),
}

GUARDIAN_FIELDS = {
    "contact_id": (
        "Contact ID",
        "ContactID",
        "Contact Reference",
        "Contact Ref",
        "Guardian ID",
        "Parent ID",
    ),
    "upn": ("Student UPN", "Pupil UPN", "UPN"),
    "title": ("Title", "Contact Title"),
    "first_name": ("Forename", "First Name", "Contact Forename", "Given Name"),
    "last_name": ("Surname", "Last Name", "Contact Surname", "Family Name"),
    "relationship": ("Relationship", "Relationship to Student", "Relation"),
    "parental_responsibility": (
        "Parental Responsibility",
        "Has Parental Responsibility",
        "PR",
    ),
    "priority": ("Priority", "Contact Priority", "Priority Order", "Order"),
    "email": ("Email", "Email Address", "Contact Email"),
    "mobile": ("Mobile", "Mobile Phone", "Mobile Number", "Telephone Mobile", "SMS"),
    "home_phone": ("Phone", "Home Phone", "Telephone", "Home Telephone", "Phone Number"),
    "address": ("Address", "Home Address", "Full Address"),
    "postcode": ("Postcode", "Post Code", "Postal Code"),
    "preferred_channel": ("Preferred Channel", "Preferred Contact Method", "Contact Method"),
}

STAFF_FIELDS = {
    "staff_code": ("Staff Code", "Code", "Teacher Code", "Initials", "Staff ID"),
    "title": ("Title",),
    "first_name": ("Forename", "First Name", "Legal Forename", "Preferred Forename", "Given Name"),
    "last_name": ("Surname", "Last Name", "Legal Surname", "Family Name"),
    "email": ("Email", "Email Address", "Work Email", "School Email"),
    "department": ("Department", "Department Code", "Dept"),
    "job_title": ("Job Title", "Role", "Post", "Position"),
    "tutor_group": ("Tutor Group", "Reg Group", "Form"),
}

ENROLMENT_FIELDS = {
    "class_code": CLASS_ALIASES,
    "upn": ("UPN", "Student UPN", "Pupil UPN"),
}

KINDS_BY_NAME = {
    "students": "students",
    "pupils": "students",
    "studentlist": "students",
    "guardians": "guardians",
    "contacts": "guardians",
    "parents": "guardians",
    "staff": "staff",
    "teachers": "staff",
    "timetable": "timetable",
    "lessons": "timetable",
    "enrolments": "enrolments",
    "enrollments": "enrolments",
    "classlists": "enrolments",
    "classmembers": "enrolments",
    "periods": "periods",
}


def kind_of(table: Table) -> str | None:
    """students / guardians / staff / timetable / enrolments / periods, by name, else headers."""
    kind = KINDS_BY_NAME.get(normalise_file_name(table.name))
    if kind:
        return kind

    def has(fields, key):
        return table.has(*fields[key])

    if has(GUARDIAN_FIELDS, "contact_id") and has(GUARDIAN_FIELDS, "upn"):
        return "guardians"
    if has(STUDENT_FIELDS, "upn") and has(STUDENT_FIELDS, "date_of_birth"):
        return "students"
    if has(TIMETABLE_FIELDS, "day") and has(TIMETABLE_FIELDS, "period"):
        return "timetable"
    if has(ENROLMENT_FIELDS, "class_code") and has(ENROLMENT_FIELDS, "upn"):
        return "enrolments"
    if has(PERIOD_FIELDS, "code") and has(PERIOD_FIELDS, "start") and has(PERIOD_FIELDS, "end"):
        return "periods"
    if has(STAFF_FIELDS, "staff_code") and has(STAFF_FIELDS, "last_name"):
        return "staff"
    return None


def parse_exports(files: dict[str, Table], known: Known) -> tuple[Roster, Problems]:
    problems = Problems()
    roster = Roster(format="CSV exports")
    tables: dict[str, Table] = {}
    for name, table in sorted(files.items()):
        kind = kind_of(table)
        if kind is None:
            problems.add(
                name,
                None,
                None,
                "not recognised: name it students.csv, guardians.csv, staff.csv, timetable.csv, "
                "enrolments.csv or periods.csv, or give it the documented headers",
            )
        elif kind in tables:
            problems.add(
                name, None, None, f"a second {kind} file (the first is {tables[kind].name})"
            )
        else:
            tables[kind] = table
    period_codes = parse_periods(tables.get("periods"), roster, problems) | known.periods
    students = _students(tables.get("students"), roster, problems)
    upns = set(students) if tables.get("students") is not None else known.students
    staff_codes = _staff(tables.get("staff"), roster, problems, known)
    if tables.get("staff") is None:
        staff_codes = known.staff
    _guardians(tables.get("guardians"), roster, problems, upns)
    _timetable(tables.get("timetable"), roster, problems, staff_codes, period_codes)
    class_codes = set(roster.classes) | known.classes
    _enrolments(tables.get("enrolments"), roster, problems, class_codes, upns)
    return roster, problems


def _students(table: Table | None, roster: Roster, problems: Problems) -> dict[str, int]:
    seen: dict[str, int] = {}
    if table is None:
        return seen
    r = Reader(table, problems, STUDENT_FIELDS)
    if not r.require_columns(
        "upn", "legal_last_name", "legal_first_name", "date_of_birth", "gender", "year"
    ):
        return seen
    roster.states_students = True
    form_years: dict[str, Counter] = {}
    for row in table.rows:
        upn = r.parse(row, "upn", c.parse_upn, c.UPN_HELP, required=True)
        if upn is not None:
            if upn in seen:
                r.problem(row, "upn", f'duplicate UPN "{upn}" (also on row {seen[upn]})')
                continue
            seen[upn] = row.line
        last = r.required(row, "legal_last_name")
        first = r.required(row, "legal_first_name")
        record = {
            "_at": (table.name, row.line, r.column("upn")),
            "legal_last_name": r.text(row, "legal_last_name", 100),
            "legal_first_name": r.text(row, "legal_first_name", 100),
            "date_of_birth": r.parse(
                row, "date_of_birth", c.parse_date, c.DATE_HELP, required=True
            ),
            "gender": r.parse(row, "gender", c.parse_gender, c.GENDER_HELP),
            "year": r.parse(row, "year", c.parse_year, c.YEAR_HELP, required=True),
        }
        for key in ("preferred_first_name", "preferred_last_name"):
            if r.has(key):
                record[key] = r.text(row, key, 100)
        if r.has("form"):
            record["form"] = r.text(row, "form", 20) or None
        if r.has("sen_status"):
            record["sen_status"] = r.parse(row, "sen_status", c.parse_sen, c.SEN_HELP)
        for key in ("fsm", "pupil_premium", "eal", "looked_after"):
            if r.has(key):
                record[key] = r.parse(row, key, c.parse_bool, c.BOOL_HELP)
        if r.has("ethnicity"):
            record["ethnicity"] = r.parse(row, "ethnicity", c.parse_ethnicity, c.ETHNICITY_HELP)
        if r.has("admitted_on"):
            record["admitted_on"] = r.parse(row, "admitted_on", c.parse_date, c.DATE_HELP)
        if record.get("form") and record["year"]:
            # Counted even for a row with a problem, so the form is not reported missing too.
            form_years.setdefault(record["form"], Counter())[record["year"]] += 1
        if None in (upn, last, first, record["date_of_birth"], record["year"]):
            continue
        roster.students[upn] = record
        roster.year_groups.add(record["year"])
    for form, counter in form_years.items():
        # Vertical tutor groups mix years: the form belongs to its commonest year.
        roster.forms[form] = {"year": counter.most_common(1)[0][0]}
    return seen


def _staff(table: Table | None, roster: Roster, problems: Problems, known: Known) -> set[str]:
    if table is None:
        return set()
    r = Reader(table, problems, STAFF_FIELDS)
    if not r.require_columns("staff_code", "first_name", "last_name"):
        return set()
    roster.states_staff = True
    seen: dict[str, int] = {}
    tutors: dict[str, int] = {}
    for row in table.rows:
        code = r.required(row, "staff_code")
        first = r.required(row, "first_name")
        last = r.required(row, "last_name")
        if code is not None:
            if len(code) > 20:
                r.problem(row, "staff_code", "longer than 20 characters")
            if code in seen:
                r.problem(
                    row, "staff_code", f'duplicate staff code "{code}" (also on row {seen[code]})'
                )
                continue
            seen[code] = row.line
        if None in (code, first, last):
            continue
        record = {
            "_at": (table.name, row.line, r.column("staff_code")),
            "first_name": r.text(row, "first_name", 100),
            "last_name": r.text(row, "last_name", 100),
        }
        if r.has("title"):
            record["title"] = r.text(row, "title", 20)
        if r.has("email"):
            record["email"] = r.email(row, "email")
        if r.has("job_title"):
            record["job_title"] = r.text(row, "job_title", 100)
        if r.has("department"):
            dept = r.text(row, "department", 20)
            record["department"] = dept or None
            if dept:
                roster.departments.setdefault(dept, {})
        roster.staff[code] = record
        form = r.get(row, "tutor_group")
        if form:
            if form not in roster.forms and form not in known.forms:
                r.problem(row, "tutor_group", f'no tutor group "{form}" in students.csv or Conduct')
            elif form in tutors:
                r.problem(row, "tutor_group", f'"{form}" already has a tutor (row {tutors[form]})')
            else:
                tutors[form] = row.line
                roster.forms.setdefault(form, {})["tutor"] = code
    return set(seen)


def _guardians(table: Table | None, roster: Roster, problems: Problems, upns) -> None:
    if table is None:
        return
    r = Reader(table, problems, GUARDIAN_FIELDS)
    if not r.require_columns("contact_id", "upn", "first_name", "last_name"):
        return
    roster.states_guardian_links = True
    links: dict[tuple[str, str], int] = {}
    for row in table.rows:
        contact = r.required(row, "contact_id")
        upn = r.parse(row, "upn", c.parse_upn, c.UPN_HELP, required=True)
        first = r.required(row, "first_name")
        last = r.required(row, "last_name")
        link = {
            "relationship": r.parse(row, "relationship", c.parse_relationship, c.RELATIONSHIP_HELP),
            "parental_responsibility": r.parse(
                row, "parental_responsibility", c.parse_bool, c.BOOL_HELP, default=True
            ),
            "priority": r.parse(row, "priority", c.parse_priority, c.PRIORITY_HELP),
        }
        channel = r.parse(row, "preferred_channel", c.parse_channel, c.CHANNEL_HELP)
        if upn is not None and upn not in upns:
            r.problem(row, "upn", f'no student with UPN "{upn}" in students.csv or Conduct')
            continue
        if None in (contact, upn, first, last):
            continue
        if len(contact) > 255:
            r.problem(row, "contact_id", "longer than 255 characters")
        if (upn, contact) in links:
            r.problem(
                row,
                "contact_id",
                f'contact "{contact}" is linked to {upn} twice '
                f"(also on row {links[(upn, contact)]})",
            )
            continue
        links[(upn, contact)] = row.line
        link["relationship"] = link["relationship"] or "other"
        link["priority"] = link["priority"] or 1
        roster.guardian_links[(upn, contact)] = link
        if contact not in roster.guardians:
            # One row per link: the contact's own details are taken from their first row.
            roster.guardians[contact] = {
                "title": r.text(row, "title", 20),
                "first_name": r.text(row, "first_name", 100),
                "last_name": r.text(row, "last_name", 100),
                "email": r.email(row, "email"),
                "mobile": r.text(row, "mobile", 30),
                "home_phone": r.text(row, "home_phone", 30),
                "address": r.get(row, "address"),
                "postcode": r.text(row, "postcode", 10),
                "preferred_channel": channel or "email",
            }


def _timetable(
    table: Table | None,
    roster: Roster,
    problems: Problems,
    staff_codes: set[str],
    period_codes: set[str],
) -> None:
    if table is None:
        return
    r = Reader(table, problems, TIMETABLE_FIELDS)
    if not r.require_columns("class_code", "day", "period"):
        return
    roster.states_classes = True
    seen: dict[tuple, int] = {}  # (class, day, period) -> row
    lessons: dict[str, Counter] = {}
    for row in table.rows:
        lesson = read_lesson(r, row, staff_codes, period_codes, "staff.csv")
        year = r.parse(row, "year", c.parse_year, c.YEAR_HELP)
        subject = r.text(row, "subject", 100) or None
        code = lesson.class_code
        if code is None:
            continue
        if len(code) > 40:
            r.problem(row, "class_code", "longer than 40 characters")
        record = roster.classes.setdefault(
            code, {"_at": (table.name, row.line, r.column("class_code"))}
        )
        if subject:
            subject_code = subject[:20]
            record["subject"] = subject_code
            # A timetable may name the subject rather than give its code: matched by either.
            roster.subjects.setdefault(subject_code, {"name": subject, "by_name": True})
        if year is not None:
            record["year_group"] = year
            roster.year_groups.add(year)
        if lesson.room:
            roster.rooms.add(lesson.room)
        slots = roster.slots.setdefault(code, {})
        roster.class_teachers.setdefault(code, {})
        if lesson.day is None or lesson.period is None:
            continue
        if not first_time(r, row, lesson, seen):
            continue
        slots[(lesson.day, lesson.period)] = {"room": lesson.room, "staff": lesson.teacher}
        if lesson.teacher:
            lessons.setdefault(code, Counter())[lesson.teacher] += 1
    for code, counter in lessons.items():
        # The teacher with the most lessons is the class's main teacher.
        main = counter.most_common(1)[0][0]
        roster.class_teachers[code] = {staff: staff == main for staff in counter}


def _enrolments(
    table: Table | None, roster: Roster, problems: Problems, class_codes: set[str], upns
) -> None:
    if table is None:
        return
    r = Reader(table, problems, ENROLMENT_FIELDS)
    if not r.require_columns("class_code", "upn"):
        return
    for row in table.rows:
        code = r.required(row, "class_code")
        upn = r.parse(row, "upn", c.parse_upn, c.UPN_HELP, required=True)
        if code is not None and code not in class_codes:
            r.problem(row, "class_code", f'no class "{code}" in timetable.csv or Conduct')
            code = None
        if upn is not None and upn not in upns:
            r.problem(row, "upn", f'no student with UPN "{upn}" in students.csv or Conduct')
            upn = None
        if code is None or upn is None:
            continue
        roster.enrolments.setdefault(code, set()).add(upn)
