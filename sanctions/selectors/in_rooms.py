"""Reads for who is in a room on a day, with the lessons they miss."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from sanctions.models import Placement, PlacementDay, Provision
from school.models import Room, Student
from work.models import WorkRequest
from work.selectors import requests as work_selectors


@dataclass
class InRoom:
    """A student booked into a provision's room on a day, with the lessons they miss there."""

    student: Student
    provision: Provision
    room: Room
    lessons: list[WorkRequest]  # with their period, class and teacher


def in_rooms_on(day: dt.date) -> list[InRoom]:
    """Everyone booked into a room on `day` with the lessons they miss, in name order (two
    queries)."""
    placement_days = list(
        PlacementDay.objects.filter(date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .select_related("placement__student__form", "placement__provision", "room")
        .prefetch_related(
            Prefetch(
                "work_requests",
                queryset=work_selectors.requests_not_cancelled(),
            )
        )
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
    )
    return [
        InRoom(
            placement_day.placement.student,
            placement_day.placement.provision,
            placement_day.room,
            list(placement_day.work_requests.all()),
        )
        for placement_day in placement_days
    ]
