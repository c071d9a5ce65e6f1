"""Writing a checked roster to the database: read what is there once, compare in Python, then
bulk create, bulk update and delete in batches. Never a query per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import models

from school.importers.files import Problems
from school.importers.roster import Roster
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

BATCH = 500

# The report's rows, in the order they are written; the last item names the fourth column.
ENTITIES: list[tuple[str, str, str | None]] = [
    ("school", "School", None),
    ("departments", "Departments", None),
    ("academic_years", "Academic years", None),
    ("terms", "Terms", None),
    ("half_terms", "Half-terms", None),
    ("periods", "Periods", None),
    ("rooms", "Rooms", None),
    ("year_groups", "Year groups", None),
    ("subjects", "Subjects", None),
    ("staff", "Staff", "left"),
    ("forms", "Tutor groups", None),
    ("students", "Students", "left"),
    ("guardians", "Guardians", None),
    ("guardian_links", "Guardian links", "removed"),
    ("classes", "Classes", "left"),
    ("class_teachers", "Class teachers", "removed"),
    ("enrolments", "Enrolments", "removed"),
    ("timetable_slots", "Timetable slots", "removed"),
]


def empty_counts() -> dict[str, dict[str, int]]:
    counts = {}
    for key, _label, extra in ENTITIES:
        counts[key] = {"created": 0, "updated": 0, "unchanged": 0}
        if extra:
            counts[key][extra] = 0
    return counts


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _public(record: dict) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("_")}


class Applier:
    """Matches the roster against the database (`check`), then writes it (`write`)."""

    def __init__(self, roster: Roster, today: dt.date):
        self.roster = roster
        self.today = today
        self.counts = empty_counts()
        self.problems = Problems()
        self._existing: dict = {}
        self.left_class_ids: set[int] = set()
        self._left_classes: set[int] = set()

    # --- matching, before any write ----------------------------------------------------------

    def check(self) -> Problems:
        """Match people and classes to existing rows by sourcedId, then by their code; a code
        that already belongs to a different row is a problem."""
        self.staff_matches = self._match(
            Staff, self.roster.staff, "staff_code", "staff code", "member of staff"
        )
        self.student_matches = self._match(Student, self.roster.students, "upn", "UPN", "student")
        self.class_matches = self._match(
            TeachingClass, self.roster.classes, "code", "class code", "class"
        )
        return self.problems

    def _match(self, model, records: dict[str, dict], key_field: str, key_name: str, noun: str):
        existing = list(model.objects.all())
        by_sid = {obj.source_id: obj for obj in existing if obj.source_id}
        by_key = {getattr(obj, key_field): obj for obj in existing}
        matches: dict[str, models.Model | None] = {}
        claimed: dict[int, str] = {}
        for key, record in records.items():
            sid = record.get("source_id")
            obj = by_sid.get(sid) if sid else None
            at = record.get("_at", ("?", None, key_name))
            if obj is None:
                obj = by_key.get(key)
                if obj is not None and sid and obj.source_id and obj.source_id != sid:
                    self.problems.add(
                        at[0],
                        at[1],
                        at[2],
                        f'{key_name} "{key}" already belongs to another {noun} in Conduct '
                        f'(sourcedId "{obj.source_id}")',
                    )
                    continue
            else:
                holder = by_key.get(key)
                if (
                    holder is not None
                    and holder.pk != obj.pk
                    and holder.source_id
                    not in (
                        None,
                        "",
                    )
                ):
                    self.problems.add(
                        at[0],
                        at[1],
                        at[2],
                        f'{key_name} "{key}" already belongs to another {noun} in Conduct '
                        f'(sourcedId "{holder.source_id}")',
                    )
                    continue
            if obj is not None:
                if obj.pk in claimed:
                    self.problems.add(
                        at[0],
                        at[1],
                        at[2],
                        f"matches the same {noun} as {key_name} {claimed[obj.pk]}",
                    )
                    continue
                claimed[obj.pk] = key
            matches[key] = obj
        self._existing[model] = existing
        return matches

    # --- writing -----------------------------------------------------------------------------

    def _upsert(self, entity: str, model, items: list[tuple[models.Model | None, dict]]):
        """Create the new, update what differs, count the unchanged; the instances in order."""
        counts = self.counts[entity]
        to_create, to_update, changed_fields, result = [], [], set(), []
        for obj, values in items:
            if obj is None:
                obj = model(**values)
                to_create.append(obj)
                counts["created"] += 1
            else:
                changed = [f for f, v in values.items() if getattr(obj, f) != v]
                if changed:
                    for f in changed:
                        setattr(obj, f, values[f])
                    changed_fields.update(changed)
                    to_update.append(obj)
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            result.append(obj)
        if to_create:
            model.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            fields = sorted({model._meta.get_field(f).name for f in changed_fields})
            model.objects.bulk_update(to_update, fields, batch_size=BATCH)
        return result

    def write(self) -> dict[str, dict[str, int]]:
        r = self.roster
        self._school()
        dept_ids = self._by_code(
            "departments",
            Department,
            {code: {"name": rec.get("name") or code} for code, rec in r.departments.items()},
            keep_existing=lambda rec: "name" not in rec,
            raw=r.departments,
        )
        self._calendar()
        period_ids = self._by_code(
            "periods",
            Period,
            {code: dict(rec) for code, rec in r.periods.items()},
        )
        room_ids = self._missing_only("rooms", Room, "code", r.rooms)
        year_ids = self._missing_only("year_groups", YearGroup, "number", r.year_groups)
        subject_ids = self._subjects(dept_ids)
        staff_ids = self._staff(dept_ids)
        form_ids = self._forms(year_ids, staff_ids, room_ids)
        student_ids = self._students(year_ids, form_ids)
        guardian_ids = self._guardians()
        self._guardian_links(student_ids, guardian_ids)
        class_ids = self._classes(subject_ids, year_ids)
        self._class_teachers(class_ids, staff_ids)
        self._enrolments(class_ids, student_ids)
        self._slots(class_ids, period_ids, room_ids, staff_ids)
        return self.counts

    def _school(self) -> None:
        if self.roster.school is None:
            return
        school = School.objects.order_by("pk").first()
        self._upsert("school", School, [(school, self.roster.school)])

    def _by_code(self, entity, model, wanted: dict[str, dict], keep_existing=None, raw=None):
        existing = {obj.code: obj for obj in model.objects.all()}
        items = []
        for code, values in wanted.items():
            obj = existing.get(code)
            if obj is not None and keep_existing is not None and keep_existing(raw[code]):
                # Named only by code (e.g. a department on a staff row): keep its name.
                items.append((obj, {}))
            else:
                items.append((obj, {"code": code, **values}))
        self._upsert(entity, model, items)
        return dict(model.objects.values_list("code", "pk"))

    def _missing_only(self, entity, model, field: str, wanted: set) -> dict:
        ids = dict(model.objects.values_list(field, "pk"))
        new = [model(**{field: value}) for value in sorted(wanted) if value not in ids]
        if new:
            model.objects.bulk_create(new, batch_size=BATCH)
            ids = dict(model.objects.values_list(field, "pk"))
        self.counts[entity]["created"] += len(new)
        self.counts[entity]["unchanged"] += len(wanted) - len(new)
        return ids

    def _calendar(self) -> None:
        r = self.roster
        years = {y.name: y for y in AcademicYear.objects.all()}
        self._upsert(
            "academic_years",
            AcademicYear,
            [(years.get(name), {"name": name, **dates}) for name, dates in r.years.items()],
        )
        year_ids = dict(AcademicYear.objects.values_list("name", "pk"))
        terms = {(t.academic_year_id, t.kind): t for t in Term.objects.all()}
        items = []
        for (year, kind), dates in r.terms.items():
            key = (year_ids[year], kind)
            items.append((terms.get(key), {"academic_year_id": key[0], "kind": kind, **dates}))
        self._upsert("terms", Term, items)
        term_ids = {
            (name, kind): pk
            for pk, name, kind in Term.objects.values_list("pk", "academic_year__name", "kind")
        }
        halves = {(h.term_id, h.number): h for h in HalfTerm.objects.all()}
        items = []
        for (year, kind, number), dates in r.half_terms.items():
            key = (term_ids[(year, kind)], number)
            items.append((halves.get(key), {"term_id": key[0], "number": number, **dates}))
        self._upsert("half_terms", HalfTerm, items)

    def _subjects(self, dept_ids) -> dict[str, int]:
        existing = {s.code: s for s in Subject.objects.all()}
        by_name = {s.name.lower(): s for s in existing.values()}
        items, aliases = [], {}
        for code, rec in self.roster.subjects.items():
            obj = existing.get(code)
            if rec.get("by_name"):
                # From a timetable: a code or a name; an existing subject is left as it is.
                if obj is None and rec["name"].lower() in by_name:
                    aliases[code] = by_name[rec["name"].lower()].pk
                    self.counts["subjects"]["unchanged"] += 1
                    continue
                items.append((obj, {} if obj else {"code": code, "name": rec["name"]}))
                continue
            values = {"code": code, "name": rec["name"]}
            if "department" in rec:
                values["department_id"] = dept_ids.get(rec["department"])
            items.append((obj, values))
        self._upsert("subjects", Subject, items)
        ids = dict(Subject.objects.values_list("code", "pk"))
        ids.update(aliases)
        return ids

    def _staff(self, dept_ids) -> dict[str, int]:
        users = {}
        for pk, email in get_user_model().objects.exclude(email="").values_list("pk", "email"):
            # Two accounts with one email: ambiguous, so link neither.
            users[email.lower()] = None if email.lower() in users else pk
        linked = set(Staff.objects.exclude(user=None).values_list("user_id", flat=True))
        items = []
        for code, rec in self.roster.staff.items():
            values = _public(rec)
            values["staff_code"] = code
            if "department" in values:
                values["department_id"] = dept_ids.get(values.pop("department"))
            values["is_active"] = True
            obj = self.staff_matches.get(code)
            email = (values.get("email") or (obj.email if obj else "")).lower()
            user_id = users.get(email) if email else None
            if user_id and (obj is None or obj.user_id is None) and user_id not in linked:
                values["user_id"] = user_id
                linked.add(user_id)
            items.append((obj, values))
        self._upsert("staff", Staff, items)
        if self.roster.states_staff:
            matched = {obj.pk for obj in self.staff_matches.values() if obj is not None}
            gone = [s for s in self._existing[Staff] if s.is_active and s.pk not in matched]
            for s in gone:
                s.is_active = False
            Staff.objects.bulk_update(gone, ["is_active"], batch_size=BATCH)
            self.counts["staff"]["left"] += len(gone)
        return dict(Staff.objects.values_list("staff_code", "pk"))

    def _forms(self, year_ids, staff_ids, room_ids) -> dict[str, int]:
        existing = {f.code: f for f in Form.objects.all()}
        items = []
        for code, rec in self.roster.forms.items():
            values: dict = {"code": code}
            if "year" in rec:
                values["year_group_id"] = year_ids[rec["year"]]
            if "tutor" in rec:
                values["tutor_id"] = staff_ids.get(rec["tutor"]) if rec["tutor"] else None
            if "room" in rec:
                values["room_id"] = room_ids.get(rec["room"]) if rec["room"] else None
            items.append((existing.get(code), values))
        self._upsert("forms", Form, items)
        return dict(Form.objects.values_list("code", "pk"))

    def _students(self, year_ids, form_ids) -> dict[str, int]:
        items = []
        for upn, rec in self.roster.students.items():
            values = _public(rec)
            values["upn"] = upn
            values["year_group_id"] = year_ids[values.pop("year")]
            if "form" in values:
                form = values.pop("form")
                values["form_id"] = form_ids.get(form) if form else None
            values["left_on"] = None
            items.append((self.student_matches.get(upn), values))
        self._upsert("students", Student, items)
        if self.roster.states_students:
            matched = {obj.pk for obj in self.student_matches.values() if obj is not None}
            gone = [s for s in self._existing[Student] if s.left_on is None and s.pk not in matched]
            for s in gone:
                s.left_on = self.today
            Student.objects.bulk_update(gone, ["left_on"], batch_size=BATCH)
            self.counts["students"]["left"] += len(gone)
        return dict(Student.objects.values_list("upn", "pk"))

    def _guardians(self) -> dict[str, int]:
        existing = {g.source_id: g for g in Guardian.objects.all()}
        items = [
            (existing.get(sid), {"source_id": sid, **rec})
            for sid, rec in self.roster.guardians.items()
        ]
        self._upsert("guardians", Guardian, items)
        return dict(Guardian.objects.values_list("source_id", "pk"))

    def _guardian_links(self, student_ids, guardian_ids) -> None:
        r = self.roster
        if not r.guardian_links and not r.states_guardian_links:
            return
        existing = {
            (link.student_id, link.guardian_id): link for link in StudentGuardian.objects.all()
        }
        wanted = {}
        for (upn, gid), rec in r.guardian_links.items():
            wanted[(student_ids[upn], guardian_ids[gid])] = rec
        items = [
            (existing.get(key), {"student_id": key[0], "guardian_id": key[1], **rec})
            for key, rec in wanted.items()
        ]
        self._upsert("guardian_links", StudentGuardian, items)
        if r.states_guardian_links:
            # Links of students on roll after this import are replaced; left students keep
            # theirs, so their record still says who was told.
            on_roll = set(Student.objects.filter(left_on=None).values_list("pk", flat=True))
            stale = [
                link.pk for key, link in existing.items() if key not in wanted and key[0] in on_roll
            ]
            self._delete(StudentGuardian, stale, "guardian_links")

    def _delete(self, model, pks: list[int], entity: str) -> None:
        for chunk in _chunks(pks):
            model.objects.filter(pk__in=chunk).delete()
        self.counts[entity]["removed"] += len(pks)

    def _classes(self, subject_ids, year_ids) -> dict[str, int]:
        r = self.roster
        items = []
        for code, rec in r.classes.items():
            values = _public(rec)
            values["code"] = code
            if "subject" in values:
                subject = values.pop("subject")
                values["subject_id"] = subject_ids.get(subject) if subject else None
            if "year_group" in values:
                year = values.pop("year_group")
                values["year_group_id"] = year_ids[year] if year else None
            items.append((self.class_matches.get(code), values))
        self._upsert("classes", TeachingClass, items)
        ids = dict(TeachingClass.objects.values_list("code", "pk"))
        if r.states_classes:
            stated = {ids[code] for code in r.classes}
            self.left_class_ids = set(ids.values()) - stated
        return ids

    def _link_sets(
        self, entity, model, class_ids, restated: dict[str, dict], key_fields, values_of
    ):
        """Make the links of each restated class exactly what the import says; a class that has
        left loses its links."""
        target_ids = {class_ids[code] for code in restated} | self.left_class_ids
        if not target_ids:
            return set()
        fields = ["pk", "teaching_class_id", *key_fields, *values_of]
        existing = {}
        for row in model.objects.filter(teaching_class_id__in=target_ids).values_list(*fields):
            existing[row[1 : 2 + len(key_fields)]] = row
        to_create, to_update, seen = [], [], set()
        counts = self.counts[entity]
        for code, links in restated.items():
            class_id = class_ids[code]
            for key, values in links.items():
                full_key = (class_id, *key)
                seen.add(full_key)
                row = existing.get(full_key)
                if row is None:
                    to_create.append(
                        model(
                            teaching_class_id=class_id,
                            **dict(zip(key_fields, key, strict=True)),
                            **values,
                        )
                    )
                    counts["created"] += 1
                elif tuple(row[2 + len(key_fields) :]) != tuple(values[f] for f in values_of):
                    to_update.append(model(pk=row[0], **values))
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
        if to_create:
            model.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            names = [model._meta.get_field(f).name for f in values_of]
            model.objects.bulk_update(to_update, names, batch_size=BATCH)
        stale = [row[0] for key, row in existing.items() if key not in seen]
        self._delete(model, stale, entity)
        return {key[0] for key in existing if key not in seen}

    def _class_teachers(self, class_ids, staff_ids) -> None:
        restated = {
            code: {(staff_ids[s],): {"is_main": main} for s, main in teachers.items()}
            for code, teachers in self.roster.class_teachers.items()
        }
        emptied = self._link_sets(
            "class_teachers", ClassTeacher, class_ids, restated, ["staff_id"], ["is_main"]
        )
        self._left_classes |= emptied & self.left_class_ids

    def _enrolments(self, class_ids, student_ids) -> None:
        restated = {
            code: {(student_ids[upn],): {} for upn in upns}
            for code, upns in self.roster.enrolments.items()
        }
        emptied = self._link_sets("enrolments", Enrolment, class_ids, restated, ["student_id"], [])
        self._left_classes |= emptied & self.left_class_ids

    def _slots(self, class_ids, period_ids, room_ids, staff_ids) -> None:
        restated = {
            code: {
                (day, period_ids[period]): {
                    "room_id": room_ids.get(slot["room"]) if slot["room"] else None,
                    "staff_id": staff_ids.get(slot["staff"]) if slot["staff"] else None,
                }
                for (day, period), slot in slots.items()
            }
            for code, slots in self.roster.slots.items()
        }
        emptied = self._link_sets(
            "timetable_slots",
            TimetableSlot,
            class_ids,
            restated,
            ["cycle_day", "period_id"],
            ["room_id", "staff_id"],
        )
        self._left_classes |= emptied & self.left_class_ids
        # A class that has left is counted once: on the import that took its links away.
        self.counts["classes"]["left"] += len(self._left_classes)
