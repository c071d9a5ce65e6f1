"""The Import page: data managers upload a zip or CSV files, check or apply, see every problem."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from school.models import ImportRun, Student
from tests.base import ConductTestCase
from tests.browser import BrowserTestCase
from tests.test_import_oneroster import FIXTURES, snapshot

URL = "/import/"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def bundle_zip(folder: str, edits: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The fixture folder zipped, with `{file: (old, new)}` replaced in it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted((FIXTURES / folder).iterdir()):
            text = file.read_text(encoding="utf-8")
            if edits and file.name in edits:
                old, new = edits[file.name]
                assert old in text, f"{old!r} not in {file.name}"
                text = text.replace(old, new)
            archive.writestr(file.name, text)
    return buffer.getvalue()


def csv_uploads() -> list[SimpleUploadedFile]:
    return [upload(f.name, f.read_bytes()) for f in sorted((FIXTURES / "csv").iterdir())]


# The leavers guard is off here as in BundleTestCase (the test school's people are not in the
# fixtures); tests/test_import_limits.py proves it on the page.
@override_settings(ROSTER_LEAVERS_MAX_PERCENT=100)
class ImportPageTest(ConductTestCase):
    def test_it_is_at_the_wired_url(self):
        assert reverse("roster-import") == URL

    def test_it_forbids_everyone_but_the_data_manager(self):
        for person in (self.alice, self.bob, self.dana, self.evan, self.olive):
            self.login(person)
            assert self.client.get(URL).status_code == 403, person
            response = self.client.post(
                URL, {"files": [upload("x.zip", bundle_zip("oneroster11"))]}
            )
            assert response.status_code == 403, person
        assert not ImportRun.objects.exists()

    def test_it_sends_a_visitor_who_is_not_signed_in_to_sign_in(self):
        response = self.client.get(URL)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/login/" in response["Location"]

    def test_it_shows_the_upload_form_with_labels(self):
        self.login(self.fay)

        response = self.client.get(URL)

        assert response.status_code == 200
        self.assertContains(response, '<label for="id_files">Roster files</label>', html=True)
        self.assertContains(response, 'for="id_dry_run"')
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, "csrfmiddlewaretoken")
        self.assertContains(response, "No imports yet.")

    def test_it_imports_a_oneroster_zip_and_shows_the_counts(self):
        self.login(self.fay)

        response = self.client.post(
            URL, {"files": [upload("northfield.zip", bundle_zip("oneroster11"))]}
        )

        assert response.status_code == 200
        self.assertContains(response, "Imported")
        self.assertContains(response, "OneRoster 1.1, northfield.zip.")
        self.assertContains(
            response,
            '<tr><th scope="row">Students</th><td class="num">4</td><td class="num">1</td>'
            '<td class="num">0</td><td class="num">0</td></tr>',
            html=True,
        )
        assert Student.objects.filter(upn="H801200001002").exists()
        run = ImportRun.objects.get()
        assert (run.started_by, run.status, run.source_name) == (
            self.fay,
            "applied",
            "northfield.zip",
        )
        event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
        assert event.user == self.fay
        assert event.ip_address == "127.0.0.1"

    def test_it_imports_several_csv_files_uploaded_at_once(self):
        self.login(self.fay)

        response = self.client.post(URL, {"files": csv_uploads()})

        self.assertContains(response, "CSV exports, enrolments.csv, guardians.csv, periods.csv")
        assert Student.objects.get(upn="H801200003001").legal_first_name == "Zoë"

    def test_it_shows_every_problem_and_changes_nothing(self):
        self.login(self.fay)
        uploads = csv_uploads()
        students = next(u for u in uploads if u.name == "students.csv")
        data = students.read().decode("utf-8-sig").replace("07/08/2012", "31/02/2012")
        data = data.replace("H801200003003,Lewis", "H8012000003,Lewis")
        uploads[uploads.index(students)] = upload("students.csv", data.encode())
        before = snapshot()

        response = self.client.post(URL, {"files": uploads})

        self.assertContains(response, "Not imported: 5 problems, nothing changed")
        self.assertContains(
            response,
            "<li>students.csv:4:DOB: &quot;31/02/2012&quot; is not a date "
            "(dd/mm/yyyy or yyyy-mm-dd)</li>",
            html=True,
        )
        self.assertContains(response, "students.csv:5:UPN: &quot;H8012000003&quot; is not a UPN")
        assert snapshot() == before
        assert ImportRun.objects.get().status == "rejected"
        self.assertContains(response, "Rejected – nothing changed (5 problems)")

    def test_it_shows_a_notice_that_did_not_stop_the_import(self):
        self.login(self.fay)
        standard_periods = {"classes.csv": ('"1:P2,3:P2,6:P1@M5"', '"1,3"')}

        response = self.client.post(
            URL, {"files": [upload("northfield.zip", bundle_zip("oneroster11", standard_periods))]}
        )

        self.assertContains(response, "Imported")
        self.assertContains(response, "Worth knowing")
        self.assertContains(
            response,
            "<li>classes.csv: periods name no cycle day in 1 class (the first: "
            "&quot;1,3&quot; on row 4), as the OneRoster standard writes them: those periods are "
            "not placed in the timetable, and a class with none placed keeps the slots Conduct "
            "already has for it. Write a period as &lt;cycle day&gt;:&lt;period&gt; (e.g. 1:P2), "
            "or add timetable.csv to the bundle, to place it.</li>",
            html=True,
        )
        assert ImportRun.objects.get().notices == [
            response.context["result"].notices[0],
        ]
        self.assertContains(self.client.get(URL), "Applied (1 notice)")

    def test_it_checks_only_when_asked_and_changes_nothing(self):
        self.login(self.fay)
        before = snapshot()

        response = self.client.post(
            URL, {"files": [upload("roster.zip", bundle_zip("oneroster11"))], "dry_run": "on"}
        )

        self.assertContains(response, "Checked: nothing was changed")
        self.assertContains(response, "This is what the import would do.")
        assert snapshot() == before
        assert ImportRun.objects.get().status == "checked"

    def test_it_refuses_a_zip_with_other_files(self):
        self.login(self.fay)

        response = self.client.post(
            URL,
            {"files": [upload("roster.zip", bundle_zip("oneroster11")), *csv_uploads()]},
        )

        self.assertContains(response, "Upload one .zip on its own, or .csv files without a zip.")
        assert not ImportRun.objects.exists()

    def test_it_refuses_other_kinds_of_file(self):
        self.login(self.fay)

        response = self.client.post(URL, {"files": [upload("roster.xlsx", b"PK")]})

        self.assertContains(response, "Upload .zip or .csv files only.")

    def test_it_reports_a_file_that_is_not_a_zip(self):
        self.login(self.fay)

        response = self.client.post(URL, {"files": [upload("roster.zip", b"not a zip")]})

        self.assertContains(response, "roster.zip:-:-: not a readable zip file")

    def test_it_lists_recent_imports(self):
        self.login(self.fay)
        self.client.post(URL, {"files": [upload("first.zip", bundle_zip("oneroster11"))]})

        response = self.client.get(URL)

        self.assertContains(response, "first.zip")
        self.assertContains(response, "Fay Morgan")
        self.assertContains(response, "Applied")


@pytest.mark.browser
@override_settings(ROSTER_LEAVERS_MAX_PERCENT=100)
class ImportPageInTheBrowserTest(BrowserTestCase):
    def test_it_uploads_files_and_shows_problems_accessibly(self):
        page = self.new_page()
        self.sign_in(page, self.fay)
        self.visit(page, URL)
        bad = (FIXTURES / "csv" / "students.csv").read_bytes().replace(b"07/08/2012", b"31/02/2012")

        page.get_by_label("Roster files").set_input_files(
            [{"name": "students.csv", "mimeType": "text/csv", "buffer": bad}]
        )
        page.get_by_label("Check only").check()
        page.get_by_role("button", name="Import").click()
        page.wait_for_load_state()

        self.assert_accessible(page)
        problems = page.get_by_role("list", name="Problems")
        assert "students.csv:4:DOB:" in problems.inner_text()
        self.screenshot(page, "import-problems")

        page.get_by_label("Roster files").set_input_files(str(FIXTURES / "csv" / "students.csv"))
        page.get_by_role("button", name="Import").click()
        page.wait_for_load_state()

        self.assert_accessible(page)
        assert page.get_by_role("heading", name="Imported").is_visible()
        assert page.get_by_role("row", name="Students 3 1 0 0").is_visible()
        self.screenshot(page, "import-applied")
