"""Logins, failed logins and sign-outs go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
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


@receiver(user_logged_out, dispatch_uid="audit.signed_out")
def _signed_out(sender, request, user, **kwargs):
    # No sign-out action of its own yet (the audit log's actions are a migration away): a change
    # of the account's session, which the log shows as "Changed" with the detail below.
    if user is None:
        return
    audit_record(
        request=request,
        user=user,
        action=AuditEvent.Action.CHANGE,
        object_type="auth.session",
        detail={"event": "signed out"},
    )
