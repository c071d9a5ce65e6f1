"""Reads for patrol and on-call: the open queue, one request as the clients see it, who is on
call now, the teacher's lesson now; students sent out to visit, sweeps and students found out of
lessons, the watch list with where each student is now, and the rota week with its coverage
check."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from conduct.roles import Role
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
from school import selectors as school
from school.models import ClassTeacher, Period, Staff, Student, TeachingClass, TimetableSlot

URGENCY_RANK = {"emergency": 0, "urgent": 1, "routine": 2}
ON_CALL_DUTIES = (Duty.Kind.ON_CALL, Duty.Kind.SLT_ON_CALL)


def escalate_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.ON_CALL_ESCALATE_AFTER_SECONDS)


def person_name(user) -> str:
    """How a colleague is named on a card: the staff record's "Mr B Patel", else the account."""
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.display_name
    return user.get_full_name() or user.get_username()


def _requests() -> QuerySet[OnCallRequest]:
    return OnCallRequest.objects.select_related(
        "raised_by__staff",
        "claimed_by__staff",
        "resolved_by__staff",
        "reason",
        "room",
        "teaching_class",
        "period",
    ).prefetch_related(
        Prefetch("students", queryset=Student.objects.select_related("form").order_by("pk"))
    )


def _hhmm(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment else ""


def request_data(r: OnCallRequest) -> dict[str, Any]:
    """One request as every client sees it: plain JSON-safe values (events cross Redis as
    msgpack), the same dict for the page, the socket and the polling endpoint."""
    escalate_at = r.raised_at + escalate_after()
    waiting = r.status == OnCallRequest.Status.OPEN and r.tier == OnCallRequest.Tier.PATROL
    return {
        "id": r.pk,
        "version": r.version,
        "status": r.status,
        "status_label": r.get_status_display(),
        "is_open": r.status != OnCallRequest.Status.RESOLVED,
        "urgency": r.urgency,
        "urgency_label": r.get_urgency_display(),
        "order": f"{URGENCY_RANK[r.urgency]}-{_iso(r.raised_at)}",
        "tier": r.tier,
        "tier_label": r.get_tier_display(),
        "reason": r.reason.label,
        "where": r.room.code if r.room else r.location,
        "room_name": r.room.name if r.room and r.room.name != r.room.code else "",
        "location": r.location if r.room else "",
        "teaching_class": r.teaching_class.code if r.teaching_class else "",
        "period": r.period.name if r.period else "",
        "students": [
            {"id": s.pk, "name": s.name, "form": s.form.code if s.form else ""}
            for s in r.students.all()
        ],
        "note": r.note,
        "raised_by": person_name(r.raised_by),
        "raised_by_id": r.raised_by_id,
        "claimed_by": person_name(r.claimed_by),
        "claimed_by_id": r.claimed_by_id,
        "resolved_by": person_name(r.resolved_by),
        "raised_at": _iso(r.raised_at),
        "raised_time": _hhmm(r.raised_at),
        "claimed_time": _hhmm(r.claimed_at),
        "arrived_time": _hhmm(r.arrived_at),
        "escalated_time": _hhmm(r.escalated_at),
        "resolved_time": _hhmm(r.resolved_at),
        "escalate_at": _iso(escalate_at) if waiting else "",
        "outcome": r.outcome,
        "outcome_label": r.get_outcome_display() if r.outcome else "",
        "outcome_note": r.outcome_note,
    }


def on_call_request_data(request_id: int) -> dict[str, Any]:
    """One request, read now, as clients see it."""
    return request_data(_requests().get(pk=request_id))


def on_call_request_get(request_id: int) -> OnCallRequest:
    """One request with everything its page shows loaded; raises DoesNotExist."""
    return _requests().get(pk=request_id)


def on_call_queue() -> list[dict[str, Any]]:
    """Every request not yet resolved, emergencies first, then oldest first (three queries)."""
    rows = [request_data(r) for r in _requests().exclude(status=OnCallRequest.Status.RESOLVED)]
    return sorted(rows, key=lambda row: row["order"])


def on_call_recently_resolved(*, now: dt.datetime | None = None, limit: int = 10) -> list[dict]:
    """Today's last resolved requests, newest first, so the team sees what just happened."""
    now = now or school.local_now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = _requests().filter(status=OnCallRequest.Status.RESOLVED, resolved_at__gte=start)
    return [request_data(r) for r in rows.order_by("-resolved_at")[:limit]]


def on_call_snapshot(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything a queue client needs to redraw from nothing."""
    return {"open": on_call_queue(), "resolved": on_call_recently_resolved(now=now)}


def on_call_requests_raised_by(user, *, limit: int = 5) -> list[OnCallRequest]:
    """The user's latest requests, newest first, for the raise page."""
    return list(_requests().filter(raised_by=user).order_by("-raised_at")[:limit])


def on_call_reasons() -> QuerySet[OnCallReason]:
    return OnCallReason.objects.filter(is_active=True).order_by("position", "label")


# ---- who is on call ---------------------------------------------------------------------------


def _period_now(now: dt.datetime) -> Period | None:
    return school.period_at(timezone.localtime(now).time())


def absent_staff_ids(day: dt.date) -> set[int]:
    return set(
        StaffAbsence.objects.filter(starts_on__lte=day, ends_on__gte=day).values_list(
            "staff_id", flat=True
        )
    )


def on_duty_now(staff: Staff | None, *, now: dt.datetime | None = None) -> bool:
    """Whether the rota puts `staff` on patrol / on-call (or SLT on call) in the period now."""
    if staff is None:
        return False
    now = now or school.local_now()
    period = _period_now(now)
    if period is None:
        return False
    day = timezone.localtime(now).date()
    if staff.pk in absent_staff_ids(day):
        return False
    return Duty.objects.filter(
        staff=staff, date=day, period=period, kind__in=ON_CALL_DUTIES
    ).exists()


def on_call_staff_now(*, now: dt.datetime | None = None) -> dict[str, list[Staff]]:
    """Who answers on-call now: the conduct team and the rota's on-call duty ("patrol"), and the
    rota's SLT on call ("slt"); anyone absent today is left out."""
    now = now or school.local_now()
    day = timezone.localtime(now).date()
    period = _period_now(now)
    away = absent_staff_ids(day)
    duties = Duty.objects.none()
    if period is not None:
        duties = Duty.objects.filter(date=day, period=period, kind__in=ON_CALL_DUTIES)
    team = Staff.objects.filter(
        is_active=True, user__is_active=True, user__groups__name=Role.CONDUCT
    )
    patrol = Staff.objects.filter(
        Q(pk__in=team.values("pk"))
        | Q(pk__in=duties.filter(kind=Duty.Kind.ON_CALL).values("staff"))
    ).exclude(pk__in=away)
    slt = Staff.objects.filter(
        pk__in=duties.filter(kind=Duty.Kind.SLT_ON_CALL).values("staff")
    ).exclude(pk__in=away)
    return {"patrol": list(patrol.order_by("last_name")), "slt": list(slt.order_by("last_name"))}


def users_on_call_now(*, now: dt.datetime | None = None) -> list:
    """The accounts of everyone `on_call_staff_now` names."""
    staff = on_call_staff_now(now=now)
    ids = {s.user_id for group in staff.values() for s in group if s.user_id}
    return list(get_user_model().objects.filter(pk__in=ids))


# ---- the raise page ---------------------------------------------------------------------------


def lesson_now(staff: Staff | None, *, now: dt.datetime | None = None) -> TimetableSlot | None:
    """The lesson `staff` is teaching now, from the timetable, if any."""
    if staff is None:
        return None
    now = timezone.localtime(now or school.local_now())
    period = _period_now(now)
    if period is None:
        return None
    for slot in school.staff_timetable_on(staff, now.date()):
        if slot.period_id == period.pk:
            return slot
    return None


def classes_for(staff: Staff | None) -> QuerySet[TeachingClass]:
    """The classes `staff` teaches, for the raise page's class choice."""
    if staff is None:
        return TeachingClass.objects.none()
    return TeachingClass.objects.filter(teacher_links__staff=staff).distinct().order_by("code")


def class_list(teaching_class: TeachingClass | None) -> list[Student]:
    """The students on roll in a class, by surname."""
    if teaching_class is None:
        return []
    return list(
        Student.objects.filter(enrolments__teaching_class=teaching_class, left_on__isnull=True)
        .select_related("form")
        .order_by("legal_last_name", "legal_first_name")
    )


def start_of_day(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


# ---- where several students are now -----------------------------------------------------------


def whereabouts_of(
    student_ids: list[int], at: dt.datetime | None = None
) -> dict[int, school.Whereabouts]:
    """Where the timetable puts each student at `at` (default now), in a fixed number of queries
    however many students: the calendar, then one query for every slot and one for teachers."""
    at = timezone.localtime(at) if at else school.local_now()
    if not school.is_school_day(at.date()):
        return {pk: school.Whereabouts(at=at, reason="Not a school day") for pk in student_ids}
    period = school.period_at(at.time())
    if period is None:
        return {
            pk: school.Whereabouts(at=at, reason="Outside the school day") for pk in student_ids
        }
    if period.kind != Period.Kind.LESSON:
        reason = period.get_kind_display()
        return {pk: school.Whereabouts(at=at, period=period, reason=reason) for pk in student_ids}
    cycle_day = school.cycle_day_on(at.date())
    assert cycle_day is not None  # a school day is a weekday
    slots = (
        TimetableSlot.objects.filter(
            cycle_day=cycle_day,
            period=period,
            teaching_class__enrolments__student_id__in=student_ids,
        )
        .annotate(enrolled_student=F("teaching_class__enrolments__student_id"))
        .select_related("teaching_class__subject", "room", "staff", "period")
        .prefetch_related(
            Prefetch(
                "teaching_class__teacher_links",
                queryset=ClassTeacher.objects.select_related("staff").order_by(
                    "-is_main", "staff__last_name"
                ),
            )
        )
    )
    found: dict[int, school.Whereabouts] = {}
    for slot in slots:
        teachers = (
            [slot.staff]
            if slot.staff is not None
            else [link.staff for link in slot.teaching_class.teacher_links.all()]
        )
        found.setdefault(
            slot.enrolled_student,  # type: ignore[attr-defined]
            school.Whereabouts(at=at, period=period, slot=slot, teachers=teachers),
        )
    return {
        pk: found.get(pk)
        or school.Whereabouts(at=at, period=period, reason="No lesson on the timetable")
        for pk in student_ids
    }


def provision_today(student_ids: list[int], day: dt.date) -> dict[int, str]:
    """Students booked into a provision room on `day` ("Internal exclusion, IE1"): the
    timetable's lesson is not where they are. One query; read-only use of sanctions."""
    from sanctions.models import Placement, PlacementDay

    rows = (
        PlacementDay.objects.filter(date=day, is_active=True, placement__student_id__in=student_ids)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list("placement__student_id", "placement__provision__name", "room__code")
    )
    return {student_id: f"{name}, {room}" for student_id, name, room in rows}


# ---- students sent out ------------------------------------------------------------------------


def _sent_out() -> QuerySet[SentOut]:
    return SentOut.objects.select_related(
        "student__form",
        "teaching_class",
        "period",
        "from_room",
        "sent_to_room",
        "logged_by__staff",
        "visited_by__staff",
    )


def sent_out_to_visit(*, now: dt.datetime | None = None) -> list[SentOut]:
    """Today's students sent out whom nobody has visited yet, longest waiting first (one
    query)."""
    now = now or school.local_now()
    return list(_sent_out().filter(outcome="", sent_at__gte=start_of_day(now)).order_by("sent_at"))


def sent_out_visited_today(*, now: dt.datetime | None = None, limit: int = 20) -> list[SentOut]:
    """Today's visits already made, newest first."""
    now = now or school.local_now()
    rows = _sent_out().exclude(outcome="").filter(sent_at__gte=start_of_day(now))
    return list(rows.order_by("-outcome_at")[:limit])


def sent_out_logged_by(user, *, now: dt.datetime | None = None, limit: int = 5) -> list[SentOut]:
    """What `user` logged today, newest first, so a teacher sees the visit happen."""
    now = now or school.local_now()
    rows = _sent_out().filter(logged_by=user, sent_at__gte=start_of_day(now))
    return list(rows.order_by("-sent_at")[:limit])


# ---- sweeps and students found out of lessons -------------------------------------------------


def sweep_open_for(user) -> Sweep | None:
    """The sweep `user` is on now, if any, with what it has found."""
    return (
        Sweep.objects.filter(staff=user, ended_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=OutOfLesson.objects.select_related(
                    "student__form", "period", "should_be_class", "should_be_room"
                ).order_by("-found_at"),
            )
        )
        .first()
    )


def sweeps_today(*, now: dt.datetime | None = None) -> list[Sweep]:
    """Every sweep started today, newest first, with rooms and the number found."""
    now = now or school.local_now()
    return list(
        Sweep.objects.filter(started_at__gte=start_of_day(now))
        .select_related("staff__staff")
        .prefetch_related("rooms")
        .annotate(found=Count("findings"))
        .order_by("-started_at")
    )


def out_of_lessons(
    *, dealt_with: bool, since: dt.date | None = None, limit: int = 200
) -> list[OutOfLesson]:
    """Students found out of lessons for the attendance staff: to deal with (oldest first) or
    dealt with (newest first); one query."""
    rows = OutOfLesson.objects.select_related(
        "student__form",
        "period",
        "should_be_class",
        "should_be_room",
        "should_be_teacher",
        "sweep__staff__staff",
        "dealt_with_by__staff",
    ).filter(dealt_with_at__isnull=not dealt_with)
    if since is not None:
        rows = rows.filter(found_at__date__gte=since)
    order = "-dealt_with_at" if dealt_with else "found_at"
    return list(rows.order_by(order)[:limit])


# ---- the watch list ---------------------------------------------------------------------------


@dataclass
class Watched:
    """One watched student as the patrol and the requester see them."""

    entry: WatchListEntry
    due_for_review: bool
    drop_ins: list[DropIn] = field(default_factory=list)
    where: school.Whereabouts | None = None
    in_provision: str = ""

    @property
    def student(self) -> Student:
        return self.entry.student

    @property
    def last_drop_in(self) -> DropIn | None:
        return self.drop_ins[0] if self.drop_ins else None

    @property
    def where_text(self) -> str:
        """ "Period 2 · 9X/Ma1 in M4 · Ms A Teague", or why the timetable says nowhere."""
        if self.in_provision:
            return f"In {self.in_provision} today"
        where = self.where
        if where is None:
            return ""
        if where.slot is None:
            return where.reason
        parts = [where.period.name if where.period else "", where.slot.teaching_class.code]
        if where.room is not None:
            parts[-1] += f" in {where.room.code}"
        if where.teachers:
            parts.append(", ".join(t.display_name for t in where.teachers))
        return " · ".join(p for p in parts if p)


def watch_list(
    *,
    today: dt.date | None = None,
    requested_by: Staff | None = None,
    drop_ins: int = 5,
) -> list[Watched]:
    """Students on the watch list now (optionally only those `requested_by` asked for), each
    with their latest drop-ins and whether the review date has passed; two queries."""
    today = today or school.local_now().date()
    entries = WatchListEntry.objects.filter(ended_at__isnull=True).select_related(
        "student__form", "student__year_group", "requested_by", "added_by__staff"
    )
    if requested_by is not None:
        entries = entries.filter(requested_by=requested_by)
    entries = entries.prefetch_related(
        Prefetch(
            "drop_ins",
            queryset=DropIn.objects.select_related(
                "by__staff", "teaching_class", "room", "period"
            ).order_by("-at"),
        )
    )
    return [
        Watched(
            entry=e,
            due_for_review=e.review_on <= today,
            drop_ins=list(e.drop_ins.all())[:drop_ins],
        )
        for e in entries
    ]


def watch_list_where_now(*, now: dt.datetime | None = None) -> list[Watched]:
    """The watch list with where each student is now from the timetable (room, class, teacher)
    or the provision room they are booked into today: the same number of queries for one
    student or a hundred."""
    now = timezone.localtime(now or school.local_now())
    watched = watch_list(today=now.date(), drop_ins=1)
    ids = [w.entry.student_id for w in watched]
    if not ids:
        return watched
    where = whereabouts_of(ids, now)
    booked = provision_today(ids, now.date())
    for w in watched:
        w.where = where[w.entry.student_id]
        w.in_provision = booked.get(w.entry.student_id, "")
    return watched


def watch_entry_get(entry_id: int) -> WatchListEntry:
    """One watch list entry with its student and who asked; raises DoesNotExist."""
    return WatchListEntry.objects.select_related(
        "student__form", "student__year_group", "requested_by"
    ).get(pk=entry_id)


def drop_ins_count_for(staff: Staff | None, *, since: dt.datetime) -> int:
    """Drop-ins since `since` on the students `staff` asked the patrol to watch."""
    if staff is None:
        return 0
    return DropIn.objects.filter(entry__requested_by=staff, at__gte=since).count()


# ---- the rota and the coverage check ----------------------------------------------------------

SUPERVISION_FOR = {
    "RR": Duty.Kind.REFLECTION_ROOM,
    "IE": Duty.Kind.INTERNAL_EXCLUSION,
    "ALD": Duty.Kind.ALD,
}


@dataclass
class RotaCell:
    day: dt.date
    period: Period
    duties: list[Duty] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    absent: set[int] = field(default_factory=set)

    @property
    def needs_cover(self) -> list[Duty]:
        return [d for d in self.duties if d.staff_id in self.absent]


@dataclass
class RotaWeek:
    monday: dt.date
    days: list[dt.date]
    school_days: set[dt.date]
    periods: list[Period]
    rows: list[tuple[Period, list[RotaCell]]]
    absences: list[StaffAbsence]

    @property
    def gaps(self) -> list[tuple[dt.date, Period, str]]:
        found = [
            (cell.day, period, gap)
            for period, cells in self.rows
            for cell in cells
            for gap in cell.gaps
        ]
        return sorted(found, key=lambda g: (g[0], g[1].starts_at))


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _overlaps(period: Period, starts: dt.time | None, ends: dt.time | None) -> bool:
    if starts is None or ends is None:
        # A provision without its own day (the reflection room) runs in lessons.
        return period.kind == Period.Kind.LESSON
    return period.starts_at < ends and starts < period.ends_at


def rota_week(monday: dt.date) -> RotaWeek:
    """The duty rota for the week from `monday`: every period of every weekday with its duties,
    and the coverage check: a provision room with students booked in and nobody supervising it,
    a lesson with nobody on patrol, a duty whose person is away. A fixed number of queries."""
    from sanctions.models import Placement, PlacementDay, ProvisionRoom

    days = [monday + dt.timedelta(days=n) for n in range(5)]
    # Two queries for the week rather than four a day.
    school_days = set(school.school_days_from(days[0], 5)) & set(days)
    periods = school.periods_of_day()
    duties = list(
        Duty.objects.filter(date__gte=days[0], date__lte=days[-1]).select_related(
            "staff", "period", "room"
        )
    )
    absences = list(
        StaffAbsence.objects.filter(starts_on__lte=days[-1], ends_on__gte=days[0])
        .select_related("staff")
        .order_by("starts_on", "staff__last_name")
    )
    occupied: dict[dt.date, dict[int, tuple[str, str, Any, Any]]] = defaultdict(dict)
    for day, room_id, room_code, kind, starts, ends in (
        PlacementDay.objects.filter(date__gte=days[0], date__lte=days[-1], is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list(
            "date",
            "room_id",
            "room__code",
            "placement__provision__kind",
            "placement__provision__arrives_at",
            "placement__provision__leaves_at",
        )
        .distinct()
    ):
        occupied[day][room_id] = (room_code, kind, starts, ends)
    rooms_of_kind: dict[str, set[int]] = defaultdict(set)
    for kind, room_id in ProvisionRoom.objects.values_list("provision__kind", "room_id"):
        rooms_of_kind[kind].add(room_id)

    by_cell: dict[tuple[dt.date, int], list[Duty]] = defaultdict(list)
    for duty in duties:
        by_cell[(duty.date, duty.period_id)].append(duty)
    away = {d: {a.staff_id for a in absences if a.starts_on <= d <= a.ends_on} for d in days}

    rows = []
    for period in periods:
        cells = []
        for day in days:
            cell = RotaCell(
                day=day,
                period=period,
                duties=sorted(by_cell[(day, period.pk)], key=lambda d: (d.kind, d.staff.last_name)),
                absent=away[day],
            )
            if day in school_days:
                cell.gaps = _gaps(cell, occupied[day], rooms_of_kind)
            cells.append(cell)
        rows.append((period, cells))
    return RotaWeek(monday, days, school_days, periods, rows, absences)


def _gaps(cell: RotaCell, occupied, rooms_of_kind) -> list[str]:
    present = [d for d in cell.duties if d.staff_id not in cell.absent]
    gaps = []
    for room_id, (code, kind, starts, ends) in sorted(occupied.items(), key=lambda i: i[1][0]):
        duty_kind = SUPERVISION_FOR.get(kind)
        if duty_kind is None or not _overlaps(cell.period, starts, ends):
            continue
        covered = any(
            d.kind == duty_kind
            and (d.room_id == room_id or (d.room_id is None and room_id in rooms_of_kind[kind]))
            for d in present
        )
        if not covered:
            gaps.append(f"Nobody supervising {code}")
    if cell.period.kind == Period.Kind.LESSON and not any(
        d.kind == Duty.Kind.ON_CALL for d in present
    ):
        gaps.append("Nobody on patrol")
    return gaps


def coverage_gaps(monday: dt.date) -> list[tuple[dt.date, Period, str]]:
    """Every gap in the week from `monday`: (day, period, what is missing)."""
    return rota_week(monday).gaps


def staff_for_rota() -> QuerySet[Staff]:
    return Staff.objects.filter(is_active=True).order_by("last_name", "first_name")
