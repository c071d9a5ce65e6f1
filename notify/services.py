"""Drafting, approving and sending messages.

Drafting renders and stores the message in the caller's transaction (so booking a placement and
its parent letter commit or roll back together). Nothing is sent inside a transaction: sending is
tried straight after commit, and the worker (`manage.py run_worker`) sends whatever is still due,
so a message is never lost if the mail server or the web process goes away.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F
from django.template import Context, Engine, TemplateDoesNotExist

from audit.services import history_record
from conduct.lib import clock
from notify import conf, selectors
from notify.channels import channel_for
from notify.models import Message, MessageTemplate, Notice
from school.models import Guardian, School, Staff, Student, StudentGuardian

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # AUTH_USER_MODEL

logger = logging.getLogger(__name__)

S = Message.Status
C = Message.Channel

# Plain text out, so no HTML escaping ("O'Brien" must not become "O&#x27;Brien"); the letter
# template escapes when it lays the text out. A variable the context lacks shows as a marker the
# reviewer sees, and approval refuses while one is left.
MISSING = "[missing: "
_ENGINE = Engine(autoescape=False, string_if_invalid=MISSING + "%s]")


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0  # claimed first by another worker


# ---- drafting -------------------------------------------------------------------------------


def _main_contact(student: Student) -> Guardian:
    link = (
        StudentGuardian.objects.filter(student=student, parental_responsibility=True)
        .select_related("guardian")
        .order_by("priority", "pk")
        .first()
    )
    if link is None:
        raise ValidationError(
            f"{student.name} has no parent or carer with parental responsibility on record, so "
            "no message can be drafted. Add their contacts in the MIS and import the roster again.",
            code="no_guardian",
        )
    return link.guardian


def _channel_for(guardian: Guardian) -> str:
    preferred = guardian.preferred_channel
    if preferred == Guardian.Channel.PHONE:
        # Conduct does not make calls: a text reaches a phone person soonest, else a letter.
        return C.SMS if guardian.mobile.strip() else C.LETTER
    return preferred


def _recipient(guardian: Guardian, channel: str, student: Student) -> tuple[str, str]:
    """Name and address for the channel, or a ValidationError naming what is missing."""
    who = f"{guardian} (contact for {student.name})"
    fix = "Add it in the MIS (it arrives with the next roster import) or choose another channel."
    name = str(guardian)
    if channel == C.EMAIL:
        if not guardian.email.strip():
            raise ValidationError(
                f"{who} has no email address on record, so an email cannot be drafted. {fix}",
                code="no_email",
            )
        return name, guardian.email.strip()
    if channel == C.SMS:
        if not guardian.mobile.strip():
            raise ValidationError(
                f"{who} has no mobile number on record, so a text message cannot be drafted. {fix}",
                code="no_mobile",
            )
        return name, guardian.mobile.strip()
    if channel == C.LETTER:
        address = guardian.address.strip()
        if not address:
            raise ValidationError(
                f"{who} has no postal address on record, so a letter cannot be drafted. {fix}",
                code="no_address",
            )
        postcode = guardian.postcode.strip()
        if postcode and postcode.replace(" ", "").upper() not in address.replace(" ", "").upper():
            address = f"{address}\n{postcode}"
        return name, address
    raise ValidationError(
        f"{channel!r} is not a channel Conduct can send by (email, sms or letter).",
        code="bad_channel",
    )


def _greeting(guardian: Guardian) -> str:
    if guardian.title:
        return f"{guardian.title} {guardian.last_name}"
    return f"{guardian.first_name} {guardian.last_name}"


def _contact_name(user: User | None) -> str | None:
    if user is None:
        return None
    staff = Staff.objects.filter(user_id=user.pk).first()
    if staff:
        return staff.display_name
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name or None


def _base_context(student: Student, guardian: Guardian, created_by: User | None) -> dict[str, Any]:
    school = School.objects.order_by("pk").first()
    context: dict[str, Any] = {
        "student_first_name": student.first_name,
        "student_name": student.name,
        "guardian_name": _greeting(guardian),
        "school_name": school.name if school else "",
        "school_phone": school.phone if school else "",
        "school_email": school.email if school else "",
    }
    contact = _contact_name(created_by)
    if contact:
        context["contact_name"] = contact
    return context


# What a template may be given, with a value of the right kind: the admin renders a template
# against this before saving it, so a mistake shows by the field, not at the next booking.
SAMPLE_CONTEXT: dict[str, Any] = {
    "student_first_name": "Sam",
    "student_name": "Sam Sample",
    "guardian_name": "Ms Sample",
    "school_name": "Sample School",
    "school_phone": "01234 567890",
    "school_email": "office@school.example",
    "contact_name": "Mr Officer",
    "provision": "Internal exclusion",
    "dates": "on Thursday 26 November",
    "day_count": 1,
    "start_time": "08:30",
    "end_time": "15:30",
    "entrance": "the main reception",
    "previous_dates": "on Wednesday 25 November",
    "reason": "of persistent disruptive behaviour",
    "removal_time": "10:15",
    "lesson": "Maths",
    "meeting_date": "on Friday 27 November",
    "meeting_time": "15:30",
    "meeting_place": "the main office",
    "meeting_purpose": "to agree how to help Sam settle",
}


def _rendered(source: str, context: Mapping[str, Any]) -> str:
    return _ENGINE.from_string(source).render(Context(dict(context), autoescape=False)).strip()


def template_mistake(source: str) -> str:
    """The mistake in a template's text, in words, found by rendering it against the sample
    context; "" when it renders."""
    try:
        _rendered(source, SAMPLE_CONTEXT)
    except Exception as exc:  # a template is the school's text: any failure is its mistake
        return _mistake_words(exc)
    return ""


def _mistake_words(exc: Exception) -> str:
    if isinstance(exc, TemplateDoesNotExist):
        return (
            f"it names a template that does not exist ({exc}); "
            "a message template can't include another"
        )
    return str(exc) or exc.__class__.__name__


def _render(source: str, context: Mapping[str, Any], *, template: MessageTemplate) -> str:
    try:
        return _rendered(source, context)
    except Exception as exc:  # a broken template stops this message, never the caller's change
        logger.warning("message template %s fails to render: %r", template.key, exc)
        raise ValidationError(
            f"The message template “{template.name}” ({template.key}) has a mistake in it: "
            f"{_mistake_words(exc)}. Correct it in School settings → Message templates.",
            code="template_syntax",
        ) from None


def message_draft(
    *,
    template_key: str,
    context: Mapping[str, Any],
    student: Student,
    guardian: Guardian | None = None,
    channel: str | None = None,
    related: models.Model | None = None,
    by: User | None = None,
    calendar: str = "",
) -> Message:
    """Render a template for a student's parent or carer and store it as a draft, in the caller's
    transaction; nothing is stored if a contact detail or the template is missing."""
    with transaction.atomic():
        template = MessageTemplate.objects.filter(key=template_key, is_active=True).first()
        if template is None:
            raise ValidationError(
                f"There is no active message template “{template_key}”. Add or re-activate it in "
                "School settings → Message templates.",
                code="no_template",
            )
        if guardian is None:
            guardian = _main_contact(student)
        elif not StudentGuardian.objects.filter(student=student, guardian=guardian).exists():
            raise ValidationError(
                f"{guardian} is not a recorded contact for {student.name}.", code="not_a_contact"
            )
        channel = channel or _channel_for(guardian)
        recipient_name, address = _recipient(guardian, channel, student)
        full_context = {**_base_context(student, guardian, by), **context}
        subject = _render(template.subject, full_context, template=template)
        body_source = template.sms_body if channel == C.SMS and template.sms_body else template.body
        body = _render(body_source, full_context, template=template)
        if related is not None and related.pk is None:
            raise ValueError("related must be saved before a message can point at it")
        message = Message.objects.create(
            channel=channel,
            status=S.DRAFT,
            audience=Message.Audience.PARENT,
            recipient_name=recipient_name,
            address=address,
            guardian=guardian,
            student=student,
            template=template,
            subject=" ".join(subject.split())[:255],
            body=body,
            related_type=ContentType.objects.get_for_model(related) if related else None,
            related_id=related.pk if related else None,
            created_by=by,
            calendar=calendar if channel == C.EMAIL else "",
        )
        _history(message, by=by, to=S.DRAFT)
        return message


# ---- a person acting on a message -------------------------------------------------------------


def _history(message: Message, *, by, to: str, from_: str = "", note: str = "") -> None:
    """Keep who moved a message from what to what (the audit view and the student's timeline
    read it); the worker's changes have no person."""
    history_record(target=message, by=by, from_=from_, to=to, note=note, student=message.student)


def _locked(message: Message, *allowed: str, doing: str) -> Message:
    """The current row, locked for this transaction, if its status allows `doing`."""
    current = Message.objects.select_for_update().get(pk=message.pk)
    if current.status not in allowed:
        raise ValidationError(
            f"This message cannot be {doing}: it is {current.get_status_display().lower()}.",
            code="wrong_status",
        )
    return current


def _send_after_commit(message_id: int) -> None:
    if conf.send_on_commit():
        transaction.on_commit(functools.partial(_send_now, message_id))


def message_update(*, message: Message, subject: str, body: str, by: User | None) -> Message:
    """Change a draft's wording before approval; only a draft can change."""
    with transaction.atomic():
        current = _locked(message, S.DRAFT, doing="edited")
        subject = " ".join(subject.split())
        body = body.replace("\r\n", "\n").strip()
        errors = {}
        if not subject and current.channel != C.SMS:
            errors["subject"] = "A message needs a subject."
        if not body:
            errors["body"] = "A message needs some words."
        if errors:
            raise ValidationError(errors)
        current.subject = subject[:255]
        current.body = body
        current.edited_by = by
        current.edited_at = clock.now()
        current.save(update_fields=["subject", "body", "edited_by", "edited_at"])
        return current


def message_approve(*, message: Message, by: User | None) -> Message:
    """Approve a draft: an email or text is queued for the worker to send; a
    letter waits to be printed and posted."""
    with transaction.atomic():
        current = _locked(message, S.DRAFT, doing="approved")
        missing = sorted(
            {
                part.split("]", 1)[0]
                for text in (current.subject, current.body)
                for part in text.split(MISSING)[1:]
            }
        )
        if missing:
            raise ValidationError(
                "Fill in what is missing before approving: " + ", ".join(missing) + ".",
                code="missing_variables",
            )
        now = clock.now()
        current.approved_by = by
        current.approved_at = now
        if current.channel == C.LETTER:
            current.status = S.APPROVED
        else:
            current.status = S.QUEUED
            current.next_attempt_at = now
            _send_after_commit(current.pk)
        current.save(update_fields=["status", "approved_by", "approved_at", "next_attempt_at"])
        _history(current, by=by, from_=S.DRAFT, to=current.status)
        return current


@dataclass
class BulkApproval:
    """What approving several drafts did: each draft is approved whole or left as it was."""

    sent: list[Message] = field(default_factory=list)  # emails and texts, sent after commit
    to_post: list[Message] = field(default_factory=list)  # letters approved, to print and post
    refused: list[tuple[Message, str]] = field(default_factory=list)  # with the reason


def messages_approve(*, message_ids: Iterable[int], by: User | None) -> BulkApproval:
    """Approve each chosen draft as `message_approve` does, each on its own: one that cannot be
    approved (not a draft any more, something missing) is left exactly as it was and named with
    the reason; the others are approved. Emails and texts are sent once the caller commits."""
    report = BulkApproval()
    chosen = Message.objects.filter(pk__in=set(message_ids)).select_related("student")
    for message in chosen.order_by("pk"):
        try:
            with transaction.atomic():
                approved = message_approve(message=message, by=by)
        except ValidationError as error:
            report.refused.append((message, " ".join(error.messages)))
            continue
        (report.to_post if approved.channel == C.LETTER else report.sent).append(approved)
    return report


def message_cancel(*, message: Message, by: User | None) -> Message:
    """Stop a message that has not gone: a draft, an unposted letter, a queued or failed one."""
    with transaction.atomic():
        current = _locked(
            message, S.DRAFT, S.APPROVED, S.QUEUED, S.FAILED, S.LOGGED, doing="cancelled"
        )
        before = current.status
        current.status = S.CANCELLED
        current.cancelled_by = by
        current.cancelled_at = clock.now()
        current.next_attempt_at = None
        current.save(update_fields=["status", "cancelled_by", "cancelled_at", "next_attempt_at"])
        _history(current, by=by, from_=before, to=S.CANCELLED)
        return current


def message_mark_sent(*, message: Message, by: User | None) -> Message:
    """Record that an approved letter has been printed and posted."""
    with transaction.atomic():
        current = _locked(message, S.APPROVED, doing="marked posted")
        if current.channel != C.LETTER:
            raise ValidationError("Only a letter is marked posted by hand.", code="not_a_letter")
        current.status = S.SENT
        current.sent_by = by
        current.sent_at = clock.now()
        current.save(update_fields=["status", "sent_by", "sent_at"])
        _history(current, by=by, from_=S.APPROVED, to=S.SENT, note="Letter posted")
        return current


def message_retry(*, message: Message, by: User | None) -> Message:
    """Put a failed email or text back in the queue with a fresh count of attempts."""
    with transaction.atomic():
        current = _locked(message, S.FAILED, S.LOGGED, doing="retried")
        current_status = current.status
        current.status = S.QUEUED
        current.attempts = 0
        current.next_attempt_at = clock.now()
        current.save(update_fields=["status", "attempts", "next_attempt_at"])
        _history(current, by=by, from_=current_status, to=S.QUEUED, note="Tried again")
        _send_after_commit(current.pk)
        return current


def staff_email_send(
    *,
    to: str | Iterable[str],
    subject: str,
    body: str,
    html: str | None = None,
    related: models.Model | None = None,
) -> list[Message]:
    """Store one queued email per staff address (e.g. the morning digest) and send each after
    commit; no approval step."""
    addresses = [to] if isinstance(to, str) else list(to)
    addresses = [address.strip() for address in addresses if address and address.strip()]
    if not addresses:
        raise ValidationError("A staff email needs at least one address.", code="no_recipient")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                f"{address!r} is not an email address.", code="bad_email"
            ) from None
    with transaction.atomic():
        now = clock.now()
        messages = [
            Message.objects.create(
                channel=C.EMAIL,
                status=S.QUEUED,
                audience=Message.Audience.STAFF,
                address=address,
                subject=" ".join(subject.split())[:255],
                body=body,
                body_html=html or "",
                related_type=ContentType.objects.get_for_model(related) if related else None,
                related_id=related.pk if related else None,
                approved_at=now,
                next_attempt_at=now,
            )
            for address in addresses
        ]
        for message in messages:
            _send_after_commit(message.pk)
        return messages


# ---- sending ----------------------------------------------------------------------------------
# Sending is deliberately not one transaction: the claim commits before we talk to the mail
# server or SMS provider, and the outcome is a second short write.


def _claim(message: Message, now: dt.datetime) -> bool:
    """Take a due message for this process. The database settles races: only the process whose
    conditional UPDATE moves the row from queued to sending sends it (healthchecks' sendalerts
    does the same), so no two senders ever send the same message."""
    lease_until = now + dt.timedelta(seconds=conf.CLAIM_LEASE_SECONDS)
    claimed = Message.objects.filter(
        pk=message.pk, status=S.QUEUED, attempts=message.attempts, next_attempt_at__lte=now
    ).update(status=S.SENDING, attempts=F("attempts") + 1, next_attempt_at=lease_until)
    if claimed != 1:
        return False
    message.status = S.SENDING
    message.attempts += 1
    message.next_attempt_at = lease_until
    return True


def _deliver(message: Message) -> str:
    """Send a claimed message and record the outcome: "sent", "retrying" or "failed"."""
    try:
        result = channel_for(message.channel).send(message)
    except Exception as exc:
        logger.warning("Message %s attempt %s failed: %s", message.pk, message.attempts, exc)
        now = clock.now()
        error = f"{clock.local(now):%d/%m/%Y %H:%M} attempt {message.attempts}: "
        error += f"{type(exc).__name__}: {exc}"
        if message.attempts >= conf.max_attempts():
            outcome, status, next_at = "failed", S.FAILED, None
        else:
            outcome, status = "retrying", S.QUEUED
            next_at = now + dt.timedelta(seconds=conf.retry_delay(message.attempts))
        with transaction.atomic():
            changed = Message.objects.filter(pk=message.pk, status=S.SENDING).update(
                status=status, next_attempt_at=next_at, last_error=error[:2000]
            )
            if changed and status == S.FAILED:
                _history(message, by=None, from_=S.QUEUED, to=S.FAILED, note=error[:300])
        return outcome
    status = S.SENT if result.delivered else S.LOGGED
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=status,
            sent_at=clock.now(),
            next_attempt_at=None,
            provider_ref=result.provider_ref[:200],
            delivery_note=result.note[:300],
        )
        _history(message, by=None, from_=S.QUEUED, to=status, note=result.note[:300])
    return "sent"


def _send_now(message_id: int) -> None:
    """After commit (only with NOTIFY_SEND_ON_COMMIT on): try one message at once. Never raises
    (the request has already succeeded); whatever is left is the worker's."""
    try:
        message = Message.objects.filter(pk=message_id, status=S.QUEUED).first()
        if message is not None and _claim(message, clock.now()):
            _deliver(message)
    except Exception:
        logger.exception(
            "Sending message %s after commit failed; the worker will retry", message_id
        )


def _release_stuck(now: dt.datetime) -> int:
    """A sender that died mid-send leaves its message "sending" past its lease. It may or may not
    have gone, so it is not sent again by itself: it is marked failed, saying so, for a person to
    check and try again (failed messages head the list)."""
    released = 0
    for message in selectors.messages_stuck_sending(now=now):
        note = (
            f"{clock.local(now):%d/%m/%Y %H:%M} attempt {message.attempts}: the sender stopped "
            "while sending, so this may or may not have gone. Check with the recipient before "
            "trying again."
        )
        with transaction.atomic():
            changed = Message.objects.filter(
                pk=message.pk, status=S.SENDING, next_attempt_at__lt=now
            ).update(status=S.FAILED, next_attempt_at=None, last_error=note)
            if changed:
                _history(message, by=None, from_=S.SENDING, to=S.FAILED, note=note[:300])
                released += changed
    return released


def message_send_due(*, limit: int = 100) -> SendReport:
    """Send queued emails and texts that are due, at most `limit`; each is claimed first, so two
    workers running at once never send the same message twice."""
    report = SendReport()
    now = clock.now()
    report.failed += _release_stuck(now)
    for message in selectors.messages_due(now=now, limit=limit):
        if not _claim(message, now):
            report.skipped += 1
            continue
        outcome = _deliver(message)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


# ---- the in-app inbox -------------------------------------------------------------------------


def notice_send(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    urgent: bool = False,
) -> list[Notice]:
    """One inbox notice for each distinct recipient (an account that is not active gets none)."""
    seen: set[int] = set()
    people = []
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        people.append(person)
    now = clock.now()
    return Notice.objects.bulk_create(
        [
            Notice(
                recipient=person,
                kind=kind[:30],
                title=" ".join(title.split())[:200],
                body=body,
                link=link[:300],
                level=Notice.Level.URGENT if urgent else Notice.Level.NORMAL,
                created_at=now,
            )
            for person in people
        ]
    )


def notices_read(*, user: User, link: str | None = None, notice_id: int | None = None) -> int:
    """Mark `user`'s unread notices read: the one with `notice_id`, or those pointing at `link`.
    Says how many."""
    unread = Notice.objects.filter(recipient=user, read_at=None)
    if notice_id is not None:
        unread = unread.filter(pk=notice_id)
    elif link is not None:
        unread = unread.filter(link=link)
    else:
        return 0
    return unread.update(read_at=clock.now())
