"""Live events for the on-call queue, sent only after the transaction that caused them commits.

Everything a client shows can be re-read from the database (the snapshot on connect, the polling
endpoint), so a lost event — Redis down, a client asleep — is never a lost request.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from patrol.selectors import on_call as on_call_selectors

log = logging.getLogger(__name__)

QUEUE_GROUP = "on_call_queue"


def user_group(user_id: int) -> str:
    """The group of one person's open queue sockets (told when they sign out)."""
    return f"on_call_user_{user_id}"


def _send(message: dict, group: str = QUEUE_GROUP) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # the write has committed; clients catch up on their next read
        log.exception("could not send the on-call event %s", message.get("kind"))


def session_ended(user_id: int) -> None:
    """Tell a person's open queue sockets that they signed out: each checks its session and
    closes (patrol/consumers.py)."""
    _send({"type": "session.ended"}, group=user_group(user_id))


def send_queue_event_on_commit(kind: str, request_id: int) -> None:
    """After the current transaction commits, tell every queue client what changed (Zulip's
    send_event_on_commit). The request is read again after commit, so the event carries exactly
    what was committed; an aborted transaction sends nothing."""

    def send() -> None:
        data = on_call_selectors.on_call_request_data(request_id)
        _send({"type": "on_call.event", "kind": kind, "request": data})

    transaction.on_commit(send, robust=True)
