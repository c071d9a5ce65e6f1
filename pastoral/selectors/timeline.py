"""A student's pastoral records as entries for their timeline (conduct/timeline.py merges
them): interviews, and as they land, records of discussions, meetings and interventions."""

from conduct.lib.timeline import TimelineEntry, start_of
from pastoral import policies
from pastoral.selectors.interviews import interviews_for_student
from school.models import Student


def timeline_entries(student: Student, *, viewer) -> list[TimelineEntry]:
    """The student's interviews as timeline entries, when `viewer` may see interviews."""
    if not policies.can_view_interviews(viewer, student):
        return []
    return [
        TimelineEntry(
            interview.conducted_at or start_of(interview.due_on, 9),
            "interview",
            f"{interview.get_kind_display()}: {interview.get_status_display().lower()}",
        )
        for interview in interviews_for_student(student)
    ]
