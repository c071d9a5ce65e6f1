"""Reads for programmes of work."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from conduct.lib.compiled import compiled_query
from school.models import Subject, YearGroup
from work.models import Programme, ProgrammeTask


def programmes_of(department_ids: frozenset[int]) -> QuerySet[Programme]:
    """The departments' programmes with their subject, year and number of tasks (one query)."""
    return (
        Programme.objects.filter(subject__department_id__in=department_ids)
        .select_related("subject", "year_group", "updated_by")
        .annotate(n_tasks=Count("tasks"))
        .order_by("subject__name", "year_group__number")
    )


@dataclass(frozen=True)
class ProgrammeListed:
    """A programme as the list of programmes shows it (`programmes_listed`)."""

    pk: int
    subject: str
    year_number: int
    n_tasks: int
    updated_at: dt.datetime
    updated_by: str | None  # their name, else their username; None for no one


def _listed(queryset):
    return queryset.values_list(
        "pk",
        "subject__name",
        "year_group__number",
        "n_tasks",
        "updated_at",
        "updated_by_id",
        "updated_by__first_name",
        "updated_by__last_name",
        "updated_by__username",
    )


# `programmes_of` one department (a head of department's list), compiled once.
_OF_ONE = compiled_query(
    lambda department_id: _listed(
        Programme.objects.filter(subject__department_id=department_id)
        .annotate(n_tasks=Count("tasks"))
        .order_by("subject__name", "year_group__number")
    )
)


def programmes_listed(department_ids: frozenset[int]) -> list[ProgrammeListed]:
    """`programmes_of(department_ids)` as plain rows (one query; for one department, the
    usual, its SQL built once: issue 15)."""
    if len(department_ids) == 1:
        rows = _OF_ONE(next(iter(department_ids)))
    else:
        rows = _listed(programmes_of(department_ids))
    listed = []
    for pk, subject, year, n_tasks, updated_at, by_id, first, last, username in rows:
        by = None
        if by_id is not None:  # User.get_full_name, else the username
            by = f"{first} {last}".strip() or username
        listed.append(ProgrammeListed(pk, subject, year, n_tasks, updated_at, by))
    return listed


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


@dataclass(frozen=True)
class SubjectShown:
    name: str
    department_id: int | None

    def __str__(self) -> str:  # as `Subject`
        return self.name


@dataclass(frozen=True)
class TaskShown:
    pk: int
    unit: str
    title: str
    instructions: str
    link: str
    file: str  # the file's name, "" for none


@dataclass(frozen=True)
class ProgrammePage:
    """A programme as its page shows it and its policy reads it (`programme_page`)."""

    pk: int
    subject: SubjectShown
    year_number: int
    tasks: list[TaskShown]


# A programme's subject and year (`programme_page`), compiled once.
_PROGRAMME = compiled_query(
    lambda programme_id: Programme.objects.filter(pk=programme_id).values_list(
        "pk", "subject__name", "subject__department_id", "year_group__number"
    )
)

# Its tasks in order (`ProgrammeTask.Meta.ordering`), compiled once.
_TASKS = compiled_query(
    lambda programme_id: (
        ProgrammeTask.objects.filter(programme_id=programme_id)
        .order_by("position", "pk")
        .values_list("pk", "unit", "title", "instructions", "link", "file")
    )
)


def programme_page(programme_id: int) -> ProgrammePage | None:
    """`programme_with_tasks` as the programme's page shows it: its subject and year and its
    tasks in order, as plain rows (two queries, their SQL built once; issue 15)."""
    rows = _PROGRAMME(programme_id)
    if not rows:
        return None
    pk, subject_name, department_id, year_number = rows[0]
    return ProgrammePage(
        pk=pk,
        subject=SubjectShown(subject_name, department_id),
        year_number=year_number,
        tasks=[TaskShown(*row) for row in _TASKS(programme_id)],
    )
