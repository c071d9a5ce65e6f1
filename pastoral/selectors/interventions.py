"""Reads for interventions: the reviews due for an owner, a student's history."""

import datetime as dt
from dataclasses import dataclass

from conduct.lib import wording
from conduct.lib.compiled import compiled_query
from conduct.lib.lists import FirstItems, first_items, first_query
from conduct.lib.urls import url_maker
from pastoral.models import Intervention, InterventionReview
from pastoral.selectors.meetings import student_columns, student_from_columns
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


# The intervention's page, read as the columns it shows, compiled (issue 15).


@dataclass(frozen=True)
class AgreedAt:
    """The meeting that agreed an intervention."""

    pk: int
    starts_at: dt.datetime


@dataclass(frozen=True)
class ReviewRow:
    reviewed_at: dt.datetime
    reviewer_name: str
    decision_label: str
    next_review_on: dt.date | None
    progress: str


@dataclass(frozen=True)
class InterventionPage:
    """An intervention as its page shows it: `student` (made from the columns read) and
    `owner_id` for the policies and the audit record."""

    pk: int
    student: Student
    kind: str
    owner_id: int
    owner_name: str
    starts_on: dt.date
    review_on: dt.date
    status: str
    status_label: str
    target: str
    outcome: str
    meeting: AgreedAt | None
    reviews: list[ReviewRow]


_INTERVENTION_PAGE = compiled_query(
    lambda intervention_id: Intervention.objects.filter(pk=intervention_id).values_list(
        "pk",
        "kind__name",
        "owner_id",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "starts_on",
        "review_on",
        "status",
        "target",
        "outcome",
        "meeting_id",
        "meeting__starts_at",
        *student_columns("student__"),
    )
)
_REVIEWS = compiled_query(
    lambda intervention_id: (
        InterventionReview.objects.filter(intervention_id=intervention_id)
        .order_by("reviewed_at", "pk")
        .values_list(
            "reviewed_at",
            "reviewed_by__first_name",
            "reviewed_by__last_name",
            "reviewed_by__username",
            "decision",
            "next_review_on",
            "progress",
        )
    )
)
_INTERVENTION_STATUSES = {value: str(label) for value, label in Intervention.Status.choices}
_DECISIONS = {value: str(label) for value, label in InterventionReview.Decision.choices}


def _user_name(first_name: str, last_name: str, username: str) -> str:
    """`user.get_full_name|default:user.username`."""
    return f"{first_name} {last_name}".strip() or username


def intervention_page(intervention_id: int) -> InterventionPage | None:
    """The intervention with its student, the meeting that agreed it and its reviews, oldest
    first (two compiled reads)."""
    rows = _INTERVENTION_PAGE(intervention_id)
    if not rows:
        return None
    (
        pk,
        kind,
        owner_id,
        owner_first,
        owner_last,
        owner_username,
        starts_on,
        review_on,
        status,
        target,
        outcome,
        meeting_id,
        meeting_starts_at,
        *student,
    ) = rows[0]
    return InterventionPage(
        pk=pk,
        student=student_from_columns(*student),
        kind=kind,
        owner_id=owner_id,
        owner_name=_user_name(owner_first, owner_last, owner_username),
        starts_on=starts_on,
        review_on=review_on,
        status=status,
        status_label=_INTERVENTION_STATUSES.get(status, status),
        target=target,
        outcome=outcome,
        meeting=AgreedAt(meeting_id, meeting_starts_at) if meeting_id is not None else None,
        reviews=[
            ReviewRow(
                reviewed_at,
                _user_name(first, last, username),
                _DECISIONS.get(decision, decision),
                next_review_on,
                progress,
            )
            for reviewed_at, first, last, username, decision, next_review_on, progress in _REVIEWS(
                pk
            )
        ],
    )
