"""Everything Conduct holds about one student, for a subject access request: every kind of
record, at the confidentiality levels the requester may release, with other students' names
marked for redaction (docs/security.md)."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from audit.models import AuditEvent, StateChange
from conduct.lib import clock
from notify.models import Message
from pastoral.models import (
    Concern,
    ConcernAction,
    Discussion,
    FamilyCall,
    Intervention,
    InterventionReview,
    Interview,
    Level,
    Meeting,
    RestorativeMeeting,
    ReviewTask,
)
from patrol.models import DropIn, OnCallRequest, SentOut, SweepFinding, WatchListEntry
from sanctions.models import (
    AttendanceMark,
    Incident,
    Placement,
    PlacementDay,
    Referral,
    RoomLogEntry,
)
from school.models import Guardian, Student
from work.models import WorkRequest

# Fields that repeat another field or are the sending machinery's, not about the student.
SKIPPED_FIELDS = {"body_html", "calendar", "provider_ref", "next_attempt_at", "source_id", "photo"}

# Related rows whose own text (str) names them without another query.
NAMED_BY_STR = {
    "school.room",
    "school.period",
    "school.teachingclass",
    "school.staff",
    "school.guardian",
    "school.subject",
    "school.department",
    "sanctions.reasoncategory",
    "sanctions.provision",
    "patrol.oncallreason",
    "pastoral.interventiontype",
    "pastoral.reviewrule",
    "notify.messagetemplate",
    "work.programmetask",
    "work.workset",
}

# Kinds of record that exist only at the child-protection level.
CHILD_PROTECTION_ONLY = {"pastoral.concern", "pastoral.concernaction"}


@dataclass(frozen=True)
class Section:
    """One kind of record: its key in the JSON, its heading, the rows about the student, and
    the field holding the row's confidentiality level (if it has one)."""

    key: str
    title: str
    rows: Callable[[Student], models.QuerySet]
    level_field: str = ""
    child_protection_only: bool = False


def _same(model, path: str) -> Callable[[Student], models.QuerySet]:
    return lambda student: model.objects.filter(**{path: student})


SECTIONS: tuple[Section, ...] = (
    Section("guardians", "Parents and carers held as contacts", _same(Guardian, "students")),
    Section("incidents", "Incidents", _same(Incident, "students")),
    Section("referrals", "Referrals", _same(Referral, "student")),
    Section("placements", "Placements", _same(Placement, "student")),
    Section("placement_days", "Days in a room", _same(PlacementDay, "placement__student")),
    Section(
        "register_marks",
        "Register marks",
        _same(AttendanceMark, "placement_day__placement__student"),
    ),
    Section(
        "room_log",
        "Room behaviour log",
        _same(RoomLogEntry, "placement_day__placement__student"),
        "level",
    ),
    Section(
        "work", "Work for missed lessons", _same(WorkRequest, "placement_day__placement__student")
    ),
    Section("interviews", "Interviews", _same(Interview, "placement__student"), "level"),
    Section("discussions", "Records of discussions", _same(Discussion, "student"), "level"),
    Section(
        "concerns", "Safeguarding concerns", _same(Concern, "student"), child_protection_only=True
    ),
    Section(
        "concern_actions",
        "Actions on safeguarding concerns",
        _same(ConcernAction, "concern__student"),
        child_protection_only=True,
    ),
    Section("family_calls", "Calls to the family", _same(FamilyCall, "student")),
    Section("messages", "Letters and messages", _same(Message, "student")),
    Section("meetings", "Meetings", _same(Meeting, "student")),
    Section(
        "restorative_meetings",
        "Restorative meetings (the student's, or where they were the one harmed)",
        lambda student: RestorativeMeeting.objects.filter(
            models.Q(student=student) | models.Q(affected_student=student)
        ),
        "level",
    ),
    Section("interventions", "Interventions", _same(Intervention, "student")),
    Section(
        "intervention_reviews",
        "Reviews of interventions",
        _same(InterventionReview, "intervention__student"),
    ),
    Section("reviews", "Reviews of removals", _same(ReviewTask, "student")),
    Section("on_call", "On-call calls", _same(OnCallRequest, "students"), "outcome_level"),
    Section("sent_out", "Sent out of lessons", _same(SentOut, "student")),
    Section("sweep_findings", "Found out of lessons on sweeps", _same(SweepFinding, "student")),
    Section("watch_list", "Watch list", _same(WatchListEntry, "student")),
    Section("drop_ins", "Drop-ins", _same(DropIn, "entry__student"), "level"),
    Section("history", "Changes of these records", _same(StateChange, "student")),
)

# Models pointing at a student that a subject access request leaves out, and why (a test checks
# that every other model pointing at a student is in SECTIONS).
LEFT_OUT = {
    "sanctions.incidentstudent": "in incidents",
    "school.studentguardian": "in guardians",
    "school.enrolment": "the student's classes, from the MIS: shown on the student's page",
    "school.teachingclass": "the student's classes, from the MIS",
}


@dataclass
class Record:
    """One row: its fields as text (in the order the model declares them) and the third
    parties' names in it, marked for redaction."""

    id: int
    fields: dict[str, Any]
    redact: list[str] = field(default_factory=list)


@dataclass
class SubjectAccess:
    student: Student
    levels: tuple[str, ...]
    generated_at: dt.datetime
    personal: dict[str, Any]
    sections: list[tuple[Section, list[Record]]]
    reads: list[dict[str, Any]]
    third_parties: list[str]

    @property
    def record_count(self) -> int:
        return sum(len(records) for _, records in self.sections)

    def as_json(self) -> dict[str, Any]:
        return {
            "student": self.personal,
            "generated_at": self.generated_at.isoformat(),
            "levels_released": list(self.levels),
            "marked_for_redaction": self.third_parties,
            "records": {
                section.key: [{"id": r.id, "fields": r.fields, "redact": r.redact} for r in records]
                for section, records in self.sections
            },
            "reads_of_records": self.reads,
        }


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _plain(value) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


class _Names:
    """Other students' names, found in free text by one regular expression."""

    def __init__(self, student: Student):
        names: set[str] = set()
        others = Student.objects.exclude(pk=student.pk).values_list(
            "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name"
        )
        for legal_first, legal_last, first, last in others:
            names.add(f"{legal_first} {legal_last}")
            names.add(f"{first or legal_first} {last or legal_last}")
        own = {f"{student.legal_first_name} {student.legal_last_name}", student.name}
        names -= own
        ordered = sorted((n for n in names if n.strip()), key=len, reverse=True)
        self.pattern = (
            re.compile(r"\b(" + "|".join(re.escape(n) for n in ordered) + r")\b", re.IGNORECASE)
            if ordered
            else None
        )

    def found_in(self, texts: list[str]) -> list[str]:
        if self.pattern is None:
            return []
        return sorted({m.group(0) for text in texts for m in self.pattern.finditer(text)})


def _record(row, model, student: Student, names: _Names) -> Record:
    fields: dict[str, Any] = {}
    redact: set[str] = set()
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in SKIPPED_FIELDS:
            continue
        if f.is_relation:
            if f.related_model is Student and getattr(row, f.attname) == student.pk:
                continue  # the student themselves
            related = getattr(row, f.name)
            if isinstance(related, Student):
                if related.pk == student.pk:
                    continue
                redact.add(related.name)
                fields[f.name] = related.name
            elif related is not None and hasattr(related, "get_full_name"):
                fields[f.name] = _person(related)
            elif related is None:
                fields[f.name] = ""
            elif related._meta.label_lower in NAMED_BY_STR:
                fields[f.name] = str(related)
            else:
                # Another record of the request (a placement, a referral): named by its kind
                # and id, which its own section lists, without a query per row.
                fields[f.name] = f"{related._meta.verbose_name} {related.pk}"
            continue
        value = getattr(row, f.name)
        if f.choices and value not in (None, ""):
            value = getattr(row, f"get_{f.name}_display")()
        fields[f.name] = _plain(value)
    # Other students named by the record (an incident or a call about several students).
    if hasattr(row, "_other_students"):
        others = [s.name for s in row._other_students]
        fields["other_students"] = others
        redact.update(others)
    texts = _strings(list(fields.values()))
    redact.update(names.found_in(texts))
    return Record(id=row.pk, fields=fields, redact=sorted(redact))


def _rows(section: Section, student: Student, levels: tuple[str, ...], hidden: dict) -> list:
    model = section.rows(student).model
    queryset = section.rows(student).distinct()
    relations = [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.name not in SKIPPED_FIELDS
    ]
    queryset = queryset.select_related(*relations)
    if section.level_field:
        hidden_ids = list(
            queryset.exclude(**{f"{section.level_field}__in": levels}).values_list("pk", flat=True)
        )
        hidden[model._meta.label_lower] = {str(pk) for pk in hidden_ids}
        queryset = queryset.filter(**{f"{section.level_field}__in": levels})
    rows = list(queryset.order_by("pk"))
    student_m2m = [
        f.name
        for f in model._meta.many_to_many
        if f.related_model is Student and f.name == "students"
    ]
    if student_m2m:
        through = model.students.through
        fk = next(
            f.name
            for f in through._meta.concrete_fields
            if f.is_relation and f.related_model is model
        )
        others: dict[int, list[Student]] = {}
        for link in (
            through.objects.filter(**{f"{fk}__in": rows})
            .exclude(student=student)
            .select_related("student")
        ):
            others.setdefault(getattr(link, f"{fk}_id"), []).append(link.student)
        for row in rows:
            row._other_students = others.get(row.pk, [])
    return rows


def subject_access(student: Student, *, levels: tuple[str, ...]) -> SubjectAccess:
    """Everything held about `student` at `levels`, each other student's name marked for
    redaction; child-protection-only kinds only when that level is released. One query per
    kind of record (two for those with a level or other students), plus three."""
    names = _Names(student)
    child_protection = Level.CHILD_PROTECTION in levels
    hidden: dict[str, set[str]] = {}
    sections: list[tuple[Section, list[Record]]] = []
    for section in SECTIONS:
        if section.child_protection_only and not child_protection:
            continue
        if section.key == "history":
            continue
        model = section.rows(student).model
        rows = _rows(section, student, levels, hidden)
        sections.append((section, [_record(row, model, student, names) for row in rows]))
    # The history of records released, not of those held back.
    history_section = next(s for s in SECTIONS if s.key == "history")
    changes = StateChange.objects.filter(student=student).select_related("by").order_by("at", "pk")
    if not child_protection:
        changes = changes.exclude(object_type__in=CHILD_PROTECTION_ONLY)
    history = [
        _record(change, StateChange, student, names)
        for change in changes
        if change.object_id not in hidden.get(change.object_type, set())
    ]
    sections.append((history_section, history))
    reads = [
        {
            "at": _plain(event.at),
            "who": event.username,
            "what": event.get_action_display(),
            "page": str(event.detail.get("page", "")),
        }
        for event in AuditEvent.objects.filter(
            object_type="school.student", object_id=str(student.pk)
        ).order_by("at", "pk")
    ]
    personal = {
        f.name: _plain(
            getattr(student, f"get_{f.name}_display")() if f.choices else getattr(student, f.name)
        )
        for f in Student._meta.concrete_fields
        if not f.is_relation and f.name not in SKIPPED_FIELDS
    }
    personal["year_group"] = str(student.year_group)
    personal["form"] = str(student.form) if student.form_id else ""
    third_parties = sorted({name for _, records in sections for r in records for name in r.redact})
    return SubjectAccess(
        student=student,
        levels=levels,
        generated_at=timezone.localtime(clock.now()),
        personal=personal,
        sections=sections,
        reads=reads,
        third_parties=third_parties,
    )
