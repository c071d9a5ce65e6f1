"""Reads for work requests."""

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
