"""The demo's reviews, so the reports' review measures show real numbers.

A few students the demo's history placed lately are removed to the reflection room again (as a
school sees: a handful keep coming back), then the school's review rules are checked for every
placement of the term in the order they were booked, as booking does
(pastoral/services/reviews.py). Each review is dated when its placement was booked; heads of
year, the SENCO and SLT close a review a few school days after it opened, with a decision, so a
review opened in the last few days is still open."""

import datetime as dt
import random

from django.contrib.auth import get_user_model

from audit.selectors import history_of
from audit.services import history_record
from conduct.lib import clock
from conduct.roles import Role
from pastoral.models import ReviewTask
from pastoral.services.reviews import review_rules_check
from sanctions.models import Placement, PlacementDay, Provision
from school.models import NonSchoolDay

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
# Students removed again, and how many more times each.
REPEATERS = 6


def _recent_school_days(today: dt.date, count: int) -> list[dt.date]:
    """The last `count` weekdays before today that are not closures, oldest first."""
    closed = set(NonSchoolDay.objects.values_list("date", flat=True))
    days: list[dt.date] = []
    day = today - dt.timedelta(days=1)
    while len(days) < count:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day -= dt.timedelta(days=1)
    return sorted(days)


def _remove_again(today: dt.date, rng: random.Random, by) -> int:
    """A reflection-room visit or two more for a few students placed in the last fortnight."""
    rr_day = (
        PlacementDay.objects.filter(placement__provision__kind=Provision.Kind.REFLECTION_ROOM)
        .select_related("placement__provision")
        .first()
    )
    if rr_day is None:
        return 0
    days = _recent_school_days(today, 8)
    recent = list(
        Placement.objects.exclude(status=Placement.Status.CANCELLED)
        .filter(starts_on__gte=days[0], starts_on__lt=today)
        .order_by("student_id")
        .values_list("student_id", flat=True)
        .distinct()
    )
    added = 0
    for student_id in rng.sample(recent, min(REPEATERS, len(recent))):
        for day in sorted(rng.sample(days, rng.choice([2, 2, 3]))):
            placement = Placement.objects.create(
                student_id=student_id,
                provision=rr_day.placement.provision,
                status=Placement.Status.COMPLETED,
                planned_days=1,
                starts_on=day,
                ends_on=day,
                booked_by=by,
                booked_at=clock.at(day, dt.time(rng.randint(9, 14), rng.choice([5, 20, 40]))),
            )
            PlacementDay.objects.create(placement=placement, date=day, room=rr_day.room)
            added += 1
    return added


def load_reviews_demo(*, today: dt.date, seed: int = 12) -> dict[str, int]:
    """Remove a few students again, open the reviews the rules call for this term, and close
    those whose few school days have passed."""
    rng = random.Random(seed)
    by = get_user_model().objects.filter(groups__name=Role.CONDUCT).order_by("pk").first()
    if by is None:
        return {"removed_again": 0, "opened": 0, "closed": 0}
    removed_again = _remove_again(today, rng, by)
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
    now = clock.now()
    # Reviews opened and not closed yet, with the moment each will be closed.
    waiting: list[tuple[dt.datetime, ReviewTask]] = []
    opened = closed = 0

    def close_due(moment: dt.datetime) -> None:
        nonlocal closed
        for when, task in [item for item in waiting if item[0] <= moment]:
            waiting.remove((when, task))
            decision = rng.choices([d for d, _ in DECISIONS], [w for _, w in DECISIONS])[0]
            head = task.assigned_to.user if task.assigned_to and task.assigned_to.user else by
            ReviewTask.objects.filter(pk=task.pk).update(
                status=ReviewTask.Status.CLOSED,
                decision=decision,
                decision_note=NOTES[decision],
                closed_by=head,
                closed_at=when,
            )
            # In the task's history as the review's closing writes it, when it was closed.
            history_record(
                target=task,
                by=head,
                from_=ReviewTask.Status.OPEN,
                to=ReviewTask.Status.CLOSED,
                note=ReviewTask.Decision(decision).label,
                student=task.student,
                at=when,
            )
            closed += 1

    for placement in placements:
        close_due(placement.booked_at)
        for task in review_rules_check(placement=placement, by=by):
            opened += 1
            ReviewTask.objects.filter(pk=task.pk).update(opened_at=placement.booked_at)
            history_of(task).filter(to_value=ReviewTask.Status.OPEN).update(at=placement.booked_at)
            task.opened_at = placement.booked_at
            when = placement.booked_at + dt.timedelta(days=rng.choice([2, 3, 4, 6]), hours=1)
            waiting.append((when, task))
    close_due(now)
    return {"removed_again": removed_again, "opened": opened, "closed": closed}
