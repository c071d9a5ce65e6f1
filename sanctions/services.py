"""Writes for incidents, referrals and placements. Each is one transaction."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from notify.models import Message
from notify.selectors import messages_about
from notify.services import message_cancel, message_draft, staff_email_send
from pastoral.models import Interview
from sanctions import policies
from sanctions import selectors as sanctions_selectors
from sanctions.models import (
    AttendanceMark,
    DigestRun,
    EscalationRule,
    Incident,
    IncidentStudent,
    Placement,
    PlacementDay,
    Provision,
    ProvisionRoom,
    ReasonCategory,
    Referral,
    RoomLogEntry,
)
from school.models import Period, Room, Staff, Student, TeachingClass, TimetableSlot
from school.selectors import (
    current_school,
    cycle_day_on,
    is_school_day,
    local_now,
    school_days_from,
    student_timetable_on,
)
from work.models import WorkRequest

# How far ahead booking looks for free places before it gives up (about a half-term).
BOOKING_HORIZON_SCHOOL_DAYS = 30


@transaction.atomic
def incident_record(
    *,
    occurred_at: dt.datetime,
    reason: ReasonCategory,
    description: str,
    reported_by: Staff,
    recorded_by,
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
    if occurred_at > local_now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = "An incident can't be in the future."
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
        recorded_by=recorded_by,
        room=room,
        location=location.strip(),
        period=period,
        teaching_class=teaching_class,
    )
    IncidentStudent.objects.bulk_create(
        IncidentStudent(incident=incident, student=student, part=part) for student, part in students
    )
    return incident


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
        raise ValidationError(f"{provision} has no room: add one in School settings.")
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
    raise ValidationError(
        f"{provision} has no free place on {days} school day(s) in the next "
        f"{BOOKING_HORIZON_SCHOOL_DAYS} school days."
    )


@transaction.atomic
def placement_book(
    *,
    student: Student,
    provision: Provision,
    days: int,
    booked_by,
    start_on: dt.date,
    referral: Referral | None = None,
    from_time: dt.time | None = None,
    removed_from: TimetableSlot | None = None,
    note: str = "",
    only_on: dt.date | None = None,
) -> Placement:
    """Book a student into a provision on the first school days from `start_on` with a free
    place, never over a room's capacity; with it, in the same transaction: a register line for
    each day, a work request for every lesson missed, the entry interview to do, and the parent
    letter as a draft for review."""
    if not provision.is_bookable:
        raise ValidationError(f"{provision} is a decision, not a room: it can't be booked.")
    if not 1 <= days <= 10:
        raise ValidationError({"days": "Book between 1 and 10 days."})
    if not student.on_roll:
        raise ValidationError(f"{student.name} has left the school.")
    chosen = _book_days(student=student, provision=provision, days=days, start_on=start_on)
    if only_on and chosen[0][0] != only_on:
        raise ValidationError(f"{provision} has no free place today.")
    placement = Placement.objects.create(
        removed_from=removed_from,
        note=note.strip(),
        student=student,
        provision=provision,
        referral=referral,
        planned_days=days,
        starts_on=chosen[0][0],
        ends_on=chosen[-1][0],
        booked_by=booked_by,
    )
    days_booked = PlacementDay.objects.bulk_create(
        PlacementDay(placement=placement, date=day, room=room) for day, room in chosen
    )
    _request_work(placement, days_booked, from_time=from_time)
    Interview.objects.create(placement=placement, kind=Interview.Kind.ENTRY, due_on=chosen[0][0])
    _draft_parent_letter(placement, booked_by)
    _escalate(placement, EscalationRule.Trigger.REPEATED, booked_by)
    return placement


def _request_work(
    placement: Placement, days: list[PlacementDay], *, from_time: dt.time | None = None
) -> None:
    """A work request to the teacher of every lesson the student will miss."""
    requests = []
    for index, day in enumerate(days):
        for slot in student_timetable_on(placement.student, day.date):
            if index == 0 and from_time and slot.period.ends_at <= from_time:
                continue  # a lesson already over when the student was removed
            teacher = slot.staff or next(
                (link.staff for link in slot.teaching_class.teacher_links.all()), None
            )
            requests.append(
                WorkRequest(
                    placement_day=day,
                    date=day.date,
                    period=slot.period,
                    teaching_class=slot.teaching_class,
                    slot=slot,
                    teacher=teacher,
                )
            )
    WorkRequest.objects.bulk_create(requests)


def _dates_text(dates: list[dt.date]) -> str:
    names = [f"{d:%A} {d.day} {d:%B}" for d in dates]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _parent_reason(placement: Placement) -> str:
    incident = placement.referral.incident if placement.referral else None
    if incident is None:
        return ""
    return f"of {incident.reason.name[0].lower()}{incident.reason.name[1:]}"


def _draft_parent_letter(
    placement: Placement, booked_by, *, key: str = "", previous_dates: str = ""
) -> None:
    """The parent notification, as a draft for a person to review. A family with no usable
    contact doesn't stop the booking: the problem is kept on the placement and shown."""
    provision = placement.provision
    dates = list(placement.days.filter(is_active=True).values_list("date", flat=True))
    context = {
        "provision": provision.name,
        "reason": _parent_reason(placement),
        "dates": _dates_text(dates),
        "day_count": len(dates),
        "start_time": f"{provision.arrives_at:%H:%M}" if provision.arrives_at else "",
        "end_time": f"{provision.leaves_at:%H:%M}" if provision.leaves_at else "",
        "entrance": provision.arrival_instructions,
        "previous_dates": previous_dates,
    }
    if not key:
        key = "removal-to-reflection-room" if placement.removed_from_id else "placement-booked"
    try:
        with transaction.atomic():
            message_draft(
                template_key=key,
                context=context,
                student=placement.student,
                related=placement,
                created_by=booked_by,
            )
    except ValidationError as error:
        placement.parent_notice_problem = " ".join(error.messages)[:300]
        placement.save(update_fields=["parent_notice_problem"])


@transaction.atomic
def reflection_room_removal(
    *,
    student: Student,
    removed_by,
    teaching_class: TeachingClass | None = None,
    period: Period | None = None,
    note: str = "",
    on_call_request=None,
) -> Placement:
    """Remove a student from a lesson into the reflection room now: a placement for today with
    the lesson recorded, its follow-ups (work for the lessons still to come, the parent notice),
    or a clear refusal when the room is full or school is closed. `on_call_request` is the
    request that led to it, kept by the caller."""
    provision = Provision.objects.get(kind=Provision.Kind.REFLECTION_ROOM)
    now = local_now()
    today = now.date()
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
            booked_by=removed_by,
            start_on=today,
            from_time=now.time(),
            removed_from=slot,
            note=note,
            only_on=today,
        )
    except ValidationError as error:
        raise ValidationError(
            f"{student.name} can't go to the reflection room now: {' '.join(error.messages)}"
        ) from None
    return placement


def _next_booking_day() -> dt.date:
    """Approving books from the next school day: the room's day starts before main school."""
    return local_now().date() + dt.timedelta(days=1)


@transaction.atomic
def referral_create(
    *,
    student: Student,
    provision: Provision,
    days: int,
    requested_by,
    incident: Incident | None = None,
    note: str = "",
) -> Referral:
    """Ask for a provision for a student. A referrer who may approve it is approved at once."""
    if not policies.can_refer(requested_by):
        raise ValidationError("Your account can't make referrals.")
    if not 1 <= days <= 10:
        raise ValidationError({"days": "Ask for between 1 and 10 days."})
    referral = Referral.objects.create(
        student=student,
        provision=provision,
        days=days,
        requested_by=requested_by,
        incident=incident,
        note=note.strip(),
    )
    if policies.can_approve(requested_by, provision):
        referral_approve(referral=referral, user=requested_by)
    return referral


def _claim_pending(referral: Referral, user, status: str, note: str = "") -> None:
    """Move a pending referral on; exactly one decision wins when two approvers click at once."""
    changed = Referral.objects.filter(pk=referral.pk, status=Referral.Status.PENDING).update(
        status=status, decided_by=user, decided_at=timezone.now(), decision_note=note
    )
    if changed != 1:
        referral.refresh_from_db()
        raise ValidationError(
            f"This referral was already {referral.get_status_display().lower()}"
            + (f" by {referral.decided_by.get_full_name()}" if referral.decided_by else "")
            + "."
        )
    referral.refresh_from_db()


@transaction.atomic
def referral_approve(
    *,
    referral: Referral,
    user,
    days: int | None = None,
    provision: Provision | None = None,
    start_on: dt.date | None = None,
    note: str = "",
) -> Placement | None:
    """Approve a pending referral (amending days or provision if given) and book it."""
    provision = provision or referral.provision
    if not policies.can_approve(user, provision):
        raise ValidationError(f"Your account can't approve {provision.name.lower()} referrals.")
    amended = []
    if days and days != referral.days:
        amended.append(f"days {referral.days} → {days}")
        referral.days = days
    if provision != referral.provision:
        amended.append(f"{referral.provision} → {provision}")
        referral.provision = provision
    if amended:
        referral.save(update_fields=["days", "provision"])
        note = "; ".join(["Amended: " + ", ".join(amended), note]).strip("; ")
    _claim_pending(referral, user, Referral.Status.APPROVED, note)
    if not provision.is_bookable:
        return None
    return placement_book(
        student=referral.student,
        provision=provision,
        days=referral.days,
        booked_by=user,
        start_on=start_on or _next_booking_day(),
        referral=referral,
    )


@transaction.atomic
def referral_decline(*, referral: Referral, user, reason: str) -> Referral:
    """Decline a pending referral; the reason is required and shown to the referrer."""
    if not policies.can_approve(user, referral.provision):
        raise ValidationError("Your account can't decide this referral.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is declined."})
    _claim_pending(referral, user, Referral.Status.DECLINED, reason.strip())
    return referral


@transaction.atomic
def placement_cancel(*, placement: Placement, user, reason: str) -> Placement:
    """Cancel a booked placement: its days leave the register and free their places."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the placement is cancelled."})
    changed = Placement.objects.filter(pk=placement.pk, status=Placement.Status.BOOKED).update(
        status=Placement.Status.CANCELLED, closed_at=timezone.now(), closing_note=reason.strip()
    )
    if changed != 1:
        raise ValidationError("Only a booked placement can be cancelled.")
    booked_dates = list(placement.days.filter(is_active=True).values_list("date", flat=True))
    placement.days.update(is_active=False)
    WorkRequest.objects.filter(placement_day__placement=placement).exclude(
        status=WorkRequest.Status.RETURNED
    ).update(status=WorkRequest.Status.CANCELLED)
    Interview.objects.filter(placement=placement, status=Interview.Status.TO_DO).update(
        status=Interview.Status.CANCELLED
    )
    _withdraw_parent_letters(placement, user, dates=booked_dates)
    placement.refresh_from_db()
    return placement


@transaction.atomic
def placement_move(*, placement: Placement, user, start_on: dt.date, reason: str) -> Placement:
    """Move a booked placement to start on another day (the first school days from `start_on`
    with a free place). Its register lines, work requests and entry interview follow; the family
    gets a draft saying what changed, or a fresh draft if they had not been told yet."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the placement is moving."})
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != Placement.Status.BOOKED:
        raise ValidationError("Only a booked placement can be moved.")
    old_days = list(placement.days.filter(is_active=True).order_by("date"))
    previous = _dates_text([d.date for d in old_days])
    WorkRequest.objects.filter(placement_day__in=old_days).update(
        status=WorkRequest.Status.CANCELLED
    )
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
    _request_work(placement, new_days)
    Interview.objects.filter(placement=placement, status=Interview.Status.TO_DO).update(
        due_on=chosen[0][0]
    )
    told = _withdraw_parent_letters(placement, user, draft_cancellation=False)
    _draft_parent_letter(
        placement, user, key="placement-changed" if told else "", previous_dates=previous
    )
    return placement


def _withdraw_parent_letters(
    placement: Placement, user, *, draft_cancellation: bool = True, dates: Sequence[dt.date] = ()
) -> bool:
    """Drafts not yet approved are cancelled; a family already told gets a cancellation draft
    (unless the caller writes to them itself). Says whether the family had been told."""
    told = False
    for message in messages_about(placement):
        if message.status == Message.Status.DRAFT:
            message_cancel(message=message, user=user)
        elif message.status in (
            Message.Status.APPROVED,
            Message.Status.QUEUED,
            Message.Status.SENT,
        ):
            told = True
    if told and draft_cancellation:
        try:
            with transaction.atomic():
                message_draft(
                    template_key="placement-cancelled",
                    context={
                        "provision": placement.provision.name,
                        # The days the family was told about: a moved placement's old days are
                        # inactive rows too.
                        "dates": _dates_text(sorted(dates)),
                    },
                    student=placement.student,
                    related=placement,
                    created_by=user,
                )
        except ValidationError as error:
            placement.parent_notice_problem = " ".join(error.messages)[:300]
            placement.save(update_fields=["parent_notice_problem"])
    return told


@transaction.atomic
def placement_close(
    *, placement: Placement, user, failed: bool = False, note: str = "", actual_days=None
) -> Placement:
    """Close a booked placement as completed or failed, recording its actual length against the
    planned length (by default the days it was on the register)."""
    if failed and not note.strip():
        raise ValidationError({"note": "Say why the placement failed."})
    if actual_days is None:
        actual_days = placement.days.filter(is_active=True).count()
    status = Placement.Status.FAILED if failed else Placement.Status.COMPLETED
    changed = Placement.objects.filter(pk=placement.pk, status=Placement.Status.BOOKED).update(
        status=status, actual_days=actual_days, closed_at=timezone.now(), closing_note=note.strip()
    )
    if changed != 1:
        raise ValidationError("This placement is already closed.")
    placement.refresh_from_db()
    return placement


# ---- the day in the room ----------------------------------------------------------------------

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
        raise ValidationError("This placement is closed or cancelled: its register can't change.")
    return placement_day


@transaction.atomic
def mark_record(
    *,
    placement_day: PlacementDay,
    session: str,
    kind: str,
    at: dt.time,
    user,
    minutes_late: int | None = None,
) -> AttendanceMark:
    """Record (or correct) one session's mark for a student in the room."""
    _open_day(placement_day)
    if session not in AttendanceMark.Session.values:
        raise ValidationError({"session": "Choose the morning or the afternoon."})
    if kind not in AttendanceMark.Kind.values:
        raise ValidationError({"kind": f"Unknown mark {kind!r}."})
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
            "recorded_by": user,
            "recorded_at": timezone.now(),
        },
    )
    return mark


@transaction.atomic
def room_log_add(
    *, placement_day: PlacementDay, kind: str, at: dt.time, user, note: str = ""
) -> RoomLogEntry:
    """Add a line to the room's behaviour log for a student (failing is `placement_fail`)."""
    _open_day(placement_day)
    if kind not in RoomLogEntry.Kind.values or kind == RoomLogEntry.Kind.FAILED:
        raise ValidationError({"kind": "Choose what happened."})
    if kind in (RoomLogEntry.Kind.WARNING, RoomLogEntry.Kind.NOTE) and not note.strip():
        raise ValidationError({"note": "Say what the warning or note was for."})
    return RoomLogEntry.objects.create(
        placement_day=placement_day, kind=kind, at=at, note=note.strip(), recorded_by=user
    )


def _actual_days(placement: Placement) -> Decimal:
    total = Decimal("0")
    for mark in AttendanceMark.objects.filter(
        placement_day__placement=placement, placement_day__is_active=True
    ):
        total += SESSION_VALUE[mark.kind]
    return total


def _escalate(placement: Placement, trigger: str, user) -> list[Referral]:
    """Follow the school's ladder: each matching step becomes a pending referral, once."""
    made = []
    rules = EscalationRule.objects.filter(
        from_provision=placement.provision, trigger=trigger, is_active=True
    ).select_related("to_provision")
    for rule in rules:
        if trigger == EscalationRule.Trigger.REPEATED:
            since = placement.starts_on - dt.timedelta(days=rule.within_days - 1)
            recent = (
                Placement.objects.filter(
                    student=placement.student,
                    provision=placement.provision,
                    starts_on__gte=since,
                    starts_on__lte=placement.starts_on,
                )
                .exclude(status=Placement.Status.CANCELLED)
                .count()
            )
            if recent < rule.count:
                continue
            why = (
                f"{recent} {placement.provision.name.lower()} placements in {rule.within_days} days"
            )
        else:
            why = f"failed {placement.provision.name.lower()} on {local_now().date():%d/%m/%Y}"
        if Referral.objects.filter(escalated_from=placement, provision=rule.to_provision).exists():
            continue
        made.append(
            Referral.objects.create(
                student=placement.student,
                provision=rule.to_provision,
                days=rule.days,
                incident=placement.referral.incident if placement.referral else None,
                requested_by=user,
                note=f"Escalation ladder: {why}.",
                escalated_from=placement,
            )
        )
    return made


@transaction.atomic
def placement_fail(*, placement_day: PlacementDay, user, note: str, at: dt.time) -> list[Referral]:
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
        recorded_by=user,
    )
    placement = placement_day.placement
    # Days after today are given up: their places free up and their work is not needed.
    later = placement.days.filter(is_active=True, date__gt=placement_day.date)
    WorkRequest.objects.filter(placement_day__in=later).update(status=WorkRequest.Status.CANCELLED)
    later.update(is_active=False)
    placement_close(
        placement=placement, user=user, failed=True, note=note, actual_days=_actual_days(placement)
    )
    return _escalate(placement, EscalationRule.Trigger.FAILED, user)


@transaction.atomic
def register_close(*, room: Room, date: dt.date, user) -> list[Placement]:
    """Close the day in a room: every student must have a mark for each session; placements
    whose last day this is are completed with their actual length. Refuses, changing nothing,
    when a mark is missing."""
    lines = list(
        PlacementDay.objects.filter(
            room=room, date=date, is_active=True, placement__status=Placement.Status.BOOKED
        )
        .select_related("placement__student")
        .prefetch_related("marks")
    )
    missing = [
        line.placement.student.name
        for line in lines
        if {m.session for m in line.marks.all()} != set(AttendanceMark.Session.values)
    ]
    if missing:
        raise ValidationError(
            "Mark the morning and afternoon for every student before closing the day: "
            + ", ".join(sorted(missing))
            + "."
        )
    closed = []
    for line in lines:
        placement = line.placement
        last = placement.days.filter(is_active=True).order_by("-date").first()
        if last and last.date == date:
            closed.append(
                placement_close(placement=placement, user=user, actual_days=_actual_days(placement))
            )
    return closed


# ---- the morning digest -----------------------------------------------------------------------


def _digest_line(entry) -> str:
    lessons = ", ".join(f"{w.period.code} {w.teaching_class.code}" for w in entry.lessons)
    form = entry.student.form or entry.student.year_group
    return f"- {entry.student.name} ({form}): {entry.provision.name}, {entry.room.code}" + (
        f". Misses {lessons}" if lessons else ". Misses no timetabled lesson"
    )


@transaction.atomic
def register_digest_send(*, day: dt.date, force: bool = False) -> DigestRun | None:
    """Email all staff who is out of which lessons on `day`, and each affected teacher their own
    list; once a day (`force` sends again). Queued in the notify outbox, sent after commit."""
    if DigestRun.objects.filter(date=day).exists():
        if not force:
            return None
        DigestRun.objects.filter(date=day).delete()
    entries = sanctions_selectors.out_of_lessons(day)
    heading = f"{day:%A} {day.day} {day:%B}"
    run = DigestRun.objects.create(date=day, students=len(entries))
    staff_emails = list(
        Staff.objects.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if entries and staff_emails:
        body = "\n".join(
            [
                f"Students out of lessons on {heading}:",
                "",
                *map(_digest_line, entries),
                "",
                "Please set work for your lessons in Conduct; it goes to the room before school.",
            ]
        )
        staff_email_send(
            to=staff_emails,
            subject=f"Out of lessons today: {len(entries)} students ({heading})",
            body=body,
            related=run,
        )
        run.staff_emails = len(staff_emails)
    by_teacher: dict = {}
    for entry in entries:
        for request in entry.lessons:
            if request.teacher and request.teacher.email:
                by_teacher.setdefault(request.teacher, []).append((entry, request))
    for teacher, items in by_teacher.items():
        body = "\n".join(
            [
                f"Dear {teacher.display_name},",
                "",
                f"These students miss your lessons on {heading}:",
                "",
            ]
            + [
                f"- {r.period.name} {r.teaching_class.code}: {e.student.name} "
                f"({e.provision.name}, {e.room.code})"
                for e, r in items
            ]
            + ["", "Please set work for them in Conduct before the lesson."]
        )
        staff_email_send(
            to=teacher.email,
            subject=f"Your students out of lessons on {heading}",
            body=body,
            related=run,
        )
    run.teacher_emails = len(by_teacher)
    run.save(update_fields=["staff_emails", "teacher_emails"])
    return run


def register_digest_due() -> DigestRun | None:
    """Called by the worker every pass: send today's digest once it's the school's digest time
    on a school day."""
    now = local_now()
    school = current_school()
    if school is None or not is_school_day(now.date()) or now.time() < school.register_digest_at:
        return None
    return register_digest_send(day=now.date())
