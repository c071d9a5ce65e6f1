"""Checks several patrol writes share: a time typed on a phone is not in the future, a student
is still on roll."""

import datetime as dt

from django.core.exceptions import ValidationError

from conduct.lib.wording import hhmm
from school.models import Student

# A phone's clock and the server's differ a little; a time this far ahead is still "now".
CLOCK_SLACK = dt.timedelta(minutes=2)


def check_not_future(moment: dt.datetime, now: dt.datetime, field: str, what: str) -> None:
    if moment > now + CLOCK_SLACK:
        raise ValidationError({field: f"{what} can't be in the future (it is {hhmm(now)} now)."})


def check_on_roll(student: Student) -> None:
    if not student.on_roll:
        raise ValidationError({"student": f"{student.name} has left the school."})
