"""Reads for on-call: the open queue, one request as the clients see it, the recently resolved,
the reasons, and who is on call now."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Prefetch, Q, QuerySet

from conduct.lib import clock, refcache
from conduct.lib.compiled import compiled_query
from conduct.lib.wording import hhmm
from conduct.roles import Role
from pastoral.models import Level
from patrol.models import Duty, OnCallReason, OnCallRequest, StaffAbsence
from patrol.selectors import lesson_now, people
from school.models import Staff, Student, staff_display_name, student_name

URGENCY_RANK = {"emergency": 0, "urgent": 1, "routine": 2}
ON_CALL_DUTIES = (Duty.Kind.ON_CALL, Duty.Kind.SLT_ON_CALL)


def escalate_after() -> dt.timedelta:
    return dt.timedelta(seconds=settings.ON_CALL_ESCALATE_AFTER_SECONDS)


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
        "raised_by": people.person_name(r.raised_by),
        "raised_by_id": r.raised_by_id,
        "claimed_by": people.person_name(r.claimed_by),
        "claimed_by_id": r.claimed_by_id,
        "resolved_by": people.person_name(r.resolved_by),
        "raised_at": _iso(r.raised_at),
        "raised_time": hhmm(r.raised_at),
        "claimed_time": hhmm(r.claimed_at),
        "arrived_time": hhmm(r.arrived_at),
        "escalated_time": hhmm(r.escalated_at),
        "resolved_time": hhmm(r.resolved_at),
        "escalate_at": _iso(escalate_at) if waiting else "",
        "outcome": r.outcome,
        "outcome_label": r.get_outcome_display() if r.outcome else "",
        # Shared with every queue socket: a note above the staff level is never in it (the
        # request's page shows it to those who may read it).
        "outcome_note": r.outcome_note if r.outcome_level == Level.STAFF else "",
        "outcome_level": r.outcome_level,
    }


# A request's data read as values of the columns it is made of: the queue's select_related of
# eight tables cost more to build in Python than drawing the page (issue 15).
_PEOPLE = ("raised_by", "claimed_by", "resolved_by")
_PERSON = ("username", "first_name", "last_name", "staff__id")
_PERSON_STAFF = ("staff__title", "staff__first_name", "staff__last_name")
_FIELDS = (
    "pk",
    "version",
    "status",
    "urgency",
    "tier",
    "raised_at",
    "claimed_at",
    "arrived_at",
    "escalated_at",
    "resolved_at",
    "reason__label",
    "room_id",
    "room__code",
    "room__name",
    "location",
    "teaching_class__code",
    "period__name",
    "note",
    "outcome",
    "outcome_note",
    "outcome_level",
    "raised_by_id",
    "claimed_by_id",
    *(f"{who}__{column}" for who in _PEOPLE for column in _PERSON + _PERSON_STAFF),
)
_LABELS: dict[str, dict[Any, str]] = {
    "status": dict(OnCallRequest.Status.choices),
    "urgency": dict(OnCallRequest.Urgency.choices),
    "tier": dict(OnCallRequest.Tier.choices),
    "outcome": dict(OnCallRequest.Outcome.choices),
}


def _person_name(row: dict[str, Any], who: str) -> str:
    """`people.person_name` of the row's `who` (raised_by, claimed_by, resolved_by)."""
    if row[f"{who}__username"] is None:
        return ""
    if row[f"{who}__staff__id"] is not None:
        return staff_display_name(
            row[f"{who}__staff__title"],
            row[f"{who}__staff__first_name"],
            row[f"{who}__staff__last_name"],
        )
    full_name = f"{row[f'{who}__first_name']} {row[f'{who}__last_name']}".strip()
    return full_name or row[f"{who}__username"]


def _students_of(request_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each request's students (id, name, form) in id order, as `request_data` lists them."""
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in request_ids}
    if not request_ids:
        return found
    links = (
        OnCallRequest.students.through.objects.filter(oncallrequest_id__in=request_ids)
        .order_by("student_id")
        .values_list(
            "oncallrequest_id",
            "student_id",
            "student__legal_first_name",
            "student__legal_last_name",
            "student__preferred_first_name",
            "student__preferred_last_name",
            "student__form__code",
        )
    )
    for request_id, pk, first, last, preferred_first, preferred_last, form in links:
        name = student_name(first, last, preferred_first, preferred_last)
        found[request_id].append({"id": pk, "name": name, "form": form or ""})
    return found


def _rows(where: Q) -> list[dict]:
    """The requests matching `where` as rows of _FIELDS (one query)."""
    return list(OnCallRequest.objects.filter(where).order_by().values(*_FIELDS))


def _ids(*wheres: Q, resolved: int | None = None) -> list[int]:
    """The ids of the requests matching any of `wheres`, read from the calls table alone, one
    index range each (one query); of the resolved among them only the newest `resolved`, when
    given. With a school's statistics (ANALYZE) SQLite read the joined `_rows` of an OR-ed
    filter by scanning every call of every year, and the index on status was passed over: five
    years of history made the queue 0.2 ms -> 7 ms (issue 15)."""
    reads = [
        OnCallRequest.objects.filter(where).order_by().values_list("pk", "status", "resolved_at")
        for where in wheres
    ]
    first, *rest = reads
    found = list(first.union(*rest, all=True) if rest else first)
    if resolved is None:
        return [pk for pk, _, _ in found]
    done = [(at, pk) for pk, status, at in found if status == OnCallRequest.Status.RESOLVED]
    newest = {pk for _, pk in sorted(done, reverse=True)[:resolved]}
    return [
        pk for pk, status, _ in found if status != OnCallRequest.Status.RESOLVED or pk in newest
    ]


def _rows_of(ids: list[int]) -> list[dict]:
    """`_rows` of the requests `ids`, no query when there are none."""
    return _rows(Q(pk__in=ids)) if ids else []


def _data(rows: list[dict], students: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """`request_data` of each row from `_rows`, with its students from `_students_of`."""
    data = []
    for row in rows:
        raised_at = row["raised_at"]
        room = row["room_id"] is not None
        waiting = row["status"] == OnCallRequest.Status.OPEN and row["tier"] == (
            OnCallRequest.Tier.PATROL
        )
        data.append(
            {
                "id": row["pk"],
                "version": row["version"],
                "status": row["status"],
                "status_label": _LABELS["status"].get(row["status"], row["status"]),
                "is_open": row["status"] != OnCallRequest.Status.RESOLVED,
                "urgency": row["urgency"],
                "urgency_label": _LABELS["urgency"].get(row["urgency"], row["urgency"]),
                "order": f"{URGENCY_RANK[row['urgency']]}-{_iso(raised_at)}",
                "tier": row["tier"],
                "tier_label": _LABELS["tier"].get(row["tier"], row["tier"]),
                "reason": row["reason__label"],
                "where": row["room__code"] if room else row["location"],
                "room_name": row["room__name"]
                if room and row["room__name"] != row["room__code"]
                else "",
                "location": row["location"] if room else "",
                "teaching_class": row["teaching_class__code"] or "",
                "period": row["period__name"] or "",
                "students": students[row["pk"]],
                "note": row["note"],
                "raised_by": _person_name(row, "raised_by"),
                "raised_by_id": row["raised_by_id"],
                "claimed_by": _person_name(row, "claimed_by"),
                "claimed_by_id": row["claimed_by_id"],
                "resolved_by": _person_name(row, "resolved_by"),
                "raised_at": _iso(raised_at),
                "raised_time": hhmm(raised_at),
                "claimed_time": hhmm(row["claimed_at"]),
                "arrived_time": hhmm(row["arrived_at"]),
                "escalated_time": hhmm(row["escalated_at"]),
                "resolved_time": hhmm(row["resolved_at"]),
                "escalate_at": _iso(raised_at + escalate_after()) if waiting else "",
                "outcome": row["outcome"],
                "outcome_label": _LABELS["outcome"].get(row["outcome"], row["outcome"])
                if row["outcome"]
                else "",
                # As in request_data: a note above the staff level is never in it.
                "outcome_note": row["outcome_note"] if row["outcome_level"] == Level.STAFF else "",
                "outcome_level": row["outcome_level"],
            }
        )
    return data


def on_call_request_data(request_id: int) -> dict[str, Any]:
    """One request, read now, as clients see it (two queries); raises DoesNotExist."""
    rows = _rows(Q(pk=request_id))
    if not rows:
        raise OnCallRequest.DoesNotExist(f"No on-call request {request_id}")
    return _data(rows, _students_of([request_id]))[0]


def on_call_request_get(request_id: int) -> OnCallRequest:
    """One request with everything its page shows loaded, the placements a removal started
    among it; raises DoesNotExist."""
    return _requests().prefetch_related("placements__student").get(pk=request_id)


def _not_resolved() -> Q:
    return Q(status__in=OnCallRequest.NOT_RESOLVED)


def _resolved_since(now: dt.datetime | None) -> Q:
    start = clock.start_of_day(now or clock.now())
    return Q(status=OnCallRequest.Status.RESOLVED, resolved_at__gte=start)


def _by_order(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(data, key=lambda row: row["order"])


def _newest_resolved(rows: list[dict], limit: int) -> list[dict]:
    resolved = [row for row in rows if row["status"] == OnCallRequest.Status.RESOLVED]
    return sorted(resolved, key=lambda row: (row["resolved_at"], row["pk"]), reverse=True)[:limit]


def on_call_queue() -> list[dict[str, Any]]:
    """Every request not yet resolved, emergencies first, then oldest first (one query, three
    with any request open)."""
    rows = _rows_of(_ids(_not_resolved()))
    return _by_order(_data(rows, _students_of([row["pk"] for row in rows])))


def on_call_recently_resolved(*, now: dt.datetime | None = None, limit: int = 10) -> list[dict]:
    """Today's last resolved requests, newest first, so the team sees what just happened."""
    rows = _newest_resolved(_rows_of(_ids(_resolved_since(now), resolved=limit)), limit)
    return _data(rows, _students_of([row["pk"] for row in rows]))


def on_call_snapshot(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything a queue client needs to redraw from nothing: the queue and today's last ten
    resolved, read together (one query, three with any request to show)."""
    rows = _rows_of(_ids(_not_resolved(), _resolved_since(now), resolved=10))
    open_rows = [row for row in rows if row["status"] != OnCallRequest.Status.RESOLVED]
    resolved_rows = _newest_resolved(rows, 10)
    students = _students_of([row["pk"] for row in open_rows + resolved_rows])
    return {
        "open": _by_order(_data(open_rows, students)),
        "resolved": _data(resolved_rows, students),
    }


def on_call_requests_raised_by(user, *, limit: int = 5) -> list[OnCallRequest]:
    """The user's latest requests, newest first, for the raise page: with their reason and room
    (what its list shows), not the people and students a request's own page reads."""
    return list(
        OnCallRequest.objects.filter(raised_by=user)
        .select_related("reason", "room")
        .order_by("-raised_at")[:limit]
    )


def on_call_reasons() -> QuerySet[OnCallReason]:
    return OnCallReason.objects.filter(is_active=True).order_by("position", "label")


@dataclass(frozen=True, slots=True)
class ReasonButton:
    pk: int
    label: str


@dataclass(frozen=True, slots=True)
class RecentCall:
    """One of a person's latest calls, as the raise page lists it."""

    pk: int
    raised_at: dt.datetime
    where: str  # its room's code, or the place typed
    reason: str
    status_label: str
    outcome: str
    outcome_label: str


# The raise page's reads, their SQL built once (issue 15): the active reasons, and the person's
# five latest calls as the columns listed.
_ACTIVE_REASONS = compiled_query(
    lambda: (
        OnCallReason.objects.filter(is_active=True)
        .order_by("position", "label")
        .values_list("pk", "label")
    )
)
_RECENT_CALLS = compiled_query(
    lambda user_id: (
        OnCallRequest.objects.filter(raised_by_id=user_id)
        .order_by("-raised_at")
        .values_list(
            "pk",
            "raised_at",
            "room_id",
            "room__code",
            "location",
            "reason__label",
            "status",
            "outcome",
        )[:5]
    )
)


def reason_buttons() -> list[ReasonButton]:
    """`on_call_reasons()` as the raise page's buttons show them (one query)."""
    return [ReasonButton(pk, label) for pk, label in _ACTIVE_REASONS()]


def recent_calls_of(user) -> list[RecentCall]:
    """`on_call_requests_raised_by(user)` (the latest five) as the columns the raise page lists
    (one query)."""
    return [
        RecentCall(
            pk,
            raised_at,
            room_code if room_id is not None else location,
            reason,
            _LABELS["status"].get(status, status),
            outcome,
            _LABELS["outcome"].get(outcome, outcome),
        )
        for pk, raised_at, room_id, room_code, location, reason, status, outcome in _RECENT_CALLS(
            user.pk
        )
    ]


def absent_staff_ids(day: dt.date) -> set[int]:
    return set(
        StaffAbsence.objects.filter(starts_on__lte=day, ends_on__gte=day).values_list(
            "staff_id", flat=True
        )
    )


def on_duty_now(staff: Staff | None, *, now: dt.datetime | None = None) -> bool:
    """Whether the rota puts `staff` on patrol / on-call (or SLT on call) in the period now
    (one query when they have no duty now)."""
    if staff is None:
        return False
    return _on_duty(Q(staff=staff), now)


def user_on_duty_now(user, *, now: dt.datetime | None = None) -> bool:
    """`on_duty_now` for the member of staff signed in as `user`, without reading their staff
    record: every page's menu asks, so the day's on-call duties come from the reference data
    cache (no query while the rota, the absences and the periods are unchanged)."""
    if not user or not user.is_authenticated:
        return False
    now = clock.local(now or clock.now())
    periods = _on_call_periods_on(now.date()).get(user.pk)
    if not periods:
        return False
    period = lesson_now.period_now(now)
    return period is not None and period.pk in periods


def _on_call_periods_on(day: dt.date) -> dict[int, frozenset[int]]:
    """Signed-in user id -> the periods the rota has them on on-call (or SLT on call) on `day`,
    leaving out whoever is away that day."""

    def read() -> dict[int, frozenset[int]]:
        away = absent_staff_ids(day)
        found: dict[int, set[int]] = {}
        rows = Duty.objects.filter(
            date=day, kind__in=ON_CALL_DUTIES, staff__user__isnull=False
        ).values_list("staff_id", "staff__user_id", "period_id")
        for staff_id, user_id, period_id in rows:
            if staff_id not in away:
                found.setdefault(user_id, set()).add(period_id)
        return {user_id: frozenset(periods) for user_id, periods in found.items()}

    return refcache.cached(f"on_call_periods:{day.isoformat()}", read)


def _on_duty(whose: Q, now: dt.datetime | None) -> bool:
    """A duty on the rota for `whose` in the period running now (the first to start, as
    `period_at` picks it), unless they are away today. Most people have no duty now: one plain
    query says so; only a duty found reads the periods and absences. (One query with the period
    and the absence as subqueries cost more to build in Python than the four plain ones.)"""
    now = clock.local(now or clock.now())
    day, moment = now.date(), now.time()
    duties = list(
        Duty.objects.filter(
            whose,
            date=day,
            kind__in=ON_CALL_DUTIES,
            period__starts_at__lte=moment,
            period__ends_at__gt=moment,
        ).values_list("staff_id", "period_id")
    )
    if not duties:
        return False
    period = lesson_now.period_now(now)
    away = absent_staff_ids(day)
    return any(
        period is not None and period_id == period.pk and staff_id not in away
        for staff_id, period_id in duties
    )


_STAFF_FIELDS = [f.attname for f in Staff._meta.concrete_fields]
# The conduct team's staff records, whole: a read with no argument, its SQL built once
# (conduct.lib.compiled).
_CONDUCT_TEAM = compiled_query(
    lambda: Staff.objects.filter(
        is_active=True, user__is_active=True, user__groups__name=Role.CONDUCT
    ).values_list(*_STAFF_FIELDS)
)


def on_call_staff_now(*, now: dt.datetime | None = None) -> dict[str, list[Staff]]:
    """Who answers on-call now: the conduct team and the rota's on-call duty ("patrol"), and the
    rota's SLT on call ("slt"); anyone absent today is left out. Plain queries: the team, the
    duties now and whoever on them is not in the team (one query with the two as subqueries
    cost more to build)."""
    now = now or clock.now()
    day = clock.local(now).date()
    period = lesson_now.period_now(now)
    away = absent_staff_ids(day)
    duties: list[tuple[int, str]] = []
    if period is not None:
        duties = list(
            Duty.objects.filter(date=day, period=period, kind__in=ON_CALL_DUTIES)
            .order_by()
            .values_list("staff_id", "kind")
        )
    team = {
        s.pk: s
        for s in (Staff.from_db(DEFAULT_DB_ALIAS, _STAFF_FIELDS, row) for row in _CONDUCT_TEAM())
    }
    others = {staff_id for staff_id, _ in duties} - set(team)
    staff = team | ({s.pk: s for s in Staff.objects.filter(pk__in=others)} if others else {})

    def named(ids) -> list[Staff]:
        here = [staff[pk] for pk in ids if pk not in away]
        return sorted(here, key=lambda s: (s.last_name, s.pk))

    on_patrol = {staff_id for staff_id, kind in duties if kind == Duty.Kind.ON_CALL}
    slt = {staff_id for staff_id, kind in duties if kind == Duty.Kind.SLT_ON_CALL}
    return {"patrol": named(set(team) | on_patrol), "slt": named(slt)}
