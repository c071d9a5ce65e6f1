"""A shared test base with named people, one per role, and one outsider with no role."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.test import TestCase

from conduct.roles import Role, grant_roles
from school.models import (
    AcademicYear,
    ClassTeacher,
    Department,
    Enrolment,
    Form,
    Guardian,
    HalfTerm,
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
from tests.sanctions_fixtures import make_provision_rooms

PASSWORD = "correct-horse-battery"


def make_person(username: str, first: str, last: str, *roles: str, title: str = "Ms"):
    """A user account with a staff record and the given roles."""
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first,
        last_name=last,
        email=f"{username}@school.example",
    )
    if roles:
        grant_roles(user, *roles)
    Staff.objects.create(
        user=user,
        staff_code=username[:6].upper(),
        title=title,
        first_name=first,
        last_name=last,
        email=user.email,
    )
    return user


def make_school_basics():
    school = School.objects.create(name="Northfield Academy", urn="136789", timetable_weeks=1)
    year9 = YearGroup.objects.create(number=9)
    form = Form.objects.create(code="9B", year_group=year9)
    return school, year9, form


def make_student(upn="A123456789012", first="Jayden", last="Walsh", form=None, **extra):
    form = form or Form.objects.select_related("year_group").first()
    return Student.objects.create(
        upn=upn,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=extra.pop("date_of_birth", dt.date(2012, 3, 14)),
        gender=extra.pop("gender", Student.Gender.MALE),
        year_group=form.year_group,
        form=form,
        **extra,
    )


def make_student_of_year_10():
    """Mia Okoro of 10A: a second student, in a year of her own."""
    year10 = YearGroup.objects.create(number=10)
    return make_student(
        upn="B123456789012",
        first="Mia",
        last="Okoro",
        form=Form.objects.create(code="10A", year_group=year10),
    )


def make_guardian(student, *, relationship="mother", priority=1, **fields):
    """A parent or carer with parental responsibility for `student`: by default Mrs Kerry Walsh,
    their mother, who prefers email. `fields` override the guardian's details;
    `parental_responsibility=False` makes a contact who may not be written to."""
    responsibility = fields.pop("parental_responsibility", True)
    details = {
        "source_id": f"G{Guardian.objects.count() + 1}",
        "title": "Mrs",
        "first_name": "Kerry",
        "last_name": "Walsh",
        "email": "kerry.walsh@example.com",
        "preferred_channel": Guardian.Channel.EMAIL,
    } | fields
    guardian = Guardian.objects.create(**details)
    StudentGuardian.objects.create(
        student=student,
        guardian=guardian,
        relationship=relationship,
        priority=priority,
        parental_responsibility=responsibility,
    )
    return guardian


def make_people(target) -> None:
    """Alice teaches, Bob patrols (conduct), Charlie is head of year 9, Dana is the DSL, Evan is
    SLT, Fay manages the MIS data, Gita does attendance, Hugo leads a department, Noor is the
    SENCO, and Olive is an outsider: an account with no role at all. Set as attributes of
    `target`."""
    target.school, target.year9, target.form = make_school_basics()
    target.alice = make_person("alice", "Alice", "Teague", Role.TEACHER)
    target.bob = make_person("bob", "Bob", "Patel", Role.CONDUCT, title="Mr")
    target.charlie = make_person("charlie", "Charlie", "Hughes", Role.PASTORAL, Role.TEACHER)
    target.dana = make_person("dana", "Dana", "Okafor", Role.DSL, Role.SLT)
    target.evan = make_person("evan", "Evan", "Price", Role.SLT, title="Mr")
    target.fay = make_person("fay", "Fay", "Morgan", Role.ADMIN)
    target.gita = make_person("gita", "Gita", "Shah", Role.ATTENDANCE)
    target.hugo = make_person("hugo", "Hugo", "Reid", Role.CURRICULUM, Role.TEACHER, title="Mr")
    target.noor = make_person("noor", "Noor", "Haddad", Role.SENCO)
    target.olive = make_person("olive", "Olive", "Nash")
    target.year9.head_of_year = target.charlie.staff
    target.year9.save()
    target.maths = Department.objects.create(code="MA", name="Mathematics", head=target.hugo.staff)
    target.student = make_student(form=target.form)


def people_by_role(target) -> dict[str, object]:
    """One of `make_people`'s people for each role, and "outsider" for the account with none."""
    return {
        Role.TEACHER: target.alice,
        Role.CONDUCT: target.bob,
        Role.PASTORAL: target.charlie,
        Role.DSL: target.dana,
        Role.SLT: target.evan,
        Role.ADMIN: target.fay,
        Role.ATTENDANCE: target.gita,
        Role.CURRICULUM: target.hugo,
        Role.SENCO: target.noor,
        "outsider": target.olive,
    }


class ConductTestCase(TestCase):
    """The named people of `make_people`, made once per test class."""

    @classmethod
    def setUpTestData(cls):
        make_people(cls)

    def login(self, user):
        self.client.force_login(user)


# A fixed moment for tests that depend on "now": Wednesday 25 November 2026, 10:15, in period 2.
LONDON = ZoneInfo("Europe/London")
WEDNESDAY = dt.date(2026, 11, 25)
TEN_FIFTEEN = dt.datetime.combine(WEDNESDAY, dt.time(10, 15), tzinfo=LONDON)


def frozen_clock(moment: dt.datetime = TEN_FIFTEEN):
    """A patcher that stops the school's one clock (conduct.lib.clock) at `moment`."""
    return mock.patch("conduct.lib.clock.now", return_value=moment)


def freeze_clock(test, moment: dt.datetime = TEN_FIFTEEN) -> None:
    """Stop the school's clock at `moment` for the rest of `test` (a TestCase)."""
    patcher = frozen_clock(moment)
    patcher.start()
    test.addCleanup(patcher.stop)


def make_calendar_and_timetable(target) -> None:
    """The 2026/27 calendar, the school day's periods, and 9X/Ma1 (Alice, room M4) meeting in
    period 2 every day, with the test student in it. Needs `make_people` first."""
    year = AcademicYear.objects.create(
        name="2026/27", starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 8, 31)
    )
    autumn = Term.objects.create(
        academic_year=year,
        kind=Term.Kind.AUTUMN,
        starts_on=dt.date(2026, 9, 3),
        ends_on=dt.date(2026, 12, 18),
    )
    HalfTerm.objects.create(
        term=autumn, number=1, starts_on=autumn.starts_on, ends_on=dt.date(2026, 10, 23)
    )
    HalfTerm.objects.create(
        term=autumn, number=2, starts_on=dt.date(2026, 11, 2), ends_on=autumn.ends_on
    )
    times = [
        ("REG", "Registration", Period.Kind.REGISTRATION, "08:40", "09:00"),
        ("P1", "Period 1", Period.Kind.LESSON, "09:00", "10:00"),
        ("P2", "Period 2", Period.Kind.LESSON, "10:00", "11:00"),
        ("BRK", "Break", Period.Kind.BREAK, "11:00", "11:20"),
        ("P3", "Period 3", Period.Kind.LESSON, "11:20", "12:20"),
        ("P4", "Period 4", Period.Kind.LESSON, "12:20", "13:20"),
        ("LUN", "Lunch", Period.Kind.LUNCH, "13:20", "14:05"),
        ("P5", "Period 5", Period.Kind.LESSON, "14:05", "15:05"),
    ]
    target.periods = {
        code: Period.objects.create(
            code=code,
            name=name,
            kind=kind,
            starts_at=dt.time.fromisoformat(start),
            ends_at=dt.time.fromisoformat(end),
        )
        for code, name, kind, start, end in times
    }
    target.room = Room.objects.create(code="M4", name="Maths 4")
    maths = Subject.objects.create(code="MA", name="Mathematics", department=target.maths)
    target.maths_class = TeachingClass.objects.create(
        code="9X/Ma1", subject=maths, year_group=target.year9
    )
    ClassTeacher.objects.create(teaching_class=target.maths_class, staff=target.alice.staff)
    Enrolment.objects.create(teaching_class=target.maths_class, student=target.student)
    for day in range(1, 6):
        TimetableSlot.objects.create(
            teaching_class=target.maths_class,
            cycle_day=day,
            period=target.periods["P2"],
            room=target.room,
        )


class SchoolDayTestCase(ConductTestCase):
    """A school day to test on: the named people, the calendar and 9X/Ma1's timetable, the
    provision rooms (IE1 with `ie_capacity` places, RR1, ALD1), and the school's clock stopped at
    `now` (Wednesday 25 November 2026, 10:15, in period 2) for every test."""

    ie_capacity = 2
    now = TEN_FIFTEEN

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_calendar_and_timetable(cls)
        make_provision_rooms(cls, ie_capacity=cls.ie_capacity)

    def setUp(self):
        super().setUp()
        freeze_clock(self, self.now)

    def walked_out(self, occurred_at: dt.datetime = TEN_FIFTEEN):
        """The test student walked out of Alice's lesson in M4 (a refusal), as she records it."""
        from sanctions.services import incidents

        return incidents.incident_record(
            occurred_at=occurred_at,
            reason=self.refusal,
            description="Walked out",
            reported_by=self.alice.staff,
            by=self.alice,
            room=self.room,
            students=[(self.student, "perpetrator")],
        )
