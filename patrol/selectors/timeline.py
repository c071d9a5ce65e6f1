"""A student's on-call calls, times sent out of lessons, times found out of lessons on a sweep,
and drop-ins, as entries for their timeline (conduct/timeline.py merges them)."""

from django.urls import reverse

from conduct.lib.timeline import TimelineEntry
from conduct.lib.wording import hhmm
from pastoral.policies import note_readable
from patrol import policies
from patrol.models import DropIn, OnCallRequest, SentOut, SweepFinding
from school.models import Student, TeachingClass


def lesson_code(teaching_class: TeachingClass | None) -> str:
    return teaching_class.code if teaching_class else ""


def timeline_entries(student: Student, *, viewer) -> list[TimelineEntry]:
    """The patrol's records about `student`, each linked only where `viewer` may open it."""
    entries: list[TimelineEntry] = []
    may_answer = policies.can_answer_on_call(viewer)
    for request in OnCallRequest.objects.filter(students=student).select_related(
        "reason", "room", "teaching_class"
    ):
        where = request.room.code if request.room else request.location
        outcome = request.get_outcome_display() if request.outcome else request.get_status_display()
        may_open = may_answer or request.raised_by_id == getattr(viewer, "pk", None)
        entries.append(
            TimelineEntry(
                request.raised_at,
                "on-call",
                f"On-call: {request.reason.label}",
                " · ".join(filter(None, [where, lesson_code(request.teaching_class)]))
                + f" · {outcome.lower()}",
                reverse("on-call-detail", args=[request.pk]) if may_open else "",
            )
        )
    for sent in SentOut.objects.filter(student=student).select_related(
        "teaching_class", "from_room"
    ):
        visit = (
            f"visited {hhmm(sent.visited_at)}: {sent.get_outcome_display().lower()}"
            if sent.outcome
            else "not visited"
        )
        entries.append(
            TimelineEntry(
                sent.sent_at,
                "sent-out",
                sent.sent_out_of,
                f"{sent.reason} · {visit}",
            )
        )
    for finding in SweepFinding.objects.filter(student=student).select_related("should_be_class"):
        should = finding.should_be_class.code if finding.should_be_class else finding.should_be_text
        entries.append(
            TimelineEntry(
                finding.found_at,
                "found-out-of-lessons",
                "Found out of lessons",
                f"{finding.found_where} · should have been in {should}"
                + (" · dealt with" if finding.dealt_with_at else ""),
            )
        )
    for drop_in in DropIn.objects.filter(entry__student=student).select_related(
        "teaching_class", "entry__student"
    ):
        if not note_readable(viewer, drop_in):
            continue  # a drop-in above the reader's level is not there at all
        entries.append(
            TimelineEntry(
                drop_in.at,
                "drop-in",
                f"Drop-in: {drop_in.get_engagement_display()}",
                " · ".join(filter(None, [lesson_code(drop_in.teaching_class), drop_in.note])),
                record=drop_in,
                raise_url=reverse("drop-in-level", args=[drop_in.pk]),
            )
        )
    return entries
