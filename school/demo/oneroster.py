"""Write a generated school as a OneRoster 1.1 CSV bundle in Conduct's profile (docs/import.md).

Standard 1.1 columns come first in each file, in the order of the 1.1 CSV binding; Conduct's
extensions follow as `metadata.uk.*` columns. Tutor groups are `homeroom` classes. Preferred
names are left out: OneRoster 1.1 has no column for them (1.2's `preferredGivenName` does).
"""

import csv
import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from school.demo.curriculum import DEPARTMENTS, SUBJECT_DEPT, SUBJECT_NAME
from school.demo.data import DemoSchool

USERS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
]
USERS_UK = [
    "metadata.uk.form",
    "metadata.uk.admissionDate",
    "metadata.uk.title",
    "metadata.uk.department",
    "metadata.uk.jobTitle",
    "metadata.uk.relationship",
    "metadata.uk.parentalResponsibility",
    "metadata.uk.priority",
    "metadata.uk.preferredChannel",
    "metadata.uk.address",
    "metadata.uk.postcode",
]
DEMOGRAPHICS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "birthDate",
    "sex",
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
    "countryOfBirthCode",
    "stateOfBirthAbbreviation",
    "cityOfBirth",
    "publicSchoolResidenceStatus",
]
DEMOGRAPHICS_UK = [
    "metadata.uk.senStatus",
    "metadata.uk.fsm",
    "metadata.uk.pupilPremium",
    "metadata.uk.eal",
    "metadata.uk.lookedAfter",
    "metadata.uk.ethnicity",
]
ORGS = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"]
SESSIONS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "type",
    "startDate",
    "endDate",
    "parentSourcedId",
    "schoolYear",
]
COURSES = [
    "sourcedId",
    "status",
    "dateLastModified",
    "schoolYearSourcedId",
    "title",
    "courseCode",
    "grades",
    "orgSourcedId",
    "subjects",
    "subjectCodes",
]
CLASSES = [
    "sourcedId",
    "status",
    "dateLastModified",
    "title",
    "grades",
    "courseSourcedId",
    "classCode",
    "classType",
    "location",
    "schoolSourcedId",
    "termSourcedIds",
    "subjects",
    "subjectCodes",
    "periods",
]
ENROLLMENTS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "classSourcedId",
    "schoolSourcedId",
    "userSourcedId",
    "role",
    "primary",
    "beginDate",
    "endDate",
]
PERIODS = ["code", "name", "kind", "start", "end"]
MANIFEST_FILES = [
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItems",
    "orgs",
    "resources",
    "results",
    "users",
]
PRESENT = {"academicSessions", "classes", "courses", "demographics", "enrollments", "orgs", "users"}
# Which OneRoster role a guardian gets from their relationship.
GUARDIAN_ROLE = {
    "mother": "parent",
    "father": "parent",
    "step_parent": "parent",
    "aunt_uncle": "relative",
    "sibling": "relative",
    "grandparent": "guardian",
}


def _b(value: bool) -> str:
    return "true" if value else "false"


def _grade(year: int) -> str:
    return f"{year:02d}"


def _id(namespace: str, name: str) -> str:
    """A stable sourcedId for things the generator does not give one (orgs, courses, …)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"conduct-demo:{namespace}:{name}"))


class _Bundle:
    def __init__(self, out: Path):
        self.out = out
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) if out.suffix == ".zip" else None
        if self.zip is None:
            out.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def writer(self, name: str, header: list[str]) -> Iterator[csv.writer]:
        if self.zip is not None:
            raw = self.zip.open(name, "w")
            handle = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        else:
            handle = open(self.out / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
        try:
            w = csv.writer(handle, lineterminator="\r\n")
            w.writerow(header)
            yield w
        finally:
            handle.close()

    def close(self):
        if self.zip is not None:
            self.zip.close()


def _rows(w, rows: Iterable[list]) -> int:
    n = 0
    for row in rows:
        w.writerow(row)
        n += 1
    return n


def write_bundle(demo: DemoSchool, out: Path, *, modified: dt.datetime | None = None) -> dict:
    """Write `demo` to `out` (a folder, or a .zip when the name ends .zip); returns row counts."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".zip" and out.exists():
        out.unlink()
    stamp_at = modified or dt.datetime.combine(demo.calendar.week_a_starts_on, dt.time(7))
    stamp = stamp_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    cal = demo.calendar
    school_id = _id("org", demo.school["urn"])
    counts: dict[str, int] = {}
    bundle = _Bundle(out)
    try:
        with bundle.writer("manifest.csv", ["propertyName", "value"]) as w:
            w.writerow(["manifest.version", "1.0"])
            w.writerow(["oneroster.version", "1.1"])
            for name in MANIFEST_FILES:
                w.writerow([f"file.{name}", "bulk" if name in PRESENT else "absent"])
            w.writerow(["source.systemName", "Conduct demo school generator"])
            w.writerow(["source.systemCode", "conduct-demo"])

        dept_names = dict(DEPARTMENTS)
        with bundle.writer("orgs.csv", ORGS) as w:
            rows = [
                [school_id, "active", stamp, demo.school["name"], "school", demo.school["urn"], ""]
            ]
            rows += [
                [
                    _id("dept", code),
                    "active",
                    stamp,
                    dept_names[code],
                    "department",
                    code,
                    school_id,
                ]
                for code, _, _ in demo.departments
            ]
            counts["orgs"] = _rows(w, rows)

        year_id = _id("session", cal.name)
        term_ids = {kind: _id("session", f"{cal.name}:{kind}") for kind, _, _ in cal.terms}
        end_year = str(cal.ends_on.year)
        with bundle.writer("academicSessions.csv", SESSIONS) as w:
            rows = [
                [
                    year_id,
                    "active",
                    stamp,
                    cal.name,
                    "schoolYear",
                    cal.starts_on.isoformat(),
                    cal.ends_on.isoformat(),
                    "",
                    end_year,
                ]
            ]
            for kind, start, end in cal.terms:
                rows.append(
                    [
                        term_ids[kind],
                        "active",
                        stamp,
                        f"{kind.title()} {cal.name}",
                        "term",
                        start.isoformat(),
                        end.isoformat(),
                        year_id,
                        end_year,
                    ]
                )
            for kind, n, start, end in cal.half_terms:
                rows.append(
                    [
                        _id("session", f"{cal.name}:{kind}:{n}"),
                        "active",
                        stamp,
                        f"{kind.title()} {n} {cal.name}",
                        "gradingPeriod",
                        start.isoformat(),
                        end.isoformat(),
                        term_ids[kind],
                        end_year,
                    ]
                )
            counts["academicSessions"] = _rows(w, rows)

        # One course per subject and year (Year 9 Mathematics); its subject code is the
        # Conduct subject code.
        courses = sorted({(c.year, c.subject) for c in demo.classes})
        course_id = {key: _id("course", f"{key[0]}:{key[1]}") for key in courses}
        with bundle.writer("courses.csv", [*COURSES, "metadata.uk.department"]) as w:
            counts["courses"] = _rows(
                w,
                (
                    [
                        course_id[(year, subject)],
                        "active",
                        stamp,
                        year_id,
                        f"Year {year} {SUBJECT_NAME[subject]}",
                        f"{year}-{subject}",
                        _grade(year),
                        school_id,
                        SUBJECT_NAME[subject],
                        subject,
                        SUBJECT_DEPT[subject],
                    ]
                    for year, subject in courses
                ),
            )

        all_terms = ",".join(term_ids.values())
        form_id = {f.code: _id("form", f.code) for f in demo.forms}
        with bundle.writer("classes.csv", CLASSES) as w:
            n = _rows(
                w,
                (
                    [
                        form_id[f.code],
                        "active",
                        stamp,
                        f"Tutor group {f.code}",
                        _grade(f.year),
                        "",
                        f.code,
                        "homeroom",
                        f.room,
                        school_id,
                        all_terms,
                        "",
                        "",
                        "",
                    ]
                    for f in demo.forms
                ),
            )
            n += _rows(
                w,
                (
                    [
                        c.source_id,
                        "active",
                        stamp,
                        c.name,
                        _grade(c.year),
                        course_id[(c.year, c.subject)],
                        c.code,
                        "scheduled",
                        c.location,
                        school_id,
                        all_terms,
                        SUBJECT_NAME[c.subject],
                        c.subject,
                        ",".join(
                            f"{day}:{period}" + (f"@{room}" if room and room != c.location else "")
                            for day, period, room, _ in c.slots
                        ),
                    ]
                    for c in demo.classes
                ),
            )
            counts["classes"] = n

        staff_id = {s.staff_code: s.source_id for s in demo.staff}
        with bundle.writer("enrollments.csv", ENROLLMENTS) as w:
            begin, end = cal.starts_on.isoformat(), cal.ends_on.isoformat()

            def enrolments():
                for f in demo.forms:
                    if f.tutor:
                        yield [
                            _id("enrol", f"{f.code}:tutor"),
                            "active",
                            stamp,
                            form_id[f.code],
                            school_id,
                            staff_id[f.tutor],
                            "teacher",
                            "true",
                            begin,
                            end,
                        ]
                for i, s in enumerate(demo.students):
                    yield [
                        _id("enrol", f"{s.form}:{i}"),
                        "active",
                        stamp,
                        form_id[s.form],
                        school_id,
                        s.source_id,
                        "student",
                        "false",
                        begin,
                        end,
                    ]
                for c in demo.classes:
                    for n, code in enumerate([c.main_teacher, *c.other_teachers]):
                        yield [
                            _id("enrol", f"{c.code}:t{n}"),
                            "active",
                            stamp,
                            c.source_id,
                            school_id,
                            staff_id[code],
                            "teacher",
                            _b(n == 0),
                            begin,
                            end,
                        ]
                    for i in c.students:
                        yield [
                            _id("enrol", f"{c.code}:{i}"),
                            "active",
                            stamp,
                            c.source_id,
                            school_id,
                            demo.students[i].source_id,
                            "student",
                            "false",
                            begin,
                            end,
                        ]

            counts["enrollments"] = _rows(w, enrolments())

        agents: dict[int, list[str]] = {}
        guardian_link: dict[int, object] = {}
        for link in demo.links:
            agents.setdefault(link.student, []).append(demo.guardians[link.guardian].source_id)
            guardian_link.setdefault(link.guardian, link)
        guardian_students: dict[int, list[str]] = {}
        for link in demo.links:
            guardian_students.setdefault(link.guardian, []).append(
                demo.students[link.student].source_id
            )
        with bundle.writer("users.csv", [*USERS, *USERS_UK]) as w:

            def users():
                for i, s in enumerate(demo.students):
                    yield [
                        s.source_id,
                        "active",
                        stamp,
                        "true",
                        school_id,
                        "student",
                        "",
                        "",
                        s.legal_first_name,
                        s.legal_last_name,
                        "",
                        s.upn,
                        "",
                        "",
                        "",
                        ",".join(agents.get(i, [])),
                        _grade(s.year),
                        "",
                        s.form,
                        s.admitted_on.isoformat(),
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                for s in demo.staff:
                    yield [
                        s.source_id,
                        "active",
                        stamp,
                        "true",
                        school_id,
                        "teacher" if s.teaches else "administrator",
                        s.email.split("@")[0],
                        "",
                        s.first_name,
                        s.last_name,
                        "",
                        s.staff_code,
                        s.email,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        s.title,
                        s.department or "",
                        s.job_title,
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                for gi, g in enumerate(demo.guardians):
                    link = guardian_link[gi]
                    yield [
                        g.source_id,
                        "active",
                        stamp,
                        "true",
                        school_id,
                        GUARDIAN_ROLE.get(link.relationship, "guardian"),
                        "",
                        "",
                        g.first_name,
                        g.last_name,
                        "",
                        "",
                        g.email,
                        g.mobile,
                        g.home_phone,
                        ",".join(guardian_students.get(gi, [])),
                        "",
                        "",
                        "",
                        "",
                        g.title,
                        "",
                        "",
                        link.relationship,
                        _b(link.parental_responsibility),
                        str(link.priority),
                        g.preferred_channel,
                        g.address,
                        g.postcode,
                    ]

            counts["users"] = _rows(w, users())

        sex = {"M": "male", "F": "female", "X": "other"}
        with bundle.writer("demographics.csv", [*DEMOGRAPHICS, *DEMOGRAPHICS_UK]) as w:
            counts["demographics"] = _rows(
                w,
                (
                    [
                        s.source_id,
                        "active",
                        stamp,
                        s.date_of_birth.isoformat(),
                        sex[s.gender],
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        s.sen_status,
                        _b(s.fsm),
                        _b(s.pupil_premium),
                        _b(s.eal),
                        _b(s.looked_after),
                        s.ethnicity,
                    ]
                    for s in demo.students
                ),
            )

        with bundle.writer("periods.csv", PERIODS) as w:
            counts["periods"] = _rows(w, ([*p] for p in demo.periods))
    finally:
        bundle.close()
    return counts
