"""Logins and failed logins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(request=request, user=user, action=AuditEvent.Action.LOGIN)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        request=request,
        action=AuditEvent.Action.LOGIN_FAILED,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )
