"""Who may do what with the school's data: one named predicate per action."""

from conduct.roles import Role, has_role, roles_of

# Every role works with students; a signed-in account with no role sees nothing.
STUDENT_READERS = tuple(Role.values)


def can_view_students(user) -> bool:
    return has_role(user, *STUDENT_READERS)


def can_view_student_sensitive(user) -> bool:
    """SEN, FSM, pupil premium, ethnicity, looked-after and guardians' contact details."""
    return has_role(
        user, Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL, Role.ADMIN, Role.ATTENDANCE
    )


def can_import_roster(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_view_audit_log(user) -> bool:
    return has_role(user, Role.ADMIN, Role.SLT, Role.DSL)


def has_any_role(user) -> bool:
    return bool(roles_of(user))
