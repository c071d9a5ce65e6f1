"""Small helpers that put dates and times into the words a parent reads."""

import datetime as dt
from collections.abc import Sequence


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


def time_phrase(moment: dt.time) -> str:
    """08:30"""
    return f"{moment:%H:%M}"
