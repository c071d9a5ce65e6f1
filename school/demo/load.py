"""Write a generated school to the database with bulk inserts, in one transaction."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from conduct.roles import grant_roles
from school.demo.data import DemoSchool
from school.demo.imports import load_import_history
from school.demo.logins import DEMO_PASSWORD
from school.models import (
    AcademicYear,
    ClassTeacher,
    Department,
    Enrolment,
    Form,
    Guardian,
    HalfTerm,
    NonSchoolDay,
    Period,
    Room,
    School,
    Staff,
    Student,
    StudentGuardian,
    Subject,
    TeachingClass,
    Term,
    TimetableSlot,
    YearGroup,
)

BATCH = 2000
# Tables the demo fills; any rows in them mean a real (or half-loaded) school is here.
STRUCTURE = [Staff, Period, Room, Department, Subject, YearGroup, Form, TeachingClass, Guardian]


@dataclass
class LoadResult:
    loaded: bool
    message: str
    logins: list[tuple[str, str, str]]  # username, roles, who they are


def existing_data() -> list[str]:
    """What is already in the tables the demo would fill, e.g. ["12 staff", "5 periods"]."""
    found = []
    for model in [Student, *STRUCTURE]:
        count = model.objects.count()
        if count:
            found.append(f"{count} {model._meta.verbose_name_plural}")
    return found


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


@transaction.atomic
def load_school(demo: DemoSchool, *, password: str = DEMO_PASSWORD) -> LoadResult:
    """Load the demo school into an empty database; leaves any existing data alone."""
    if Student.objects.exists():
        return LoadResult(
            False, "The database already has students: demo data not loaded, nothing changed.", []
        )
    found = existing_data()
    if found:
        return LoadResult(
            False,
            "The database already has school data ("
            + ", ".join(found)
            + "): demo data not loaded, nothing changed.",
            [],
        )

    info = dict(demo.school)
    school = School.objects.order_by("pk").first()
    if school is None:
        School.objects.create(**info)
    cal = demo.calendar
    if not AcademicYear.objects.filter(name=cal.name).exists():
        year = AcademicYear.objects.create(
            name=cal.name, starts_on=cal.starts_on, ends_on=cal.ends_on
        )
        terms = {
            kind: Term.objects.create(academic_year=year, kind=kind, starts_on=start, ends_on=end)
            for kind, start, end in cal.terms
        }
        HalfTerm.objects.bulk_create(
            HalfTerm(term=terms[kind], number=n, starts_on=start, ends_on=end)
            for kind, n, start, end in cal.half_terms
        )
        taken = set(NonSchoolDay.objects.values_list("date", flat=True))
        NonSchoolDay.objects.bulk_create(
            NonSchoolDay(date=day, kind=kind, description=text)
            for day, kind, text in cal.non_school_days
            if day not in taken
        )

    periods = {
        p.code: p
        for p in Period.objects.bulk_create(
            Period(code=code, name=name, kind=kind, starts_at=_time(start), ends_at=_time(end))
            for code, name, kind, start, end in demo.periods
        )
    }
    rooms = {
        r.code: r
        for r in Room.objects.bulk_create(
            Room(code=code, name=name, capacity=cap) for code, name, cap in demo.rooms
        )
    }
    departments = {
        d.code: d
        for d in Department.objects.bulk_create(
            Department(code=code, name=name) for code, name, _ in demo.departments
        )
    }
    subjects = {
        s.code: s
        for s in Subject.objects.bulk_create(
            Subject(code=code, name=name, department=departments.get(dept))
            for code, name, dept in demo.subjects
        )
    }

    # Demo logins: one password hash for all (hashing is deliberately slow).
    User = get_user_model()
    taken_names = set(
        User.objects.filter(username__in=[s.username for s in demo.logins]).values_list(
            "username", flat=True
        )
    )
    hashed = make_password(password)
    users = User.objects.bulk_create(
        User(
            username=s.username,
            password=hashed,
            first_name=s.first_name,
            last_name=s.last_name,
            email=s.email,
        )
        for s in demo.logins
        if s.username not in taken_names
    )
    user_of = {u.username: u for u in users}
    for s in demo.logins:
        if s.username in user_of:
            grant_roles(user_of[s.username], *s.roles)

    staff = {
        s.staff_code: s
        for s in Staff.objects.bulk_create(
            Staff(
                source_id=row.source_id,
                staff_code=row.staff_code,
                title=row.title,
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                job_title=row.job_title,
                department=departments.get(row.department or ""),
                user=user_of.get(row.username),
            )
            for row in demo.staff
        )
    }
    for code, _, head in demo.departments:
        if head:
            departments[code].head = staff[head]
    Department.objects.bulk_update(departments.values(), ["head"])

    year_groups = {
        y.number: y
        for y in YearGroup.objects.bulk_create(
            YearGroup(number=n, name=name, head_of_year=staff.get(head))
            for n, name, head in demo.year_groups
        )
    }
    # Each head of year works with their own year (what the data manager sets in the Staff admin).
    Staff.year_groups.through.objects.bulk_create(
        Staff.year_groups.through(staff_id=year.head_of_year_id, yeargroup_id=year.pk)
        for year in year_groups.values()
        if year.head_of_year_id
    )
    forms = {
        f.code: f
        for f in Form.objects.bulk_create(
            Form(
                code=row.code,
                year_group=year_groups[row.year],
                tutor=staff.get(row.tutor),
                room=rooms.get(row.room),
            )
            for row in demo.forms
        )
    }
    students = Student.objects.bulk_create(
        (
            Student(
                source_id=s.source_id,
                upn=s.upn,
                legal_first_name=s.legal_first_name,
                legal_last_name=s.legal_last_name,
                preferred_first_name=s.preferred_first_name,
                preferred_last_name=s.preferred_last_name,
                date_of_birth=s.date_of_birth,
                gender=s.gender,
                year_group=year_groups[s.year],
                form=forms[s.form],
                sen_status=s.sen_status,
                fsm=s.fsm,
                pupil_premium=s.pupil_premium,
                eal=s.eal,
                ethnicity=s.ethnicity,
                looked_after=s.looked_after,
                admitted_on=s.admitted_on,
            )
            for s in demo.students
        ),
        batch_size=BATCH,
    )
    guardians = Guardian.objects.bulk_create(
        (
            Guardian(
                source_id=g.source_id,
                title=g.title,
                first_name=g.first_name,
                last_name=g.last_name,
                email=g.email,
                mobile=g.mobile,
                home_phone=g.home_phone,
                address=g.address,
                postcode=g.postcode,
                preferred_channel=g.preferred_channel,
            )
            for g in demo.guardians
        ),
        batch_size=BATCH,
    )
    StudentGuardian.objects.bulk_create(
        (
            StudentGuardian(
                student_id=students[link.student].pk,
                guardian_id=guardians[link.guardian].pk,
                relationship=link.relationship,
                parental_responsibility=link.parental_responsibility,
                priority=link.priority,
            )
            for link in demo.links
        ),
        batch_size=BATCH,
    )

    classes = TeachingClass.objects.bulk_create(
        (
            TeachingClass(
                source_id=c.source_id,
                code=c.code,
                name=c.name,
                subject=subjects[c.subject],
                year_group=year_groups[c.year],
            )
            for c in demo.classes
        ),
        batch_size=BATCH,
    )
    ClassTeacher.objects.bulk_create(
        (
            ClassTeacher(teaching_class_id=obj.pk, staff_id=staff[code].pk, is_main=n == 0)
            for c, obj in zip(demo.classes, classes, strict=True)
            for n, code in enumerate([c.main_teacher, *c.other_teachers])
        ),
        batch_size=BATCH,
    )
    Enrolment.objects.bulk_create(
        (
            Enrolment(teaching_class_id=obj.pk, student_id=students[i].pk)
            for c, obj in zip(demo.classes, classes, strict=True)
            for i in c.students
        ),
        batch_size=BATCH,
    )
    TimetableSlot.objects.bulk_create(
        (
            TimetableSlot(
                teaching_class_id=obj.pk,
                cycle_day=day,
                period_id=periods[period].pk,
                room_id=rooms[room].pk if room else None,
                # The generator's "" is the class's main teacher. A slot left blank in the
                # database is every linked teacher's, so a shared class names its teacher on
                # each slot: nobody is timetabled in two places at once.
                staff_id=staff[who or c.main_teacher].pk if who or c.other_teachers else None,
            )
            for c, obj in zip(demo.classes, classes, strict=True)
            for day, period, room, who in c.slots
        ),
        batch_size=BATCH,
    )
    load_import_history(
        year_starts_on=cal.starts_on,
        students=len(students),
        per_year=len(students) // 5,  # an 11–16 school: Years 7 to 11
        by=user_of.get("admin"),
    )
    logins = [
        (s.username, ", ".join(s.roles), f"{s.title} {s.first_name} {s.last_name}, {s.job_title}")
        for s in demo.logins
    ]
    skipped = [s.username for s in demo.logins if s.username in taken_names]
    message = (
        f"Loaded {school_name(demo)}: {len(students)} students, {len(staff)} staff, "
        f"{len(guardians)} guardians, {len(classes)} classes, "
        f"{sum(len(c.slots) for c in demo.classes)} timetabled lessons."
    )
    if skipped:
        message += (
            " These usernames already existed and were left as they were (no demo "
            "password or roles): " + ", ".join(skipped) + "."
        )
    return LoadResult(True, message, [row for row in logins if row[0] not in taken_names])


def school_name(demo: DemoSchool) -> str:
    return demo.school["name"]
