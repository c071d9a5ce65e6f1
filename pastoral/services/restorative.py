"""Writes for restorative meetings: plan one (with a member of staff or another student who was
affected, when, where, who facilitates), move or cancel it while planned, record it once held,
and raise its level."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from pastoral.models import LEVEL_RANK, Level, RestorativeMeeting
from pastoral.services.levels import check_level
from sanctions.models import Placement
from school.models import Staff, Student


@transaction.atomic
def restorative_meeting_plan(
    *,
    student: Student,
    affected_staff: Staff | None,
    affected_student: Student | None,
    starts_at: dt.datetime,
    place: str,
    facilitator: Staff | None,
    placement: Placement | None = None,
    level: str = Level.PASTORAL,
    by,
) -> RestorativeMeeting:
    """Plan a restorative meeting between `student` and those affected."""
    check_level(level)
    if affected_staff is None and affected_student is None:
        raise ValidationError(
            {"affected_staff": "Choose who was affected: a member of staff or another student."}
        )
    if affected_student is not None and affected_student.pk == student.pk:
        raise ValidationError({"affected_student": "Choose another student than this one."})
    if placement is not None and placement.student_id != student.pk:
        raise ActionRefused("That placement is another student's.")
    place = place.strip()
    if not place:
        raise ValidationError({"place": "Say where the meeting is."})
    meeting = RestorativeMeeting.objects.create(
        student=student,
        placement=placement,
        affected_staff=affected_staff,
        affected_student=affected_student,
        starts_at=starts_at,
        place=place[:120],
        facilitator=facilitator,
        level=level,
        planned_by=by,
        planned_at=clock.now(),
    )
    history_record(target=meeting, by=by, to=RestorativeMeeting.Status.PLANNED, student=student)
    return meeting


@transaction.atomic
def restorative_meeting_record(
    *, meeting: RestorativeMeeting, attended: str, said: str, agreed: str, outcome: str, by
) -> RestorativeMeeting:
    """Record the meeting as held, once: who attended, what was said and agreed, the outcome."""
    if outcome not in RestorativeMeeting.Outcome.values:
        raise ValidationError({"outcome": "Choose how it ended."})
    if not attended.strip():
        raise ValidationError({"attended": "Say who attended."})
    if not said.strip():
        raise ValidationError({"said": "Write what was said."})
    changed = RestorativeMeeting.objects.filter(
        pk=meeting.pk, status=RestorativeMeeting.Status.PLANNED
    ).update(
        status=RestorativeMeeting.Status.HELD,
        attended=attended.strip(),
        said=said.strip(),
        agreed=agreed.strip(),
        outcome=outcome,
        recorded_by=by,
        recorded_at=clock.now(),
    )
    if changed != 1:
        raise ActionRefused("This meeting is already recorded.")
    meeting.refresh_from_db()
    history_record(
        target=meeting,
        by=by,
        from_=RestorativeMeeting.Status.PLANNED,
        to=RestorativeMeeting.Status.HELD,
        note=meeting.get_outcome_display(),
        student=meeting.student,
    )
    return meeting


def _when_where(starts_at: dt.datetime, place: str) -> str:
    return f"{clock.local(starts_at):%H:%M %a %-d %b} in {place}"


@transaction.atomic
def restorative_meeting_cancel(
    *, meeting: RestorativeMeeting, reason: str, by
) -> RestorativeMeeting:
    """Cancel a planned meeting, with the reason (kept on the meeting and in its history)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the meeting is cancelled."})
    changed = RestorativeMeeting.objects.filter(
        pk=meeting.pk, status=RestorativeMeeting.Status.PLANNED
    ).update(
        status=RestorativeMeeting.Status.CANCELLED,
        cancel_reason=reason[:1000],
        cancelled_by=by,
        cancelled_at=clock.now(),
    )
    if changed != 1:
        raise ActionRefused("Only a planned meeting can be cancelled; this one is not any more.")
    meeting.refresh_from_db()
    history_record(
        target=meeting,
        by=by,
        from_=RestorativeMeeting.Status.PLANNED,
        to=RestorativeMeeting.Status.CANCELLED,
        note=meeting.cancel_reason,
        student=meeting.student,
    )
    return meeting


@transaction.atomic
def restorative_meeting_move(
    *, meeting: RestorativeMeeting, starts_at: dt.datetime, place: str, by
) -> RestorativeMeeting:
    """Move a planned meeting to a new time and/or place; the old ones stay in its history."""
    place = place.strip()[:120]
    if not place:
        raise ValidationError({"place": "Say where the meeting is."})
    if starts_at == meeting.starts_at and place == meeting.place:
        raise ValidationError({"starts_at": "Choose a new time or a new place."})
    old = _when_where(meeting.starts_at, meeting.place)
    changed = RestorativeMeeting.objects.filter(
        pk=meeting.pk,
        status=RestorativeMeeting.Status.PLANNED,
        starts_at=meeting.starts_at,
        place=meeting.place,
    ).update(starts_at=starts_at, place=place)
    if changed != 1:
        raise ActionRefused(
            "The meeting changed meanwhile (moved, cancelled or recorded); look again."
        )
    from_value = clock.local(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    meeting.starts_at, meeting.place = starts_at, place
    history_record(
        target=meeting,
        by=by,
        field="starts_at",
        from_=from_value,
        to=clock.local(starts_at).strftime("%Y-%m-%d %H:%M"),
        note=f"Moved from {old} to {_when_where(starts_at, place)}",
        student=meeting.student,
    )
    return meeting


@transaction.atomic
def restorative_meeting_level_raise(
    *, meeting: RestorativeMeeting, level: str, by
) -> RestorativeMeeting:
    """Raise a meeting's level; a level is never lowered."""
    check_level(level)
    current = meeting.level
    if LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(current)]:
        raise ActionRefused("A record's level can only be raised.")
    if RestorativeMeeting.objects.filter(pk=meeting.pk, level=current).update(level=level) != 1:
        raise ActionRefused("The level changed meanwhile; look again.")
    meeting.level = level
    history_record(
        target=meeting, by=by, field="level", from_=current, to=level, student=meeting.student
    )
    return meeting
