"""Who may see interviews."""

from school import policies as school_policies


def can_view_interviews(user, student) -> bool:
    """A student's interviews show on their behaviour timeline, which only those who may see the
    student's sensitive details see (pastoral staff: their years')."""
    return school_policies.can_view_student_sensitive(user, student)
