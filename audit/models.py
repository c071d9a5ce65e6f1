"""Who read or took what, and when: the record UK GDPR asks a school to keep."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    # Sign-ins and changes of who may sign in or do what: the "Sign-ins and accounts" view.
    ACCOUNT_ACTIONS = (
        "login",
        "login_failed",
        "locked_out",
        "unlocked",
        "password_changed",
        "password_reset_asked",
        "password_reset",
        "two_factor_on",
        "two_factor_off",
        "two_factor_failed",
        "recovery_code_used",
        "recovery_codes_new",
        "signed_out_idle",
        "account_created",
        "account_changed",
        "roles_changed",
        "password_set",
    )

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        IMPORT = "import", "Imported"
        CHANGE = "change", "Changed"
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Failed sign-in"
        LOCKED_OUT = "locked_out", "Signing in paused"
        UNLOCKED = "unlocked", "Unlocked sign-in"
        PASSWORD_CHANGED = "password_changed", "Changed own password"
        PASSWORD_RESET_ASKED = "password_reset_asked", "Asked for a password reset"
        PASSWORD_RESET = "password_reset", "Reset password by email"
        TWO_FACTOR_ON = "two_factor_on", "Set up two-factor sign-in"
        TWO_FACTOR_OFF = "two_factor_off", "Turned two-factor sign-in off"
        TWO_FACTOR_FAILED = "two_factor_failed", "Wrong two-factor code"
        RECOVERY_CODE_USED = "recovery_code_used", "Signed in with a recovery code"
        RECOVERY_CODES_NEW = "recovery_codes_new", "Made new recovery codes"
        SIGNED_OUT_IDLE = "signed_out_idle", "Signed out after idle time"
        ACCOUNT_CREATED = "account_created", "Made an account"
        ACCOUNT_CHANGED = "account_changed", "Changed an account"
        ROLES_CHANGED = "roles_changed", "Changed roles"
        PASSWORD_SET = "password_set", "Set someone's password"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the log still says who after an account is removed.
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.action} {self.object_repr}"


class StateChange(models.Model):
    """One change of a record's state: who moved it, when, from what to what (Saleor's order
    events). Referrals, placements, on-call requests, messages, duties and absences write one
    on every change; the student timeline and the audit view read them."""

    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the history still says who after an account is removed.
    username = models.CharField(max_length=150, blank=True)
    object_type = models.CharField(
        max_length=100, help_text="app_label.model, e.g. sanctions.referral"
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    student = models.ForeignKey(
        "school.Student",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="state_changes",
        help_text="The student the record is about, for their timeline",
    )
    field = models.CharField(max_length=40, default="status")
    from_value = models.CharField(max_length=40, blank=True)
    to_value = models.CharField(max_length=40)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        change = f"{self.from_value} → {self.to_value}" if self.from_value else self.to_value
        return f"{self.at:%d/%m/%Y %H:%M} {self.username or '—'} {self.object_type} {change}"
