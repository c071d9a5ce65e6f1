"""Restorative work in a real browser (issue 10), at 1280 and 390 px: the officer attaches a photo
of the paper reflection sheet to the entry interview and opens it; records the exit interview,
plans a restorative meeting from it and records the meeting; the meeting is on the student's
timeline. And the level of a room log note raised from the register."""

import datetime as dt
import os
import struct
import zlib
from pathlib import Path

from pastoral.models import Level, RestorativeMeeting
from sanctions.models import RoomLogEntry
from sanctions.services import placements
from sanctions.services import register as register_services
from tests.base import LONDON, WEDNESDAY, freeze_clock, make_calendar_and_timetable
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms
from tests.work_fixtures import temporary_media

LAPTOP_1280 = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("SHOTS_DIR", "/work/shots/restorative"))


def at(hh, mm, day=WEDNESDAY):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)


def small_png(width=60, height=40) -> bytes:
    """A real PNG (a grey sheet with a dark band), for the browser to show."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(
        b"\x00" + bytes([40 if 15 <= y < 25 else 220]) * 3 * width for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class RestorativeInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        temporary_media(self)
        make_calendar_and_timetable(self)
        make_provision_rooms(self)
        freeze_clock(self, at(8, 0))
        self.placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )
        freeze_clock(self, at(9, 10))

    def shoot(self, page, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def look(self, page, path, name):
        """Open the page at laptop and phone width, checked, with a screenshot of each."""
        page.set_viewport_size(LAPTOP_1280)
        self.visit(page, path)
        self.shoot(page, f"{name}-1280")
        page.set_viewport_size(PHONE)
        page.reload()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        self.shoot(page, f"{name}-390")
        page.set_viewport_size(LAPTOP_1280)

    def test_reflection_photo_then_a_restorative_meeting_planned_recorded_and_on_the_timeline(self):
        officer = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(officer, self.bob)
        entry = self.placement.interviews.get(kind="entry")

        # The photo of the paper reflection sheet, attached to the entry interview and opened.
        self.look(officer, f"/interviews/{entry.pk}/", "entry-interview")
        officer.get_by_label("Photo or scan of the sheet").set_input_files(
            {"name": "reflection.png", "mimeType": "image/png", "buffer": small_png()}
        )
        officer.get_by_role("button", name="Attach").click()
        officer.wait_for_load_state()
        self.assertIn(
            "Photo of the reflection sheet attached.", officer.locator("main").inner_text()
        )
        self.look(officer, f"/interviews/{entry.pk}/", "entry-interview-with-photo")
        with officer.context.expect_page() as opened:
            officer.get_by_role("link", name="Open the photo of Jayden's reflection sheet").click()
        photo = opened.value
        photo.wait_for_load_state()
        size = photo.evaluate(
            "() => { const i = document.querySelector('img'); "
            "return i ? [i.naturalWidth, i.naturalHeight] : null; }"
        )
        self.assertEqual(size, [60, 40])  # the browser shows the picture itself
        photo.screenshot(path=str(SHOTS / "reflection-photo-opened.png"))
        photo.close()

        # The exit interview, then a restorative meeting planned from it.
        self.look(officer, f"/placements/{self.placement.pk}/exit-interview/", "exit-interview")
        officer.get_by_label("What happened?").fill("I lost my temper with Ms Teague.")
        officer.get_by_label("Targets for the return").fill("Use the time-out card")
        officer.get_by_role("button", name="Record the exit interview").click()
        officer.wait_for_load_state()
        officer.get_by_role("link", name="Plan a restorative meeting").first.click()
        officer.wait_for_load_state()
        self.look(officer, officer.url.removeprefix(self.live_server_url), "restorative-new")
        officer.get_by_label("A member of staff who was affected").select_option(
            label="Ms A Teague"
        )
        officer.get_by_label("When").fill("2026-11-26T12:30")
        officer.get_by_label("Where").fill("Year 9 office")
        officer.get_by_label("Who facilitates").select_option(label="Ms C Hughes")
        officer.get_by_role("button", name="Plan the meeting").click()
        officer.wait_for_load_state()
        meeting = RestorativeMeeting.objects.get()
        self.assertEqual(meeting.placement, self.placement)
        self.look(officer, f"/restorative/{meeting.pk}/", "restorative-planned")

        # Recorded once held.
        officer.get_by_label("Who attended").fill("Jayden, Ms Teague, Ms Hughes (facilitator)")
        officer.get_by_label("What was said").fill("Jayden heard how the shouting felt.")
        officer.get_by_label("What was agreed").fill("Jayden apologised; a fresh start on Monday.")
        officer.get_by_label("Harm repaired: agreement reached").check()
        officer.get_by_role("button", name="Record the meeting").click()
        officer.wait_for_load_state()
        text = officer.locator("main").inner_text()
        self.assertIn("Restorative meeting recorded.", text)
        self.assertIn("Jayden apologised; a fresh start on Monday.", text)
        self.look(officer, f"/restorative/{meeting.pk}/", "restorative-held")

        # On the student's timeline, linked to the meeting.
        self.look(officer, f"/students/{self.student.pk}/", "student-timeline")
        timeline = officer.locator("main").inner_text()
        self.assertIn(
            "Restorative meeting with Ms A Teague: harm repaired: agreement reached", timeline
        )
        link = officer.locator(f'main a[href="/restorative/{meeting.pk}/"]')
        self.assertGreaterEqual(link.count(), 1)

    def test_the_level_of_a_room_log_note_is_raised_from_the_register(self):
        day = self.placement.days.get()
        register_services.room_log_add(
            placement_day=day,
            kind=RoomLogEntry.Kind.NOTE,
            at=dt.time(9, 5),
            note="Quiet, said home is hard",
            level=Level.STAFF,
            by=self.bob,
        )
        officer = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(officer, self.bob)
        self.look(officer, "/register/IE1/", "register-level-control")
        officer.locator(".level-raise summary").first.click()
        choices = officer.get_by_label("Raise the level of this note to")
        self.assertEqual(
            choices.locator("option").all_inner_texts(), ["Pastoral", "Child protection"]
        )
        choices.select_option(label="Pastoral")
        self.shoot(officer, "register-level-control-open")
        officer.get_by_role("button", name="Raise").first.click()
        officer.wait_for_load_state()
        self.assertIn("Level raised to pastoral.", officer.locator("main").inner_text())
        self.assert_accessible(officer)
        entry = RoomLogEntry.objects.get()
        self.assertEqual(entry.level, Level.PASTORAL)
        self.shoot(officer, "register-level-raised")
