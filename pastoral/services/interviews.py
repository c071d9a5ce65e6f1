"""Writes for interviews with students in a provision. Called inside the placement's
transaction."""

import datetime as dt

from django.db import transaction

from pastoral.models import Interview
from sanctions.models import Placement


@transaction.atomic
def entry_interview_plan(*, placement: Placement, due_on: dt.date) -> Interview:
    """The entry interview to do for `placement` on `due_on` (its first day)."""
    return Interview.objects.create(placement=placement, kind=Interview.Kind.ENTRY, due_on=due_on)


@transaction.atomic
def interviews_cancel(*, placement: Placement) -> int:
    """Cancel `placement`'s interviews still to do; those done stay done. Says how many."""
    return Interview.objects.filter(placement=placement, status=Interview.Status.TO_DO).update(
        status=Interview.Status.CANCELLED
    )


@transaction.atomic
def interviews_move(*, placement: Placement, due_on: dt.date) -> int:
    """Make `placement`'s interviews still to do due on `due_on` (its new first day). Says how
    many."""
    return Interview.objects.filter(placement=placement, status=Interview.Status.TO_DO).update(
        due_on=due_on
    )
