"""Writes for students sent out of lessons: the teacher's log and the patrol's visit."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from conduct.lib.wording import hhmm
from patrol.models import SentOut
from patrol.selectors import people
from patrol.services import checks, removal
from school.models import Period, Room, Student, TeachingClass


@transaction.atomic
def sent_out_log(
    *,
    by,
    student: Student,
    reason: str,
    sent_to: str,
    sent_to_room: Room | None = None,
    sent_to_place: str = "",
    teaching_class: TeachingClass | None = None,
    period: Period | None = None,
    from_room: Room | None = None,
    sent_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> SentOut:
    """Record a student sent out of a lesson; it shows to the patrol as a visit to make."""
    now = now or clock.now()
    sent_at = sent_at or now
    reason, sent_to_place = reason.strip(), sent_to_place.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Say why the student was sent out."
    if sent_to not in SentOut.Destination.values:
        errors["sent_to"] = "Choose where the student was sent: corridor, buddy room or elsewhere."
    elif sent_to == SentOut.Destination.BUDDY_ROOM and sent_to_room is None and not sent_to_place:
        errors["sent_to_room"] = "Choose the buddy room the student was sent to."
    elif sent_to == SentOut.Destination.ELSEWHERE and not sent_to_place:
        errors["sent_to_place"] = "Say where the student was sent."
    if teaching_class is None and from_room is None:
        errors["from_room"] = "Say which lesson or room the student was sent out of."
    if errors:
        raise ValidationError(errors)
    checks.check_on_roll(student)
    checks.check_not_future(sent_at, now, "sent_at", "The time sent out")
    return SentOut.objects.create(
        student=student,
        reason=reason,
        sent_to=sent_to,
        sent_to_room=sent_to_room if sent_to == SentOut.Destination.BUDDY_ROOM else None,
        sent_to_place=sent_to_place,
        teaching_class=teaching_class,
        period=period,
        from_room=from_room,
        sent_at=sent_at,
        logged_by=by,
        logged_at=now,
    )


@transaction.atomic
def sent_out_record_visit(
    *,
    sent_out_id: int,
    by,
    outcome: str,
    visited_at: dt.datetime | None = None,
    taken_to: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> SentOut:
    """Record the patrol's visit and what came of it, once. Removal to the reflection room
    starts the placement in the same transaction: both happen or neither."""
    now = now or clock.now()
    visited_at = visited_at or now
    taken_to = taken_to.strip()
    if outcome not in SentOut.Outcome.values:
        raise ValidationError({"outcome": "Choose what happened: returned, removed or elsewhere."})
    if outcome == SentOut.Outcome.ELSEWHERE and not taken_to:
        raise ValidationError({"taken_to": "Say where the student was taken."})
    sent_out = SentOut.objects.select_related("student", "teaching_class", "period").get(
        pk=sent_out_id
    )
    checks.check_not_future(visited_at, now, "visited_at", "The time of the visit")
    if visited_at < sent_out.sent_at:
        raise ValidationError(
            {
                "visited_at": f"The visit can't be before the student was sent out "
                f"({hhmm(sent_out.sent_at)})."
            }
        )
    # Two officers at the same door: the database lets exactly one record the visit.
    changed = SentOut.objects.filter(pk=sent_out_id, outcome="").update(
        outcome=outcome,
        visited_at=visited_at,
        visited_by=by,
        outcome_at=now,
        taken_to=taken_to if outcome == SentOut.Outcome.ELSEWHERE else "",
        outcome_note=note.strip(),
    )
    if changed != 1:
        sent_out.refresh_from_db()
        who = people.person_name(sent_out.visited_by) or "someone"
        raise ActionRefused(f"{who} already recorded this visit at {hhmm(sent_out.outcome_at)}.")
    sent_out.refresh_from_db()
    if outcome == SentOut.Outcome.REMOVED:
        placement = removal.remove_to_reflection_room(
            student=sent_out.student,
            by=by,
            teaching_class=sent_out.teaching_class,
            period=sent_out.period,
            note=sent_out.outcome_note or f"Sent out: {sent_out.reason}",
        )
        SentOut.objects.filter(pk=sent_out_id).update(placement=placement)
        sent_out.placement = placement
    return sent_out
