"""The roster import from OneRoster 1.1 and 1.2 CSV bundles (docs/import.md)."""

import datetime as dt
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from school.models import (
    AcademicYear,
    ClassTeacher,
    Department,
    Enrolment,
    Form,
    Guardian,
    HalfTerm,
    ImportRun,
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
)
from school.services import roster_import
from tests.base import ConductTestCase, make_calendar_and_timetable

FIXTURES = Path(__file__).parent / "fixtures" / "roster"
EVERY_MODEL = [
    AcademicYear, ClassTeacher, Department, Enrolment, Form, Guardian, HalfTerm, Period, Room,
    School, Staff, Student, StudentGuardian, Subject, TeachingClass, Term, TimetableSlot,
]  # fmt: skip


def snapshot() -> dict:
    """Every roster row, so a test can say nothing changed."""
    return {model.__name__: sorted(model.objects.values_list()) for model in EVERY_MODEL}


# The test school's people (tests.base) are not in the fixture bundles, so every import here
# would mark them all left: the leavers guard is off for these tests and proven on its own in
# tests/test_import_limits.py.
@override_settings(ROSTER_LEAVERS_MAX_PERCENT=100)
class BundleTestCase(ConductTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def bundle(self, name: str) -> Path:
        """A copy of a fixture bundle folder that a test may edit."""
        target = self.tmp / name
        if not target.exists():
            shutil.copytree(FIXTURES / name, target)
        return target

    def zipped(self, folder: Path) -> Path:
        path = self.tmp / f"{folder.name}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, f"export/{file.name}")  # zipped inside a folder, as MIS do
        return path

    def edit(self, folder: Path, name: str, old: str, new: str) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def drop_line(self, folder: Path, name: str, starting: str) -> None:
        path = folder / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith(starting)))

    def run_import(self, path: Path, **kwargs):
        return roster_import(path=path, by=self.fay, **kwargs)


class OneRoster11Test(BundleTestCase):
    def test_it_imports_a_oneroster_11_zip(self):
        result = self.run_import(self.zipped(self.bundle("oneroster11")))

        assert result.problems == []
        assert result.status == ImportRun.Status.APPLIED
        assert result.format == "OneRoster 1.1"
        # Jayden was already on roll (matched by UPN): updated, the other four are new.
        assert result.counts["students"] == {"created": 4, "updated": 1, "unchanged": 0, "left": 0}
        assert result.counts["guardians"]["created"] == 4
        assert result.counts["guardian_links"]["created"] == 5
        assert result.counts["classes"]["created"] == 3
        assert result.counts["enrolments"]["created"] == 7
        assert result.counts["class_teachers"]["created"] == 4
        assert result.counts["timetable_slots"]["created"] == 7
        assert result.counts["forms"] == {"created": 1, "updated": 1, "unchanged": 0}

        jayden = Student.objects.get(upn="A123456789012")
        assert jayden.pk == self.student.pk
        assert jayden.source_id == "stu-1001"
        assert jayden.form.code == "9B"
        assert jayden.pupil_premium and not jayden.fsm
        amelia = Student.objects.get(upn="H801200001002")
        assert (amelia.legal_first_name, amelia.legal_last_name) == ("Amelia", "Costa")
        assert amelia.date_of_birth == dt.date(2011, 11, 2)
        assert amelia.gender == "F"
        assert amelia.sen_status == "K"
        assert amelia.ethnicity == "MWBC"
        assert amelia.looked_after and amelia.fsm
        oisin = Student.objects.get(upn="H801200001005")
        assert oisin.legal_first_name == "Oisín"
        assert oisin.gender == "X"
        assert oisin.year_group.number == 10
        assert oisin.form.code == "10R"
        assert Student.objects.get(upn="H801200001003").has_ehcp

        form = Form.objects.get(code="9B")
        assert form.tutor.staff_code == "SJO"
        assert form.room.code == "T9"
        assert Form.objects.get(code="10R").tutor.staff_code == "KAD"

        maths = TeachingClass.objects.get(code="9X/Ma1")
        assert maths.source_id == "cls-9ma1"
        assert maths.name == "Year 9 Maths set 1"
        assert maths.subject.code == "MA"
        assert maths.subject.department.code == "MA"
        assert maths.year_group.number == 9
        assert {(t.staff.staff_code, t.is_main) for t in maths.teacher_links.all()} == {
            ("RHU", True),
            ("SJO", False),
        }
        assert set(maths.students.values_list("upn", flat=True)) == {
            "A123456789012",
            "H801200001002",
            "H801200001003",
        }
        assert {(s.cycle_day, s.period.code, s.room.code) for s in maths.slots.all()} == {
            (1, "P2", "M4"),
            (3, "P2", "M4"),
            (6, "P1", "M5"),
        }
        assert not TeachingClass.objects.filter(code="9B").exists()  # a homeroom is a form

        kerry = Guardian.objects.get(source_id="par-2001")
        assert (kerry.title, kerry.email, kerry.mobile) == (
            "Mrs",
            "kerry.walsh@example.com",
            "07700900101",
        )
        assert kerry.preferred_channel == "sms"
        assert kerry.postcode == "LS6 2AB"
        link = StudentGuardian.objects.get(guardian=kerry)
        assert (link.student, link.relationship, link.priority) == (jayden, "mother", 1)
        grace = Guardian.objects.get(source_id="par-2004")
        assert set(grace.students.values_list("upn", flat=True)) == {
            "H801200001003",
            "H801200001005",
        }
        assert not grace.student_links.first().parental_responsibility
        assert StudentGuardian.objects.get(guardian__source_id="par-2003").relationship == (
            "foster_carer"
        )

        school = School.objects.get()
        assert (school.name, school.urn) == ("Northfield Academy", "136789")
        year = AcademicYear.objects.get(name="2026/27")
        assert [t.kind for t in year.terms.all()] == ["autumn", "spring", "summer"]
        halves = HalfTerm.objects.filter(term__kind="autumn").order_by("number")
        assert [(h.number, h.starts_on) for h in halves] == [
            (1, dt.date(2026, 9, 3)),
            (2, dt.date(2026, 11, 2)),
        ]
        assert Period.objects.get(code="LUN").kind == "lunch"
        assert Room.objects.filter(code__in=["M4", "M5", "T9", "S12"]).count() == 4
        rhys = Staff.objects.get(staff_code="RHU")
        assert (rhys.title, rhys.department.code, rhys.source_id) == ("Mr", "MA", "tea-3001")
        assert Staff.objects.get(staff_code="DSH").first_name == "Diane"

        run = ImportRun.objects.get()
        assert (run.status, run.format, run.started_by) == ("applied", "OneRoster 1.1", self.fay)
        assert run.counts["students"]["created"] == 4
        event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
        assert event.object_type == "school.importrun"
        assert event.user == self.fay
        assert event.detail["import_run"] == run.pk

    def test_it_keeps_a_department_head_the_file_does_not_mention(self):
        self.run_import(self.bundle("oneroster11"))

        maths = Department.objects.get(code="MA")
        assert maths.pk == self.maths.pk
        assert maths.head == self.hugo.staff

    def test_it_reports_everything_unchanged_on_reimport(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        before = snapshot()

        with CaptureQueriesContext(connection) as queries:
            result = self.run_import(bundle)

        assert result.status == "applied"
        for entity, counts in result.counts.items():
            assert counts["created"] == counts["updated"] == 0, entity
            assert counts.get("left", 0) == counts.get("removed", 0) == 0, entity
        assert result.counts["students"]["unchanged"] == 5
        assert result.counts["enrolments"]["unchanged"] == 7
        assert snapshot() == before
        # Read once per table, never once per row.
        assert len(queries) < 60

    def test_it_updates_in_place_and_marks_a_missing_student_left(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        amelia = Student.objects.get(upn="H801200001002")
        self.edit(bundle, "users.csv", "Amelia,Costa,Rose", "Amelie,Costa-Reyes,Rose")
        self.drop_line(bundle, "users.csv", "stu-1004,")
        self.drop_line(bundle, "enrollments.csv", "enr-6,")
        self.drop_line(bundle, "enrollments.csv", "enr-17,")

        result = self.run_import(bundle)

        assert result.problems == []
        assert result.counts["students"] == {"created": 0, "updated": 1, "unchanged": 3, "left": 1}
        assert result.counts["enrolments"]["removed"] == 1
        renamed = Student.objects.get(upn="H801200001002")
        assert renamed.pk == amelia.pk
        assert (renamed.legal_first_name, renamed.legal_last_name) == ("Amelie", "Costa-Reyes")
        priya = Student.objects.get(upn="H801200001004")  # not deleted
        assert priya.left_on == timezone.localdate()
        assert not priya.on_roll
        assert not Enrolment.objects.filter(student=priya).exists()

    def test_it_puts_a_student_who_reappears_back_on_roll(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        Student.objects.filter(upn="H801200001004").update(left_on=dt.date(2026, 7, 20))

        result = self.run_import(bundle)

        assert result.counts["students"]["updated"] == 1
        assert Student.objects.get(upn="H801200001004").on_roll

    def test_it_marks_staff_missing_from_the_file_inactive(self):
        result = self.run_import(self.bundle("oneroster11"))

        # The test school's own staff are not in the bundle: kept, but no longer active.
        assert result.counts["staff"]["left"] == 10  # make_people's ten staff (with the SENCO)
        assert Staff.objects.get(pk=self.alice.staff.pk).is_active is False
        assert Staff.objects.get(staff_code="RHU").is_active

    def test_it_replaces_the_links_of_a_restated_class(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.drop_line(bundle, "enrollments.csv", "enr-12,")  # Marcus leaves maths
        self.drop_line(bundle, "enrollments.csv", "enr-9,")  # Sarah stops co-teaching it
        self.edit(bundle, "classes.csv", '"1:P2,3:P2,6:P1@M5"', '"1:P2@M4,6:P1@M6"')

        result = self.run_import(bundle)

        assert result.counts["enrolments"] == {
            "created": 0,
            "updated": 0,
            "unchanged": 6,
            "removed": 1,
        }
        assert result.counts["class_teachers"]["removed"] == 1
        assert result.counts["timetable_slots"] == {
            "created": 0,
            "updated": 1,
            "unchanged": 5,
            "removed": 1,
        }
        maths = TeachingClass.objects.get(code="9X/Ma1")
        assert maths.students.count() == 2
        assert list(maths.teachers.values_list("staff_code", flat=True)) == ["RHU"]
        assert {(s.cycle_day, s.period.code, s.room.code) for s in maths.slots.all()} == {
            (1, "P2", "M4"),
            (6, "P1", "M6"),
        }

    def test_it_keeps_a_class_missing_from_the_file_but_empties_it(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.drop_line(bundle, "classes.csv", "cls-10sc1,")
        self.drop_line(bundle, "enrollments.csv", "enr-16,")
        self.drop_line(bundle, "enrollments.csv", "enr-17,")
        self.drop_line(bundle, "enrollments.csv", "enr-18,")

        result = self.run_import(bundle)

        assert result.counts["classes"]["left"] == 1
        science = TeachingClass.objects.get(code="10Y/Sc1")
        assert not science.enrolments.exists()
        assert not science.slots.exists()
        assert self.run_import(bundle).counts["classes"]["left"] == 0

    def test_it_rejects_the_whole_import_and_lists_every_problem(self):
        bundle = self.bundle("oneroster11")
        self.edit(
            bundle, "users.csv", "Amelia,Costa,Rose,H801200001002", "Amelia,Costa,Rose,H80120001002"
        )
        self.edit(
            bundle,
            "demographics.csv",
            "2012-06-30,male,,,,,,,,,,,,E",
            "2012-06-31,male,,,,,,,,,,,,Q",
        )
        self.edit(bundle, "demographics.csv", "WIRI", "IRISH")
        self.edit(
            bundle,
            "enrollments.csv",
            "enr-15,,2026-09-01T08:00:00.000Z,cls-9en1",
            "enr-15,,2026-09-01T08:00:00.000Z,cls-9en2",
        )
        self.edit(bundle, "classes.csv", '"2:P1,7:P3"', '"2:P1,7:P7"')
        self.edit(bundle, "users.csv", "adm-3004,", "tea-3001,")
        before = snapshot()
        runs_before = ImportRun.objects.count()

        result = self.run_import(bundle)

        assert result.status == ImportRun.Status.REJECTED
        assert result.problems == [
            'classes.csv:5:periods: no period "P7" (not in periods.csv nor in Conduct)',
            'demographics.csv:4:birthDate: "2012-06-31" is not a date (dd/mm/yyyy or yyyy-mm-dd)',
            'demographics.csv:4:metadata.uk.senStatus: "Q" is not an SEN status (N, K or E)',
            'demographics.csv:6:metadata.uk.ethnicity: "IRISH" is not a DfE ethnicity code '
            "(e.g. WBRI, APKN, REFU, NOBT)",
            'enrollments.csv:16:classSourcedId: no class "cls-9en2" in classes.csv',
            'users.csv:3:identifier: "H80120001002" is not a UPN (one letter and 12 digits)',
            'users.csv:10:sourcedId: duplicate sourcedId "tea-3001" (also on row 7)',
        ]
        assert snapshot() == before
        assert ImportRun.objects.count() == runs_before + 1
        run = ImportRun.objects.first()
        assert run.status == "rejected"
        assert run.problems == result.problems

    def test_it_requires_demographics_for_every_student(self):
        bundle = self.bundle("oneroster11")
        self.drop_line(bundle, "demographics.csv", "stu-1004,")

        result = self.run_import(bundle)

        assert result.problems == [
            "users.csv:5:sourcedId: no row in demographics.csv for this student "
            "(the date of birth is required)"
        ]

    def test_it_reports_a_missing_required_column(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "users.csv", ",identifier,", ",localId,")

        result = self.run_import(bundle)

        assert result.problems == ["users.csv:1:identifier: missing column"]

    def test_it_changes_nothing_on_a_dry_run(self):
        before = snapshot()

        result = self.run_import(self.bundle("oneroster11"), dry_run=True)

        assert result.status == ImportRun.Status.CHECKED
        assert result.counts["students"]["created"] == 4
        assert snapshot() == before
        assert ImportRun.objects.get().status == "checked"

    def test_it_links_staff_to_the_account_with_the_same_email(self):
        kemi = get_user_model().objects.create_user(
            username="kadeyemi", email="k.adeyemi@northfield.example"
        )

        self.run_import(self.bundle("oneroster11"))

        assert Staff.objects.get(staff_code="KAD").user == kemi
        assert Staff.objects.get(staff_code="RHU").user is None

    def test_it_treats_rows_to_be_deleted_as_absent(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.edit(bundle, "users.csv", "stu-1004,,", "stu-1004,tobedeleted,")

        result = self.run_import(bundle)

        assert result.problems == []
        assert result.counts["students"]["left"] == 1
        assert not Student.objects.get(upn="H801200001004").on_roll


class OneRoster12Test(BundleTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)  # the bundle's periods P1 and P3 are already here

    def test_it_imports_a_oneroster_12_folder_with_roles_in_roles_csv(self):
        result = self.run_import(self.bundle("oneroster12"))

        assert result.problems == []
        assert result.format == "OneRoster 1.2"
        tom = Student.objects.get(upn="H801200002001")
        assert (tom.legal_first_name, tom.first_name) == ("Thanh", "Tom")
        assert tom.form.code == "8C"
        assert tom.year_group.number == 8
        assert tom.ethnicity == "AOTH" and tom.eal
        ella = Student.objects.get(upn="H801200002002")
        assert ella.form.code == "8C"  # from her homeroom enrolment
        gareth = Staff.objects.get(staff_code="GWI")  # primary role teacher, not aide
        assert gareth.department.name == "Humanities"
        assert Form.objects.get(code="8C").tutor == gareth
        # 1.2 style: the guardians' agentSourcedIds point at their students.
        link = StudentGuardian.objects.get(student=ella)
        assert (link.guardian.first_name, link.relationship) == ("Chris", "step_parent")
        assert link.guardian.preferred_channel == "sms"
        assert StudentGuardian.objects.get(student=tom).relationship == "mother"
        history = TeachingClass.objects.get(code="8X/Hi1")
        assert history.subject.name == "History"
        assert {(s.cycle_day, s.period.code, s.room.code) for s in history.slots.all()} == {
            (1, "P1", "H2"),
            (5, "P3", "H3"),
        }
        assert Term.objects.get(academic_year__name="2026/27").kind == "autumn"

    def test_it_infers_the_version_without_a_manifest(self):
        bundle = self.bundle("oneroster12")
        (bundle / "manifest.csv").unlink()

        result = self.run_import(self.zipped(bundle))

        assert result.format == "OneRoster 1.2"
        assert result.status == "applied"

    def test_it_needs_roles_when_users_have_no_role_column(self):
        bundle = self.bundle("oneroster12")
        (bundle / "roles.csv").unlink()

        result = self.run_import(bundle)

        assert result.problems == ["roles.csv:-:-: file missing (users.csv has no role column)"]


class ImportRosterCommandTest(BundleTestCase):
    def test_it_prints_counts_per_entity(self):
        out = io.StringIO()

        call_command("import_roster", str(self.bundle("oneroster11")), stdout=out)

        text = out.getvalue()
        assert "OneRoster 1.1: applied" in text
        assert "created" in text and "left/removed" in text
        students = next(line for line in text.splitlines() if line.startswith("Students"))
        assert students.split() == ["Students", "4", "1", "0", "0"]

    def test_it_exits_non_zero_and_prints_every_problem(self):
        bundle = self.bundle("oneroster11")
        self.edit(
            bundle,
            "demographics.csv",
            ",N,false,true,false,false,WBRI",
            ",Q,false,true,false,false,WBRI",
        )
        self.edit(bundle, "classes.csv", "7:P3", "7:P9")
        err = io.StringIO()

        with self.assertRaises(CommandError) as raised:
            call_command("import_roster", str(bundle), stderr=err)

        assert str(raised.exception) == "Rejected: 2 problems, nothing changed."
        assert err.getvalue().splitlines() == [
            'classes.csv:5:periods: no period "P9" (not in periods.csv nor in Conduct)',
            'demographics.csv:2:metadata.uk.senStatus: "Q" is not an SEN status (N, K or E)',
        ]
        assert not Student.objects.filter(upn="H801200001002").exists()

    def test_it_checks_only_with_dry_run(self):
        out = io.StringIO()

        call_command("import_roster", str(self.bundle("oneroster11")), "--dry-run", stdout=out)

        assert "checked (dry run, nothing changed)" in out.getvalue()
        assert not Student.objects.filter(upn="H801200001002").exists()
