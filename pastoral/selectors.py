"""Reads for interviews."""

from django.db.models import QuerySet

from conduct.lib.timeline import TimelineEntry, start_of
from pastoral import policies
from pastoral.models import Interview
from school.models import Student


def interviews_for_student(student: Student) -> QuerySet[Interview]:
    """Every interview of `student`'s placements (to do, done or cancelled), in due order."""
    return Interview.objects.filter(placement__student=student).order_by("due_on", "pk")


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
