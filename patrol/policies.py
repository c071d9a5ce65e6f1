"""Who may do what with on-call requests: one named predicate per action."""

from conduct.roles import Role, has_role, roles_of
from patrol import selectors
from patrol.models import OnCallRequest
from school.selectors import staff_for_user

# Anyone on the staff may need help in a room: every role can raise on-call.
RAISERS = tuple(Role.values)
# Always in the live queue: the conduct team (patrol) and SLT (the next tier). Anyone else joins
# while the rota puts them on the on-call duty.
ANSWERING_ROLES = (Role.CONDUCT, Role.SLT)


def can_raise_on_call(user) -> bool:
    return has_role(user, *RAISERS)


def can_answer_on_call(user) -> bool:
    """Sees the live queue and may claim: the patrol team, SLT, or whoever is on duty now."""
    if has_role(user, *ANSWERING_ROLES):
        return True
    return bool(roles_of(user)) and selectors.on_duty_now(staff_for_user(user))


def can_view_on_call_request(user, request: OnCallRequest) -> bool:
    return request.raised_by_id == user.pk or can_answer_on_call(user)


def can_claim_on_call(user, request: OnCallRequest) -> bool:
    return can_answer_on_call(user)


def can_mark_arrived(user, request: OnCallRequest) -> bool:
    return request.claimed_by_id == user.pk


def can_resolve_on_call(user, request: OnCallRequest, outcome: str) -> bool:
    """The person who went, or SLT; the teacher who raised it may only say it is not needed."""
    if request.claimed_by_id == user.pk or has_role(user, Role.SLT):
        return True
    return request.raised_by_id == user.pk and outcome == OnCallRequest.Outcome.NOT_NEEDED


def resolvable_outcomes(user, request: OnCallRequest) -> list[str]:
    return [o for o in OnCallRequest.Outcome.values if can_resolve_on_call(user, request, o)]


# ---- patrol: sent out, sweeps, drop-ins; the watch list; the rota -----------------------------

# Who logs a student sent out of a lesson: whoever teaches, and the patrol.
SENDERS = (Role.TEACHER, Role.CURRICULUM, Role.PASTORAL, Role.CONDUCT, Role.SLT)
# Who keeps the watch list (asks the patrol to drop in) and who reads it.
WATCH_KEEPERS = (Role.PASTORAL, Role.SLT, Role.DSL)
WATCH_READERS = (*WATCH_KEEPERS, Role.CONDUCT)
# Who follows up students found out of lessons.
ATTENDANCE_FOLLOWERS = (Role.ATTENDANCE, Role.SLT)
OUT_OF_LESSON_READERS = (*ATTENDANCE_FOLLOWERS, Role.CONDUCT)
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


def can_view_out_of_lessons(user) -> bool:
    return has_role(user, *OUT_OF_LESSON_READERS)


def can_mark_dealt_with(user) -> bool:
    return has_role(user, *ATTENDANCE_FOLLOWERS)


def can_view_rota(user) -> bool:
    """Everyone on the staff may see who is on duty (and find their own duties)."""
    return bool(roles_of(user))


def can_manage_rota(user) -> bool:
    return has_role(user, *ROTA_MANAGERS)
