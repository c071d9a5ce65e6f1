"""Who may see interviews."""

from conduct.roles import Role, has_role
from school import policies as school_policies


def can_view_interviews(user, student) -> bool:
    """A student's interviews show on their behaviour timeline, which only those who may see the
    student's sensitive details see (pastoral staff: their years')."""
    return school_policies.can_view_student_sensitive(user, student)


def can_hold_interviews(user) -> bool:
    """The entry and exit interviews to do (home page): those who run the rooms and pastoral
    staff, who hold them."""
    return has_role(user, Role.CONDUCT, Role.PASTORAL, Role.SLT)
