"""The ways a message leaves the school, behind one small interface.

A channel's `send(message)` either returns a `SendResult` or raises; the caller (services)
records the outcome on the stored message. Channels never touch the database themselves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from conduct.lib import clock
from notify import conf

if TYPE_CHECKING:
    from weasyprint import Document

    from notify.models import Message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    provider_ref: str = ""
    note: str = ""
    # False when nothing reached the recipient (the "log" SMS provider): the message is then
    # "logged only", never "sent".
    delivered: bool = True


class ChannelError(Exception):
    """The channel could not send; the message is retried later or marked failed."""


class Channel(Protocol):
    def send(self, message: Message) -> SendResult: ...


class EmailChannel:
    """Email through whichever Django email backend settings chose (EMAIL_URL)."""

    def send(self, message: Message) -> SendResult:
        from school.models import School

        school = School.objects.order_by("pk").first()
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address.strip()],
            # Parents who reply should reach the school, not an unattended sending address.
            reply_to=[school.email] if school and school.email else None,
            headers={"X-Conduct-Message": str(message.pk)},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        if message.calendar:
            email.attach("invitation.ics", message.calendar, "text/calendar; method=REQUEST")
        if email.send(fail_silently=False) != 1:
            raise ChannelError("the email backend did not accept the message")
        return SendResult()


# ---- SMS ------------------------------------------------------------------------------------


class SmsProvider(Protocol):
    """What a real SMS gateway adapter implements (docs/notify.md shows one)."""

    def send(self, *, to: str, body: str) -> SendResult: ...


class LogSmsProvider:
    """The default: writes the text to the log and sends nothing, saying so on the message."""

    def send(self, *, to: str, body: str) -> SendResult:
        logger.info("SMS (not sent, SMS_PROVIDER=log) to %s: %s", to, body)
        return SendResult(
            note='No real text message was sent: SMS_PROVIDER is "log". Set it to a provider '
            "to send texts (docs/notify.md).",
            delivered=False,
        )


BUILT_IN_SMS_PROVIDERS = {"log": LogSmsProvider}


def sms_provider() -> SmsProvider:
    """The provider SMS_PROVIDER names: "log" or the dotted path of a class."""
    name = conf.sms_provider()
    if name in BUILT_IN_SMS_PROVIDERS:
        return BUILT_IN_SMS_PROVIDERS[name]()
    try:
        provider_class = import_string(name)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f'SMS_PROVIDER must be "log" or the dotted path of a provider class; got {name!r} '
            f"({exc})"
        ) from None
    return provider_class()


class SmsChannel:
    def send(self, message: Message) -> SendResult:
        return sms_provider().send(to=message.address.strip(), body=message.body)


# ---- letters --------------------------------------------------------------------------------


def letter_document(message: Message) -> Document:
    """The laid-out A4 letter (WeasyPrint), for the PDF and for tests that read its text."""
    from weasyprint import HTML

    from school.models import School

    school = School.objects.order_by("pk").first()
    dated = clock.local(message.approved_at or clock.now()).date()
    html = render_to_string(
        "notify/letter.html", {"message": message, "school": school, "dated": dated}
    )
    return HTML(string=html).render()


def letter_pdf(message: Message) -> bytes:
    """The letter as PDF bytes, rendered from the stored text (the same text every time; the
    date is the day it was approved, or today for a draft)."""
    return letter_document(message).write_pdf()


class LetterChannel:
    """A letter is printed and posted by a person, who then marks it sent; nothing automatic."""

    def send(self, message: Message) -> SendResult:
        raise ChannelError("letters are printed and posted by a person, not sent by the worker")

    def render(self, message: Message) -> bytes:
        return letter_pdf(message)


def channel_for(name: str) -> Channel:
    channels: dict[str, type] = {"email": EmailChannel, "sms": SmsChannel, "letter": LetterChannel}
    return channels[name]()
