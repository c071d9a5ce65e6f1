"""The demo's reviews, so the reports' review measures show real numbers: the school's review
rules checked for each placement of the term in the order they were booked, as booking does
(pastoral/services/reviews.py), with the reviews dated when the placement was booked and those
older than a few school days closed with a decision."""

import datetime as dt
import random

from django.contrib.auth import get_user_model

from conduct.lib import clock
from conduct.roles import Role
from pastoral.models import ReviewTask
from pastoral.services.reviews import review_rules_check
from sanctions.models import Placement

# What heads of year and the SENCO decide, roughly how often.
DECISIONS = [
    (ReviewTask.Decision.ADJUSTMENTS, 4),
    (ReviewTask.Decision.INTERVENTION, 3),
    (ReviewTask.Decision.NO_ACTION, 2),
    (ReviewTask.Decision.SEN_ASSESSMENT, 1),
    (ReviewTask.Decision.SUPPORT, 1),
]
NOTES = {
    ReviewTask.Decision.ADJUSTMENTS: "Seat moved to the front; a time-out card agreed.",
    ReviewTask.Decision.INTERVENTION: "Mentoring with the head of year, six weeks.",
    ReviewTask.Decision.NO_ACTION: "Removals were for different, unconnected incidents.",
    ReviewTask.Decision.SEN_ASSESSMENT: "Referred to the SENCO for a reading assessment.",
    ReviewTask.Decision.SUPPORT: "Department support for the class teacher arranged.",
}


def load_reviews_demo(*, today: dt.date, seed: int = 12) -> dict[str, int]:
    """Open the reviews the rules call for this term and close the older ones (a review opened
    in the last three days stays open)."""
    rng = random.Random(seed)
    by = get_user_model().objects.filter(groups__name=Role.CONDUCT).order_by("pk").first()
    if by is None:
        return {"opened": 0, "closed": 0}
    placements = (
        Placement.objects.exclude(status=Placement.Status.CANCELLED)
        .filter(starts_on__lte=today)
        .select_related(
            "student__year_group__head_of_year",
            "removed_from__staff__department",
            "removed_from__teaching_class__subject__department",
            "referral__incident__reported_by__department",
        )
        .order_by("booked_at", "pk")
    )
    opened = closed = 0
    close_before = dt.datetime.combine(today - dt.timedelta(days=3), dt.time.min, tzinfo=dt.UTC)
    for placement in placements:
        for task in review_rules_check(placement=placement, by=by):
            opened += 1
            when = placement.booked_at
            values: dict = {"opened_at": when}
            if when < close_before:
                decision = rng.choices([d for d, _ in DECISIONS], [w for _, w in DECISIONS])[0]
                head = task.assigned_to.user if task.assigned_to and task.assigned_to.user else by
                values.update(
                    status=ReviewTask.Status.CLOSED,
                    decision=decision,
                    decision_note=NOTES[decision],
                    closed_by=head,
                    closed_at=min(
                        when + dt.timedelta(days=rng.randint(1, 4), hours=2),
                        clock.now() - dt.timedelta(hours=1),
                    ),
                )
                closed += 1
            ReviewTask.objects.filter(pk=task.pk).update(**values)
    return {"opened": opened, "closed": closed}
