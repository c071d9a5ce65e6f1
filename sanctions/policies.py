"""Who may refer, approve and run the rooms."""

from conduct.lib import clock
from conduct.roles import Role, has_role, roles_of
from sanctions.models import Placement, Provision, Referral
from school.policies import can_view_student_sensitive

REFERRERS = (Role.TEACHER, Role.PASTORAL, Role.CONDUCT, Role.SLT, Role.CURRICULUM, Role.DSL)


def can_refer(user) -> bool:
    return has_role(user, *REFERRERS)


def can_approve(user, provision: Provision) -> bool:
    """The provision's approver roles are school data (defaults: RR conduct, IE pastoral or SLT,
    ALD SLT)."""
    return bool(roles_of(user) & set(provision.approver_roles))


def can_view_referral(user, referral: Referral) -> bool:
    """A referral is seen by those who may decide it, whoever made it, and those who run the
    rooms."""
    return (
        can_approve(user, referral.provision)
        or referral.requested_by_id == user.pk
        or can_run_rooms(user)
    )


def can_change_placement(user, placement: Placement) -> bool:
    """Move or cancel a placement: those who may approve its provision, and those who run the
    rooms."""
    return can_approve(user, placement.provision) or can_run_rooms(user)


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


def can_export_marks(user) -> bool:
    """Attendance staff take the marks to the MIS; the conduct team and SLT may too."""
    return has_role(user, Role.ATTENDANCE, Role.CONDUCT, Role.SLT)
