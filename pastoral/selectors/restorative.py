"""Reads for restorative meetings."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from conduct.lib.compiled import compiled_query
from pastoral.models import RestorativeMeeting
from school.models import Staff, Student, staff_display_name, student_name


def restorative_meeting_get(meeting_id: int) -> RestorativeMeeting:
    """One meeting with its student, those affected and the staff named (one query)."""
    return RestorativeMeeting.objects.select_related(
        "student__form",
        "student__year_group",
        "affected_staff",
        "affected_student__form",
        "facilitator",
        "planned_by",
        "recorded_by",
        "placement__provision",
    ).get(pk=meeting_id)


def staff_choices() -> QuerySet[Staff]:
    return Staff.objects.filter(is_active=True).order_by("last_name", "first_name")


def affected_student_choices(student: Student) -> QuerySet[Student]:
    """Other students of `student`'s year group on roll, to choose one who was affected."""
    return (
        Student.objects.filter(year_group_id=student.year_group_id, left_on__isnull=True)
        .exclude(pk=student.pk)
        .select_related("form")
        .order_by("legal_last_name", "legal_first_name")
    )


@dataclass(frozen=True)
class RestorativeRow:
    """A restorative meeting as a placement's exit interview lists it: `student`, `level` and
    `planned_by_id` for `policies.can_read_restorative`."""

    pk: int
    student: Student
    starts_at: dt.datetime
    with_whom: str
    status_label: str
    outcome: str
    outcome_label: str
    level: str
    planned_by_id: int


_STATUSES = {value: str(label) for value, label in RestorativeMeeting.Status.choices}
_OUTCOMES = {value: str(label) for value, label in RestorativeMeeting.Outcome.choices}
_PLACEMENT_MEETINGS = compiled_query(
    lambda student_id, placement_id: (
        RestorativeMeeting.objects.filter(student_id=student_id, placement_id=placement_id)
        .order_by("-starts_at", "-pk")
        .values_list(
            "pk",
            "starts_at",
            "status",
            "outcome",
            "level",
            "planned_by_id",
            "affected_staff_id",
            "affected_staff__title",
            "affected_staff__first_name",
            "affected_staff__last_name",
            "affected_student_id",
            "affected_student__legal_first_name",
            "affected_student__legal_last_name",
            "affected_student__preferred_first_name",
            "affected_student__preferred_last_name",
        )
    )
)


def restorative_meetings_after_placement(
    student: Student, placement_id: int
) -> list[RestorativeRow]:
    """`student`'s restorative meetings planned after the placement, newest first, as the
    columns the exit interview shows (one compiled read)."""
    rows = []
    for (
        pk,
        starts_at,
        status,
        outcome,
        level,
        planned_by_id,
        staff_id,
        title,
        staff_first,
        staff_last,
        affected_id,
        legal_first,
        legal_last,
        preferred_first,
        preferred_last,
    ) in _PLACEMENT_MEETINGS(student.pk, placement_id):
        # As RestorativeMeeting.with_whom: the member of staff, then the student affected.
        names = []
        if staff_id is not None:
            names.append(staff_display_name(title, staff_first, staff_last))
        if affected_id is not None:
            names.append(student_name(legal_first, legal_last, preferred_first, preferred_last))
        rows.append(
            RestorativeRow(
                pk=pk,
                student=student,
                starts_at=starts_at,
                with_whom=" and ".join(names) or "those affected",
                status_label=_STATUSES.get(status, status),
                outcome=outcome,
                outcome_label=_OUTCOMES.get(outcome, outcome),
                level=level,
                planned_by_id=planned_by_id,
            )
        )
    return rows
