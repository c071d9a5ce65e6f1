"""The address in the audit log and the sign-in lock-out is REMOTE_ADDR unless the request comes
from one of the school's own proxies; a forged or garbled X-Forwarded-For never reaches the
database."""

from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import client_ip
from tests.base import ConductTestCase

PROXY = "10.0.0.1"


class ClientAddressTest(SimpleTestCase):
    def address(self, remote, forwarded=None):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_ip(RequestFactory().get("/", **extra))

    def test_it_ignores_the_header_from_anyone_not_a_trusted_proxy(self):
        self.assertEqual(self.address("203.0.113.9", "198.51.100.7"), "203.0.113.9")
        self.assertEqual(self.address("203.0.113.9", "unknown"), "203.0.113.9")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_it_reads_the_header_from_a_trusted_proxy(self):
        self.assertEqual(self.address(PROXY, "198.51.100.7"), "198.51.100.7")
        # Through two of the school's proxies.
        self.assertEqual(self.address(PROXY, "198.51.100.7, 10.0.0.2"), "198.51.100.7")
        # A client that sends its own header is named by what the proxy saw, not what it said.
        self.assertEqual(self.address(PROXY, "192.0.2.66, 198.51.100.7"), "198.51.100.7")
        self.assertEqual(self.address(PROXY, " 2001:db8::1 "), "2001:db8::1")

    @override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
    def test_it_never_returns_what_is_not_an_address(self):
        self.assertEqual(self.address(PROXY, "unknown"), PROXY)
        self.assertEqual(self.address(PROXY, "not-an-ip, 10.0.0.3"), "10.0.0.3")
        self.assertEqual(self.address(PROXY, ""), PROXY)
        self.assertIsNone(self.address("", "198.51.100.7"))
        self.assertIsNone(self.address("garbage"))


class ForgedHeaderTest(ConductTestCase):
    def test_it_stores_the_real_address_for_a_forged_header(self):
        self.login(self.bob)
        for forged in ("unknown", "not-an-ip", "198.51.100.7"):
            with self.subTest(forged=forged):
                response = self.client.get(
                    reverse("student-detail", args=[self.student.pk]),
                    HTTP_X_FORWARDED_FOR=forged,
                    REMOTE_ADDR="203.0.113.9",
                )
                self.assertEqual(response.status_code, 200)
                event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).first()
                self.assertEqual(event.ip_address, "203.0.113.9")

    @override_settings(LOGIN_FAILURES_PER_ADDRESS=3)
    def test_it_locks_an_address_whatever_header_it_sends(self):
        for number in range(3):
            self.client.post(
                reverse("login"),
                {"username": f"guess{number}", "password": "x"},
                REMOTE_ADDR="203.0.113.9",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
            )
        response = self.client.post(
            reverse("login"),
            {"username": "alice", "password": "x"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR="192.0.2.200",
        )
        self.assertEqual(response.status_code, 429)
