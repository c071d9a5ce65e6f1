"""Who may do what in patrol and on-call: one named predicate per decision."""

from typing import Protocol

from conduct.lib import clock
from conduct.roles import Role, has_role, roles_of
from patrol.models import OnCallRequest
from patrol.selectors import on_call as on_call_selectors
from school import policies as school_policies
from school.models import Student

# Anyone on the staff may need help in a room: every role can raise on-call.
RAISERS = tuple(Role.values)
OUTCOMES = tuple(OnCallRequest.Outcome.values)


class OnCallFacts(Protocol):
    """What the decisions about one request read: an OnCallRequest row, or a card drawn from a
    request's data (patrol/rendering.py)."""

    raised_by_id: int
    claimed_by_id: int | None
    status: str


# Always in the live queue: the conduct team (patrol) and SLT (the next tier). Anyone else joins
# while the rota puts them on the on-call duty.
ANSWERING_ROLES = (Role.CONDUCT, Role.SLT)


def can_raise_on_call(user) -> bool:
    return has_role(user, *RAISERS)


def can_answer_on_call(user) -> bool:
    """Sees the live queue and may claim: the patrol team, SLT, or whoever is on duty now."""
    if has_role(user, *ANSWERING_ROLES):
        return True
    return bool(roles_of(user)) and _on_duty_this_minute(user)


def _on_duty_this_minute(user) -> bool:
    """Whether the rota has `user` on on-call now, read once a minute per user object (a page
    asks several predicates that depend on it; a socket's user object lives longer than a
    duty, so the answer must not outlive the minute it was read in)."""
    minute = clock.now().replace(second=0, microsecond=0)
    cached = getattr(user, "_conduct_on_duty", None)
    if cached is None or cached[0] != minute:
        cached = (minute, on_call_selectors.user_on_duty_now(user))
        user._conduct_on_duty = cached
    return cached[1]


def can_view_on_call_request(user, request: OnCallFacts) -> bool:
    return request.raised_by_id == user.pk or can_answer_on_call(user)


def is_next_tier(user) -> bool:
    """SLT, the tier a call escalates to when nobody claims it in time: their screens sound."""
    return has_role(user, Role.SLT)


def can_claim_on_call(user, request: OnCallFacts) -> bool:
    """Anyone answering on-call may try; the database gives an open request to the first."""
    return can_answer_on_call(user)


def can_mark_arrived(user, request: OnCallFacts) -> bool:
    return request.claimed_by_id == user.pk


def can_resolve_any_on_call(user) -> bool:
    """The next tier closes any call, with any outcome, whoever claimed it."""
    return is_next_tier(user)


def can_resolve_on_call(user, request: OnCallFacts, outcome: str) -> bool:
    """The person who went, or SLT; the teacher who raised it may only say it is not needed."""
    if request.claimed_by_id == user.pk or can_resolve_any_on_call(user):
        return True
    return request.raised_by_id == user.pk and outcome == OnCallRequest.Outcome.NOT_NEEDED


def resolvable_outcomes(user, request: OnCallFacts) -> list[str]:
    """The outcomes `user` may choose for `request`, in the order the card shows them."""
    return [o for o in OUTCOMES if can_resolve_on_call(user, request, o)]


# ---- patrol: sent out, sweeps, drop-ins; the watch list; the rota -----------------------------

# Who logs a student sent out of a lesson: whoever teaches, and the patrol.
SENDERS = (Role.TEACHER, Role.CURRICULUM, Role.PASTORAL, Role.CONDUCT, Role.SLT)
# Who keeps the watch list (asks the patrol to drop in) and who reads it.
WATCH_KEEPERS = (Role.PASTORAL, Role.SLT, Role.DSL)
WATCH_READERS = (*WATCH_KEEPERS, Role.CONDUCT)
# Who follows up students found out of lessons on a sweep, and who reads the list.
ATTENDANCE_FOLLOWERS = (Role.ATTENDANCE, Role.SLT)
FINDING_READERS = (*ATTENDANCE_FOLLOWERS, Role.CONDUCT)
ROTA_MANAGERS = (Role.CONDUCT, Role.SLT)


def can_patrol(user) -> bool:
    """The patrol page: visits to make, the watch list with where-now, sweeps, drop-ins. The
    same people as the live queue: the conduct team, SLT, whoever the rota has on on-call."""
    return can_answer_on_call(user)


def can_log_sent_out(user) -> bool:
    return has_role(user, *SENDERS) or can_patrol(user)


def can_record_visit(user) -> bool:
    return can_patrol(user)


def can_sweep(user) -> bool:
    return can_patrol(user)


def can_record_drop_in(user) -> bool:
    return can_patrol(user)


def can_view_watch_list(user) -> bool:
    return has_role(user, *WATCH_READERS)


def can_keep_watch_list(user) -> bool:
    return has_role(user, *WATCH_KEEPERS)


def can_read_watch_reason(user, student: Student) -> bool:
    """Why a student is watched ("low mood since a family bereavement") is for those who read the
    watch list (pastoral staff: their years'); the patrol sees who to drop in on and where."""
    return school_policies.reaches(user, student, WATCH_READERS)


def can_keep_watch_for(user, student: Student) -> bool:
    """Add this student, set their review date, take them off: pastoral staff, their years'."""
    return school_policies.reaches(user, student, WATCH_KEEPERS)


def watch_entry_in_scope(user, student: Student) -> bool:
    """Whether `user` reads this student's entry on the watch list page: pastoral staff, their
    years'."""
    return school_policies.reaches(user, student, WATCH_READERS)


def can_view_found_out_of_lessons(user) -> bool:
    return has_role(user, *FINDING_READERS)


def can_mark_finding_dealt_with(user) -> bool:
    return has_role(user, *ATTENDANCE_FOLLOWERS)


def can_view_rota(user) -> bool:
    """Everyone on the staff may see who is on duty (and find their own duties)."""
    return bool(roles_of(user))


def can_manage_rota(user) -> bool:
    return has_role(user, *ROTA_MANAGERS)
