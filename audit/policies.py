"""Who may read the audit log."""

from conduct.roles import Role, has_role


def can_view_student_reads(user) -> bool:
    """Who has looked at one child's records (on their page): the DSL and the data manager."""
    return has_role(user, Role.DSL, Role.ADMIN)


def can_view_audit_log(user) -> bool:
    """The data manager, senior leaders and the DSL: who read or changed children's records."""
    return has_role(user, Role.ADMIN, Role.SLT, Role.DSL)
