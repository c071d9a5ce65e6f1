"""Reads for corridor sweeps and the students they find out of lessons."""

import datetime as dt

from django.db.models import Count, Prefetch

from conduct.lib import clock
from conduct.lib.compiled import compiled_query
from conduct.lib.wording import hhmm
from patrol.models import Sweep, SweepFinding
from school.models import Period
from school.selectors import calendar as school_calendar


def not_lesson_time(now: dt.datetime) -> str:
    """Why `now` is no time to find students out of lessons ("It is 20:54, outside the school
    day"), or "" while a lesson runs on a school day. A sweep records students found out of
    lessons, so it runs only then."""
    now = clock.local(now)
    if not school_calendar.is_school_day(now.date()):
        return f"{now:%A %-d %B} is not a school day: there are no lessons to be out of."
    period = school_calendar.period_at(now.time())
    if period is None:
        return (
            f"It is {hhmm(now)}, outside the school day: there are no lessons to be out of. "
            "A sweep runs while lessons do."
        )
    if period.kind != Period.Kind.LESSON:
        return (
            f"It is {period.name} ({hhmm(period.starts_at)}–{hhmm(period.ends_at)}): students "
            "are not in lessons, so nobody is out of one. A sweep runs while lessons do."
        )
    return ""


def sweep_open_for(user) -> Sweep | None:
    """The sweep `user` is on now, if any, with what it has found."""
    return (
        Sweep.objects.filter(staff=user, ended_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=SweepFinding.objects.select_related(
                    "student__form", "period", "should_be_class", "should_be_room"
                ).order_by("-found_at"),
            )
        )
        .first()
    )


def sweeps_today(*, now: dt.datetime | None = None) -> list[Sweep]:
    """Every sweep started today, newest first, with rooms and the number found."""
    now = now or clock.now()
    return list(
        Sweep.objects.filter(started_at__gte=clock.start_of_day(now))
        .select_related("staff__staff")
        .prefetch_related("rooms")
        .annotate(found=Count("findings"))
        .order_by("-started_at")
    )


def findings(
    *, dealt_with: bool, since: dt.date | None = None, limit: int = 200
) -> list[SweepFinding]:
    """Students found out of lessons for the attendance staff: to deal with (oldest first) or
    dealt with (newest first); one query."""
    rows = SweepFinding.objects.select_related(
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


# The columns the page of students found out of lessons shows (`finding_values`).
FINDING_FIELDS = (
    "pk",
    "found_at",
    "student_id",
    "student__preferred_first_name",
    "student__legal_first_name",
    "student__preferred_last_name",
    "student__legal_last_name",
    "student__form__code",
    "found_where",
    "note",
    "period__name",
    "should_be_class_id",
    "should_be_class__code",
    "should_be_room_id",
    "should_be_room__code",
    "should_be_teacher_id",
    "should_be_teacher__title",
    "should_be_teacher__first_name",
    "should_be_teacher__last_name",
    "should_be_text",
    "sweep__staff__first_name",
    "sweep__staff__last_name",
    "sweep__staff__staff__id",
    "sweep__staff__staff__title",
    "sweep__staff__staff__first_name",
    "sweep__staff__staff__last_name",
    "dealt_with_at",
    "dealt_with_by__first_name",
    "dealt_with_by__last_name",
    "dealt_with_by__staff__id",
    "dealt_with_by__staff__title",
    "dealt_with_by__staff__first_name",
    "dealt_with_by__staff__last_name",
    "dealt_with_note",
)

# `findings()` as the columns the page shows, their SQL built once (issue 15): to deal with,
# oldest first (the first 200); dealt with since a day, newest dealt with first (the first 50).
_TO_DEAL_WITH = compiled_query(
    lambda: (
        SweepFinding.objects.filter(dealt_with_at__isnull=True)
        .order_by("found_at")
        .values(*FINDING_FIELDS)[:200]
    )
)
_DEALT_WITH_SINCE = compiled_query(
    lambda since: (
        SweepFinding.objects.filter(dealt_with_at__isnull=False, found_at__date__gte=since)
        .order_by("-dealt_with_at")
        .values(*FINDING_FIELDS)[:50]
    )
)


def finding_values(*, dealt_with: bool, since: dt.date | None = None) -> list[dict]:
    """The rows of `findings(dealt_with=..., since=...)` (its limits: 200 to deal with, 50 dealt
    with, which needs `since`) as dictionaries of `FINDING_FIELDS`."""
    if not dealt_with:
        return _TO_DEAL_WITH()
    if since is None:
        raise ValueError("the findings dealt with are read since a day")
    return _DEALT_WITH_SINCE(since)
