"""The roster import with OneRoster bundles as real MIS exports write them: a bundle written to
the standard alone, free-text org identifiers, repeated ids, rows to be deleted, and the quirks
of files made by different systems (docs/import.md). Periods with no day: test_import_periods."""

import datetime as dt

from school.models import (
    AcademicYear,
    Department,
    Enrolment,
    Form,
    Guardian,
    HalfTerm,
    School,
    Staff,
    Student,
    StudentGuardian,
    Subject,
    TeachingClass,
    TimetableSlot,
)
from tests.base import make_calendar_and_timetable
from tests.test_import_oneroster import BundleTestCase
from tests.test_import_periods import periods_notice


class RepeatedSourcedIdTest(BundleTestCase):
    def test_it_reports_two_enrolment_rows_with_one_sourced_id(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "enrollments.csv", "enr-6,", "enr-5,")

        result = self.run_import(bundle)

        assert result.status == "rejected"
        assert result.problems == [
            'enrollments.csv:7:sourcedId: duplicate sourcedId "enr-5" (also on row 6)'
        ]

    def test_it_reports_a_sourced_id_repeated_in_orgs_sessions_and_courses(self):
        bundle = self.bundle("oneroster11")
        self.edit(
            bundle,
            "orgs.csv",
            "org-dept-sc,",
            "org-dept-ma,,,Drama,department,DR,org-school\norg-dept-sc,",
        )
        self.edit(bundle, "academicSessions.csv", "as-aut2,", "as-aut1,")
        self.edit(
            bundle,
            "courses.csv",
            "crs-sc,",
            "crs-en,,,as-2627,Drama,DR,10,org-school,Drama,DR,EN\ncrs-sc,",
        )

        result = self.run_import(bundle)

        assert result.problems == [
            'academicSessions.csv:7:sourcedId: duplicate sourcedId "as-aut1" (also on row 6)',
            'courses.csv:4:sourcedId: duplicate sourcedId "crs-en" (also on row 3)',
            'orgs.csv:5:sourcedId: duplicate sourcedId "org-dept-ma" (also on row 3)',
        ]

    def test_it_reports_a_sourced_id_repeated_in_roles(self):
        make_calendar_and_timetable(self)  # the 1.2 bundle's periods
        bundle = self.bundle("oneroster12")
        self.edit(
            bundle,
            "roles.csv",
            "r-5,",
            "r-4,active,,u-t1,secondary,aide,2026-09-01,,"
            "9f1c2a10-0000-4000-8000-000000000001,\nr-5,",
        )

        result = self.run_import(bundle)

        assert result.problems == [
            'roles.csv:6:sourcedId: duplicate sourcedId "r-4" (also on row 5)'
        ]


class SchoolIdentifierTest(BundleTestCase):
    def import_with_identifier(self, identifier: str, folder: str = "oneroster11"):
        bundle = self.bundle(folder)
        self.edit(bundle, "orgs.csv", "school,136789,", f"school,{identifier},")
        return self.run_import(bundle)

    def test_it_reads_the_urn_out_of_free_text(self):
        result = self.import_with_identifier("URN 140123")

        assert (result.status, result.problems, result.notices) == ("applied", [], [])
        assert School.objects.get().urn == "140123"

    def test_it_keeps_the_urn_when_the_identifier_is_a_dfe_number(self):
        result = self.import_with_identifier("330/4127")

        assert (result.status, result.problems) == ("applied", [])
        assert result.notices == [
            'orgs.csv: the school\'s identifier "330/4127" (row 2) holds no URN (6 digits), so '
            "Conduct keeps the URN it has."
        ]
        assert School.objects.get().urn == "136789"

    def test_it_does_not_take_a_seven_digit_dfe_number_for_a_urn(self):
        result = self.import_with_identifier("3304127")

        assert result.status == "applied"
        assert len(result.notices) == 1
        assert School.objects.get().urn == "136789"

    def test_it_takes_a_blank_identifier_as_saying_nothing(self):
        result = self.import_with_identifier("")

        assert (result.status, result.problems, result.notices) == ("applied", [], [])
        assert School.objects.get().urn == "136789"

    def test_it_reads_the_urn_in_a_12_bundle(self):
        make_calendar_and_timetable(self)
        result = self.import_with_identifier('"DfE 330/4127, URN 140123"', "oneroster12")

        assert (result.status, result.problems, result.notices) == ("applied", [], [])
        assert School.objects.get().urn == "140123"


class ExportQuirksTest(BundleTestCase):
    """What real exports carry, in both versions: blank status and dateLastModified, grades with
    and without a leading zero or as a list, a byte-order mark on some files and not others,
    Windows line ends, names with apostrophes, accents and commas."""

    def as_windows_writes_it(self, folder, name: str, *, bom: bool) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))

    def test_it_reads_a_11_bundle_as_real_exports_write_it(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "users.csv", ",Jayden,Walsh,", ',Jayden,"Walsh, Jr",')
        self.edit(bundle, "users.csv", ",Amelia,Costa,", ",Zoë,D'Costa,")
        self.edit(
            bundle,
            "users.csv",
            'A123456789012,,,,"par-2001,par-2002",09,',
            ('A123456789012,,,,"par-2001,par-2002",9,'),
        )
        self.edit(
            bundle,
            "users.csv",
            "H801200001002,,,,par-2003,09,",
            ('H801200001002,,,,par-2003,"09,10",'),
        )
        self.edit(bundle, "classes.csv", "Year 9 Maths set 1,09,", "Year 9 Maths set 1,9,")
        self.edit(
            bundle, "classes.csv", "Year 9 English set 1,09,", 'Year 9 English set 1,"09,10",'
        )
        self.as_windows_writes_it(bundle, "users.csv", bom=True)
        self.as_windows_writes_it(bundle, "classes.csv", bom=False)
        self.as_windows_writes_it(bundle, "enrollments.csv", bom=True)

        result = self.run_import(self.zipped(bundle))

        assert (result.status, result.problems, result.notices) == ("applied", [], [])
        jayden = Student.objects.get(upn="A123456789012")
        assert (jayden.legal_first_name, jayden.legal_last_name) == ("Jayden", "Walsh, Jr")
        assert jayden.year_group.number == 9
        zoe = Student.objects.get(upn="H801200001002")
        assert (zoe.legal_first_name, zoe.legal_last_name) == ("Zoë", "D'Costa")
        assert zoe.year_group.number == 9  # the first of her grades
        assert Student.objects.get(upn="H801200001005").legal_last_name == "O'Brien"
        assert TeachingClass.objects.get(code="9X/Ma1").year_group.number == 9
        assert TeachingClass.objects.get(code="9X/En1").year_group is None  # years 9 and 10
        assert Enrolment.objects.count() == 7

    def test_it_counts_rows_of_a_windows_file_with_a_byte_order_mark(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "users.csv", "H801200001002", "H80120001002")
        self.as_windows_writes_it(bundle, "users.csv", bom=True)

        result = self.run_import(bundle)

        assert result.problems == [
            'users.csv:3:identifier: "H80120001002" is not a UPN (one letter and 12 digits)'
        ]

    def test_it_reads_a_12_bundle_as_real_exports_write_it(self):
        make_calendar_and_timetable(self)
        bundle = self.bundle("oneroster12")
        for name in ("users.csv", "classes.csv", "enrollments.csv", "roles.csv", "orgs.csv"):
            path = bundle / name
            path.write_text(
                path.read_text(encoding="utf-8").replace(
                    ",active,2026-09-01T08:00:00.000Z,", ",,,"
                ),
                encoding="utf-8",
            )
        self.edit(bundle, "users.csv", ",Thanh,Nguyen,", ',"Thanh, Jr",O\'Neill,')
        self.edit(bundle, "users.csv", ",Ella-May,Brown,", ",Zoë,Brown,")
        self.edit(bundle, "users.csv", "H801200002001,,,,,08,", "H801200002001,,,,,8,")
        self.edit(bundle, "classes.csv", "Year 8 History,08,", 'Year 8 History,"08,09",')
        self.as_windows_writes_it(bundle, "users.csv", bom=False)
        self.as_windows_writes_it(bundle, "roles.csv", bom=True)
        self.as_windows_writes_it(bundle, "demographics.csv", bom=True)

        result = self.run_import(self.zipped(bundle))

        assert (result.status, result.problems, result.notices) == ("applied", [], [])
        tom = Student.objects.get(upn="H801200002001")
        assert (tom.legal_first_name, tom.legal_last_name, tom.first_name) == (
            "Thanh, Jr",
            "O'Neill",
            "Tom",
        )
        assert tom.year_group.number == 8
        assert Student.objects.get(upn="H801200002002").legal_first_name == "Zoë"
        assert TeachingClass.objects.get(code="8X/Hi1").year_group is None
        assert Staff.objects.get(staff_code="GWI").department.code == "HU"


class ToBeDeletedTest(BundleTestCase):
    """`status` = `tobedeleted`: the row is leaving, so it is as if it were not there, and rows
    that still refer to it are not problems."""

    def test_it_empties_a_class_to_be_deleted_whose_enrolments_are_still_listed(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.edit(bundle, "classes.csv", "cls-10sc1,,", "cls-10sc1,tobedeleted,")

        result = self.run_import(bundle)

        assert (result.status, result.problems) == ("applied", [])
        assert result.counts["classes"]["left"] == 1
        science = TeachingClass.objects.get(code="10Y/Sc1")
        assert not science.enrolments.exists() and not science.slots.exists()

    def test_it_ignores_a_homeroom_to_be_deleted_and_its_enrolments(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "classes.csv", "cls-10r,,", "cls-10r,tobedeleted,")

        result = self.run_import(bundle)

        assert (result.status, result.problems) == ("applied", [])
        assert Student.objects.get(upn="H801200001004").form.code == "10R"  # metadata.uk.form

    def test_it_removes_an_enrolment_to_be_deleted(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.edit(bundle, "enrollments.csv", "enr-12,,", "enr-12,tobedeleted,")

        result = self.run_import(bundle)

        assert result.counts["enrolments"]["removed"] == 1
        assert (
            not TeachingClass.objects.get(code="9X/Ma1")
            .students.filter(upn="H801200001003")
            .exists()
        )

    def test_it_marks_a_12_student_to_be_deleted_left_with_rows_still_naming_them(self):
        make_calendar_and_timetable(self)
        bundle = self.bundle("oneroster12")
        self.run_import(bundle)
        self.edit(bundle, "users.csv", "u-s2,active,", "u-s2,tobedeleted,")

        result = self.run_import(bundle)

        assert (result.status, result.problems) == ("applied", [])
        assert result.counts["students"]["left"] == 1
        assert not Student.objects.get(upn="H801200002002").on_roll

    def test_it_removes_a_12_enrolment_and_ignores_a_class_to_be_deleted(self):
        make_calendar_and_timetable(self)
        bundle = self.bundle("oneroster12")
        self.run_import(bundle)
        self.edit(bundle, "enrollments.csv", "e-6,active,", "e-6,tobedeleted,")
        self.edit(bundle, "classes.csv", "k-8c,active,", "k-8c,tobedeleted,")

        result = self.run_import(bundle)

        assert (result.status, result.problems) == ("applied", [])
        assert result.counts["enrolments"]["removed"] == 1
        assert list(
            TeachingClass.objects.get(code="8X/Hi1").students.values_list("upn", flat=True)
        ) == ["H801200002001"]

    def test_it_ignores_a_class_to_be_deleted_in_the_bundles_timetable(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "classes.csv", "cls-10sc1,,", "cls-10sc1,tobedeleted,")
        (bundle / "timetable.csv").write_text(
            "Class,Day,Period\n10Y/Sc1,Mon A,P9\n9X/Ma1,Mon A,P1\n", encoding="utf-8"
        )

        result = self.run_import(bundle)

        assert (result.status, result.problems) == ("applied", [])
        assert not TeachingClass.objects.filter(code="10Y/Sc1").exists()


class StandardBundleTest(BundleTestCase):
    """A OneRoster 1.1 bulk bundle written to the standard's CSV tables and nothing more: its
    exact headers, GUID sourcedIds, blank status and dateLastModified, ISO dates, no metadata
    columns, no periods.csv."""

    def test_it_imports_a_bundle_written_to_the_11_standard(self):
        result = self.run_import(self.zipped(self.bundle("oneroster11-standard")))

        assert result.problems == []
        assert (result.status, result.format) == ("applied", "OneRoster 1.1")
        assert result.notices == [periods_notice("2 classes", "1,3", 3)]

        school = School.objects.get()
        assert (school.name, school.urn) == ("Kirkstall Valley School", "140123")
        year = AcademicYear.objects.get(name="2026/27")
        assert [t.kind for t in year.terms.all()] == ["autumn", "spring", "summer"]
        assert HalfTerm.objects.filter(term__academic_year=year).count() == 2
        assert Department.objects.get(code="MA").name == "Mathematics"
        assert set(Subject.objects.values_list("code", flat=True)) >= {"TUT", "MA", "EN"}

        staff = Staff.objects.filter(source_id__isnull=False).exclude(source_id="")
        assert {(s.staff_code, s.last_name, s.is_active) for s in staff} == {
            ("NPA", "Patel", True),
            ("TOK", "O'Keefe", True),
            ("RBA", "Banks", True),
        }
        assert result.counts["students"]["created"] == 3
        ada = Student.objects.get(upn="K801200004001")
        assert ada.source_id == "624969c6-838f-4834-bd6e-9780e43375a0"
        assert (ada.legal_first_name, ada.legal_last_name, ada.gender) == ("Ada", "Okafor", "F")
        assert ada.date_of_birth == dt.date(2015, 2, 14)
        assert (ada.year_group.number, ada.form.code) == (7, "7A")  # from her homeroom
        assert ada.ethnicity == "NOBT" and ada.sen_status == "N"  # no UK metadata given
        form = Form.objects.get(code="7A")
        assert (form.tutor.staff_code, form.room.code, form.year_group.number) == ("TOK", "T7", 7)

        magda = Guardian.objects.get(last_name="Nowak")
        assert set(magda.students.values_list("upn", flat=True)) == {
            "K801200004002",
            "K801200004003",
        }
        link = StudentGuardian.objects.get(guardian__last_name="Okafor")
        assert (link.student, link.relationship, link.parental_responsibility) == (
            ada,
            "other",
            True,
        )

        maths = TeachingClass.objects.get(code="7X/Ma1")
        assert (maths.name, maths.subject.code, maths.year_group.number) == (
            "Year 7 Maths set 1",
            "MA",
            7,
        )
        assert {(t.staff.staff_code, t.is_main) for t in maths.teacher_links.all()} == {
            ("NPA", True),
            ("TOK", False),
        }
        assert maths.students.count() == 3
        english = TeachingClass.objects.get(code="7X/En1")
        assert list(english.teachers.values_list("staff_code", flat=True)) == ["TOK"]
        assert english.students.count() == 2  # the administrator's enrolment is not a class's
        assert not TimetableSlot.objects.exists()  # the standard's periods name no day
        assert not TeachingClass.objects.filter(code="7A").exists()

    def test_it_reports_everything_unchanged_when_imported_again(self):
        bundle = self.bundle("oneroster11-standard")
        self.run_import(bundle)

        result = self.run_import(bundle)

        assert result.status == "applied"
        for entity, counts in result.counts.items():
            assert counts["created"] == counts["updated"] == 0, entity
            assert counts.get("left", 0) == counts.get("removed", 0) == 0, entity
