"""The live on-call queue over a WebSocket: a snapshot on connect, then every change as it
commits. Only people the policy lets answer on-call join the group."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from conduct.roles import Role, has_role
from patrol import policies, selectors, services
from patrol.events import QUEUE_GROUP
from patrol.rendering import event_message, snapshot_message

FORBIDDEN = 4403


@database_sync_to_async
def _who_may_listen(user) -> tuple[bool, bool]:
    if user is None or not user.is_authenticated:
        return False, False
    return policies.can_answer_on_call(user), has_role(user, Role.SLT)


@database_sync_to_async
def _fresh_snapshot() -> dict:
    # Reading the queue is also the moment to escalate anything overdue, so escalation shows
    # even when the escalate_on_call worker is not running.
    services.on_call_escalate_due()
    return selectors.on_call_snapshot()


class OnCallQueueConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        allowed, self.is_slt = await _who_may_listen(user)
        if not allowed:
            await self.close(code=FORBIDDEN)
            return
        self.me = user.pk
        # Join before reading, so a change committed while the snapshot is read still arrives
        # (as an event after it; the client keeps the higher version).
        await self.channel_layer.group_add(QUEUE_GROUP, self.channel_name)
        await self.accept()
        await self.send_snapshot()

    async def disconnect(self, code):
        if getattr(self, "me", None) is not None:
            await self.channel_layer.group_discard(QUEUE_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "refresh":
            await self.send_snapshot()

    async def send_snapshot(self):
        snapshot = await _fresh_snapshot()
        await self.send_json(snapshot_message(snapshot, me=self.me, is_slt=self.is_slt))

    async def on_call_event(self, event):
        message = event_message(event["kind"], event["request"], me=self.me, is_slt=self.is_slt)
        await self.send_json(message)
