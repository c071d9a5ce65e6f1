"""Reads for who is in a room on a day, with the lessons they miss."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from conduct.lib.compiled import compiled_query
from sanctions.models import Placement, PlacementDay, Provision
from school.models import Room, Student, student_name, year_group_label
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


# The columns the page of a teacher's students out of their lessons shows, in lesson then name
# order: its SQL built once (issue 15), the rows read as values, not five models deep.
_OUT_OF_LESSONS = compiled_query(
    lambda staff_id, day: (
        work_selectors.requests_not_cancelled()
        .filter(teacher_id=staff_id, date=day, placement_day__is_active=True)
        .exclude(placement_day__placement__status=Placement.Status.CANCELLED)
        .order_by(
            "period__starts_at",
            "placement_day__placement__student__legal_last_name",
            "placement_day__placement__student__legal_first_name",
        )
        .values_list(
            "period__code",
            "period__starts_at",
            "teaching_class__code",
            "placement_day__placement__student_id",
            "placement_day__placement__student__preferred_first_name",
            "placement_day__placement__student__legal_first_name",
            "placement_day__placement__student__preferred_last_name",
            "placement_day__placement__student__legal_last_name",
            "placement_day__placement__student__form__code",
            "placement_day__placement__student__year_group__name",
            "placement_day__placement__student__year_group__number",
            "placement_day__placement__provision__name",
            "placement_day__room__code",
            "status",
        )
    )
)


@dataclass(frozen=True, slots=True)
class LessonOut:
    """A lesson a teacher teaches that a student misses because they are booked into a room."""

    period_code: str
    starts_at: dt.time
    class_code: str
    student_id: int
    student_name: str
    form: str  # the student's form, or their year where they have none
    provision_name: str
    room_code: str
    status: str
    status_label: str  # as `WorkRequest.get_status_display()`


def out_of_lessons_taught_by(staff, day: dt.date) -> list[LessonOut]:
    """The lessons `staff` teaches on `day` that a student misses because they are booked into a
    room (work not cancelled, the day not called off, the placement not cancelled), each with
    its student, room and provision, in lesson then name order (one query)."""
    if staff is None:
        return []
    labels = dict(WorkRequest.Status.choices)
    return [
        LessonOut(
            period_code,
            starts_at,
            class_code,
            student_id,
            student_name(legal_first, legal_last, preferred_first, preferred_last),
            form_code or year_group_label(year_name, year_number),
            provision_name,
            room_code,
            status,
            labels.get(status, status),
        )
        for (
            period_code,
            starts_at,
            class_code,
            student_id,
            preferred_first,
            legal_first,
            preferred_last,
            legal_last,
            form_code,
            year_name,
            year_number,
            provision_name,
            room_code,
            status,
        ) in _OUT_OF_LESSONS(staff.pk, day)
    ]
