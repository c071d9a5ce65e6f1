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


def student_timeline(student: Student, *, viewer, pastoral_read=None) -> list[TimelineEntry]:
    """Everything Conduct holds about `student` that `viewer` may see, newest first.
    `pastoral_read`: the pastoral records the page has already read (`discussions`,
    `meetings`, `interventions`, `records`, as `pastoral.selectors.timeline.timeline_entries`
    takes them), so the timeline does not read them again."""
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        if source is pastoral_timeline.timeline_entries and pastoral_read:
            entries += source(student, viewer=viewer, **pastoral_read)
        else:
            entries += source(student, viewer=viewer)
    return shape(sorted(entries, key=lambda entry: entry.at, reverse=True))
