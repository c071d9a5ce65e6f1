"""Generate a whole school as plain data (no database): calendar, staff, students, families,
classes and a clash-free two-week timetable. `load.py` writes it to the database and
`oneroster.py` writes it out as a OneRoster 1.1 CSV bundle, so both describe the same school.

Everything is drawn from one seeded `random.Random`, so a seed and parameters give the same
school every time.
"""

import datetime as dt
import math
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from school.demo import names as N
from school.demo.term_dates import SchoolCalendar, academic_year_start, english_calendar
from school.demo.timetable import Slot, Unit, place_units
from school.demo.upn import make_upn

DEMO_PASSWORD = "conduct-demo"
FORM_LETTERS = "NORTHFIELDABCGJKMPSUVWXYZ"  # 7N 7O 7R 7T 7H 7F 7I 7E 7L 7D, then A, B, ...
BANDS = "XY"
LESSON_PERIODS = ["P1", "P2", "P3", "P4", "P5"]
PERIODS = [
    # code, name, kind, starts, ends
    ("REG", "Registration", "registration", "08:40", "09:00"),
    ("P1", "Period 1", "lesson", "09:00", "10:00"),
    ("P2", "Period 2", "lesson", "10:00", "11:00"),
    ("BRK", "Break", "break", "11:00", "11:20"),
    ("P3", "Period 3", "lesson", "11:20", "12:20"),
    ("P4", "Period 4", "lesson", "12:20", "13:20"),
    ("LUN", "Lunch", "lunch", "13:20", "14:05"),
    ("P5", "Period 5", "lesson", "14:05", "15:05"),
]

# code, name, room prefix, room name
DEPARTMENTS = [
    ("MA", "Mathematics", "M", "Maths classroom"),
    ("EN", "English", "E", "English classroom"),
    ("SC", "Science", "S", "Science lab"),
    ("HU", "Humanities", "H", "Humanities classroom"),
    ("MFL", "Modern Foreign Languages", "L", "Languages classroom"),
    ("ART", "Creative Arts", "A", "Art studio"),
    ("PE", "Physical Education", "PE", "PE space"),
    ("CO", "Computing and Business", "C", "ICT suite"),
    ("TE", "Technology", "T", "Technology workshop"),
    ("PS", "PSHE and Citizenship", "P", "PSHE classroom"),
]
# code, name, department
SUBJECTS = [
    ("Ma", "Mathematics", "MA"),
    ("En", "English", "EN"),
    ("Sc", "Science", "SC"),
    ("Gg", "Geography", "HU"),
    ("Hi", "History", "HU"),
    ("Re", "Religious Education", "HU"),
    ("Fr", "French", "MFL"),
    ("Sp", "Spanish", "MFL"),
    ("Ar", "Art and Design", "ART"),
    ("Mu", "Music", "ART"),
    ("Dr", "Drama", "ART"),
    ("Pe", "Physical Education", "PE"),
    ("Ss", "Sport Studies", "PE"),
    ("Co", "Computing", "CO"),
    ("Cs", "Computer Science", "CO"),
    ("Bs", "Business", "CO"),
    ("Dt", "Design and Technology", "TE"),
    ("Fd", "Food Preparation and Nutrition", "TE"),
    ("Ps", "PSHE", "PS"),
]
SUBJECT_DEPT = {code: dept for code, _, dept in SUBJECTS}
SUBJECT_NAME = {code: name for code, name, _ in SUBJECTS}
PE_SPACES = ["SH", "GYM", "MUGA", "FLD", "DS", "PE6", "PE7", "PE8", "PE9", "PE10", "PE11"]
PE_SPACE_NAMES = {
    "SH": "Sports hall",
    "GYM": "Gym",
    "MUGA": "Multi-use games area",
    "FLD": "Playing field",
    "DS": "Dance studio",
}

# A fortnight's curriculum: (kind, subject or option subjects, lessons). "set": the band is
# setted by attainment; "form": taught in tutor groups; "option": a GCSE option block.
KS3 = [
    ("set", "Ma", 8),
    ("set", "En", 8),
    ("set", "Sc", 7),
    ("form", "Gg", 3),
    ("form", "Hi", 3),
    ("form", "Re", 2),
    ("form", "MFL", 4),
    ("form", "Ar", 2),
    ("form", "Mu", 2),
    ("form", "Dr", 1),
    ("form", "Pe", 4),
    ("form", "Co", 2),
    ("form", "Dt", 2),
    ("form", "Ps", 2),
]
KS4 = [
    ("set", "Ma", 9),
    ("set", "En", 9),
    ("set", "Sc", 10),
    ("option", "Gg Fr Cs Ar", 5),
    ("option", "Hi Sp Bs Mu", 5),
    ("option", "Dr Dt Fd Ss", 5),
    ("form", "Pe", 3),
    ("form", "Re", 2),
    ("form", "Ps", 2),
]

# The demo logins: username, roles, title, first, last, job title, department, teaches.
LOGINS = [
    (
        "conduct",
        ("conduct",),
        "Mr",
        "Darren",
        "Whitehouse",
        "Internal Exclusion Officer",
        None,
        False,
    ),
    ("teacher", ("teacher",), "Ms", "Priya", "Chauhan", "Teacher of English", "EN", True),
    (
        "pastoral",
        ("pastoral", "teacher"),
        "Mr",
        "Tom",
        "Brennan",
        "Head of Year 9 and Teacher of Geography",
        "HU",
        True,
    ),
    (
        "curriculum",
        ("curriculum", "teacher"),
        "Mrs",
        "Sarah",
        "Adeyemi",
        "Head of Mathematics",
        "MA",
        True,
    ),
    (
        "slt",
        ("slt",),
        "Mr",
        "Gareth",
        "Lloyd",
        "Deputy Headteacher (Behaviour and Attendance)",
        None,
        False,
    ),
    ("dsl", ("dsl",), "Mrs", "Joanne", "Marsh", "Designated Safeguarding Lead", None, False),
    ("attendance", ("attendance",), "Mrs", "Nasreen", "Akhtar", "Attendance Officer", None, False),
    ("admin", ("admin",), "Mr", "Kevin", "Doyle", "Data Manager", None, False),
]
LOGIN_ROLES = {username: roles for username, roles, *_ in LOGINS}
# Staff who do not teach, besides the demo logins: job title (repeated for several).
SUPPORT_STAFF = [
    "Headteacher",
    "Deputy Headteacher (Curriculum)",
    "Assistant Headteacher (Personal Development)",
    "Assistant Headteacher (Teaching and Learning)",
    "SENCO",
    "School Business Manager",
    "Reflection Room Supervisor",
    "Office Manager",
    "Cover Supervisor",
    "Teaching Assistant",
]


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


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _ascii(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


class _Builder:
    def __init__(self, params: Params):
        self.p = params
        self.rng = random.Random(params.seed)
        today = params.today or dt.date.today()
        self.start_year = academic_year_start(today)
        self.calendar = english_calendar(self.start_year)
        self.staff: list[StaffRow] = []
        self.staff_codes: set[str] = set()
        self.emails: set[str] = set()
        self.upns: set[str] = set()
        self.upn_serials: Counter = Counter()
        self.staff_names: set[tuple[str, str]] = {
            (first, last) for _, _, _, first, last, *_ in LOGINS
        }

    # ---- people ----------------------------------------------------------------------------

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def staff_code(self, first: str, last: str) -> str:
        letters = _ascii(last).upper() or "X"
        base = (_ascii(first)[:1].upper() or "X") + letters[:1]
        for extra in letters[1:] + "ABCDEFGHJKLMNPRSTVWXYZ":
            code = base + extra
            if code not in self.staff_codes:
                self.staff_codes.add(code)
                return code
        n = 2
        while f"{base}{n}" in self.staff_codes:
            n += 1
        self.staff_codes.add(f"{base}{n}")
        return f"{base}{n}"

    def staff_email(self, first: str, last: str) -> str:
        local = f"{_ascii(first)[:1]}.{_ascii(last)}"
        email, n = f"{local}@northfield-academy.example", 2
        while email in self.emails:
            email, n = f"{local}{n}@northfield-academy.example", n + 1
        self.emails.add(email)
        return email

    def add_staff(self, title, first, last, job, dept, teaches, username="", roles=()):
        row = StaffRow(
            source_id=_uuid(self.rng),
            staff_code=self.staff_code(first, last),
            title=title,
            first_name=first,
            last_name=last,
            email=self.staff_email(first, last),
            job_title=job,
            department=dept,
            teaches=teaches,
            username=username,
            roles=tuple(roles),
        )
        self.staff.append(row)
        return row

    def random_adult(self, heritage: str | None = None) -> tuple[str, str, str, str]:
        """title, first name, last name, gender of an invented adult."""
        if heritage is None:
            heritage = "british" if self.rng.random() < 0.75 else self.pick(list(N.PARENT_NAMES))
        men, women = N.PARENT_NAMES[heritage]
        last = self.pick(N.split(N.HERITAGE[heritage][2]))
        if self.rng.random() < 0.4:
            return "Mr", self.pick(N.split(men)), last, "M"
        title = self.pick(N.STAFF_TITLES_WOMEN)
        return title, self.pick(N.split(women)), N.feminine_surname(last, heritage), "F"

    def new_colleague(self, doctor_chance: float = 0.0) -> tuple[str, str, str]:
        """A member of staff whose full name nobody else on the staff has."""
        while True:
            title, first, last, _ = self.random_adult()
            if (first, last) not in self.staff_names:
                self.staff_names.add((first, last))
                return ("Dr" if self.rng.random() < doctor_chance else title), first, last

    # ---- structure ---------------------------------------------------------------------------

    def forms(self) -> list[FormRow]:
        per_year = max(1, math.ceil(self.p.students_per_year / self.p.form_size))
        if per_year > len(FORM_LETTERS):
            raise ValueError(f"at most {len(FORM_LETTERS)} forms a year")
        forms = []
        for year in self.p.years:
            letters = FORM_LETTERS[:per_year]
            half = math.ceil(per_year / 2)
            for i, letter in enumerate(letters):
                band = BANDS[0] if i < half else BANDS[1]
                forms.append(FormRow(code=f"{year}{letter}", year=year, band=band))
        return forms

    def curriculum_units(self, forms: list[FormRow], band_sizes: dict[tuple[int, str], int]):
        """For every band: the band-wide units (sets, options) and each form's own units.

        A unit: (kind, subject codes per class, lessons, part letter)."""
        plan = {}
        split = self.p.split_lessons
        for (year, band), size in band_sizes.items():
            sets = max(1, math.ceil(size / self.p.set_size))
            band_forms = [f.code for f in forms if f.year == year and f.band == band]
            band_units, form_units = [], []
            for kind, subject, lessons in KS3 if year <= 9 else KS4:
                if subject == "MFL":
                    subject = "Fr" if band == BANDS[0] else "Sp"
                parts = math.ceil(lessons / split) if split and lessons > split else 1
                for part in range(parts):
                    part_lessons = lessons // parts + (1 if part < lessons % parts else 0)
                    letter = "abcdefghij"[part] if parts > 1 else ""
                    if kind == "set":
                        band_units.append(("set", [subject] * sets, part_lessons, letter))
                    elif kind == "option":
                        choices = subject.split()
                        per_block = max(sets, len(choices))
                        subjects = [choices[i % len(choices)] for i in range(per_block)]
                        band_units.append(("option", subjects, part_lessons, letter))
                    else:
                        form_units.append(("form", [subject], part_lessons, letter))
            plan[(year, band)] = (band_units, form_units, band_forms)
        return plan


def _dept_demand(subjects: list[str]) -> dict[str, int]:
    return dict(Counter(SUBJECT_DEPT[s] for s in subjects))


def plan_school(params: Params) -> dict:
    """The curriculum plan (units per band) for a school, without generating people."""
    b = _Builder(params)
    forms = b.forms()
    sizes: Counter = Counter()
    for year in params.years:
        year_forms = [f for f in forms if f.year == year]
        for n, form in enumerate(year_forms):
            share = params.students_per_year // len(year_forms)
            share += 1 if n < params.students_per_year % len(year_forms) else 0
            sizes[(year, form.band)] += share
    return b.curriculum_units(forms, sizes)


def count_classes(plan: dict) -> int:
    return sum(
        sum(len(subjects) for _, subjects, _, _ in band_units) + len(form_units) * len(band_forms)
        for band_units, form_units, band_forms in plan.values()
    )


def staffing_need(plan: dict, teachers: int | None = None) -> tuple[dict[str, int], Counter]:
    """Teachers per department for a plan, and each department's lessons a cycle."""
    # Staffing: per department, enough teachers for the lessons with slack. A band-wide unit
    # needs all its classes' teachers at once, so it counts in whole units (4 maths teachers
    # for 4 sets), which is what makes the busiest departments big.
    band_lessons: Counter = Counter()
    widest: Counter = Counter()
    form_lessons: Counter = Counter()
    total: Counter = Counter()
    for band_units, form_units, band_forms in plan.values():
        for _, subjects, lessons, _ in band_units:
            for dept, n in _dept_demand(subjects).items():
                band_lessons[dept] += lessons
                widest[dept] = max(widest[dept], n)
                total[dept] += n * lessons
        for _, subjects, lessons, _ in form_units:
            dept = SUBJECT_DEPT[subjects[0]]
            form_lessons[dept] += lessons * len(band_forms)
            total[dept] += lessons * len(band_forms)
    cycle = 10 * len(LESSON_PERIODS)

    def staffing(slack: float) -> dict[str, int]:
        return {
            d: widest[d] * math.ceil(band_lessons[d] / cycle * slack)
            + (math.ceil(form_lessons[d] / cycle * slack) + 1 if form_lessons[d] else 0)
            for d in total
        }

    need = staffing(1.25)
    teachers = teachers or sum(need.values())
    if teachers < sum(need.values()):
        need = staffing(1.0)
    spare = teachers - sum(need.values())
    weights = sorted(total, key=lambda d: -total[d])
    i = 0
    while spare > 0:
        need[weights[i % len(weights)]] += 1
        spare -= 1
        i += 1
    return need, total


def generate_school(params: Params | None = None) -> DemoSchool:
    """A whole school as plain data; the same parameters give the same school."""
    p = params or Params()
    b = _Builder(p)
    rng = b.rng
    forms = b.forms()
    students, guardians, links = _people(b, forms)
    band_sizes: Counter = Counter()
    form_band = {f.code: (f.year, f.band) for f in forms}
    for s in students:
        band_sizes[form_band[s.form]] += 1
    plan = b.curriculum_units(forms, band_sizes)

    need, total = staffing_need(plan, p.teachers)
    capacity = dict(need)

    # The timetable: for each band, place the band-wide units, then each form's own units in
    # the slots left.
    all_slots: list[Slot] = [(day, code) for day in range(1, 11) for code in LESSON_PERIODS]
    placed = None
    for _attempt in range(30):
        usage: dict[Slot, Counter] = {slot: Counter() for slot in all_slots}
        placed = {}
        bands = list(plan)
        rng.shuffle(bands)
        ok = True
        for key in bands:
            band_units, form_units, band_forms = plan[key]
            result = _place_band(
                band_units, form_units, band_forms, all_slots, usage, capacity, rng
            )
            if result is None:
                ok = False
                break
            placed[key] = result
        if ok:
            break
    else:
        raise RuntimeError("could not timetable this school: add teachers or shrink classes")

    staff = _staff(b, capacity, forms, total)
    rooms = _give_rooms(staff)
    classes = _classes(b, plan, placed, students, forms, staff)
    head_of = {
        s.department: s.staff_code
        for s in staff
        if s.job_title.startswith("Head of ") and not s.job_title.startswith("Head of Year")
    }
    hoy = {}
    for s in staff:
        if s.job_title.startswith("Head of Year"):
            hoy[int(s.job_title.split()[3])] = s.staff_code
    dept_names = {code: name for code, name, _, _ in DEPARTMENTS}
    cal = b.calendar
    return DemoSchool(
        school={
            "name": "Northfield Academy",
            "urn": "146213",
            "dfe_number": "330/4127",
            "address": "Hawthorn Lane, Northfield, Birmingham B31 2NQ",
            "phone": "0121 496 0000",
            "email": "office@northfield-academy.example",
            "head_teacher": next(
                f"{s.title} {s.first_name} {s.last_name}"
                for s in staff
                if s.job_title == "Headteacher"
            ),
            "timetable_weeks": 2,
            "week_a_starts_on": cal.week_a_starts_on,
        },
        calendar=cal,
        periods=PERIODS,
        rooms=rooms,
        departments=[(d, dept_names[d], head_of.get(d, "")) for d in sorted(capacity)],
        subjects=[s for s in SUBJECTS if s[2] in capacity],
        year_groups=[(y, f"Year {y}", hoy.get(y, "")) for y in p.years],
        forms=forms,
        staff=staff,
        students=students,
        guardians=guardians,
        links=links,
        classes=classes,
    )


def _place_band(band_units, form_units, band_forms, all_slots, usage, capacity, rng):
    """Slots for a band's units and each of its forms' units, or None (usage left unchanged)."""
    saved = {slot: Counter(c) for slot, c in usage.items()}
    for per_day in (None, None, None, None, 2, 2):
        units = [Unit(lessons, _dept_demand(subjects)) for _, subjects, lessons, _ in band_units]
        # Form time is a unit too, spread over the fortnight, so no day is all form lessons.
        form_time = len(all_slots) - sum(u.lessons for u in units)
        days = len({day for day, _ in all_slots})
        units.append(Unit(form_time, {}, per_day=math.ceil(form_time / days)))
        placed = place_units(units, all_slots, usage, capacity, rng, per_day)
        if placed is None:
            continue
        band_slots, free = placed[:-1], placed[-1]
        after_band = {slot: Counter(c) for slot, c in usage.items()}
        for _form_try in range(4):
            per_form = {}
            for form in band_forms:
                units = [
                    Unit(lessons, _dept_demand(subjects)) for _, subjects, lessons, _ in form_units
                ]
                # A day with more free slots than subjects needs a double lesson.
                for cap in (per_day, 2, 3):
                    form_slots = place_units(units, free, usage, capacity, rng, cap)
                    if form_slots is not None:
                        break
                if form_slots is None:
                    break
                per_form[form] = form_slots
            else:
                return band_slots, per_form
            for slot, counter in after_band.items():
                usage[slot] = Counter(counter)
        for slot, counter in saved.items():
            usage[slot] = Counter(counter)
    return None


# ---- students and families ------------------------------------------------------------------


def _people(b: _Builder, forms: list[FormRow]):
    p, rng = b.p, b.rng
    students: list[StudentRow] = []
    guardians: list[GuardianRow] = []
    links: list[LinkRow] = []
    remaining = {year: p.students_per_year for year in p.years}
    eth_codes = [e for e, _, _ in N.ETHNICITIES]
    eth_weights = [w for _, w, _ in N.ETHNICITIES]
    eal_chance = {e: c for e, _, c in N.ETHNICITIES}
    guardian_emails: set[str] = set()

    def address():
        street = b.pick(N.STREETS)
        number = rng.randint(1, 180)
        locality = b.pick(N.LOCALITIES)
        postcode = (
            f"{b.pick(N.POSTCODE_DISTRICTS)} {rng.randint(1, 9)}"
            f"{b.pick(N.POSTCODE_UNIT_LETTERS)}{b.pick(N.POSTCODE_UNIT_LETTERS)}"
        )
        return f"{number} {street}, {locality}, Birmingham", postcode

    def guardian(title, first, last, addr, postcode, email_domain=None, channel=None):
        local = f"{_ascii(first)}.{_ascii(last)}"
        domain = email_domain or b.pick(N.EMAIL_DOMAINS)
        email = f"{local}@{domain}"
        while email in guardian_emails:
            email = f"{local}{rng.randint(1, 99)}@{domain}"
        guardian_emails.add(email)
        if channel is None:
            roll = rng.random()
            channel = (
                "email"
                if roll < 0.6
                else "sms"
                if roll < 0.9
                else "phone"
                if roll < 0.96
                else "letter"
            )
        guardians.append(
            GuardianRow(
                source_id=_uuid(rng),
                title=title,
                first_name=first,
                last_name=last,
                email=email,
                # Ofcom's ranges reserved for drama: never a real phone.
                mobile=f"07700 900{rng.randint(0, 999):03d}",
                home_phone=f"0121 496 0{rng.randint(0, 999):03d}" if rng.random() < 0.3 else "",
                address=addr,
                postcode=postcode,
                preferred_channel=channel,
            )
        )
        return len(guardians) - 1

    def upn(year: int) -> str:
        reception = b.start_year - (year - 7) - 7  # the September they started school
        if rng.random() < 0.82:
            la, estab = (
                330,
                rng.choice(
                    [2011, 2034, 2047, 2102, 2119, 2233, 2240, 3021, 3315, 3402, 2256, 2281]
                ),
            )
        else:
            la, estab = (
                rng.choice([331, 332, 333, 334, 335, 336, 885, 860, 931]),
                rng.randint(2000, 3999),
            )
            reception += rng.choice([0, 0, 1, 2, 3])
        while True:
            key = (la, estab, reception)
            b.upn_serials[key] += rng.randint(1, 4)
            value = make_upn(la, estab, reception, b.upn_serials[key] % 1000)
            if value not in b.upns:
                b.upns.add(value)
                return value

    def child(year, heritage_pair, surname, ethnicity, family):
        roll = rng.random()
        gender = "X" if roll < 0.004 else "M" if roll < 0.502 else "F"
        pool_heritage = heritage_pair[rng.randrange(2)]
        boys, girls, _ = N.HERITAGE[pool_heritage]
        pool = boys if gender == "M" or (gender == "X" and rng.random() < 0.5) else girls
        first = b.pick(N.split(pool))
        preferred = N.PREFERRED.get(first, "") if rng.random() < 0.45 else ""
        last = N.feminine_surname(surname, heritage_pair[0]) if gender == "F" else surname
        # Born September (start - year - 5) to August the year after.
        born_from = dt.date(b.start_year - year - 5, 9, 1)
        dob = born_from + dt.timedelta(days=rng.randrange(365))
        boy = gender == "M"
        sen_roll = rng.random()
        sen = (
            "E"
            if sen_roll < (0.034 if boy else 0.016)
            else "K"
            if sen_roll < (0.034 + 0.16 if boy else 0.016 + 0.10)
            else "N"
        )
        joined = dt.date(b.start_year - (year - 7), 9, 3)
        if rng.random() < 0.06:  # an in-year admission
            joined += dt.timedelta(days=rng.randrange(30, 600))
            joined = min(joined, b.calendar.half_terms[0][2])
        fsm = family["fsm"]
        pp = (rng.random() < 0.97) if fsm else (rng.random() < 0.05)
        students.append(
            StudentRow(
                source_id=_uuid(rng),
                upn=upn(year),
                legal_first_name=first,
                legal_last_name=last,
                preferred_first_name=preferred,
                preferred_last_name=family.get("known_as", ""),
                date_of_birth=dob,
                gender=gender,
                year=year,
                form="",
                sen_status=sen,
                fsm=fsm,
                pupil_premium=pp or family["cla"],
                eal=family["eal"],
                ethnicity=ethnicity,
                looked_after=family["cla"],
                admitted_on=joined,
                ability=rng.gauss(0, 1),
            )
        )
        return len(students) - 1

    total = sum(remaining.values())
    while sum(remaining.values()) > 0:
        open_years = [y for y, n in remaining.items() if n > 0]
        roll = rng.random()
        size = 1 if roll < 0.78 else 2 if roll < 0.96 else 3
        size = min(size, len(open_years))
        years = rng.sample(open_years, size)
        ethnicity = rng.choices(eth_codes, eth_weights)[0]
        heritage_pair = b.pick(N.ETHNICITY_HERITAGE[ethnicity])
        cla = size == 1 and rng.random() < 0.005 * total / max(total, 1) * 1.0
        family = {
            "fsm": rng.random() < 0.25,
            "eal": rng.random() < eal_chance[ethnicity],
            "cla": cla,
        }
        dad_heritage, mum_heritage = heritage_pair
        surname = b.pick(N.split(N.HERITAGE[dad_heritage][2]))
        addr, postcode = address()
        children = []
        for year in years:
            remaining[year] -= 1
        if cla:
            family["fsm"] = False
            children = [child(years[0], heritage_pair, surname, ethnicity, family)]
            t, f, last, _ = b.random_adult()
            carer = guardian(t, f, last, *address())
            worker_title, worker_first, worker_last, _ = b.random_adult()
            worker = guardian(
                worker_title,
                worker_first,
                worker_last,
                "Children's Services, Council House, Birmingham",
                "B1 1BB",
                email_domain="childrenstrust.example",
                channel="email",
            )
            links.append(LinkRow(children[0], carer, "foster_carer", False, 1))
            links.append(LinkRow(children[0], worker, "social_worker", True, 2))
            continue
        children = [child(y, heritage_pair, surname, ethnicity, family) for y in years]
        dad_men, _ = N.PARENT_NAMES[dad_heritage]
        _, mum_women = N.PARENT_NAMES[mum_heritage]
        mum_last = N.feminine_surname(surname, dad_heritage)
        if rng.random() < 0.12:  # mother kept or went back to her own surname
            mum_last = N.feminine_surname(
                b.pick(N.split(N.HERITAGE[mum_heritage][2])), mum_heritage
            )
        mum = (b.pick(["Mrs", "Ms", "Miss"]), b.pick(N.split(mum_women)), mum_last)
        dad = ("Mr", b.pick(N.split(dad_men)), surname)
        shape = rng.random()
        if shape < 0.58:  # two parents at home
            first_contact = rng.random() < 0.7
            g1 = guardian(*mum, addr, postcode)
            g2 = guardian(*dad, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "mother", True, 1 if first_contact else 2))
                links.append(LinkRow(c, g2, "father", True, 2 if first_contact else 1))
        elif shape < 0.80:  # mother, with the father living elsewhere (or not a contact)
            g1 = guardian(*mum, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "mother", True, 1))
            if rng.random() < 0.5:
                g2 = guardian(*dad, *address())
                for c in children:
                    links.append(LinkRow(c, g2, "father", True, 2))
        elif shape < 0.88:  # mother and step-father
            g1 = guardian(*mum, addr, postcode)
            t, f, last, _ = b.random_adult("british")
            g2 = guardian("Mr", b.pick(N.split(N.PARENT_NAMES["british"][0])), last, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "mother", True, 1))
                links.append(LinkRow(c, g2, "step_parent", False, 2))
        elif shape < 0.95:  # father on his own
            g1 = guardian(*dad, addr, postcode)
            for c in children:
                links.append(LinkRow(c, g1, "father", True, 1))
            if rng.random() < 0.4:
                g2 = guardian(*mum, *address())
                for c in children:
                    links.append(LinkRow(c, g2, "mother", True, 2))
        else:  # grandparents bring them up (a special guardianship order)
            t, f, _, gender = b.random_adult(mum_heritage)
            g1 = guardian(
                t,
                f,
                surname if gender == "M" else mum_last,
                addr,
                postcode,
                channel=b.pick(["phone", "letter", "sms"]),
            )
            for c in children:
                links.append(LinkRow(c, g1, "grandparent", True, 1))
            g2 = guardian(*mum, *address())
            for c in children:
                links.append(LinkRow(c, g2, "mother", rng.random() < 0.7, 2))

    # Looked-after children: make sure a school of a few hundred has some (about 0.5%).
    want_cla = round(len(students) * 0.005)
    have = sum(s.looked_after for s in students)
    if have < want_cla:
        for s in rng.sample(students, want_cla - have):
            s.looked_after = True
            s.pupil_premium = True

    # Forms: within each year, deal students round the forms by gender so forms are balanced.
    by_year = defaultdict(list)
    for i, s in enumerate(students):
        by_year[s.year].append(i)
    for year, idxs in by_year.items():
        year_forms = [f.code for f in forms if f.year == year]
        rng.shuffle(idxs)
        idxs.sort(key=lambda i: students[i].gender)
        offset = rng.randrange(len(year_forms))
        for n, i in enumerate(idxs):
            students[i].form = year_forms[(n + offset) % len(year_forms)]
    return students, guardians, links


# ---- staff -------------------------------------------------------------------------------


def _staff(b: _Builder, capacity: dict[str, int], forms, total) -> list[StaffRow]:
    rng = b.rng
    dept_order = [d for d, *_ in DEPARTMENTS if d in capacity]
    logins_by_dept = defaultdict(list)
    for username, roles, title, first, last, job, dept, teaches in LOGINS:
        row = b.add_staff(
            title,
            first,
            last,
            job,
            dept if teaches else None,
            teaches,
            username=username,
            roles=roles,
        )
        if teaches:
            if dept in capacity:
                logins_by_dept[dept].append(row)
            else:  # a tiny school without this department: teach the largest one
                row.department = dept_order[0]
                logins_by_dept[dept_order[0]].append(row)
    support = (
        SUPPORT_STAFF if b.p.support_staff is None else ((SUPPORT_STAFF * 10)[: b.p.support_staff])
    )
    if "Headteacher" not in support:
        support = ["Headteacher", *support[1:]]
    for job in support:
        title, first, last = b.new_colleague()
        if job == "Headteacher":
            title, first, last = "Dr", "Rachel", "Whitfield"
        b.add_staff(title, first, last, job, None, False)
    year_leads = [y for y in b.p.years if y != 9]
    for dept in dept_order:
        name = next(n for d, n, *_ in DEPARTMENTS if d == dept)
        members = list(logins_by_dept[dept])
        while len(members) < capacity[dept]:
            title, first, last = b.new_colleague(doctor_chance=0.04)
            taught = [n for c, n, d in SUBJECTS if d == dept and c not in ("Ss", "Cs")]
            subject = taught[len(members) % len(taught)]
            members.append(b.add_staff(title, first, last, f"Teacher of {subject}", dept, True))
        if not any(
            m.job_title.startswith("Head of ") and "Year" not in m.job_title for m in members
        ):
            lead = next(m for m in members if not m.username)
            lead.job_title = f"Head of {name}"
        for m in members:
            if m.job_title.startswith("Head of ") and "Year" not in m.job_title:
                m.max_load = 38
    # Heads of year: the pastoral login leads year 9; others are experienced teachers.
    pastoral = next(s for s in b.staff if s.username == "pastoral")
    if 9 not in b.p.years:
        year_leads = list(b.p.years)
        pastoral.job_title = f"Head of Year {year_leads.pop(0)} and Teacher of Geography"
    pastoral.max_load = 30
    candidates = [
        s
        for s in b.staff
        if s.teaches and not s.username and not s.job_title.startswith("Head of ")
    ]
    rng.shuffle(candidates)
    for year, lead in zip(year_leads, candidates, strict=False):
        subject = lead.job_title.removeprefix("Teacher of ")
        lead.job_title = f"Head of Year {year} and Teacher of {subject}"
        lead.max_load = 30
    return b.staff


# ---- classes, teachers and rooms -------------------------------------------------------------


def _classes(b: _Builder, plan, placed, students, forms, staff) -> list[ClassRow]:
    rng = b.rng
    classes: list[ClassRow] = []
    by_form = defaultdict(list)
    for i, s in enumerate(students):
        by_form[s.form].append(i)
    form_band = {f.code: (f.year, f.band) for f in forms}
    band_students = defaultdict(list)
    for code, idxs in by_form.items():
        band_students[form_band[code]].extend(idxs)

    def sets_by(idxs, k, subject):
        # Set by attainment in the subject: general ability plus a subject-specific wobble.
        noisy = sorted(idxs, key=lambda i: -(students[i].ability + rng.gauss(0, 0.45)))
        size, extra = divmod(len(noisy), k)
        groups, at = [], 0
        for n in range(k):
            take = size + (1 if n < extra else 0)
            groups.append(noisy[at : at + take])
            at += take
        return groups

    for (year, band), (band_units, form_units, band_forms) in plan.items():
        band_slots, per_form = placed[(year, band)]
        members = band_students[(year, band)]
        partitions = {}
        for (kind, subjects, _, letter), slots in zip(band_units, band_slots, strict=True):
            key = (kind, tuple(subjects))
            if key not in partitions:  # the parts of a split subject keep the same groups
                if kind == "set":
                    partitions[key] = sets_by(members, len(subjects), subjects[0])
                else:
                    shuffled = list(members)
                    rng.shuffle(shuffled)
                    partitions[key] = [shuffled[n :: len(subjects)] for n in range(len(subjects))]
            seen = Counter()
            for n, (subject, group) in enumerate(zip(subjects, partitions[key], strict=True)):
                seen[subject] += 1
                suffix = f"-{letter}" if letter else ""
                if kind == "set":
                    code = f"{year}{band}/{subject}{n + 1}{suffix}"
                    name = f"Year {year} {SUBJECT_NAME[subject]} set {n + 1}"
                else:
                    code = f"{year}{band}/{subject}{seen[subject]}{suffix}"
                    name = f"Year {year} {SUBJECT_NAME[subject]} (GCSE)"
                classes.append(
                    ClassRow(
                        source_id=_uuid(rng),
                        code=code,
                        name=name,
                        subject=subject,
                        year=year,
                        students=sorted(group),
                        slots=[(day, period, "", "") for day, period in sorted(slots)],
                    )
                )
        for form in band_forms:
            for (_, subjects, _, letter), slots in zip(form_units, per_form[form], strict=True):
                subject = subjects[0]
                suffix = f"-{letter}" if letter else ""
                classes.append(
                    ClassRow(
                        source_id=_uuid(rng),
                        code=f"{form}/{subject}{suffix}",
                        name=f"{form} {SUBJECT_NAME[subject]}",
                        subject=subject,
                        year=year,
                        students=sorted(by_form[form]),
                        slots=[(day, period, "", "") for day, period in sorted(slots)],
                    )
                )

    _assign_teachers(rng, classes, staff)
    _assign_tutors(rng, forms, staff)
    return classes


def _assign_teachers(rng: random.Random, classes: list[ClassRow], staff: list[StaffRow]):
    """A main teacher per class who is free for all its lessons where possible; lessons the
    main teacher cannot take go to a free colleague in the department (a shared class)."""
    by_dept = defaultdict(list)
    for s in staff:
        if s.teaches:
            by_dept[s.department].append(s)
    busy: dict[str, set] = {s.staff_code: set() for s in staff}
    load: Counter = Counter()
    # Teachers of a subject first: a geographer teaches geography before RE.
    speciality = {s.staff_code: s.job_title.rsplit("Teacher of ", 1)[-1] for s in staff}
    order = sorted(range(len(classes)), key=lambda i: (-len(classes[i].slots), rng.random()))
    for i in order:
        cls = classes[i]
        team = by_dept[SUBJECT_DEPT[cls.subject]]
        slots = {(d, p) for d, p, _, _ in cls.slots}
        n = len(slots)

        def score(t, slots=slots, n=n, cls=cls):
            clash = len(slots & busy[t.staff_code])
            over = max(0, load[t.staff_code] + n - t.max_load)
            specialist = 0 if SUBJECT_NAME[cls.subject] == speciality[t.staff_code] else 1
            return (clash, over, specialist, load[t.staff_code], rng.random())

        main = min(team, key=score)
        cls.main_teacher = main.staff_code
        new_slots = []
        for day, period, _, _ in cls.slots:
            if (day, period) in busy[main.staff_code]:
                free = [t for t in team if (day, period) not in busy[t.staff_code]]
                cover = min(free, key=lambda t: (load[t.staff_code], rng.random()))
                who = cover.staff_code
                if who not in cls.other_teachers:
                    cls.other_teachers.append(who)
            else:
                who = main.staff_code
            busy[who].add((day, period))
            load[who] += 1
            new_slots.append((day, period, who))
        rooms = {s.staff_code: s.room for s in staff}
        cls.location = rooms[main.staff_code] or ""
        cls.slots = [
            (day, period, rooms[who] or "", "" if who == main.staff_code else who)
            for day, period, who in new_slots
        ]


def _assign_tutors(rng: random.Random, forms: list[FormRow], staff: list[StaffRow]):
    teachers = [s for s in staff if s.teaches]
    free = [s for s in teachers if not s.username and not s.job_title.startswith("Head of ")]
    rng.shuffle(free)
    spare = [s for s in teachers if s not in free and s.username != "pastoral"]
    teacher_login = next((s for s in staff if s.username == "teacher"), None)
    for form in forms:
        if (
            teacher_login
            and form.year == 9
            and form.code.endswith("O")
            or (
                teacher_login
                and not any(f.tutor == teacher_login.staff_code for f in forms)
                and form is forms[-1]
            )
        ):
            tutor = teacher_login
            if tutor in spare:
                spare.remove(tutor)
        elif free:
            tutor = free.pop()
        elif spare:
            tutor = spare.pop()
        else:
            tutor = rng.choice(teachers)
        form.tutor = tutor.staff_code
        form.room = tutor.room or ""


ROOM_KINDS = {
    # subject or department: (code prefix, room name, capacity)
    "MA": ("M", "Maths classroom", 32),
    "EN": ("E", "English classroom", 32),
    "SC": ("S", "Science lab", 30),
    "HU": ("H", "Humanities classroom", 32),
    "MFL": ("L", "Languages classroom", 30),
    "CO": ("C", "ICT suite", 30),
    "PS": ("P", "Classroom", 32),
    "ART": ("AR", "Art studio", 28),
    "TE": ("DT", "Technology workshop", 24),
    "Art and Design": ("AR", "Art studio", 28),
    "Music": ("MU", "Music room", 30),
    "Drama": ("DR", "Drama studio", 30),
    "Design and Technology": ("DT", "Technology workshop", 24),
    "Food Preparation and Nutrition": ("FT", "Food room", 24),
}
OTHER_ROOMS = [
    ("HALL", "Main hall", 250),
    ("LIB", "Library", 60),
    ("IE1", "Internal exclusion room", 12),
    ("RR1", "Reflection room", 10),
    ("LSU", "Learning support base", 15),
    ("SSC", "Student services", 8),
]


def _give_rooms(staff: list[StaffRow]) -> list[tuple[str, str, int]]:
    """Every teacher teaches in their own room, so no room is ever double-booked."""
    rooms: list[tuple[str, str, int]] = []
    counts: Counter = Counter()
    pe = iter(PE_SPACES)
    for s in staff:
        if not s.teaches:
            continue
        if s.department == "PE":
            code = next(pe, None) or f"PE{len(rooms)}"
            s.room = code
            rooms.append((code, PE_SPACE_NAMES.get(code, "PE space"), 60))
            continue
        speciality = s.job_title.rsplit("Teacher of ", 1)[-1]
        prefix, name, size = ROOM_KINDS.get(speciality) or ROOM_KINDS[s.department]
        counts[prefix] += 1
        s.room = f"{prefix}{counts[prefix]}"
        rooms.append((s.room, f"{name} {counts[prefix]}", size))
    return sorted(rooms) + OTHER_ROOMS
