"""One entry on a student's timeline, as every app gives it (the conduct layer merges them)."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

from conduct.lib import clock


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # incident, referral, decision, placement, day, interview, message, ...
    title: str
    detail: str = ""
    url: str = ""  # only when the reader may open it
    # Filled once for the page by `shape` (not per row in the template): the moment in ISO
    # form for <time datetime>, and as the timeline shows it ("Tue 24 Nov 2026 10:15").
    iso: str = ""
    when: str = ""
    # A levelled note (a drop-in): the levels the reader may raise it to (none when they may
    # not raise it: `pastoral.policies.can_raise_level`), where to post to raise it and the
    # level now in words, for the page's "raise the level" control.
    raise_levels: list[tuple[str, str]] = field(default_factory=list)
    raise_url: str = ""
    level_label: str = ""


def start_of(day: dt.date, hour: int = 8) -> dt.datetime:
    """A moment to file a whole-day record under on a timeline."""
    return clock.at(day, dt.time(hour, 0))


# The day and month names in each language, translated once per process (nineteen lazy
# translations cost a third of shaping a busy timeline).
_NAMES: dict[str | None, tuple[list[str], dict[int, str]]] = {}


def _names() -> tuple[list[str], dict[int, str]]:
    language = translation.get_language()
    if language not in _NAMES:
        _NAMES[language] = (
            [str(WEEKDAYS_ABBR[day]) for day in range(7)],
            {month: str(MONTHS_3[month]).title() for month in range(1, 13)},
        )
    return _NAMES[language]


def shape(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Write each entry's `iso` and `when` as the template's date filters would (the local
    time; a whole day's entry without its time of day)."""
    days, months = _names()
    zone = timezone.get_current_timezone()
    for entry in entries:
        at = entry.at.astimezone(zone) if timezone.is_aware(entry.at) else entry.at
        when = f"{days[at.weekday()]} {at.day} {months[at.month]} {at.year}"
        if entry.kind != "day":
            when += f" {at.hour:02d}:{at.minute:02d}"
        entry.iso = at.isoformat()
        entry.when = when
    return entries


@dataclass(frozen=True)
class LevelledRow:
    """A levelled note read as a row (`.values()`): what `pastoral.policies.note_readable` asks
    of a record, without building the model and the relations it reaches through."""

    student: object
    level: str
    author_id: int | None

    def level_subject(self):
        return self.student, self.level, self.author_id
