"""Reads for interviews."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from conduct.lib.lists import FirstItems, first_of
from pastoral import policies
from pastoral.models import Interview
from sanctions.models import PlacementDay
from school import policies as school_policies
from school.models import Student


def interviews_for_student(student: Student) -> QuerySet[Interview]:
    """Every interview of `student`'s placements (to do, done or cancelled), in due order."""
    return Interview.objects.filter(placement__student=student).order_by("due_on", "pk")


@dataclass(frozen=True)
class InterviewToDo:
    """An interview still to do, with where its student is on the day it is due."""

    interview: Interview
    student: Student
    due_on: dt.date
    room_code: str  # "" when the student is in no room that day
    overdue: bool


def interviews_to_do(
    *, today: dt.date, viewer=None, first: int | None = None
) -> list[InterviewToDo] | FirstItems[InterviewToDo]:
    """Interviews still to do that are due by `today` (those `viewer` may hold, when given:
    pastoral staff, their years'), overdue first, each with the room its student is in on the
    due day, where it is held (two queries). With `first`, only the first that many and how
    many there are in all (`FirstItems`; a count query more when there are more)."""
    due = Interview.objects.filter(status=Interview.Status.TO_DO, due_on__lte=today)
    if viewer is not None:
        due = school_policies.scope_students(
            viewer, due, policies.INTERVIEWERS, "placement__student__"
        )
    interviews = (
        due.select_related("placement__student__form")
        .prefetch_related(
            Prefetch(
                "placement__days",
                queryset=PlacementDay.objects.filter(is_active=True).select_related("room"),
                to_attr="active_days",
            )
        )
        .order_by("due_on", "placement__student__legal_last_name")
    )
    if first is None:
        return _to_do_rows(interviews, today)
    head = first_of(interviews, first)
    return FirstItems(_to_do_rows(head.items, today), head.total)


def _to_do_rows(interviews, today: dt.date) -> list[InterviewToDo]:
    found = []
    for interview in interviews:
        rooms = {day.date: day.room.code for day in interview.placement.active_days}  # type: ignore[attr-defined]
        found.append(
            InterviewToDo(
                interview,
                interview.placement.student,
                interview.due_on,
                rooms.get(interview.due_on, ""),
                interview.due_on < today,
            )
        )
    return found


def interview_get(interview_id: int) -> Interview:
    """One interview with its placement, student, reason and who held it (one query)."""
    return Interview.objects.select_related(
        "placement__student__form",
        "placement__student__year_group",
        "placement__provision",
        "placement__referral__incident__reason",
        "conducted_by",
        "check_in_by",
    ).get(pk=interview_id)


def exit_interview_of(placement_id: int) -> Interview | None:
    """The placement's exit interview when it is recorded."""
    return (
        Interview.objects.filter(
            placement_id=placement_id, kind=Interview.Kind.EXIT, status=Interview.Status.DONE
        )
        .select_related("conducted_by", "check_in_by")
        .first()
    )
