"""Email through a real SMTP server on loopback: the request never waits on the mail server, a
server that hangs or is down loses nothing and holds nothing up, and no message goes twice."""

import datetime as dt
import time

from django.test import override_settings
from django.urls import reverse

from conduct import submissions
from conduct.lib import clock
from notify import conf, services
from notify.models import Message
from tests.base import freeze_clock
from tests.servers import free_port
from tests.smtp import SilentServer, SmtpSink, smtp_settings
from tests.test_notify import NotifyTestBase

S = Message.Status


@override_settings(NOTIFY_SEND_ON_COMMIT=None)  # the default: the worker sends
class SmtpTest(NotifyTestBase):
    def setUp(self):
        super().setUp()
        freeze_clock(self, dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC))
        self.sink = SmtpSink()
        self.addCleanup(self.sink.stop)
        self.silent = SilentServer()
        self.addCleanup(self.silent.stop)

    def later(self, minutes):
        freeze_clock(self, clock.now() + dt.timedelta(minutes=minutes))

    def approve_from_the_page(self, message):
        self.login(self.bob)
        started = time.monotonic()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("message-detail", args=[message.pk]),
                {"action": "approve", submissions.FIELD: submissions.new_token()},
            )
        return response, time.monotonic() - started

    def test_the_default_is_that_the_worker_sends_not_the_request(self):
        with override_settings(NOTIFY_SEND_ON_COMMIT=None):
            self.assertFalse(conf.send_on_commit())

    def test_an_email_reaches_a_real_smtp_server_once(self):
        message = self.draft()
        with self.settings(**self.sink.settings()):
            self.approve_from_the_page(message)
            self.assertEqual(self.sink.received, [])  # the request only queued it
            report = services.message_send_due()
            services.message_send_due()  # a second pass finds nothing to send
        self.assertEqual((report.sent, report.failed), (1, 0))
        [email] = self.sink.received
        self.assertEqual(email["To"], "kerry.walsh@example.com")
        self.assertEqual(email["X-Conduct-Message"], str(message.pk))
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (S.SENT, 1))

    def test_a_server_that_never_answers_holds_up_neither_the_page_nor_the_worker(self):
        message = self.draft()
        with self.settings(**self.silent.settings(timeout=2)):
            response, took = self.approve_from_the_page(message)
            self.assertEqual(response.status_code, 302)
            self.assertLess(took, 1.5)  # the page answers at once: it never talked to SMTP
            message.refresh_from_db()
            self.assertEqual((message.status, message.attempts), (S.QUEUED, 0))
            started = time.monotonic()
            report = services.message_send_due()
            self.assertLess(time.monotonic() - started, 10)  # EMAIL_TIMEOUT, not for ever
        self.assertEqual(report.retrying, 1)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (S.QUEUED, 1))
        self.assertIn("timed out", message.last_error)
        self.assertEqual(message.next_attempt_at, clock.now() + dt.timedelta(minutes=1))
        with self.settings(**self.sink.settings()):
            self.assertEqual(services.message_send_due().sent, 0)  # not due yet: back-off
            self.later(2)
            self.assertEqual(services.message_send_due().sent, 1)
            self.later(60)
            self.assertEqual(services.message_send_due().sent, 0)
        self.assertEqual(len(self.sink.received), 1)  # sent later, once
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (S.SENT, 2))

    def test_a_dead_server_loses_nothing_and_backs_off_then_fails_for_a_person(self):
        message = self.draft()
        services.message_approve(message=message, by=self.bob)
        waits = []
        with self.settings(**smtp_settings(free_port(), 2), NOTIFY_MAX_ATTEMPTS=3):
            for _ in range(3):
                services.message_send_due()
                message.refresh_from_db()
                if message.next_attempt_at:
                    waits.append(message.next_attempt_at - clock.now())
                    freeze_clock(self, message.next_attempt_at)
        self.assertEqual(waits, [dt.timedelta(minutes=1), dt.timedelta(minutes=5)])
        self.assertEqual((message.status, message.attempts), (S.FAILED, 3))
        self.assertIn("Connection refused", message.last_error)
        with self.settings(**self.sink.settings()):
            services.message_retry(message=message, by=self.bob)
            self.assertEqual(services.message_send_due().sent, 1)
        self.assertEqual(len(self.sink.received), 1)

    def test_a_claimed_message_is_never_taken_by_a_second_sender(self):
        message = self.draft()
        services.message_approve(message=message, by=self.bob)
        mine = Message.objects.get(pk=message.pk)
        theirs = Message.objects.get(pk=message.pk)
        now = clock.now()
        self.assertTrue(services._claim(mine, now))
        self.assertFalse(services._claim(theirs, now))
        self.assertEqual(Message.objects.get(pk=message.pk).status, S.SENDING)
        # A worker passing by does not touch it while the claim holds.
        with self.settings(**self.sink.settings()):
            self.assertEqual(services.message_send_due().sent, 0)
        self.assertEqual(self.sink.received, [])

    def test_a_sender_that_died_mid_send_is_not_resent_but_shown_for_a_person_to_check(self):
        message = self.draft()
        services.message_approve(message=message, by=self.bob)
        self.assertTrue(services._claim(Message.objects.get(pk=message.pk), clock.now()))
        # ... and the process died before it could record the outcome.
        self.later(11)
        with self.settings(**self.sink.settings()):
            report = services.message_send_due()
        self.assertEqual((report.sent, report.failed), (0, 1))
        self.assertEqual(self.sink.received, [])
        message.refresh_from_db()
        self.assertEqual(message.status, S.FAILED)
        self.assertIn("may or may not have gone", message.last_error)
