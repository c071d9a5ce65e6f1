"""OneRoster 1.1 / 1.2 CSV bundles, read with Conduct's profile (docs/import.md)."""

from __future__ import annotations

import re
from collections import Counter

from school.importers import common as c
from school.importers.common import Problems, Table
from school.importers.roster import Known, Reader, Roster

STUDENT_ROLES = {"student"}
STAFF_ROLES = {
    "teacher",
    "administrator",
    "aide",
    "principal",
    "siteadministrator",
    "districtadministrator",
    "systemadministrator",
    "counselor",
    "proctor",
}
GUARDIAN_ROLES = {"parent", "guardian", "relative"}
V12_USER_COLUMNS = ("preferredGivenName", "primaryOrgSourcedId", "userMasterIdentifier")


def looks_like_oneroster(names: set[str]) -> bool:
    lowered = {name.lower() for name in names}
    return "users.csv" in lowered or "manifest.csv" in lowered


def _grade(value: str) -> int:
    """The year group from OneRoster `grades` ("09", or the first of several)."""
    return c.parse_year(c.first_token(value))


def _deleted(reader: Reader, row) -> bool:
    return reader.get(row, "status").lower() == "tobedeleted"


def parse_oneroster(files: dict[str, bytes], known: Known) -> tuple[Roster, Problems]:
    problems = Problems()
    tables: dict[str, Table] = {
        name.lower(): c.parse_csv(name, data) for name, data in files.items()
    }
    version = _version(tables)
    roster = Roster(format=f"OneRoster {version}")

    departments_in_bundle = _orgs(tables.get("orgs.csv"), roster, problems)
    _sessions(tables.get("academicsessions.csv"), roster, problems)
    periods = parse_periods(tables.get("periods.csv"), roster, problems)
    period_codes = periods | known.periods
    department_codes = departments_in_bundle | known.departments

    users = tables.get("users.csv")
    if users is None:
        problems.add("users.csv", None, None, "file missing from the bundle")
        return roster, problems
    roles = _roles(users, tables.get("roles.csv"), problems)
    people = _users(users, roles, roster, problems, department_codes)
    course_subjects = _courses(tables.get("courses.csv"), roster, problems, department_codes)
    classes = _classes(tables.get("classes.csv"), roster, problems, course_subjects, period_codes)
    if not people.usable:
        # Without users every reference to one would be a problem too: report the cause only.
        return roster, problems
    _demographics(tables.get("demographics.csv"), people, roster, problems)
    _enrollments(tables.get("enrollments.csv"), classes, people, roster, problems)
    _guardian_links(people, roster, problems)
    _forms_from_students(people, roster)
    return roster, problems


def _version(tables: dict[str, Table]) -> str:
    manifest = tables.get("manifest.csv")
    if manifest is not None:
        name_col = manifest.header_for("propertyName")
        value_col = manifest.header_for("value")
        if name_col and value_col:
            for row in manifest.rows:
                if manifest.value(row, name_col).lower() == "oneroster.version":
                    value = manifest.value(row, value_col)
                    if value:
                        return value
    users = tables.get("users.csv")
    if "roles.csv" in tables or (users is not None and users.has(*V12_USER_COLUMNS)):
        return "1.2"
    return "1.1"


# --- orgs, sessions, periods ------------------------------------------------------------------


def _orgs(table: Table | None, roster: Roster, problems: Problems) -> set[str]:
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
    for row in table.rows:
        if _deleted(r, row):
            continue
        kind = r.get(row, "type").lower()
        if kind == "school":
            if school_row is not None:
                r.problem(row, "type", f"a second school (the first is on row {school_row})")
                continue
            school_row = row.line
            urn = r.get(row, "identifier")
            if urn and not re.fullmatch(r"\d{6}", urn):
                r.problem(row, "identifier", f'"{urn}" is not a URN (6 digits)')
            roster.school = {"name": r.text(row, "name", 200) or "School", "urn": urn}
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


def _sessions(table: Table | None, roster: Roster, problems: Problems) -> None:
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
    for row in table.rows:
        if _deleted(r, row):
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


PERIOD_FIELDS = {
    "code": ("code", "Period Code", "Period"),
    "name": ("name", "Period Name", "Description"),
    "kind": ("kind", "Type"),
    "start": ("start", "Start Time", "Starts"),
    "end": ("end", "End Time", "Ends"),
}
PERIOD_KINDS = {"registration", "lesson", "break", "lunch"}


def parse_periods(table: Table | None, roster: Roster, problems: Problems) -> set[str]:
    """Conduct's periods.csv (both formats): code,name,kind,start,end."""
    if table is None:
        return set()
    r = Reader(table, problems, PERIOD_FIELDS)
    if not r.require_columns("code", "start", "end"):
        return set()
    seen: dict[str, int] = {}
    for row in table.rows:
        code = r.required(row, "code")
        kind = r.get(row, "kind").lower() or "lesson"
        if kind not in PERIOD_KINDS:
            r.problem(row, "kind", f'"{kind}" is not registration, lesson, break or lunch')
        start = r.parse(row, "start", c.parse_time, "is not a time (HH:MM)", required=True)
        end = r.parse(row, "end", c.parse_time, "is not a time (HH:MM)", required=True)
        if start and end and end <= start:
            r.problem(row, "end", "ends before it starts")
        if code is None:
            continue
        if len(code) > 10:
            r.problem(row, "code", "longer than 10 characters")
        if code in seen:
            r.problem(row, "code", f'duplicate period code "{code}" (also on row {seen[code]})')
            continue
        seen[code] = row.line
        roster.periods[code] = {
            "name": r.text(row, "name", 40) or code,
            "kind": kind,
            "starts_at": start,
            "ends_at": end,
        }
    return set(roster.periods)


# --- users ------------------------------------------------------------------------------------

USER_FIELDS = {
    "sourcedId": ("sourcedId",),
    "status": ("status",),
    "role": ("role",),
    "givenName": ("givenName",),
    "familyName": ("familyName",),
    "preferredGivenName": ("preferredGivenName",),
    "preferredFamilyName": ("preferredFamilyName",),
    "identifier": ("identifier",),
    "email": ("email",),
    "sms": ("sms",),
    "phone": ("phone",),
    "agentSourcedIds": ("agentSourcedIds",),
    "grades": ("grades",),
    "form": ("metadata.uk.form",),
    "admissionDate": ("metadata.uk.admissionDate",),
    "title": ("metadata.uk.title",),
    "department": ("metadata.uk.department",),
    "jobTitle": ("metadata.uk.jobTitle",),
    "relationship": ("metadata.uk.relationship",),
    "parentalResponsibility": ("metadata.uk.parentalResponsibility",),
    "priority": ("metadata.uk.priority",),
    "preferredChannel": ("metadata.uk.preferredChannel",),
    "address": ("metadata.uk.address",),
    "postcode": ("metadata.uk.postcode",),
}


def _roles(users: Table, roles: Table | None, problems: Problems) -> dict[str, str] | None:
    """sourcedId -> role from 1.2's roles.csv (the primary role first), or None to use
    users.csv's own `role` column."""
    if roles is None:
        if not users.has("role"):
            problems.add("roles.csv", None, None, "file missing (users.csv has no role column)")
        return None
    r = Reader(
        roles,
        problems,
        {
            "userSourcedId": ("userSourcedId",),
            "role": ("role",),
            "roleType": ("roleType",),
            "status": ("status",),
        },
    )
    if not r.require_columns("userSourcedId", "role"):
        return {}
    found: dict[str, str] = {}
    for row in roles.rows:
        if _deleted(r, row):
            continue
        user = r.get(row, "userSourcedId")
        role = r.get(row, "role").lower()
        if r.get(row, "roleType").lower() == "primary" or user not in found:
            found[user] = role
    return found


class People:
    """The users of a bundle by sourcedId, sorted by what they are."""

    def __init__(self):
        self.students: dict[str, dict] = {}  # sourcedId -> student record (in roster.students)
        self.student_rows: dict[str, tuple[Reader, object]] = {}
        self.student_upn: dict[str, str] = {}
        self.staff: dict[str, str] = {}  # sourcedId -> staff code
        self.guardians: dict[str, dict] = {}  # sourcedId -> link attributes
        self.agents: dict[str, list[str]] = {}  # sourcedId -> agentSourcedIds
        self.deleted: set[str] = set()
        # Users whose own row has a problem: references to them are not reported again.
        self.invalid: set[str] = set()
        self.rows: dict[str, tuple[Reader, object]] = {}
        self.usable = True


def _users(
    table: Table,
    roles: dict[str, str] | None,
    roster: Roster,
    problems: Problems,
    department_codes: set[str],
) -> People:
    people = People()
    r = Reader(table, problems, USER_FIELDS)
    needed = ["sourcedId", "givenName", "familyName", "identifier"]
    if roles is None and table.has("role"):
        needed.append("role")
    if not r.require_columns(*needed) or (roles is None and not table.has("role")):
        people.usable = False
        return people
    roster.states_students = roster.states_staff = roster.states_guardian_links = True
    seen: dict[str, int] = {}
    upns: dict[str, int] = {}
    codes: dict[str, int] = {}
    for row in table.rows:
        sid = r.required(row, "sourcedId")
        if sid is None:
            continue
        if sid in seen:
            r.problem(row, "sourcedId", f'duplicate sourcedId "{sid}" (also on row {seen[sid]})')
            continue
        seen[sid] = row.line
        if _deleted(r, row):
            people.deleted.add(sid)
            continue
        role = (roles.get(sid, "") if roles is not None else r.get(row, "role")).lower()
        if not role:
            r.problem(row, "sourcedId" if roles is not None else "role", "no role for this user")
            continue
        people.rows[sid] = (r, row)
        people.agents[sid] = c.split_list(r.get(row, "agentSourcedIds"))
        first = r.required(row, "givenName")
        last = r.required(row, "familyName")
        if role in STUDENT_ROLES:
            upn = r.parse(row, "identifier", c.parse_upn, c.UPN_HELP, required=True)
            year = r.parse(row, "grades", _grade, c.YEAR_HELP, required=True)
            if upn is not None:
                if upn in upns:
                    r.problem(row, "identifier", f'duplicate UPN "{upn}" (also on row {upns[upn]})')
                    people.invalid.add(sid)
                    continue
                upns[upn] = row.line
            if None in (upn, first, last, year):
                people.invalid.add(sid)
                continue
            record = {
                "_at": (table.name, row.line, r.column("identifier")),
                "source_id": sid,
                "legal_first_name": r.text(row, "givenName", 100),
                "legal_last_name": r.text(row, "familyName", 100),
                "year": year,
            }
            if r.has("preferredGivenName"):
                record["preferred_first_name"] = r.text(row, "preferredGivenName", 100)
            if r.has("preferredFamilyName"):
                record["preferred_last_name"] = r.text(row, "preferredFamilyName", 100)
            if r.has("form"):
                record["form"] = r.text(row, "form", 20) or None
            if r.has("admissionDate"):
                record["admitted_on"] = r.parse(row, "admissionDate", c.parse_date, c.DATE_HELP)
            roster.students[upn] = record
            roster.year_groups.add(year)
            people.students[sid] = record
            people.student_rows[sid] = (r, row)
            people.student_upn[sid] = upn
        elif role in STAFF_ROLES:
            code = r.required(row, "identifier")
            if code is not None:
                if len(code) > 20:
                    r.problem(row, "identifier", "longer than 20 characters")
                if code in codes:
                    r.problem(
                        row,
                        "identifier",
                        f'duplicate staff code "{code}" (also on row {codes[code]})',
                    )
                    people.invalid.add(sid)
                    continue
                codes[code] = row.line
            if None in (code, first, last):
                people.invalid.add(sid)
                continue
            record = {
                "_at": (table.name, row.line, r.column("identifier")),
                "source_id": sid,
                "first_name": r.text(row, "givenName", 100),
                "last_name": r.text(row, "familyName", 100),
                "email": r.email(row, "email"),
            }
            if r.has("title"):
                record["title"] = r.text(row, "title", 20)
            if r.has("jobTitle"):
                record["job_title"] = r.text(row, "jobTitle", 100)
            if r.has("department"):
                dept = r.get(row, "department")
                if dept and dept not in department_codes:
                    r.problem(row, "department", f'no department "{dept}" in orgs.csv or Conduct')
                record["department"] = dept or None
            roster.staff[code] = record
            people.staff[sid] = code
        elif role in GUARDIAN_ROLES:
            relationship = r.parse(row, "relationship", c.parse_relationship, c.RELATIONSHIP_HELP)
            responsibility = r.parse(
                row,
                "parentalResponsibility",
                c.parse_bool,
                c.BOOL_HELP,
                default=role != "relative",
            )
            priority = r.parse(row, "priority", c.parse_priority, c.PRIORITY_HELP)
            channel = r.parse(row, "preferredChannel", c.parse_channel, c.CHANNEL_HELP)
            if None in (first, last):
                people.invalid.add(sid)
                continue
            roster.guardians[sid] = {
                "title": r.text(row, "title", 20),
                "first_name": r.text(row, "givenName", 100),
                "last_name": r.text(row, "familyName", 100),
                "email": r.email(row, "email"),
                "mobile": r.text(row, "sms", 30),
                "home_phone": r.text(row, "phone", 30),
                "address": r.get(row, "address"),
                "postcode": r.text(row, "postcode", 10),
                "preferred_channel": channel or "email",
            }
            people.guardians[sid] = {
                "relationship": relationship or "other",
                "parental_responsibility": bool(responsibility),
                "priority": priority or 1,
            }
        # Other roles (e.g. districtAdministrator with no school role) are not Conduct's.
    return people


DEMOGRAPHIC_FIELDS = {
    "sourcedId": ("sourcedId",),
    "status": ("status",),
    "birthDate": ("birthDate",),
    "sex": ("sex",),
    "senStatus": ("metadata.uk.senStatus",),
    "fsm": ("metadata.uk.fsm",),
    "pupilPremium": ("metadata.uk.pupilPremium",),
    "eal": ("metadata.uk.eal",),
    "lookedAfter": ("metadata.uk.lookedAfter",),
    "ethnicity": ("metadata.uk.ethnicity",),
}


def _demographics(table: Table | None, people: People, roster: Roster, problems: Problems):
    found: set[str] = set()
    if table is not None:
        r = Reader(table, problems, DEMOGRAPHIC_FIELDS)
        if not r.require_columns("sourcedId", "birthDate"):
            return
        seen: dict[str, int] = {}
        for row in table.rows:
            sid = r.get(row, "sourcedId")
            if sid in seen:
                r.problem(
                    row, "sourcedId", f'duplicate sourcedId "{sid}" (also on row {seen[sid]})'
                )
                continue
            seen[sid] = row.line
            record = people.students.get(sid)
            if record is None or _deleted(r, row):
                continue  # staff and guardians' demographics are not Conduct's business
            found.add(sid)
            record["date_of_birth"] = r.parse(
                row, "birthDate", c.parse_date, c.DATE_HELP, required=True
            )
            record["gender"] = r.parse(row, "sex", c.parse_gender, c.GENDER_HELP)
            if r.has("senStatus"):
                record["sen_status"] = r.parse(row, "senStatus", c.parse_sen, c.SEN_HELP)
            for key, name in (
                ("fsm", "fsm"),
                ("pupilPremium", "pupil_premium"),
                ("eal", "eal"),
                ("lookedAfter", "looked_after"),
            ):
                if r.has(key):
                    record[name] = r.parse(row, key, c.parse_bool, c.BOOL_HELP)
            if r.has("ethnicity"):
                record["ethnicity"] = r.parse(row, "ethnicity", c.parse_ethnicity, c.ETHNICITY_HELP)
    for sid in people.students:
        if sid not in found:
            reader, row = people.student_rows[sid]
            reader.problem(
                row,
                "sourcedId",
                "no row in demographics.csv for this student (the date of birth is required)",
            )


# --- courses, classes, enrollments ------------------------------------------------------------


def _courses(
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
    for row in table.rows:
        sid = r.required(row, "sourcedId")
        if sid is None or _deleted(r, row):
            continue
        if sid in courses:
            r.problem(row, "sourcedId", f'duplicate sourcedId "{sid}"')
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


class BundleClass:
    def __init__(self, code: str, homeroom: bool, row):
        self.code = code
        self.homeroom = homeroom
        self.row = row


def _slot_tokens(value: str):
    for token in c.split_list(value):
        match = re.fullmatch(r"(\d{1,2})\s*:\s*([^@\s]+)\s*(?:@\s*(\S+))?", token)
        if not match:
            raise ValueError(token)
        yield int(match.group(1)), match.group(2), match.group(3)


def _classes(
    table: Table | None,
    roster: Roster,
    problems: Problems,
    courses: dict[str, str],
    period_codes: set[str],
) -> dict[str, BundleClass]:
    classes: dict[str, BundleClass] = {}
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
    seen: dict[str, int] = {}
    codes: dict[str, int] = {}
    for row in table.rows:
        sid = r.required(row, "sourcedId")
        code = r.required(row, "classCode")
        if sid is None or code is None:
            continue
        if sid in seen:
            r.problem(row, "sourcedId", f'duplicate sourcedId "{sid}" (also on row {seen[sid]})')
            continue
        seen[sid] = row.line
        if _deleted(r, row):
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
            year = r.parse(row, "grades", _grade, c.YEAR_HELP, required=True)
            if year is not None:
                roster.year_groups.add(year)
        room = r.text(row, "location", 20) or None
        if room:
            roster.rooms.add(room)
        classes[sid] = BundleClass(code, homeroom, row)
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
            record["year_group"] = year
        roster.classes[code] = record
        if r.has("periods"):
            slots: dict[tuple[int, str], dict] = {}
            try:
                tokens = list(_slot_tokens(r.get(row, "periods")))
            except ValueError as bad:
                r.problem(
                    row,
                    "periods",
                    f'"{bad}" is not a timetable slot (<cycle day>:<period>[@<room>], e.g. 1:P1)',
                )
                tokens = []
            for day, period, slot_room in tokens:
                if not 1 <= day <= 10:
                    r.problem(row, "periods", f'"{day}:{period}": cycle day must be 1–10')
                    continue
                if period not in period_codes:
                    r.problem(
                        row, "periods", f'no period "{period}" (not in periods.csv nor in Conduct)'
                    )
                    continue
                if (day, period) in slots:
                    r.problem(row, "periods", f'"{day}:{period}" given twice')
                    continue
                if slot_room:
                    roster.rooms.add(slot_room)
                slots[(day, period)] = {"room": slot_room or room, "staff": None}
            roster.slots[code] = slots
    return classes


def _enrollments(
    table: Table | None,
    classes: dict[str, BundleClass],
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
    for bundle_class in classes.values():
        if not bundle_class.homeroom:
            roster.enrolments.setdefault(bundle_class.code, set())
            roster.class_teachers.setdefault(bundle_class.code, {})
    tutors: dict[str, tuple[str, bool]] = {}
    homeroom_of: dict[str, str] = {}
    for row in table.rows:
        if _deleted(r, row):
            continue
        class_id = r.get(row, "classSourcedId")
        user_id = r.get(row, "userSourcedId")
        role = r.get(row, "role").lower()
        bundle_class = classes.get(class_id)
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


def _guardian_links(people: People, roster: Roster, problems: Problems) -> None:
    """A link exists when either side names the other in agentSourcedIds."""
    pairs: set[tuple[str, str]] = set()
    for sid in people.students:
        reader, row = people.student_rows[sid]
        for agent in people.agents.get(sid, []):
            if agent in people.deleted or agent in people.invalid:
                continue
            if agent not in people.guardians:
                reader.problem(row, "agentSourcedIds", f'no parent/guardian "{agent}" in users.csv')
                continue
            pairs.add((sid, agent))
    for gid in people.guardians:
        reader, row = people.rows[gid]
        for agent in people.agents.get(gid, []):
            if agent in people.deleted or agent in people.invalid:
                continue
            if agent not in people.students:
                reader.problem(row, "agentSourcedIds", f'no student "{agent}" in users.csv')
                continue
            pairs.add((agent, gid))
    for sid, gid in sorted(pairs):
        upn = people.student_upn[sid]
        roster.guardian_links[(upn, gid)] = dict(people.guardians[gid])


def _forms_from_students(people: People, roster: Roster) -> None:
    """A tutor group named on a student but not a homeroom class: made with the commonest year
    of its students (vertical tutor groups mix years)."""
    years: dict[str, Counter] = {}
    for record in roster.students.values():
        form = record.get("form")
        if form and form not in roster.forms:
            years.setdefault(form, Counter())[record["year"]] += 1
    for form, counter in years.items():
        roster.forms[form] = {"year": counter.most_common(1)[0][0]}
