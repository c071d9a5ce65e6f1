"""Writes for the day in the room: marks, the room's log, failing the room and closing the
day."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from conduct.lib.wording import day_phrase
from pastoral.models import Level
from pastoral.services.levels import check_level, level_raise
from sanctions.models import (
    AttendanceMark,
    ClosedDay,
    EscalationRule,
    Placement,
    PlacementDay,
    Referral,
    RoomLogEntry,
)
from sanctions.services import escalation, placements
from school.models import Room
from school.selectors import calendar
from work.services import requests as work_services

# How much of a day a session's mark counts for in the placement's actual length.
SESSION_VALUE: dict[str, Decimal] = {
    AttendanceMark.Kind.PRESENT: Decimal("0.5"),
    AttendanceMark.Kind.LATE: Decimal("0.5"),
    AttendanceMark.Kind.LEFT_EARLY: Decimal("0.25"),
    AttendanceMark.Kind.REMOVED: Decimal("0.25"),
    AttendanceMark.Kind.ABSENT: Decimal("0"),
}


def _open_day(placement_day: PlacementDay) -> PlacementDay:
    if not placement_day.is_active or placement_day.placement.status != Placement.Status.BOOKED:
        raise ActionRefused("This placement is closed or cancelled: its register can't change.")
    if placement_day.date > clock.today():
        # A mark for a day that has not come would reach the MIS as if the student had been in.
        raise ActionRefused(
            f"{day_phrase(placement_day.date)} has not come yet: "
            "the register can be marked on the day."
        )
    closed = (
        ClosedDay.objects.filter(room_id=placement_day.room_id, date=placement_day.date)
        .select_related("closed_by")
        .first()
    )
    if closed is not None:
        raise ActionRefused(closed_phrase(closed) + ": its register can't change.")
    return placement_day


def closed_phrase(closed: ClosedDay) -> str:
    """ "The day was closed by Bob Patel at 15:50" (with the date when closed on a later day)."""
    when = clock.local(closed.closed_at)
    on = "" if when.date() == closed.date else f" on {day_phrase(when.date())}"
    who = closed.closed_by.get_full_name() or closed.closed_by.get_username()
    return f"The day was closed by {who} at {when:%H:%M}{on}"


def session_starts_at(provision, session: str) -> dt.time | None:
    """When a session starts in the room: the morning at arrival, the afternoon after lunch."""
    if session == AttendanceMark.Session.AM:
        return provision.arrives_at
    return provision.lunch_ends_at


def _check_time(placement_day: PlacementDay, at: dt.time) -> dt.time:
    """A time on the day being marked: never later than now on today's register."""
    if placement_day.date == clock.today() and at > clock.minute_now():
        raise ValidationError(
            {"at": f"Give a time no later than now ({clock.minute_now():%H:%M})."}
        )
    return at


def room_leaves_at(placement_days) -> dt.time | None:
    """When the students in a room leave on a day: the latest leaving time of their provisions
    (the provision stores its own day); for a provision that keeps the main school's times (the
    reflection room), the end of the school's last period; None when neither is known."""
    return leaving_time(
        [placement_day.placement.provision.leaves_at for placement_day in placement_days]
    )


def leaving_time(leaves_at: list[dt.time | None]) -> dt.time | None:
    """`room_leaves_at` from each line's provision's own leaving time (None where it keeps the
    main school's times)."""
    times = [time for time in leaves_at if time]
    if times:
        return max(times)
    if leaves_at:
        # The main school's day ends with its last period (reference data: no query).
        return max((period.ends_at for period in calendar.periods_of_day()), default=None)
    return None


def close_refusal(*, date: dt.date, leaves_at: dt.time | None) -> str:
    """Why the day can't be closed yet ("" when it can): a day that has happened may be closed,
    and today once the room's students have left."""
    today = clock.today()
    if date > today:
        return f"{day_phrase(date)} has not come yet: close the day once it is over."
    if date == today and leaves_at and clock.now().time() < leaves_at:
        return f"The room's day ends at {leaves_at:%H:%M}: close the day after then."
    return ""


@transaction.atomic
def mark_record(
    *,
    placement_day: PlacementDay,
    session: str,
    kind: str,
    at: dt.time,
    by,
    minutes_late: int | None = None,
) -> AttendanceMark:
    """Record (or correct) one session's mark for a student in the room, on the day or after it
    and before the day is closed. `at` is when the student arrived (late), left or was removed,
    or when they were marked present; a late mark without the minutes counts them from the
    room's start."""
    _open_day(placement_day)
    if session not in AttendanceMark.Session.values:
        raise ValidationError({"session": "Choose the morning or the afternoon."})
    if kind not in AttendanceMark.Kind.values:
        raise ValidationError({"kind": f"Unknown mark {kind!r}."})
    _check_time(placement_day, at)
    if kind == AttendanceMark.Kind.LATE and not minutes_late:
        # Late by the arrival time against the room's own start, when the provision keeps it.
        starts = session_starts_at(placement_day.placement.provision, session)
        if starts and at > starts:
            minutes_late = (
                dt.datetime.combine(placement_day.date, at)
                - dt.datetime.combine(placement_day.date, starts)
            ).seconds // 60
    if kind == AttendanceMark.Kind.LATE and not minutes_late:
        raise ValidationError({"minutes_late": "Say how many minutes late."})
    if kind != AttendanceMark.Kind.LATE:
        minutes_late = None
    mark, _ = AttendanceMark.objects.update_or_create(
        placement_day=placement_day,
        session=session,
        defaults={
            "kind": kind,
            "at": at,
            "minutes_late": minutes_late,
            "recorded_by": by,
            "recorded_at": clock.now(),
        },
    )
    return mark


@transaction.atomic
def room_log_add(
    *,
    placement_day: PlacementDay,
    kind: str,
    at: dt.time,
    by,
    note: str = "",
    level: str = Level.STAFF,
) -> RoomLogEntry:
    """Add an entry to the room's behaviour log for a student (failing is `placement_fail`);
    its note at `level` (who may read it)."""
    check_level(level)
    _open_day(placement_day)
    if kind not in RoomLogEntry.Kind.values or kind == RoomLogEntry.Kind.FAILED:
        raise ValidationError({"kind": "Choose what happened."})
    if kind in (RoomLogEntry.Kind.WARNING, RoomLogEntry.Kind.NOTE) and not note.strip():
        raise ValidationError({"note": "Say what the warning or note was for."})
    return RoomLogEntry.objects.create(
        placement_day=placement_day,
        kind=kind,
        at=at,
        note=note.strip(),
        level=level,
        recorded_by=by,
        recorded_at=clock.now(),
    )


@transaction.atomic
def room_log_level_raise(*, entry: RoomLogEntry, level: str, by) -> RoomLogEntry:
    """Raise the level of a room log entry's note; never lowered."""
    return level_raise(
        record=entry, level=level, by=by, student=entry.placement_day.placement.student
    )


def _actual_days(placement: Placement) -> Decimal:
    total = Decimal("0")
    for mark in AttendanceMark.objects.filter(
        placement_day__placement=placement, placement_day__is_active=True
    ):
        total += SESSION_VALUE[mark.kind]
    return total


@transaction.atomic
def placement_fail(*, placement_day: PlacementDay, by, note: str, at: dt.time) -> list[Referral]:
    """The student failed the room: log it, close the placement as failed with its actual length,
    and create the ladder's next step as pending referrals for a person to decide."""
    _open_day(placement_day)
    if not note.strip():
        raise ValidationError({"note": "Say why the student failed the room."})
    RoomLogEntry.objects.create(
        placement_day=placement_day,
        kind=RoomLogEntry.Kind.FAILED,
        at=at,
        note=note.strip(),
        recorded_by=by,
        recorded_at=clock.now(),
    )
    placement = placement_day.placement
    # Days after today are given up: their places free up and their work is not needed.
    later = placement.days.filter(is_active=True, date__gt=placement_day.date)
    work_services.work_requests_withdraw(days=later, why="ended early")
    later.update(is_active=False)
    placements.placement_close(
        placement=placement, by=by, failed=True, note=note, actual_days=_actual_days(placement)
    )
    return escalation.ladder_follow(
        placement=placement, trigger=EscalationRule.Trigger.FAILED, by=by
    )


@transaction.atomic
def register_close(*, room: Room, date: dt.date, by) -> list[Placement]:
    """Close the day in a room: every student must have a mark for each session; placements
    whose last day this is are completed with their actual length. Refuses, changing nothing,
    for a day that has not come or has not ended, or when a mark is missing."""
    placement_days = list(
        PlacementDay.objects.filter(
            room=room, date=date, is_active=True, placement__status=Placement.Status.BOOKED
        )
        .select_related("placement__student", "placement__provision")
        .prefetch_related("marks")
    )
    refusal = close_refusal(date=date, leaves_at=room_leaves_at(placement_days))
    if refusal:
        raise ActionRefused(refusal)
    already = ClosedDay.objects.filter(room=room, date=date).select_related("closed_by").first()
    if already is not None:
        raise ActionRefused(closed_phrase(already) + ".")
    missing = [
        placement_day.placement.student.name
        for placement_day in placement_days
        if {m.session for m in placement_day.marks.all()} != set(AttendanceMark.Session.values)
    ]
    if missing:
        raise ActionRefused(
            "Mark the morning and afternoon for every student before closing the day: "
            + ", ".join(sorted(missing))
            + "."
        )
    closed_day = ClosedDay.objects.create(room=room, date=date, closed_by=by, closed_at=clock.now())
    history_record(target=closed_day, by=by, field="closed", to="closed")
    closed = []
    for placement_day in placement_days:
        placement = placement_day.placement
        last = placement.days.filter(is_active=True).order_by("-date").first()
        if last and last.date == date:
            closed.append(
                placements.placement_close(
                    placement=placement, by=by, actual_days=_actual_days(placement)
                )
            )
    return closed
