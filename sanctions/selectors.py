"""Reads for referrals, placements and the day's register."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from conduct.roles import roles_of
from notify.models import Message
from sanctions.models import Placement, PlacementDay, Provision, ProvisionRoom, Referral
from school.models import Room, Student
from school.selectors import half_term_on, school_days_from
from work.models import WorkRequest


def pending_referrals_for(user) -> QuerySet[Referral]:
    """Referrals waiting for a decision that this user's roles may make, oldest first."""
    roles = roles_of(user)
    kinds = [p.kind for p in Provision.objects.all() if roles & set(p.approver_roles)]
    return (
        Referral.objects.filter(status=Referral.Status.PENDING, provision__kind__in=kinds)
        .select_related(
            "student__year_group", "student__form", "provision", "requested_by", "incident__reason"
        )
        .order_by("requested_at")
    )


def referrals_made_by(user, limit: int = 20) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(requested_by=user)
        .select_related("student__form", "provision", "decided_by")
        .order_by("-requested_at")[:limit]
    )


@dataclass
class Warning:
    """Something the approver should weigh before booking; `kind` lets a page style it."""

    kind: str
    message: str


def booking_warnings(
    student: Student, provision: Provision, days: int, on: dt.date
) -> list[Warning]:
    """What an approver must see before booking: double booking, repeat placements this
    half-term, SEN / EHCP, and too many consecutive days out of lessons."""
    warnings: list[Warning] = []
    upcoming = list(
        PlacementDay.objects.filter(
            placement__student=student,
            is_active=True,
            date__gte=on,
            placement__status=Placement.Status.BOOKED,
        ).select_related("placement__provision")
    )
    if upcoming:
        dates = ", ".join(f"{d.date:%a %d %b} ({d.placement.provision})" for d in upcoming[:5])
        warnings.append(Warning("booked", f"{student.name} is already booked: {dates}."))
    half_term = half_term_on(on)
    if half_term:
        so_far = Placement.objects.filter(
            student=student,
            provision=provision,
            starts_on__gte=half_term.starts_on,
            starts_on__lte=half_term.ends_on,
        ).exclude(status=Placement.Status.CANCELLED)
        count = so_far.count()
        if count >= provision.warn_after_per_half_term:
            warnings.append(
                Warning(
                    "repeat",
                    f"{student.name} has had {count} {provision.name.lower()} placement"
                    f"{'s' if count != 1 else ''} this half-term ({half_term.name}).",
                )
            )
    if student.sen_status in (Student.SenStatus.EHCP, Student.SenStatus.SUPPORT):
        what = "an EHCP" if student.has_ehcp else "SEN support"
        warnings.append(
            Warning(
                "sen",
                f"{student.name} has {what}. Check the reasonable adjustments in their plan "
                "(timings, breaks, a familiar adult, work pitched to need) and talk to the "
                "SENCO before booking.",
            )
        )
    if provision.is_bookable:
        run = _consecutive_days_out(student, on, days)
        if run > provision.max_consecutive_days:
            warnings.append(
                Warning(
                    "consecutive",
                    f"This would keep {student.name} out of lessons for {run} school days in a "
                    f"row (the limit set for {provision.name.lower()} is "
                    f"{provision.max_consecutive_days}).",
                )
            )
    return warnings


def _consecutive_days_out(student: Student, start: dt.date, days: int) -> int:
    """Length of the run of school days out of lessons if `days` more are booked from `start`,
    counting booked days just before and after."""
    booked = set(
        PlacementDay.objects.filter(placement__student=student, is_active=True).values_list(
            "date", flat=True
        )
    )
    window = school_days_from(start - dt.timedelta(days=21), 60)
    planned = set(school_days_from(start, days))
    out = booked | planned
    best = run = 0
    for day in window:
        run = run + 1 if day in out else 0
        best = max(best, run)
    return best


def register_lines(room_id: int, day: dt.date) -> QuerySet[PlacementDay]:
    """The register for one room on one day, with everything its rows show, in a fixed number of
    queries."""
    return (
        PlacementDay.objects.filter(room_id=room_id, date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .select_related(
            "placement__student__form",
            "placement__student__year_group",
            "placement__provision",
            "placement__referral__incident__reason",
        )
        .prefetch_related(
            "marks",
            "log_entries",
            Prefetch(
                "work_requests",
                queryset=WorkRequest.objects.exclude(status=WorkRequest.Status.CANCELLED)
                .select_related("period", "teaching_class", "teacher")
                .order_by("period__starts_at"),
            ),
            Prefetch(
                "placement__student__messages",
                queryset=Message.objects.filter(
                    audience=Message.Audience.PARENT,
                    related_type__app_label="sanctions",
                    related_type__model="placement",
                ).order_by("-created_at"),
                to_attr="placement_messages",
            ),
        )
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
    )


@dataclass
class RoomToday:
    provision: Provision
    room: Room
    capacity: int
    booked: int


def rooms_today(day: dt.date) -> list[RoomToday]:
    """Each provision room with its places booked on `day` (two queries)."""
    booked = dict(
        PlacementDay.objects.filter(date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list("room")
        .annotate(n=Count("pk"))
    )
    rooms = ProvisionRoom.objects.select_related("provision", "room").filter(
        ~Q(provision__is_bookable=False)
    )
    return [
        RoomToday(r.provision, r.room, r.capacity, booked.get(r.room_id, 0))
        for r in rooms.order_by("provision__kind", "order")
    ]


def marks_between(start: dt.date, end: dt.date):
    """Every attendance mark in the rooms between two dates, for the MIS export."""
    from sanctions.models import AttendanceMark

    return (
        AttendanceMark.objects.filter(
            placement_day__date__gte=start,
            placement_day__date__lte=end,
            placement_day__is_active=True,
        )
        .select_related(
            "placement_day__placement__student",
            "placement_day__placement__provision",
            "placement_day__room",
            "recorded_by",
        )
        .order_by(
            "placement_day__date",
            "placement_day__placement__student__legal_last_name",
            "placement_day__placement__student__legal_first_name",
            "session",
        )
    )


@dataclass
class OutOfLessons:
    """A student out of lessons on a day: where they are and which lessons they miss."""

    student: Student
    provision: Provision
    room: Room
    lessons: list  # WorkRequest rows: period, class, teacher


def out_of_lessons(day: dt.date) -> list[OutOfLessons]:
    """Everyone booked into a room on `day` with the lessons they miss, in name order (three
    queries)."""

    lines = list(
        PlacementDay.objects.filter(date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .select_related("placement__student__form", "placement__provision", "room")
        .prefetch_related(
            Prefetch(
                "work_requests",
                queryset=WorkRequest.objects.exclude(status=WorkRequest.Status.CANCELLED)
                .select_related("period", "teaching_class__subject", "teacher")
                .order_by("period__starts_at"),
            )
        )
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
    )
    return [
        OutOfLessons(
            line.placement.student,
            line.placement.provision,
            line.room,
            list(line.work_requests.all()),
        )
        for line in lines
    ]


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # incident, referral, decision, placement, day, interview, message
    title: str
    detail: str = ""
    url: str = ""


def _start_of(day: dt.date, hour: int = 8) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def student_timeline(student: Student) -> list[TimelineEntry]:
    """Everything Conduct holds about a student's behaviour, newest first: incidents, referrals
    and decisions, placements, each day's marks and log, interviews and parent contacts."""
    from django.urls import reverse

    from notify.models import Message
    from pastoral.models import Interview
    from sanctions.models import IncidentStudent

    entries: list[TimelineEntry] = []
    for part in IncidentStudent.objects.filter(student=student).select_related(
        "incident__reason", "incident__room", "incident__reported_by"
    ):
        incident = part.incident
        entries.append(
            TimelineEntry(
                incident.occurred_at,
                "incident",
                f"Incident: {incident.reason} ({part.get_part_display().lower()})",
                f"{incident.where} · reported by {incident.reported_by.display_name} · "
                f"{incident.description}",
            )
        )
    for referral in Referral.objects.filter(student=student).select_related(
        "provision", "requested_by", "decided_by"
    ):
        url = reverse("referral-detail", args=[referral.pk])
        who = referral.requested_by.get_full_name() or referral.requested_by.get_username()
        entries.append(
            TimelineEntry(
                referral.requested_at,
                "referral",
                f"Referred for {referral.provision.name.lower()}, {referral.days} "
                f"day{'s' if referral.days != 1 else ''}",
                f"by {who}" + (f" · {referral.note}" if referral.note else ""),
                url,
            )
        )
        if referral.decided_at:
            decider = referral.decided_by.get_full_name() if referral.decided_by else ""
            entries.append(
                TimelineEntry(
                    referral.decided_at,
                    "decision",
                    f"Referral {referral.get_status_display().lower()}",
                    f"by {decider}"
                    + (f" · {referral.decision_note}" if referral.decision_note else ""),
                    url,
                )
            )
    days = (
        PlacementDay.objects.filter(placement__student=student, is_active=True)
        .select_related("placement__provision", "room")
        .prefetch_related("marks", "log_entries")
    )
    for day in days:
        marks = ", ".join(
            f"{m.get_session_display().lower()} {m.get_kind_display().lower()}"
            for m in day.marks.all()
        )
        log = "; ".join(
            f"{e.at:%H:%M} {e.get_kind_display().lower()}" + (f": {e.note}" if e.note else "")
            for e in day.log_entries.all()
        )
        entries.append(
            TimelineEntry(
                _start_of(day.date),
                "day",
                f"{day.placement.provision.name} in {day.room.code}",
                " · ".join(filter(None, [marks or "not marked", log])),
                reverse("register", args=[day.room.code, day.date.isoformat()]),
            )
        )
    for placement in Placement.objects.filter(student=student).exclude(
        status=Placement.Status.BOOKED
    ):
        if placement.closed_at:
            actual = (
                f" · {placement.actual_days} of {placement.planned_days} days"
                if (placement.actual_days is not None)
                else ""
            )
            entries.append(
                TimelineEntry(
                    placement.closed_at,
                    "placement",
                    f"Placement {placement.get_status_display().lower()}",
                    f"{placement.provision.name}{actual}"
                    + (f" · {placement.closing_note}" if placement.closing_note else ""),
                )
            )
    for interview in Interview.objects.filter(placement__student=student):
        when = interview.conducted_at or _start_of(interview.due_on, 9)
        entries.append(
            TimelineEntry(
                when,
                "interview",
                f"{interview.get_kind_display()}: {interview.get_status_display().lower()}",
            )
        )
    for message in Message.objects.filter(student=student, audience=Message.Audience.PARENT):
        entries.append(
            TimelineEntry(
                message.sent_at or message.created_at,
                "message",
                f"Parent contact ({message.get_channel_display().lower()}): "
                f"{message.get_status_display().lower()}",
                message.subject,
                reverse("message-detail", args=[message.pk]),
            )
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)


def register_version(room_id: int, day: dt.date) -> str:
    """A fingerprint of a room's register on a day: changes whenever a line, mark, log entry or
    placement status changes, so an open register screen knows to refresh."""
    from django.db.models import Max

    from sanctions.models import AttendanceMark, RoomLogEntry

    lines = PlacementDay.objects.filter(room_id=room_id, date=day)
    state = lines.aggregate(
        n=Count("pk", filter=Q(is_active=True)),
        closed=Count("pk", filter=~Q(placement__status=Placement.Status.BOOKED)),
        last=Max("pk"),
    )
    marks = AttendanceMark.objects.filter(placement_day__in=lines).aggregate(
        n=Count("pk"), last=Max("recorded_at")
    )
    log = RoomLogEntry.objects.filter(placement_day__in=lines).aggregate(n=Count("pk"))
    return "-".join(
        str(v)
        for v in (
            state["n"],
            state["closed"],
            state["last"],
            marks["n"],
            marks["last"].timestamp() if marks["last"] else 0,
            log["n"],
        )
    )
