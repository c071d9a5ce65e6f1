"""Dates and times in the words a parent or a colleague reads."""

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone


def day_phrase(day: dt.date) -> str:
    """Thursday 26 November"""
    return f"{day:%A} {day.day} {day:%B}"


def dates_phrase(days: Sequence[dt.date]) -> str:
    """ "Thursday 26 November", or "Thursday 26 November and Friday 27 November", or
    "Monday 30 November, Tuesday 1 December and Wednesday 2 December"."""
    words = [day_phrase(day) for day in sorted(days)]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def hhmm(moment: dt.datetime | dt.time | None) -> str:
    """10:20 — a moment in the school's time zone, or a time of day; "" for none."""
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{moment:%H:%M}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 day", "3 days" """
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


# As the template filters write them (`|date:"D j M"`, `|date:"j M Y H:i"`), for pages that
# shape their rows in Python rather than filter each row in the template (issue 15).
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(moment):
    if isinstance(moment, dt.datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def short_day(day: dt.date | dt.datetime | None) -> str:
    """`|date:"D j M"`: "Tue 3 Nov" ("" for None)."""
    if day is None:
        return ""
    day = _local(day)
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month]}"


def day_month(day: dt.date | dt.datetime) -> str:
    """`|date:"j M"`: "3 Nov", in the school's time."""
    day = _local(day)
    return f"{day.day} {_MONTHS[day.month]}"


def day_and_time(moment: dt.datetime) -> str:
    """`|date:"j M Y H:i"`: "3 Nov 2026 10:15", in the school's time."""
    moment = _local(moment)
    return f"{moment.day} {_MONTHS[moment.month]} {moment.year} {moment:%H:%M}"
