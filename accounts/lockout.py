"""Sign-in throttling on django-axes: the settings' callables, the handler that counts failures
per username and per address against limits of their own, and writes the pause to the audit log.

Axes counts failed sign-ins in `axes.AccessAttempt` rows (one per username, address and browser)
and refuses a sign-in while `get_failures` reaches the account limit. Conduct's handler reads the
two counts separately: a username is paused after LOGIN_FAILURES_PER_ACCOUNT failures from
anywhere, an address after LOGIN_FAILURES_PER_ADDRESS failures whatever the usernames (a school's
staff often share one public address, so that limit is higher).
"""

import datetime as dt

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record


def failures_per_account(request, credentials) -> int:
    return settings.LOGIN_FAILURES_PER_ACCOUNT


def lockout_time(request=None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page says signing in is paused, and for how long (HTTP 429)."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
        status=429,
    )


def recent_attempts():
    """Failed-sign-in counts still within the lock-out time."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - lockout_time())


def failures_of(*, username: str | None, address: str | None) -> tuple[int, int]:
    """(failures of this username, failures from this address) within the lock-out time."""
    attempts = recent_attempts()
    by_username = (
        attempts.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
        if username
        else 0
    )
    by_address = (
        attempts.filter(ip_address=address).aggregate(n=Sum("failures_since_start"))["n"] or 0
        if address
        else 0
    )
    return by_username, by_address


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # Axes compares one number with one limit (the account's): an address counts as having
        # reached it once it reaches its own, higher limit.
        by_username, by_address = failures_of(
            username=get_client_username(request, credentials),
            address=request.axes_ip_address,
        )
        account_limit = settings.LOGIN_FAILURES_PER_ACCOUNT
        address_reached = by_address >= settings.LOGIN_FAILURES_PER_ADDRESS
        return max(by_username, account_limit if address_reached else 0)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        already = request is not None and self.is_locked(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and request.axes_locked_out and not already:
            # The pause begins with this failure: written once, not for every refused try.
            by_username, by_address = failures_of(
                username=get_client_username(request, credentials),
                address=request.axes_ip_address,
            )
            audit_record(
                request=request,
                action=AuditEvent.Action.LOCKED_OUT,
                detail={
                    "username": str(get_client_username(request, credentials) or "")[:150],
                    "failures_of_username": by_username,
                    "failures_from_address": by_address,
                },
            )

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful sign-in clears that username's failures, not its address's: one person
        # signing in must not reset the count of someone guessing from the same address.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        return self.reset_attempts(username=username)


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a paused sign-in before the password is checked. Code that authenticates
    without a request (the test client's `login`, a management command) is not a sign-in page
    and is not throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
