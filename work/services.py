"""Writes for work requests: asking the teachers of the lessons a placed student misses for
work, and withdrawing what is no longer needed. Called inside the placement's transaction."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction

from conduct.lib import clock
from sanctions.models import PlacementDay
from school.selectors.timetable import student_timetable_on
from work.models import WorkRequest


@transaction.atomic
def work_requests_create(
    *, days: Sequence[PlacementDay], from_time: dt.time | None = None
) -> list[WorkRequest]:
    """A work request to the teacher of every lesson the student misses on `days` (a
    placement's register lines, first day first): the lesson's own teacher, else the class's
    first teacher. With `from_time` (a removal during the day), the first day's lessons already
    over are skipped."""
    now = clock.now()
    requests = []
    for index, day in enumerate(days):
        for slot in student_timetable_on(day.placement.student, day.date):
            if index == 0 and from_time and slot.period.ends_at <= from_time:
                continue  # a lesson already over when the student was removed
            teacher = slot.staff or next(
                (link.staff for link in slot.teaching_class.teacher_links.all()), None
            )
            requests.append(
                WorkRequest(
                    placement_day=day,
                    date=day.date,
                    period=slot.period,
                    teaching_class=slot.teaching_class,
                    slot=slot,
                    teacher=teacher,
                    created_at=now,
                )
            )
    return WorkRequest.objects.bulk_create(requests)


@transaction.atomic
def work_requests_withdraw(*, days: Iterable[PlacementDay]) -> int:
    """Cancel the work requests for `days` (register lines given up or cancelled); work already
    returned to its teacher stays returned. Says how many were cancelled."""
    return (
        WorkRequest.objects.filter(placement_day__in=days)
        .exclude(status__in=[WorkRequest.Status.RETURNED, WorkRequest.Status.CANCELLED])
        .update(status=WorkRequest.Status.CANCELLED)
    )
