"""A student's pastoral records as entries for their timeline (conduct/timeline.py merges
them): interviews and records of discussions at the levels the viewer may read, and safeguarding
concerns for the DSL and their authors only. A record the viewer may not read is left out
entirely: no "hidden record" placeholder."""

from django.db.models import Q
from django.urls import reverse

from conduct.lib.timeline import TimelineEntry, start_of
from conduct.lib.urls import url_maker
from conduct.roles import Role, has_role
from pastoral import policies
from pastoral.models import (
    Concern,
    Discussion,
    Intervention,
    Interview,
    Level,
    Meeting,
    RestorativeMeeting,
)
from pastoral.selectors.discussions import discussions_readable
from pastoral.selectors.family_contacts import calls_for_student
from pastoral.selectors.interventions import interventions_for_student
from pastoral.selectors.interviews import interviews_for_student
from pastoral.selectors.restorative import restorative_meetings_for_student
from school.models import Student


def _interview_entries(student: Student, viewer) -> list[TimelineEntry]:
    if not policies.can_view_interviews(viewer, student):
        return []
    entries = []
    may_hold = policies.can_hold_interview_with(viewer, student)
    exit_url, interview_url = url_maker("exit-interview"), url_maker("interview-detail")
    for interview in interviews_for_student(student):
        if interview.status == Interview.Status.DONE and not policies.level_allows(
            viewer, student, interview.level, author_id=interview.conducted_by_id
        ):
            continue
        if interview.kind == Interview.Kind.EXIT:
            url = exit_url(interview.placement_id)
        else:
            url = interview_url(interview.pk)
        entries.append(
            TimelineEntry(
                interview.conducted_at or start_of(interview.due_on, 9),
                "interview",
                f"{interview.get_kind_display()}: {interview.get_status_display().lower()}",
                url=url if may_hold else "",
            )
        )
    return entries


def _call_entries(student: Student) -> list[TimelineEntry]:
    """Calls to the family (the contact history: whoever sees the student's sensitive details)."""
    return [
        TimelineEntry(
            call.called_at,
            "family-call",
            f"Phoned {call.called_name}: {call.get_outcome_display().lower()}"
            + (f" ({call.placement.provision})" if call.placement is not None else "")
            + (f". {call.note}" if call.note else ""),
        )
        for call in calls_for_student(student)
    ]


def _meeting_entries(
    student: Student,
    meetings: list[Meeting] | None = None,
    interventions: list[Intervention] | None = None,
) -> list[TimelineEntry]:
    """Meetings with the family and the interventions agreed: pastoral-level records, for the
    pastoral team and the SENCO only (`policies.can_see_meetings_of`). `meetings` and
    `interventions`: the student's, when the page has read them."""
    if meetings is None:
        meetings = list(Meeting.objects.filter(student=student).order_by("-starts_at"))
    if interventions is None:
        interventions = interventions_for_student(student)
    meeting_url, intervention_url = url_maker("meeting-detail"), url_maker("intervention-detail")
    meeting_entries = [
        TimelineEntry(
            meeting.starts_at,
            "meeting",
            f"Meeting with the family ({meeting.get_mode_display().lower()}): "
            f"{meeting.get_status_display().lower()}"
            + (f". {meeting.discussed}" if meeting.discussed else ""),
            url=meeting_url(meeting.pk),
        )
        for meeting in meetings
    ]
    intervention_entries = [
        TimelineEntry(
            start_of(intervention.starts_on, 9),
            "intervention",
            f"{intervention.kind} ({intervention.get_status_display().lower()}): "
            f"{intervention.target}"
            + "".join(
                f" · Review {review.reviewed_at:%d/%m}: {review.get_decision_display().lower()}"
                for review in intervention.reviews.all()
            ),
            url=intervention_url(intervention.pk),
        )
        for intervention in interventions
    ]
    return meeting_entries + intervention_entries


def _restorative_entries(student: Student, viewer) -> list[TimelineEntry]:
    """Restorative meetings at the levels `viewer` may read (others: nothing at all)."""
    entries: list[TimelineEntry] = []
    meetings = list(restorative_meetings_for_student(student))
    if not meetings:
        return entries
    levels = {level for level in Level.values if policies.level_allows(viewer, student, level)}
    for meeting in meetings:
        if meeting.level not in levels and meeting.planned_by_id != viewer.pk:
            continue
        held = meeting.status == RestorativeMeeting.Status.HELD
        entries.append(
            TimelineEntry(
                meeting.starts_at,
                "restorative",
                f"Restorative meeting with {meeting.with_whom}: "
                + (
                    meeting.get_outcome_display().lower()
                    if held
                    else "cancelled"
                    if meeting.status == RestorativeMeeting.Status.CANCELLED
                    else f"planned, {meeting.place}"
                ),
                detail=f"Level: {meeting.get_level_display()}",
                url=reverse("restorative-detail", args=[meeting.pk]),
            )
        )
    return entries


def timeline_entries(
    student: Student,
    *,
    viewer,
    discussions: list[Discussion] | None = None,
    meetings: list[Meeting] | None = None,
    interventions: list[Intervention] | None = None,
) -> list[TimelineEntry]:
    """The student's interviews, discussions, calls to their family, meetings and interventions,
    and (for the DSL and their authors) concerns. `discussions` (those `viewer` may read),
    `meetings` and `interventions`: the student's, when the page has already read them (they
    are not read again)."""
    entries = _interview_entries(student, viewer)
    if discussions is None:
        discussions = list(discussions_readable(viewer).filter(student=student))
    discussion_url = url_maker("discussion-detail")
    for discussion in discussions:
        entries.append(
            TimelineEntry(
                discussion.recorded_at,
                "discussion",
                f"Discussion recorded by {discussion.recorded_by.get_full_name()}",
                detail=f"Level: {discussion.get_level_display()}",
                url=discussion_url(discussion.pk),
            )
        )
    if policies.can_view_interviews(viewer, student):
        entries += _call_entries(student)
    if policies.can_see_meetings_of(viewer, student):
        entries += _meeting_entries(student, meetings, interventions)
    if policies.can_view_interviews(viewer, student):
        entries += _restorative_entries(student, viewer)
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
