"""Who may do what with the school's data: one named predicate per action."""

from conduct.roles import Role, has_role

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


def can_open_school_settings(user) -> bool:
    """The Django admin site, where the data manager configures the school."""
    return has_role(user, Role.ADMIN)


def can_see_school_summary(user) -> bool:
    """Students on roll per year with SEN / FSM / PP / EAL / looked-after counts."""
    return has_role(user, Role.SLT, Role.DSL, Role.CONDUCT, Role.ATTENDANCE)


def can_see_own_years(user) -> bool:
    """A head of year's own year groups on their home page."""
    return has_role(user, Role.PASTORAL)


def can_see_own_lessons(user) -> bool:
    """The lessons a person teaches today, on their home page."""
    return has_role(user, Role.TEACHER, Role.CURRICULUM, Role.PASTORAL)


def can_see_data_status(user) -> bool:
    """How much of the school is loaded, and the last import."""
    return can_import_roster(user)
