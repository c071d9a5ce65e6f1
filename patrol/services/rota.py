"""Writes for the duty rota: duties and staff absences."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from patrol.models import SUPERVISION_KINDS, Duty, StaffAbsence
from patrol.services import checks
from school.models import Period, Room, Staff
from school.selectors import calendar as school_calendar

# A duty or an absence in the history: put on the rota, then (when deleted) removed from it.
ON_THE_ROTA = "on the rota"
REMOVED = "removed"


@transaction.atomic
def duty_add(
    *,
    by,
    staff: Staff,
    date: dt.date,
    period: Period,
    kind: str,
    room: Room | None = None,
) -> Duty:
    """Put a member of staff on a duty in one period of one day, keeping who did it; one duty per
    person a period."""
    if kind not in Duty.Kind.values:
        raise ValidationError({"kind": "Choose the duty."})
    if room is not None and kind not in SUPERVISION_KINDS:
        raise ValidationError({"room": "Only a supervision duty has a room."})
    if not staff.is_active:
        raise ValidationError({"staff": f"{staff.display_name} is no longer on the staff."})
    checks.check_date_near(date, clock.today(), "date", "The day")
    if not school_calendar.is_school_day(date):
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
            duty = Duty.objects.create(
                staff=staff,
                date=date,
                period=period,
                kind=kind,
                room=room,
                added_by=by,
                added_at=clock.now(),
            )
    except IntegrityError:
        raise ValidationError({"staff": f"{staff.display_name} already has a duty then."}) from None
    history_record(target=duty, by=by, to=ON_THE_ROTA, note=_duty_words(duty))
    return duty


@transaction.atomic
def duty_remove(*, duty_id: int, by) -> None:
    """Take a duty off the rota, keeping in the history who took it off and what it was."""
    duty = (
        Duty.objects.select_for_update(of=("self",))
        .select_related("staff", "period", "room")
        .filter(pk=duty_id)
        .first()
    )
    if duty is None:
        raise ActionRefused("That duty is no longer on the rota.")
    history_record(target=duty, by=by, from_=ON_THE_ROTA, to=REMOVED, note=_duty_words(duty))
    duty.delete()


def _duty_words(duty: Duty) -> str:
    """ "Mr H Reid: Patrol / on-call, Wed 25 Nov, Period 2" """
    room = f" ({duty.room.code})" if duty.room else ""
    return (
        f"{duty.staff.display_name}: {duty.get_kind_display()}{room}, "
        f"{duty.date:%a %-d %b}, {duty.period.name}"
    )


@transaction.atomic
def staff_absence_add(
    *, by, staff: Staff, starts_on: dt.date, ends_on: dt.date, note: str = ""
) -> StaffAbsence:
    """Record a member of staff away, with who recorded it; their duties in those days show as
    needing cover."""
    checks.check_date_near(starts_on, clock.today(), "starts_on", "The first day")
    checks.check_date_near(ends_on, clock.today(), "ends_on", "The last day")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day can't be before the first."})
    absence = StaffAbsence.objects.create(
        staff=staff,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
        added_by=by,
        added_at=clock.now(),
    )
    history_record(target=absence, by=by, to=ON_THE_ROTA, note=_absence_words(absence))
    return absence


@transaction.atomic
def staff_absence_remove(*, absence_id: int, by) -> None:
    """Delete an absence recorded by mistake, keeping in the history who deleted it and what it
    was."""
    absence = (
        StaffAbsence.objects.select_for_update(of=("self",))
        .select_related("staff")
        .filter(pk=absence_id)
        .first()
    )
    if absence is None:
        raise ActionRefused("That absence is no longer recorded.")
    history_record(
        target=absence, by=by, from_=ON_THE_ROTA, to=REMOVED, note=_absence_words(absence)
    )
    absence.delete()


def _absence_words(absence: StaffAbsence) -> str:
    """ "Mr H Reid away Wed 25 Nov to Fri 27 Nov: course" """
    days = f"{absence.starts_on:%a %-d %b}"
    if absence.ends_on != absence.starts_on:
        days += f" to {absence.ends_on:%a %-d %b}"
    note = f": {absence.note}" if absence.note else ""
    return f"{absence.staff.display_name} away {days}{note}"
