"""Reads for meetings with families: one meeting with what its page shows, a student's
meetings."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from conduct.lib.compiled import compiled_query
from notify.models import Message
from pastoral.models import Intervention, Meeting
from school.models import Guardian, Student, StudentGuardian


def meeting_get(meeting_id: int) -> Meeting | None:
    """One meeting with its people, invitations and interventions (a fixed number of queries)."""
    return (
        Meeting.objects.select_related(
            "student__year_group", "student__form", "placement__provision", "rearranged_from"
        )
        .prefetch_related(
            "staff",
            "guardians",
            "attended_by",
            Prefetch(
                "interventions",
                queryset=Intervention.objects.select_related("kind", "owner").order_by("pk"),
            ),
        )
        .filter(pk=meeting_id)
        .first()
    )


def meeting_invitations(meeting: Meeting) -> list[Message]:
    """The messages that invited the family (drafts to check and send, or sent)."""
    return list(
        Message.objects.filter(
            related_type__app_label="pastoral",
            related_type__model="meeting",
            related_id=meeting.pk,
        )
        .select_related("guardian")
        .order_by("pk")
    )


def meeting_next(meeting: Meeting) -> Meeting | None:
    return Meeting.objects.filter(rearranged_from=meeting).first()


@dataclass(frozen=True)
class MeetingRow:
    """A meeting with the family as the student's page lists it and its timeline shows it."""

    pk: int
    starts_at: dt.datetime
    mode_label: str
    status_label: str
    discussed: str


_MODES = dict(Meeting.Mode.choices)
_STATUSES = dict(Meeting.Status.choices)
_STUDENT_MEETINGS = compiled_query(
    lambda student_id: (
        Meeting.objects.filter(student_id=student_id)
        .order_by("-starts_at", "-pk")
        .values_list("pk", "starts_at", "mode", "status", "discussed")
    )
)


def meetings_for_student(student: Student) -> list[MeetingRow]:
    """The student's meetings, newest first (one query)."""
    return [
        MeetingRow(pk, starts_at, _MODES.get(mode, mode), _STATUSES.get(status, status), discussed)
        for pk, starts_at, mode, status, discussed in _STUDENT_MEETINGS(student.pk)
    ]


def guardians_to_invite(student: Student) -> list[Guardian]:
    """Those with parental responsibility, in the MIS's priority order."""
    return [
        link.guardian
        for link in StudentGuardian.objects.filter(student=student, parental_responsibility=True)
        .select_related("guardian")
        .order_by("priority", "pk")
    ]
