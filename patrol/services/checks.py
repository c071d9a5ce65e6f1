"""Checks several patrol writes share: a time typed on a phone is not in the future, a date is
within sensible bounds, a student is still on roll."""

import datetime as dt

from django.core.exceptions import ValidationError

from conduct.lib.wording import hhmm
from school.models import Student

# A phone's clock and the server's differ a little; a time this far ahead is still "now".
CLOCK_SLACK = dt.timedelta(minutes=2)


def check_not_future(moment: dt.datetime, now: dt.datetime, field: str, what: str) -> None:
    if moment > now + CLOCK_SLACK:
        raise ValidationError({field: f"{what} can't be in the future (it is {hhmm(now)} now)."})


# How far from today a rota date or a review date may be: a year either way.
DATE_REACH = dt.timedelta(days=366)


def check_date_near(day: dt.date, today: dt.date, field: str, what: str) -> None:
    """A date typed or sent is within a year of today (not year 0001 or 9999)."""
    if not today - DATE_REACH <= day <= today + DATE_REACH:
        raise ValidationError(
            {field: f"{what} must be within a year of today ({day:%-d %B %Y} is not)."}
        )


def check_on_roll(student: Student) -> None:
    if not student.on_roll:
        raise ValidationError({"student": f"{student.name} has left the school."})
