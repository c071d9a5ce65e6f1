"""Who may manage other people's sign-in."""

from django.conf import settings

from conduct.roles import Role, has_role
from school import policies as school_policies


def can_manage_accounts(user) -> bool:
    """The data manager sees whose signing in is paused and lifts it."""
    return has_role(user, Role.ADMIN)


def must_use_two_factor(user) -> bool:
    """A second factor (an authenticator app's code) is required of everyone who may see a
    student's sensitive details (SEN, safeguarding context, parents' contacts), and of anyone
    who can open the Django admin, when CONDUCT_REQUIRE_2FA is on. Teachers and curriculum
    leads may choose it."""
    if not settings.CONDUCT_REQUIRE_2FA:
        return False
    return bool(
        school_policies.can_view_student_sensitive(user)
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


def idle_minutes(user) -> int:
    """How long a session may go unused before it ends: shorter for roles that see sensitive
    details (SESSION_IDLE_MINUTES_SENSITIVE) than for others (SESSION_IDLE_MINUTES)."""
    if school_policies.can_view_student_sensitive(user) or getattr(user, "is_staff", False):
        return settings.SESSION_IDLE_MINUTES_SENSITIVE
    return settings.SESSION_IDLE_MINUTES
