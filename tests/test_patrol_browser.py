"""In real browsers against a live Daphne server: a teacher raises on-call, two patrol phones see
it without reloading, one claims it, the other sees who is on the way, and removal to the
reflection room is recorded. Also: the page polls when the socket cannot connect, and a dropped
socket reconnects and catches up."""

from unittest import mock

from conduct.roles import Role
from patrol.models import OnCallReason, OnCallRequest
from patrol.services import on_call
from sanctions.models import Placement
from tests.base import TEN_FIFTEEN, make_calendar_and_timetable, make_people, make_person
from tests.browser import PHONE
from tests.patrol_browser import ChannelsBrowserTestCase
from tests.sanctions_fixtures import make_provision_rooms


class OnCallInTheBrowserTest(ChannelsBrowserTestCase):
    @classmethod
    def setUpClass(cls):
        # Patched before Daphne forks, so the server's "now" is Wednesday 10:15, period 2, too.
        cls.clock = mock.patch("conduct.lib.clock.now", return_value=TEN_FIFTEEN)
        cls.clock.start()
        try:
            super().setUpClass()
        except BaseException:
            cls.clock.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.clock.stop()

    def setUp(self):
        super().setUp()
        make_people(self)
        make_calendar_and_timetable(self)
        self.priya = make_person("priya", "Priya", "Kaur", Role.CONDUCT)
        on_call.on_call_reasons_ensure_defaults()
        make_provision_rooms(self)  # the reflection room a removal books into

    def open_queue(self, user):
        page = self.new_page(viewport=PHONE)
        self.sign_in(page, user)
        self.visit(page, "/on-call/")
        page.wait_for_selector("#on-call-queue[data-queue-mode=live]")
        return page

    def test_it_brings_a_teachers_call_to_both_patrol_phones_and_one_claims_it(self):
        bob = self.open_queue(self.bob)
        priya = self.open_queue(self.priya)
        self.screenshot(bob, "on-call-queue-empty-phone")

        teacher = self.new_page()  # a laptop in the classroom
        self.sign_in(teacher, self.alice)
        teacher.set_viewport_size(PHONE)  # ... or a phone: the raise page is the same
        self.visit(teacher, "/on-call/raise/")
        self.assertIn("9X/Ma1 in M4", teacher.locator(".lede").inner_text())
        teacher.locator(".where-details summary").click()
        teacher.get_by_label("Walsh, Jayden").check()
        teacher.get_by_label("Urgent").check()
        self.assert_accessible(teacher)
        self.screenshot(teacher, "on-call-raise-phone")
        teacher.get_by_role("button", name="Refusing to follow instructions").click()
        teacher.wait_for_url("**/on-call/*/")
        self.assertIn(
            "Waiting for someone to claim it", teacher.locator("#on-call-status").inner_text()
        )

        for page in (bob, priya):
            card = page.locator(".oncall-card", has_text="Refusing to follow instructions")
            card.wait_for()
            self.assertEqual(card.locator(".where").inner_text().split(), ["Room", "M4"])
            self.assertIn("Jayden Walsh", card.inner_text())
            self.assertIn("M4", page.get_by_role("alert").inner_text())
        self.assert_accessible(bob)
        self.screenshot(bob, "on-call-queue-new-phone")

        bob.get_by_role("button", name="Claim: I'm going to M4").click()
        priya.get_by_text("Mr B Patel is on the way").wait_for()
        self.assertEqual(priya.get_by_role("button", name="Claim: I'm going to M4").count(), 0)
        bob.get_by_role("button", name="I've arrived").wait_for()
        self.screenshot(priya, "on-call-queue-claimed-by-other-phone")
        # The teacher's page checks every 5 seconds.
        teacher.get_by_text("Mr B Patel is on the way").wait_for(timeout=12_000)

        bob.get_by_role("button", name="I've arrived").click()
        bob.get_by_role("button", name="Removed to the reflection room").wait_for()
        self.screenshot(bob, "on-call-outcome-phone")
        bob.get_by_role("button", name="Removed to the reflection room").click()
        priya.locator("#on-call-resolved", has_text="Removed to the reflection room").wait_for()
        self.assertEqual(priya.locator("#on-call-open .oncall-card").count(), 0)
        self.assert_accessible(priya)

        request = OnCallRequest.objects.get()
        self.assertEqual((request.status, request.outcome), ("resolved", "removed"))
        self.assertEqual(request.claimed_by, self.bob)
        self.assertIsNotNone(request.arrived_at)
        placement = Placement.objects.get(student=self.student)
        self.assertEqual(placement.provision, self.rr)

    def test_it_polls_when_the_socket_cannot_connect(self):
        page = self.new_page(viewport=PHONE)
        page.add_init_script("window.WebSocket = function () { throw new Error('blocked'); };")
        self.sign_in(page, self.bob)
        self.visit(page, "/on-call/")
        page.wait_for_selector("#on-call-queue[data-queue-mode=polling]")
        on_call.on_call_request_raise(
            by=self.alice,
            reason=OnCallReason.objects.order_by("position").first(),
            location="Canteen",
        )
        page.locator(".oncall-card", has_text="Canteen").wait_for(timeout=12_000)
        self.assertIn("checking every 5 seconds", page.locator("#on-call-connection").inner_text())

    def test_it_reconnects_and_catches_up_after_the_socket_drops(self):
        page = self.open_queue(self.bob)
        reason = OnCallReason.objects.order_by("position").first()
        page.evaluate("window.conductOnCall.socket().close()")
        # Raised while the socket is down (straight into the database: no event reaches Bob).
        on_call.on_call_request_raise(by=self.alice, reason=reason, location="Library")
        page.locator(".oncall-card", has_text="Library").wait_for(timeout=12_000)
        page.wait_for_selector("#on-call-queue[data-queue-mode=live]")
        # Live again: a teacher's call arrives as an event on the new socket.
        teacher = self.new_page()
        self.sign_in(teacher, self.alice)
        self.visit(teacher, "/on-call/raise/")
        teacher.get_by_role("button", name=reason.label).click()
        page.locator(".oncall-card", has_text="Ms A Teague").filter(has_text="M4").wait_for()
        self.assertEqual(page.locator("#on-call-open .oncall-card").count(), 2)

    def test_the_new_call_alarm_follows_the_queue_whatever_changed_it(self):
        """Any open, unclaimed call: the red alarm is up; none: it is down, whether the change came
        by the socket, by polling or by the person's own button."""
        bob = self.open_queue(self.bob)
        priya = self.open_queue(self.priya)
        teacher = self.new_page()
        self.sign_in(teacher, self.alice)

        def raise_call(reason: str) -> None:
            self.visit(teacher, "/on-call/raise/")
            teacher.get_by_role("button", name=reason).click()
            teacher.wait_for_url("**/on-call/*/")

        def alarm(page):
            return page.locator("#on-call-alert")

        raise_call("Refusing to follow instructions")
        for page in (bob, priya):
            alarm(page).wait_for(state="visible")
            self.assertIn("M4", alarm(page).inner_text())

        # Priya claims: her own button, and a colleague's claim for Bob.
        priya.get_by_role("button", name="Claim: I'm going to M4").click()
        bob.get_by_text("is on the way").wait_for()
        for page in (bob, priya):
            alarm(page).wait_for(state="hidden")

        # A second call puts it up again; resolving it takes it down (the claimed one is no alarm).
        raise_call("Rude or abusive to staff")
        for page in (bob, priya):
            alarm(page).wait_for(state="visible")
        card = bob.locator(".oncall-card", has_text="Rude or abusive to staff")
        card.get_by_role("button", name="Claim: I'm going to M4").click()
        card.get_by_role("button", name="I've arrived").click()
        card.get_by_role("button", name="Settled in class").click()
        bob.locator("#on-call-resolved", has_text="Settled in class").wait_for()
        for page in (bob, priya):
            alarm(page).wait_for(state="hidden")

        # A page opened while a call waits shows the alarm; polling clears it, too.
        raise_call("Refusing to follow instructions")
        later = self.new_page(viewport=PHONE)
        later.add_init_script("window.WebSocket = function () { throw new Error('blocked'); };")
        self.sign_in(later, self.bob)
        self.visit(later, "/on-call/")
        alarm(later).wait_for(state="visible")
        newest = OnCallRequest.objects.filter(status=OnCallRequest.Status.OPEN).get()
        on_call.on_call_request_claim(request_id=newest.pk, by=self.priya)
        alarm(later).wait_for(state="hidden", timeout=12_000)
