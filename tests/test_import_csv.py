"""The roster import from plain CSV exports (SIMS-style reports; docs/import.md)."""

import datetime as dt

from django.utils import timezone

from school.importers.cells import parse_cycle_day
from school.models import (
    ClassTeacher,
    Department,
    Form,
    Guardian,
    ImportRun,
    Period,
    Staff,
    Student,
    StudentGuardian,
    Subject,
    TeachingClass,
)
from tests.test_import_oneroster import BundleTestCase, snapshot

STUDENTS_HEADER = (
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,Reg Group,SEN Status,"
    "FSM,PP,EAL,Ethnicity,In Care,Admission Date\n"
)


class CsvExportsTest(BundleTestCase):
    def write(self, name: str, text: str, encoding: str = "utf-8"):
        folder = self.tmp / "single"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_bytes(text.encode(encoding))
        return path

    def test_it_imports_a_folder_of_exports(self):
        result = self.run_import(self.bundle("csv"))

        assert result.problems == []
        assert result.format == "CSV exports"
        assert result.counts["students"] == {"created": 3, "updated": 1, "unchanged": 0, "left": 0}
        assert result.counts["guardians"]["created"] == 4
        assert result.counts["guardian_links"]["created"] == 5
        assert result.counts["timetable_slots"]["created"] == 6
        assert result.counts["enrolments"]["created"] == 6

        jayden = Student.objects.get(upn="A123456789012")
        assert jayden.pk == self.student.pk
        assert jayden.admitted_on == dt.date(2023, 9, 1)
        assert jayden.pupil_premium
        yusuf = Student.objects.get(upn="H801200003002")
        assert yusuf.year_group.number == 9  # "Year 9"
        assert (yusuf.ethnicity, yusuf.eal) == ("APKN", True)
        ffion = Student.objects.get(upn="H801200003003")
        assert (ffion.gender, ffion.sen_status, ffion.looked_after, ffion.fsm) == (
            "F",
            "E",
            True,
            True,
        )
        assert ffion.form.code == "10R"
        assert Form.objects.get(code="10R").tutor.staff_code == "KAD"
        assert Form.objects.get(code="9B").tutor.staff_code == "SJO"

        sarah = Staff.objects.get(staff_code="SJO")
        assert (sarah.title, sarah.job_title, sarah.department.code) == (
            "Mrs",
            "Head of English",
            "EN",
        )
        assert Department.objects.get(code="EN").name == "EN"  # named as its code
        assert Department.objects.get(code="MA").name == "Mathematics"  # kept

        maths = TeachingClass.objects.get(code="9X/Ma1")
        slots = {
            (s.cycle_day, s.period.code, s.room.code, s.staff.staff_code) for s in maths.slots.all()
        }
        assert slots == {(1, "P2", "M4", "RHU"), (3, "P2", "M4", "RHU"), (6, "P1", "M5", "SJO")}
        teachers = ClassTeacher.objects.filter(teaching_class=maths)
        assert {(t.staff.staff_code, t.is_main) for t in teachers} == {
            ("RHU", True),
            ("SJO", False),
        }
        assert maths.subject.code == "MA"
        english = TeachingClass.objects.get(code="9X/En1")
        assert english.subject.name == "English"
        assert sorted(english.slots.values_list("cycle_day", flat=True)) == [2, 7]
        assert set(english.students.values_list("upn", flat=True)) == {
            "A123456789012",
            "H801200003002",
        }
        assert Period.objects.get(code="P3").starts_at == dt.time(11, 20)

        nadia = Guardian.objects.get(source_id="C-5003")
        links = {
            (link.student.upn, link.relationship, link.parental_responsibility, link.priority)
            for link in nadia.student_links.all()
        }
        assert links == {
            ("H801200003002", "mother", True, 1),
            ("H801200003003", "aunt_uncle", False, 2),
        }
        assert nadia.address == "18 Café Row, Leeds"
        assert nadia.preferred_channel == "sms"
        dafydd = Guardian.objects.get(source_id="C-5002")
        assert (dafydd.home_phone, dafydd.preferred_channel) == ("029 2049 0302", "sms")

    def test_it_reads_windows_1252_and_utf8_with_a_byte_order_mark(self):
        self.run_import(self.bundle("csv"))

        # students.csv is UTF-8 with a BOM; guardians.csv is Windows-1252.
        zoe = Student.objects.get(upn="H801200003001")
        assert (zoe.legal_first_name, zoe.preferred_first_name) == ("Zoë", "Zoe")
        sian = Guardian.objects.get(source_id="C-5001")
        assert (sian.first_name, sian.address) == ("Siân", "3 Heol y Nant, Cardiff")
        assert Guardian.objects.get(source_id="C-5004").first_name == "Zoë"

    def test_it_matches_headers_by_alias_ignoring_case_spaces_and_punctuation(self):
        path = self.write(
            "pupils.csv",
            "unique_pupil_number,SURNAME,first-name,Date Of Birth,sex,NC Year,REGISTRATION GROUP,"
            "sen,Free School Meals\n"
            "H801200004001,Nowak,Kacper,2012-09-09,Male,Y9,9B,k,TRUE\n",
        )

        result = self.run_import(path)

        assert result.problems == []
        kacper = Student.objects.get(upn="H801200004001")
        assert (kacper.legal_last_name, kacper.legal_first_name) == ("Nowak", "Kacper")
        assert (kacper.gender, kacper.sen_status, kacper.fsm) == ("M", "K", True)
        assert kacper.form == self.form

    def test_it_recognises_a_file_by_its_headers(self):
        path = self.write(
            "Report 2026-09-14.csv",
            "Staff Code,Forename,Surname,Email\nRHU,Rhys,Hughes,rhys.hughes@northfield.example\n",
        )

        result = self.run_import(path)

        assert result.problems == []
        assert Staff.objects.get(staff_code="RHU").email == "rhys.hughes@northfield.example"
        # A staff file states staff, never students.
        assert result.counts["students"]["left"] == 0
        assert Student.objects.get(pk=self.student.pk).on_roll

    def test_it_rejects_everything_and_lists_every_problem(self):
        folder = self.bundle("csv")
        students = (folder / "students.csv").read_text(encoding="utf-8-sig")
        students = students.replace("07/08/2012,M,Year 9,9B,N", "31/02/2012,M,Year 9,9B,Q")
        students = students.replace("H801200003003,Lewis", "H8012000003,Lewis")
        students = students.replace("WBRI,N,01/09/2023", "WB,N,01/09/2023")
        (folder / "students.csv").write_text(students, encoding="utf-8")
        self.edit(
            folder, "timetable.csv", "10Y/Sc1,SC,10,KAD,Thu A,P4", "10Y/Sc1,SC,10,XYZ,Thu C,P9"
        )
        self.edit(folder, "enrolments.csv", "9X/En1,H801200003002", "9X/Fr1,H801200003002")
        before = snapshot()

        result = self.run_import(folder)

        assert result.status == ImportRun.Status.REJECTED
        assert result.problems == [
            'enrolments.csv:6:Class Code: no class "9X/Fr1" in timetable.csv or Conduct',
            'enrolments.csv:7:Pupil UPN: no student with UPN "H801200003003" in students.csv '
            "or Conduct",
            'guardians.csv:5:Student UPN: no student with UPN "H801200003003" in students.csv '
            "or Conduct",
            'guardians.csv:6:Student UPN: no student with UPN "H801200003003" in students.csv '
            "or Conduct",
            'students.csv:2:Ethnicity: "WB" is not a DfE ethnicity code (e.g. WBRI, APKN, REFU, '
            "NOBT)",
            'students.csv:4:DOB: "31/02/2012" is not a date (dd/mm/yyyy or yyyy-mm-dd)',
            'students.csv:4:SEN Status: "Q" is not an SEN status (N, K or E)',
            'students.csv:5:UPN: "H8012000003" is not a UPN (one letter and 12 digits)',
            'timetable.csv:7:Day: "Thu C" is not a timetable day (1–10, or e.g. Mon A, Monday '
            "Week 2)",
            'timetable.csv:7:Period: no period "P9" (not in periods.csv nor in Conduct)',
            'timetable.csv:7:Teacher: no member of staff "XYZ" in staff.csv or Conduct',
        ]
        assert snapshot() == before

    def test_it_reports_a_missing_required_column_with_its_aliases(self):
        path = self.write("students.csv", "UPN,Surname,Forename,Gender,Year\n")

        result = self.run_import(path)

        assert result.problems == [
            "students.csv:1:DOB: missing column (also accepted: Date of Birth, Birth Date, "
            "Birthdate)"
        ]

    def test_it_reports_duplicate_identifiers(self):
        path = self.write(
            "students.csv",
            STUDENTS_HEADER
            + "H801200004001,Nowak,Kacper,,09/09/2012,M,9,9B,N,N,N,N,WOTH,N,\n"
            + "h801200004001,Nowak,Kasia,,09/09/2012,F,9,9B,N,N,N,N,WOTH,N,\n",
        )

        result = self.run_import(path)

        assert result.problems == [
            'students.csv:3:UPN: duplicate UPN "H801200004001" (also on row 2)'
        ]

    def test_it_marks_students_missing_from_the_students_file_left(self):
        folder = self.bundle("csv")
        self.run_import(folder)
        text = (folder / "students.csv").read_text(encoding="utf-8-sig")
        lines = [line for line in text.splitlines(True) if not line.startswith("H801200003002")]
        (folder / "students.csv").write_text("".join(lines), encoding="utf-8")
        self.drop_line(folder, "enrolments.csv", "9X/Ma1,H801200003002")
        self.drop_line(folder, "enrolments.csv", "9X/En1,H801200003002")
        guardians = (folder / "guardians.csv").read_bytes().decode("cp1252")
        guardians = "".join(
            line for line in guardians.splitlines(True) if "H801200003002" not in line
        )
        (folder / "guardians.csv").write_bytes(guardians.encode("cp1252"))

        result = self.run_import(folder)

        assert result.problems == []
        assert result.counts["students"]["left"] == 1
        assert result.counts["enrolments"]["removed"] == 2
        yusuf = Student.objects.get(upn="H801200003002")
        assert yusuf.left_on == timezone.localdate()
        # A student who has left keeps their guardian links: the record still says who was told.
        assert StudentGuardian.objects.filter(student=yusuf).count() == 1

    def test_it_reports_everything_unchanged_on_reimport(self):
        folder = self.bundle("csv")
        self.run_import(folder)
        before = snapshot()

        result = self.run_import(self.zipped(folder))

        assert result.status == "applied"
        assert all(
            c["created"] == c["updated"] == c.get("left", 0) == c.get("removed", 0) == 0
            for c in result.counts.values()
        ), result.counts
        assert snapshot() == before

    def test_it_changes_nothing_on_a_dry_run(self):
        before = snapshot()

        result = self.run_import(self.bundle("csv"), dry_run=True)

        assert result.status == "checked"
        assert result.counts["students"]["created"] == 3
        assert snapshot() == before

    def test_it_matches_a_timetable_subject_by_name(self):
        Subject.objects.create(code="EN", name="English")

        self.run_import(self.bundle("csv"))

        assert TeachingClass.objects.get(code="9X/En1").subject.code == "EN"
        assert not Subject.objects.filter(code="English").exists()

    def test_it_rejects_an_unrecognised_file(self):
        path = self.write("notes.csv", "Colour,Shape\nred,square\n")

        result = self.run_import(path)

        assert result.problems == [
            "notes.csv:-:-: not recognised: name it students.csv, guardians.csv, staff.csv, "
            "timetable.csv, enrolments.csv or periods.csv, or give it the documented headers"
        ]


def test_it_reads_the_timetable_days_schools_write():
    assert [
        parse_cycle_day(day)
        for day in ["1", "10", "Mon", "Mon A", "MonA", "monday week 2", "Tue B", "Wk2 Fri", "Fri 1"]
    ] == [1, 10, 1, 1, 1, 6, 7, 10, 5]
