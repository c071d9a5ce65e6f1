"""Reads for records of discussions, cut to what the reader may see (docs/safeguarding.md)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch

from conduct.lib.compiled import compiled_query
from pastoral import policies
from pastoral.models import Discussion, DiscussionShare, Level
from school.models import Student

LEVELS = dict(Level.choices)


@dataclass(frozen=True)
class DiscussionRow:
    """A record of a discussion as the student's page lists it and its timeline shows it."""

    pk: int
    recorded_at: dt.datetime
    by: str  # the author's full name, else their username
    by_full_name: str  # `User.get_full_name()`: "" when they have no name
    level_label: str
    follow_up_on: dt.date | None


# Every discussion of the student, with whether it is shared with the reader (`user_id`): the
# levels are asked of each row in Python (`_readable`), so the SQL is the same for every reader.
_STUDENT_DISCUSSIONS = compiled_query(
    lambda student_id, user_id: (
        Discussion.objects.filter(student_id=student_id)
        .annotate(
            shared_with_viewer=Exists(
                DiscussionShare.objects.filter(discussion=OuterRef("pk"), user_id=user_id)
            )
        )
        .order_by("-recorded_at")
        .values_list(
            "pk",
            "recorded_at",
            "recorded_by_id",
            "recorded_by__first_name",
            "recorded_by__last_name",
            "recorded_by__username",
            "level",
            "follow_up_on",
            "shared_with_viewer",
        )
    )
)


def discussions_for_student(student: Student, *, viewer) -> list[DiscussionRow]:
    """The student's discussions `viewer` may read, newest first (one query): authored, shared
    with them below child protection, or at a level their role reads (`policies.level_allows`)."""
    levels = {level for level in Level.values if policies.level_allows(viewer, student, level)}
    rows = []
    for (
        pk,
        recorded_at,
        author_id,
        first_name,
        last_name,
        username,
        level,
        follow_up_on,
        shared,
    ) in _STUDENT_DISCUSSIONS(student.pk, viewer.pk):
        readable = (
            level in levels
            or author_id == viewer.pk
            or (shared and level != Level.CHILD_PROTECTION)
        )
        if readable:
            full_name = f"{first_name} {last_name}".strip()
            rows.append(
                DiscussionRow(
                    pk=pk,
                    recorded_at=recorded_at,
                    by=full_name or username,
                    by_full_name=full_name,
                    level_label=LEVELS.get(level, level),
                    follow_up_on=follow_up_on,
                )
            )
    return rows


def discussion_get(discussion_id: int, *, viewer) -> tuple[Discussion, bool]:
    """One discussion with its student and shares (who has read it), and whether it is shared
    with `viewer`."""
    discussion = (
        Discussion.objects.select_related("student__form", "student__year_group", "recorded_by")
        .prefetch_related(
            Prefetch("shares", queryset=DiscussionShare.objects.select_related("user"))
        )
        .get(pk=discussion_id)
    )
    shared = any(share.user_id == viewer.pk for share in discussion.shares.all())
    return discussion, shared
