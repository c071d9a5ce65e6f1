"""A student's whole history on one timeline, from every app, as the reader may see it."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from audit import selectors as audit_selectors
from audit.models import StateChange
from conduct.lib.compiled import compiled_query
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


@dataclass(frozen=True)
class StudentHistory:
    """The history rows a student's page shows: the corrections of their details (as
    `audit_selectors.corrections_of` gives them) and the decisions of their referrals and closes
    of their placements (as `sanctions_timeline.ends_from` gives them)."""

    corrections: list[audit_selectors.Correction]
    ends: dict[tuple[str, str], Mapping[str, Any]]


# Both in one read, newest first: the rows of the student's own row (its corrections are kept with
# the student, as every history row about them: privacy.services.corrections), and the student's
# records' decisions and closes. Which of the first are corrections is seen here, not by a LIKE:
# SQLite ran the read in twice the time with a LIKE pattern among its parameters (measured).
_HISTORY = compiled_query(
    lambda student_id: (
        StateChange.objects.filter(
            Q(object_type="school.student", object_id=str(student_id)) | sanctions_timeline.ENDS,
            student_id=student_id,
        )
        .order_by("-at", "-pk")
        .values("field", *sanctions_timeline.END_FIELDS)
    )
)


def student_history(student: Student) -> StudentHistory:
    """The corrections of `student`'s details and their records' decisions and closes, newest
    first, in one query (where there were two: issue 15)."""
    corrections, ends = [], []
    for change in _HISTORY(student.pk):
        if change["object_type"] != "school.student":
            ends.append(change)
        elif change["field"].startswith(audit_selectors.CORRECTED):
            corrections.append((change["at"], change["username"], change["field"], change["note"]))
    return StudentHistory(
        audit_selectors.corrections_from(student, corrections), sanctions_timeline.ends_from(ends)
    )


def student_timeline(
    student: Student, *, viewer, pastoral_read=None, patrol_read=None, sanctions_read=None
) -> list[TimelineEntry]:
    """Everything Conduct holds about `student` that `viewer` may see, newest first.
    `pastoral_read`: the pastoral records the page has already read (`discussions`,
    `meetings`, `interventions`, `records`, as `pastoral.selectors.timeline.timeline_entries`
    takes them), so the timeline does not read them again; `patrol_read` the same for the
    patrol's (`has`), `sanctions_read` for the decisions and closes (`ends`)."""
    reads = {
        sanctions_timeline.timeline_entries: sanctions_read,
        pastoral_timeline.timeline_entries: pastoral_read,
        patrol_timeline.timeline_entries: patrol_read,
    }
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        entries += source(student, viewer=viewer, **(reads.get(source) or {}))
    return shape(sorted(entries, key=lambda entry: entry.at, reverse=True))
