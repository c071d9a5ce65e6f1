"""Reads for contacts with a student's family: calls, the contacts to phone."""

from pastoral.models import FamilyCall
from sanctions.models import Placement
from school.models import Guardian, Student, StudentGuardian


def placement_for_contact(placement_id: int) -> Placement | None:
    return (
        Placement.objects.select_related("student__year_group", "student__form", "provision")
        .filter(pk=placement_id)
        .first()
    )


def contacts_to_phone(student: Student) -> list[tuple[Guardian, str]]:
    """The student's contacts, those with parental responsibility first, with the relationship."""
    links = (
        StudentGuardian.objects.filter(student=student)
        .select_related("guardian")
        .order_by("-parental_responsibility", "priority", "pk")
    )
    return [(link.guardian, link.get_relationship_display().lower()) for link in links]


def calls_about(placement: Placement) -> list[FamilyCall]:
    return list(placement.family_calls.select_related("called_by").order_by("-called_at"))


def calls_for_student(student: Student) -> list[FamilyCall]:
    return list(
        FamilyCall.objects.filter(student=student)
        .select_related("called_by", "placement__provision")
        .order_by("-called_at")
    )
