"""Generate a whole school as plain data (no database): calendar, staff, students, families,
classes and a clash-free two-week timetable. `load.py` writes it to the database and
`oneroster.py` writes it out as a OneRoster 1.1 CSV bundle, so both describe the same school.

Everything is drawn from one seeded `random.Random`, so a seed and parameters give the same
school every time.
"""

from collections import Counter

from school.demo.builder import Builder
from school.demo.curriculum import (
    DEPARTMENTS,
    PERIODS,
    SUBJECTS,
    curriculum_units,
    plan_forms,
    staffing_need,
)
from school.demo.data import DemoSchool, Params
from school.demo.families import generate_families
from school.demo.rooms import give_rooms
from school.demo.staff import generate_staff
from school.demo.teaching import generate_classes
from school.demo.timetable import timetable_bands


def generate_school(params: Params | None = None) -> DemoSchool:
    """A whole school as plain data; the same parameters give the same school."""
    p = params or Params()
    b = Builder(p)
    rng = b.rng
    forms = plan_forms(p)
    students, guardians, links = generate_families(b, forms)
    band_sizes: Counter = Counter()
    form_band = {f.code: (f.year, f.band) for f in forms}
    for s in students:
        band_sizes[form_band[s.form]] += 1
    plan = curriculum_units(p, forms, band_sizes)

    need, _ = staffing_need(plan, p.teachers)
    capacity = dict(need)

    placed = timetable_bands(plan, capacity, rng)
    staff = generate_staff(b, capacity)
    rooms = give_rooms(staff)
    classes = generate_classes(b, plan, placed, students, forms, staff)
    head_of = {
        s.department: s.staff_code
        for s in staff
        if s.job_title.startswith("Head of ") and not s.job_title.startswith("Head of Year")
    }
    hoy = {}
    for s in staff:
        if s.job_title.startswith("Head of Year"):
            hoy[int(s.job_title.split()[3])] = s.staff_code
    dept_names = dict(DEPARTMENTS)
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
