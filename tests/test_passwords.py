"""Staff change their own password, and reset a forgotten one by email; both are audited, and a
reset ends a pause on signing in."""

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from tests.base import PASSWORD, ConductTestCase

NEW = "a-brand-new-passphrase"
WRONG = "not-the-password"


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class PasswordTest(ConductTestCase):
    def sign_in(self, username, password):
        return self.client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="203.0.113.9",
        )

    def test_it_changes_your_own_password_with_the_old_one(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("password-change"),
            {"old_password": WRONG, "new_password1": NEW, "new_password2": NEW},
        )
        self.assertContains(response, "Your old password was entered incorrectly")
        response = self.client.post(
            reverse("password-change"),
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
            follow=True,
        )
        self.assertContains(response, "Your password is changed.")
        # Still signed in on this device.
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(NEW))
        event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGED)
        self.assertEqual(event.username, "alice")

    def reset_link(self, email):
        response = self.client.post(reverse("password-reset"), {"email": email})
        self.assertRedirects(response, reverse("password-reset-sent"))
        self.assertEqual(len(mail.outbox), 1)
        return re.search(r"https?://[^/]+(/login/reset/\S+/)", mail.outbox[0].body).group(1)

    def test_it_resets_a_forgotten_password_by_email(self):
        self.assertContains(self.client.get(reverse("login")), reverse("password-reset"))
        link = self.reset_link("alice@school.example")
        self.assertIn("alice", mail.outbox[0].body)
        form_url = self.client.get(link)["Location"]
        response = self.client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        self.assertRedirects(response, reverse("password-reset-complete"))
        self.assertRedirects(
            self.sign_in("alice", NEW), reverse("home"), fetch_redirect_response=False
        )
        # The link works once.
        self.client.logout()
        self.assertContains(self.client.get(link, follow=True), "That link no longer works")
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        self.assertLessEqual(
            {AuditEvent.Action.PASSWORD_RESET_ASKED, AuditEvent.Action.PASSWORD_RESET}, actions
        )
        reset = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_RESET)
        self.assertEqual((reset.username, reset.detail["username"]), ("alice", "alice"))

    def test_it_says_the_same_for_an_unknown_address(self):
        response = self.client.post(reverse("password-reset"), {"email": "nobody@example.com"})
        self.assertRedirects(response, reverse("password-reset-sent"))
        self.assertEqual(mail.outbox, [])

    def test_it_ends_a_lock_out_when_the_password_is_reset(self):
        for _ in range(5):
            self.sign_in("bob", WRONG)
        self.assertEqual(self.sign_in("bob", PASSWORD).status_code, 429)
        link = self.reset_link("bob@school.example")
        form_url = self.client.get(link)["Location"]
        self.client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
        response = self.sign_in("bob", NEW)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_it_shows_the_password_pages_in_the_audit_view_of_sign_ins(self):
        self.reset_link("alice@school.example")
        self.login(self.dana)
        response = self.client.get(reverse("audit-log"), {"view": "sign-ins"})
        self.assertContains(response, "Asked for a password reset")
