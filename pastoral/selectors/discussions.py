"""Reads for records of discussions, cut to what the reader may see (docs/safeguarding.md)."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from pastoral import policies
from pastoral.models import Discussion, DiscussionShare
from school.models import Student


def discussions_readable(viewer) -> QuerySet[Discussion]:
    """Every discussion `viewer` may read: authored, shared with them below child protection,
    or at a level their role reads (pastoral staff: their years)."""
    mine = DiscussionShare.objects.filter(discussion=OuterRef("pk"), user=viewer)
    return (
        Discussion.objects.annotate(shared_with_viewer=Exists(mine))
        .filter(
            policies.levels_q(
                viewer, path="student__", author="recorded_by_id", shared="shared_with_viewer"
            )
        )
        .select_related("recorded_by")
    )


def discussions_for_student(student: Student, *, viewer) -> list[Discussion]:
    """The student's discussions `viewer` may read, newest first (one query)."""
    return list(discussions_readable(viewer).filter(student=student).order_by("-recorded_at"))


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
