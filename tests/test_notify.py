"""Messages to parents and staff: drafting, approval, sending, retries, letters, pages, audit."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.contrib.auth.models import User
from django.core import mail
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from weasyprint.formatting_structure import boxes

from audit.models import AuditEvent
from audit.selectors import history_of
from conduct.lib.compiled import CompiledList
from conduct.lib.wording import dates_phrase, day_and_time
from notify import channels, selectors, services
from notify.channels import SendResult
from notify.models import TEMPLATE_VARIABLES, Message, MessageTemplate
from school.models import Guardian, StudentGuardian
from tests.base import ConductTestCase, make_guardian
from tests.test_year_scope import make_other_years

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"

PLACEMENT = {
    "provision": "the Internal Exclusion room",
    "reason": "Jayden refused to follow staff instructions and left his lesson",
    "dates": dates_phrase([dt.date(2026, 11, 26)]),
    "day_count": 1,
    "start_time": "08:30",
    "end_time": "15:30",
    "entrance": "the student services entrance on Mill Lane",
    "contact_name": "Mr B Patel",
}

# Every variable filled, so each default template must render without a gap.
EVERYTHING = {
    **PLACEMENT,
    "previous_dates": "Wednesday 25 November",
    "lesson": "Maths",
    "removal_time": "10:20",
    "meeting_date": "Monday 30 November",
    "meeting_time": "15:45",
    "meeting_place": "main reception",
    "meeting_purpose": "to talk about how Jayden is getting on",
}


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


class RecordingSmsProvider:
    sent: list[tuple[str, str]] = []

    def send(self, *, to, body):
        self.sent.append((to, body))
        return SendResult(provider_ref="SM123")


def letter_text(message) -> str:
    """The words laid out on the letter's pages (pdftotext is not installed everywhere)."""
    document = channels.letter_document(message)
    return " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )


@override_settings(
    EMAIL_BACKEND=LOCMEM,
    NOTIFY_SEND_ON_COMMIT=True,
    SMS_PROVIDER="log",
    # The named people's passwords are hashed once per class; a fast hasher keeps set-up quick.
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
)
class NotifyTestBase(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.school.address = "Northfield Academy\nMill Lane\nNorthfield"
        cls.school.phone = "01632 960000"
        cls.school.email = "office@northfield.example"
        cls.school.save()
        # Gran is listed first but has no parental responsibility, so Mum is the main contact.
        cls.gran = make_guardian(
            cls.student,
            relationship="grandparent",
            parental_responsibility=False,
            first_name="Pat",
            last_name="Green",
            email="",
            address="3 Oak Road",
            preferred_channel=Guardian.Channel.LETTER,
        )
        cls.mum = make_guardian(
            cls.student,
            mobile="07700 900123",
            address="12 Mill Lane\nNorthfield",
            postcode="NF1 2AB",
        )
        cls.dad = make_guardian(
            cls.student,
            relationship="father",
            priority=2,
            title="Mr",
            first_name="Dean",
            email="",
            mobile="07700 900456",
            preferred_channel=Guardian.Channel.SMS,
        )

    def draft(self, **kwargs):
        kwargs.setdefault("template_key", "placement-booked")
        kwargs.setdefault("context", PLACEMENT)
        kwargs.setdefault("student", self.student)
        kwargs.setdefault("by", self.bob)
        return services.message_draft(**kwargs)

    def set_mum(self, **fields):
        Guardian.objects.filter(pk=self.mum.pk).update(**fields)
        self.mum.refresh_from_db()


class DraftTest(NotifyTestBase):
    def test_it_drafts_to_the_main_contact_by_their_preferred_channel(self):
        message = self.draft(related=self.school)
        self.assertEqual(message.guardian, self.mum)
        self.assertEqual(message.channel, Message.Channel.EMAIL)
        self.assertEqual(message.address, "kerry.walsh@example.com")
        self.assertEqual(message.status, Message.Status.DRAFT)
        self.assertEqual(message.subject, "Jayden's time in the Internal Exclusion room")
        self.assertIn("Dear Mrs Walsh,", message.body)
        self.assertIn(
            "Jayden will spend Thursday 26 November in the Internal Exclusion room. This is "
            "because Jayden refused to follow staff instructions",
            message.body,
        )
        self.assertIn("arrives at 08:30 at the student services entrance", message.body)
        self.assertIn("01632 960000", message.body)
        self.assertNotIn("[missing", message.body)
        self.assertEqual(mail.outbox, [])  # a draft is never sent
        self.assertEqual(list(selectors.messages_about(self.school)), [message])
        self.assertEqual(list(selectors.parent_contacts_not_done(self.school)), [message])

    def test_it_signs_with_the_drafting_person_when_no_contact_is_given(self):
        context = {k: v for k, v in PLACEMENT.items() if k != "contact_name"}
        message = self.draft(context=context)
        self.assertIn("please contact Mr B Patel on 01632 960000", message.body)

    def test_it_uses_a_named_guardian_and_their_channel(self):
        message = self.draft(guardian=self.dad)
        self.assertEqual(message.channel, Message.Channel.SMS)
        self.assertEqual(message.address, "07700 900456")
        # Texts use the template's short version.
        self.assertTrue(message.body.startswith("Northfield Academy: Jayden will spend"))
        self.assertLess(len(message.body), 400)

    def test_it_falls_back_from_phone_to_a_text_or_else_a_letter(self):
        self.set_mum(preferred_channel=Guardian.Channel.PHONE)
        self.assertEqual(self.draft().channel, Message.Channel.SMS)
        self.set_mum(mobile="")
        letter = self.draft()
        self.assertEqual(letter.channel, Message.Channel.LETTER)
        self.assertEqual(letter.address, "12 Mill Lane\nNorthfield\nNF1 2AB")
        self.assertEqual(letter.recipient_name, "Mrs Kerry Walsh")

    def test_it_refuses_an_email_with_no_address_and_stores_nothing(self):
        self.set_mum(email="")
        with self.assertRaises(ValidationError) as caught:
            self.draft()
        self.assertIn("Mrs Kerry Walsh", caught.exception.messages[0])
        self.assertIn("has no email address", caught.exception.messages[0])
        self.assertEqual(Message.objects.count(), 0)

    def test_it_refuses_a_student_with_no_contact_with_parental_responsibility(self):
        StudentGuardian.objects.filter(guardian__in=[self.mum, self.dad]).delete()
        with self.assertRaisesMessage(ValidationError, "no parent or carer with parental"):
            self.draft()
        self.assertEqual(Message.objects.count(), 0)

    def test_it_refuses_an_unknown_or_inactive_template(self):
        MessageTemplate.objects.filter(key="placement-booked").update(is_active=False)
        with self.assertRaisesMessage(ValidationError, "no active message template"):
            self.draft()

    def test_it_renders_every_default_template_with_its_variables(self):
        keys = set(MessageTemplate.objects.values_list("key", flat=True))
        self.assertLessEqual(
            {
                "placement-booked",
                "placement-changed",
                "placement-cancelled",
                "meeting-invitation",
                "removal-to-reflection-room",
            },
            keys,
        )
        self.assertLessEqual(set(EVERYTHING), set(TEMPLATE_VARIABLES))
        for key in keys:
            for guardian in (self.mum, self.dad):  # email wording and text wording
                with self.subTest(template=key, guardian=guardian):
                    message = self.draft(template_key=key, context=EVERYTHING, guardian=guardian)
                    self.assertNotIn("[missing", message.subject + message.body)
                    self.assertNotIn("{", message.subject + message.body)
                    self.assertIn("Jayden", message.body)

    def test_it_marks_a_missing_variable_and_will_not_approve_until_it_is_filled(self):
        context = {k: v for k, v in PLACEMENT.items() if k != "reason"}
        message = self.draft(context=context)
        self.assertIn("This is because [missing: reason].", message.body)
        with self.assertRaisesMessage(ValidationError, "reason"):
            services.message_approve(message=message, by=self.bob)
        services.message_update(
            message=message,
            subject=message.subject,
            body=message.body.replace("[missing: reason]", "of persistent disruption"),
            by=self.bob,
        )
        approved = services.message_approve(message=message, by=self.bob)
        self.assertEqual(approved.status, Message.Status.QUEUED)
        self.assertEqual(approved.edited_by, self.bob)

    def test_it_leaves_out_the_entrance_when_the_provision_names_none(self):
        message = self.draft(context={**PLACEMENT, "entrance": ""})
        self.assertIn("arrives at 08:30. The day finishes", message.body)
        text = self.draft(context={**PLACEMENT, "entrance": ""}, guardian=self.dad)
        self.assertIn("Please arrive 08:30; the day ends", text.body)

    def test_it_does_not_escape_apostrophes_in_plain_text(self):
        message = self.draft(context={**PLACEMENT, "reason": "he swore at Mr O'Brien"})
        self.assertIn("because he swore at Mr O'Brien.", message.body)


class ApproveAndSendTest(NotifyTestBase):
    def test_it_queues_on_approval_and_sends_after_commit(self):
        message = self.draft()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            approved = services.message_approve(message=message, by=self.charlie)
            self.assertEqual(approved.status, Message.Status.QUEUED)
            self.assertEqual(mail.outbox, [])  # nothing leaves before the commit
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(len(mail.outbox), 1)
        email = mail.outbox[0]
        self.assertEqual(email.to, ["kerry.walsh@example.com"])
        self.assertEqual(email.subject, "Jayden's time in the Internal Exclusion room")
        self.assertEqual(email.reply_to, ["office@northfield.example"])
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.SENT)
        self.assertEqual(message.attempts, 1)
        self.assertEqual(message.approved_by, self.charlie)
        self.assertIsNotNone(message.sent_at)
        self.assertEqual(list(selectors.parent_contacts_not_done()), [])

    def test_it_only_edits_and_approves_a_draft_once(self):
        message = self.draft()
        services.message_approve(message=message, by=self.bob)
        with self.assertRaisesMessage(ValidationError, "cannot be approved: it is queued"):
            services.message_approve(message=message, by=self.bob)
        with self.assertRaisesMessage(ValidationError, "cannot be edited"):
            services.message_update(message=message, subject="x", body="y", by=self.bob)

    def test_it_cancels_a_draft_which_then_cannot_be_approved(self):
        message = self.draft()
        services.message_cancel(message=message, by=self.bob)
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.CANCELLED)
        with self.assertRaises(ValidationError):
            services.message_approve(message=message, by=self.bob)

    @override_settings(EMAIL_BACKEND="tests.test_notify.BrokenBackend", NOTIFY_MAX_ATTEMPTS=3)
    def test_it_records_a_failure_retries_with_backoff_and_fails_after_the_last_attempt(self):
        message = self.draft()
        before = timezone.now()
        with self.captureOnCommitCallbacks(execute=True):
            services.message_approve(message=message, by=self.bob)
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.QUEUED)
        self.assertEqual(message.attempts, 1)
        self.assertIn("ConnectionRefusedError: mail server down", message.last_error)
        self.assertGreaterEqual(message.next_attempt_at, before + dt.timedelta(seconds=60))
        # Not due yet: the worker leaves it alone.
        self.assertEqual(services.message_send_due().retrying, 0)

        def due_now():
            Message.objects.filter(pk=message.pk).update(
                next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
            )

        due_now()
        self.assertEqual(services.message_send_due().retrying, 1)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Message.Status.QUEUED, 2))
        self.assertGreaterEqual(message.next_attempt_at, timezone.now() + dt.timedelta(minutes=4))
        due_now()
        self.assertEqual(services.message_send_due().failed, 1)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Message.Status.FAILED, 3))
        self.assertIsNone(message.next_attempt_at)
        self.assertIn("attempt 3", message.last_error)
        self.assertEqual(list(selectors.parent_contacts_not_done()), [message])

        # The mail server is back: a person asks for another try.
        with (
            override_settings(EMAIL_BACKEND=LOCMEM),
            self.captureOnCommitCallbacks(execute=True),
        ):
            services.message_retry(message=message, by=self.bob)
        message.refresh_from_db()
        self.assertEqual((message.status, message.attempts), (Message.Status.SENT, 1))
        self.assertEqual(len(mail.outbox), 1)
        # Its history says who did what: the worker's moves have no person, the retry has Bob.
        self.assertEqual(
            [(c.username, c.from_value, c.to_value) for c in history_of(message)],
            [
                ("bob", "", "draft"),
                ("bob", "draft", "queued"),
                ("", "queued", "failed"),
                ("bob", "failed", "queued"),
                ("", "queued", "sent"),
            ],
        )

    def test_it_sends_what_the_web_process_left_behind_from_the_worker(self):
        # Approved, but the process died before its after-commit send ran.
        services.message_approve(message=self.draft(), by=self.bob)
        out = StringIO()
        call_command("run_worker", "--once", stdout=out)
        self.assertIn("sent 1", out.getvalue())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(Message.objects.get().status, Message.Status.SENT)

    def test_it_never_sends_a_message_twice_when_two_workers_run_at_once(self):
        messages = services.staff_email_send(
            to=["a@school.example", "b@school.example", "c@school.example"],
            subject="Out of lessons today",
            body="Jayden Walsh: IE all day",
        )
        self.assertEqual(len(messages), 3)
        real_due = selectors.messages_due
        inner = []
        calls = []

        def second_worker_gets_in_between(**kwargs):
            # The first worker has read the due rows; before it claims them, a second worker
            # reads, claims and sends the same rows.
            calls.append(kwargs)
            found = real_due(**kwargs)
            if len(calls) == 1:
                inner.append(services.message_send_due())
            return found

        with mock.patch.object(selectors, "messages_due", second_worker_gets_in_between):
            first = services.message_send_due()
        self.assertEqual(inner[0].sent, 3)
        self.assertEqual((first.sent, first.skipped), (0, 3))
        self.assertEqual(len(mail.outbox), 3)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), [m.address for m in messages])
        self.assertEqual(
            set(Message.objects.values_list("status", "attempts")), {(Message.Status.SENT, 1)}
        )

    def test_it_does_not_let_a_stale_copy_claim_a_message(self):
        [message] = services.staff_email_send(to="a@school.example", subject="s", body="b")
        stale = Message.objects.get(pk=message.pk)
        now = timezone.now()
        self.assertTrue(services._claim(message, now))
        self.assertFalse(services._claim(stale, now))

    def test_it_stores_staff_emails_with_html_and_sends_them_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True):
            [message] = services.staff_email_send(
                to="evan@school.example",
                subject="Who is out of lessons today",
                body="Jayden Walsh",
                html="<p>Jayden Walsh</p>",
                related=self.school,
            )
        message.refresh_from_db()
        self.assertEqual(message.audience, Message.Audience.STAFF)
        self.assertEqual(message.status, Message.Status.SENT)
        self.assertEqual(mail.outbox[0].alternatives[0][0], "<p>Jayden Walsh</p>")
        with self.assertRaisesMessage(ValidationError, "not an email address"):
            services.staff_email_send(to="not-an-address", subject="s", body="b")


class SmsTest(NotifyTestBase):
    def test_it_marks_a_text_logged_not_sent_when_no_provider_is_set(self):
        message = self.draft(guardian=self.dad)
        with self.captureOnCommitCallbacks(execute=True):
            services.message_approve(message=message, by=self.bob)
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.LOGGED)
        self.assertEqual(message.get_status_display(), "Logged only – not sent")
        self.assertIn("No real text message was sent", message.delivery_note)
        # Still to do: nothing reached the family.
        self.assertEqual(list(selectors.parent_contacts_not_done()), [message])
        self.login(self.bob)
        response = self.client.get(reverse("message-detail", args=[message.pk]))
        self.assertContains(response, "Logged only – not sent")
        self.assertContains(response, "it does not count as telling them")
        self.assertNotContains(response, "<strong>Sent</strong>")

    @override_settings(SMS_PROVIDER="tests.test_notify.RecordingSmsProvider")
    def test_it_sends_a_text_through_the_configured_provider(self):
        RecordingSmsProvider.sent.clear()
        message = self.draft(guardian=self.dad)
        with self.captureOnCommitCallbacks(execute=True):
            services.message_approve(message=message, by=self.bob)
        message.refresh_from_db()
        self.assertEqual(RecordingSmsProvider.sent, [("07700 900456", message.body)])
        self.assertEqual((message.status, message.provider_ref), (Message.Status.SENT, "SM123"))
        self.assertEqual(message.delivery_note, "")

    @override_settings(SMS_PROVIDER="nowhere.Provider")
    def test_it_reports_a_mistyped_provider_at_start_up(self):
        errors = [e for e in run_checks() if e.id == "notify.E001"]
        self.assertEqual(len(errors), 1)
        self.assertIn("nowhere.Provider", errors[0].msg)


class LetterTest(NotifyTestBase):
    def setUp(self):
        self.set_mum(preferred_channel=Guardian.Channel.LETTER)

    def test_it_lays_out_a_letter_as_a_pdf_with_the_guardians_name_and_address(self):
        message = self.draft()
        pdf = channels.letter_pdf(message)
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = letter_text(message)
        for words in ("Mrs Kerry Walsh", "NF1 2AB", "Northfield Academy", "Dear Mrs Walsh,"):
            self.assertIn(words, text)
        self.assertIn("Yours sincerely", text)

    def test_it_waits_for_a_person_to_post_an_approved_letter(self):
        message = self.draft()
        with self.captureOnCommitCallbacks(execute=True):
            services.message_approve(message=message, by=self.bob)
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.APPROVED)
        self.assertEqual(services.message_send_due().sent, 0)  # the worker never "sends" it
        self.assertEqual(list(selectors.parent_contacts_not_done()), [message])
        services.message_mark_sent(message=message, by=self.bob)
        message.refresh_from_db()
        self.assertEqual((message.status, message.sent_by), (Message.Status.SENT, self.bob))


class MessagePagesTest(NotifyTestBase):
    def test_it_lets_the_conduct_team_but_not_a_teacher_open_the_pages(self):
        self.set_mum(preferred_channel=Guardian.Channel.LETTER)
        letter = self.draft()
        urls = [
            reverse("message-list"),
            reverse("message-detail", args=[letter.pk]),
            reverse("message-letter-pdf", args=[letter.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.login(self.alice)
                self.assertEqual(self.client.get(url).status_code, 403)
                self.login(self.olive)
                self.assertEqual(self.client.get(url).status_code, 403)
                self.login(self.bob)
                self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.alice)
        response = self.client.post(urls[1], {"action": "approve"})
        self.assertEqual(response.status_code, 403)
        letter.refresh_from_db()
        self.assertEqual(letter.status, Message.Status.DRAFT)

    def test_it_lists_drafts_first_with_a_fixed_number_of_queries(self):
        sent = self.draft()
        services.message_approve(message=sent, by=self.bob)
        Message.objects.filter(pk=sent.pk).update(status=Message.Status.SENT)
        drafts = [self.draft() for _ in range(3)]
        self.login(self.bob)
        everything = {"status": ""}  # the list shows drafts to check unless asked for all
        self.client.get(reverse("message-list"), everything)  # warm the session and roles
        # session, user, roles, students in a room today not told, count, a page of messages,
        # the audit event
        with self.assertNumQueries(7):
            response = self.client.get(reverse("message-list"), everything)
        listed = [row.pk for row in response.context["rows"]]
        self.assertEqual(listed[:3], [d.pk for d in drafts[::-1]])
        self.assertEqual(listed[-1], sent.pk)
        for _ in range(5):
            self.draft()
        with self.assertNumQueries(7):
            self.client.get(reverse("message-list"), everything)
        response = self.client.get(reverse("message-list"), {"status": "sent"})
        self.assertEqual([row.pk for row in response.context["rows"]], [sent.pk])

    def test_it_reads_every_page_of_every_list_as_the_queryset_orders_it(self):
        make_other_years(self)  # Leon, in Year 11
        for student, status in [(self.student, "sent"), (self.leon, "failed"), (self.leon, "sent")]:
            message = self.draft(student=student)
            Message.objects.filter(pk=message.pk).update(status=status)
        for student in [self.leon, self.leon, self.student, self.leon]:
            self.draft(student=student)
        # The whole school's lists and one year's (Charlie's) are read through compiled reads.
        for viewer, scope in [
            (self.bob, Q()),
            (self.charlie, Q(student__year_group_id__in=[self.year9.pk])),
        ]:
            for status in [None, "not_done", "draft", "sent", "cancelled"]:
                with self.subTest(viewer=viewer.username, status=status):
                    found = selectors.message_list(status=status, viewer=viewer)
                    self.assertIsInstance(found, CompiledList)
                    shown = selectors._messages_shown(status, Message.Audience.PARENT, scope)
                    expected = list(selectors._in_list_order(shown, status))
                    pages = Paginator(found, 2)
                    self.assertEqual(pages.count, len(expected))
                    self.assertEqual(
                        [row for n in pages.page_range for row in pages.page(n).object_list],
                        expected,
                    )
        # Two years vary the SQL: the ORM reads them.
        self.charlie.staff.year_groups.add(self.year11)
        charlie = User.objects.get(pk=self.charlie.pk)
        found = selectors.message_list(status=None, viewer=charlie)
        self.assertNotIsInstance(found, CompiledList)
        self.assertEqual(len(found), 7)

    def test_it_writes_each_row_as_its_status_asks(self):
        draft = self.draft()
        failed = self.draft()
        Message.objects.filter(pk=failed.pk).update(
            status=Message.Status.FAILED, subject="", student=None, created_by=None
        )
        self.login(self.bob)
        response = self.client.get(reverse("message-list"), {"status": ""})
        failed_url = reverse("message-detail", args=[failed.pk])
        self.assertContains(
            response,
            f'<tr><td class="choose"></td><td data-label="Status"><span class="error">Failed'
            '</span></td><td data-label="Student">—<br><span class="muted">to '
            f'{failed.recipient_name}</span></td><td class="nowrap" data-label="Placement from">'
            f'—</td><td data-label="How">Email</td><td data-label="Subject"><a href="{failed_url}">'
            '(no subject)</a></td><td data-label="Drafted">'
            f"{day_and_time(failed.created_at)}</td></tr>",
            html=True,
        )
        # A draft: a box to tick, naming who it goes to and about whom, and its words to read.
        self.assertContains(
            response,
            f'<input type="checkbox" name="message" value="{draft.pk}" id="choose-{draft.pk}" '
            f'aria-label="Choose the draft to {draft.recipient_name} about '
            f'{draft.student.name}">',
            html=True,
        )
        self.assertContains(response, '<details class="preview"><summary>Read it</summary>', 1)

    def test_it_audits_every_view_of_a_message_and_every_letter_download(self):
        self.set_mum(preferred_channel=Guardian.Channel.LETTER)
        letter = self.draft()
        self.login(self.charlie)
        self.client.get(reverse("message-detail", args=[letter.pk]))
        response = self.client.get(reverse("message-letter-pdf", args=[letter.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"%PDF"))
        events = AuditEvent.objects.filter(object_type="notify.message", object_id=str(letter.pk))
        self.assertEqual(
            sorted(events.values_list("action", "username")),
            [(AuditEvent.Action.EXPORT, "charlie"), (AuditEvent.Action.VIEW, "charlie")],
        )

    def test_it_has_no_pdf_for_an_email(self):
        self.login(self.bob)
        response = self.client.get(reverse("message-letter-pdf", args=[self.draft().pk]))
        self.assertEqual(response.status_code, 404)

    def test_it_edits_and_approves_a_draft_from_its_page(self):
        message = self.draft()
        url = reverse("message-detail", args=[message.pk])
        self.login(self.bob)
        response = self.client.post(
            url, {"action": "save", "subject": "About Jayden", "body": "Dear Mrs Walsh, ..."}
        )
        self.assertRedirects(response, url)
        message.refresh_from_db()
        self.assertEqual((message.subject, message.body), ("About Jayden", "Dear Mrs Walsh, ..."))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"action": "approve"})
        self.assertRedirects(response, url)
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.SENT)
        self.assertEqual(mail.outbox[0].body, "Dear Mrs Walsh, ...")
        self.assertEqual(
            AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE, username="bob").count(), 2
        )

    def test_it_shows_why_a_draft_cannot_be_approved(self):
        context = {k: v for k, v in PLACEMENT.items() if k != "reason"}
        message = self.draft(context=context)
        self.login(self.bob)
        response = self.client.post(
            reverse("message-detail", args=[message.pk]), {"action": "approve"}
        )
        self.assertContains(
            response, "Fill in what is missing before approving: reason.", status_code=400
        )
        message.refresh_from_db()
        self.assertEqual(message.status, Message.Status.DRAFT)
