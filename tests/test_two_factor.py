"""Two-factor sign-in: required for roles that see sensitive details, optional for others, with
recovery codes that each work once."""

import re
import time
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from tests.base import PASSWORD, ConductTestCase


def code_for(device, *, at=None):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at or time.time()
    return f"{totp.token():06d}"


@override_settings(CONDUCT_REQUIRE_2FA=True)
class TwoFactorTest(ConductTestCase):
    def sign_in(self, user):
        return self.client.post(
            reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
        )

    def enrol(self, user):
        """Sign in with the password, set up an app, and return (device, recovery codes)."""
        response = self.sign_in(user)
        self.assertContains(response, "Set up two-factor sign-in")
        self.assertContains(response, "<svg")
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = self.client.post(
            reverse("two-factor-setup"), {"token": code_for(device), "next": "/"}
        )
        self.assertContains(response, "Your recovery codes")
        codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
        self.assertEqual(len(codes), 10)
        device.refresh_from_db()
        return device, codes

    def test_it_requires_a_second_factor_of_a_sensitive_role(self):
        response = self.sign_in(self.bob)  # the conduct team sees SEN and safeguarding details
        self.assertEqual(response.redirect_chain[-1][0].split("?")[0], reverse("two-factor-setup"))
        for name in ("home", "student-list", "audit-log", "account"):
            with self.subTest(page=name):
                response = self.client.get(reverse(name))
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("two-factor-verify")))
        device = TOTPDevice.objects.get(user=self.bob, confirmed=False)
        response = self.client.post(reverse("two-factor-setup"), {"token": "000000"})
        self.assertContains(response, "That code does not match")
        self.assertFalse(TOTPDevice.objects.get(user=self.bob).confirmed)
        device.refresh_from_db()
        device.throttle_reset()  # a wrong code makes the next try wait a second
        response = self.client.post(reverse("two-factor-setup"), {"token": code_for(device)})
        self.assertContains(response, "Your recovery codes")
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action="two_factor_on", username="bob").exists())

    def test_it_asks_an_enrolled_person_for_the_code_at_every_sign_in(self):
        device, _ = self.enrol(self.bob)
        self.client.post(reverse("logout"))
        response = self.sign_in(self.bob)
        self.assertContains(response, "Your sign-in code")
        response = self.client.post(reverse("two-factor-verify"), {"token": "123456"})
        self.assertContains(response, "That code does not match")
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)
        self.assertTrue(AuditEvent.objects.filter(action="two_factor_failed").exists())
        device.refresh_from_db()
        device.throttle_reset()  # a wrong code makes the next try wait a second
        # The next time step: a code is never accepted twice.
        with mock.patch("time.time", return_value=time.time() + 30):
            response = self.client.post(
                reverse("two-factor-verify"),
                {"token": code_for(device, at=time.time() + 30), "next": "/students/"},
            )
        self.assertRedirects(response, "/students/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_it_leaves_it_optional_for_a_teacher(self):
        response = self.sign_in(self.alice)
        self.assertEqual(response.redirect_chain[-1][0], reverse("home"))
        self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("two-factor"))
        self.assertContains(response, "Set up two-factor sign-in")
        # She may choose it, and then it is asked of her too; and she may turn it off.
        self.client.post(reverse("logout"))
        self.client.force_login(self.alice)
        self.client.get(reverse("two-factor-setup"))
        device = TOTPDevice.objects.get(user=self.alice, confirmed=False)
        self.client.post(reverse("two-factor-setup"), {"token": code_for(device)})
        self.client.post(reverse("logout"))
        self.assertContains(self.sign_in(self.alice), "Your sign-in code")

    def test_it_lets_a_recovery_code_sign_in_once(self):
        _, codes = self.enrol(self.evan)
        self.client.post(reverse("logout"))
        self.sign_in(self.evan)
        response = self.client.post(reverse("two-factor-verify"), {"token": codes[0].upper()})
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertTrue(AuditEvent.objects.filter(action="recovery_code_used").exists())
        self.client.post(reverse("logout"))
        self.sign_in(self.evan)
        response = self.client.post(reverse("two-factor-verify"), {"token": codes[0]})
        self.assertContains(response, "That code does not match")
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)

    def test_it_does_not_let_a_password_alone_replace_the_app(self):
        self.enrol(self.dana)
        self.client.post(reverse("logout"))
        self.sign_in(self.dana)
        response = self.client.get(reverse("two-factor-setup"))
        self.assertTrue(response["Location"].startswith(reverse("two-factor-verify")))
        for name in ("recovery-codes-new", "two-factor-off"):
            with self.subTest(name=name):
                self.assertEqual(self.client.post(reverse(name)).status_code, 302)
        self.assertTrue(TOTPDevice.objects.filter(user=self.dana, confirmed=True).exists())

    def test_it_keeps_a_sensitive_role_from_turning_it_off(self):
        self.enrol(self.fay)
        response = self.client.post(reverse("two-factor-off"), follow=True)
        self.assertContains(response, "can&#x27;t be turned off")
        self.assertTrue(TOTPDevice.objects.filter(user=self.fay, confirmed=True).exists())

    @override_settings(CONDUCT_REQUIRE_2FA=False)
    def test_it_signs_in_with_a_password_alone_when_switched_off(self):
        response = self.sign_in(self.bob)
        self.assertEqual(response.redirect_chain[-1][0], reverse("home"))
