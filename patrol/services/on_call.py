"""Writes for on-call requests: the reasons a school starts with, raise, claim, arrive, resolve
and escalate."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from pastoral.models import Level
from pastoral.services.levels import check_level, level_raise
from patrol.events import send_queue_event_on_commit
from patrol.models import OnCallReason, OnCallRequest
from patrol.selectors import on_call as on_call_selectors
from patrol.selectors import people
from patrol.services import removal
from school.models import Period, Room, Student, TeachingClass

DEFAULT_REASONS = (
    "Disrupting learning after warnings",
    "Refusing to follow instructions",
    "Refusing to leave / go to buddy room",
    "Rude or abusive to staff",
    "Fighting or unsafe behaviour",
    "Student missing or out of lesson",
    "Other",
)


class AlreadyClaimed(ActionRefused):
    def __init__(self, request: OnCallRequest):
        self.request = request
        who = people.person_name(request.claimed_by) or "someone"
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
    by,
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
    now = now or clock.now()
    request = OnCallRequest.objects.create(
        raised_by=by,
        reason=reason,
        urgency=urgency,
        room=room,
        location=location,
        teaching_class=teaching_class,
        period=period,
        note=note.strip(),
        raised_at=now,
    )
    request.students.set(list(students))
    _record(request, by=by, to=OnCallRequest.Status.OPEN, at=now)
    send_queue_event_on_commit("raised", request.pk)
    return request


def _changed(request_id: int) -> OnCallRequest:
    return OnCallRequest.objects.select_related("claimed_by").get(pk=request_id)


def _record(request: OnCallRequest, **change) -> None:
    """Keep a change in the request's history, once for each student on it (so it shows on each
    student's timeline), or once when it names nobody; in the caller's transaction."""
    students: list[Student | None] = list(request.students.all())
    for student in students or [None]:
        history_record(target=request, student=student, **change)


@transaction.atomic
def on_call_request_claim(*, request_id: int, by, now: dt.datetime | None = None) -> OnCallRequest:
    """Make `by` the one person on the way. Two claims at the same moment: the database lets
    exactly one UPDATE match the open, unclaimed row; the other gets AlreadyClaimed."""
    now = now or clock.now()
    won = OnCallRequest.objects.filter(
        pk=request_id, status=OnCallRequest.Status.OPEN, claimed_by=None
    ).update(
        status=OnCallRequest.Status.CLAIMED,
        claimed_by=by,
        claimed_at=now,
        version=F("version") + 1,
    )
    request = _changed(request_id)
    if won != 1:
        if request.status == OnCallRequest.Status.RESOLVED:
            raise ActionRefused("That request has already been resolved.")
        raise AlreadyClaimed(request)
    _record(request, by=by, from_=OnCallRequest.Status.OPEN, to=request.status, at=now)
    send_queue_event_on_commit("claimed", request_id)
    return request


@transaction.atomic
def on_call_request_mark_arrived(
    *, request_id: int, by, now: dt.datetime | None = None
) -> OnCallRequest:
    """Record that the person who claimed the request is now in the room."""
    now = now or clock.now()
    changed = OnCallRequest.objects.filter(
        pk=request_id, status=OnCallRequest.Status.CLAIMED, claimed_by=by
    ).update(
        status=OnCallRequest.Status.ARRIVED,
        arrived_at=now,
        version=F("version") + 1,
    )
    if changed != 1:
        raise ActionRefused("Only the person who claimed it can mark arrival, once.")
    request = _changed(request_id)
    _record(
        request, by=by, from_=OnCallRequest.Status.CLAIMED, to=OnCallRequest.Status.ARRIVED, at=now
    )
    send_queue_event_on_commit("arrived", request_id)
    return request


@transaction.atomic
def on_call_request_resolve(
    *,
    request_id: int,
    by,
    outcome: str,
    note: str = "",
    removed_students: Iterable[Student] | None = None,
    now: dt.datetime | None = None,
    level: str = Level.STAFF,
) -> OnCallRequest:
    """Close the request with an outcome (its note at `level`: who may read it). Removal to the
    reflection room starts a placement now for each removed student, in the same transaction:
    both happen or neither. A note above the staff level goes nowhere else (not the removal's
    note, not the history)."""
    if outcome not in OnCallRequest.Outcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    check_level(level)
    now = now or clock.now()
    request = OnCallRequest.objects.select_for_update().get(pk=request_id)
    removed: list[Student] = []
    if outcome == OnCallRequest.Outcome.REMOVED:
        on_request = list(request.students.all())
        chosen = on_request if removed_students is None else list(removed_students)
        removed = [s for s in chosen if s in on_request]
        if not removed:
            raise ValidationError({"students": "Choose the student(s) removed from the lesson."})
    changed = OnCallRequest.objects.filter(
        pk=request_id, status__in=OnCallRequest.NOT_RESOLVED
    ).update(
        status=OnCallRequest.Status.RESOLVED,
        outcome=outcome,
        outcome_note=note.strip(),
        outcome_level=level,
        resolved_at=now,
        resolved_by=by,
        version=F("version") + 1,
    )
    if changed != 1:
        raise ActionRefused("That request has already been resolved.")
    before = request.status
    request.refresh_from_db()
    for student in removed:
        placement = removal.remove_to_reflection_room(
            student=student,
            by=by,
            teaching_class=request.teaching_class,
            period=request.period,
            note=(request.outcome_note if level == Level.STAFF else "") or request.note,
        )
        request.placements.add(placement)
    outcome_said = request.get_outcome_display()
    _record(
        request,
        by=by,
        from_=before,
        to=OnCallRequest.Status.RESOLVED,
        at=now,
        note=f"{outcome_said}: {request.outcome_note}"
        if request.outcome_note and level == Level.STAFF
        else outcome_said,
    )
    send_queue_event_on_commit("resolved", request_id)
    return request


def on_call_escalate_due(*, now: dt.datetime | None = None) -> list[int]:
    """Move every request left unclaimed past the escalation time to SLT on call, each in its own
    transaction; a request claimed meanwhile is left alone. Returns the ids escalated."""
    now = now or clock.now()
    due = OnCallRequest.objects.filter(
        status=OnCallRequest.Status.OPEN,
        tier=OnCallRequest.Tier.PATROL,
        raised_at__lte=now - on_call_selectors.escalate_after(),
    ).values_list("pk", flat=True)
    escalated = []
    for pk in list(due):
        with transaction.atomic():
            changed = OnCallRequest.objects.filter(
                pk=pk, status=OnCallRequest.Status.OPEN, tier=OnCallRequest.Tier.PATROL
            ).update(tier=OnCallRequest.Tier.SLT, escalated_at=now, version=F("version") + 1)
            if changed == 1:
                # Nobody acted: the clock moved it.
                _record(
                    OnCallRequest.objects.get(pk=pk),
                    by=None,
                    field="tier",
                    from_=OnCallRequest.Tier.PATROL.label,
                    to=OnCallRequest.Tier.SLT.label,
                    at=now,
                )
                send_queue_event_on_commit("escalated", pk)
                escalated.append(pk)
    return escalated


@transaction.atomic
def on_call_note_level_raise(*, request: OnCallRequest, level: str, by) -> OnCallRequest:
    """Raise the level of an on-call outcome note; never lowered. Open queues get the card again
    (without the note, now above the staff level)."""
    raised = level_raise(
        record=request, level=level, by=by, student=request.students.first(), field="outcome_level"
    )
    send_queue_event_on_commit("level", request.pk)
    return raised
