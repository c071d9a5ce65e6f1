"""Who may manage other people's sign-in."""

from conduct.roles import Role, has_role


def can_manage_accounts(user) -> bool:
    """The data manager sees whose signing in is paused and lifts it."""
    return has_role(user, Role.ADMIN)
