"""Reads for interventions: the reviews due for an owner, a student's history."""

import datetime as dt

from pastoral.models import Intervention
from school.models import Student


def reviews_due(*, owner, today: dt.date, ahead_days: int = 7) -> list[Intervention]:
    """Active interventions `owner` reviews, overdue or due within `ahead_days` (one query)."""
    return list(
        Intervention.objects.filter(
            owner=owner,
            status=Intervention.Status.ACTIVE,
            review_on__lte=today + dt.timedelta(days=ahead_days),
        )
        .select_related("student__form", "kind")
        .order_by("review_on", "pk")
    )


def interventions_for_student(student: Student) -> list[Intervention]:
    return list(
        Intervention.objects.filter(student=student)
        .select_related("kind", "owner")
        .prefetch_related("reviews")
        .order_by("-starts_on", "-pk")
    )
