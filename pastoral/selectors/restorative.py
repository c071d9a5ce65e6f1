"""Reads for restorative meetings."""

from django.db.models import QuerySet

from pastoral.models import RestorativeMeeting
from school.models import Staff, Student


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


def restorative_meetings_for_student(student: Student) -> QuerySet[RestorativeMeeting]:
    """`student`'s restorative meetings, newest first, with those named (one query)."""
    return (
        RestorativeMeeting.objects.filter(student=student)
        .select_related("affected_staff", "affected_student", "facilitator")
        .order_by("-starts_at", "-pk")
    )


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
