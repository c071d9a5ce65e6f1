"""Reads for programmes of work."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from school.models import Subject, YearGroup
from work.models import Programme


def programmes_of(department_ids: frozenset[int]) -> QuerySet[Programme]:
    """The departments' programmes with their subject, year and number of tasks (one query)."""
    return (
        Programme.objects.filter(subject__department_id__in=department_ids)
        .select_related("subject", "year_group", "updated_by")
        .annotate(n_tasks=Count("tasks"))
        .order_by("subject__name", "year_group__number")
    )


@dataclass
class ProgrammeChoices:
    subjects: QuerySet[Subject]
    years: QuerySet[YearGroup]


def programme_choices(department_ids: frozenset[int]) -> ProgrammeChoices:
    return ProgrammeChoices(
        Subject.objects.filter(department_id__in=department_ids).order_by("name"),
        YearGroup.objects.order_by("number"),
    )


def programme_with_tasks(programme_id: int) -> Programme | None:
    return (
        Programme.objects.select_related("subject", "year_group", "updated_by")
        .prefetch_related("tasks")
        .filter(pk=programme_id)
        .first()
    )
