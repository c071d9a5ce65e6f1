"""The live on-call queue over a WebSocket: a snapshot on connect, then every change as it
commits, each card drawn with the controls the policies give this socket's user. Only people the
policy lets answer on-call join the group."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from patrol import policies
from patrol.events import QUEUE_GROUP
from patrol.rendering import event_message, snapshot_message
from patrol.selectors import on_call as on_call_selectors
from patrol.services import on_call as on_call_services

FORBIDDEN = 4403


@database_sync_to_async
def _may_listen(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return policies.can_answer_on_call(user)


@database_sync_to_async
def _snapshot_for(user) -> dict:
    # Reading the queue is also the moment to escalate anything overdue, so escalation shows
    # even when the escalate_on_call worker is not running.
    on_call_services.on_call_escalate_due()
    return snapshot_message(on_call_selectors.on_call_snapshot(), user=user)


@database_sync_to_async
def _event_for(user, kind: str, data: dict) -> dict:
    # The policies may read the rota (who is on duty this minute): a database read.
    return event_message(kind, data, user=user)


class OnCallQueueConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        if not await _may_listen(self.user):
            await self.close(code=FORBIDDEN)
            return
        self.listening = True
        # Join before reading, so a change committed while the snapshot is read still arrives
        # (as an event after it; the client keeps the higher version).
        await self.channel_layer.group_add(QUEUE_GROUP, self.channel_name)
        await self.accept()
        await self.send_snapshot()

    async def disconnect(self, code):
        if getattr(self, "listening", False):
            await self.channel_layer.group_discard(QUEUE_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "refresh":
            await self.send_snapshot()

    async def send_snapshot(self):
        await self.send_json(await _snapshot_for(self.user))

    async def on_call_event(self, event):
        await self.send_json(await _event_for(self.user, event["kind"], event["request"]))
