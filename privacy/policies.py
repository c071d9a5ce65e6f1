"""Who may answer a subject access request, correct a record, and at which levels
(docs/security.md)."""

from conduct.roles import Role, has_role
from pastoral.models import Level
from school import policies as school_policies


def can_request_subject_access(user) -> bool:
    """Compile a student's subject access request: the data manager, who answers requests for
    the school, and the DSL, who alone may release child-protection records."""
    return has_role(user, Role.ADMIN, Role.DSL)


def releasable_levels(user) -> tuple[str, ...]:
    """The confidentiality levels `user` may release in a subject access request: child
    protection only by the DSL (who decides what would harm the child if released)."""
    if has_role(user, Role.DSL):
        return (Level.STAFF, Level.PASTORAL, Level.CHILD_PROTECTION)
    if has_role(user, Role.ADMIN):
        return (Level.STAFF, Level.PASTORAL)
    return ()


def can_correct_records(user) -> bool:
    """Correct a record (rectification): the data manager and senior leaders, who own the
    accuracy of the school's records, and the DSL."""
    return has_role(user, Role.ADMIN, Role.SLT, Role.DSL)


def can_correct_record_of(user, student, level: str = Level.STAFF) -> bool:
    """Correct a record about `student` at `level`: one who may correct records and read it."""
    if not can_correct_records(user):
        return False
    if level == Level.CHILD_PROTECTION:
        return has_role(user, Role.DSL)
    return school_policies.can_view_student_sensitive(user, student)
