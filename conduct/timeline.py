"""A student's whole history on one timeline, from every app, as the reader may see it."""

from conduct.lib.timeline import TimelineEntry, shape
from notify import selectors as notify_selectors
from pastoral.selectors import timeline as pastoral_timeline
from patrol.selectors import timeline as patrol_timeline
from sanctions.selectors import timeline as sanctions_timeline
from school.models import Student

# Each app gives its own entries, already cut to what the viewer may see and open.
SOURCES = (
    sanctions_timeline.timeline_entries,
    pastoral_timeline.timeline_entries,
    notify_selectors.timeline_entries,
    patrol_timeline.timeline_entries,
)


def student_timeline(student: Student, *, viewer) -> list[TimelineEntry]:
    """Everything Conduct holds about `student` that `viewer` may see, newest first."""
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        entries += source(student, viewer=viewer)
    return shape(sorted(entries, key=lambda entry: entry.at, reverse=True))
