"""Who may read the audit log."""

from conduct.roles import Role, has_role


def can_view_audit_log(user) -> bool:
    """The data manager, senior leaders and the DSL: who read or changed children's records."""
    return has_role(user, Role.ADMIN, Role.SLT, Role.DSL)
