"""Who may open a WebSocket: only a page of this site, the same scheme-less host and port the
socket is opened on (a page served on another port of the same host is another site), or an
origin the school lists in CSRF_TRUSTED_ORIGINS; and only on a host in ALLOWED_HOSTS."""

from urllib.parse import urlparse

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}


def _origin_of(url: str) -> tuple[str, int] | None:
    """(host, port) of an Origin header or a trusted origin; None when it is not one."""
    try:
        parsed = urlparse(url)
        port = parsed.port or DEFAULT_PORTS.get(parsed.scheme)
    except ValueError:
        return None
    if not parsed.hostname or port is None:
        return None
    return parsed.hostname.lower(), port


def origin_allowed(origin: str, host: str) -> bool:
    """Whether a socket opened on `host` (the Host header, with its port if not the default)
    from a page at `origin` is the site's own: same host and same port, or a trusted origin."""
    theirs = _origin_of(origin)
    if theirs is None:
        return False
    if any(_origin_of(trusted) == theirs for trusted in settings.CSRF_TRUSTED_ORIGINS):
        return True
    domain, port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    # A Host without a port was reached on the default port of the page's own scheme (behind
    # a TLS proxy the socket itself may be plain ws).
    ours = (domain, int(port) if port else DEFAULT_PORTS[urlparse(origin).scheme])
    return ours == theirs


class SameOriginValidator:
    """ASGI middleware: refuse a WebSocket whose Origin is not this site (host and port)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            headers = dict(scope.get("headers", []))
            origin = headers.get(b"origin", b"").decode("latin1")
            host = headers.get(b"host", b"").decode("latin1")
            if not origin_allowed(origin, host):
                denier = WebsocketDenier()
                return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
