"""Reads for students sent out of lessons: the visits to make, the visits made, and what a
teacher logged."""

import datetime as dt

from django.db.models import QuerySet

from conduct.lib import clock
from patrol.models import SentOut


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
    now = now or clock.now()
    return list(
        _sent_out().filter(outcome="", sent_at__gte=clock.start_of_day(now)).order_by("sent_at")
    )


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
