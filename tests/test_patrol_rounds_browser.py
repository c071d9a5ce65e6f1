"""On phones, in chromium: a head of year puts a student on the watch list, the patrol officer
sees where the student is right now and records a drop-in, and the head of year reads it. Every
page is checked with axe-core; screenshots go to test-artifacts/screenshots/."""

import datetime as dt
from unittest import mock

from patrol.models import DropIn, Duty, WatchListEntry
from patrol.services import sent_out
from tests.base import TEN_FIFTEEN, WEDNESDAY, make_calendar_and_timetable
from tests.browser import LAPTOP, PHONE, BrowserTestCase


class WatchListInTheBrowserTest(BrowserTestCase):
    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        # The live server runs in a thread of this process: it reads the same patched clock.
        clock = mock.patch("conduct.lib.clock.now", return_value=TEN_FIFTEEN)
        clock.start()
        self.addCleanup(clock.stop)

    def test_it_takes_a_watched_student_from_pastoral_to_the_patrol_and_back(self):
        # The head of year, on a phone, adds the student.
        head = self.new_page(viewport=PHONE)
        self.sign_in(head, self.charlie)
        self.visit(head, "/patrol/watch-list/")
        head.get_by_label("Find the student").fill("Walsh")
        head.get_by_role("button", name="Find", exact=True).click()
        head.wait_for_load_state()
        self.assert_accessible(head)
        self.assertTrue(head.get_by_label("Jayden Walsh").is_checked())
        head.get_by_label("Why drop in").fill("Low mood since a family move; is he joining in?")
        self.screenshot(head, "watch-list-add-phone")
        head.get_by_role("button", name="Add to the watch list").click()
        head.wait_for_load_state()
        self.assert_accessible(head)
        self.assertIn("is on the watch list", head.locator(".messages").inner_text())
        entry = WatchListEntry.objects.get()
        self.assertEqual((entry.requested_by, entry.added_by), (self.charlie.staff, self.charlie))

        # The patrol officer sees where he is now, from the timetable, and drops in.
        patrol = self.new_page(viewport=PHONE)
        self.sign_in(patrol, self.bob)
        self.visit(patrol, "/patrol/?tab=watch")
        card = patrol.locator(".patrol-card", has_text="Jayden Walsh")
        self.assertEqual(
            card.locator(".where-now").text_content(), "Now: Period 2 · 9X/Ma1 in M4 · Ms A Teague"
        )
        self.screenshot(patrol, "patrol-watch-list-phone")
        card.get_by_role("link", name="Record a drop-in").click()
        patrol.wait_for_load_state()
        self.assert_accessible(patrol)
        patrol.get_by_label("4 – Working well").check()
        patrol.get_by_label("Note").fill("Working with a partner, answered a question")
        self.screenshot(patrol, "patrol-drop-in-phone")
        patrol.get_by_role("button", name="Save the drop-in").click()
        patrol.wait_for_load_state()
        self.assert_accessible(patrol)
        self.assertIn("Last drop-in: Wed 25 Nov 10:15 · 4 – Working well", card.inner_text())
        drop_in = DropIn.objects.get()
        self.assertEqual((drop_in.room, drop_in.by), (self.room, self.bob))

        # The head of year reads it.
        self.visit(head, "/patrol/watch-list/?mine=1")
        entry_panel = head.locator(".watch-entry", has_text="Jayden Walsh")
        text = entry_panel.inner_text()
        self.assertIn("4 – Working well", text)
        self.assertIn("Working with a partner, answered a question", text)
        self.assertIn("Mr B Patel", text)
        self.screenshot(head, "watch-list-drop-in-seen-phone")

    def test_it_shows_visits_to_make_and_the_rota_with_its_gap(self):
        sent_out.sent_out_log(
            by=self.alice,
            student=self.student,
            reason="Shouting across the room after two warnings",
            sent_to="corridor",
            teaching_class=self.maths_class,
            from_room=self.room,
            sent_at=TEN_FIFTEEN - dt.timedelta(minutes=6),
        )
        for code in ("P1", "P2", "P3", "P5"):
            Duty.objects.create(
                date=WEDNESDAY, period=self.periods[code], staff=self.bob.staff, kind="on_call"
            )
        patrol = self.new_page(viewport=PHONE)
        self.sign_in(patrol, self.bob)
        self.visit(patrol, "/patrol/")
        card = patrol.locator(".patrol-card", has_text="Jayden Walsh")
        self.assertIn("Corridor outside M4", card.inner_text())
        card.locator("summary").click()
        self.assert_accessible(patrol)
        self.screenshot(patrol, "patrol-visits-phone")
        card.get_by_role("button", name="Spoken to and returned to the lesson").click()
        patrol.wait_for_load_state()
        self.assertIn("No student waiting for a visit", patrol.locator("#visits").inner_text())

        patrol.set_viewport_size(LAPTOP)
        self.visit(patrol, "/patrol/rota/?week=2026-11-25")
        self.assertIn(
            "Wed 25 Nov, Period 4: Nobody on patrol", patrol.locator(".coverage").inner_text()
        )
        self.screenshot(patrol, "patrol-rota-laptop")

        # Every Remove button submits the one shared form to its own duty's address.
        patrol.get_by_role(
            "button", name="Remove Mr B Patel, Patrol / on-call, Wed 25 Nov Period 3"
        ).click()
        patrol.wait_for_load_state()
        self.assertIn(
            "Wed 25 Nov, Period 3: Nobody on patrol", patrol.locator(".coverage").inner_text()
        )
        self.assertEqual(
            sorted(Duty.objects.filter(date=WEDNESDAY).values_list("period__code", flat=True)),
            ["P1", "P2", "P5"],
        )
