"""Reading the audit log and the history of state changes."""

from django.db import models
from django.db.models import QuerySet

from audit.models import AuditEvent, StateChange


def audit_events(*, who: str = "") -> QuerySet[AuditEvent]:
    """Audit events newest first, optionally for usernames containing `who`."""
    events = AuditEvent.objects.all()
    if who:
        events = events.filter(username__icontains=who)
    return events


def history_of(target: models.Model) -> QuerySet[StateChange]:
    """Every state change of one record, oldest first."""
    return StateChange.objects.filter(
        object_type=target._meta.label_lower, object_id=str(target.pk)
    ).order_by("at", "pk")


def history_for_student(student_id: int) -> QuerySet[StateChange]:
    """Every state change of records about one student, newest first."""
    return StateChange.objects.filter(student_id=student_id).select_related("by__staff")


def state_changes(*, who: str = "") -> QuerySet[StateChange]:
    """State changes newest first, optionally by usernames containing `who`."""
    changes = StateChange.objects.all()
    if who:
        changes = changes.filter(username__icontains=who)
    return changes
