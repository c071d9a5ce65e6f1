"""Live events for the on-call queue, sent only after the transaction that caused them commits.

Everything a client shows can be re-read from the database (the snapshot on connect, the polling
endpoint), so a lost event — Redis down, a client asleep — is never a lost request.
"""

import asyncio
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from patrol.selectors import on_call as on_call_selectors

log = logging.getLogger(__name__)

QUEUE_GROUP = "on_call_queue"


def user_group(user_id: int) -> str:
    """The group of one person's open queue sockets (told when they sign out)."""
    return f"on_call_user_{user_id}"


# After Redis failed or hung, events are not tried again for this long: each try would cost the
# person acting the whole wait. Clients whose socket is down poll meanwhile (queue.js).
QUIET_AFTER_FAILURE_SECONDS = 10.0
_quiet_until = 0.0


async def _group_send_bounded(layer, group: str, message: dict) -> None:
    await asyncio.wait_for(
        layer.group_send(group, message), timeout=settings.LIVE_EVENT_TIMEOUT_SECONDS
    )


def _send(message: dict, group: str = QUEUE_GROUP) -> None:
    """Send a live event, waiting at most LIVE_EVENT_TIMEOUT_SECONDS: a Redis that is down or
    hangs never holds up the request that made the change (it has committed already)."""
    global _quiet_until
    layer = get_channel_layer()
    if layer is None:
        return
    if time.monotonic() < _quiet_until:
        log.warning("live events paused after a failure: %s not sent", message.get("kind"))
        return
    try:
        async_to_sync(_group_send_bounded)(layer, group, message)
    except TimeoutError:
        _quiet_until = time.monotonic() + QUIET_AFTER_FAILURE_SECONDS
        log.error(
            "the channel layer did not answer within %ss: on-call event %s not sent; clients "
            "fall back to polling",
            settings.LIVE_EVENT_TIMEOUT_SECONDS,
            message.get("kind"),
        )
    except Exception:  # the write has committed; clients catch up on their next read
        _quiet_until = time.monotonic() + QUIET_AFTER_FAILURE_SECONDS
        log.exception("could not send the on-call event %s", message.get("kind"))


def live_events_resume() -> None:
    """Try live events again at once (tests; an operator's shell after mending Redis)."""
    global _quiet_until
    _quiet_until = 0.0


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
