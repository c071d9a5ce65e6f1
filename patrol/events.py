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


def _send(message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(QUEUE_GROUP, message)
    except Exception:  # the write has committed; clients catch up on their next read
        log.exception("could not send the on-call event %s", message.get("kind"))


def send_queue_event_on_commit(kind: str, request_id: int) -> None:
    """After the current transaction commits, tell every queue client what changed (Zulip's
    send_event_on_commit). The request is read again after commit, so the event carries exactly
    what was committed; an aborted transaction sends nothing."""

    def send() -> None:
        data = on_call_selectors.on_call_request_data(request_id)
        _send({"type": "on_call.event", "kind": kind, "request": data})

    transaction.on_commit(send, robust=True)
