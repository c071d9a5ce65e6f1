"""The demo school: a clash-free timetable, believable people, and one login per role."""

import dataclasses
import datetime as dt
import hashlib
import io
import json
import tempfile
from collections import Counter
from pathlib import Path

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F
from django.test import SimpleTestCase, TestCase

from conduct.roles import roles_of
from school import policies as school_policies
from school.demo.data import Params
from school.demo.generator import generate_school
from school.demo.load import load_school
from school.demo.logins import DEMO_PASSWORD, LOGIN_ROLES
from school.demo.oneroster import write_bundle
from school.demo.term_dates import academic_year_start, english_calendar
from school.demo.upn import check_letter, is_valid_upn
from school.models import (
    ClassTeacher,
    Enrolment,
    HalfTerm,
    ImportRun,
    NonSchoolDay,
    Period,
    School,
    Staff,
    Student,
    Term,
    TimetableSlot,
)
from school.services import roster_import

TODAY = dt.date(2026, 11, 23)


def small_school(**extra):
    """Two forms of 15 a year: two bands, two sets each — every timetable rule still applies."""
    return generate_school(
        Params(students_per_year=30, form_size=15, set_size=15, today=TODAY, **extra)
    )


class DemoDatabaseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.result = load_school(small_school())

    def test_it_loads_the_school_and_its_calendar(self):
        self.assertTrue(self.result.loaded)
        school = School.objects.get()
        self.assertEqual(school.name, "Northfield Academy")
        self.assertEqual(school.timetable_weeks, 2)
        self.assertEqual(school.week_a_starts_on.weekday(), 0)
        self.assertEqual(Term.objects.count(), 3)
        self.assertEqual(HalfTerm.objects.count(), 6)
        self.assertEqual(NonSchoolDay.objects.filter(kind="inset").count(), 5)
        self.assertEqual(
            list(Period.objects.values_list("code", flat=True)),
            ["REG", "P1", "P2", "BRK", "P3", "P4", "LUN", "P5"],
        )

    def test_it_books_every_student_into_one_class_every_lesson(self):
        lessons = Period.objects.filter(kind="lesson").count() * 10
        rows = Enrolment.objects.values_list(
            "student_id", "teaching_class__slots__cycle_day", "teaching_class__slots__period_id"
        )
        per_slot = Counter(rows)
        self.assertEqual(max(per_slot.values()), 1, "a student is double-booked")
        per_student = Counter(student for student, _, _ in per_slot)
        self.assertEqual(set(per_student), set(Student.objects.values_list("pk", flat=True)))
        self.assertEqual(set(per_student.values()), {lessons})

    def test_it_never_double_books_a_teacher(self):
        main = dict(
            ClassTeacher.objects.filter(is_main=True).values_list("teaching_class_id", "staff_id")
        )
        slots = TimetableSlot.objects.values_list(
            "teaching_class_id", "staff_id", "cycle_day", "period_id"
        )
        taught = Counter((staff or main[cls], day, period) for cls, staff, day, period in slots)
        self.assertEqual(max(taught.values()), 1)
        self.assertEqual(ClassTeacher.objects.filter(is_main=True).count(), len(main))

    def test_it_never_puts_a_member_of_staff_in_two_places(self):
        # As the timetable is read (school.selectors.timetable): a slot names who teaches it,
        # or names nobody and is every linked teacher's. A class shared by two teachers must not
        # leave its slots blank, or the colleague is in two rooms at once.
        linked: dict[int, list[int]] = {}
        for cls, staff in ClassTeacher.objects.values_list("teaching_class_id", "staff_id"):
            linked.setdefault(cls, []).append(staff)
        slots = TimetableSlot.objects.values_list(
            "teaching_class_id", "staff_id", "cycle_day", "period_id", "room_id"
        )
        places: dict[tuple, set] = {}
        for cls, staff, day, period, room in slots:
            for who in [staff] if staff else linked.get(cls, []):
                places.setdefault((who, day, period), set()).add((cls, room))
        twice = {key: where for key, where in places.items() if len(where) > 1}
        self.assertEqual(twice, {}, "a member of staff is timetabled in two places at once")
        self.assertTrue(any(len(teachers) > 1 for teachers in linked.values()))

    def test_it_never_double_books_a_room(self):
        rooms = Counter(TimetableSlot.objects.values_list("room_id", "cycle_day", "period_id"))
        self.assertNotIn(None, {room for room, _, _ in rooms})
        self.assertEqual(max(rooms.values()), 1)

    def test_it_gives_every_student_a_valid_unique_upn(self):
        upns = list(Student.objects.values_list("upn", flat=True))
        self.assertEqual(len(upns), len(set(upns)))
        self.assertTrue(all(is_valid_upn(upn) for upn in upns))

    def test_it_gives_birthdays_that_fit_the_year_group(self):
        for student in Student.objects.select_related("year_group"):
            born_from = dt.date(2026 - student.year_group.number - 5, 9, 1)
            self.assertTrue(
                born_from <= student.date_of_birth < born_from.replace(year=born_from.year + 1),
                student,
            )

    def test_it_gives_forms_tutors_and_years_heads(self):
        self.assertFalse(
            Student.objects.filter(form__isnull=True).exists()
            or Student.objects.exclude(form__year_group=F("year_group")).exists()
        )
        for student in Student.objects.select_related("form__tutor", "year_group__head_of_year"):
            self.assertIsNotNone(student.form.tutor)
            self.assertIsNotNone(student.year_group.head_of_year)
        for student in Student.objects.all()[:50]:
            self.assertIn(student.guardian_links.count(), (1, 2))

    def test_it_makes_one_login_per_role_with_the_demo_password(self):
        self.assertEqual(set(LOGIN_ROLES), {u for u, _, _ in self.result.logins})
        for username, roles in LOGIN_ROLES.items():
            user = authenticate(username=username, password=DEMO_PASSWORD)
            self.assertIsNotNone(user, username)
            self.assertEqual(roles_of(user), frozenset(roles), username)
            self.assertTrue(Staff.objects.filter(user=user).exists(), username)
        self.assertTrue(authenticate(username="admin", password=DEMO_PASSWORD).is_staff)
        pastoral = Staff.objects.get(user__username="pastoral")
        self.assertEqual(pastoral.years_led.get().number, 9)
        # The pastoral login works with Year 9 only: the year scope of pastoral staff.
        self.assertEqual([y.number for y in pastoral.year_groups.all()], [9])
        self.assertEqual(
            school_policies.pastoral_year_ids(pastoral.user), {pastoral.years_led.get().pk}
        )
        curriculum = Staff.objects.get(user__username="curriculum")
        self.assertEqual(curriculum.departments_led.get().code, "MA")
        for username in ("teacher", "pastoral", "curriculum"):
            self.assertTrue(
                TimetableSlot.objects.filter(
                    teaching_class__teacher_links__staff__user__username=username
                ).exists(),
                username,
            )

    def test_it_has_a_roster_import_history_with_the_leavers_guard(self):
        runs = list(ImportRun.objects.order_by("started_at"))
        assert [run.status for run in runs] == [
            "rejected",
            "applied",
            "applied",
            "rejected",
            "applied",
        ]
        assert runs[0].started_by.username == "admin"
        assert "would mark 150 of the 150 students on roll (100%) as left" in runs[0].problems[0]
        assert runs[1].leavers_confirmed == ["30 of the 150 students on roll (20%)"]
        assert runs[1].counts["students"]["left"] == 30
        assert "the zip file is damaged" in runs[3].problems[0]

    def test_it_leaves_a_school_with_students_alone(self):
        before = Student.objects.count()
        again = load_school(small_school(seed=7))
        self.assertFalse(again.loaded)
        self.assertEqual(Student.objects.count(), before)

    def test_it_lets_the_roster_import_read_its_oneroster_bundle(self):
        # The same school as a OneRoster bundle re-imports with no problems and no change.
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "roster.zip"
            write_bundle(small_school(), path)
            result = roster_import(path=path)
        self.assertEqual(result.problems, [])
        self.assertEqual(result.counts["students"]["created"], 0)
        self.assertEqual(result.counts["timetable_slots"]["created"], 0)


class LoadDemoCommandTests(TestCase):
    def test_it_loads_once_then_leaves_the_data_alone(self):
        out = io.StringIO()
        call_command("load_demo", "--students-per-year", "30", stdout=out)
        text = out.getvalue()
        self.assertIn("http://127.0.0.1:8000/login/", text)
        self.assertIn("conduct-demo", text)
        for username in LOGIN_ROLES:
            self.assertIn(username, text)
        # The SENCO (a login the pastoral demo adds) is a row of the same table.
        self.assertRegex(text, r"\n  senco +senco +\S.*, SENCO\n")
        # 150 on roll, and one who left long ago for the retention schedule (privacy/demo.py).
        self.assertEqual(Student.objects.count(), 151)
        self.assertIn("Data protection: a retention schedule of 4 kinds of record", text)
        self.assertRegex(text, r"Pastoral: \d+ entry and \d+ exit interviews")
        from pastoral.models import Concern, Discussion, Interview

        self.assertTrue(Interview.objects.filter(status="done").exists())
        self.assertTrue(Discussion.objects.filter(level="child_protection").exists())
        self.assertEqual(Concern.objects.count(), 2)
        from pastoral.models import RestorativeMeeting
        from patrol.models import DropIn
        from sanctions.models import RoomLogEntry

        self.assertEqual(
            sorted(RestorativeMeeting.objects.values_list("status", flat=True)),
            ["cancelled", "held", "planned"],
        )
        # The planned one was moved: its first time and place are in its history.
        from audit.models import StateChange

        self.assertTrue(
            StateChange.objects.filter(
                object_type="pastoral.restorativemeeting", field="starts_at"
            ).exists()
        )
        self.assertTrue(RoomLogEntry.objects.filter(level="pastoral").exists())
        self.assertTrue(DropIn.objects.filter(level="pastoral").exists())
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        self.assertIn("already has students", out.getvalue())
        self.assertEqual(Student.objects.count(), 151)
        # A second `make demo` still says where to log in and as whom.
        self.assertIn("http://127.0.0.1:8000/login/", out.getvalue())
        for username in LOGIN_ROLES:
            self.assertIn(f"  {username} ", out.getvalue())
        self.assertRegex(out.getvalue(), r"\n  senco +senco +\S.*, SENCO\n")


class DemoDataTests(SimpleTestCase):
    """Plain data, no database: the spreads of a mid-sized school."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = generate_school(Params(students_per_year=120, today=TODAY))

    def share(self, test) -> float:
        return sum(1 for s in self.demo.students if test(s)) / len(self.demo.students)

    def test_it_has_believable_spreads(self):
        self.assertEqual(len(self.demo.students), 600)
        self.assertTrue(0.09 <= self.share(lambda s: s.sen_status == "K") <= 0.17)
        self.assertTrue(0.01 <= self.share(lambda s: s.sen_status == "E") <= 0.045)
        self.assertTrue(0.20 <= self.share(lambda s: s.fsm) <= 0.30)
        self.assertTrue(0.23 <= self.share(lambda s: s.pupil_premium) <= 0.33)
        self.assertTrue(0.13 <= self.share(lambda s: s.eal) <= 0.23)
        self.assertTrue(0.002 <= self.share(lambda s: s.looked_after) <= 0.012)
        self.assertTrue(0.45 <= self.share(lambda s: s.gender == "M") <= 0.55)
        self.assertTrue(0.55 <= self.share(lambda s: s.ethnicity == "WBRI") <= 0.7)
        fsm = [s for s in self.demo.students if s.fsm]
        self.assertGreater(sum(s.pupil_premium for s in fsm) / len(fsm), 0.9)
        # EAL follows heritage: rare for White British students, common for Polish ones.
        wbri = [s for s in self.demo.students if s.ethnicity == "WBRI"]
        self.assertLess(sum(s.eal for s in wbri) / len(wbri), 0.03)

    def test_it_is_the_same_school_for_the_same_seed(self):
        again = generate_school(Params(students_per_year=120, today=TODAY))
        self.assertEqual([s.upn for s in again.students], [s.upn for s in self.demo.students])
        self.assertEqual([c.slots for c in again.classes], [c.slots for c in self.demo.classes])

    def test_it_generates_exactly_the_pinned_school_for_seed_7(self):
        # Taken before the generator was split into modules: reshaping it must not change the
        # school a seed gives, down to the last byte.
        demo = generate_school(Params(students_per_year=60, seed=7, today=TODAY))
        text = json.dumps(dataclasses.asdict(demo), default=str, sort_keys=True)
        self.assertEqual(
            (len(demo.students), len(demo.staff), len(demo.guardians), len(demo.links)),
            (300, 47, 461, 554),
        )
        self.assertEqual((len(demo.classes), len(demo.rooms), len(demo.forms)), (156, 38, 10))
        self.assertEqual(demo.students[0].upn, "M330210218001")
        self.assertEqual(demo.students[-1].upn, "Z334242417003")
        self.assertEqual(demo.staff[-1].staff_code, "LWO")
        self.assertEqual(
            (demo.classes[5].code, demo.classes[5].main_teacher, demo.classes[5].slots),
            ("8O/Re", "MKA", [(4, "P5", "H4", ""), (5, "P2", "H4", "")]),
        )
        self.assertEqual(demo.guardians[3].email, "ibrahim.adebayo@outlook.example")
        self.assertEqual((demo.forms[0].tutor, demo.forms[0].room), ("PHO", "MUGA"))
        self.assertEqual(
            [head for _, _, head in demo.year_groups], ["JWE", "RHA", "TBR", "MKA", "JGU"]
        )
        self.assertEqual(
            hashlib.sha256(text.encode()).hexdigest(),
            "2b1f9d9264d4d8ef80127e768a36622efe62e2dfd664f8104993a59bf2da1e4e",
        )

    def test_it_uses_preferred_names_and_eight_forms_in_a_full_year(self):
        self.assertTrue(any(s.preferred_first_name for s in self.demo.students))
        full = generate_school(Params(today=TODAY))
        self.assertEqual(len(full.students), 1200)
        self.assertEqual(
            [f.code for f in full.forms if f.year == 7],
            ["7N", "7O", "7R", "7T", "7H", "7F", "7I", "7E"],
        )
        self.assertTrue(70 <= len(full.staff) <= 100)


class CalendarAndUpnTests(SimpleTestCase):
    def test_it_takes_the_academic_year_from_today(self):
        self.assertEqual(academic_year_start(dt.date(2026, 11, 23)), 2026)
        self.assertEqual(academic_year_start(dt.date(2027, 8, 31)), 2026)
        self.assertEqual(academic_year_start(dt.date(2027, 9, 1)), 2027)

    def test_it_makes_english_term_dates(self):
        cal = english_calendar(2026)
        self.assertEqual(cal.name, "2026/27")
        self.assertEqual(cal.terms[0][1], dt.date(2026, 9, 1))
        self.assertEqual(cal.half_terms[0][3], dt.date(2026, 10, 23))  # October half-term
        self.assertEqual(cal.terms[0][2], dt.date(2026, 12, 18))  # Christmas
        self.assertEqual(cal.terms[1][1], dt.date(2027, 1, 4))
        easter_monday = dt.date(2027, 3, 29)
        self.assertTrue(cal.terms[1][2] < easter_monday < cal.terms[2][1])
        for year in range(2024, 2035):
            days = len(english_calendar(year).school_days())
            self.assertTrue(180 <= days <= 195, (year, days))

    def test_it_computes_the_dfe_check_letter(self):
        # The worked example in python-stdnum's gb.upn documentation.
        self.assertTrue(is_valid_upn("B801200005001"))
        self.assertFalse(is_valid_upn("A801200005001"))
        self.assertEqual(check_letter("801200005001"), "B")
        self.assertFalse(is_valid_upn("I801200005001"))
