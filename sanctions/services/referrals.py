"""Writes for referrals: asking for a provision, approving (which books it) and declining."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from sanctions import policies
from sanctions.models import Incident, Placement, Provision, Referral
from sanctions.services import placements
from school.models import Student


def _next_booking_day() -> dt.date:
    """Approving books from the next school day: the room's day starts before main school."""
    return clock.today() + dt.timedelta(days=1)


@transaction.atomic
def referral_create(
    *,
    student: Student,
    provision: Provision,
    days: int,
    by,
    incident: Incident | None = None,
    note: str = "",
) -> Referral:
    """Ask for a provision for a student, kept pending in its history with who asked. A referrer
    who may approve it is approved at once."""
    if not policies.can_refer(by):
        raise ActionRefused("Your account can't make referrals.")
    if not 1 <= days <= 10:
        raise ValidationError({"days": "Ask for between 1 and 10 days."})
    referral = Referral.objects.create(
        student=student,
        provision=provision,
        days=days,
        requested_by=by,
        requested_at=clock.now(),
        incident=incident,
        note=note.strip(),
    )
    history_record(target=referral, by=by, to=referral.status, note=referral.note, student=student)
    if policies.can_approve(by, provision, student):
        referral_approve(referral=referral, by=by)
    return referral


def _claim_pending(referral: Referral, by, status: str, note: str = "") -> None:
    """Move a pending referral on and keep the decision in its history; exactly one decision
    wins when two approvers click at once."""
    changed = Referral.objects.filter(pk=referral.pk, status=Referral.Status.PENDING).update(
        status=status, decided_by=by, decided_at=clock.now(), decision_note=note
    )
    if changed != 1:
        referral.refresh_from_db()
        raise ActionRefused(
            f"This referral was already {referral.get_status_display().lower()}"
            + (f" by {referral.decided_by.get_full_name()}" if referral.decided_by else "")
            + "."
        )
    referral.refresh_from_db()
    history_record(
        target=referral,
        by=by,
        from_=Referral.Status.PENDING,
        to=status,
        note=note,
        student=referral.student,
    )


def _amendment_record(referral: Referral, by, field: str, old, new) -> None:
    history_record(
        target=referral,
        by=by,
        field=field,
        from_=old,
        to=new,
        note="Amended on approval",
        student=referral.student,
    )


@transaction.atomic
def referral_approve(
    *,
    referral: Referral,
    by,
    days: int | None = None,
    provision: Provision | None = None,
    start_on: dt.date | None = None,
    note: str = "",
) -> Placement | None:
    """Approve a pending referral (amending days or provision if given, each amendment kept in
    its history) and book it."""
    provision = provision or referral.provision
    if not policies.can_approve(by, referral.provision, referral.student):
        raise ActionRefused("Your account can't decide this referral.")
    if not policies.can_approve(by, provision, referral.student):
        raise ActionRefused(f"Your account can't approve {provision.name.lower()} referrals.")
    amended = []
    if days and days != referral.days:
        amended.append(f"days {referral.days} → {days}")
        _amendment_record(referral, by, "days", referral.days, days)
        referral.days = days
    if provision != referral.provision:
        amended.append(f"{referral.provision} → {provision}")
        _amendment_record(referral, by, "provision", referral.provision.kind, provision.kind)
        referral.provision = provision
    if amended:
        referral.save(update_fields=["days", "provision"])
        note = "; ".join(["Amended: " + ", ".join(amended), note]).strip("; ")
    _claim_pending(referral, by, Referral.Status.APPROVED, note)
    if not provision.is_bookable:
        return None
    return placements.placement_book(
        student=referral.student,
        provision=provision,
        days=referral.days,
        by=by,
        start_on=start_on or _next_booking_day(),
        referral=referral,
    )


@transaction.atomic
def referral_decline(*, referral: Referral, by, reason: str) -> Referral:
    """Decline a pending referral; the reason is required and shown to the referrer."""
    if not policies.can_approve(by, referral.provision, referral.student):
        raise ActionRefused("Your account can't decide this referral.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is declined."})
    _claim_pending(referral, by, Referral.Status.DECLINED, reason.strip())
    return referral
