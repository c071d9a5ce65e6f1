"""The teaching classes of a timetabled plan (sets by attainment, option groups, form classes),
a main teacher for each with no teacher in two places at once, and a tutor for each form."""

import random
from collections import Counter, defaultdict

from school.demo.builder import Builder, new_uuid
from school.demo.curriculum import SUBJECT_DEPT, SUBJECT_NAME
from school.demo.data import ClassRow, FormRow, StaffRow


def generate_classes(b: Builder, plan, placed, students, forms, staff) -> list[ClassRow]:
    rng = b.rng
    classes: list[ClassRow] = []
    by_form = defaultdict(list)
    for i, s in enumerate(students):
        by_form[s.form].append(i)
    form_band = {f.code: (f.year, f.band) for f in forms}
    band_students = defaultdict(list)
    for code, idxs in by_form.items():
        band_students[form_band[code]].extend(idxs)

    def sets_by(idxs, k):
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
                    partitions[key] = sets_by(members, len(subjects))
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
                        source_id=new_uuid(rng),
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
                        source_id=new_uuid(rng),
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
