"""Rectification: correcting a record's text or a student's details, the old text and the
reason kept as a history row (audit.StateChange) that the record's page shows."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEvent
from audit.selectors import CORRECTED
from audit.services import audit_record, history_record
from pastoral.models import Discussion, Interview, Level
from sanctions.models import Incident
from school.models import Guardian, Student


@dataclass(frozen=True)
class Correctable:
    model: Any  # a model class with its default manager
    title: str
    fields: dict[str, str]  # field name -> label
    only: tuple[tuple[str, Any], ...] = ()  # which rows of the model are of this kind


CORRECTABLE: dict[str, Correctable] = {
    "incident": Correctable(
        Incident, "Incident", {"description": "What happened", "location": "Where"}
    ),
    "interview": Correctable(
        Interview,
        "Interview",
        {
            "student_account": "The student's account",
            "reflection": "The student's reflection",
            "targets": "Targets",
        },
    ),
    # The restorative answers of an exit interview are the student's and others' own words,
    # kept as asked; what staff wrote (the targets and the check-in) can be corrected.
    "exit-interview": Correctable(
        Interview,
        "Exit interview",
        {
            "targets": "Targets for the return",
            "check_in_when": "When the check-in is",
            "check_in_how": "How the check-in is",
        },
        only=(("kind", Interview.Kind.EXIT),),
    ),
    "discussion": Correctable(
        Discussion, "Record of a discussion", {"said": "What was said", "actions": "Actions"}
    ),
    "guardian": Correctable(
        Guardian,
        "Parent or carer's contact details",
        {
            "email": "Email",
            "mobile": "Mobile",
            "home_phone": "Home phone",
            "address": "Address",
            "postcode": "Postcode",
        },
    ),
    "student": Correctable(
        Student,
        "Student's details",
        {
            "legal_first_name": "Legal first name",
            "legal_last_name": "Legal last name",
            "preferred_first_name": "Preferred first name",
            "preferred_last_name": "Preferred last name",
        },
    ),
}


def correctable_record(kind: str, record_id: int):
    spec = CORRECTABLE[kind]
    return spec.model.objects.filter(pk=record_id, **dict(spec.only)).first()


def student_and_level(kind: str, record) -> tuple[Student | None, str]:
    """Who the record is about and its confidentiality level (a student's details and an
    incident: the staff level)."""
    if kind == "student":
        return record, Level.STAFF
    if kind in ("interview", "exit-interview"):
        return record.placement.student, record.level
    if kind == "discussion":
        return record.student, record.level
    if kind == "guardian":
        return record.students.order_by("pk").first(), Level.STAFF
    return record.students.order_by("pk").first(), Level.STAFF


def record_correct(*, kind: str, record, field: str, value: str, reason: str, by) -> None:
    """Change one field of `record` to `value`, keeping the old text and `reason` in its history
    (one transaction); a change to nothing new is refused."""
    spec = CORRECTABLE[kind]
    if field not in spec.fields:
        raise ValidationError({"field": "Choose one of the listed fields"})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is corrected"})
    model_field: Any = spec.model._meta.get_field(field)
    value = value.strip() if isinstance(value, str) else value
    if not value and not model_field.blank:
        raise ValidationError({"value": "This cannot be empty"})
    if len(value) > (model_field.max_length or 10000):
        raise ValidationError({"value": f"At most {model_field.max_length or 10000} characters"})
    try:
        model_field.run_validators(value)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from error
    with transaction.atomic():
        locked = spec.model.objects.select_for_update().get(pk=record.pk)
        old = getattr(locked, field) or ""
        if old == value:
            raise ValidationError({"value": "That is what the record already says"})
        setattr(locked, field, value)
        locked.save(update_fields=[field])
        student, _ = student_and_level(kind, locked)
        history_record(
            target=locked,
            by=by,
            field=f"{CORRECTED}{field}",
            from_=old,
            to=value,
            note=f"{reason}\n\nWas:\n{old}",
            student=student,
        )
        audit_record(
            user=by,
            action=AuditEvent.Action.CHANGE,
            target=locked,
            detail={"page": "correct a record", "field": field, "reason": reason},
        )
    setattr(record, field, value)
