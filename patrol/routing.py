from django.urls import path

from patrol.consumers import OnCallQueueConsumer

websocket_urlpatterns = [path("ws/on-call/", OnCallQueueConsumer.as_asgi())]
