"""Who may see work requests."""

from conduct.roles import Role, has_role
from school import policies as school_policies


def can_view_work_requests(user) -> bool:
    """A placement's work requests show on its room's register (screen and PDF): the people who
    run the rooms and those who may see students' needs."""
    return has_role(user, Role.CONDUCT, Role.SLT) or school_policies.can_view_student_sensitive(
        user
    )
