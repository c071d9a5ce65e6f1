"""Writes for corridor sweeps and the students they find out of lessons."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from conduct.lib.wording import hhmm
from patrol.models import Sweep, SweepFinding
from patrol.selectors import people
from patrol.selectors import sweeps as sweeps_selectors
from patrol.services import checks
from school.models import Room, Student
from school.selectors import timetable as school_timetable


@transaction.atomic
def sweep_start(*, by, now: dt.datetime | None = None) -> Sweep:
    """Start a sweep now for the person walking it, while lessons run; one open sweep per
    person."""
    now = now or clock.now()
    not_now = sweeps_selectors.not_lesson_time(now)
    if not_now:
        raise ActionRefused(not_now)
    running = Sweep.objects.filter(staff=by, ended_at__isnull=True).first()
    if running is not None:
        raise ActionRefused(
            f"You already have a sweep running since {hhmm(running.started_at)}: finish it first."
        )
    try:
        with transaction.atomic():
            return Sweep.objects.create(staff=by, started_at=now)
    except IntegrityError:  # a second tap at the same moment
        raise ActionRefused("You already have a sweep running: finish it first.") from None


def _open_sweep(sweep_id: int, by) -> Sweep:
    sweep = Sweep.objects.select_for_update().filter(pk=sweep_id).first()
    if sweep is None or sweep.staff_id != by.pk:
        raise ActionRefused("That is not your sweep.")
    if sweep.ended_at is not None:
        raise ActionRefused(f"That sweep finished at {hhmm(sweep.ended_at)}.")
    return sweep


@transaction.atomic
def sweep_record_finding(
    *,
    sweep_id: int,
    by,
    student: Student,
    found_where: str,
    note: str = "",
    found_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> SweepFinding:
    """Record a student found out of lessons on the walker's own open sweep, with the lesson the
    timetable says they should be in at that moment; attendance staff see it at once. Refused
    outside lesson time (after school, at break, on a day with no school): nobody is out of
    lessons then."""
    now = now or clock.now()
    found_at = found_at or now
    found_where = found_where.strip()
    if not found_where:
        raise ValidationError({"found_where": "Say where the student was found."})
    sweep = _open_sweep(sweep_id, by)
    checks.check_on_roll(student)
    checks.check_not_future(found_at, now, "found_at", "The time found")
    not_then = sweeps_selectors.not_lesson_time(found_at)
    if not_then:  # nobody is out of lessons when none run: no truancy to record
        raise ActionRefused(not_then)
    if found_at < sweep.started_at:
        raise ValidationError(
            {"found_at": f"The sweep started at {hhmm(sweep.started_at)}: use a later time."}
        )
    where = school_timetable.student_whereabouts(student, found_at)
    teachers = where.teachers
    return SweepFinding.objects.create(
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
    by,
    rooms: Iterable[Room] = (),
    areas: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Sweep:
    """Close the walker's own open sweep with where it went."""
    now = now or clock.now()
    rooms, areas = list(rooms), areas.strip()
    if not rooms and not areas:
        raise ValidationError({"areas": "Say where you went: choose rooms or type the areas."})
    sweep = _open_sweep(sweep_id, by)
    sweep.ended_at = max(now, sweep.started_at)
    sweep.areas = areas
    sweep.note = note.strip()
    sweep.save(update_fields=["ended_at", "areas", "note"])
    sweep.rooms.set(rooms)
    return sweep


@transaction.atomic
def finding_mark_dealt_with(
    *, finding_id: int, by, note: str = "", now: dt.datetime | None = None
) -> SweepFinding:
    """Attendance staff close a student found out of lessons, once."""
    now = now or clock.now()
    changed = SweepFinding.objects.filter(pk=finding_id, dealt_with_at__isnull=True).update(
        dealt_with_at=now, dealt_with_by=by, dealt_with_note=note.strip()
    )
    finding = SweepFinding.objects.select_related("dealt_with_by__staff").get(pk=finding_id)
    if changed != 1:
        who = people.person_name(finding.dealt_with_by) or "someone"
        raise ActionRefused(
            f"{who} already marked this dealt with at {hhmm(finding.dealt_with_at)}."
        )
    return finding
