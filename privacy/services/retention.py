"""The retention schedule applied: what is past the school's period is anonymised or deleted,
and a student who left long ago is removed with their whole history (docs/security.md)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, ProtectedError

from audit.models import AuditEvent, StateChange
from audit.services import audit_record
from conduct.lib import clock
from notify.models import Message
from pastoral.models import (
    Concern,
    Discussion,
    FamilyCall,
    Intervention,
    Meeting,
    RestorativeMeeting,
    ReviewTask,
)
from patrol.models import DropIn, OnCallRequest, SentOut, SweepFinding, WatchListEntry
from privacy.models import RetentionRule
from sanctions.models import (
    AttendanceMark,
    Incident,
    IncidentStudent,
    Placement,
    Referral,
    RoomLogEntry,
)
from school.models import Guardian, Student

IRMS = "IRMS Information Management Toolkit for Schools"
NO_SOURCE = "No published period found: Conduct's choice, for the school to confirm"

# The schedule a school starts with. docs/security.md gives each period's source, or says
# plainly that none was found; migration 0003 moved schools still on the first defaults here.
DEFAULTS: dict[str, dict] = {
    RetentionRule.Kind.STUDENT: {
        "keep_years": 25,
        "counted_from": RetentionRule.Counted.BIRTH,
        "action": RetentionRule.Action.DELETE,
        "source": f"{IRMS}: a secondary school's pupil record and child protection files, date "
        "of birth + 25 years, then review (the dry run is the review)",
    },
    RetentionRule.Kind.REGISTER: {
        "keep_years": 6,
        "counted_from": RetentionRule.Counted.RECORD,
        "action": RetentionRule.Action.DELETE,
        "source": "School Attendance (Pupil Registration) (England) Regulations 2024: every "
        "attendance register entry kept 6 years (3 under the 2006 Regulations the older IRMS "
        "toolkit cites); the room register is kept like the school's",
    },
    RetentionRule.Kind.PATROL: {
        "keep_years": 3,
        "counted_from": RetentionRule.Counted.RECORD,
        "action": RetentionRule.Action.ANONYMISE,
        "source": f"{NO_SOURCE}. Incidents and placements that come of a call stay with the "
        "pupil record",
    },
    RetentionRule.Kind.MESSAGES: {
        "keep_years": 3,
        "counted_from": RetentionRule.Counted.RECORD,
        "action": RetentionRule.Action.DELETE,
        "source": f"{NO_SOURCE}. A letter that belongs on the pupil record (a suspension) "
        "is kept there too",
    },
}


def retention_schedule_ensure(*, by=None) -> list[RetentionRule]:
    """The school's schedule, with the defaults for every kind it has not set (idempotent)."""
    for kind, values in DEFAULTS.items():
        RetentionRule.objects.get_or_create(
            kind=kind, defaults={**values, "updated_by": by, "updated_at": clock.now()}
        )
    return list(RetentionRule.objects.order_by("kind"))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class Step:
    """What one rule does (or would do): the counts by kind of row, and refusals."""

    kind: str
    action: str
    cutoff: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    students: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, what: str, n: int) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n


def students_past(rule: RetentionRule, today: dt.date):
    """Students who have left and are past the rule's period."""
    cutoff = _years_before(today, rule.keep_years)
    students = Student.objects.filter(left_on__isnull=False)
    if rule.counted_from == RetentionRule.Counted.BIRTH:
        return students.filter(date_of_birth__lt=cutoff)
    return students.filter(left_on__lt=cutoff)


def _erase_counts(student: Student) -> dict[str, int]:
    counts = {
        "incidents": IncidentStudent.objects.filter(student=student).count(),
        "referrals": Referral.objects.filter(student=student).count(),
        "placements": Placement.objects.filter(student=student).count(),
        "discussions": Discussion.objects.filter(student=student).count(),
        "concerns": Concern.objects.filter(student=student).count(),
        "restorative meetings": RestorativeMeeting.objects.filter(student=student).count(),
        "messages": Message.objects.filter(student=student).count(),
        "on-call calls": OnCallRequest.objects.filter(students=student).count(),
        "sent out": SentOut.objects.filter(student=student).count(),
        "watch list": WatchListEntry.objects.filter(student=student).count(),
        "history rows": StateChange.objects.filter(student=student).count(),
    }
    return {k: v for k, v in counts.items() if v}


def student_erase(*, student: Student, by=None) -> dict[str, int]:
    """Delete `student` and every record about them, in the order the database's protections
    need (one transaction); an incident or on-call call shared with other students stays
    theirs, without this student. Records the removal in the audit log."""
    counts = _erase_counts(student)
    label = f"Student #{student.pk} (removed under the retention schedule)"
    with transaction.atomic():
        DropIn.objects.filter(entry__student=student).delete()
        WatchListEntry.objects.filter(student=student).delete()
        SweepFinding.objects.filter(student=student).delete()
        SentOut.objects.filter(student=student).delete()
        calls = list(OnCallRequest.objects.filter(students=student).values_list("pk", flat=True))
        OnCallRequest.students.through.objects.filter(student=student).delete()
        alone = OnCallRequest.objects.filter(pk__in=calls).annotate(n=Count("students"))
        OnCallRequest.objects.filter(
            pk__in=list(alone.filter(n=0).values_list("pk", flat=True))
        ).delete()
        Intervention.objects.filter(student=student).delete()
        ReviewTask.objects.filter(student=student).delete()
        Meeting.objects.filter(student=student).delete()
        RestorativeMeeting.objects.filter(student=student).delete()
        FamilyCall.objects.filter(student=student).delete()
        Discussion.objects.filter(student=student).delete()
        Concern.objects.filter(student=student).delete()
        Message.objects.filter(student=student).delete()
        Placement.objects.filter(student=student).delete()
        incidents = list(
            IncidentStudent.objects.filter(student=student).values_list("incident_id", flat=True)
        )
        Referral.objects.filter(student=student).delete()
        IncidentStudent.objects.filter(student=student).delete()
        orphans = Incident.objects.filter(pk__in=incidents, referrals__isnull=True).annotate(
            n=Count("students")
        )
        Incident.objects.filter(
            pk__in=list(orphans.filter(n=0).values_list("pk", flat=True))
        ).delete()
        guardians = list(Guardian.objects.filter(students=student).values_list("pk", flat=True))
        AuditEvent.objects.filter(object_type="school.student", object_id=str(student.pk)).update(
            object_repr=label
        )
        pk = student.pk
        student.delete()
        Guardian.objects.filter(pk__in=guardians, students__isnull=True).delete()
        audit_record(
            user=by,
            action=AuditEvent.Action.CHANGE,
            object_type="school.student",
            detail={"retention": "student removed", "student_id": pk, "records": counts},
        )
    return counts


def _register(rule: RetentionRule, cutoff: dt.date, step: Step, apply: bool) -> None:
    marks = AttendanceMark.objects.filter(placement_day__date__lt=cutoff)
    log = RoomLogEntry.objects.filter(placement_day__date__lt=cutoff)
    step.add("register marks", marks.count())
    step.add("room log entries", log.count())
    if apply:
        marks.delete()
        log.delete()


def _patrol(rule: RetentionRule, cutoff: dt.date, step: Step, apply: bool) -> None:
    calls = OnCallRequest.objects.filter(raised_at__date__lt=cutoff)
    sent_out = SentOut.objects.filter(sent_at__date__lt=cutoff)
    findings = SweepFinding.objects.filter(found_at__date__lt=cutoff)
    drop_ins = DropIn.objects.filter(at__date__lt=cutoff)
    # Sent out, sweep findings and drop-ins are about one student each: deleted either way.
    step.add("students sent out", sent_out.count())
    step.add("sweep findings", findings.count())
    step.add("drop-ins", drop_ins.count())
    if rule.action == RetentionRule.Action.ANONYMISE:
        named = calls.filter(students__isnull=False).distinct()
        step.add("on-call calls anonymised", named.count())
        if apply:
            ids = list(named.values_list("pk", flat=True))
            OnCallRequest.students.through.objects.filter(oncallrequest_id__in=ids).delete()
            OnCallRequest.objects.filter(pk__in=ids).update(note="", outcome_note="")
    else:
        step.add("on-call calls", calls.count())
        if apply:
            calls.delete()
    if apply:
        sent_out.delete()
        findings.delete()
        drop_ins.delete()


def _messages(rule: RetentionRule, cutoff: dt.date, step: Step, apply: bool) -> None:
    messages = Message.objects.filter(created_at__date__lt=cutoff)
    calls = FamilyCall.objects.filter(called_at__date__lt=cutoff)
    if rule.action == RetentionRule.Action.ANONYMISE:
        named = messages.exclude(student=None)
        step.add("messages anonymised", named.count())
        if apply:
            named.update(student=None, body="", body_html="", subject="", address="")
    else:
        step.add("messages", messages.count())
        if apply:
            messages.delete()
    step.add("calls home", calls.count())
    if apply:
        calls.delete()


APPLY_KIND: dict[str, Callable[[RetentionRule, dt.date, Step, bool], None]] = {
    RetentionRule.Kind.REGISTER: _register,
    RetentionRule.Kind.PATROL: _patrol,
    RetentionRule.Kind.MESSAGES: _messages,
}


def retention_apply(*, apply: bool, by=None, today: dt.date | None = None) -> list[Step]:
    """Each rule of the schedule: what is past its period (`apply` False: only counted), and,
    with `apply`, anonymised or deleted, each rule in its own transaction and in the audit
    log."""
    today = today or clock.today()
    steps = []
    for rule in retention_schedule_ensure(by=by):
        cutoff = _years_before(today, rule.keep_years)
        step = Step(kind=rule.kind, action=rule.action, cutoff=cutoff)
        if rule.kind == RetentionRule.Kind.STUDENT:
            for student in students_past(rule, today).order_by("pk"):
                step.students.append(f"#{student.pk} {student.name} (left {student.left_on})")
                if apply:
                    try:
                        counts = student_erase(student=student, by=by)
                    except ProtectedError as error:
                        kinds = sorted({str(o._meta.verbose_name) for o in error.protected_objects})
                        step.problems.append(
                            f"#{student.pk} not removed: {', '.join(kinds)} still point at them"
                        )
                        continue
                    for what, n in counts.items():
                        step.add(what, n)
                    step.add("students removed", 1)
                else:
                    for what, n in _erase_counts(student).items():
                        step.add(what, n)
                    step.add("students to remove", 1)
        else:
            with transaction.atomic():
                APPLY_KIND[rule.kind](rule, cutoff, step, apply)
                if apply and step.counts:
                    audit_record(
                        user=by,
                        action=AuditEvent.Action.CHANGE,
                        object_type="privacy.retentionrule",
                        detail={
                            "retention": rule.kind,
                            "action": rule.action,
                            "before": cutoff.isoformat(),
                            "counts": step.counts,
                        },
                    )
        steps.append(step)
    return steps
