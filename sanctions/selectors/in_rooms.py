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


def out_of_lessons_taught_by(staff, day: dt.date) -> list[WorkRequest]:
    """The lessons `staff` teaches on `day` that a student misses because they are booked into a
    room, each with its student, room and provision, in lesson then name order (one query)."""
    if staff is None:
        return []
    return list(
        work_selectors.requests_not_cancelled()
        .filter(
            teacher=staff,
            date=day,
            placement_day__is_active=True,
        )
        .exclude(placement_day__placement__status=Placement.Status.CANCELLED)
        .select_related(
            "placement_day__room",
            "placement_day__placement__provision",
            "placement_day__placement__student__form",
            "placement_day__placement__student__year_group",
        )
        .order_by(
            "period__starts_at",
            "placement_day__placement__student__legal_last_name",
            "placement_day__placement__student__legal_first_name",
        )
    )
