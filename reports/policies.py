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
