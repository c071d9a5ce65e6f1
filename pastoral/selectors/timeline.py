"""A student's pastoral records as entries for their timeline (conduct/timeline.py merges
them): interviews, and as they land, records of discussions, meetings and interventions."""

from conduct.lib.timeline import TimelineEntry, start_of
from pastoral import policies
from pastoral.models import Meeting
from pastoral.selectors.family_contacts import calls_for_student
from pastoral.selectors.interventions import interventions_for_student
from pastoral.selectors.interviews import interviews_for_student
from school.models import Student


def timeline_entries(student: Student, *, viewer) -> list[TimelineEntry]:
    """The student's interviews and the calls to their family as timeline entries, when `viewer`
    may see them."""
    if not policies.can_view_interviews(viewer, student):
        return []
    calls = [
        TimelineEntry(
            call.called_at,
            "family-call",
            f"Phoned {call.called_name}: {call.get_outcome_display().lower()}"
            + (f" ({call.placement.provision})" if call.placement is not None else "")
            + (f". {call.note}" if call.note else ""),
        )
        for call in calls_for_student(student)
    ]
    meetings = [
        TimelineEntry(
            meeting.starts_at,
            "meeting",
            f"Meeting with the family ({meeting.get_mode_display().lower()}): "
            f"{meeting.get_status_display().lower()}"
            + (f". {meeting.discussed}" if meeting.discussed else ""),
        )
        for meeting in Meeting.objects.filter(student=student).order_by("-starts_at")
    ]
    interventions = [
        TimelineEntry(
            start_of(intervention.starts_on, 9),
            "intervention",
            f"{intervention.kind} ({intervention.get_status_display().lower()}): "
            f"{intervention.target}"
            + "".join(
                f" · Review {review.reviewed_at:%d/%m}: {review.get_decision_display().lower()}"
                for review in intervention.reviews.all()
            ),
        )
        for intervention in interventions_for_student(student)
    ]
    return (
        calls
        + meetings
        + interventions
        + [
            TimelineEntry(
                interview.conducted_at or start_of(interview.due_on, 9),
                "interview",
                f"{interview.get_kind_display()}: {interview.get_status_display().lower()}",
            )
            for interview in interviews_for_student(student)
        ]
    )
