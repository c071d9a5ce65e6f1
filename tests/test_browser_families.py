"""Telling families, meetings and interventions in a real browser (issue 11), at 1280 and 390 px:
a placement's family phoned and logged, and the "not told yet today" list; another family emailed
and the email received by an SMTP server on loopback; a mail server that hangs does not hold up
the approving page and the worker sends the message later, once; a meeting invited, held and
recorded with two interventions, whose review shows on the owner's home page; a third removal in
ten school days opens a review for the head of year and the SENCO."""

import datetime as dt
import os
import time
from pathlib import Path

from django.test import override_settings

from notify import services as notify_services
from notify.models import Message
from pastoral.models import Intervention, Meeting, ReviewTask
from sanctions.services import placements, referrals
from school.models import Student
from tests.base import (
    LONDON,
    WEDNESDAY,
    freeze_clock,
    make_calendar_and_timetable,
    make_guardian,
    make_student,
)
from tests.browser import PHONE, BrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms
from tests.smtp import SilentServer, SmtpSink

LAPTOP_1280 = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-families"))
S = Message.Status


def at(hh, mm, day=WEDNESDAY):
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)


@override_settings(NOTIFY_SEND_ON_COMMIT=None)  # the default: the worker sends, not the page
class FamiliesInTheBrowserTest(BrowserTestCase):
    ie_capacity = 5

    def setUp(self):
        super().setUp()
        make_calendar_and_timetable(self)
        make_provision_rooms(self, ie_capacity=5)
        freeze_clock(self, at(10, 15))
        self.mum = make_guardian(self.student)

    def shoot(self, page, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def look(self, page, path, name):
        """Open the page at 1280 and 390 px, checked (axe-core, no sideways scroll), with a
        screenshot of each; left at 1280."""
        page.set_viewport_size(LAPTOP_1280)
        self.visit(page, path)
        self.shoot(page, f"{name}-1280")
        page.set_viewport_size(PHONE)
        page.reload()
        self.assert_accessible(page)
        self.assert_fits_a_phone(page)
        self.shoot(page, f"{name}-390")
        page.set_viewport_size(LAPTOP_1280)

    def book_today(self, student):
        placement = placements.placement_book(
            student=student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )
        # Booked without a referral, the letter asks for the reason: the officer words it.
        for draft in Message.objects.filter(student=student, status=S.DRAFT):
            notify_services.message_update(
                message=draft,
                subject=draft.subject,
                body=draft.body.replace("[missing: reason]", "of persistent disruption"),
                by=self.bob,
            )
        return placement

    def section(self, page, heading):
        return page.locator("section", has=page.get_by_role("heading", name=heading))

    def approve_in_the_browser(self, page, message) -> float:
        self.visit(page, f"/messages/{message.pk}/")
        started = time.monotonic()
        page.get_by_role("button", name="Approve and send").click()
        page.wait_for_load_state()
        return time.monotonic() - started

    def test_a_family_phoned_and_logged_leaves_the_not_told_list(self):
        mia = make_student(upn="B123456789012", first="Mia", last="Okoro", form=self.form)
        make_guardian(mia, first_name="Grace", last_name="Okoro", email="grace@example.com")
        placement = self.book_today(mia)
        self.book_today(self.student)
        page = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(page, self.bob)
        not_told = page.locator(
            "section", has=page.get_by_role("heading", name="Families not told")
        )
        self.assertIn("Phone Mia Okoro's family", not_told.inner_text())
        self.assertIn("Phone Jayden Walsh's family", not_told.inner_text())
        self.look(page, "/", "home-not-told")
        self.look(page, f"/placements/{placement.pk}/call/", "family-call")
        page.get_by_label("Whom you rang").select_option(index=0)
        page.get_by_label("Spoke to them").check()
        page.get_by_label("Note").fill("Mum will talk to Mia tonight.")
        page.get_by_role("button", name="Log the call").click()
        page.wait_for_load_state()
        self.assertIn("The family has been told.", page.inner_text("main"))
        self.visit(page, "/")
        not_told = page.locator(
            "section", has=page.get_by_role("heading", name="Families not told")
        )
        self.assertNotIn("Mia Okoro", not_told.inner_text())
        self.assertIn("Jayden Walsh", not_told.inner_text())
        call = placement.family_calls.get()
        self.assertEqual((call.outcome, call.called_by), ("spoke", self.bob))

    def test_an_email_reaches_smtp_and_a_hanging_server_holds_nothing_up(self):
        sink, silent = SmtpSink(), SilentServer()
        self.addCleanup(sink.stop)
        self.addCleanup(silent.stop)
        self.book_today(self.student)
        ayo = make_student(upn="C123456789012", first="Ayo", last="Bello", form=self.form)
        make_guardian(ayo, first_name="Tola", last_name="Bello", email="tola@example.com")
        self.book_today(ayo)
        jayden_letter = Message.objects.get(student=self.student)
        ayo_letter = Message.objects.get(student=ayo)
        page = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(page, self.bob)
        # A mail server that takes mail: the page queues, the worker sends, the server has it.
        with self.settings(**sink.settings()):
            self.approve_in_the_browser(page, jayden_letter)
            self.assertEqual(sink.received, [])
            self.assertEqual(notify_services.message_send_due().sent, 1)
            self.assertEqual(notify_services.message_send_due().sent, 0)
        [email] = sink.received
        self.assertEqual(email["To"], "kerry.walsh@example.com")
        self.visit(page, f"/messages/{jayden_letter.pk}/")
        self.assertIn("Sent", page.inner_text("main"))
        # A mail server that accepts and never answers: the page answers at once.
        with self.settings(**silent.settings(timeout=1)):
            took = self.approve_in_the_browser(page, ayo_letter)
            self.assertLess(took, 3)
            ayo_letter.refresh_from_db()
            self.assertEqual((ayo_letter.status, ayo_letter.attempts), (S.QUEUED, 0))
            started = time.monotonic()
            self.assertEqual(notify_services.message_send_due().retrying, 1)
            self.assertLess(time.monotonic() - started, 10)
        self.shoot(page, "message-queued-1280")
        freeze_clock(self, at(10, 30))
        with self.settings(**sink.settings()):
            self.assertEqual(notify_services.message_send_due().sent, 1)
            freeze_clock(self, at(11, 30))
            self.assertEqual(notify_services.message_send_due().sent, 0)
        self.assertEqual([m["To"] for m in sink.received][1:], ["tola@example.com"])  # once
        ayo_letter.refresh_from_db()
        self.assertEqual((ayo_letter.status, ayo_letter.attempts), (S.SENT, 2))

    def test_a_meeting_invited_held_and_recorded_with_two_interventions_reviewed(self):
        page = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(page, self.charlie)
        self.look(page, f"/students/{self.student.pk}/", "student-before")
        page.get_by_role("link", name="Invite the family to a meeting").click()
        page.wait_for_load_state()
        self.look(page, f"/students/{self.student.pk}/meetings/new/", "meeting-new")
        page.get_by_label("Day").fill("2026-11-25")
        page.get_by_label("Time").fill("15:30")
        page.get_by_label("Where").fill("Student services")
        page.get_by_label("Mr B Patel").check()
        page.get_by_role("button", name="Draft the invitations").click()
        page.wait_for_load_state()
        meeting = Meeting.objects.get()
        self.assertIn("Email to Mrs Kerry Walsh", page.inner_text("main"))
        self.assertIn("You can record it once it has taken place.", page.inner_text("main"))
        invitation = Message.objects.get(related_id=meeting.pk, channel="email")
        self.assertIn("BEGIN:VEVENT", invitation.calendar)
        # After the meeting: Mum came; two interventions agreed.
        freeze_clock(self, at(16, 15))
        self.visit(page, f"/meetings/{meeting.pk}/")
        page.get_by_label("Mrs Kerry Walsh").check()
        page.get_by_label("What was discussed and agreed").fill(
            "Talked through the week. Agreed a report card, and mentoring with Mr Patel."
        )
        page.get_by_role("button", name="Record it").click()
        page.wait_for_load_state()
        self.assertIn("Meeting recorded.", page.inner_text("main"))
        for kind, owner, review_on in (
            ("Report card", "Charlie Hughes", "2026-11-27"),
            ("Mentoring", "Bob Patel", "2026-11-30"),
        ):
            page.get_by_role("link", name="Set an intervention agreed at this meeting").click()
            page.wait_for_load_state()
            self.assert_accessible(page)
            page.get_by_label("Intervention").select_option(label=kind)
            page.get_by_label("Owner (who reviews it)").select_option(label=owner)
            page.get_by_label("Review by").fill(review_on)
            page.get_by_label("Target: what it should achieve").fill("No removals for a week")
            page.get_by_role("button", name="Set the intervention").click()
            page.wait_for_load_state()
        self.assertEqual(Intervention.objects.filter(meeting=meeting).count(), 2)
        self.look(page, f"/meetings/{meeting.pk}/", "meeting-held")
        agreed = page.locator(
            "section", has=page.get_by_role("heading", name="Interventions agreed")
        )
        self.assertIn("Report card", agreed.inner_text())
        self.assertIn("Mentoring", agreed.inner_text())
        # The mentoring's owner sees its review on his home page, and records it.
        bob = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(bob, self.bob)
        due = bob.locator(
            "section", has=bob.get_by_role("heading", name="Intervention reviews due")
        )
        self.assertIn("Jayden Walsh: Mentoring", due.inner_text())
        self.look(bob, "/", "home-reviews-due")
        mentoring = Intervention.objects.get(kind__name="Mentoring")
        bob.get_by_role("link", name="Jayden Walsh: Mentoring").click()
        bob.wait_for_load_state()
        self.look(bob, f"/interventions/{mentoring.pk}/", "intervention")
        bob.get_by_label("Progress since the last review").fill("Two sessions; settled in maths.")
        bob.get_by_label("Extend").check()
        bob.get_by_label("Next review by").fill("2026-12-09")
        bob.get_by_role("button", name="Record the review").click()
        bob.wait_for_load_state()
        self.assertIn("Review recorded: extend.", bob.inner_text("main"))
        self.look(bob, f"/students/{self.student.pk}/", "student-after")
        history = self.section(bob, "Interventions")
        self.assertIn("1 review", history.inner_text())
        mentoring.refresh_from_db()
        self.assertEqual(mentoring.review_on, dt.date(2026, 12, 9))

    def test_a_third_removal_in_ten_school_days_opens_a_review_for_the_hoy_and_senco(self):
        Student.objects.filter(pk=self.student.pk).update(sen_status=Student.SenStatus.SUPPORT)
        self.student.refresh_from_db()
        for day in (WEDNESDAY, WEDNESDAY + dt.timedelta(days=1)):
            placements.placement_book(
                student=self.student, provision=self.ie, days=1, by=self.evan, start_on=day
            )
        referral = referrals.referral_create(
            student=self.student, provision=self.ie, days=1, by=self.alice
        )
        self.assertFalse(ReviewTask.objects.exists())
        page = self.new_page(viewport=LAPTOP_1280)
        self.sign_in(page, self.evan)
        self.visit(page, f"/referrals/{referral.pk}/")
        page.get_by_role("button", name="Approve and book").click()
        page.wait_for_load_state()
        self.assertEqual(
            set(ReviewTask.objects.values_list("for_whom", flat=True)), {"head_of_year", "senco"}
        )
        for person, name in ((self.charlie, "hoy"), (self.noor, "senco")):
            home = self.new_page(viewport=LAPTOP_1280)
            self.sign_in(home, person)
            todo = self.section(home, "Reviews to do")
            self.assertIn("Jayden Walsh", todo.inner_text())
            self.assertIn("3 removals in 10 school days", todo.inner_text())
            self.shoot(home, f"home-review-{name}-1280")
        task = ReviewTask.objects.get(for_whom="head_of_year")
        self.look(page, f"/reviews/{task.pk}/", "review-task")
