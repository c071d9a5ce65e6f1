"""The roster import's guards (docs/import.md "Limits" and "Leavers"): an import that would take
much of the school off roll is refused unless confirmed, files are read within limits, and
every run that fails is still recorded with a clear problem."""

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from audit.models import AuditEvent
from school.importers import files
from school.importers.files import ImportFailed, Limits, read_source
from school.models import ImportRun, Staff, Student
from school.services import roster_import
from tests.base import ConductTestCase, make_student
from tests.test_import_csv import STUDENTS_HEADER
from tests.test_import_oneroster import snapshot

URL = "/import/"
ROW = "{upn},Walsh,Jayden,,14/03/2012,M,9,9B,N,N,Y,N,WBRI,N,01/09/2023\n"


def upns(count: int, start: int = 0) -> list[str]:
    return [f"H{800000000000 + start + i:012d}" for i in range(count)]


class TempFolderTestCase(ConductTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.tmp / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def students_csv(self, numbers: list[str]) -> Path:
        return self.write(
            "students.csv", STUDENTS_HEADER + "".join(ROW.format(upn=u) for u in numbers)
        )

    def zip_of(self, name: str, members: dict[str, bytes]) -> Path:
        path = self.tmp / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members.items():
                archive.writestr(member, data)
        return path


class LeaversGuardTest(TempFolderTestCase):
    """The test school has one student on roll and ten active staff (tests.base)."""

    def setUp(self):
        super().setUp()
        # Twenty students on roll, as an MIS import made them.
        self.on_roll = upns(20)
        for upn in self.on_roll[1:]:
            make_student(upn=upn, form=self.form)
        Student.objects.filter(pk=self.student.pk).update(upn=self.on_roll[0])

    def test_it_refuses_a_students_file_with_only_its_header(self):
        before = snapshot()

        result = roster_import(path=self.write("students.csv", STUDENTS_HEADER), by=self.fay)

        assert result.status == ImportRun.Status.REJECTED
        assert result.problems == [
            "students.csv:-:-: this import would mark 20 of the 20 students on roll (100%) as "
            "left, more than the 10% an import may without confirmation. If they really have "
            "left, tick “Yes, mark them as left” and import again (--confirm-leavers on the "
            "command line); if not, the file is incomplete: export it again from the MIS"
        ]
        assert snapshot() == before
        assert Student.objects.filter(left_on=None).count() == 20
        run = ImportRun.objects.get()
        assert run.status == ImportRun.Status.REJECTED
        assert run.problems == result.problems

    def test_it_reports_it_on_a_check_only_run_too(self):
        result = roster_import(
            path=self.write("students.csv", STUDENTS_HEADER), by=self.fay, dry_run=True
        )

        assert result.status == ImportRun.Status.REJECTED
        assert "would mark 20 of the 20 students on roll (100%) as left" in result.problems[0]

    def test_it_lets_a_few_leave_without_confirmation(self):
        result = roster_import(path=self.students_csv(self.on_roll[:18]), by=self.fay)

        assert result.status == ImportRun.Status.APPLIED
        assert result.counts["students"]["left"] == 2  # 10%: not more than the share
        assert result.leavers_confirmed == []

    def test_it_refuses_one_more_than_the_share(self):
        result = roster_import(path=self.students_csv(self.on_roll[:17]), by=self.fay)

        assert result.status == ImportRun.Status.REJECTED
        assert "3 of the 20 students on roll (15%)" in result.problems[0]

    @override_settings(ROSTER_LEAVERS_MAX_PERCENT=20)
    def test_it_takes_the_share_from_the_settings(self):
        result = roster_import(path=self.students_csv(self.on_roll[:17]), by=self.fay)

        assert result.status == ImportRun.Status.APPLIED
        assert result.counts["students"]["left"] == 3

    def test_it_applies_when_confirmed_and_audits_the_confirmation(self):
        result = roster_import(
            path=self.write("students.csv", STUDENTS_HEADER), by=self.fay, confirm_leavers=True
        )

        assert result.status == ImportRun.Status.APPLIED
        assert Student.objects.filter(left_on=None).count() == 0
        assert result.leavers_confirmed == ["20 of the 20 students on roll (100%)"]
        run = ImportRun.objects.get()
        assert run.leavers_confirmed == ["20 of the 20 students on roll (100%)"]
        event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
        assert event.user == self.fay
        assert event.detail["confirm_leavers"] is True
        assert event.detail["leavers_confirmed"] == ["20 of the 20 students on roll (100%)"]

    def test_it_guards_staff_too(self):
        result = roster_import(path=self.write("staff.csv", "Staff Code,Forename,Surname\n"))

        assert result.status == ImportRun.Status.REJECTED
        assert "would mark 10 of the 10 active staff (100%) as left" in result.problems[0]
        assert Staff.objects.filter(is_active=True).count() == 10

    def test_the_command_refuses_without_confirm_leavers(self):
        path = self.write("students.csv", STUDENTS_HEADER)
        err = io.StringIO()

        with self.assertRaisesMessage(CommandError, "Rejected: 1 problem, nothing changed."):
            call_command("import_roster", str(path), stderr=err)

        assert "20 of the 20 students on roll (100%)" in err.getvalue()
        assert Student.objects.filter(left_on=None).count() == 20

    def test_the_command_applies_with_confirm_leavers(self):
        out = io.StringIO()

        call_command(
            "import_roster",
            str(self.write("students.csv", STUDENTS_HEADER)),
            "--confirm-leavers",
            stdout=out,
        )

        assert "Confirmed: marks 20 of the 20 students on roll (100%) as left" in out.getvalue()
        assert Student.objects.filter(left_on=None).count() == 0

    def test_the_page_asks_for_confirmation_then_applies(self):
        self.login(self.fay)
        header_only = STUDENTS_HEADER.encode()

        refused = self.client.post(
            URL, {"files": [SimpleUploadedFile("students.csv", header_only)]}
        )

        self.assertContains(refused, "Not imported: 1 problem, nothing changed")
        self.assertContains(refused, "would mark 20 of the 20 students on roll (100%) as left")
        self.assertContains(refused, "Yes, mark them as left")
        assert Student.objects.filter(left_on=None).count() == 20

        applied = self.client.post(
            URL,
            {
                "files": [SimpleUploadedFile("students.csv", header_only)],
                "confirm_leavers": "on",
            },
        )

        self.assertContains(
            applied, "As you confirmed, it marked as left: 20 of the 20 students on roll (100%)."
        )
        self.assertContains(applied, "(leavers confirmed: 20 of the 20 students on roll (100%))")
        assert Student.objects.filter(left_on=None).count() == 0


def bomb(path: Path, megabytes: int) -> Path:
    """A zip of one CSV of `megabytes` MB that compresses to almost nothing."""
    line = b"A123456789012,Walsh,Jayden,,14/03/2012,M,9,9B,N,N,Y,N,WBRI,N,01/09/2023\n"
    chunk = line * (1024 * 1024 // len(line))
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("students.csv", "w") as member,
    ):
        member.write(STUDENTS_HEADER.encode())
        for _ in range(megabytes):
            member.write(chunk)
    return path


class LimitsTest(TempFolderTestCase):
    def test_it_refuses_a_zip_whose_headers_say_it_is_too_big_without_opening_it(self):
        path = bomb(self.tmp / "roster.zip", 5)
        limits = Limits(max_bytes=1024 * 1024, max_rows=1000, max_field_chars=100)

        with mock.patch.object(zipfile.ZipFile, "open") as opened:
            result = roster_import(path=path, limits=limits)

        opened.assert_not_called()
        assert result.problems == [
            "roster.zip:-:-: it unpacks to 5.0 MB of CSV, more than the 1.0 MB one import reads "
            "(a roster is a few MB: is this the right file?)"
        ]
        assert ImportRun.objects.get().problems == result.problems

    def test_it_counts_bytes_while_reading_whatever_the_headers_say(self):
        path = bomb(self.tmp / "roster.zip", 5)
        limits = Limits(max_bytes=1024 * 1024, max_rows=10**9, max_field_chars=100)
        given = []
        real_read = files._Counted.readinto

        def readinto(stream, buffer):
            n = real_read(stream, buffer)
            given.append(n)
            return n

        # As if the zip's headers lied: the declared sizes pass, the bytes read do not.
        with (
            mock.patch.object(files._Reader, "check_declared"),
            mock.patch.object(files._Counted, "readinto", readinto),
            self.assertRaisesMessage(ImportFailed, "the files hold more than 1.0 MB of CSV"),
        ):
            read_source(path, limits)

        assert sum(given) < 1024 * 1024 + 128 * 1024  # stopped at the limit, not at 5 MB

    def test_it_refuses_a_zip_of_too_many_files_before_reading_its_index(self):
        path = self.zip_of("many.zip", {f"f{i}.txt": b"" for i in range(12)})

        with (
            mock.patch.object(files, "MAX_ZIP_MEMBERS", 10),
            mock.patch.object(zipfile.ZipFile, "__init__") as indexed,
        ):
            result = roster_import(path=path)

        indexed.assert_not_called()
        assert result.problems == [
            "many.zip:-:-: the zip holds more than 10 files: not a roster bundle"
        ]

    def test_it_refuses_more_rows_than_the_limit(self):
        limits = Limits(max_bytes=10**8, max_rows=5, max_field_chars=100)

        result = roster_import(path=self.students_csv(upns(8)), limits=limits)

        assert result.problems == [
            "students.csv:7:-: more than 5 rows in the files together, the most one import reads"
        ]

    def test_it_refuses_more_values_than_sixteen_a_row(self):
        limits = Limits(max_bytes=10**8, max_rows=2, max_field_chars=100)
        header = ",".join(f"c{i}" for i in range(40))
        row = ",".join("ab" for _ in range(45))  # the five past the header are not kept

        result = roster_import(path=self.write("wide.csv", f"{header}\n{row}\n"), limits=limits)

        assert result.problems == [
            "wide.csv:2:-: more than 32 values in the files together, the most one import reads"
        ]

    def test_it_keeps_no_values_past_the_last_header(self):
        table = files.parse_csv("staff.csv", b"Code,Surname\nABC,Smith,extra,more\n")

        assert table.rows[0].cells == ["ABC", "Smith"]

    def test_it_reports_a_field_too_long_by_file_row_and_column(self):
        long_name = "x" * 131_073
        path = self.students_csv(upns(2))
        text = path.read_text().replace("Walsh", long_name, 1)
        path.write_text(text)

        result = roster_import(path=path)

        assert result.problems == [
            "students.csv:2:Legal Surname: 131,073 characters, more than the 10,000 a field may "
            "hold"
        ]
        assert ImportRun.objects.get().status == ImportRun.Status.REJECTED

    def test_it_reports_a_line_too_long_to_read(self):
        path = self.write("students.csv", STUDENTS_HEADER + "x" * 1_500_000)

        result = roster_import(path=path)

        assert result.problems == [
            "students.csv:2:-: a line longer than 1,000,000 characters: not a roster file"
        ]

    def test_it_reports_a_quoted_field_running_over_many_lines(self):
        many_lines = '"' + ("y" * 1000 + "\n") * 1200
        path = self.write("students.csv", STUDENTS_HEADER + "A123456789012," + many_lines)

        result = roster_import(path=path)

        assert result.problems == [
            "students.csv:2:-: cannot be read as CSV: field larger than field limit (1000000)"
        ]

    def test_it_reports_a_damaged_zip(self):
        good = self.zip_of(
            "good.zip", {"students.csv": STUDENTS_HEADER.encode() * 200}
        ).read_bytes()
        damaged = bytearray(good)
        middle = len(STUDENTS_HEADER) // 2 + 40
        damaged[middle : middle + 8] = b"\x00\xff" * 4
        path = self.write("roster.zip", bytes(damaged))

        result = roster_import(path=path)

        assert len(result.problems) == 1
        assert result.problems[0].startswith(
            "roster.zip:-:-: the zip file is damaged at students.csv ("
        )
        assert result.problems[0].endswith("): make the zip again")

    def test_it_reports_a_utf16_file(self):
        path = self.write("students.csv", STUDENTS_HEADER.encode("utf-16"))

        result = roster_import(path=path)

        assert result.problems == [
            "students.csv:-:-: is UTF-16 text (Excel's “Unicode Text”): save it as “CSV UTF-8” "
            "or “CSV (Comma delimited)” and upload it again"
        ]

    def test_it_reports_a_file_that_is_not_text(self):
        path = self.write("students.csv", STUDENTS_HEADER.encode() + b"PK\x03\x04\x00\x00\x14\n")

        result = roster_import(path=path)

        assert result.problems == [
            "students.csv:2:-: holds a NUL character, so it is not CSV text: save it from the MIS "
            "or Excel as CSV"
        ]

    def test_it_still_reads_windows_1252_after_utf8_fails(self):
        path = self.write(
            "students.csv",
            (STUDENTS_HEADER + ROW.format(upn=upns(1)[0])).replace("Walsh", "Zoë").encode("cp1252"),
        )

        result = roster_import(path=path, confirm_leavers=True)

        assert result.problems == []
        assert Student.objects.get(upn=upns(1)[0]).legal_last_name == "Zoë"

    def test_it_records_a_run_that_failed_unexpectedly(self):
        with (
            mock.patch("school.services.parse_exports", side_effect=KeyError("bug")),
            self.assertLogs("school.services", "ERROR"),
        ):
            result = roster_import(path=self.students_csv(upns(1)), by=self.fay)

        assert result.problems == [
            "students.csv:-:-: the import stopped on an unexpected error (written to the server "
            "log); nothing changed"
        ]
        assert ImportRun.objects.get().status == ImportRun.Status.REJECTED
        assert AuditEvent.objects.get(action=AuditEvent.Action.IMPORT).detail["problems"] == 1


class FailedUploadsOnThePageTest(TempFolderTestCase):
    def post(self, name: str, data: bytes):
        self.login(self.fay)
        return self.client.post(URL, {"files": [SimpleUploadedFile(name, data)]})

    def assert_recorded(self, response, problem: str):
        assert response.status_code == 200
        self.assertContains(response, "Not imported: 1 problem, nothing changed")
        self.assertContains(response, problem)
        run = ImportRun.objects.get()
        assert run.status == ImportRun.Status.REJECTED
        assert problem in run.problems[0]

    def test_a_damaged_zip(self):
        data = bytearray(self.zip_of("r.zip", {"students.csv": b"UPN,DOB\n" * 500}).read_bytes())
        data[60:70] = b"\xff" * 10
        self.assert_recorded(self.post("roster.zip", bytes(data)), "the zip file is damaged")

    def test_a_field_over_131072_characters(self):
        data = (
            STUDENTS_HEADER + ROW.format(upn=upns(1)[0]).replace("Walsh", "w" * 131_073)
        ).encode()
        self.assert_recorded(
            self.post("students.csv", data),
            "students.csv:2:Legal Surname: 131,073 characters, more than the 10,000",
        )

    @override_settings(ROSTER_IMPORT_MAX_BYTES=1024 * 1024)
    def test_an_oversized_archive(self):
        data = bomb(self.tmp / "big.zip", 3).read_bytes()
        self.assert_recorded(
            self.post("roster.zip", data), "roster.zip:-:-: it unpacks to 3.0 MB of CSV"
        )

    def test_a_bad_encoding(self):
        self.assert_recorded(
            self.post("students.csv", STUDENTS_HEADER.encode("utf-16")), "is UTF-16 text"
        )
