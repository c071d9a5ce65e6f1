"""What the demo school teaches and when: periods, departments, subjects, each key stage's
fortnight, forms in two bands, and the plan of parallel classes (units) and teachers it needs."""

import math
from collections import Counter

from school.demo.data import FormRow, Params

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

# code, name
DEPARTMENTS = [
    ("MA", "Mathematics"),
    ("EN", "English"),
    ("SC", "Science"),
    ("HU", "Humanities"),
    ("MFL", "Modern Foreign Languages"),
    ("ART", "Creative Arts"),
    ("PE", "Physical Education"),
    ("CO", "Computing and Business"),
    ("TE", "Technology"),
    ("PS", "PSHE and Citizenship"),
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


def plan_forms(params: Params) -> list[FormRow]:
    per_year = max(1, math.ceil(params.students_per_year / params.form_size))
    if per_year > len(FORM_LETTERS):
        raise ValueError(f"at most {len(FORM_LETTERS)} forms a year")
    forms = []
    for year in params.years:
        letters = FORM_LETTERS[:per_year]
        half = math.ceil(per_year / 2)
        for i, letter in enumerate(letters):
            band = BANDS[0] if i < half else BANDS[1]
            forms.append(FormRow(code=f"{year}{letter}", year=year, band=band))
    return forms


def curriculum_units(
    params: Params, forms: list[FormRow], band_sizes: dict[tuple[int, str], int]
) -> dict:
    """For every band: the band-wide units (sets, options) and each form's own units.

    A unit: (kind, subject codes per class, lessons, part letter)."""
    plan = {}
    split = params.split_lessons
    for (year, band), size in band_sizes.items():
        sets = max(1, math.ceil(size / params.set_size))
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


def dept_demand(subjects: list[str]) -> dict[str, int]:
    return dict(Counter(SUBJECT_DEPT[s] for s in subjects))


def plan_school(params: Params) -> dict:
    """The curriculum plan (units per band) for a school, without generating people."""
    forms = plan_forms(params)
    sizes: Counter = Counter()
    for year in params.years:
        year_forms = [f for f in forms if f.year == year]
        for n, form in enumerate(year_forms):
            share = params.students_per_year // len(year_forms)
            share += 1 if n < params.students_per_year % len(year_forms) else 0
            sizes[(year, form.band)] += share
    return curriculum_units(params, forms, sizes)


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
            for dept, n in dept_demand(subjects).items():
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
