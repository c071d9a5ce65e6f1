"""The demo school as plain data: the parameters that size it and the rows generated for it."""

import datetime as dt
from dataclasses import dataclass, field

from school.demo.term_dates import SchoolCalendar


@dataclass
class Params:
    """Sizes of the school. The defaults make Northfield Academy (about 1,200 students)."""

    students_per_year: int = 240
    years: tuple[int, ...] = (7, 8, 9, 10, 11)
    form_size: int = 30
    set_size: int = 30
    split_lessons: int = 0  # >0: a subject with more lessons is taught as several classes
    teachers: int | None = None  # None: enough for the timetable with some slack
    support_staff: int | None = None  # None: the usual SLT, office and support posts
    seed: int = 2026
    today: dt.date | None = None


@dataclass(slots=True)
class StaffRow:
    source_id: str
    staff_code: str
    title: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    department: str | None
    teaches: bool
    username: str = ""
    roles: tuple[str, ...] = ()
    room: str | None = None
    max_load: int = 44


@dataclass(slots=True)
class StudentRow:
    source_id: str
    upn: str
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    date_of_birth: dt.date
    gender: str  # M F X
    year: int
    form: str
    sen_status: str  # N K E
    fsm: bool
    pupil_premium: bool
    eal: bool
    ethnicity: str
    looked_after: bool
    admitted_on: dt.date
    ability: float = 0.0


@dataclass(slots=True)
class GuardianRow:
    source_id: str
    title: str
    first_name: str
    last_name: str
    email: str
    mobile: str
    home_phone: str
    address: str
    postcode: str
    preferred_channel: str


@dataclass(slots=True)
class LinkRow:
    student: int  # index into DemoSchool.students
    guardian: int  # index into DemoSchool.guardians
    relationship: str
    parental_responsibility: bool
    priority: int


@dataclass(slots=True)
class ClassRow:
    source_id: str
    code: str
    name: str
    subject: str
    year: int
    students: list[int]
    main_teacher: str = ""  # staff code
    other_teachers: list[str] = field(default_factory=list)
    location: str = ""  # the main teacher's room
    # (cycle day, period code, room code, staff code or "" for the main teacher)
    slots: list[tuple[int, str, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class FormRow:
    code: str
    year: int
    band: str
    tutor: str = ""
    room: str = ""


@dataclass
class DemoSchool:
    school: dict
    calendar: SchoolCalendar
    periods: list[tuple[str, str, str, str, str]]
    rooms: list[tuple[str, str, int]]  # code, name, capacity
    departments: list[tuple[str, str, str]]  # code, name, head staff code
    subjects: list[tuple[str, str, str]]
    year_groups: list[tuple[int, str, str]]  # number, name, head of year staff code
    forms: list[FormRow]
    staff: list[StaffRow]
    students: list[StudentRow]
    guardians: list[GuardianRow]
    links: list[LinkRow]
    classes: list[ClassRow]

    @property
    def logins(self) -> list[StaffRow]:
        return [s for s in self.staff if s.username]
