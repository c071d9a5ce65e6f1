"""users.csv (with 1.2's roles.csv): students, staff and parents/guardians, and the links between
students and guardians that either side's agentSourcedIds names."""

from __future__ import annotations

from collections import Counter

from school.importers import cells as c
from school.importers.files import Problems, Table
from school.importers.oneroster.fields import deleted, grade, unique_rows
from school.importers.roster import Reader, Roster

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


def parse_roles(users: Table, roles: Table | None, problems: Problems) -> dict[str, str] | None:
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
            "sourcedId": ("sourcedId",),
            "userSourcedId": ("userSourcedId",),
            "role": ("role",),
            "roleType": ("roleType",),
            "status": ("status",),
        },
    )
    if not r.require_columns("userSourcedId", "role"):
        return {}
    found: dict[str, str] = {}
    for row in unique_rows(r):
        if deleted(r, row):
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


def parse_users(
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
    upns: dict[str, int] = {}
    codes: dict[str, int] = {}
    for row in unique_rows(r):
        sid = r.required(row, "sourcedId")
        if sid is None:
            continue
        if deleted(r, row):
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
            year = r.parse(row, "grades", grade, c.YEAR_HELP, required=True)
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


def link_guardians(people: People, roster: Roster) -> None:
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


def forms_from_students(roster: Roster) -> None:
    """A tutor group named on a student but not a homeroom class: made with the commonest year
    of its students (vertical tutor groups mix years)."""
    years: dict[str, Counter] = {}
    for record in roster.students.values():
        form = record.get("form")
        if form and form not in roster.forms:
            years.setdefault(form, Counter())[record["year"]] += 1
    for form, counter in years.items():
        roster.forms[form] = {"year": counter.most_common(1)[0][0]}
