"""Reads for on-call: the open queue, one request as the clients see it, the recently resolved,
the reasons, and who is on call now."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from conduct.lib import clock, refcache
from conduct.lib.wording import hhmm
from conduct.roles import Role
from pastoral.models import Level
from patrol.models import Duty, OnCallReason, OnCallRequest, StaffAbsence
from patrol.selectors import lesson_now, people
from school.models import Staff, Student

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


def on_call_request_data(request_id: int) -> dict[str, Any]:
    """One request, read now, as clients see it."""
    return request_data(_requests().get(pk=request_id))


def on_call_request_get(request_id: int) -> OnCallRequest:
    """One request with everything its page shows loaded, the placements a removal started
    among it; raises DoesNotExist."""
    return _requests().prefetch_related("placements__student").get(pk=request_id)


def on_call_queue() -> list[dict[str, Any]]:
    """Every request not yet resolved, emergencies first, then oldest first (three queries)."""
    rows = [request_data(r) for r in _requests().exclude(status=OnCallRequest.Status.RESOLVED)]
    return sorted(rows, key=lambda row: row["order"])


def on_call_recently_resolved(*, now: dt.datetime | None = None, limit: int = 10) -> list[dict]:
    """Today's last resolved requests, newest first, so the team sees what just happened."""
    now = now or clock.now()
    start = clock.start_of_day(now)
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


def on_call_staff_now(*, now: dt.datetime | None = None) -> dict[str, list[Staff]]:
    """Who answers on-call now: the conduct team and the rota's on-call duty ("patrol"), and the
    rota's SLT on call ("slt"); anyone absent today is left out."""
    now = now or clock.now()
    day = clock.local(now).date()
    period = lesson_now.period_now(now)
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
