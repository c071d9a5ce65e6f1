"""Writes for incidents: what happened and each student's part in it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from conduct.lib import clock, dates
from sanctions.models import Incident, IncidentStudent, ReasonCategory
from school.models import Period, Room, Staff, Student, TeachingClass


@transaction.atomic
def incident_record(
    *,
    occurred_at: dt.datetime,
    reason: ReasonCategory,
    description: str,
    reported_by: Staff,
    by,
    students: list[tuple[Student, str]],
    room: Room | None = None,
    location: str = "",
    period: Period | None = None,
    teaching_class: TeachingClass | None = None,
) -> Incident:
    """Record an incident with each student's part; refuses one with no student or no account."""
    errors = {}
    if not description.strip():
        errors["description"] = "Say what happened."
    if not students:
        errors["students"] = "Name at least one student involved."
    if not room and not location.strip():
        errors["location"] = "Say where it happened: a room or a place."
    if occurred_at > clock.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = "An incident can't be in the future."
    elif not dates.in_window(occurred_at.date()):  # a slip of the keyboard, or year 0001
        first, _last = dates.window()
        errors["occurred_at"] = (
            f"Choose a date between {first:%-d %B %Y} and today: the school's records go back "
            "seven academic years."
        )
    parts = dict(IncidentStudent.Part.choices)
    for _student, part in students:
        if part not in parts:
            errors["students"] = f"Unknown part {part!r}: perpetrator, victim or witness."
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.create(
        occurred_at=occurred_at,
        reason=reason,
        description=description.strip(),
        reported_by=reported_by,
        recorded_by=by,
        recorded_at=clock.now(),
        room=room,
        location=location.strip(),
        period=period,
        teaching_class=teaching_class,
    )
    IncidentStudent.objects.bulk_create(
        IncidentStudent(incident=incident, student=student, part=part) for student, part in students
    )
    return incident
