"""Reads for interventions: the reviews due for an owner, a student's history."""

import datetime as dt
from dataclasses import dataclass

from conduct.lib import wording
from conduct.lib.compiled import compiled_query
from conduct.lib.lists import FirstItems, first_items, first_query
from conduct.lib.urls import url_maker
from pastoral.models import Intervention, InterventionReview
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


# The first few of an owner's active interventions due for review by a day, with how many there
# are (the home page's, every request: an owner behind with reviews has dozens).
_REVIEWS_DUE = compiled_query(
    lambda owner_id, by: first_query(
        Intervention.objects.filter(
            owner_id=owner_id, status=Intervention.Status.ACTIVE, review_on__lte=by
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
    )
)


def reviews_due(*, owner, today: dt.date, ahead_days: int = 7) -> FirstItems[ReviewDue]:
    """The first few active interventions `owner` reviews, overdue or due within `ahead_days`,
    oldest first, and how many there are (one query)."""
    url = url_maker("intervention-detail")
    head = first_items(_REVIEWS_DUE(owner.pk, today + dt.timedelta(days=ahead_days)))
    rows = [
        ReviewDue(
            pk=v["pk"],
            url=url(v["pk"]),
            student_name=student_name_from(v, "student__"),
            kind=v["kind__name"],
            review_on=v["review_on"],
            review_day=wording.short_day(v["review_on"]),
            target=v["target"],
        )
        for v in head.items
    ]
    return FirstItems(rows, head.total)


@dataclass(frozen=True)
class InterventionRow:
    """An intervention as the student's page lists it and its timeline shows it; `reviews`:
    each review's time and decision (its label), oldest first."""

    pk: int
    kind: str
    starts_on: dt.date
    status: str
    status_label: str
    review_on: dt.date
    target: str
    outcome: str
    reviews: tuple[tuple[dt.datetime, str], ...]


_STATUSES = dict(Intervention.Status.choices)
_DECISIONS = dict(InterventionReview.Decision.choices)
# The student's interventions, newest first, each with its reviews in order (a row for each
# review, one for an intervention without).
_STUDENT_INTERVENTIONS = compiled_query(
    lambda student_id: (
        Intervention.objects.filter(student_id=student_id)
        .order_by("-starts_on", "-pk", "reviews__reviewed_at", "reviews__pk")
        .values_list(
            "pk",
            "kind__name",
            "starts_on",
            "status",
            "review_on",
            "target",
            "outcome",
            "reviews__reviewed_at",
            "reviews__decision",
        )
    )
)


def interventions_for_student(student: Student) -> list[InterventionRow]:
    """The student's interventions, newest first, with their reviews (one query)."""
    rows: dict[int, tuple] = {}
    reviews: dict[int, list[tuple[dt.datetime, str]]] = {}
    for *row, reviewed_at, decision in _STUDENT_INTERVENTIONS(student.pk):
        pk = row[0]
        rows.setdefault(pk, tuple(row))
        if reviewed_at is not None:
            reviews.setdefault(pk, []).append((reviewed_at, _DECISIONS.get(decision, decision)))
    return [
        InterventionRow(
            pk=pk,
            kind=kind,
            starts_on=starts_on,
            status=status,
            status_label=_STATUSES.get(status, status),
            review_on=review_on,
            target=target,
            outcome=outcome,
            reviews=tuple(reviews.get(pk, ())),
        )
        for pk, kind, starts_on, status, review_on, target, outcome in rows.values()
    ]


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
