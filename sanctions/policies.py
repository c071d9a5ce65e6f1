"""Who may refer, approve and run the rooms."""

from conduct.lib import clock
from conduct.roles import Role, has_role, roles_of
from notify import policies as notify_policies
from sanctions.models import Placement, Provision, Referral
from school import policies as school_policies
from school.models import Student
from school.policies import can_view_student_sensitive

REFERRERS = (Role.TEACHER, Role.PASTORAL, Role.CONDUCT, Role.SLT, Role.CURRICULUM, Role.DSL)


def can_refer(user) -> bool:
    return has_role(user, *REFERRERS)


def can_refer_student(user, student: Student) -> bool:
    """Refer this student: pastoral staff alone refer students in their years."""
    return school_policies.reaches(user, student, REFERRERS)


def can_approve(user, provision: Provision, student: Student) -> bool:
    """Decide (approve, amend, decline) a referral of `student` to `provision`: the provision's
    approver roles are school data (defaults: RR conduct, IE pastoral or SLT, ALD SLT), and
    pastoral staff decide for their years only."""
    return school_policies.reaches(user, student, provision.approver_roles)


def is_approver(user, provision: Provision) -> bool:
    """Holds one of `provision`'s approver roles (for some students, if year-scoped)."""
    return bool(roles_of(user) & set(provision.approver_roles))


def can_view_referral(user, referral: Referral) -> bool:
    """A referral is seen by those who may decide it, whoever made it, and those who run the
    rooms."""
    return can_view_referral_row(
        user,
        approver_roles=referral.provision.approver_roles,
        year_group_id=referral.student.year_group_id,
        requested_by_id=referral.requested_by_id,
    )


def can_view_referral_row(
    user, *, approver_roles, year_group_id: int, requested_by_id: int | None
) -> bool:
    """`can_view_referral` for a referral read as values: its provision's approver roles, its
    student's year group and who asked."""
    return (
        school_policies.reaches_year(user, year_group_id, approver_roles)
        or requested_by_id == user.pk
        or can_run_rooms(user)
    )


def can_change_placement(user, placement: Placement) -> bool:
    """Move or cancel a placement: those who may approve its provision for its student, and those
    who run the rooms."""
    return can_approve(user, placement.provision, placement.student) or can_run_rooms(user)


def can_run_rooms(user) -> bool:
    return has_role(user, Role.CONDUCT, Role.SLT)


def can_mark_day(user, day) -> bool:
    """Mark, log and fail on a room's register: those who run the rooms, on a day that has come
    (marks for a day ahead would reach the MIS as attendance)."""
    return can_run_rooms(user) and day <= clock.today()


def can_send_digest(user) -> bool:
    """Send or resend today's register digest to the staff from the register."""
    return can_run_rooms(user)


def can_view_own_students_out(user) -> bool:
    """A teacher's read-only list of their students out of their lessons today."""
    return has_role(user, Role.TEACHER)


def can_view_rooms(user) -> bool:
    """The rooms today with their places booked (home page), and each room's register."""
    return can_view_register(user)


def can_view_register(user) -> bool:
    """A room's register (and its PDF) shows reasons and needs: the conduct team and SLT, and
    those who may see students' needs (pastoral, DSL, attendance, the data manager)."""
    return can_run_rooms(user) or can_view_student_sensitive(user)


def can_read_register_line(user, year_group_id: int | None) -> bool:
    """A register's line (a placement day), by its student's year group, `user` may read:
    pastoral staff see their years'."""
    return school_policies.reaches_year(user, year_group_id, school_policies.SENSITIVE_READERS)


def can_export_marks(user) -> bool:
    """Attendance staff take the marks to the MIS; the conduct team and SLT may too."""
    return has_role(user, Role.ATTENDANCE, Role.CONDUCT, Role.SLT)


def can_view_pending_referrals(user) -> bool:
    """Every referral waiting for a decision, whoever decides it: those who run the rooms plan
    the coming days from them (and may open each one, `can_view_referral`)."""
    return can_run_rooms(user)


def can_check_family_letters(user) -> bool:
    """The family letters still to check for the coming days' placements (home page): those
    who run the rooms and may approve messages to parents."""
    return can_run_rooms(user) and notify_policies.can_approve_messages(user)
