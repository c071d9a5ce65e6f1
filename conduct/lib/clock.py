"""The one clock: "now" and "today" in the school's time zone.

Everything that asks what time it is calls `clock.now()` or `clock.today()` through this module
(never `timezone.localtime()` directly), so a test freezes time in one place
(`tests.base.frozen_clock`).
"""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, aware, in the school's time zone (settings.TIME_ZONE)."""
    return timezone.localtime()


def today() -> dt.date:
    """Today's date in the school's time zone."""
    return now().date()


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` in the school's time zone."""
    return timezone.localtime(moment)


def start_of_day(moment: dt.datetime) -> dt.datetime:
    """Midnight at the start of `moment`'s day, in the school's time zone."""
    return local(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware moment of `time` on `day` in the school's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, time))


def minute_now() -> dt.time:
    """The time now to the minute, as the register records it."""
    return now().time().replace(second=0, microsecond=0)
