"""The one removal path for the patrol (an on-call outcome or a sent-out visit) into the
reflection room."""

from sanctions.models import Placement
from sanctions.services import placements
from school.models import Period, Student, TeachingClass


def remove_to_reflection_room(
    *,
    student: Student,
    by,
    teaching_class: TeachingClass | None,
    period: Period | None,
    note: str,
) -> Placement:
    """A reflection room placement starting now, with the lesson the student was removed from,
    inside the caller's transaction: if the room can't take the student nothing is kept."""
    return placements.reflection_room_removal(
        student=student, by=by, teaching_class=teaching_class, period=period, note=note
    )
