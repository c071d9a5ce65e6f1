"""Who may see work requests."""

from conduct.roles import Role, has_role
from school import policies as school_policies


def can_view_work_requests(user) -> bool:
    """A placement's work requests show on its room's register (screen and PDF): the people who
    run the rooms and those who may see students' needs."""
    return has_role(user, Role.CONDUCT, Role.SLT) or school_policies.can_view_student_sensitive(
        user
    )


def can_chase_work(user) -> bool:
    """The lessons a placed student misses that have no work yet (home page): those who run
    the rooms chase the teachers."""
    return has_role(user, Role.CONDUCT, Role.SLT)
