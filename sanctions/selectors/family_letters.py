"""Reads for the letters to placed students' families: which still need a person before the
student arrives."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from notify.models import Message
from sanctions.models import Placement, PlacementDay


@dataclass(frozen=True)
class LetterToCheck:
    """A placement on one of the coming days whose family has not been written to yet: its
    draft to check, or (no `message`) the reason none could be drafted."""

    placement: Placement
    day: dt.date  # the placement's first day among the days asked about
    message: Message | None


def family_letters_to_check(days: list[dt.date]) -> list[LetterToCheck]:
    """Booked placements with a day on one of `days` whose family's letter is still a draft
    to check, or for which no letter could be drafted, by day then name (two queries)."""
    placements: dict[int, Placement] = {}
    firsts: dict[int, dt.date] = {}
    for placement_day in (
        PlacementDay.objects.filter(
            date__in=days, is_active=True, placement__status=Placement.Status.BOOKED
        )
        .select_related("placement__student", "placement__provision")
        .order_by("date")
    ):
        placements.setdefault(placement_day.placement_id, placement_day.placement)
        firsts.setdefault(placement_day.placement_id, placement_day.date)
    if not placements:
        return []
    drafts = (
        Message.objects.filter(
            related_type=ContentType.objects.get_for_model(Placement),
            related_id__in=placements,
            audience=Message.Audience.PARENT,
            status=Message.Status.DRAFT,
        )
        .only("pk", "channel", "status", "related_id")
        .order_by("created_at")
    )
    found = []
    for message in drafts:
        pk = int(message.related_id or 0)
        found.append(LetterToCheck(placements[pk], firsts[pk], message))
    found += [
        LetterToCheck(p, firsts[p.pk], None) for p in placements.values() if p.parent_notice_problem
    ]
    return sorted(found, key=lambda item: (item.day, item.placement.student.name))
