"""A student's whole history on one timeline, from every app, as the reader may see it."""

from dataclasses import dataclass

from conduct.lib.timeline import TimelineEntry, shape
from notify import selectors as notify_selectors
from pastoral.selectors import timeline as pastoral_timeline
from patrol.selectors import timeline as patrol_timeline
from sanctions.selectors import timeline as sanctions_timeline
from school.models import Student
from school.selectors import people as school_people

# Each app gives its own entries, already cut to what the viewer may see and open.
SOURCES = (
    sanctions_timeline.timeline_entries,
    pastoral_timeline.timeline_entries,
    notify_selectors.timeline_entries,
    patrol_timeline.timeline_entries,
)


@dataclass(frozen=True)
class RecordKinds:
    """Which kinds of pastoral and patrol record a student has (their apps' `RECORD_FLAGS`): the
    page leaves out the reads of the kinds they have none of."""

    pastoral: pastoral_timeline.PastoralRecords
    patrol: tuple[bool, ...]


_PROFILE_AND_KINDS = school_people.profile_read(
    **pastoral_timeline.RECORD_FLAGS, **patrol_timeline.RECORD_FLAGS
)


def student_with_kinds(student_id: int) -> tuple[Student, RecordKinds]:
    """The student as `school_people.student_profile` gives them, and which kinds of pastoral and
    patrol record they have, in one query (where there were three: issue 15); raises
    Student.DoesNotExist."""
    student, flags = _PROFILE_AND_KINDS(student_id)
    pastoral = len(pastoral_timeline.RECORD_FLAGS)
    return student, RecordKinds(
        pastoral_timeline.PastoralRecords(*flags[:pastoral]), flags[pastoral:]
    )


def student_timeline(
    student: Student, *, viewer, pastoral_read=None, patrol_read=None
) -> list[TimelineEntry]:
    """Everything Conduct holds about `student` that `viewer` may see, newest first.
    `pastoral_read`: the pastoral records the page has already read (`discussions`,
    `meetings`, `interventions`, `records`, as `pastoral.selectors.timeline.timeline_entries`
    takes them), so the timeline does not read them again; `patrol_read` the same for the
    patrol's (`has`)."""
    reads = {
        pastoral_timeline.timeline_entries: pastoral_read,
        patrol_timeline.timeline_entries: patrol_read,
    }
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        entries += source(student, viewer=viewer, **(reads.get(source) or {}))
    return shape(sorted(entries, key=lambda entry: entry.at, reverse=True))
