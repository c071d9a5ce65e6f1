"""notify's settings. Each is read when used (so tests can override it) from Django settings
first, then the environment, through strict helpers that fail loudly on a bad value."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from conduct.env import envbool, envint


def _setting(name: str):
    return getattr(settings, name, None)


def sms_provider() -> str:
    """SMS_PROVIDER: "log" (the default: store and mark sent, send nothing) or the dotted path of
    a provider class (docs/notify.md)."""
    value = _setting("SMS_PROVIDER") or os.environ.get("SMS_PROVIDER", "log")
    return str(value).strip() or "log"


def max_attempts() -> int:
    """NOTIFY_MAX_ATTEMPTS: tries before a message is marked failed (default 5)."""
    value = _setting("NOTIFY_MAX_ATTEMPTS")
    value = int(value) if value is not None else envint("NOTIFY_MAX_ATTEMPTS", "5")
    if value < 1:
        raise ImproperlyConfigured(f"NOTIFY_MAX_ATTEMPTS must be 1 or more; got {value}")
    return value


def send_on_commit() -> bool:
    """NOTIFY_SEND_ON_COMMIT: also try to send an approved message in the request, straight
    after its transaction commits (default off). Off, the request only queues it and the worker
    sends it within seconds, so a slow or silent mail server can never hold up a page."""
    value = _setting("NOTIFY_SEND_ON_COMMIT")
    return bool(value) if value is not None else envbool("NOTIFY_SEND_ON_COMMIT", "0")


# Seconds to wait after the n-th failed attempt before the next one (the last repeats).
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60)

# A sender that claims a message has this long to send it (far longer than EMAIL_TIMEOUT). If
# the lease runs out the sender died mid-send: the message may or may not have gone, so it is
# marked failed for a person to check rather than sent again (never twice, never silently lost).
CLAIM_LEASE_SECONDS = 10 * 60


def retry_delay(attempts: int) -> int:
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]
