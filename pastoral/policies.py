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


# Those who phone families and log it: the officer who runs the rooms, pastoral staff (their
# years' students), SLT and the DSL.
FAMILY_CONTACT_ROLES = (Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL)


def can_contact_families(user) -> bool:
    """Whether `user` phones families at all (the "not told today" list on the home page)."""
    return has_role(user, *FAMILY_CONTACT_ROLES)


def can_log_family_call(user, student) -> bool:
    """Log a phone call to `student`'s family, or draft them a note home: pastoral staff for
    their years' students only."""
    return school_policies.reaches(user, student, FAMILY_CONTACT_ROLES)


def families_in_scope(user, queryset, path: str = ""):
    """Rows (at `path` the student) whose family `user` may contact."""
    return school_policies.scope_students(user, queryset, FAMILY_CONTACT_ROLES, path)


def can_own_interventions(user) -> bool:
    """Whether `user` may own interventions and sees the reviews due on their home page."""
    return has_role(user, Role.PASTORAL, Role.CONDUCT, Role.SLT, Role.DSL)


# ---- reviews (pastoral/services/reviews.py) -------------------------------------------------


def can_see_review_tasks(user) -> bool:
    """Whether a home page may carry reviews to do: those a review can be for."""
    return has_role(user, Role.PASTORAL, Role.SENCO, Role.SLT, Role.CURRICULUM, Role.DSL)


def can_act_on_review_task(user, task) -> bool:
    """A review is for the person it names (a head of year, of department), for everyone in its
    role (SENCO, SLT), and SLT and the DSL may see them all; pastoral staff only for their years'
    students."""
    if not can_see_review_tasks(user):
        return False
    if task.student is not None and not school_policies.reaches(
        user, task.student, (Role.PASTORAL, Role.SENCO, Role.SLT, Role.DSL)
    ):
        return False
    if has_role(user, Role.SLT, Role.DSL):
        return True
    if task.assigned_to is not None and task.assigned_to.user_id == user.pk:
        return True
    if task.for_whom == "senco":
        return has_role(user, Role.SENCO)
    if task.for_whom == "head_of_year" and task.assigned_to_id is None:
        return has_role(user, Role.PASTORAL)
    return False
