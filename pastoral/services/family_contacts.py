"""Writes for contacts with a student's family: a logged phone call, and a "good day" note home."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.wording import dates_phrase
from notify import services as notify_services
from notify.models import Message
from pastoral.models import FamilyCall
from sanctions.models import Placement
from school.models import Guardian, Student, StudentGuardian

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def family_call_record(
    *,
    student: Student,
    guardian: Guardian | None,
    outcome: str,
    note: str = "",
    placement: Placement | None = None,
    called_at: dt.datetime | None = None,
    by: User,
) -> FamilyCall:
    """Log a phone call to one of `student`'s contacts (optionally about a placement). A call
    that reached someone ("spoke to them") counts as the family being told."""
    errors: dict[str, str] = {}
    if outcome not in FamilyCall.Outcome.values:
        errors["outcome"] = "Choose what came of the call."
    link = None
    if guardian is None:
        errors["guardian"] = "Choose whom you rang."
    else:
        link = StudentGuardian.objects.filter(student=student, guardian=guardian).first()
        if link is None:
            errors["guardian"] = f"{guardian} is not a recorded contact for {student.name}."
    if placement is not None and placement.student_id != student.pk:
        errors["placement"] = "That placement is another student's."
    now = clock.now()
    called_at = called_at or now
    if called_at > now + dt.timedelta(minutes=1):
        errors["called_at"] = "A call cannot be logged before it happens."
    note = (note or "").strip()
    if outcome == FamilyCall.Outcome.WRONG_NUMBER and not note:
        errors["note"] = "Say which number was wrong, so the office can correct it in the MIS."
    if errors:
        raise ValidationError(errors)
    assert guardian is not None
    number = guardian.mobile.strip() or guardian.home_phone.strip()
    with transaction.atomic():
        call = FamilyCall.objects.create(
            student=student,
            placement=placement,
            guardian=guardian,
            called_name=str(guardian),
            number=number[:40],
            outcome=outcome,
            note=note,
            called_at=called_at,
            called_by=by,
        )
        history_record(
            target=call,
            by=by,
            field="outcome",
            to=outcome,
            note=f"Phoned {guardian} ({link.get_relationship_display() if link else ''})",
            student=student,
        )
    return call


GOOD_DAY_TEMPLATE = "good-day"


def good_day_note_draft(*, placement: Placement, note: str = "", by: User) -> Message:
    """Draft "a good day" note home for a student in a room, for a person to check and send as
    any other message (notify). `note` says, in a line, what went well."""
    context = {
        "provision": placement.provision.name,
        "dates": dates_phrase([clock.today()]),
        "reason": (note or "").strip() or "worked hard and followed instructions all day",
    }
    return notify_services.message_draft(
        template_key=GOOD_DAY_TEMPLATE,
        context=context,
        student=placement.student,
        related=placement,
        by=by,
    )
