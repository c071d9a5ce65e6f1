"""Data protection in a real browser (issue 13), at laptop and phone width: the DSL compiles a
subject access request from the student's page and downloads the zip; the data manager
corrects a student's name and sees the correction kept with the record."""

import io
import json
import os
import zipfile
from pathlib import Path

from tests.browser import PHONE, BrowserTestCase

LAPTOP_1280 = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-dp"))


class PrivacyInTheBrowserTest(BrowserTestCase):
    def shoot(self, page, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def look(self, page, path, name):
        page.set_viewport_size(LAPTOP_1280)
        self.visit(page, path)
        self.shoot(page, f"{name}-1280")
        page.set_viewport_size(PHONE)
        page.reload()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        self.shoot(page, f"{name}-390")
        page.set_viewport_size(LAPTOP_1280)

    def test_the_dsl_downloads_a_subject_access_request(self):
        page = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(page, self.dana)
        self.visit(page, f"/students/{self.student.pk}/")
        page.get_by_role("link", name="Subject access request").click()
        page.wait_for_load_state()
        self.look(page, f"/students/{self.student.pk}/subject-access/", "subject-access")
        page.get_by_label("The request's reference or date received").fill("Letter 20 Nov")
        page.get_by_label("How the requester's identity").fill("Mother, in person, known")
        page.get_by_label("I will check every name marked for redaction").check()
        with page.expect_download() as download:
            page.get_by_role("button", name="Compile and download").click()
        saved = download.value
        self.assertRegex(saved.suggested_filename, r"^subject-access-A123456789012-.*\.zip$")
        archive = zipfile.ZipFile(io.BytesIO(Path(saved.path()).read_bytes()))
        data = json.loads(archive.read("subject-access.json"))
        self.assertEqual(data["student"]["legal_last_name"], "Walsh")
        self.assertIn("child_protection", data["levels_released"])

    def test_the_data_manager_corrects_a_name(self):
        page = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(page, self.fay)
        self.visit(page, f"/students/{self.student.pk}/")
        page.get_by_role("link", name="Correct this record").click()
        page.wait_for_load_state()
        page.get_by_label("What to correct").select_option("preferred_first_name")
        page.get_by_label("The corrected text").fill("Jay")
        page.get_by_label("Why it is corrected").fill("The family asked for the name he uses")
        page.get_by_role("button", name="Save the correction").click()
        page.wait_for_load_state()
        self.assertIn("The family asked for the name he uses", page.content())
        self.look(page, f"/corrections/student/{self.student.pk}/", "record-correct")
        self.look(page, f"/students/{self.student.pk}/", "student-with-correction")

    def test_slt_corrects_an_exit_interviews_targets(self):
        import datetime as dt

        from pastoral.models import Interview
        from sanctions.models import Placement
        from tests.sanctions_fixtures import make_provision_rooms

        make_provision_rooms(self)
        placement = Placement.objects.create(
            student=self.student,
            provision=self.ie,
            planned_days=1,
            starts_on=dt.date(2026, 11, 26),
            ends_on=dt.date(2026, 11, 26),
            booked_by=self.bob,
        )
        Interview.objects.create(
            placement=placement,
            kind=Interview.Kind.EXIT,
            due_on=dt.date(2026, 11, 26),
            status=Interview.Status.DONE,
            conducted_by=self.bob,
            targets="Sit at the front in maths.",
        )
        page = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(page, self.evan)
        self.visit(page, f"/placements/{placement.pk}/exit-interview/")
        page.get_by_role("link", name="Correct this record").click()
        page.wait_for_load_state()
        page.get_by_label("What to correct").select_option("targets")
        page.get_by_label("The corrected text").fill("Sit at the front in science.")
        page.get_by_label("Why it is corrected").fill("The subject was written wrongly")
        page.get_by_role("button", name="Save the correction").click()
        page.wait_for_load_state()
        self.look(page, f"/placements/{placement.pk}/exit-interview/", "exit-interview-corrected")
        self.assertIn("The subject was written wrongly", page.content())
        self.assertIn("Sit at the front in science.", page.content())
