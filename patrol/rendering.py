"""One way to draw a request, used by the page, the polling endpoint and the socket, so every
client shows the same card whichever way it heard the news."""

from typing import Any

from django.template.loader import render_to_string

from patrol.models import OnCallRequest

OUTCOMES = OnCallRequest.Outcome.choices


def render_request(data: dict[str, Any], *, me: int, is_slt: bool, request=None) -> str:
    """A card while the request is open; a line in "resolved today" once it is resolved."""
    template = "patrol/_card.html" if data["is_open"] else "patrol/_resolved_item.html"
    context = {"r": data, "me": me, "is_slt": is_slt, "outcomes": OUTCOMES}
    return render_to_string(template, context, request=request)


def event_message(kind: str, data: dict[str, Any], *, me: int, is_slt: bool, request=None):
    return {
        "type": "event",
        "kind": kind,
        "request": _slim(data),
        "html": render_request(data, me=me, is_slt=is_slt, request=request),
    }


def snapshot_message(snapshot: dict[str, list], *, me: int, is_slt: bool, request=None):
    return {
        "type": "snapshot",
        "open": [
            {**_slim(r), "html": render_request(r, me=me, is_slt=is_slt, request=request)}
            for r in snapshot["open"]
        ],
        "resolved": [
            {**_slim(r), "html": render_request(r, me=me, is_slt=is_slt, request=request)}
            for r in snapshot["resolved"]
        ],
    }


def _slim(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "version", "status", "is_open", "urgency", "tier", "where", "reason", "order")
    return {key: data[key] for key in keys} | {"escalate_at": data["escalate_at"]}
