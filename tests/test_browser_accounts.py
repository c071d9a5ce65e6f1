"""In a real browser, under the content security policy: two-factor set-up for a sensitive role
(the QR code shows, the code is accepted), the account pages, and no policy violation."""

import shutil
from pathlib import Path

from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser import PHONE, SCREENSHOTS, BrowserTestCase
from tests.test_two_factor import code_for

SHOTS = Path("/work/shots/accounts")


@override_settings(CONDUCT_REQUIRE_2FA=True)
class AccountsInTheBrowserTest(BrowserTestCase):
    def watch_policy(self, page):
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return refused

    def keep(self, page, name):
        self.screenshot(page, name)
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS / f"{name}.png")

    def test_it_sets_up_two_factor_sign_in_on_a_phone(self):
        page = self.new_page(viewport=PHONE)
        refused = self.watch_policy(page)
        self.sign_in(page, self.bob)
        self.assertTrue(page.get_by_role("heading", name="Set up two-factor sign-in").is_visible())
        self.assertTrue(page.locator(".qr svg").is_visible())
        self.keep(page, "two-factor-set-up-phone")
        device = TOTPDevice.objects.get(user=self.bob, confirmed=False)
        page.get_by_label("Code from the app").fill(code_for(device))
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.wait_for_load_state()
        self.assert_accessible(page)
        self.assertEqual(page.locator(".recovery-codes li").count(), 10)
        self.keep(page, "two-factor-recovery-codes-phone")
        self.visit(page, "/account/two-factor/")
        self.visit(page, "/account/")
        self.keep(page, "account-phone")
        self.visit(page, "/students/")
        self.assertEqual(refused, [])

    @override_settings(CONDUCT_REQUIRE_2FA=False)
    def test_it_shows_the_data_manager_paused_sign_ins(self):
        page = self.new_page()
        refused = self.watch_policy(page)
        for _ in range(5):
            self.client.post("/login/", {"username": "alice", "password": "wrong"})
        self.sign_in(page, self.fay)
        self.visit(page, "/account/locked/")
        self.keep(page, "paused-sign-ins")
        page.get_by_role("button", name="Unlock alice").click()
        page.wait_for_load_state()
        self.assertIn("Nothing is locked.", page.content())
        self.visit(page, "/admin/")
        self.visit(page, "/admin/auth/user/")
        self.assertEqual(refused, [])
