"""Writes for the watch list and the patrol's drop-ins on watched students."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from pastoral.models import Level
from pastoral.services.levels import check_level, level_raise
from patrol.models import DropIn, WatchListEntry
from patrol.services import checks
from school.models import Staff, Student
from school.selectors import timetable as school_timetable


@transaction.atomic
def watch_list_add(
    *,
    by,
    student: Student,
    reason: str,
    review_on: dt.date,
    requested_by: Staff,
    now: dt.datetime | None = None,
) -> WatchListEntry:
    """Put a student on the watch list until the review date; a student is on it once."""
    now = now or clock.now()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the patrol should drop in on this student."})
    if review_on < now.date():
        raise ValidationError({"review_on": "The review date can't be in the past."})
    checks.check_date_near(review_on, now.date(), "review_on", "The review date")
    checks.check_on_roll(student)
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
                added_by=by,
                added_at=now,
            )
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError(
            {"student": f"{student.name} is already on the watch list."}
        ) from None


@transaction.atomic
def watch_list_review(
    *, entry_id: int, by, review_on: dt.date, now: dt.datetime | None = None
) -> WatchListEntry:
    """Keep a student on the watch list until a new review date, with who reviewed it and
    when."""
    now = now or clock.now()
    if review_on <= now.date():
        raise ValidationError({"review_on": "Choose a review date after today."})
    checks.check_date_near(review_on, now.date(), "review_on", "The review date")
    changed = WatchListEntry.objects.filter(pk=entry_id, ended_at__isnull=True).update(
        review_on=review_on, reviewed_by=by, reviewed_at=now
    )
    if changed != 1:
        raise ActionRefused("That student is no longer on the watch list.")
    return WatchListEntry.objects.get(pk=entry_id)


@transaction.atomic
def watch_list_end(*, entry_id: int, by, now: dt.datetime | None = None) -> WatchListEntry:
    """Take a student off the watch list; their drop-ins are kept."""
    changed = WatchListEntry.objects.filter(pk=entry_id, ended_at__isnull=True).update(
        ended_at=now or clock.now(), ended_by=by
    )
    if changed != 1:
        raise ActionRefused("That student is no longer on the watch list.")
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
    level: str = Level.STAFF,
) -> DropIn:
    """Record a drop-in on a watched student, with the lesson the timetable had them in, at
    `level` (who may read it)."""
    check_level(level)
    now = now or clock.now()
    at = at or now
    if engagement not in DropIn.Engagement.values:
        raise ValidationError({"engagement": "Choose how engaged the student was, from 1 to 5."})
    entry = (
        WatchListEntry.objects.select_for_update(of=("self",))
        .select_related("student")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or entry.ended_at is not None:
        raise ActionRefused("That student is no longer on the watch list.")
    checks.check_not_future(at, now, "at", "The time of the drop-in")
    where = school_timetable.student_whereabouts(entry.student, at)
    return DropIn.objects.create(
        entry=entry,
        at=at,
        by=by,
        engagement=engagement,
        note=note.strip(),
        level=level,
        teaching_class=where.teaching_class,
        room=where.room,
        period=where.period,
    )


@transaction.atomic
def drop_in_level_raise(*, drop_in: DropIn, level: str, by) -> DropIn:
    """Raise a drop-in's level; never lowered."""
    return level_raise(record=drop_in, level=level, by=by, student=drop_in.entry.student)
