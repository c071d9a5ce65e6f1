"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and single-use recovery codes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import policies
from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib.errors import ActionRefused

RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def has_two_factor(user) -> bool:
    """Whether the account has a confirmed authenticator app (two queries at most)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_start(*, user) -> TOTPDevice:
    """The authenticator app being set up: a new secret, not yet confirmed (one per account;
    a fresh one each time the page is opened until it is confirmed)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def two_factor_pending(*, user) -> TOTPDevice | None:
    """The app being set up and not yet confirmed, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_confirm(*, user, token: str, request) -> list[str]:
    """Confirm the app being set up with a code it shows; replaces any earlier app, marks this
    session as verified, and returns new recovery codes (shown once)."""
    token = "".join(str(token).split())
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ActionRefused("Start again: open the set-up page to get a new code to scan.")
    if not token.isdigit() or not device.verify_token(token):
        raise ValidationError(
            {"token": "That code does not match. Enter the 6 digits the app shows now."}
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_record(request=request, user=user, action=AuditEvent.Action.TWO_FACTOR_ON)
    otp_login(request, device)
    return codes


def two_factor_verify(*, user, token: str, request):
    """Check a code from the app, or a recovery code (each works once), at sign-in; marks the
    session as verified. A wrong code is refused and written to the audit log."""
    token = "".join(str(token).split()).lower()
    waiting = False
    # Six digits are the app's code; anything else is a recovery code. Each is checked only
    # against its own kind, so a recovery code does not count as a wrong app code.
    kind = TOTPDevice if token.isdigit() else StaticDevice
    devices = [
        d for d in devices_for_user(user, confirmed=True, for_verify=True) if isinstance(d, kind)
    ]
    for device in devices:
        waiting = waiting or not device.verify_is_allowed()[0]
        if device.verify_token(token):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                audit_record(
                    request=request, user=user, action=AuditEvent.Action.RECOVERY_CODE_USED
                )
            return device
    audit_record(
        request=request,
        user=user,
        action=AuditEvent.Action.TWO_FACTOR_FAILED,
        detail={"username": user.get_username()},
    )
    if waiting:
        # django-otp doubles the wait after each wrong code, per device.
        raise ValidationError({"token": "Too many wrong codes: wait a minute, then try again."})
    raise ValidationError({"token": "That code does not match. Try the code the app shows now."})


def recovery_codes_renew(*, user, request) -> list[str]:
    """New recovery codes in place of the old ones (which stop working)."""
    if not has_two_factor(user):
        raise ActionRefused("Set up an authenticator app first.")
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_record(request=request, user=user, action=AuditEvent.Action.RECOVERY_CODES_NEW)
    return codes


def two_factor_remove(*, user, request) -> None:
    """Turn two-factor sign-in off, for someone whose role does not need it."""
    if policies.must_use_two_factor(user):
        raise ActionRefused("Your role needs two-factor sign-in: it can't be turned off.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(request=request, user=user, action=AuditEvent.Action.TWO_FACTOR_OFF)
    request.session.pop("two_factor_due", None)
