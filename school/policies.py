"""Who may do what with the school's data: one named predicate per action, and the year scope
of pastoral staff that every app's policies and selectors ask."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from conduct.roles import Role, has_role, roles_of
from school.models import Student
from school.selectors import people as school_people

# Every role works with students; a signed-in account with no role sees nothing.
STUDENT_READERS = tuple(Role.values)


SENSITIVE_READERS = (
    Role.CONDUCT,
    Role.PASTORAL,
    Role.SLT,
    Role.DSL,
    Role.ADMIN,
    Role.ATTENDANCE,
    # The SENCO reads SEN details (and so the other sensitive details) for the whole school.
    Role.SENCO,
)


# ---- the year scope: the one place that says which students a role reaches --------------------
#
# Pastoral staff (heads of year, year managers) act for their year groups only: the year they
# lead (YearGroup.head_of_year), the years the data manager assigns them (Staff.year_groups), or
# every year when the school widens them (Staff.whole_school). Every other role reaches the whole
# school. A person holding several roles reaches a student when any role that grants the power
# does: a head of year 9 who also teaches may refer a Year 11 student from their class (as a
# teacher), but may not approve that referral, nor read that student's needs (as pastoral staff).

YEAR_SCOPED_ROLES = frozenset({Role.PASTORAL})


def pastoral_year_ids(user) -> frozenset[int] | None:
    """The year groups `user`'s pastoral role reaches; None means every year. Read once per user
    object."""
    if not hasattr(user, "_conduct_year_ids"):
        user._conduct_year_ids = school_people.pastoral_year_ids(user)
    years: frozenset[int] | None = user._conduct_year_ids
    return years


def in_scope(user, student: Student) -> bool:
    """Whether `student` is in one of `user`'s pastoral years (always, for a whole-school role)."""
    years = pastoral_year_ids(user)
    return years is None or student.year_group_id in years


def reaches(user, student: Student, roles: Iterable[str]) -> bool:
    """Whether one of `roles` that `user` holds reaches `student`: any whole-school role does; the
    pastoral role does for the student's year only."""
    return reaches_year(user, student.year_group_id, roles)


def reaches_year(user, year_group_id: int, roles: Iterable[str]) -> bool:
    """`reaches` for a student known only by their year group (a row read as values)."""
    granting = roles_of(user) & set(roles)
    if not granting:
        return False
    if granting - YEAR_SCOPED_ROLES:
        return True
    years = pastoral_year_ids(user)
    return years is None or year_group_id in years


def scope_q(user, roles: Iterable[str], path: str = "") -> Q:
    """The filter for rows whose student (at `path`, e.g. "student__") one of `roles` that `user`
    holds reaches: everything, their years' students, or nothing."""
    granting = roles_of(user) & set(roles)
    if not granting:
        return Q(pk__in=[])
    if granting - YEAR_SCOPED_ROLES:
        return Q()
    years = pastoral_year_ids(user)
    if years is None:
        return Q()
    return Q(**{f"{path}year_group_id__in": years})


def scope_students(user, queryset: QuerySet, roles: Iterable[str], path: str = "") -> QuerySet:
    """`queryset` cut to the rows whose student (at `path`) one of `roles` that `user` holds
    reaches; no rows when `user` holds none of them."""
    return queryset.filter(scope_q(user, roles, path))


def is_year_scoped(user, roles: Iterable[str]) -> bool:
    """Whether what `roles` grant `user` is cut to some year groups (for a page to say so)."""
    granting = roles_of(user) & set(roles)
    return (
        bool(granting) and not granting - YEAR_SCOPED_ROLES and pastoral_year_ids(user) is not None
    )


def one_year_scope(user, roles: Iterable[str]) -> int | None:
    """The one year group `scope_q(user, roles)` cuts to, when it cuts to exactly one (a head
    of year's: for a read compiled with the year as an argument, `conduct.lib.compiled`)."""
    if not is_year_scoped(user, roles):
        return None
    years = pastoral_year_ids(user) or frozenset()
    return next(iter(years)) if len(years) == 1 else None


# ---- students ------------------------------------------------------------------------------------


def can_view_students(user) -> bool:
    """The student list (cut to the students `user` reaches: `scope_students`)."""
    return has_role(user, *STUDENT_READERS)


def can_view_student(user, student: Student) -> bool:
    """A student's page."""
    return reaches(user, student, STUDENT_READERS)


def students_in_scope(user, queryset: QuerySet, path: str = "") -> QuerySet:
    """The students (or rows about them) `user` may see at all."""
    return scope_students(user, queryset, STUDENT_READERS, path)


def can_view_student_sensitive(user, student: Student | None = None) -> bool:
    """SEN, FSM, pupil premium, ethnicity, looked-after and guardians' contact details: of
    `student`, or (without one) of some student, to decide whether a page has such a column."""
    if student is None:
        return has_role(user, *SENSITIVE_READERS)
    return reaches(user, student, SENSITIVE_READERS)


def sensitive_in_scope(user, queryset: QuerySet, path: str = "") -> QuerySet:
    """The rows whose student's sensitive details `user` may see."""
    return scope_students(user, queryset, SENSITIVE_READERS, path)


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
