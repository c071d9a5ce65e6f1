"""In a real browser, at laptop and phone width: the officer's home, the family letters list and
the referral form; a long email address stays inside a message's History panel; names on a
student's page are not broken mid-word."""

import datetime as dt
import os
from pathlib import Path

from notify import services as notify_services
from notify.models import Message
from sanctions.services import incidents, placements, referrals
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    freeze_clock,
    make_calendar_and_timetable,
    make_guardian,
    make_student,
)
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms

LAPTOP_1280 = {"width": 1280, "height": 900}
LONG_EMAIL = "kerry-anne.walsh-montgomery.family.account@northfield-parents-association.co.uk"
# Where a person looks at the screenshots (the harness also keeps its own copies).
SHOTS = Path(os.getenv("SHOTS_DIR", "/work/shots/letters"))

# Words of an element's text (runs without a space; a hyphen may end a line) that the browser
# laid out over more than one line: a word broken in the middle.
BROKEN_WORDS = r"""(element) => {
  const broken = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /[^\s-]+-?/g;
    for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


class LettersAndHomeInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self)
        freeze_clock(self, TEN_FIFTEEN)
        staff = self.alice.staff
        staff.last_name = "Featherstonehaugh"
        staff.save()
        self.guardian = make_guardian(self.student, email=LONG_EMAIL)
        self.mia = make_student(
            upn="B123456789012", first="Maximiliana", last="Oyelaran-Whitworth", form=self.form
        )
        make_guardian(self.mia, first_name="Sam", last_name="Whitworth", email="sam@example.com")
        # Mia in the room today, her family not told; Jayden tomorrow, his letter to check.
        placements.placement_book(
            student=self.mia, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )
        placements.placement_book(
            student=self.student,
            provision=self.ie,
            days=1,
            by=self.evan,
            start_on=WEDNESDAY + dt.timedelta(days=1),
        )
        # Booked without a referral, each draft asks for the reason; the officer words it.
        for draft in Message.objects.filter(status=Message.Status.DRAFT):
            notify_services.message_update(
                message=draft,
                subject=draft.subject,
                body=draft.body.replace("[missing: reason]", "of persistent disruption"),
                by=self.bob,
            )
        incident = incidents.incident_record(
            occurred_at=TEN_FIFTEEN,
            reason=self.refusal,
            description="Swore at a teacher",
            reported_by=self.alice.staff,
            by=self.alice,
            room=self.room,
            students=[(self.mia, "perpetrator")],
        )
        referrals.referral_create(
            student=self.mia, provision=self.ie, days=2, by=self.alice, incident=incident
        )

    def shoot(self, page, name):
        self.screenshot(page, name)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def test_a_long_email_address_stays_inside_the_history_panel_on_a_phone(self):
        message = Message.objects.get(student=self.student)
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, self.bob)
        self.visit(page, f"/messages/{message.pk}/")
        panel = page.locator("section", has=page.get_by_role("heading", name="History"))
        address = panel.locator("dd", has_text=LONG_EMAIL)
        inside = panel.bounding_box()
        box = address.bounding_box()
        self.assertLessEqual(box["x"] + box["width"], inside["x"] + inside["width"] + 0.5)
        self.shoot(page, "message-history-390")

    def test_names_on_a_students_page_are_not_broken_mid_word_on_a_phone(self):
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, self.bob)
        self.visit(page, f"/students/{self.student.pk}/")
        lessons = page.locator("section", has=page.get_by_role("heading", name="Lessons today"))
        for cell in lessons.locator("td").all():
            self.assertEqual(cell.evaluate(BROKEN_WORDS), [], cell.inner_text())
        self.shoot(page, "student-390")
        self.visit(page, f"/students/{self.mia.pk}/")
        for part in page.locator("main h1, .details dd, .timeline li").all():
            self.assertEqual(part.evaluate(BROKEN_WORDS), [], part.inner_text())

    def test_the_officers_home_the_letters_list_and_the_referral_form_at_both_widths(self):
        for width, viewport in (("1280", LAPTOP_1280), ("390", PHONE)):
            page = self.new_page(viewport=viewport)
            self.sign_in(page, self.bob)
            self.assertTrue(
                page.get_by_role("heading", name="Referrals waiting for someone else").is_visible()
            )
            self.assertTrue(
                page.get_by_role("heading", name="Family letters to check").is_visible()
            )
            self.shoot(page, f"home-officer-{width}")
            self.visit(page, "/messages/")
            self.assertTrue(
                page.get_by_role("heading", name="In a room today, family not told").is_visible()
            )
            self.shoot(page, f"letters-{width}")
            self.visit(page, f"/students/{self.student.pk}/refer/")
            page.get_by_role("button", name="Send referral").click()
            page.wait_for_load_state()
            self.assert_accessible(page)
            self.assert_fits_a_phone(page)
            self.shoot(page, f"referral-form-{width}")

    def test_the_officer_approves_and_sends_two_drafts_from_the_list(self):
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, self.bob)
        self.visit(page, "/messages/")
        for box in page.get_by_role("checkbox").all():
            box.check()
        page.get_by_role("button", name="Approve and send the ticked drafts").click()
        page.wait_for_load_state()
        self.assert_accessible(page)
        said = page.locator(".messages").inner_text()
        self.assertIn("Queued to send 2 emails or texts", said)  # the worker sends them
        self.assertFalse(Message.objects.filter(status=Message.Status.DRAFT).exists())
        self.shoot(page, "letters-after-sending-390")
