"""Reads for work requests."""

import datetime as dt

from django.db.models import QuerySet

from work.models import WorkRequest


def requests_not_cancelled() -> QuerySet[WorkRequest]:
    """Work requests still standing (asked for, set, done or returned) with their period, class
    and teacher, in period order: what a register line and the day's list of students in rooms
    show for the lessons missed."""
    return (
        WorkRequest.objects.exclude(status=WorkRequest.Status.CANCELLED)
        .select_related("period", "teaching_class", "teacher")
        .order_by("period__starts_at")
    )


def requests_without_work(days: list[dt.date]) -> QuerySet[WorkRequest]:
    """Lessons on `days` a placed student misses whose teacher has not set work yet, by day and
    period, with the student and the room they are in (one query)."""
    return (
        WorkRequest.objects.filter(status=WorkRequest.Status.REQUESTED, date__in=days)
        .select_related(
            "period",
            "teaching_class",
            "teacher",
            "placement_day__room",
            "placement_day__placement__student",
        )
        .order_by("date", "period__starts_at", "placement_day__placement__student__legal_last_name")
    )
