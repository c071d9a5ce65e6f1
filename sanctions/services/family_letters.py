"""The letters to a placed student's family: drafted for a person to review, and withdrawn when
the placement changes."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from conduct.lib.errors import message_of
from conduct.lib.wording import dates_phrase, hhmm
from notify.models import Message
from notify.selectors import messages_about
from notify.services import message_cancel, message_draft
from sanctions.models import Placement


def _parent_reason(placement: Placement) -> str:
    incident = placement.referral.incident if placement.referral else None
    if incident is None:
        return ""
    return f"of {incident.reason.name[0].lower()}{incident.reason.name[1:]}"


def _lesson_of(placement: Placement) -> str:
    """The lesson a student was removed from as a family would name it: "Maths"."""
    teaching_class = placement.removed_from.teaching_class if placement.removed_from else None
    if teaching_class is None:
        return ""
    if teaching_class.subject is not None:
        return teaching_class.subject.name
    return teaching_class.name or teaching_class.code


def family_letter_draft(
    *,
    placement: Placement,
    by,
    key: str = "",
    dates: Sequence[dt.date] | None = None,
    previous_dates: Sequence[dt.date] = (),
) -> Message | None:
    """Draft the family's letter about `placement` for a person to review: the booking letter
    (or the removal letter) unless `key` names another template; `dates` are the days it speaks
    of, by default the placement's days on the register. A family with no usable contact doesn't
    stop the change: the problem is kept on the placement and shown, and nothing is drafted."""
    provision = placement.provision
    if dates is None:
        dates = list(placement.days.filter(is_active=True).values_list("date", flat=True))
    context = {
        "provision": provision.name,
        "dates": dates_phrase(dates),
        "day_count": len(dates),
        "start_time": f"{provision.arrives_at:%H:%M}" if provision.arrives_at else "",
        "end_time": f"{provision.leaves_at:%H:%M}" if provision.leaves_at else "",
        "entrance": provision.arrival_instructions,
        "previous_dates": dates_phrase(previous_dates),
    }
    reason = _parent_reason(placement)
    if reason:
        # No recorded reason (a removal, or a booking without a referral): the draft says
        # "[missing: reason]" and can't be approved until the officer writes it in words for a
        # family (what the teacher noted is not written for one).
        context["reason"] = reason
    if placement.removed_from_id:
        context["removal_time"] = hhmm(placement.booked_at)
        lesson = _lesson_of(placement)
        if lesson:
            context["lesson"] = lesson
    if not key:
        key = "removal-to-reflection-room" if placement.removed_from_id else "placement-booked"
    try:
        with transaction.atomic():
            return message_draft(
                template_key=key,
                context=context,
                student=placement.student,
                related=placement,
                by=by,
            )
    except ValidationError as error:
        placement.parent_notice_problem = message_of(error)[:300]
        placement.save(update_fields=["parent_notice_problem"])
        return None


def family_letters_withdraw(*, placement: Placement, by) -> bool:
    """Cancel the family's letters about `placement` that nobody has approved yet. Says whether
    the family had already been told (a letter approved, queued or sent), so the caller can write
    to them again."""
    told = False
    for message in messages_about(placement):
        if message.status == Message.Status.DRAFT:
            message_cancel(message=message, by=by)
        elif message.status in (
            Message.Status.APPROVED,
            Message.Status.QUEUED,
            Message.Status.SENT,
        ):
            told = True
    return told
