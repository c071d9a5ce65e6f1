"""Sessions end after a time without use, shorter for roles that see sensitive details; pages
and PDFs for a signed-in person are never stored by the browser."""

import time
from unittest import mock

from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from tests.base import PASSWORD, ConductTestCase
from tests.test_permissions import MatrixPeopleAndRecords


class IdleTest(ConductTestCase):
    def sign_in(self, user):
        response = self.client.post(
            reverse("login"), {"username": user.username, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)

    def after(self, minutes, name="home"):
        with mock.patch("time.time", return_value=time.time() + minutes * 60):
            return self.client.get(reverse(name))

    def test_it_signs_a_sensitive_role_out_after_thirty_idle_minutes(self):
        self.sign_in(self.bob)
        self.assertEqual(self.after(29).status_code, 200)
        # Using a page counts: 29 more minutes from the last use are fine too.
        self.assertEqual(self.after(29 + 29).status_code, 200)
        response = self.after(29 + 29 + 31)
        self.assertRedirects(response, "/login/?next=/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)
        event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_OUT_IDLE)
        self.assertEqual((event.username, event.detail["idle_minutes"]), ("bob", 31))

    def test_it_gives_a_teacher_longer(self):
        self.sign_in(self.alice)
        self.assertEqual(self.after(90).status_code, 200)
        self.assertEqual(self.after(90 + 121).status_code, 302)

    @override_settings(SESSION_IDLE_MINUTES_SENSITIVE=5)
    def test_it_takes_the_idle_time_from_the_settings(self):
        self.sign_in(self.dana)
        self.assertEqual(self.after(6).status_code, 302)

    def test_it_sends_signed_in_pages_with_no_store(self):
        self.login(self.bob)
        for name, args in (("home", []), ("student-detail", [self.student.pk])):
            with self.subTest(page=name):
                response = self.client.get(reverse(name, args=args))
                self.assertIn("no-store", response["Cache-Control"])
                self.assertIn("private", response["Cache-Control"])


class NoStorePdfTest(MatrixPeopleAndRecords):
    def test_it_sends_the_register_pdf_with_no_store(self):
        self.login(self.bob)
        response = self.client.get(self.url("register-pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("no-store", response["Cache-Control"])
