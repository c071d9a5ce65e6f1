"""Dates people type or put in a URL, checked against a sensible window around today.

A school's records reach back a few academic years and its bookings and calendars a year or
two ahead; a date outside that window is a typing slip or a crafted URL (year 0001 or 9999),
and arithmetic on it (the day before 0001-01-01) would fail. Every date read from a request
goes through `date_from_url` or `date_in_window`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404

from conduct.lib import clock

# Seven academic years back (records a school keeps about a student), two ahead (bookings, the
# next year's calendar).
YEARS_BACK = 7
YEARS_AHEAD = 2


def window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date the app accepts: 1 September seven academic years back, to
    31 August two academic years ahead."""
    today = today or clock.today()
    this_year_starts = today.year if today.month >= 9 else today.year - 1
    return (
        dt.date(this_year_starts - YEARS_BACK, 9, 1),
        dt.date(this_year_starts + YEARS_AHEAD + 1, 8, 31),
    )


def in_window(day: dt.date) -> bool:
    first, last = window()
    return first <= day <= last


def date_from_url(text: str | None, *, default: dt.date | None = None) -> dt.date:
    """A date from a URL or query string (YYYY-MM-DD): `default` (today) when empty; 404 when it
    is not a date or falls outside the window."""
    if not text:
        return default or clock.today()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise Http404("Give the date as YYYY-MM-DD.") from None
    if not in_window(day):
        raise Http404("No such day here: choose a date within the school's years.")
    return day


def date_in_window(
    day: dt.date, *, field: str, not_before: dt.date | None = None, why: str = ""
) -> dt.date:
    """`day` if it is within the window (and not before `not_before`); otherwise a
    ValidationError on `field` saying what to choose (`why` says why an earlier day can't be)."""
    first, last = window()
    if not_before is not None and day < not_before:
        raise ValidationError(
            {field: f"Choose {not_before:%A %-d %B %Y} or later" + (f": {why}" if why else ".")}
        )
    if not first <= day <= last:
        raise ValidationError(
            {field: f"Choose a date between {first:%-d %B %Y} and {last:%-d %B %Y}."}
        )
    return day
