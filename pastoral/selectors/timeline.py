"""A student's pastoral records as entries for their timeline (conduct/timeline.py merges
them): interviews and records of discussions at the levels the viewer may read, and safeguarding
concerns for the DSL and their authors only. A record the viewer may not read is left out
entirely: no "hidden record" placeholder."""

from django.db.models import Q
from django.urls import reverse

from conduct.lib.timeline import TimelineEntry, start_of
from conduct.roles import Role, has_role
from pastoral import policies
from pastoral.models import Concern, Interview
from pastoral.selectors.discussions import discussions_readable
from pastoral.selectors.interviews import interviews_for_student
from school.models import Student


def _interview_entries(student: Student, viewer) -> list[TimelineEntry]:
    if not policies.can_view_interviews(viewer, student):
        return []
    entries = []
    for interview in interviews_for_student(student):
        if interview.status == Interview.Status.DONE and not policies.level_allows(
            viewer, student, interview.level, author_id=interview.conducted_by_id
        ):
            continue
        if interview.kind == Interview.Kind.EXIT:
            url = reverse("exit-interview", args=[interview.placement_id])
        else:
            url = reverse("interview-detail", args=[interview.pk])
        entries.append(
            TimelineEntry(
                interview.conducted_at or start_of(interview.due_on, 9),
                "interview",
                f"{interview.get_kind_display()}: {interview.get_status_display().lower()}",
                url=url if policies.can_hold_interview_with(viewer, student) else "",
            )
        )
    return entries


def timeline_entries(student: Student, *, viewer) -> list[TimelineEntry]:
    """The student's interviews, discussions and (for the DSL and their authors) concerns."""
    entries = _interview_entries(student, viewer)
    for discussion in discussions_readable(viewer).filter(student=student):
        entries.append(
            TimelineEntry(
                discussion.recorded_at,
                "discussion",
                f"Discussion recorded by {discussion.recorded_by.get_full_name()}",
                detail=f"Level: {discussion.get_level_display()}",
                url=reverse("discussion-detail", args=[discussion.pk]),
            )
        )
    mine = Q(raised_by=viewer) if not has_role(viewer, Role.DSL) else Q()
    for concern in Concern.objects.filter(mine, student=student):
        entries.append(
            TimelineEntry(
                concern.raised_at,
                "concern",
                "Safeguarding concern" + (" (urgent)" if concern.urgent else ""),
                detail="Child protection: the DSL and its author only",
                url=reverse("concern-detail", args=[concern.pk]),
            )
        )
    return entries
