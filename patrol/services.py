"""Writes for patrol and on-call: raise, claim, arrive, resolve and escalate on-call requests;
log students sent out and record the visit; sweeps and the students they find; the watch list
and drop-ins; the duty rota and absences. One transaction each; live events go out only after it
commits; races are settled by the database, not by Python."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from patrol.events import send_queue_event_on_commit
from patrol.models import (
    DropIn,
    Duty,
    OnCallReason,
    OnCallRequest,
    OutOfLesson,
    SentOut,
    StaffAbsence,
    Sweep,
    WatchListEntry,
)
from patrol.selectors import escalate_after, person_name
from school import selectors as school
from school.models import Period, Room, Staff, Student, TeachingClass

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
    return _remove_to_reflection_room(
        student=student,
        removed_by=removed_by,
        teaching_class=request.teaching_class,
        period=request.period,
        note=request.outcome_note or request.note,
        on_call_request=request,
    )


def _remove_to_reflection_room(
    *,
    student: Student,
    removed_by,
    teaching_class: TeachingClass | None,
    period: Period | None,
    note: str,
    on_call_request: OnCallRequest | None = None,
):
    """The one removal path for the patrol (on-call outcome or a sent-out visit): the sanctions
    app's `reflection_room_removal`, inside the caller's transaction."""
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
        teaching_class=teaching_class,
        period=period,
        note=note,
        on_call_request=on_call_request,
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


# ---- shared checks ----------------------------------------------------------------------------

# A phone's clock and the server's differ a little; a time this far ahead is still "now".
CLOCK_SLACK = dt.timedelta(minutes=2)


def _hhmm(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _check_not_future(moment: dt.datetime, now: dt.datetime, field: str, what: str) -> None:
    if moment > now + CLOCK_SLACK:
        raise ValidationError({field: f"{what} can't be in the future (it is {_hhmm(now)} now)."})


def _check_on_roll(student: Student) -> None:
    if not student.on_roll:
        raise ValidationError({"student": f"{student.name} has left the school."})


# ---- students sent out of lessons -------------------------------------------------------------


@transaction.atomic
def sent_out_log(
    *,
    logged_by,
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
    now = now or school.local_now()
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
    _check_on_roll(student)
    _check_not_future(sent_at, now, "sent_at", "The time sent out")
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
        logged_by=logged_by,
        logged_at=now,
    )


@transaction.atomic
def sent_out_record_visit(
    *,
    sent_out_id: int,
    user,
    outcome: str,
    visited_at: dt.datetime | None = None,
    taken_to: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> SentOut:
    """Record the patrol's visit and what came of it, once. Removal to the reflection room
    starts the placement in the same transaction: both happen or neither."""
    now = now or school.local_now()
    visited_at = visited_at or now
    taken_to = taken_to.strip()
    if outcome not in SentOut.Outcome.values:
        raise ValidationError({"outcome": "Choose what happened: returned, removed or elsewhere."})
    if outcome == SentOut.Outcome.ELSEWHERE and not taken_to:
        raise ValidationError({"taken_to": "Say where the student was taken."})
    sent_out = SentOut.objects.select_related("student", "teaching_class", "period").get(
        pk=sent_out_id
    )
    _check_not_future(visited_at, now, "visited_at", "The time of the visit")
    if visited_at < sent_out.sent_at:
        raise ValidationError(
            {
                "visited_at": f"The visit can't be before the student was sent out "
                f"({_hhmm(sent_out.sent_at)})."
            }
        )
    # Two officers at the same door: the database lets exactly one record the visit.
    changed = SentOut.objects.filter(pk=sent_out_id, outcome="").update(
        outcome=outcome,
        visited_at=visited_at,
        visited_by=user,
        outcome_at=now,
        taken_to=taken_to if outcome == SentOut.Outcome.ELSEWHERE else "",
        outcome_note=note.strip(),
    )
    if changed != 1:
        sent_out.refresh_from_db()
        who = person_name(sent_out.visited_by) or "someone"
        raise OnCallError(f"{who} already recorded this visit at {_hhmm(sent_out.outcome_at)}.")
    sent_out.refresh_from_db()
    if outcome == SentOut.Outcome.REMOVED:
        placement = _remove_to_reflection_room(
            student=sent_out.student,
            removed_by=user,
            teaching_class=sent_out.teaching_class,
            period=sent_out.period,
            note=sent_out.outcome_note or f"Sent out: {sent_out.reason}",
        )
        if placement is not None:
            SentOut.objects.filter(pk=sent_out_id).update(placement=placement)
            sent_out.placement = placement
    return sent_out


# ---- corridor sweeps --------------------------------------------------------------------------


@transaction.atomic
def sweep_start(*, user, now: dt.datetime | None = None) -> Sweep:
    """Start a sweep for `user` now; one open sweep per person."""
    now = now or school.local_now()
    running = Sweep.objects.filter(staff=user, ended_at__isnull=True).first()
    if running is not None:
        raise ValidationError(
            f"You already have a sweep running since {_hhmm(running.started_at)}: finish it first."
        )
    try:
        with transaction.atomic():
            return Sweep.objects.create(staff=user, started_at=now)
    except IntegrityError:  # a second tap at the same moment
        raise ValidationError("You already have a sweep running: finish it first.") from None


def _open_sweep(sweep_id: int, user) -> Sweep:
    sweep = Sweep.objects.select_for_update().filter(pk=sweep_id).first()
    if sweep is None or sweep.staff_id != user.pk:
        raise ValidationError("That is not your sweep.")
    if sweep.ended_at is not None:
        raise ValidationError(f"That sweep finished at {_hhmm(sweep.ended_at)}.")
    return sweep


@transaction.atomic
def sweep_record_finding(
    *,
    sweep_id: int,
    user,
    student: Student,
    found_where: str,
    note: str = "",
    found_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> OutOfLesson:
    """Record a student found out of lessons on `user`'s open sweep, with the lesson the
    timetable says they should be in at that moment; attendance staff see it at once."""
    now = now or school.local_now()
    found_at = found_at or now
    found_where = found_where.strip()
    if not found_where:
        raise ValidationError({"found_where": "Say where the student was found."})
    sweep = _open_sweep(sweep_id, user)
    _check_on_roll(student)
    _check_not_future(found_at, now, "found_at", "The time found")
    if found_at < sweep.started_at:
        raise ValidationError(
            {"found_at": f"The sweep started at {_hhmm(sweep.started_at)}: use a later time."}
        )
    where = school.student_whereabouts(student, found_at)
    teachers = where.teachers
    return OutOfLesson.objects.create(
        sweep=sweep,
        student=student,
        found_at=found_at,
        found_where=found_where,
        note=note.strip(),
        period=where.period,
        should_be_class=where.teaching_class,
        should_be_room=where.room,
        should_be_teacher=teachers[0] if teachers else None,
        should_be_text=where.reason,
    )


@transaction.atomic
def sweep_finish(
    *,
    sweep_id: int,
    user,
    rooms: Iterable[Room] = (),
    areas: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Sweep:
    """Close `user`'s open sweep with where it went."""
    now = now or school.local_now()
    rooms, areas = list(rooms), areas.strip()
    if not rooms and not areas:
        raise ValidationError({"areas": "Say where you went: choose rooms or type the areas."})
    sweep = _open_sweep(sweep_id, user)
    sweep.ended_at = max(now, sweep.started_at)
    sweep.areas = areas
    sweep.note = note.strip()
    sweep.save(update_fields=["ended_at", "areas", "note"])
    sweep.rooms.set(rooms)
    return sweep


@transaction.atomic
def out_of_lesson_mark_dealt_with(
    *, finding_id: int, user, note: str = "", now: dt.datetime | None = None
) -> OutOfLesson:
    """Attendance staff close a student found out of lessons, once."""
    now = now or school.local_now()
    changed = OutOfLesson.objects.filter(pk=finding_id, dealt_with_at__isnull=True).update(
        dealt_with_at=now, dealt_with_by=user, dealt_with_note=note.strip()
    )
    finding = OutOfLesson.objects.select_related("dealt_with_by__staff").get(pk=finding_id)
    if changed != 1:
        who = person_name(finding.dealt_with_by) or "someone"
        raise OnCallError(
            f"{who} already marked this dealt with at {_hhmm(finding.dealt_with_at)}."
        )
    return finding


# ---- the watch list and drop-ins --------------------------------------------------------------


@transaction.atomic
def watch_list_add(
    *,
    added_by,
    student: Student,
    reason: str,
    review_on: dt.date,
    requested_by: Staff,
    now: dt.datetime | None = None,
) -> WatchListEntry:
    """Put a student on the watch list until the review date; a student is on it once."""
    now = now or school.local_now()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the patrol should drop in on this student."})
    if review_on < now.date():
        raise ValidationError({"review_on": "The review date can't be in the past."})
    _check_on_roll(student)
    current = (
        WatchListEntry.objects.select_related("requested_by")
        .filter(student=student, ended_at__isnull=True)
        .first()
    )
    if current is not None:
        raise ValidationError(
            {
                "student": f"{student.name} is already on the watch list (asked by "
                f"{current.requested_by.display_name}, review {current.review_on:%d/%m/%Y})."
            }
        )
    try:
        with transaction.atomic():
            return WatchListEntry.objects.create(
                student=student,
                reason=reason,
                review_on=review_on,
                requested_by=requested_by,
                added_by=added_by,
                added_at=now,
            )
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError(
            {"student": f"{student.name} is already on the watch list."}
        ) from None


@transaction.atomic
def watch_list_review(
    *, entry_id: int, user, review_on: dt.date, now: dt.datetime | None = None
) -> WatchListEntry:
    """Keep a student on the watch list until a new review date."""
    now = now or school.local_now()
    if review_on <= now.date():
        raise ValidationError({"review_on": "Choose a review date after today."})
    changed = WatchListEntry.objects.filter(pk=entry_id, ended_at__isnull=True).update(
        review_on=review_on
    )
    if changed != 1:
        raise ValidationError("That student is no longer on the watch list.")
    return WatchListEntry.objects.get(pk=entry_id)


@transaction.atomic
def watch_list_end(*, entry_id: int, user, now: dt.datetime | None = None) -> WatchListEntry:
    """Take a student off the watch list; their drop-ins are kept."""
    changed = WatchListEntry.objects.filter(pk=entry_id, ended_at__isnull=True).update(
        ended_at=now or school.local_now(), ended_by=user
    )
    if changed != 1:
        raise ValidationError("That student is no longer on the watch list.")
    return WatchListEntry.objects.get(pk=entry_id)


@transaction.atomic
def drop_in_record(
    *,
    entry_id: int,
    by,
    engagement: int,
    note: str = "",
    at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> DropIn:
    """Record a drop-in on a watched student, with the lesson the timetable had them in."""
    now = now or school.local_now()
    at = at or now
    if engagement not in DropIn.Engagement.values:
        raise ValidationError({"engagement": "Choose how engaged the student was, from 1 to 5."})
    entry = (
        WatchListEntry.objects.select_for_update()
        .select_related("student")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or entry.ended_at is not None:
        raise ValidationError("That student is no longer on the watch list.")
    _check_not_future(at, now, "at", "The time of the drop-in")
    where = school.student_whereabouts(entry.student, at)
    return DropIn.objects.create(
        entry=entry,
        at=at,
        by=by,
        engagement=engagement,
        note=note.strip(),
        teaching_class=where.teaching_class,
        room=where.room,
        period=where.period,
    )


# ---- the duty rota ----------------------------------------------------------------------------

SUPERVISION = (Duty.Kind.REFLECTION_ROOM, Duty.Kind.INTERNAL_EXCLUSION, Duty.Kind.ALD)


@transaction.atomic
def duty_add(
    *,
    added_by,
    staff: Staff,
    date: dt.date,
    period: Period,
    kind: str,
    room: Room | None = None,
) -> Duty:
    """Put a member of staff on a duty in one period of one day; one duty per person a period."""
    if kind not in Duty.Kind.values:
        raise ValidationError({"kind": "Choose the duty."})
    if room is not None and kind not in SUPERVISION:
        raise ValidationError({"room": "Only a supervision duty has a room."})
    if not staff.is_active:
        raise ValidationError({"staff": f"{staff.display_name} is no longer on the staff."})
    if not school.is_school_day(date):
        raise ValidationError({"date": f"{date:%A %-d %B} is not a school day."})
    existing = Duty.objects.filter(staff=staff, date=date, period=period).first()
    if existing is not None:
        raise ValidationError(
            {
                "staff": f"{staff.display_name} already has a duty then: "
                f"{existing.get_kind_display()}."
            }
        )
    try:
        with transaction.atomic():
            return Duty.objects.create(staff=staff, date=date, period=period, kind=kind, room=room)
    except IntegrityError:
        raise ValidationError({"staff": f"{staff.display_name} already has a duty then."}) from None


@transaction.atomic
def duty_remove(*, duty_id: int, user) -> None:
    """Take a duty off the rota."""
    if Duty.objects.filter(pk=duty_id).delete()[0] != 1:
        raise ValidationError("That duty is no longer on the rota.")


@transaction.atomic
def staff_absence_add(
    *, added_by, staff: Staff, starts_on: dt.date, ends_on: dt.date, note: str = ""
) -> StaffAbsence:
    """Record a member of staff away; their duties in those days show as needing cover."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day can't be before the first."})
    return StaffAbsence.objects.create(
        staff=staff, starts_on=starts_on, ends_on=ends_on, note=note.strip()
    )


@transaction.atomic
def staff_absence_remove(*, absence_id: int, user) -> None:
    """Delete an absence recorded by mistake."""
    if StaffAbsence.objects.filter(pk=absence_id).delete()[0] != 1:
        raise ValidationError("That absence is no longer recorded.")
