"""Writes for on-call: raise, claim, arrive, resolve and escalate. One transaction each; live
events go out only after it commits; races are settled by the database, not by Python."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from patrol.events import send_queue_event_on_commit
from patrol.models import OnCallReason, OnCallRequest
from patrol.selectors import escalate_after, person_name
from school import selectors as school
from school.models import Period, Room, Student, TeachingClass

log = logging.getLogger(__name__)

DEFAULT_REASONS = (
    "Disrupting learning after warnings",
    "Refusing to follow instructions",
    "Refusing to leave / go to buddy room",
    "Rude or abusive to staff",
    "Fighting or unsafe behaviour",
    "Student missing or out of lesson",
    "Other",
)


class OnCallError(Exception):
    """A request that cannot change the way asked; the message says why, for the person."""


class AlreadyClaimed(OnCallError):
    def __init__(self, request: OnCallRequest):
        self.request = request
        who = person_name(request.claimed_by) or "someone"
        super().__init__(f"Already claimed by {who}.")


def on_call_reasons_ensure_defaults() -> None:
    """Seed the short list of reasons a school starts with (idempotent; keeps edits)."""
    if OnCallReason.objects.exists():
        return
    OnCallReason.objects.bulk_create(
        OnCallReason(label=label, position=i * 10) for i, label in enumerate(DEFAULT_REASONS)
    )


@transaction.atomic
def on_call_request_raise(
    *,
    raised_by,
    reason: OnCallReason,
    urgency: str = OnCallRequest.Urgency.ROUTINE,
    room: Room | None = None,
    location: str = "",
    teaching_class: TeachingClass | None = None,
    period: Period | None = None,
    students: Iterable[Student] = (),
    note: str = "",
    now: dt.datetime | None = None,
) -> OnCallRequest:
    """Store a new open request for the patrol team; every queue client hears of it after
    commit."""
    location = location.strip()
    if room is None and not location:
        raise ValidationError({"room": "Say where help is needed: a room or a place."})
    if urgency not in OnCallRequest.Urgency.values:
        raise ValidationError({"urgency": "Choose routine, urgent or emergency."})
    if not reason.is_active:
        raise ValidationError({"reason": "That reason is no longer in use."})
    request = OnCallRequest.objects.create(
        raised_by=raised_by,
        reason=reason,
        urgency=urgency,
        room=room,
        location=location,
        teaching_class=teaching_class,
        period=period,
        note=note.strip(),
        raised_at=now or school.local_now(),
    )
    request.students.set(list(students))
    send_queue_event_on_commit("raised", request.pk)
    return request


def _changed(request_id: int) -> OnCallRequest:
    return OnCallRequest.objects.select_related("claimed_by").get(pk=request_id)


@transaction.atomic
def on_call_request_claim(
    *, request_id: int, user, now: dt.datetime | None = None
) -> OnCallRequest:
    """Make `user` the one person on the way. Two claims at the same moment: the database lets
    exactly one UPDATE match the open, unclaimed row; the other gets AlreadyClaimed."""
    won = OnCallRequest.objects.filter(
        pk=request_id, status=OnCallRequest.Status.OPEN, claimed_by=None
    ).update(
        status=OnCallRequest.Status.CLAIMED,
        claimed_by=user,
        claimed_at=now or school.local_now(),
        version=F("version") + 1,
    )
    request = _changed(request_id)
    if won != 1:
        if request.status == OnCallRequest.Status.RESOLVED:
            raise OnCallError("That request has already been resolved.")
        raise AlreadyClaimed(request)
    send_queue_event_on_commit("claimed", request_id)
    return request


@transaction.atomic
def on_call_request_mark_arrived(
    *, request_id: int, user, now: dt.datetime | None = None
) -> OnCallRequest:
    """Record that the person who claimed the request is now in the room."""
    changed = OnCallRequest.objects.filter(
        pk=request_id, status=OnCallRequest.Status.CLAIMED, claimed_by=user
    ).update(
        status=OnCallRequest.Status.ARRIVED,
        arrived_at=now or school.local_now(),
        version=F("version") + 1,
    )
    if changed != 1:
        raise OnCallError("Only the person who claimed it can mark arrival, once.")
    send_queue_event_on_commit("arrived", request_id)
    return _changed(request_id)


@transaction.atomic
def on_call_request_resolve(
    *,
    request_id: int,
    user,
    outcome: str,
    note: str = "",
    removed_students: Iterable[Student] | None = None,
    now: dt.datetime | None = None,
) -> OnCallRequest:
    """Close the request with an outcome. Removal to the reflection room starts a placement now
    for each removed student, in the same transaction: both happen or neither."""
    if outcome not in OnCallRequest.Outcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    now = now or school.local_now()
    request = OnCallRequest.objects.select_for_update().get(pk=request_id)
    removed: list[Student] = []
    if outcome == OnCallRequest.Outcome.REMOVED:
        on_request = list(request.students.all())
        chosen = on_request if removed_students is None else list(removed_students)
        removed = [s for s in chosen if s in on_request]
        if not removed:
            raise ValidationError({"students": "Choose the student(s) removed from the lesson."})
    changed = OnCallRequest.objects.filter(
        pk=request_id, status__in=[s for s in OnCallRequest.Status.values if s != "resolved"]
    ).update(
        status=OnCallRequest.Status.RESOLVED,
        outcome=outcome,
        outcome_note=note.strip(),
        resolved_at=now,
        resolved_by=user,
        version=F("version") + 1,
    )
    if changed != 1:
        raise OnCallError("That request has already been resolved.")
    request.refresh_from_db()
    for student in removed:
        _start_reflection_room_placement(request=request, student=student, removed_by=user)
    send_queue_event_on_commit("resolved", request_id)
    return request


def _start_reflection_room_placement(*, request: OnCallRequest, student: Student, removed_by):
    """Hand the removal to the sanctions app: a reflection room placement starting now, with the
    lesson recorded. Called inside the resolve transaction, so a failure undoes the outcome."""
    if not apps.is_installed("sanctions"):
        log.warning("sanctions is not installed: no reflection room placement for %s", student)
        return None
    from sanctions import services as sanctions_services

    removal = getattr(sanctions_services, "reflection_room_removal", None)
    if removal is None:
        # The sanctions app does not offer the removal service yet (integration pending): the
        # outcome is recorded and the reflection room team sees it in the queue's history.
        log.warning("sanctions.services.reflection_room_removal is missing: pending integration")
        return None
    return removal(
        student=student,
        removed_by=removed_by,
        teaching_class=request.teaching_class,
        period=request.period,
        note=request.outcome_note or request.note,
        on_call_request=request,
    )


def on_call_escalate_due(*, now: dt.datetime | None = None) -> list[int]:
    """Move every request left unclaimed past the escalation time to SLT on call, each in its own
    transaction; a request claimed meanwhile is left alone. Returns the ids escalated."""
    now = now or school.local_now()
    due = OnCallRequest.objects.filter(
        status=OnCallRequest.Status.OPEN,
        tier=OnCallRequest.Tier.PATROL,
        raised_at__lte=now - escalate_after(),
    ).values_list("pk", flat=True)
    escalated = []
    for pk in list(due):
        with transaction.atomic():
            changed = OnCallRequest.objects.filter(
                pk=pk, status=OnCallRequest.Status.OPEN, tier=OnCallRequest.Tier.PATROL
            ).update(tier=OnCallRequest.Tier.SLT, escalated_at=now, version=F("version") + 1)
            if changed == 1:
                send_queue_event_on_commit("escalated", pk)
                escalated.append(pk)
    return escalated
