"""Reads for safeguarding concerns: for the DSL, and for each concern's author."""

from django.db.models import Count, QuerySet

from pastoral.models import Concern


def concerns_open_first() -> QuerySet[Concern]:
    """Every concern, the open and urgent first (the DSL's list; one query)."""
    return (
        Concern.objects.select_related("student", "raised_by")
        .annotate(action_count=Count("actions"))
        .order_by("-status", "-urgent", "-raised_at")
    )


def concern_get(concern_id: int) -> Concern:
    return Concern.objects.select_related(
        "student__form", "student__year_group", "raised_by", "closed_by"
    ).get(pk=concern_id)
