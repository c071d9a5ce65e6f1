"""A student's on-call calls, times sent out of lessons, times found out of lessons on a sweep,
and drop-ins, as entries for their timeline (conduct/timeline.py merges them). Each read is one
plain query of the columns shown, its SQL built once (issue 15: building model rows and their
joins cost more than the page drew, and building the SQL more than running it)."""

from django.db.models import Exists, OuterRef

from conduct.lib.compiled import compiled_query
from conduct.lib.timeline import LevelledRow, TimelineEntry
from conduct.lib.urls import url_maker
from conduct.lib.wording import hhmm
from pastoral.models import Level
from pastoral.policies import can_raise_level, higher_levels, note_readable
from patrol import policies
from patrol.models import DropIn, OnCallRequest, SentOut, SweepFinding
from school.models import Student

OUTCOMES = dict(OnCallRequest.Outcome.choices)
STATUSES = dict(OnCallRequest.Status.choices)
SENT_OUT_OUTCOMES = dict(SentOut.Outcome.choices)
ENGAGEMENTS = dict(DropIn.Engagement.choices)
LEVELS = dict(Level.choices)

_ON_CALL_REQUESTS = compiled_query(
    lambda student_id: OnCallRequest.objects.filter(students=student_id).values_list(
        "pk",
        "raised_at",
        "raised_by_id",
        "reason__label",
        "room__code",
        "location",
        "teaching_class__code",
        "outcome",
        "status",
    )
)
_SENT_OUT = compiled_query(
    lambda student_id: SentOut.objects.filter(student_id=student_id).values_list(
        "sent_at", "teaching_class__code", "from_room__code", "reason", "visited_at", "outcome"
    )
)
_FINDINGS = compiled_query(
    lambda student_id: SweepFinding.objects.filter(student_id=student_id).values_list(
        "found_at", "found_where", "should_be_class__code", "should_be_text", "dealt_with_at"
    )
)
_DROP_INS = compiled_query(
    lambda student_id: DropIn.objects.filter(entry__student_id=student_id).values_list(
        "pk", "at", "by_id", "engagement", "note", "level", "teaching_class__code"
    )
)

# Which of the four reads above have rows for the student (the row of a query on Student): most
# students have none, so one query of four EXISTS stands for the four reads (issue 15), and only
# those with rows run. A page that reads the student reads these with them
# (`school.selectors.people.profile_read`) and passes them as `has`.
RECORD_FLAGS = {
    "has_on_call": Exists(OnCallRequest.objects.filter(students=OuterRef("pk"))),
    "has_sent_out": Exists(SentOut.objects.filter(student=OuterRef("pk"))),
    "has_findings": Exists(SweepFinding.objects.filter(student=OuterRef("pk"))),
    "has_drop_ins": Exists(DropIn.objects.filter(entry__student=OuterRef("pk"))),
}
_HAS = compiled_query(
    lambda student_id: (
        Student.objects.filter(pk=student_id).annotate(**RECORD_FLAGS).values_list(*RECORD_FLAGS)
    )
)


def timeline_entries(
    student: Student, *, viewer, has: tuple[bool, ...] | None = None
) -> list[TimelineEntry]:
    """The patrol's records about `student`, each linked only where `viewer` may open it.
    `has`: the student's `RECORD_FLAGS`, when the page has read them (they are not read again)."""
    entries: list[TimelineEntry] = []
    has_calls, has_sent_out, has_findings, has_drop_ins = (
        _HAS(student.pk)[0] if has is None else has
    )
    may_answer = policies.can_answer_on_call(viewer)
    on_call_url = url_maker("on-call-detail")
    calls = _ON_CALL_REQUESTS(student.pk) if has_calls else []
    for pk, raised_at, raised_by_id, reason, room, location, lesson, outcome, status in calls:
        said = OUTCOMES.get(outcome, outcome) if outcome else STATUSES.get(status, status)
        may_open = may_answer or raised_by_id == getattr(viewer, "pk", None)
        entries.append(
            TimelineEntry(
                raised_at,
                "on-call",
                f"On-call: {reason}",
                " · ".join(filter(None, [room or location, lesson or ""])) + f" · {said.lower()}",
                on_call_url(pk) if may_open else "",
            )
        )
    sent_out = _SENT_OUT(student.pk) if has_sent_out else []
    for sent_at, lesson, from_room, reason, visited_at, outcome in sent_out:
        # As SentOut.sent_out_of words it.
        room = f" in {from_room}" if from_room else ""
        visit = (
            f"visited {hhmm(visited_at)}: {SENT_OUT_OUTCOMES.get(outcome, outcome).lower()}"
            if outcome
            else "not visited"
        )
        entries.append(
            TimelineEntry(
                sent_at,
                "sent-out",
                f"Sent out of {lesson or 'a lesson'}{room}",
                f"{reason} · {visit}",
            )
        )
    findings = _FINDINGS(student.pk) if has_findings else []
    for found_at, found_where, should_be_class, should_be_text, dealt_with_at in findings:
        should = should_be_class or should_be_text
        entries.append(
            TimelineEntry(
                found_at,
                "found-out-of-lessons",
                "Found out of lessons",
                f"{found_where} · should have been in {should}"
                + (" · dealt with" if dealt_with_at else ""),
            )
        )
    raise_url = url_maker("drop-in-level")
    drop_ins = _DROP_INS(student.pk) if has_drop_ins else []
    for pk, at, by_id, engagement, note, level, lesson in drop_ins:
        record = LevelledRow(student, level, by_id)
        if not note_readable(viewer, record):
            continue  # a drop-in above the reader's level is not there at all
        entries.append(
            TimelineEntry(
                at,
                "drop-in",
                f"Drop-in: {ENGAGEMENTS.get(engagement, engagement)}",
                " · ".join(filter(None, [lesson or "", note])),
                raise_levels=(
                    higher_levels(level)
                    if can_raise_level(viewer, student=student, level=level, author_id=by_id)
                    else []
                ),
                raise_url=raise_url(pk),
                level_label=LEVELS.get(level, level),
            )
        )
    return entries
