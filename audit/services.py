"""Writing the audit log and the history of state changes."""

from django.db import models

from audit.models import AuditEvent, StateChange
from conduct.lib import clock


def client_ip(request) -> str | None:
    # Behind a reverse proxy set by the school, the first forwarded address is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    request=None,
    user=None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit event: who (from the request or `user`), what, which record, from where."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    event = AuditEvent(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        detail=detail or {},
    )
    if target is not None:
        event.object_type = target._meta.label_lower
        event.object_id = str(target.pk)
        event.object_repr = str(target)[:200]
    else:
        event.object_type = object_type
    if request is not None:
        event.ip_address = client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    event.save()
    return event


def history_record(
    *,
    target: models.Model,
    by,
    to: str,
    from_: str = "",
    note: str = "",
    field: str = "status",
    student=None,
    at=None,
) -> StateChange:
    """Keep one change of `target`'s state (in the caller's transaction): who did it, from what
    to what. `by` is the account that acted, or None for the system (e.g. escalation by the
    clock); `student` is who the record is about, for their timeline."""
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return StateChange.objects.create(
        at=at or clock.now(),
        by=user,
        username=user.get_username() if user else "",
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        student=student,
        field=field,
        from_value=str(from_ or "")[:40],
        to_value=str(to)[:40],
        note=note,
    )
