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
