"""Writes for meetings with a student's parents or carers: invite (by each one's preferred
channel, with a calendar attachment for email), record who came and what was discussed, and
rearrange a meeting nobody came to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.wording import dates_phrase
from notify import services as notify_services
from notify.models import Message
from pastoral.models import Meeting
from sanctions.models import Placement
from school.models import Guardian, School, Staff, Student, StudentGuardian

if TYPE_CHECKING:
    from django.contrib.auth.models import User

INVITATION_TEMPLATE = "meeting-invitation"


@dataclass
class Invitation:
    meeting: Meeting
    messages: list[Message] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a contact who could not be invited, why


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def meeting_ics(meeting: Meeting) -> str:
    """The meeting as an iCalendar event (RFC 5545) for the parent's calendar."""
    school = School.objects.order_by("pk").first()
    stamp = "%Y%m%dT%H%M%SZ"
    start = meeting.starts_at.astimezone(dt.UTC)
    end = start + dt.timedelta(minutes=meeting.minutes)
    organiser = school.email if school and school.email else "school@example.invalid"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Conduct//Meetings//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:conduct-meeting-{meeting.pk}@{organiser.split('@')[-1]}",
        f"DTSTAMP:{clock.now().astimezone(dt.UTC):{stamp}}",
        f"DTSTART:{start:{stamp}}",
        f"DTEND:{end:{stamp}}",
        f"SUMMARY:{_ics_text(f'Meeting about {meeting.student.first_name}')}",
        f"LOCATION:{_ics_text(f'{meeting.get_mode_display()}: {meeting.place}')}",
        f"DESCRIPTION:{_ics_text(meeting.purpose)}",
        f"ORGANIZER:mailto:{organiser}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def _validate(*, starts_at: dt.datetime | None, place: str, purpose: str, mode: str) -> None:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = "Choose the day and time."
    elif starts_at <= clock.now():
        errors["starts_at"] = "Choose a time that has not passed."
    elif starts_at > clock.now() + dt.timedelta(days=366):
        errors["starts_at"] = "Choose a time within the next year."
    if not place.strip():
        errors["place"] = "Say where (a room), or the number or link for a call."
    if not purpose.strip():
        errors["purpose"] = "Say what the meeting is for."
    if mode not in Meeting.Mode.values:
        errors["mode"] = "Choose in person, phone or video."
    if errors:
        raise ValidationError(errors)


def meeting_invite(
    *,
    student: Student,
    starts_at: dt.datetime,
    place: str,
    purpose: str,
    mode: str = Meeting.Mode.IN_PERSON,
    minutes: int = 30,
    staff: Iterable[Staff] = (),
    placement: Placement | None = None,
    rearranged_from: Meeting | None = None,
    by: User,
) -> Invitation:
    """Invite every parent or carer with parental responsibility, each by their preferred channel
    (an email carries an .ics calendar event). The invitations are drafts to check and send. A
    contact who cannot be written to is named in `problems`; if nobody can be, nothing is kept."""
    _validate(starts_at=starts_at, place=place, purpose=purpose, mode=mode)
    if placement is not None and placement.student_id != student.pk:
        raise ValidationError({"placement": "That placement is another student's."})
    links = list(
        StudentGuardian.objects.filter(student=student, parental_responsibility=True)
        .select_related("guardian")
        .order_by("priority", "pk")
    )
    if not links:
        raise ValidationError(
            f"{student.name} has no parent or carer with parental responsibility on record."
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            student=student,
            placement=placement,
            purpose=purpose.strip(),
            starts_at=starts_at,
            minutes=minutes,
            mode=mode,
            place=place.strip(),
            rearranged_from=rearranged_from,
            invited_by=by,
        )
        meeting.staff.set(list(staff))
        local = clock.local(starts_at)
        context = {
            "meeting_date": dates_phrase([local.date()]),
            "meeting_time": f"{local:%H:%M}",
            "meeting_place": (
                place.strip()
                if mode == Meeting.Mode.IN_PERSON
                else f"by {meeting.get_mode_display().lower()} ({place.strip()})"
            ),
            "meeting_purpose": purpose.strip(),
        }
        names = ", ".join(s.display_name for s in meeting.staff.all())
        if names:
            context["contact_name"] = names
        ics = meeting_ics(meeting)
        invitation = Invitation(meeting)
        for link in links:
            try:
                with transaction.atomic():
                    message = notify_services.message_draft(
                        template_key=INVITATION_TEMPLATE,
                        context=context,
                        student=student,
                        guardian=link.guardian,
                        related=meeting,
                        calendar=ics,
                        by=by,
                    )
            except ValidationError as error:
                invitation.problems.append(" ".join(error.messages))
                continue
            invitation.messages.append(message)
        if not invitation.messages:
            raise ValidationError(invitation.problems)
        meeting.guardians.set([m.guardian for m in invitation.messages if m.guardian])
        history_record(
            target=meeting, by=by, to=Meeting.Status.INVITED, note=purpose[:300], student=student
        )
    return invitation


def meeting_record(
    *, meeting: Meeting, attended_by: Iterable[Guardian], discussed: str, by: User
) -> Meeting:
    """Record a meeting that has taken place: who came (none: not attended) and what was
    discussed."""
    came = list(attended_by)
    discussed = discussed.strip()
    invited = set(meeting.guardians.values_list("pk", flat=True))
    if any(g.pk not in invited for g in came):
        raise ValidationError({"attended_by": "Choose from the parents and carers invited."})
    if came and not discussed:
        raise ValidationError({"discussed": "Say what was discussed and agreed."})
    if meeting.starts_at > clock.now():
        raise ValidationError("A meeting can be recorded once its time has come.")
    with transaction.atomic():
        status = Meeting.Status.HELD if came else Meeting.Status.NOT_ATTENDED
        changed = Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.INVITED).update(
            status=status, discussed=discussed, recorded_by=by, recorded_at=clock.now()
        )
        if changed != 1:
            raise ValidationError("This meeting has already been recorded.")
        meeting.refresh_from_db()
        meeting.attended_by.set(came)
        history_record(
            target=meeting,
            by=by,
            field="status",
            from_=Meeting.Status.INVITED,
            to=status,
            student=meeting.student,
        )
    return meeting


def meeting_rearrange(
    *, meeting: Meeting, starts_at: dt.datetime, place: str = "", by: User
) -> Invitation:
    """A meeting nobody came to (or one still to happen) moves to a new time: the old one is
    kept as rearranged, and the same people are invited again."""
    if meeting.status not in (Meeting.Status.INVITED, Meeting.Status.NOT_ATTENDED):
        raise ValidationError(
            f"This meeting cannot be rearranged: it is {meeting.get_status_display().lower()}."
        )
    with transaction.atomic():
        changed = Meeting.objects.filter(pk=meeting.pk, status=meeting.status).update(
            status=Meeting.Status.REARRANGED
        )
        if changed != 1:
            raise ValidationError("This meeting has just been changed by someone else.")
        invitation = meeting_invite(
            student=meeting.student,
            starts_at=starts_at,
            place=place or meeting.place,
            purpose=meeting.purpose,
            mode=meeting.mode,
            minutes=meeting.minutes,
            staff=list(meeting.staff.all()),
            placement=meeting.placement,
            rearranged_from=meeting,
            by=by,
        )
        history_record(
            target=meeting,
            by=by,
            field="status",
            from_=meeting.status,
            to=Meeting.Status.REARRANGED,
            student=meeting.student,
        )
    return invitation
