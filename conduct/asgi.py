import gc
import os

from django.core.asgi import get_asgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conduct.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from conduct.env import envint  # noqa: E402
from conduct.middleware import SecondFactorSocket  # noqa: E402
from conduct.request_threads import RequestThreads  # noqa: E402
from conduct.websockets import SameOriginValidator  # noqa: E402
from patrol.routing import websocket_urlpatterns as patrol_websockets  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": RequestThreads(django_asgi_app, threads=envint("REQUEST_THREADS", "2")),
        # Session sign-in as on the pages; only this site's own pages (host and port, on a host in
        # ALLOWED_HOSTS) may open a socket. A session half-way through two-factor sign-in opens
        # no socket (SecondFactorSocket).
        "websocket": SameOriginValidator(
            AuthMiddlewareStack(SecondFactorSocket(URLRouter(patrol_websockets)))
        ),
    }
)

# Everything loaded so far (Django, the apps, every view through the URLs) lives as long as the
# process: moved out of the garbage collector's sight, so that its collections, which a busy
# page's many short-lived rows set off, walk only what requests make (issue 15: a student's page
# 11-12 -> 8.5 ms of server CPU at 10 connections; https://docs.python.org/3/library/gc.html#gc.freeze).
get_resolver().url_patterns  # noqa: B018 (imports every view now, not on a first request)
gc.collect()
gc.freeze()
