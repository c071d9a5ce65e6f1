"""Writes for placements: booking into a provision with its follow-ups, the removal to the
reflection room, moving, cancelling and closing. Each is one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from audit.services import history_record
from conduct.lib import clock, dates
from conduct.lib.errors import ActionRefused, message_of
from pastoral.services import interviews as pastoral_interviews
from pastoral.services import reviews as pastoral_reviews
from sanctions.models import (
    EscalationRule,
    Placement,
    PlacementDay,
    Provision,
    ProvisionRoom,
    Referral,
)
from sanctions.services import escalation, family_letters
from school.models import Period, Room, Student, TeachingClass, TimetableSlot
from school.selectors.calendar import cycle_day_on, school_days_from
from work.services import requests as work_services

# How far ahead booking looks for free places before it gives up (about a half-term).
BOOKING_HORIZON_SCHOOL_DAYS = 30


def _free_room(provision: Provision, day: dt.date, rooms: list[ProvisionRoom]) -> Room | None:
    taken = dict(
        PlacementDay.objects.filter(date=day, is_active=True, room__in=[r.room_id for r in rooms])
        .values_list("room")
        .annotate(n=Count("pk"))
    )
    for provision_room in rooms:
        if taken.get(provision_room.room_id, 0) < provision_room.capacity:
            return provision_room.room
    return None


def _book_days(
    *, student: Student, provision: Provision, days: int, start_on: dt.date
) -> list[tuple[dt.date, Room]]:
    """Choose the first `days` school days from `start_on` with a free place. Must run inside
    the booking transaction, after the provision's rooms are locked."""
    # Lock the provision's rooms: on PostgreSQL two approvers booking the same provision at the
    # same moment queue here, so each counts the other's places. SQLite's IMMEDIATE
    # transactions already let one writer in at a time.
    rooms = list(
        ProvisionRoom.objects.select_for_update().filter(provision=provision).order_by("order")
    )
    if not rooms:
        raise ActionRefused(f"{provision} has no room: add one in School settings.")
    already = set(
        PlacementDay.objects.filter(
            placement__student=student, is_active=True, date__gte=start_on
        ).values_list("date", flat=True)
    )
    chosen: list[tuple[dt.date, Room]] = []
    for day in school_days_from(start_on, BOOKING_HORIZON_SCHOOL_DAYS):
        if day in already:
            continue
        room = _free_room(provision, day, rooms)
        if room is not None:
            chosen.append((day, room))
        if len(chosen) == days:
            return chosen
    raise ActionRefused(
        f"{provision} has no free place on {days} school day(s) in the next "
        f"{BOOKING_HORIZON_SCHOOL_DAYS} school days."
    )


@transaction.atomic
def placement_book(
    *,
    student: Student,
    provision: Provision,
    days: int,
    by,
    start_on: dt.date,
    referral: Referral | None = None,
    from_time: dt.time | None = None,
    removed_from: TimetableSlot | None = None,
    note: str = "",
    only_on: dt.date | None = None,
) -> Placement:
    """Book a student into a provision on the first school days from `start_on` with a free
    place, never over a room's capacity, kept in its history with who booked it; with it, in the
    same transaction: a register line for each day, a work request for every lesson missed, the
    entry interview to do, and the parent letter as a draft for review."""
    if not provision.is_bookable:
        raise ActionRefused(f"{provision} is a decision, not a room: it can't be booked.")
    if not 1 <= days <= 10:
        raise ValidationError({"days": "Book between 1 and 10 days."})
    if not student.on_roll:
        raise ActionRefused(f"{student.name} has left the school.")
    dates.date_in_window(start_on, field="start_on")
    chosen = _book_days(student=student, provision=provision, days=days, start_on=start_on)
    if only_on and chosen[0][0] != only_on:
        raise ActionRefused(f"{provision} has no free place today.")
    placement = Placement.objects.create(
        removed_from=removed_from,
        note=note.strip(),
        student=student,
        provision=provision,
        referral=referral,
        planned_days=days,
        starts_on=chosen[0][0],
        ends_on=chosen[-1][0],
        booked_by=by,
        booked_at=clock.now(),
    )
    history_record(
        target=placement, by=by, to=placement.status, note=placement.note, student=student
    )
    days_booked = PlacementDay.objects.bulk_create(
        PlacementDay(placement=placement, date=day, room=room) for day, room in chosen
    )
    work_services.work_requests_create(days=days_booked, from_time=from_time)
    pastoral_interviews.entry_interview_plan(placement=placement, due_on=chosen[0][0])
    family_letters.family_letter_draft(placement=placement, by=by)
    escalation.ladder_follow(placement=placement, trigger=EscalationRule.Trigger.REPEATED, by=by)
    # Beside the ladder: the review the guidance asks for (head of year, SENCO; support for a
    # teacher or department), docs/interventions.md.
    pastoral_reviews.review_rules_check(placement=placement, by=by)
    return placement


def _day_booked(*, student: Student, day: dt.date) -> PlacementDay | None:
    """The room `student` is booked into on `day` (a placement not cancelled), if any."""
    return (
        PlacementDay.objects.filter(placement__student=student, date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .select_related("room", "placement__provision")
        .first()
    )


@transaction.atomic
def reflection_room_removal(
    *,
    student: Student,
    by,
    teaching_class: TeachingClass | None = None,
    period: Period | None = None,
    note: str = "",
) -> Placement:
    """Remove a student from a lesson into the reflection room now: a placement for today with
    the lesson recorded, its follow-ups (work for the lessons still to come, the parent notice),
    or a clear refusal when the room is full or school is closed. The caller keeps what led to
    it (an on-call request's placements, a sent-out visit's placement)."""
    provision = Provision.objects.get(kind=Provision.Kind.REFLECTION_ROOM)
    now = clock.now()
    today = now.date()
    booked = _day_booked(student=student, day=today)
    if booked is not None:
        # Booking skips the days a student already has: "no free place today" would be untrue.
        raise ActionRefused(
            f"{student.name} is booked in {booked.room.code} today "
            f"({booked.placement.provision.name}): they can't go to the reflection room as well."
        )
    slot = None
    cycle_day = cycle_day_on(today)
    if teaching_class is not None and cycle_day is not None:
        slots = TimetableSlot.objects.filter(teaching_class=teaching_class, cycle_day=cycle_day)
        slot = slots.filter(period=period).first() if period else None
        if slot is None:
            slot = slots.filter(
                period__starts_at__lte=now.time(), period__ends_at__gt=now.time()
            ).first()
    try:
        placement = placement_book(
            student=student,
            provision=provision,
            days=1,
            by=by,
            start_on=today,
            from_time=now.time(),
            removed_from=slot,
            note=note,
            only_on=today,
        )
    except ValidationError as error:
        raise ActionRefused(
            f"{student.name} can't go to the reflection room now: {message_of(error)}"
        ) from None
    return placement


@transaction.atomic
def placement_cancel(*, placement: Placement, by, reason: str) -> Placement:
    """Cancel a booked placement, recording who did it and why: its days leave the register and
    free their places, its work requests and interviews to do are withdrawn, and the family's
    letters not yet approved are cancelled (a family already told gets a cancellation draft)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the placement is cancelled."})
    changed = Placement.objects.filter(pk=placement.pk, status=Placement.Status.BOOKED).update(
        status=Placement.Status.CANCELLED,
        closed_at=clock.now(),
        closed_by=by,
        closing_note=reason.strip(),
    )
    if changed != 1:
        raise ActionRefused("Only a booked placement can be cancelled.")
    history_record(
        target=placement,
        by=by,
        from_=Placement.Status.BOOKED,
        to=Placement.Status.CANCELLED,
        note=reason.strip(),
        student=placement.student,
    )
    booked_dates = list(placement.days.filter(is_active=True).values_list("date", flat=True))
    placement.days.update(is_active=False)
    work_services.work_requests_withdraw(days=placement.days.all(), why="cancelled")
    pastoral_interviews.interviews_cancel(placement=placement)
    if family_letters.family_letters_withdraw(placement=placement, by=by):
        # The days the family was told about: a moved placement's old days are inactive rows
        # too, so they are named here rather than read back.
        family_letters.family_letter_draft(
            placement=placement, by=by, key="placement-cancelled", dates=booked_dates
        )
    placement.refresh_from_db()
    return placement


@transaction.atomic
def placement_move(
    *,
    placement: Placement,
    by,
    start_on: dt.date,
    reason: str,
    seen_start_on: dt.date | None = None,
) -> Placement:
    """Move a booked placement to start on another day (the first school days from `start_on`
    with a free place), kept in its history with who moved it and why. Its register lines, work
    requests and entry interview follow; the family gets a draft saying what changed, or a fresh
    draft if they had not been told yet. `seen_start_on` is the first day the person saw on the
    form: when someone else moved it meanwhile, the move is refused rather than overwriting
    theirs."""
    dates.date_in_window(
        start_on,
        field="start_on",
        not_before=clock.today(),
        why="a placement can't move into a day that has gone.",
    )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the placement is moving."})
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != Placement.Status.BOOKED:
        raise ActionRefused("Only a booked placement can be moved.")
    if seen_start_on is not None and placement.starts_on != seen_start_on:
        raise ActionRefused(
            "Someone else moved this placement while you had the page open: it now starts on "
            f"{placement.starts_on:%A %-d %B}. Check the new days, and move it again if it still "
            "needs to move."
        )
    old_days = list(placement.days.filter(is_active=True).order_by("date"))
    work_services.work_requests_withdraw(days=old_days, why="moved to other days")
    placement.days.filter(is_active=True).update(is_active=False)
    chosen = _book_days(
        student=placement.student,
        provision=placement.provision,
        days=len(old_days) or placement.planned_days,
        start_on=start_on,
    )
    new_days = PlacementDay.objects.bulk_create(
        PlacementDay(placement=placement, date=day, room=room) for day, room in chosen
    )
    placement.starts_on, placement.ends_on = chosen[0][0], chosen[-1][0]
    placement.note = "\n".join(filter(None, [placement.note, f"Moved: {reason.strip()}"]))
    placement.save(update_fields=["starts_on", "ends_on", "note"])
    history_record(
        target=placement,
        by=by,
        field="starts_on",
        from_=old_days[0].date.isoformat() if old_days else "",
        to=placement.starts_on.isoformat(),
        note=reason.strip(),
        student=placement.student,
    )
    work_services.work_requests_create(days=new_days)
    pastoral_interviews.interviews_move(placement=placement, due_on=chosen[0][0])
    told = family_letters.family_letters_withdraw(placement=placement, by=by)
    family_letters.family_letter_draft(
        placement=placement,
        by=by,
        key="placement-changed" if told else "",
        previous_dates=[d.date for d in old_days],
    )
    return placement


@transaction.atomic
def placement_close(
    *, placement: Placement, by, failed: bool = False, note: str = "", actual_days=None
) -> Placement:
    """Close a booked placement as completed or failed, recording who closed it and its actual
    length against the planned length (by default the days it was on the register)."""
    if failed and not note.strip():
        raise ValidationError({"note": "Say why the placement failed."})
    if actual_days is None:
        actual_days = placement.days.filter(is_active=True).count()
    status = Placement.Status.FAILED if failed else Placement.Status.COMPLETED
    changed = Placement.objects.filter(pk=placement.pk, status=Placement.Status.BOOKED).update(
        status=status,
        actual_days=actual_days,
        closed_at=clock.now(),
        closed_by=by,
        closing_note=note.strip(),
    )
    if changed != 1:
        raise ActionRefused("This placement is already closed.")
    history_record(
        target=placement,
        by=by,
        from_=Placement.Status.BOOKED,
        to=status,
        note=note.strip(),
        student=placement.student,
    )
    placement.refresh_from_db()
    return placement
