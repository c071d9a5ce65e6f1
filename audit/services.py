"""Writing the audit log and the history of state changes."""

import functools
import ipaddress

from django.conf import settings
from django.db import models

from audit.models import AuditEvent, StateChange
from conduct.lib import clock


def client_ip(request) -> str | None:
    """The address a request came from, as an IP address or None; never the text of a header.

    X-Forwarded-For is read only when the request comes from one of TRUSTED_PROXIES (the
    school's own reverse proxies): walking it from the right, the first address that is not a
    trusted proxy is the client. A header from anyone else, or a value that is not an address
    ("unknown"), is ignored and REMOTE_ADDR is used."""
    address = _ip_or_none(request.META.get("REMOTE_ADDR"))
    if address is None or not _is_trusted_proxy(address):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        forwarded = _ip_or_none(hop)
        if forwarded is None:
            break  # a proxy passed on something that is not an address: trust no further
        address = forwarded
        if not _is_trusted_proxy(forwarded):
            break
    return address


def _ip_or_none(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value or "").strip()))
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted_proxy(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


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
