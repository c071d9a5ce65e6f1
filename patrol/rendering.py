"""One way to draw a request, used by the page, the polling endpoint and the socket, so every
client shows the same card whichever way it heard the news; the controls on it are the ones the
policies give the person looking."""

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from patrol import policies
from patrol.models import OnCallRequest

OUTCOMES = OnCallRequest.Outcome.choices


@dataclass(frozen=True)
class _Card:
    """The facts about a request the policies read, from a card's data: drawn for every socket
    on every change, so no model instance is built for it."""

    raised_by_id: int
    claimed_by_id: int | None
    status: str


def card_flags(data: dict[str, Any], *, user) -> dict[str, Any]:
    """What `user` may do on this card, from the policies: claim it, say they have arrived, and
    which outcomes they may choose."""
    request = _Card(data["raised_by_id"], data["claimed_by_id"], data["status"])
    allowed = set(policies.resolvable_outcomes(user, request)) if data["is_open"] else set()
    return {
        "mine": data["claimed_by_id"] == user.pk,
        "may_claim": data["status"] == OnCallRequest.Status.OPEN
        and policies.can_claim_on_call(user, request),
        "may_arrive": data["status"] == OnCallRequest.Status.CLAIMED
        and policies.can_mark_arrived(user, request),
        "outcomes": [(v, label) for v, label in OUTCOMES if v in allowed],
        "may_remove": OnCallRequest.Outcome.REMOVED in allowed,
    }


def render_request(data: dict[str, Any], *, user, request=None) -> str:
    """A card while the request is open; a line in "resolved today" once it is resolved."""
    template = "patrol/_card.html" if data["is_open"] else "patrol/_resolved_item.html"
    context = {"r": data, **card_flags(data, user=user)}
    return render_to_string(template, context, request=request)


def event_message(kind: str, data: dict[str, Any], *, user, request=None) -> dict[str, Any]:
    return {
        "type": "event",
        "kind": kind,
        "request": _slim(data),
        "html": render_request(data, user=user, request=request),
    }


def snapshot_message(snapshot: dict[str, list], *, user, request=None) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "open": [
            {**_slim(r), "html": render_request(r, user=user, request=request)}
            for r in snapshot["open"]
        ],
        "resolved": [
            {**_slim(r), "html": render_request(r, user=user, request=request)}
            for r in snapshot["resolved"]
        ],
    }


def _slim(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "version", "status", "is_open", "urgency", "tier", "where", "reason", "order")
    return {key: data[key] for key in keys} | {"escalate_at": data["escalate_at"]}
