"""Reads for students sent out of lessons: the visits to make, the visits made, and what a
teacher logged."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from conduct.lib import clock, wording
from conduct.lib.compiled import compiled_query
from patrol.models import SentOut
from sanctions.models import Placement, PlacementDay
from school.models import student_name_from


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


def booked_today(student_ids: list[int], day: dt.date) -> dict[int, str]:
    """Students booked into a room on `day`, where they should be rather than in a lesson
    ("IE1 today (Internal exclusion)"). One query."""
    rows = (
        PlacementDay.objects.filter(date=day, is_active=True, placement__student_id__in=student_ids)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list("placement__student_id", "room__code", "placement__provision__name")
    )
    return {student_id: f"{room} today ({provision})" for student_id, room, provision in rows}


def sent_out_to_visit(*, now: dt.datetime | None = None) -> list[SentOut]:
    """Today's students sent out whom nobody has visited yet, longest waiting first, each with
    `booked_today` (the room they are booked into today, or "") and `waiting` ("12 min"). Two
    queries."""
    now = now or clock.now()
    rows = list(
        _sent_out().filter(outcome="", sent_at__gte=clock.start_of_day(now)).order_by("sent_at")
    )
    return _waiting(rows, now)


def _waiting(rows: list[SentOut], now: dt.datetime) -> list[SentOut]:
    booked = booked_today([row.student_id for row in rows], now.date()) if rows else {}
    for row in rows:
        row.booked_today = booked.get(row.student_id, "")  # type: ignore[attr-defined]
        row.waiting = waiting_phrase(now - row.sent_at)  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class VisitToMake:
    """A student sent out today whom nobody has visited yet, as the home page lists them."""

    student_name: str
    form: str  # "" when the student has no form
    sent_at: str  # "10:15"
    class_code: str  # "" when sent out of no class
    room_code: str  # "" when sent out of no room


# Students sent out since a moment whom nobody has visited yet (the home page's, every request).
_TO_VISIT_SINCE = compiled_query(
    lambda since: (
        SentOut.objects.filter(outcome="", sent_at__gte=since)
        .values(
            "sent_at",
            "student__preferred_first_name",
            "student__legal_first_name",
            "student__preferred_last_name",
            "student__legal_last_name",
            "student__form__code",
            "teaching_class__code",
            "from_room__code",
        )
        .order_by("sent_at")
    )
)


def visits_to_make(*, now: dt.datetime) -> list[VisitToMake]:
    """`sent_out_to_visit` as the home page shows it: who, from where and when, longest waiting
    first (one query)."""
    rows = _TO_VISIT_SINCE(clock.start_of_day(now))
    return [
        VisitToMake(
            student_name=student_name_from(v, "student__"),
            form=v["student__form__code"] or "",
            sent_at=wording.hhmm(v["sent_at"]),
            class_code=v["teaching_class__code"] or "",
            room_code=v["from_room__code"] or "",
        )
        for v in rows
    ]


def sent_out_today(
    *, now: dt.datetime | None = None, limit: int = 20
) -> tuple[list[SentOut], list[SentOut]]:
    """`sent_out_to_visit` and `sent_out_visited_today` (the last `limit`) read together: today's
    students sent out in one query (two with any to visit), rather than two of nine tables."""
    now = now or clock.now()
    rows = list(_sent_out().filter(sent_at__gte=clock.start_of_day(now)).order_by("sent_at"))
    to_visit = [row for row in rows if not row.outcome]
    visited = sorted(
        (row for row in rows if row.outcome), key=lambda row: (row.outcome_at, row.pk), reverse=True
    )
    return _waiting(to_visit, now), visited[:limit]


def waiting_phrase(waited: dt.timedelta) -> str:
    """How long a visit has waited: "under a minute", "12 min", "1 h 15 min"."""
    minutes = max(0, int(waited.total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def sent_out_visited_today(*, now: dt.datetime | None = None, limit: int = 20) -> list[SentOut]:
    """Today's visits already made, newest first."""
    now = now or clock.now()
    rows = _sent_out().exclude(outcome="").filter(sent_at__gte=clock.start_of_day(now))
    return list(rows.order_by("-outcome_at")[:limit])


def sent_out_logged_by(user, *, now: dt.datetime | None = None, limit: int = 5) -> list[SentOut]:
    """What `user` logged today, newest first, so a teacher sees the visit happen."""
    now = now or clock.now()
    rows = _sent_out().filter(logged_by=user, sent_at__gte=clock.start_of_day(now))
    return list(rows.order_by("-sent_at")[:limit])
