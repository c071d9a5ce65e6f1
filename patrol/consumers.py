"""The live on-call queue over a WebSocket: a snapshot on connect, then every change as it
commits, each card drawn with the controls the policies give this socket's user.

A socket lives longer than the reasons it was opened for, so the policy is asked again for every
event sent and every message received, and every `recheck_seconds` while the socket is quiet:
the person must still be signed in (their session still there, for the same account) and still
answering on-call (their role, or the rota's duty this minute). When either stops, the socket
closes with FORBIDDEN and the page falls back to polling, which refuses them too. Signing out
also tells the person's open sockets at once (`session_ended`), so they close without waiting.
"""

import asyncio
from importlib import import_module
from types import SimpleNamespace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user, get_user_model
from django.contrib.auth.models import AnonymousUser

from audit.models import AuditEvent
from audit.services import audit_record
from patrol import policies
from patrol.events import QUEUE_GROUP, user_group
from patrol.rendering import event_message, snapshot_message
from patrol.selectors import on_call as on_call_selectors
from patrol.services import on_call as on_call_services

FORBIDDEN = 4403


def _current_user(scope: dict, user):
    """The account this socket acts for, read afresh: from its session when it came with one (a
    signed-out, expired or flushed session gives AnonymousUser, as does a changed password), else
    the account itself reloaded (sockets opened in tests). Roles and duty are read anew."""
    session = scope.get("session")
    if session is not None and session.session_key:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session.session_key)
        # get_user reads only the request's session (and checks the password has not changed).
        current = get_user(SimpleNamespace(session=store))  # type: ignore[arg-type]
        if not current.is_authenticated or user is None or current.pk != user.pk:
            return AnonymousUser()
        return current
    if user is None or not user.is_authenticated:
        return AnonymousUser()
    reloaded = get_user_model().objects.filter(pk=user.pk, is_active=True).first()
    return reloaded or AnonymousUser()


@database_sync_to_async
def _may_listen(scope: dict, user):
    """The fresh user when they may still listen, else None."""
    current = _current_user(scope, user)
    if not current.is_authenticated or not policies.can_answer_on_call(current):
        return None
    return current


def _request_of(scope: dict, user) -> SimpleNamespace:
    """What the audit log reads from a request (who, from where, with what), for a socket."""
    headers = dict(scope.get("headers", []))
    meta = {
        "REMOTE_ADDR": (scope.get("client") or [None])[0],
        "HTTP_USER_AGENT": headers.get(b"user-agent", b"").decode("latin1"),
    }
    forwarded = headers.get(b"x-forwarded-for")
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded.decode("latin1")
    return SimpleNamespace(META=meta, user=user)


@database_sync_to_async
def _snapshot_for(user, scope: dict) -> dict:
    # Reading the queue is also the moment to escalate anything overdue, so escalation shows
    # even when the escalate_on_call worker is not running.
    on_call_services.on_call_escalate_due()
    snapshot = on_call_selectors.on_call_snapshot()
    audit_record(
        request=_request_of(scope, user),
        user=user,
        action=AuditEvent.Action.VIEW,
        object_type="patrol.oncallrequest",
        detail={
            "page": "on-call socket snapshot",
            "open": len(snapshot["open"]),
            "resolved": len(snapshot["resolved"]),
        },
    )
    return snapshot_message(snapshot, user=user)


@database_sync_to_async
def _event_for(user, kind: str, data: dict) -> dict:
    # The policies may read the rota (who is on duty this minute): a database read.
    return event_message(kind, data, user=user)


class OnCallQueueConsumer(AsyncJsonWebsocketConsumer):
    recheck_seconds: float = getattr(settings, "ON_CALL_SOCKET_RECHECK_SECONDS", 30)

    async def connect(self):
        self.user = self.scope.get("user")
        current = await _may_listen(self.scope, self.user)
        if current is None:
            await self.close(code=FORBIDDEN)
            return
        self.user = current
        self.listening = True
        # Join before reading, so a change committed while the snapshot is read still arrives
        # (as an event after it; the client keeps the higher version).
        await self.channel_layer.group_add(QUEUE_GROUP, self.channel_name)
        await self.channel_layer.group_add(user_group(current.pk), self.channel_name)
        await self.accept()
        await self.send_snapshot()
        self.watchdog = asyncio.ensure_future(self._recheck_while_open())

    async def disconnect(self, code):
        if getattr(self, "listening", False):
            self.listening = False
            await self.channel_layer.group_discard(QUEUE_GROUP, self.channel_name)
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
        watchdog = getattr(self, "watchdog", None)
        if watchdog is not None and watchdog is not asyncio.current_task():
            watchdog.cancel()

    async def still_allowed(self) -> bool:
        """Ask the policy again; close the socket when the answer is no."""
        if not getattr(self, "listening", False):
            return False
        current = await _may_listen(self.scope, self.user)
        if current is None:
            await self.disconnect(FORBIDDEN)
            await self.close(code=FORBIDDEN)
            return False
        self.user = current
        return True

    async def _recheck_while_open(self):
        while getattr(self, "listening", False):
            await asyncio.sleep(self.recheck_seconds)
            if not await self.still_allowed():
                return

    async def receive_json(self, content, **kwargs):
        if not await self.still_allowed():
            return
        if content.get("type") == "refresh":
            await self.send_snapshot()

    async def send_snapshot(self):
        await self.send_json(await _snapshot_for(self.user, self.scope))

    async def on_call_event(self, event):
        if not await self.still_allowed():
            return
        await self.send_json(await _event_for(self.user, event["kind"], event["request"]))

    async def session_ended(self, event):
        """The person signed out somewhere: this socket closes if its session went with it
        (asked again a moment later too, in case the message outran the session's removal)."""
        if await self.still_allowed():
            await asyncio.sleep(1)
            await self.still_allowed()
