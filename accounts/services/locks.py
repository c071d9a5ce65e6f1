"""Lifting a pause on signing in."""

from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import policies
from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib.errors import ActionRefused

KINDS = ("account", "address")


def lock_lift(*, kind: str, key: str, by, request=None) -> int:
    """Forget the failed sign-ins of a username or an address, so it may sign in again, and
    write who lifted it to the audit log. Returns how many failure records were removed."""
    if not policies.can_manage_accounts(by):
        raise ActionRefused("Only the data manager can unlock signing in.")
    if kind not in KINDS or not key or len(key) > 150:
        raise ValidationError({"key": "Choose a username or an address to unlock."})
    field = "username" if kind == "account" else "ip_address"
    with transaction.atomic():
        removed, _ = AccessAttempt.objects.filter(**{field: key}).delete()
        audit_record(
            request=request,
            user=by,
            action=AuditEvent.Action.UNLOCKED,
            detail={"username": key} if kind == "account" else {"address": key},
        )
    return removed


def lock_lift_for_user(*, user, request=None) -> int:
    """A password reset by email ends a pause on the account: whoever reset it holds the
    mailbox. The address's count is left alone."""
    removed, _ = AccessAttempt.objects.filter(username=user.get_username()).delete()
    return removed
