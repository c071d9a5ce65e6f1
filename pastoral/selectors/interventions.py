"""Reads for interventions: the reviews due for an owner, a student's history."""

import datetime as dt
from dataclasses import dataclass

from conduct.lib import wording
from conduct.lib.urls import url_maker
from pastoral.models import Intervention
from school.models import Student, student_name_from


@dataclass(frozen=True)
class ReviewDue:
    """An intervention due for review, as the owner's home page lists it."""

    pk: int
    url: str
    student_name: str
    kind: str
    review_on: dt.date
    review_day: str  # "Tue 3 Nov"
    target: str


def reviews_due(*, owner, today: dt.date, ahead_days: int = 7) -> list[ReviewDue]:
    """Active interventions `owner` reviews, overdue or due within `ahead_days` (one query)."""
    url = url_maker("intervention-detail")
    return [
        ReviewDue(
            pk=v["pk"],
            url=url(v["pk"]),
            student_name=student_name_from(v, "student__"),
            kind=v["kind__name"],
            review_on=v["review_on"],
            review_day=wording.short_day(v["review_on"]),
            target=v["target"],
        )
        for v in Intervention.objects.filter(
            owner=owner,
            status=Intervention.Status.ACTIVE,
            review_on__lte=today + dt.timedelta(days=ahead_days),
        )
        .values(
            "pk",
            "review_on",
            "target",
            "kind__name",
            "student__preferred_first_name",
            "student__legal_first_name",
            "student__preferred_last_name",
            "student__legal_last_name",
        )
        .order_by("review_on", "pk")
    ]


def interventions_for_student(student: Student) -> list[Intervention]:
    return list(
        Intervention.objects.filter(student=student)
        .select_related("kind", "owner")
        .prefetch_related("reviews")
        .order_by("-starts_on", "-pk")
    )


def intervention_get(intervention_id: int) -> Intervention | None:
    """One intervention with its reviews and the meeting that agreed it (two queries)."""
    return (
        Intervention.objects.select_related(
            "student__year_group", "student__form", "kind", "owner", "set_by", "meeting"
        )
        .prefetch_related("reviews__reviewed_by")
        .filter(pk=intervention_id)
        .first()
    )


def reviews_due_by_owner(*, today: dt.date, ahead_days: int = 0) -> dict[int, list[Intervention]]:
    """Active interventions overdue or due by `today` + `ahead_days`, by their owner's user id
    (one query): the morning email's section for each owner."""
    due: dict[int, list[Intervention]] = {}
    for intervention in (
        Intervention.objects.filter(
            status=Intervention.Status.ACTIVE,
            review_on__lte=today + dt.timedelta(days=ahead_days),
            owner__is_active=True,
        )
        .select_related("student__form", "student__year_group", "kind")
        .order_by("review_on", "pk")
    ):
        due.setdefault(intervention.owner_id, []).append(intervention)
    return due
