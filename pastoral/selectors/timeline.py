"""A student's pastoral records as entries for their timeline (conduct/timeline.py merges
them): interviews and records of discussions at the levels the viewer may read, and safeguarding
concerns for the DSL and their authors only. A record the viewer may not read is left out
entirely: no "hidden record" placeholder."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from conduct.lib.compiled import compiled_query
from conduct.lib.timeline import TimelineEntry, start_of
from conduct.lib.urls import url_maker
from conduct.roles import Role, has_role
from pastoral import policies
from pastoral.models import (
    Concern,
    Discussion,
    FamilyCall,
    Intervention,
    Interview,
    Level,
    Meeting,
    RestorativeMeeting,
)
from pastoral.selectors.discussions import DiscussionRow, discussions_for_student
from pastoral.selectors.interventions import InterventionRow, interventions_for_student
from pastoral.selectors.interviews import interviews_for_student
from pastoral.selectors.meetings import MeetingRow, meetings_for_student
from school.models import Student, staff_display_name, student_name

INTERVIEW_KINDS = dict(Interview.Kind.choices)
INTERVIEW_STATUSES = {value: label.lower() for value, label in Interview.Status.choices}
CALL_OUTCOMES = dict(FamilyCall.Outcome.choices)
RESTORATIVE_OUTCOMES = dict(RestorativeMeeting.Outcome.choices)
LEVELS = dict(Level.choices)


_INTERVIEWS = compiled_query(
    lambda student_id: interviews_for_student(student_id).values_list(
        "pk", "placement_id", "kind", "status", "level", "conducted_by_id", "conducted_at", "due_on"
    )
)
_CALLS = compiled_query(
    lambda student_id: (
        FamilyCall.objects.filter(student_id=student_id)
        .order_by("-called_at")
        .values_list("called_at", "called_name", "outcome", "note", "placement__provision__name")
    )
)
_RESTORATIVE_MEETINGS = compiled_query(
    lambda student_id: (
        RestorativeMeeting.objects.filter(student_id=student_id)
        .order_by("-starts_at", "-pk")
        .values_list(
            "pk",
            "starts_at",
            "status",
            "outcome",
            "place",
            "level",
            "planned_by_id",
            "affected_staff__title",
            "affected_staff__first_name",
            "affected_staff__last_name",
            "affected_student__preferred_first_name",
            "affected_student__legal_first_name",
            "affected_student__preferred_last_name",
            "affected_student__legal_last_name",
        )
    )
)
# The student's concerns: all of them (for the DSL), or those `user_id` raised.
_CONCERNS = compiled_query(
    lambda student_id: Concern.objects.filter(student_id=student_id).values_list(
        "pk", "raised_at", "urgent"
    )
)
_CONCERNS_RAISED_BY = compiled_query(
    lambda student_id, user_id: Concern.objects.filter(
        student_id=student_id, raised_by_id=user_id
    ).values_list("pk", "raised_at", "urgent")
)


@dataclass(frozen=True)
class PastoralRecords:
    """Which kinds of pastoral record a student has at all (readable by the viewer or not): their
    page leaves out the reads of the kinds they have none of, as most students have none."""

    discussions: bool
    meetings: bool
    interventions: bool
    interviews: bool
    calls: bool
    restorative: bool
    concerns: bool


# Whether the student (the row of a query on Student) has each kind, in PastoralRecords' order:
# a page that reads the student reads these with them (`school.selectors.people.profile_read`).
RECORD_FLAGS = {
    "has_discussions": Exists(Discussion.objects.filter(student=OuterRef("pk"))),
    "has_meetings": Exists(Meeting.objects.filter(student=OuterRef("pk"))),
    "has_interventions": Exists(Intervention.objects.filter(student=OuterRef("pk"))),
    "has_interviews": Exists(Interview.objects.filter(placement__student=OuterRef("pk"))),
    "has_calls": Exists(FamilyCall.objects.filter(student=OuterRef("pk"))),
    "has_restorative": Exists(RestorativeMeeting.objects.filter(student=OuterRef("pk"))),
    "has_concerns": Exists(Concern.objects.filter(student=OuterRef("pk"))),
}
_RECORDS = compiled_query(
    lambda student_id: (
        Student.objects.filter(pk=student_id).annotate(**RECORD_FLAGS).values_list(*RECORD_FLAGS)
    )
)


def records_of(student: Student) -> PastoralRecords:
    """Which kinds of pastoral record `student` has (one query of seven EXISTS, for as many
    reads: issue 15)."""
    [row] = _RECORDS(student.pk)
    return PastoralRecords(*row)


def _interview_entries(student: Student, viewer) -> list[TimelineEntry]:
    if not policies.can_view_interviews(viewer, student):
        return []
    entries = []
    may_hold = policies.can_hold_interview_with(viewer, student)
    exit_url, interview_url = url_maker("exit-interview"), url_maker("interview-detail")
    rows = _INTERVIEWS(student.pk)
    for pk, placement_id, kind, status, level, conducted_by_id, conducted_at, due_on in rows:
        if status == Interview.Status.DONE and not policies.level_allows(
            viewer, student, level, author_id=conducted_by_id
        ):
            continue
        url = exit_url(placement_id) if kind == Interview.Kind.EXIT else interview_url(pk)
        entries.append(
            TimelineEntry(
                conducted_at or start_of(due_on, 9),
                "interview",
                f"{INTERVIEW_KINDS.get(kind, kind)}: {INTERVIEW_STATUSES.get(status, status)}",
                url=url if may_hold else "",
            )
        )
    return entries


def _call_entries(student: Student) -> list[TimelineEntry]:
    """Calls to the family (the contact history: whoever sees the student's sensitive details),
    newest first, as `calls_for_student` orders them."""
    return [
        TimelineEntry(
            called_at,
            "family-call",
            f"Phoned {called_name}: {CALL_OUTCOMES.get(outcome, outcome).lower()}"
            + (f" ({provision})" if provision is not None else "")
            + (f". {note}" if note else ""),
        )
        for called_at, called_name, outcome, note, provision in _CALLS(student.pk)
    ]


def _meeting_entries(
    student: Student,
    meetings: list[MeetingRow] | None = None,
    interventions: list[InterventionRow] | None = None,
) -> list[TimelineEntry]:
    """Meetings with the family and the interventions agreed: pastoral-level records, for the
    pastoral team and the SENCO only (`policies.can_see_meetings_of`). `meetings` and
    `interventions`: the student's, when the page has read them."""
    if meetings is None:
        meetings = meetings_for_student(student)
    if interventions is None:
        interventions = interventions_for_student(student)
    meeting_url, intervention_url = url_maker("meeting-detail"), url_maker("intervention-detail")
    meeting_entries = [
        TimelineEntry(
            meeting.starts_at,
            "meeting",
            f"Meeting with the family ({meeting.mode_label.lower()}): "
            f"{meeting.status_label.lower()}"
            + (f". {meeting.discussed}" if meeting.discussed else ""),
            url=meeting_url(meeting.pk),
        )
        for meeting in meetings
    ]
    intervention_entries = [
        TimelineEntry(
            start_of(intervention.starts_on, 9),
            "intervention",
            f"{intervention.kind} ({intervention.status_label.lower()}): "
            f"{intervention.target}"
            + "".join(
                f" · Review {reviewed_at:%d/%m}: {decision.lower()}"
                for reviewed_at, decision in intervention.reviews
            ),
            url=intervention_url(intervention.pk),
        )
        for intervention in interventions
    ]
    return meeting_entries + intervention_entries


def _restorative_entries(student: Student, viewer) -> list[TimelineEntry]:
    """Restorative meetings at the levels `viewer` may read (others: nothing at all), newest
    first (by when they start, then the newest made)."""
    entries: list[TimelineEntry] = []
    meetings = _RESTORATIVE_MEETINGS(student.pk)
    if not meetings:
        return entries
    levels = {level for level in Level.values if policies.level_allows(viewer, student, level)}
    restorative_url = url_maker("restorative-detail")
    for (
        pk,
        starts_at,
        status,
        outcome,
        place,
        level,
        planned_by_id,
        staff_title,
        staff_first,
        staff_last,
        preferred_first,
        legal_first,
        preferred_last,
        legal_last,
    ) in meetings:
        if level not in levels and planned_by_id != viewer.pk:
            continue
        # As RestorativeMeeting.with_whom names them.
        names = []
        if staff_last is not None:
            names.append(staff_display_name(staff_title, staff_first, staff_last))
        if legal_last is not None:
            names.append(student_name(legal_first, legal_last, preferred_first, preferred_last))
        with_whom = " and ".join(names) or "those affected"
        if status == RestorativeMeeting.Status.HELD:
            said = RESTORATIVE_OUTCOMES.get(outcome, outcome).lower()
        elif status == RestorativeMeeting.Status.CANCELLED:
            said = "cancelled"
        else:
            said = f"planned, {place}"
        entries.append(
            TimelineEntry(
                starts_at,
                "restorative",
                f"Restorative meeting with {with_whom}: {said}",
                detail=f"Level: {LEVELS.get(level, level)}",
                url=restorative_url(pk),
            )
        )
    return entries


def timeline_entries(
    student: Student,
    *,
    viewer,
    discussions: list[DiscussionRow] | None = None,
    meetings: list[MeetingRow] | None = None,
    interventions: list[InterventionRow] | None = None,
    records: PastoralRecords | None = None,
) -> list[TimelineEntry]:
    """The student's interviews, discussions, calls to their family, meetings and interventions,
    and (for the DSL and their authors) concerns. `discussions` (those `viewer` may read),
    `meetings`, `interventions` and `records` (`records_of`): the student's, when the page has
    already read them (they are not read again)."""
    if records is None:
        records = records_of(student)
    entries = _interview_entries(student, viewer) if records.interviews else []
    if discussions is None:
        discussions = discussions_for_student(student, viewer=viewer) if records.discussions else []
    discussion_url = url_maker("discussion-detail")
    for discussion in discussions:
        entries.append(
            TimelineEntry(
                discussion.recorded_at,
                "discussion",
                f"Discussion recorded by {discussion.by_full_name}",
                detail=f"Level: {discussion.level_label}",
                url=discussion_url(discussion.pk),
            )
        )
    if records.calls and policies.can_view_interviews(viewer, student):
        entries += _call_entries(student)
    if policies.can_see_meetings_of(viewer, student):
        if meetings is None and not records.meetings:
            meetings = []
        if interventions is None and not records.interventions:
            interventions = []
        entries += _meeting_entries(student, meetings, interventions)
    if records.restorative and policies.can_view_interviews(viewer, student):
        entries += _restorative_entries(student, viewer)
    concerns = (
        []
        if not records.concerns
        else _CONCERNS(student.pk)
        if has_role(viewer, Role.DSL)
        else _CONCERNS_RAISED_BY(student.pk, viewer.pk)
    )
    concern_url = url_maker("concern-detail")
    for pk, raised_at, urgent in concerns:
        entries.append(
            TimelineEntry(
                raised_at,
                "concern",
                "Safeguarding concern" + (" (urgent)" if urgent else ""),
                detail="Child protection: the DSL and its author only",
                url=concern_url(pk),
            )
        )
    return entries
