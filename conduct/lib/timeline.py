"""One entry on a student's timeline, as every app gives it (the conduct layer merges them)."""

import datetime as dt
from dataclasses import dataclass

from conduct.lib import clock


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # incident, referral, decision, placement, day, interview, message, ...
    title: str
    detail: str = ""
    url: str = ""  # only when the reader may open it
    # A levelled note (a drop-in) and where to post to raise its level: the page shows the
    # control only to those who may raise it (pastoral templatetag `raise_levels`).
    record: object = None
    raise_url: str = ""


def start_of(day: dt.date, hour: int = 8) -> dt.datetime:
    """A moment to file a whole-day record under on a timeline."""
    return clock.at(day, dt.time(hour, 0))
