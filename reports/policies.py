"""Who may read the reports: the weekly dashboard (the conduct team and SLT for the whole school,
heads of year for their years), the half-termly report and its exports, and its commentary."""

from django.db.models import Q

from conduct.roles import Role, has_role
from school import policies as school_policies

DASHBOARD_READERS = (Role.CONDUCT, Role.SLT, Role.PASTORAL)
# The half-termly report is the whole school's, for governors: the conduct team and SLT.
REPORT_READERS = (Role.CONDUCT, Role.SLT)


def can_view_dashboard(user) -> bool:
    """The weekly dashboard (and the records behind its figures), cut to `dashboard_scope`."""
    return has_role(user, *DASHBOARD_READERS)


def dashboard_scope(user) -> Q:
    """The students whose figures `user` sees: the whole school, or a head of year's years."""
    return school_policies.scope_q(user, DASHBOARD_READERS)


def is_year_scoped(user) -> bool:
    """Whether `user`'s dashboard is cut to some year groups (the page says so)."""
    return school_policies.is_year_scoped(user, DASHBOARD_READERS)


def can_view_half_term_report(user) -> bool:
    """The half-termly statistical report and its PDF, XLSX and CSV."""
    return has_role(user, *REPORT_READERS)


def can_write_commentary(user) -> bool:
    """The written analysis kept with a half-term's report."""
    return has_role(user, *REPORT_READERS)


# The meeting pack (the half-term's report and the students with the most removals, with their
# SEN, looked-after and pupil-premium flags) is for the people at the half-termly behaviour
# meeting: the conduct team (the officer leads it), SLT, the SENCO (for students with SEN) and
# the DSL (who also oversees looked-after children with the designated teacher). Each already
# reads every student's sensitive details (docs/roles.md); heads of year, cut to their years,
# are not given a whole-school list of names.
PACK_READERS = (Role.CONDUCT, Role.SLT, Role.SENCO, Role.DSL)


def can_view_meeting_pack(user) -> bool:
    """The meeting pack on screen and as PDF."""
    return has_role(user, *PACK_READERS)


def can_see_pack_students(user) -> bool:
    """The pack's named list of the students with the most removals and their flags."""
    return has_role(user, *PACK_READERS)


def can_open_calls(user) -> bool:
    """Whether the calls behind an on-call figure link to each call: for those who answer
    on-call (the conduct team, SLT); a head of year sees the list without the links."""
    return has_role(user, Role.CONDUCT, Role.SLT)
